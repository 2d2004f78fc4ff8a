"""Queries over a stored corpus, for notebooks, the CLI and the web dashboard alike.

    >>> from eventcoder import query
    >>> df = query.events("news.duckdb", country="irn", type="accuse", since="2021-09")
    >>> query.dyad("news.duckdb", "ISR", "AZE")          # per month, type and direction
    >>> query.arms("news.duckdb")                         # the arms-transfer register

Filter values are validated (`UsageError` names the allowed ones); results are pandas
DataFrames here, Arrow tables in `query.table` / `query.summaries` / `query.arms`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from ..store import Store
from . import summaries
from . import transfers as _arms
from .filters import EventQuery
from .table import count, events_table

__all__ = ["EventQuery", "actor", "arms", "count", "dyad", "events", "events_table", "summaries", "top_actors",
           "top_dyads"]


def _query(filters: dict[str, Any]) -> EventQuery:
    if "type" in filters:
        filters["event_type"] = filters.pop("type")
    if "quad" in filters:
        filters["quad_class"] = filters.pop("quad")
    return EventQuery.parse(**filters)


def events(db: str | Path, limit: int | None = None, offset: int = 0, **filters: Any) -> pd.DataFrame:
    """Events in the export schema as a DataFrame (dates as dates, context as lists)."""
    with Store.open(db, read_only=True) as store:
        return events_table(store, _query(filters), limit=limit, offset=offset).to_pandas()


def dyad(db: str | Path, a: str, b: str, **filters: Any) -> pd.DataFrame:
    with Store.open(db, read_only=True) as store:
        return summaries.dyad(store, a, b, _query(filters)).to_pandas()


def top_actors(db: str | Path, limit: int = 20, **filters: Any) -> pd.DataFrame:
    with Store.open(db, read_only=True) as store:
        return summaries.top_actors(store, _query(filters), limit).to_pandas()


def top_dyads(db: str | Path, limit: int = 20, **filters: Any) -> pd.DataFrame:
    with Store.open(db, read_only=True) as store:
        return summaries.top_dyads(store, _query(filters), limit).to_pandas()


def actor(db: str | Path, key: str) -> dict[str, Any] | None:
    with Store.open(db, read_only=True) as store:
        profile = summaries.actor_profile(store, key)
    return profile.to_dict() if profile else None


def arms(db: str | Path, **filters: Any) -> pd.DataFrame:
    with Store.open(db, read_only=True) as store:
        return _arms.register(store, _query(filters)).to_pandas()
