"""The one class that owns the DuckDB file: connection, transactions, migrations, queries.

DuckDB's model is one process with the file open for writing, or any number of
processes with it open read-only, never both at once. eventcoder lives with it so:

- `ingest` (`ingest_results`) codes documents without holding the file and opens it
  only to write a batch: one transaction per batch (default 50 documents), then closes
  it. A killed ingest keeps every committed batch; the rerun skips those documents as
  unchanged and goes on, so the end state equals an uninterrupted run.
- readers (CLI queries, the web server) open read-only for the length of one query,
  and both sides wait (``wait`` seconds, with backoff) for the other's lock to clear
  instead of failing at once.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from ..errors import StoreError
from ..records import Actor, CodedDocument, Event, Rejected
from . import migrations

EVENT_COLUMNS = (
    "id, doc_id, event_type, mode, context, quad_class, source_name, source_canonical, source_country, "
    "source_igo, source_sector, source_role, source_kind, target_name, target_canonical, target_country, "
    "target_igo, target_sector, target_role, target_kind, modality, claimed_by, date, date_precision, "
    "location, sentence, start_char, end_char, trigger, confidence, rule, coder_version"
)


@dataclass
class IngestSummary:
    documents: int = 0
    ok: int = 0
    unchanged: int = 0
    skipped: int = 0
    errors: int = 0
    events: int = 0
    reasons: dict[str, int] = field(default_factory=dict)
    rejected: list[Rejected] = field(default_factory=list)  # the first MAX_KEPT_REJECTIONS, for the report
    store_seconds: float = 0.0  # time spent opening the database and writing batches (for the benchmark)
    fusion_seconds: float = 0.0  # time spent recomputing fused events at the end
    fusion: dict[str, int] = field(default_factory=dict)

    def reject(self, r: Rejected) -> None:
        if r.status.value == "skipped":
            self.skipped += 1
        else:
            self.errors += 1
        self.reasons[r.reason] = self.reasons.get(r.reason, 0) + 1
        if len(self.rejected) < MAX_KEPT_REJECTIONS:
            self.rejected.append(r)


MAX_KEPT_REJECTIONS = 1000  # every rejection is stored in the database; the summary keeps a sample


def ingest_results(path: str | Path, results: Iterable[CodedDocument | Rejected], batch_size: int = 50,
                   wait: float = 60.0, replace: bool = False, min_seconds: float = 5.0) -> IngestSummary:
    """Store a stream of results, opening the database only to write each batch (see module doc).

    A batch holds at least ``batch_size`` results and is written no sooner than
    ``min_seconds`` after the previous one (at most 20 × ``batch_size`` results): readers get
    the file between writes, and a fast run does not pay for opening and checkpointing the
    database every few hundred milliseconds.

    ``replace`` re-stores coded documents already stored with the same text (`recode`): their
    old events, links and actors go, the new ones come in.
    """
    summary = IngestSummary()
    with Store.open(path, wait=wait):
        pass  # migrate once, before coding starts; an empty run still leaves a database behind
    for batch in _batches(results, batch_size, min_seconds, 20 * batch_size):
        started = time.perf_counter()
        with Store.open(path, wait=wait, migrate=False) as store:
            store._write_batch(batch, summary, replace)
        summary.store_seconds += time.perf_counter() - started
    if summary.ok:
        started = time.perf_counter()
        with Store.open(path, wait=wait, migrate=False) as store:
            summary.fusion = store.refresh_fusion()
            store.learn_registry()
        summary.fusion_seconds = time.perf_counter() - started
    return summary


def _batches(results: Iterable[CodedDocument | Rejected], size: int, min_seconds: float = 0.0,
             max_size: int | None = None) -> Iterator[list[CodedDocument | Rejected]]:
    batch: list[CodedDocument | Rejected] = []
    last = time.monotonic()
    for r in results:
        batch.append(r)
        if len(batch) >= size and (time.monotonic() - last >= min_seconds or len(batch) >= (max_size or size)):
            yield batch
            batch = []
            last = time.monotonic()
    if batch:
        yield batch


def _actor_cols(a: Actor | None) -> list[Any]:
    if a is None:
        return [None] * 7
    return [a.name, a.canonical, a.country, a.igo, a.sector, a.role, a.kind]


_DOC_SCHEMA = pa.schema([(c, pa.string()) for c in (
    "doc_id", "content_hash", "title", "date", "url", "author", "source", "text", "status", "reason", "detail",
    "coder_version")] + [("n_events", pa.int32())])
_ACTOR_SCHEMA = pa.schema([(c, pa.string()) for c in (
    "doc_id", "name", "canonical", "country", "igo", "sector", "role", "kind")]
    + [("mentions", pa.int32()), ("coder_version", pa.string())])
_EVENT_SCHEMA = pa.schema([
    (c, pa.int32() if c in {"start_char", "end_char"} else pa.float64() if c == "confidence" else pa.string())
    for c in EVENT_COLUMNS.replace(" ", "").split(",")])


class _BatchPlan:
    """What a batch will write, decided result by result against what is stored and what the
    batch itself wrote before (the same id twice in one batch behaves as in two batches)."""

    def __init__(self, stored: dict[str, tuple[str, str | None]], replace: bool = False) -> None:
        self.state = dict(stored)
        self.replace = replace
        self.documents: dict[str, dict[str, Any]] = {}
        self.actors: dict[str, list[dict[str, Any]]] = {}
        self.events: dict[str, dict[str, Any]] = {}
        self.links: list[tuple[str, str]] = []

    def add(self, r: CodedDocument | Rejected, summary: IngestSummary) -> None:
        if isinstance(r, Rejected):
            summary.reject(r)
            if self.state.get(r.doc_id, ("",))[0] == "ok":
                return  # never replace a stored document by a failed re-read of it
            self.actors.pop(r.doc_id, None)  # a coded copy earlier in this batch loses its actors
            self.documents[r.doc_id] = {"doc_id": r.doc_id, "source": r.source, "status": r.status.value,
                                        "reason": r.reason, "detail": r.detail}
            self.state[r.doc_id] = (r.status.value, None)
            return
        d = r.document
        status, stored_hash = self.state.get(d.id, ("", None))
        if status == "ok" and self.replace and stored_hash == d.content_hash and d.id not in self.documents:
            status = "replace"
        if status == "ok":
            if stored_hash == d.content_hash:
                summary.unchanged += 1
            else:  # same id, different text: keep what is stored, report the clash
                summary.reject(Rejected(d.id, d.source or "", "duplicate",
                                        "another document with this id and different text is already stored"))
            return
        version = r.events[0].coder_version if r.events else None
        self.documents[d.id] = {"doc_id": d.id, "content_hash": d.content_hash, "title": d.title, "date": d.date,
                                "url": d.url, "author": d.author, "source": d.source, "text": d.text,
                                "status": "ok", "coder_version": version, "n_events": len(r.events)}
        self.state[d.id] = ("ok", d.content_hash)
        for e in r.events:
            self.links.append((e.id, e.doc_id))
            self.events.setdefault(e.id, _event_row(e))
        self.actors[d.id] = _actor_rows(r, version)
        summary.ok += 1
        summary.events += len(r.events)


def _event_row(e: Event) -> dict[str, Any]:
    values = [
        e.id, e.doc_id, e.event_type, e.mode, json.dumps(list(e.context)), e.quad_class,
        *_actor_cols(e.source), *_actor_cols(e.target), e.modality.value,
        json.dumps(e.claimed_by.to_dict()) if e.claimed_by else None, e.date, e.date_precision,
        json.dumps(e.location.to_dict()) if e.location else None, e.sentence, e.start, e.end, e.trigger,
        e.confidence, e.rule, e.coder_version,
    ]
    return dict(zip(_EVENT_SCHEMA.names, values, strict=True))


def _actor_rows(coded: CodedDocument, version: str | None) -> list[dict[str, Any]]:
    """One row per (actor, role) in the document with its mention count."""
    counts: dict[tuple[str, str | None], dict[str, Any]] = {}
    for m in coded.mentions:
        a = m.actor
        key = (a.canonical, a.role)
        if key in counts:
            counts[key]["mentions"] += 1
        else:
            counts[key] = {"doc_id": coded.document.id, "name": a.name if a.kind != "state" or a.role else a.canonical,
                           "canonical": a.canonical, "country": a.country, "igo": a.igo, "sector": a.sector,
                           "role": a.role, "kind": a.kind, "mentions": 1, "coder_version": version}
    return list(counts.values())


class Store:
    """``Store.open(path)`` connects and migrates; methods are typed and parameterised."""

    def __init__(self, conn: duckdb.DuckDBPyConnection, path: str, read_only: bool) -> None:
        self.conn = conn
        self.path = path
        self.read_only = read_only

    @classmethod
    def open(cls, path: str | Path, read_only: bool = False, wait: float = 30.0, migrate: bool = True) -> Store:
        """Connect (and migrate, when writing); wait up to ``wait`` s for another process's lock."""
        path = str(path)
        if read_only and path != ":memory:" and not Path(path).exists():
            raise StoreError(f"{path}: no such database (run `eventcoder ingest` first)")
        deadline = time.monotonic() + wait
        delay = 0.05
        while True:
            try:
                conn = duckdb.connect(path, read_only=read_only)
                break
            except duckdb.Error as exc:
                locked = "lock" in str(exc).lower()
                if locked and time.monotonic() + delay < deadline:
                    time.sleep(delay)
                    delay = min(delay * 2, 1.0)
                    continue
                hint = f" (another process held it for more than {wait:g} s)" if locked else ""
                raise StoreError(f"cannot open {path}: {exc}{hint}") from None
        if migrate and not read_only:
            migrations.apply(conn)
        return cls(conn, path, read_only)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- writing ----------------------------------------------------------------------------

    def add_results(self, results: Iterable[CodedDocument | Rejected], summary: IngestSummary | None = None,
                    batch_size: int = 50) -> IngestSummary:
        """Store coded documents and rejections; a batch is one transaction."""
        summary = summary or IngestSummary()
        for batch in _batches(results, batch_size):
            self._write_batch(batch, summary)
        return summary

    def _write_batch(self, batch: Sequence[CodedDocument | Rejected], summary: IngestSummary,
                     replace: bool = False) -> None:
        """One transaction per batch, written as Arrow tables (a few set-based statements, not
        a SELECT and an INSERT per row): DuckDB is a columnar engine and fastest at bulk appends.

        Decisions are made in order, as if each result were written alone: a rejection never
        replaces a stored ``ok`` document, the same id with other text is reported as a
        duplicate, the same event (same text) is stored once and linked to every document.
        """
        plan = _BatchPlan(self._stored_state([r.doc_id if isinstance(r, Rejected) else r.document.id
                                              for r in batch]), replace)
        for r in batch:
            summary.documents += 1
            plan.add(r, summary)
        self.conn.execute("BEGIN TRANSACTION")
        try:
            self._apply(plan)
            self.conn.execute("COMMIT")
        except Exception:
            self.conn.execute("ROLLBACK")
            raise

    def _stored_state(self, doc_ids: list[str]) -> dict[str, tuple[str, str | None]]:
        """(status, content hash) of the batch's documents already stored."""
        if not doc_ids:
            return {}
        rows = self.arrow("SELECT doc_id, status, content_hash FROM documents WHERE doc_id IN "
                          "(SELECT unnest(?::VARCHAR[]))", [list(dict.fromkeys(doc_ids))]).to_pylist()
        return {r["doc_id"]: (r["status"], r["content_hash"]) for r in rows}

    def _apply(self, plan: _BatchPlan) -> None:
        docs = list(plan.documents.values())
        if not docs:
            return
        ids = [d["doc_id"] for d in docs]
        if plan.replace:  # recoding: the documents' old events and links go first
            self.conn.execute("DELETE FROM event_documents WHERE doc_id IN (SELECT unnest(?::VARCHAR[]))", [ids])
            self.conn.execute("DELETE FROM events WHERE id NOT IN (SELECT event_id FROM event_documents)")
        self.conn.execute("DELETE FROM documents WHERE doc_id IN (SELECT unnest(?::VARCHAR[]))", [ids])
        self._append("documents", pa.Table.from_pylist(docs, schema=_DOC_SCHEMA))
        written = list(plan.actors)
        if written:
            self.conn.execute("DELETE FROM actors WHERE doc_id IN (SELECT unnest(?::VARCHAR[]))", [written])
        actor_rows = [row for rows in plan.actors.values() for row in rows]
        if actor_rows:
            self._append("actors", pa.Table.from_pylist(actor_rows, schema=_ACTOR_SCHEMA))
        if plan.links:
            links = pa.table({"event_id": [e for e, _ in plan.links], "doc_id": [d for _, d in plan.links]})
            self.conn.register("_batch_links", links)
            try:
                self.conn.execute("INSERT OR IGNORE INTO event_documents SELECT DISTINCT event_id, doc_id "
                                  "FROM _batch_links")
            finally:
                self.conn.unregister("_batch_links")
        if plan.events:
            events = pa.Table.from_pylist(list(plan.events.values()), schema=_EVENT_SCHEMA)
            self.conn.register("_batch_events", events)
            try:
                self.conn.execute(f"INSERT INTO events ({EVENT_COLUMNS}) SELECT {EVENT_COLUMNS} FROM _batch_events "
                                  "WHERE id NOT IN (SELECT id FROM events)")  # anti-join: stored once
            finally:
                self.conn.unregister("_batch_events")

    def _append(self, table: str, rows: pa.Table) -> None:
        name = f"_batch_{table}"
        self.conn.register(name, rows)
        try:
            cols = ", ".join(rows.column_names)
            self.conn.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM {name}")  # constant names
        finally:
            self.conn.unregister(name)

    def replace_fusion(self, fused: pa.Table, members: pa.Table) -> None:
        """Swap in a recomputed set of fused events, in one transaction."""
        self.conn.execute("BEGIN TRANSACTION")
        try:
            self.conn.execute("DELETE FROM fused_members")
            self.conn.execute("DELETE FROM fused_events")
            self._append("fused_events", fused)
            self._append("fused_members", members)
            self.conn.execute("COMMIT")
        except Exception:
            self.conn.execute("ROLLBACK")
            raise

    def learn_registry(self) -> int:
        """Recompute the registry's learned observations from the stored actors."""
        from .registry import learn

        return learn(self)

    def registry_layer(self) -> dict[str, Any]:
        """The registry as named actors for the coder (`actors.registry.layer`)."""
        from ..actors.registry import layer
        from .registry import entries

        return layer(entries(self))

    def refresh_fusion(self) -> dict[str, int]:
        """Recompute fused events from every stored event (see `fusion.rules`)."""
        from ..fusion.refresh import refresh

        return refresh(self)

    def load_shards(self, root: str) -> dict[str, int]:
        """Load Parquet shards (documents, events, actors, links) with a local ingest's rules."""
        from . import shards

        counts = shards.load(self, root)
        counts["fused"] = self.refresh_fusion()["fused"]
        self.learn_registry()
        return counts

    # ---- reading ----------------------------------------------------------------------------

    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        cur = self.conn.execute(sql, list(params))
        names = [c[0] for c in cur.description or []]
        return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]

    def arrow(self, sql: str, params: Sequence[Any] = ()) -> pa.Table:
        """A parameterised read straight into Arrow, on its own cursor (never blocked by an
        unfinished result of another read on this connection)."""
        cur = self.conn.cursor()
        try:
            return cur.sql(sql, params=list(params)).to_arrow_table()
        finally:
            cur.close()

    def one(self, sql: str, params: Sequence[Any] = ()) -> tuple[Any, ...] | None:
        cur = self.conn.cursor()
        try:
            return cur.execute(sql, list(params)).fetchone()
        finally:
            cur.close()

    def actors(self, doc_id: str | None = None, limit: int | None = None, offset: int = 0
               ) -> list[dict[str, Any]]:
        params: list[Any] = []
        where = ""
        if doc_id is not None:
            where, params = " WHERE doc_id = ?", [doc_id]
        sql = ("SELECT name, canonical, country, igo, sector, role, kind, sum(mentions) AS mentions, "
               f"count(DISTINCT doc_id) AS documents FROM actors{where} "
               "GROUP BY name, canonical, country, igo, sector, role, kind ORDER BY mentions DESC, canonical")
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            params += [limit, offset]
        return self._rows(sql, params)

    def document(self, doc_id: str) -> dict[str, Any] | None:
        rows = self._rows("SELECT * EXCLUDE (ingested_at) FROM documents WHERE doc_id = ?", [doc_id])
        if not rows:
            return None
        doc = rows[0]
        doc["actors"] = self.actors(doc_id=doc_id)
        return doc

    def documents(self, status: str | None = None) -> list[dict[str, Any]]:
        if status is None:
            return self._rows("SELECT doc_id, status, reason, detail, title, date, source, n_events FROM documents "
                              "ORDER BY doc_id")
        return self._rows("SELECT doc_id, status, reason, detail, title, date, source, n_events FROM documents "
                          "WHERE status = ? ORDER BY doc_id", [status])

    def counts(self) -> dict[str, int]:
        out = {}
        for table in ("documents", "events", "actors"):
            row = self.conn.execute(f"SELECT count(*) FROM {table}").fetchone()  # table names are constants
            out[table] = int(row[0]) if row else 0
        return out
