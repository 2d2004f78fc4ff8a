"""Which stored events report the same happening: a documented, deterministic rule.

Two mentions (stored events) are *compatible* when all of these hold:

1. the same PLOVER type;
2. the same dyad: the same source and target, each compared by its resolved id (a state's
   code, ``ISR:benny-gantz`` for a person, ...); a state and a person or group acting for it
   agree ("Turkey" and "Erdogan"), two persons of one state only in the same role; inside one
   state (both sides of one country) the actors themselves must match; for meetings,
   agreements and cooperation (CONSULT, AGREE, COOPERATE) the dyad is unordered ("Greece met
   Turkey" and "Turkey met Greece");
3. compatible dates: the periods the texts give overlap (a "September" report and a
   "12 September" report may fuse; 3 and 17 September may not), with one day of slack
   between two day-precise reports (time zones, "yesterday"); an undated mention counts as
   happening in the three days up to its publication;
4. compatible places: the places each report names (the coded location and "in/at <Place>"
   phrases, countries left out) overlap, or one report names none, or names the other's;
5. compatible modality: asserted and claimed reports fuse (the fused event counts both
   kinds of source); negated, intended and hypothetical mentions fuse only with their own kind;
6. different documents: two events of one report are never fused (the coder keeps them apart);
7. similar evidence where dates are vague: when neither mention is dated to the day, their
   sentences must share at least one name or number beyond the dyad's own names (a bare
   year does not count).

Fused events are built by complete linkage inside each block of (type, dyad): every two
mentions of a fused event are compatible, so one vague report cannot chain two happenings
together. Merges go strongest pair first in a fixed order over the sorted block, so the
result does not depend on the order documents were ingested in (tested by ingesting in
three orders). A fused event's id is derived from its earliest
mention (earliest publication, then smallest event id).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache

SYMMETRIC = frozenset({"CONSULT", "AGREE", "COOPERATE"})
FACTUAL = frozenset({"asserted", "claimed"})
UNDATED_WINDOW = dt.timedelta(days=3)
_PLACE = re.compile(r"\b(?:in|at)\s+((?:[A-Z][\w'’-]+)(?:\s+[A-Z][\w'’-]+)*)")
_YEAR = re.compile(r"(?:1[89]|20)\d\d")
_NAME = re.compile(r"\b(?:[A-Z][\w'’-]+|\d[\d,.]*)\b")
_STOP_NAMES = frozenset({"The", "A", "An", "In", "On", "At", "He", "She", "It", "They", "We", "I", "But", "And",
                         "This", "That", "After", "Before", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
                         "Saturday", "Sunday", "Mr", "Mrs", "Ms", "President", "Minister", "Prime", "January",
                         "February", "March", "April", "May", "June", "July", "August", "September", "October",
                         "November", "December", "Officials", "Reuters"})


@dataclass(frozen=True)
class Mention:
    """What fusion reads of one stored event."""

    event_id: str
    doc_id: str
    event_type: str
    source: str | None  # resolved id of the source (state code, person id, ...)
    target: str | None
    source_state: str | None  # the state the source acts for, when known
    target_state: str | None
    modality: str
    start: dt.date | None  # the period the text gives
    end: dt.date | None
    published: dt.date | None
    place: str | None  # location name or country, lower case
    sentence: str = ""
    source_kind: str | None = None  # state, person, org, group, igo
    target_kind: str | None = None
    source_role: str | None = None
    target_role: str | None = None
    outlet: str | None = None
    confidence: float = 0.5

    def period(self) -> tuple[dt.date, dt.date] | None:
        if self.start is not None and self.end is not None:
            return self.start, self.end
        if self.published is not None:
            return self.published - UNDATED_WINDOW, self.published
        return None

    def precise(self) -> bool:
        return self.start is not None and self.start == self.end

    @cached_property
    def places(self) -> frozenset[str]:
        """Where the report puts the happening: the coded location and "in/at <Place>" phrases,
        without country names (a city and its country do not disagree)."""
        found = {self.place} if self.place else set()
        found |= {p.lower() for p in _PLACE.findall(self.sentence) if p.split()[0] not in _STOP_NAMES}
        return frozenset(p for p in found if not _is_country(p))

    @cached_property
    def evidence_names(self) -> frozenset[str]:
        """Names and numbers in the sentence; a bare year says nothing about which happening."""
        return frozenset(w for w in _NAME.findall(self.sentence) if w not in _STOP_NAMES and not _YEAR.fullmatch(w))


@lru_cache(maxsize=4096)
def _is_country(name: str) -> bool:
    import pycountry

    try:
        pycountry.countries.lookup(name)
        return True
    except LookupError:
        return False


def _places_agree(a: Mention, b: Mention) -> bool:
    pa, pb = a.places, b.places
    if not pa or not pb or pa & pb:
        return True
    lower_a, lower_b = a.sentence.lower(), b.sentence.lower()
    return any(p in lower_b for p in pa) or any(p in lower_a for p in pb)


@dataclass(frozen=True)
class FusionRules:
    """The thresholds of the rule above, so a user can tighten or loosen them."""

    undated_window: dt.timedelta = UNDATED_WINDOW
    day_tolerance: dt.timedelta = dt.timedelta(days=1)  # reports dated to the day may differ by one
    symmetric: frozenset[str] = SYMMETRIC

    def block(self, m: Mention) -> tuple[str, ...]:
        """Mentions can only fuse inside one block: type, dyad (by state where both sides have one)."""
        src = m.source_state or m.source or "?"
        tgt = m.target_state or m.target or "?"
        if m.event_type in self.symmetric:
            src, tgt = sorted((src, tgt))
        kind = "factual" if m.modality in FACTUAL else m.modality
        return m.event_type, src, tgt, kind

    def compatible(self, a: Mention, b: Mention) -> bool:
        if a.doc_id == b.doc_id or self.block(a) != self.block(b):
            return False  # two events of one report are two events: the coder already merged repeats
        if not _same_side(a, b, self.symmetric):
            return False
        pa, pb = a.period(), b.period()
        slack = self.day_tolerance if a.precise() and b.precise() else dt.timedelta(0)
        if pa is None or pb is None or pa[0] > pb[1] + slack or pb[0] > pa[1] + slack:
            return False
        if not _places_agree(a, b):
            return False
        if not (a.precise() or b.precise()):
            dyad = {a.source, a.target, b.source, b.target}
            shared = (a.evidence_names & b.evidence_names) - {str(x).split(":")[-1] for x in dyad if x}
            if not shared:
                return False
        return True


def _same_side(a: Mention, b: Mention, symmetric: frozenset[str]) -> bool:
    """One report may name the state ("Turkey") where another names its leader, forces or
    officials: those agree. Two persons of one state agree only in the same role ("the Kazakh
    president" and "Tokayev"); two different ministers do not."""
    def same(x: str | None, y: str | None, xs: str | None, ys: str | None, xk: str | None, yk: str | None,
             xr: str | None, yr: str | None) -> bool:
        if x == y:
            return True
        if xs is None or xs != ys:
            return False
        if xk == "person" and yk == "person":
            return xr is not None and xr == yr
        return True

    def side(m: Mention, which: str) -> tuple[str | None, str | None, str | None, str | None]:
        if which == "source":
            return m.source, m.source_state, m.source_kind, m.source_role
        return m.target, m.target_state, m.target_kind, m.target_role

    domestic = a.source_state is not None and a.source_state == a.target_state

    def agree(x: tuple[str | None, ...], y: tuple[str | None, ...]) -> bool:
        if domestic:  # inside one state the state says nothing about who: the actors must match
            return x[0] == y[0]
        return same(x[0], y[0], x[1], y[1], x[2], y[2], x[3], y[3])

    direct = agree(side(a, "source"), side(b, "source")) and agree(side(a, "target"), side(b, "target"))
    if direct or a.event_type not in symmetric:
        return direct
    return agree(side(a, "source"), side(b, "target")) and agree(side(a, "target"), side(b, "source"))


def cluster(mentions: Iterable[Mention], rules: FusionRules | None = None) -> list[list[Mention]]:
    """Fused events: connected components of compatible mentions, each sorted, in a stable order."""
    rules = rules or FusionRules()
    blocks: dict[tuple[str, ...], list[Mention]] = {}
    for m in mentions:
        blocks.setdefault(rules.block(m), []).append(m)
    groups: list[list[Mention]] = []
    for key in sorted(blocks):
        members = sorted(blocks[key], key=_order)
        comps: dict[int, list[Mention]] = {}
        for i, root in enumerate(_components(members, rules)):
            comps.setdefault(root, []).append(members[i])
        groups += [sorted(c, key=_order) for c in comps.values()]
    return sorted(groups, key=lambda g: _order(g[0]))


def _components(members: list[Mention], rules: FusionRules) -> list[int]:
    """Complete linkage: every two mentions of a fused event are compatible, so a vague report
    cannot chain two different happenings together. Pairs are merged strongest first (same
    day and same place before the rest), then by position in the sorted block: a fixed order
    that does not depend on the order documents were ingested in."""
    n = len(members)
    compat: set[tuple[int, int]] = set()
    for i in range(n):
        for j in range(i + 1, n):
            if rules.compatible(members[i], members[j]):
                compat.add((i, j))
    owner = list(range(n))
    groups: dict[int, list[int]] = {i: [i] for i in range(n)}
    for i, j in sorted(compat, key=lambda p: (-_strength(members[p[0]], members[p[1]]), p)):
        gi, gj = owner[i], owner[j]
        if gi == gj:
            continue
        if all((min(x, y), max(x, y)) in compat for x in groups[gi] for y in groups[gj]):
            keep, gone = min(gi, gj), max(gi, gj)
            for x in groups[gone]:
                owner[x] = keep
            groups[keep] += groups.pop(gone)
    return owner


def _strength(a: Mention, b: Mention) -> int:
    return 2 * (a.precise() and b.precise() and a.start == b.start) + bool(a.places & b.places)


def _order(m: Mention) -> tuple[dt.date, str]:
    return (m.published or dt.date.max, m.event_id)


def fused_id(group: Sequence[Mention]) -> str:
    return "fe-" + hashlib.sha256(group[0].event_id.encode()).hexdigest()[:20]


def combined_confidence(group: Sequence[Mention]) -> float:
    """Grows with independent sources: 1 - prod(1 - c) over the best mention of each outlet."""
    best: dict[str, float] = {}
    for m in group:
        key = m.outlet or m.doc_id
        best[key] = max(best.get(key, 0.0), m.confidence)
    remaining = 1.0
    for c in best.values():
        remaining *= 1.0 - min(max(c, 0.0), 0.99)
    return round(1.0 - remaining, 4)
