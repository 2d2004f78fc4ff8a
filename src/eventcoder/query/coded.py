"""Coded documents as export tables without a database file: through an in-memory store.

`eventcoder code` writes the same export schema as `eventcoder events`; routing each batch
through an in-memory DuckDB with the same schema and view keeps one definition of it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import pyarrow as pa

from ..records import CodedDocument, Rejected
from ..store import Store
from ..store.store import IngestSummary, _batches
from .table import events_table


def export_tables(results: Iterable[CodedDocument | Rejected], summary: IngestSummary,
                  batch_size: int = 200) -> Iterator[pa.Table]:
    """One export table per batch of documents; ``summary`` counts documents and rejections."""
    with Store.open(":memory:") as store:
        for batch in _batches(results, batch_size):
            store.add_results(batch, summary, batch_size=len(batch))
            yield events_table(store)
            for table in ("event_documents", "events", "actors", "documents"):
                store.conn.execute(f"DELETE FROM {table}")  # constant table names
