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
                   wait: float = 60.0) -> IngestSummary:
    """Store a stream of results, opening the database only to write each batch (see module doc)."""
    summary = IngestSummary()
    with Store.open(path, wait=wait):
        pass  # migrate once, before coding starts; an empty run still leaves a database behind
    for batch in _batches(results, batch_size):
        with Store.open(path, wait=wait, migrate=False) as store:
            store._write_batch(batch, summary)
    return summary


def _batches(results: Iterable[CodedDocument | Rejected], size: int) -> Iterator[list[CodedDocument | Rejected]]:
    batch: list[CodedDocument | Rejected] = []
    for r in results:
        batch.append(r)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _actor_cols(a: Actor | None) -> list[Any]:
    if a is None:
        return [None] * 7
    return [a.name, a.canonical, a.country, a.igo, a.sector, a.role, a.kind]


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

    def _write_batch(self, batch: Sequence[CodedDocument | Rejected], summary: IngestSummary) -> None:
        self.conn.execute("BEGIN TRANSACTION")
        try:
            for r in batch:
                summary.documents += 1
                if isinstance(r, Rejected):
                    self._write_rejected(r, summary)
                else:
                    self._write_coded(r, summary)
            self.conn.execute("COMMIT")
        except Exception:
            self.conn.execute("ROLLBACK")
            raise

    def _write_rejected(self, r: Rejected, summary: IngestSummary) -> None:
        status = r.status.value
        summary.reject(r)
        existing = self.conn.execute("SELECT status FROM documents WHERE doc_id = ?", [r.doc_id]).fetchone()
        if existing and existing[0] == "ok":
            return  # never replace a stored document by a failed re-read of it
        self.conn.execute("DELETE FROM documents WHERE doc_id = ?", [r.doc_id])
        self.conn.execute(
            "INSERT INTO documents (doc_id, source, status, reason, detail) VALUES (?, ?, ?, ?, ?)",
            [r.doc_id, r.source, status, r.reason, r.detail])

    def _write_coded(self, coded: CodedDocument, summary: IngestSummary) -> None:
        d = coded.document
        version = coded.events[0].coder_version if coded.events else None
        row = self.conn.execute("SELECT content_hash, status, coder_version FROM documents WHERE doc_id = ?",
                                [d.id]).fetchone()
        if row and row[1] == "ok":
            if row[0] == d.content_hash:
                summary.unchanged += 1
                return
            # Same id, different text: keep what is stored, report the clash.
            summary.reject(Rejected(d.id, d.source or "", "duplicate",
                                    "another document with this id and different text is already stored"))
            return
        self.conn.execute("DELETE FROM documents WHERE doc_id = ?", [d.id])
        self.conn.execute(
            "INSERT INTO documents (doc_id, content_hash, title, date, url, author, source, text, status, "
            "coder_version, n_events) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'ok', ?, ?)",
            [d.id, d.content_hash, d.title, d.date, d.url, d.author, d.source, d.text, version,
             len(coded.events)])
        for e in coded.events:
            self._write_event(e)
        self.conn.execute("DELETE FROM actors WHERE doc_id = ?", [d.id])
        counts: dict[tuple[str, str | None], list[Any]] = {}
        for m in coded.mentions:
            a = m.actor
            key = (a.canonical, a.role)
            if key in counts:
                counts[key][-2] += 1
            else:
                counts[key] = [d.id, a.name if a.kind != "state" or a.role else a.canonical, a.canonical, a.country,
                               a.igo, a.sector, a.role, a.kind, 1, version]
        if counts:
            self.conn.executemany("INSERT INTO actors VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", list(counts.values()))
        summary.ok += 1
        summary.events += len(coded.events)

    def _write_event(self, e: Event) -> None:
        self.conn.execute(
            "INSERT INTO event_documents VALUES (?, ?) ON CONFLICT DO NOTHING", [e.id, e.doc_id])
        if self.conn.execute("SELECT 1 FROM events WHERE id = ?", [e.id]).fetchone():
            return  # the same event from the same text: stored once, linked to every document
        values = [
            e.id, e.doc_id, e.event_type, e.mode, json.dumps(list(e.context)), e.quad_class,
            *_actor_cols(e.source), *_actor_cols(e.target), e.modality.value,
            json.dumps(e.claimed_by.to_dict()) if e.claimed_by else None, e.date, e.date_precision,
            json.dumps(e.location.to_dict()) if e.location else None, e.sentence, e.start, e.end, e.trigger,
            e.confidence, e.rule, e.coder_version,
        ]
        placeholders = ", ".join("?" * len(values))
        self.conn.execute(f"INSERT INTO events ({EVENT_COLUMNS}) VALUES ({placeholders})", values)

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
