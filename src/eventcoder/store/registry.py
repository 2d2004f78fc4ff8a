"""The actor registry: what the corpus taught us about persons and organisations.

Every stored document adds *observations*: a resolved name, how the text wrote it, the
country, sector and role the text gave, the document's date and the evidence sentence.
They are recomputed from the stored actors after every ingest (``learn``), so the registry
always equals what the stored documents say. Users change it through *edits*, kept in
order and applied on top (``correct`` a country or role from a date on, ``merge`` two
entries, ``split`` a name off an entry, ``load`` a curated CSV, which takes precedence).

An entry becomes knowledge for later documents (`actors.registry.layer`) only when its
country is not in dispute: a name seen with two countries keeps both, with the evidence
of each, and resolves nothing until a user says which is right.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from ..errors import DataFileError, UsageError

if TYPE_CHECKING:
    from .store import Store


def registry_id(kind: str | None, name: str) -> str:
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return f"{kind or 'actor'}:" + re.sub(r"[^a-z0-9]+", "-", text).strip("-")


# The first sentence of each document that names each actor: the entry's evidence.
_EVIDENCE = """
    SELECT doc_id, canonical, arg_min(sentence, start_char) AS sentence FROM (
        SELECT l.doc_id, e.source_canonical AS canonical, e.sentence, e.start_char
        FROM events e JOIN event_documents l ON l.event_id = e.id
        UNION ALL
        SELECT l.doc_id, e.target_canonical, e.sentence, e.start_char
        FROM events e JOIN event_documents l ON l.event_id = e.id)
    WHERE canonical IS NOT NULL GROUP BY doc_id, canonical"""


_OBSERVATIONS = pa.schema([(c, pa.date32() if c == "seen" else pa.string()) for c in (
    "actor_id", "name", "surface", "kind", "country", "igo", "sector", "role", "seen", "doc_id", "sentence",
    "source")])


def learn(store: Store) -> int:
    """Recompute the learned observations from every stored document's actors."""
    conn = store.conn
    conn.execute("BEGIN TRANSACTION")
    try:
        conn.execute("DELETE FROM registry_observations WHERE source = 'learned'")
        rows = store.conn.execute(f"""
            SELECT a.kind, a.canonical, a.name, a.country, a.igo, a.sector, a.role,
                   try_cast(left(d.date, 10) AS DATE) AS seen, a.doc_id, ev.sentence
            FROM actors a JOIN documents d USING (doc_id)
            LEFT JOIN ({_EVIDENCE}) ev ON ev.doc_id = a.doc_id AND ev.canonical = a.canonical
            WHERE a.kind IN ('person', 'org', 'group') AND (a.country IS NOT NULL OR a.igo IS NOT NULL
                  OR a.role IS NOT NULL)
            ORDER BY a.doc_id, a.canonical, a.name, a.role""").fetchall()
        seen: set[tuple[Any, ...]] = set()
        batch: list[dict[str, Any]] = []
        for kind, canonical, name, country, igo, sector, role, day, doc_id, sentence in rows:
            key = (registry_id(kind, canonical), doc_id, name, role)
            if key in seen:
                continue
            seen.add(key)
            batch.append({"actor_id": key[0], "name": canonical, "surface": name, "kind": kind, "country": country,
                          "igo": igo, "sector": sector, "role": role, "seen": day, "doc_id": doc_id,
                          "sentence": sentence, "source": "learned"})
        if batch:
            store._append("registry_observations", pa.Table.from_pylist(batch, schema=_OBSERVATIONS))
        conn.execute("COMMIT")
    except Exception:
        conn.execute("ROLLBACK")
        raise
    return len(batch)


@dataclass
class Observation:
    name: str
    surface: str | None
    kind: str | None
    country: str | None
    igo: str | None
    sector: str | None
    role: str | None
    seen: dt.date | None
    doc_id: str
    sentence: str | None
    source: str
    end: dt.date | None = None


@dataclass
class Entry:
    """One registry entry with everything observed about it and the user's edits applied."""

    actor_id: str
    kind: str | None
    observations: list[Observation] = field(default_factory=list)
    corrected: bool = False

    @property
    def name(self) -> str:
        user = [o.name for o in self.observations if o.source == "user"]
        if user:
            return user[-1]
        counts: dict[str, int] = defaultdict(int)
        for o in self.observations:
            counts[o.name] += 1
        return max(sorted(counts), key=lambda n: counts[n])

    def countries(self) -> dict[str, list[str]]:
        """Country -> evidence documents; a user's correction replaces what was learned."""
        source = [o for o in self.observations if o.source == "user"] if self.corrected else self.observations
        out: dict[str, list[str]] = defaultdict(list)
        for o in source:
            if o.country:
                out[o.country].append(o.doc_id)
        return dict(out)

    def to_dict(self) -> dict[str, Any]:
        seen = [o.seen for o in self.observations if o.seen]
        roles = sorted({(o.role, o.country, o.seen.isoformat() if o.seen else None, o.source)
                        for o in self.observations if o.role}, key=lambda r: (r[2] or "", r[0] or ""))
        return {"actor_id": self.actor_id, "name": self.name, "kind": self.kind,
                "names": sorted({o.name for o in self.observations} | {o.surface for o in self.observations
                                                                       if o.surface}),
                "countries": self.countries(),
                "roles": [{"role": r, "country": c, "since": s, "source": src} for r, c, s, src in roles],
                "first_seen": min(seen).isoformat() if seen else None,
                "last_seen": max(seen).isoformat() if seen else None,
                "documents": len({o.doc_id for o in self.observations if o.source == "learned"}),
                "evidence": [{"doc_id": o.doc_id, "country": o.country, "role": o.role, "sentence": o.sentence}
                             for o in self.observations if o.source == "learned"][:5],
                "corrected": self.corrected, "disputed": len(self.countries()) > 1}


