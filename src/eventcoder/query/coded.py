"""Coded documents as tables without a database file: through an in-memory store.

`eventcoder code` writes the same export schema as `eventcoder events`, and the Ray runner
the same shards a local ingest would store: routing each batch through an in-memory DuckDB
with the same schema and view keeps one definition of both.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import pyarrow as pa

from ..records import CodedDocument, Rejected
from ..store import Store
from ..store.store import IngestSummary, _batches
from .table import events_table

_TABLES = ("event_documents", "events", "actors", "documents")


def export_tables(results: Iterable[CodedDocument | Rejected], summary: IngestSummary,
                  batch_size: int = 200) -> Iterator[pa.Table]:
    """One export table per batch of documents; ``summary`` counts documents and rejections."""
    with Store.open(":memory:") as store:
        for batch in _batches(results, batch_size):
            store.add_results(batch, summary, batch_size=len(batch))
            yield events_table(store)
            _clear(store)


def coded_tables(results: Iterable[CodedDocument | Rejected]) -> tuple[pa.Table, pa.Table, pa.Table, pa.Table]:
    """(documents, events in the export schema, actors, event links) for one batch of results:
    what a local ingest of the batch would store, as shards (see `store.shards`)."""
    with Store.open(":memory:") as store:
        store.add_results(results, IngestSummary(), batch_size=10**9)
        docs = store.arrow("SELECT * EXCLUDE (ingested_at) FROM documents ORDER BY doc_id")
        events = events_table(store)
        actors = store.arrow("SELECT a.*, d.content_hash FROM actors a JOIN documents d USING (doc_id) "
                             "ORDER BY a.doc_id, a.canonical")
        links = store.arrow("SELECT l.event_id, l.doc_id, d.content_hash FROM event_documents l "
                            "JOIN documents d USING (doc_id) ORDER BY l.doc_id, l.event_id")
    return docs, events, actors, links


def _clear(store: Store) -> None:
    for table in _TABLES:
        store.conn.execute(f"DELETE FROM {table}")  # constant table names
