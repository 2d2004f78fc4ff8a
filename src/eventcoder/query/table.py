"""The stored events as the export table: one SELECT that every query and export starts from.

The store keeps what the coder produced (partial ISO dates as text, actor objects as
columns, claimant and location as JSON); this view turns it into the typed export schema
(`export.schema`) with the document's metadata joined on. Summaries, the arms register
and the web pages all filter this one view, so a number on a page and the rows behind it
always agree.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pyarrow as pa

from ..codebook import Codebook
from ..export.schema import conform
from ..store import Store
from .filters import EventQuery, check_limit

_PERIOD_START = """CASE length({c})
    WHEN 10 THEN try_cast({c} AS DATE)
    WHEN 7 THEN try_cast({c} || '-01' AS DATE)
    WHEN 4 THEN try_cast({c} || '-01-01' AS DATE) END"""
_SLUG = "trim(regexp_replace(strip_accents(lower({c})), '[^a-z0-9]+', '-', 'g'), '-')"


def _actor_id(code: str, canonical: str, kind: str) -> str:
    """A readable id: the state's code for a state itself (also "Baku" acting for Azerbaijan),
    else code:slug-of-name."""
    return (f"CASE WHEN {canonical} IS NULL THEN NULL "
            f"WHEN {kind} = 'state' AND {code} IS NOT NULL THEN {code} "
            f"ELSE coalesce({code}, 'UNK') || ':' || {_SLUG.format(c=canonical)} END")


def _stored_actor(prefix: str) -> list[str]:
    cols = {f: f"e.{prefix}_{f}" for f in ("name", "canonical", "country", "igo", "sector", "role", "kind")}
    code = f"coalesce({cols['country']}, {cols['igo']})"
    return [
        f"{cols['name']} AS {prefix}_text",
        f"{cols['canonical']} AS {prefix}_name",
        f"{_actor_id(code, cols['canonical'], cols['kind'])} AS {prefix}_id",
        *(f"{cols[f]} AS {prefix}_{f}" for f in ("country", "igo", "sector", "role", "kind")),
    ]


def _claimant() -> list[str]:
    def j(f: str) -> str:
        return f"json_extract_string(e.claimed_by, '$.{f}')"

    code = f"coalesce({j('country')}, {j('igo')})"
    return [
        f"{j('name')} AS claimant_text",
        f"{j('canonical')} AS claimant_name",
        f"{_actor_id(code, j('canonical'), j('kind'))} AS claimant_id",
        *(f"{j(f)} AS claimant_{f}" for f in ("country", "igo", "sector", "role", "kind")),
    ]


def _quad_code() -> str:
    cases = " ".join(f"WHEN '{q}' THEN {n}" for q, n in Codebook.load().quad_code.items())  # codebook constants
    return f"CASE e.quad_class {cases} END"


def _select() -> str:
    start = _PERIOD_START.format(c="e.date")
    end = (f"CASE WHEN e.date_precision = 'week' THEN {start} + 6 WHEN length(e.date) = 10 THEN {start} "
           f"WHEN length(e.date) = 7 THEN last_day({start}) "
           f"WHEN length(e.date) = 4 THEN try_cast(e.date || '-12-31' AS DATE) END")
    outlet = ("CASE WHEN d.url IS NOT NULL THEN regexp_replace(regexp_extract(d.url, '^[a-zA-Z]+://([^/:?#]+)', 1), "
              "'^www\\.', '') WHEN d.source IS NULL OR regexp_matches(d.source, '[/\\\\]|:[0-9]+$|^-$|^stdin') "
              "THEN NULL ELSE d.source END")
    columns = [
        "e.id AS event_id", "e.doc_id", "e.event_type", "e.mode", "e.quad_class", f"{_quad_code()} AS quad_code",
        "coalesce(json_transform(e.context, '[\"VARCHAR\"]'), []::VARCHAR[]) AS context",
        *_stored_actor("source"), *_stored_actor("target"),
        "e.modality", *_claimant(),
        f"{start} AS event_date", f"{end} AS event_date_end",
        "coalesce(e.date_precision, 'unknown') AS date_precision",
        "json_extract_string(e.location, '$.name') AS location_name",
        "json_extract_string(e.location, '$.country') AS location_country",
        "e.trigger", "e.sentence", "e.start_char", "e.end_char", "e.confidence", "e.rule", "e.coder_version",
        "(SELECT count(*) FROM event_documents ed WHERE ed.event_id = e.id) AS mentions",
        "d.title AS doc_title", "d.url AS doc_url", f"{outlet} AS doc_outlet", "d.author AS doc_author",
        "d.source AS doc_source", "try_cast(left(d.date, 10) AS DATE) AS doc_published",
        "f.fused_id", "(f.fused_id IS NULL OR f.representative = e.id) AS is_representative",
        "coalesce(f.mentions, 1) AS fused_mentions", "coalesce(f.documents, 1) AS fused_documents",
        "coalesce(f.sources, 1) AS fused_sources",
        "coalesce(f.asserted_sources, (e.modality = 'asserted')::INTEGER) AS asserted_sources",
        "coalesce(f.claimed_sources, (e.modality = 'claimed')::INTEGER) AS claimed_sources",
        "coalesce(f.first_reported, try_cast(left(d.date, 10) AS DATE)) AS first_reported",
        "coalesce(f.confidence, e.confidence) AS fused_confidence",
    ]
    return ("SELECT " + ",\n  ".join(columns) + "\nFROM events e LEFT JOIN documents d ON d.doc_id = e.doc_id"
            "\nLEFT JOIN fused_members fm ON fm.event_id = e.id LEFT JOIN fused_events f ON f.fused_id = fm.fused_id")


EXPORT_SELECT = _select()


def filtered(query: EventQuery, alias: str = "x") -> tuple[str, list[Any]]:
    """SQL for the filtered export rows (a subquery named ``alias``), with its parameters."""
    where, params = query.where()
    return f"(SELECT * FROM ({EXPORT_SELECT}) {where}) {alias}", params


def events_table(store: Store, query: EventQuery | None = None, limit: int | None = None, offset: int = 0,
                 max_limit: int | None = None) -> pa.Table:
    """Events in the export schema, filtered and ordered, one page at a time when ``limit`` is given."""
    query = query or EventQuery()
    check_limit(limit, offset, max_limit)
    source, params = filtered(query)
    sql = f"SELECT * FROM {source}{query.order_by()}"
    if limit is not None:
        sql += " LIMIT ? OFFSET ?"
        params += [limit, offset]
    return conform(arrow(store, sql, params))


def count(store: Store, query: EventQuery | None = None) -> int:
    source, params = filtered(query or EventQuery())
    row = store.one(f"SELECT count(*) FROM {source}", params)
    return int(row[0]) if row else 0


def arrow(store: Store, sql: str, params: Sequence[Any] = ()) -> pa.Table:
    """Run a parameterised query straight into Arrow (no Python rows in between)."""
    return store.arrow(sql, params)
