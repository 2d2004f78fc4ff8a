"""The registry as a knowledge layer: names the corpus taught us, for the documents after.

A registry entry (`store.registry`) becomes a `KnownActor` with dated roles: each role the
texts gave holds from the first document that gave it until the next different role was
first seen ("a later article's role wins from its date on"); a user's correction or loaded
row holds from its own start date. Its keys are the resolved name, the names as written
(when they are names: capitalised, not a title alone) and, for persons, the surname. A key
two entries of different countries share is dropped, and an entry whose country is in
dispute gives no key at all: unknown beats wrong.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from ..store.registry import Entry
from .knowledge import COMMON_SINGLE, TITLE_WORDS, KnownActor, Role, normalise

PRONOUNS = frozenset({"he", "she", "they", "it", "him", "her", "his", "its", "their", "them"})


def _roles(entry: Entry) -> tuple[Role, ...]:
    user = [o for o in entry.observations if o.source == "user"]
    if entry.corrected:
        countries = {o.country for o in user if o.country}
        base = [o for o in entry.observations if o.source == "learned" and (not countries or o.country in countries)]
    else:
        base = list(entry.observations)
    learned = sorted((o for o in base if o.source == "learned"), key=lambda o: o.seen or dt.date.min)
    roles: list[Role] = []
    firsts: list[tuple[dt.date | None, str | None, str | None, str | None, str | None]] = []
    for o in learned:
        key = (o.country, o.igo, o.sector, o.role)
        if not firsts or firsts[-1][1:] != key:
            firsts.append((o.seen, *key))
    for i, (start, country, igo, sector, role) in enumerate(firsts):
        nxt = firsts[i + 1][0] if i + 1 < len(firsts) else None
        end = nxt - dt.timedelta(days=1) if nxt and start and nxt > start else None
        roles.append(Role(country, igo, sector, role, start, end))
    for o in user:
        roles.append(Role(o.country, o.igo, o.sector, o.role, o.seen, o.end))
    return tuple(roles)


def _keys(entry: Entry) -> set[str]:
    names = {o.name for o in entry.observations} | {o.surface for o in entry.observations if o.surface}
    keys: set[str] = set()
    for n in names:
        words = n.split()
        if not words or not n[:1].isupper() or n.lower() in PRONOUNS:
            continue
        if all(w.lower().strip(".,") in TITLE_WORDS for w in words):
            continue  # "Minister", "the President": a title is no name
        keys.add(normalise(n))
        if entry.kind == "person" and len(words) > 1:
            surname = words[-1]
            if surname[:1].isupper() and surname.lower() not in TITLE_WORDS:
                keys.add(normalise(surname))
    return {k for k in keys if len(k) > 2 and k not in COMMON_SINGLE}


def layer(entries: dict[str, Entry]) -> dict[str, KnownActor]:
    """Normalised name -> KnownActor for every entry that may resolve names."""
    candidates: dict[str, list[tuple[KnownActor, frozenset[str]]]] = defaultdict(list)
    for entry in entries.values():
        countries = entry.countries()
        if len(countries) > 1 or entry.kind not in {"person", "org", "group"}:
            continue  # in dispute (or not an actor we resolve by name): no guess
        roles = _roles(entry)
        if not roles:
            continue
        actor = KnownActor(entry.name, entry.kind or "person", roles, "registry")
        for key in _keys(entry):
            candidates[key].append((actor, frozenset(countries)))
    out: dict[str, KnownActor] = {}
    for key, found in candidates.items():
        if len({a.name for a, _ in found}) == 1:  # two actors behind one key: unknown beats wrong
            out[key] = found[0][0]
    return out