def entries(store: Store) -> dict[str, Entry]:
    """Every entry: learned observations, then the user's edits in the order they were made."""
    out: dict[str, Entry] = {}
    for r in store.arrow("SELECT * FROM registry_observations ORDER BY seen NULLS FIRST, doc_id, surface").to_pylist():
        e = out.setdefault(r["actor_id"], Entry(r["actor_id"], r["kind"]))
        e.observations.append(Observation(r["name"], r["surface"], r["kind"], r["country"], r["igo"], r["sector"],
                                          r["role"], r["seen"], r["doc_id"], r["sentence"], r["source"]))
    for edit in store.arrow('SELECT * FROM registry_edits ORDER BY n').to_pylist():
        _apply(out, edit)
    return out


def _apply(out: dict[str, Entry], edit: dict[str, Any]) -> None:
    action, target = edit["action"], edit["actor_id"]
    if action == "merge":
        other = out.pop(edit["other"], None)
        if other is not None and target in out:
            out[target].observations += other.observations
            out[target].corrected = out[target].corrected or other.corrected
        elif other is not None:
            other.actor_id = target
            out[target] = other
        return
    if action == "split":
        entry = out.get(target)
        if entry is None:
            return
        moved = [o for o in entry.observations if edit["other"] in {o.name, o.surface}]
        entry.observations = [o for o in entry.observations if o not in moved]
        new_id = f"{target}~{registry_id(None, edit['other']).split(':', 1)[1]}"
        out.setdefault(new_id, Entry(new_id, entry.kind)).observations += moved
        return
    entry = out.setdefault(target, Entry(target, edit["kind"]))
    entry.corrected = True
    name = edit["name"] or (entry.name if entry.observations else target.split(":", 1)[-1])
    surface = edit["other"] if action == "load" and edit["other"] else edit["name"]
    entry.observations.append(Observation(name, surface, edit["kind"] or entry.kind, edit["country"],
                                          edit["igo"], edit["sector"], edit["role"], edit["start"], "user-edit",
                                          None, "user", edit["end"]))


def _next_n(store: Store) -> int:
    row = store.one("SELECT coalesce(max(n), 0) + 1 FROM registry_edits")
    return int(row[0]) if row else 1


def edit(store: Store, action: str, actor_id: str, *, other: str | None = None, country: str | None = None,
         igo: str | None = None, sector: str | None = None, role: str | None = None, name: str | None = None,
         kind: str | None = None, start: dt.date | None = None, end: dt.date | None = None) -> None:
    """Record one edit; it applies on top of what was learned, now and after every re-learn."""
    known = entries(store)
    if action in {"correct", "merge", "split"} and actor_id not in known:
        raise UsageError(f"no registry entry {actor_id!r} (see `eventcoder registry list`)")
    if action == "merge" and (other is None or other not in known):
        raise UsageError(f"no registry entry {other!r} to merge into {actor_id!r}")
    if action == "split" and not any(other in {o.name, o.surface} for o in known[actor_id].observations):
        raise UsageError(f"{actor_id!r} has no name {other!r} to split off")
    store.conn.execute(
        'INSERT INTO registry_edits (n, action, actor_id, other, country, igo, sector, role, name, kind, start, "end") '
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [_next_n(store), action, actor_id, other, country, igo, sector, role, name, kind, start, end])


def load_file(store: Store, text: str, file_name: str) -> int:
    """A curated CSV (``name,aliases,country,igo,sector,role,start,end``, as office_holders.csv):
    each row becomes a user edit, which takes precedence over what was learned."""
    from ..actors.knowledge import ActorRow

    reader = csv.DictReader(io.StringIO(text))
    n = 0
    for row in reader:
        try:
            item = ActorRow.model_validate(row)
        except Exception as exc:  # noqa: BLE001 - pydantic's error, named by line
            raise DataFileError(f"{file_name}: line {reader.line_num}: {exc}") from None
        edit(store, "load", registry_id(item.kind, item.name), country=item.country, igo=item.igo,
             sector=item.sector, role=item.role, name=item.name, kind=item.kind, start=item.start, end=item.end)
        for alias in (item.aliases or "").split("|"):
            if alias.strip():
                edit(store, "load", registry_id(item.kind, item.name), name=item.name, other=alias.strip(),
                     kind=item.kind, country=item.country, role=item.role, sector=item.sector, start=item.start,
                     end=item.end)
        n += 1
    return n
