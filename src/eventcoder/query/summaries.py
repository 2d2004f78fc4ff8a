"""Counts over the filtered export table: overview, timelines, dyads, top actors, profiles.

Every function takes the same validated `EventQuery` as the event list, so a count on the
dashboard and the rows it links to come from the same WHERE clause. Results are Arrow
tables (``.to_pandas()`` for a DataFrame); actors are keyed by the export's ``*_id``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pyarrow as pa

from ..errors import UsageError
from ..store import Store
from .filters import EventQuery, actor_code, check_limit, iso3_codes
from .table import arrow, filtered


def _run(store: Store, query: EventQuery | None, select: str, tail: str = "", params: list[Any] | None = None
         ) -> pa.Table:
    source, where_params = filtered(query or EventQuery())
    return arrow(store, f"SELECT {select} FROM {source} {tail}", where_params + (params or []))


def timeline(store: Store, query: EventQuery | None = None) -> pa.Table:
    """Events per month and quad class (month as 'YYYY-MM'); undated events are left out."""
    return _run(store, query, "strftime(event_date, '%Y-%m') AS month, quad_class, count(*)::BIGINT AS n",
                "WHERE event_date IS NOT NULL GROUP BY ALL ORDER BY month, quad_class")


def type_mix(store: Store, query: EventQuery | None = None) -> pa.Table:
    return _run(store, query, "event_type, quad_class, count(*)::BIGINT AS n",
                "GROUP BY ALL ORDER BY n DESC, event_type")


def country_counts(store: Store, query: EventQuery | None = None) -> pa.Table:
    """Events per country on either side (an event between two countries counts for both)."""
    source, params = filtered(query or EventQuery())
    sql = (f"SELECT country, count(DISTINCT event_id)::BIGINT AS n FROM ("
           f"SELECT event_id, source_country AS country FROM {source} UNION ALL "
           f"SELECT event_id, target_country FROM {filtered(query or EventQuery(), 'y')[0]}) "
           "WHERE country IS NOT NULL GROUP BY country ORDER BY n DESC, country")
    return arrow(store, sql, params + params)


def _side_code(prefix: str) -> str:
    return f"coalesce({prefix}_country, {prefix}_igo)"


def top_dyads(store: Store, query: EventQuery | None = None, limit: int = 20) -> pa.Table:
    """The most frequent source -> target pairs of states or organisations, with quad-class counts."""
    check_limit(limit)
    quads = ", ".join(f"count(*) FILTER (WHERE quad_class = '{q}')::BIGINT AS {q}"
                      for q in ("verbal_coop", "material_coop", "verbal_conflict", "material_conflict"))
    return _run(store, query,
                f"{_side_code('source')} AS source, {_side_code('target')} AS target, count(*)::BIGINT AS n, {quads}",
                f"WHERE {_side_code('source')} IS NOT NULL AND {_side_code('target')} IS NOT NULL "
                f"AND {_side_code('source')} <> {_side_code('target')} GROUP BY ALL ORDER BY n DESC, source, target "
                "LIMIT ?", [limit])


def top_actors(store: Store, query: EventQuery | None = None, limit: int = 20) -> pa.Table:
    """The actors in most events, by canonical id, as source and as target."""
    check_limit(limit)
    source, params = filtered(query or EventQuery())
    other = filtered(query or EventQuery(), "y")[0]
    sql = (
        "SELECT id, any_value(name) AS name, any_value(country) AS country, any_value(igo) AS igo, "
        "any_value(kind) AS kind, count(DISTINCT event_id)::BIGINT AS n, "
        "count(*) FILTER (WHERE side = 'source')::BIGINT AS as_source, "
        "count(*) FILTER (WHERE side = 'target')::BIGINT AS as_target FROM ("
        f"SELECT event_id, 'source' AS side, source_id AS id, source_name AS name, source_country AS country, "
        f"source_igo AS igo, source_kind AS kind FROM {source} UNION ALL "
        f"SELECT event_id, 'target', target_id, target_name, target_country, target_igo, target_kind FROM {other}) "
        "WHERE id IS NOT NULL GROUP BY id ORDER BY n DESC, id LIMIT ?")
    return arrow(store, sql, params + params + [limit])


def network(store: Store, query: EventQuery | None = None, limit: int = 200) -> pa.Table:
    """Directed actor pairs with counts: source and target names (by id), for the network plot."""
    check_limit(limit)
    return _run(store, query,
                "any_value(source_name) AS source, any_value(target_name) AS target, source_id, target_id, "
                "count(*)::BIGINT AS n",
                "WHERE source_id IS NOT NULL AND target_id IS NOT NULL AND source_id <> target_id "
                "GROUP BY source_id, target_id ORDER BY n DESC, source_id, target_id LIMIT ?", [limit])


def _side_match(prefix: str, key: str) -> tuple[str, list[Any]]:
    """SQL matching one side to a country/IGO code, an actor id or a resolved name."""
    code = key.strip().upper()
    if code in iso3_codes() or len(code) in {3, 4} and code.isalpha():
        try:
            code = actor_code("actor", key)
            return f"({prefix}_country = ? OR {prefix}_igo = ?)", [code, code]
        except UsageError:
            pass
    return f"({prefix}_id = ? OR lower({prefix}_name) = lower(?))", [key, key]


def dyad(store: Store, a: str, b: str, query: EventQuery | None = None) -> pa.Table:
    """Events between two actors per month, type and direction ('a->b' or 'b->a').

    ``a`` and ``b`` are country or IGO codes, actor ids or resolved names.
    """
    a_src, pa_src = _side_match("source", a)
    b_tgt, pb_tgt = _side_match("target", b)
    b_src, pb_src = _side_match("source", b)
    a_tgt, pa_tgt = _side_match("target", a)
    select = (f"CASE WHEN {a_src} AND {b_tgt} THEN 'a->b' ELSE 'b->a' END AS direction, "
              "strftime(event_date, '%Y-%m') AS month, event_type, quad_class, count(*)::BIGINT AS n")
    tail = (f"WHERE (({a_src} AND {b_tgt}) OR ({b_src} AND {a_tgt})) GROUP BY ALL "
            "ORDER BY month NULLS LAST, direction, event_type")
    source, params = filtered(query or EventQuery())
    sql = f"SELECT {select} FROM {source} {tail}"
    return arrow(store, sql, pa_src + pb_tgt + params + pa_src + pb_tgt + pb_src + pa_tgt)


@dataclass(frozen=True)
class ActorProfile:
    """What the corpus says about one actor: its names, roles, countries and when it appears."""

    id: str
    names: list[str]
    written_as: list[str]
    countries: list[str]
    sectors: list[str]
    roles: list[str]
    kinds: list[str]
    first_seen: str | None
    last_seen: str | None
    events: int
    as_source: int
    as_target: int
    documents: int

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def actor_profile(store: Store, key: str) -> ActorProfile | None:
    """The profile of the actor with this id (or resolved name); None when no event names it."""
    source, params = filtered(EventQuery())
    other = filtered(EventQuery(), "y")[0]
    sql = (
        "SELECT any_value(id) AS id, list(DISTINCT name) FILTER (WHERE name IS NOT NULL) AS names, "
        "list(DISTINCT text) FILTER (WHERE text IS NOT NULL) AS written_as, "
        "list(DISTINCT country) FILTER (WHERE country IS NOT NULL) AS countries, "
        "list(DISTINCT sector) FILTER (WHERE sector IS NOT NULL) AS sectors, "
        "list(DISTINCT role) FILTER (WHERE role IS NOT NULL) AS roles, "
        "list(DISTINCT kind) FILTER (WHERE kind IS NOT NULL) AS kinds, "
        "min(coalesce(event_date, doc_published))::VARCHAR AS first_seen, "
        "max(coalesce(event_date_end, doc_published))::VARCHAR AS last_seen, "
        "count(DISTINCT event_id) AS events, count(*) FILTER (WHERE side = 'source') AS as_source, "
        "count(*) FILTER (WHERE side = 'target') AS as_target, count(DISTINCT doc_id) AS documents FROM ("
        f"SELECT 'source' AS side, event_id, doc_id, event_date, event_date_end, doc_published, source_id AS id, "
        f"source_name AS name, source_text AS text, source_country AS country, source_sector AS sector, "
        f"source_role AS role, source_kind AS kind FROM {source} UNION ALL "
        f"SELECT 'target', event_id, doc_id, event_date, event_date_end, doc_published, target_id, target_name, "
        f"target_text, target_country, target_sector, target_role, target_kind FROM {other}) "
        "WHERE id = ? OR lower(name) = lower(?)")
    row = store.one(sql, params + params + [key, key])
    if row is None or not row[9]:
        return None
    return ActorProfile(row[0], sorted(row[1] or []), sorted(row[2] or []), sorted(row[3] or []),
                        sorted(row[4] or []), sorted(row[5] or []), sorted(row[6] or []), row[7], row[8],
                        int(row[9]), int(row[10]), int(row[11]), int(row[12]))


def overview(store: Store, query: EventQuery | None = None) -> dict[str, Any]:
    """Headline counts for the dashboard: events, documents, actors, date range, by quad class."""
    source, params = filtered(query or EventQuery())
    row = store.one(
        f"SELECT count(*), count(DISTINCT doc_id), min(event_date)::VARCHAR, max(event_date_end)::VARCHAR, "
        f"count(*) FILTER (WHERE modality = 'claimed') FROM {source}", params)
    docs = store.arrow("SELECT status, count(*) AS n FROM documents GROUP BY status ORDER BY status").to_pylist()
    quads = _run(store, query, "quad_class, count(*)::BIGINT AS n", "GROUP BY ALL ORDER BY quad_class").to_pylist()
    assert row is not None
    return {"events": int(row[0]), "documents_with_events": int(row[1]), "first_date": row[2], "last_date": row[3],
            "claimed": int(row[4]), "documents_by_status": {d["status"]: int(d["n"]) for d in docs},
            "by_quad_class": {r["quad_class"]: r["n"] for r in quads}}
