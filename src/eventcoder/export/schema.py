"""The export schema: one fixed, versioned table shape for every export and query.

Column names and Arrow types never depend on the data: an all-empty column is still a
string or a date, so exports from two databases concatenate in pandas, polars or DuckDB.
Bump ``EXPORT_VERSION`` (and document it in the README) when a column changes meaning or
type; adding columns at the end is a minor bump.

Actors appear three times (``source_``, ``target_``, ``claimant_``) with the same eight
fields. ``*_name`` is the resolved name ("Benny Gantz" where the sentence says "he"),
``*_text`` the words in the sentence, ``*_id`` a readable canonical id (``ISR`` for a
state, ``ISR:benny-gantz`` for a person of it, ``NATO:nato`` for an organisation).

Fusion (1.1): ``fused_id`` groups the mentions of one happening across documents;
``is_representative`` marks the earliest mention, the row that stands for the fused event
in default (fused) queries; ``fused_*``, ``asserted_sources`` and ``claimed_sources`` count
its mentions, documents and independent sources.

Dates are real dates: ``event_date`` is the first day of the period the text gives and
``event_date_end`` its last day, with ``date_precision`` (day / month / year / unknown),
so "September 2021" is 2021-09-01..2021-09-30, not silently the 1st of September.
"""

from __future__ import annotations

import pyarrow as pa

EXPORT_VERSION = "1.1"
ACTOR_FIELDS = ("text", "name", "id", "country", "igo", "sector", "role", "kind")
ACTOR_PREFIXES = ("source", "target", "claimant")


def _actor_fields(prefix: str) -> list[pa.Field]:
    return [pa.field(f"{prefix}_{f}", pa.string()) for f in ACTOR_FIELDS]


EXPORT_SCHEMA = pa.schema(
    [
        pa.field("event_id", pa.string(), nullable=False),
        pa.field("doc_id", pa.string(), nullable=False),
        pa.field("event_type", pa.string(), nullable=False),
        pa.field("mode", pa.string()),
        pa.field("quad_class", pa.string()),
        pa.field("quad_code", pa.int8()),
        pa.field("context", pa.list_(pa.string())),
        *_actor_fields("source"),
        *_actor_fields("target"),
        pa.field("modality", pa.string(), nullable=False),
        *_actor_fields("claimant"),
        pa.field("event_date", pa.date32()),
        pa.field("event_date_end", pa.date32()),
        pa.field("date_precision", pa.string()),
        pa.field("location_name", pa.string()),
        pa.field("location_country", pa.string()),
        pa.field("trigger", pa.string()),
        pa.field("sentence", pa.string()),
        pa.field("start_char", pa.int32()),
        pa.field("end_char", pa.int32()),
        pa.field("confidence", pa.float64()),
        pa.field("rule", pa.string()),
        pa.field("coder_version", pa.string()),
        pa.field("mentions", pa.int32()),
        pa.field("doc_title", pa.string()),
        pa.field("doc_url", pa.string()),
        pa.field("doc_outlet", pa.string()),
        pa.field("doc_author", pa.string()),
        pa.field("doc_source", pa.string()),
        pa.field("doc_published", pa.date32()),
        # 1.1: fusion (one happening reported by several documents; see fusion.rules)
        pa.field("fused_id", pa.string()),
        pa.field("is_representative", pa.bool_()),
        pa.field("fused_mentions", pa.int32()),
        pa.field("fused_documents", pa.int32()),
        pa.field("fused_sources", pa.int32()),
        pa.field("asserted_sources", pa.int32()),
        pa.field("claimed_sources", pa.int32()),
        pa.field("first_reported", pa.date32()),
        pa.field("fused_confidence", pa.float64()),
    ],
    metadata={"eventcoder.export_version": EXPORT_VERSION},
)

COLUMNS = tuple(EXPORT_SCHEMA.names)


def conform(table: pa.Table) -> pa.Table:
    """Cast a table with the schema's columns to exactly its types (and order)."""
    return table.select(list(COLUMNS)).cast(EXPORT_SCHEMA)


def empty() -> pa.Table:
    return EXPORT_SCHEMA.empty_table()
