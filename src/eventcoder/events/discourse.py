"""Discourse: what earlier sentences and the whole document say about an event's actors."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from itertools import chain

from spacy.tokens import Token

from ..actors.doc_actors import DocActors
from ..records import Actor, Event, Mention
from .lexicon import Pattern
from .words import (
    SELF_DIRECTED_OPTIONAL,
)


def answered(tok: Token, earlier: tuple[list[Event], list[Event]], sources: list[Actor],
             match: Callable[[Token], Pattern | None]) -> list[Actor]:
    """ "Seoul rejected the warning", "Syria condemned the strikes": a definite event noun
    points back to the latest earlier event of its type (this sentence's, then the
    document's); its source is the target."""
    objs = [c for c in tok.children if c.dep_ in {"dobj", "nsubjpass"}]
    objs += [g for c in tok.children if c.dep_ == "prep" for g in c.children if g.dep_ == "pobj"]
    own = {a.canonical for a in sources}
    for obj in objs:
        if not any(d.lower_ in {"the", "this", "these", "those", "that"} for d in obj.lefts):
            continue
        p = match(obj)
        if p is None or p.event_type is None:
            continue
        for e in chain(reversed(earlier[1]), reversed(earlier[0])):
            if e.event_type == p.event_type and e.source is not None and e.source.canonical not in own:
                return [e.source]
            if (p.event_type == "ACCUSE" and e.claimed_by is not None
                    and e.claimed_by.canonical not in own):
                return [e.claimed_by]  # "the allegation": whoever made the reported claim
        if p.event_type == "ASSAULT" and not any(e.event_type == "ASSAULT" for e in chain(*earlier)):
            # "Downing Street condemned the attack", no attacker named anywhere: PLOVER's unidentified attacker
            return [Actor("unidentified attackers", "unidentified attackers", None, None, "UAF", None, "unknown")]
    return []


def _home_country(mentions: list[Mention], strict: bool = False) -> str | None:
    """The country a stretch of text is about: the most named one (the earliest on a tie);
    ``strict`` (a whole article) also wants it named twice and at least half the time."""
    counts: Counter[str] = Counter()
    first: dict[str, int] = {}
    for m in mentions:
        if m.actor.country and m.actor.kind in {"state", "group"}:
            counts[m.actor.country] += 1
            first.setdefault(m.actor.country, m.start)
    if not counts:
        return None
    best = min(counts, key=lambda c: (-counts[c], first[c]))
    if strict and (counts[best] < 2 or counts[best] * 2 < sum(counts.values())):
        return None  # no country dominates the article: leave the actor unplaced rather than guess
    return best


def _fill_home_countries(events: list[Event], actors: DocActors) -> list[Event]:
    """Domestic actors the text does not place ("the judge", "opposition leader X",
    "Islamic fundamentalists") belong to the country their sentence, else their
    document, is about. The rule string records it (``+home``)."""
    if not events:
        return events
    doc_home = _home_country(actors.mentions, strict=len(actors.sents) + actors.skipped > 1)
    sent_homes: dict[tuple[int, int], str | None] = {}  # one count per sentence, not per event
    out = []
    for e in events:
        if (e.start, e.end) not in sent_homes:
            sent_homes[(e.start, e.end)] = _home_country([m for m in actors.mentions if e.start <= m.start < e.end])
        sent_home = sent_homes[(e.start, e.end)]
        changed: dict[str, Actor | None] = {}
        for role in ("source", "target", "claimed_by"):
            a = getattr(e, role)
            if a is not None and a.country is None and a.igo is None and a.kind in {"person", "org", "group"}:
                # A person belongs to the country the article is about; a group to its sentence's.
                home = (doc_home or sent_home) if a.kind == "person" else (sent_home or doc_home)
                other = e.target if role == "source" else e.source
                if (home is not None and a.kind == "person" and e.event_type == "CONSULT" and other is not None
                        and other.country == home):
                    # A visitor or a host's guest is the one actor here who is NOT from the
                    # country the article is about: unknown beats that guess.
                    continue
                if home is not None and _foreign(a.name):
                    continue  # "expelled foreign aid agencies": whatever they are, not the home country's
                if (home is not None and role == "target" and e.source is not None and e.source.country == home
                        and e.event_type in SELF_DIRECTED_OPTIONAL
                        and (e.source.kind == "state" or e.event_type == "MOBILIZE")):
                    changed[role] = None  # "Ethiopia ... withdraw its troops": no one else is the target
                    continue
                if home is not None:
                    changed[role] = replace(a, country=home)
        out.append(replace(e, **changed, rule=e.rule + "+home") if changed else e)  # type: ignore[arg-type]
    return out


def _infer_host_countries(events: list[Event], actors: DocActors) -> list[Event]:
    """A person met during a visit, with no country of their own in the text, is the host's.

    "On a visit to Peru, Minister Ortiz met his counterpart, General Soto": the text never
    says Soto is Peruvian, but Ortiz is visiting Peru, so the host side is PER.
    """
    hosts = {e.source.country: e.target.country for e in events
             if e.event_type == "CONSULT" and e.mode == "visit" and e.source and e.target
             and e.source.country and e.target.country and e.source.country != e.target.country}
    if not hosts:
        return events
    changed: dict[str, Actor] = {}
    meeting = actors.dictionary.titles.meeting_verbs
    for e in events:
        t = e.target
        if (e.event_type == "CONSULT" and e.source and e.source.country in hosts and t is not None
                and t.country is None and t.igo is None and (e.trigger.lower() in meeting or e.mode is None
                                                              or t.kind in {"person", "org"})):
            host = hosts[e.source.country]
            known = actors.persons.get(t.canonical, t) if t.kind == "person" else t
            changed[t.canonical] = replace(known, country=host)  # a new record: the actor stage stays as it was
    if not changed:
        return events
    out = []
    for e in events:
        src, tgt = e.source, e.target
        hosted = (src is not None and src.canonical in changed) or (tgt is not None and tgt.canonical in changed)
        if src is not None and src.canonical in changed:
            src = replace(changed[src.canonical], name=src.name)
        if tgt is not None and tgt.canonical in changed:
            tgt = replace(changed[tgt.canonical], name=tgt.name)
        out.append(replace(e, source=src, target=tgt, rule=e.rule + "+host") if hosted else e)
    return out


def _foreign(name: str) -> bool:
    """ "foreign aid agencies", "international observers"; not "the foreign minister"."""
    words = name.lower().split()
    offices = {"minister", "ministers", "ministry", "secretary", "office", "affairs", "policy", "service"}
    return any(w in {"foreign", "international", "overseas"} and (i + 1 >= len(words) or words[i + 1] not in offices)
               for i, w in enumerate(words))
