"""Charts of a filtered corpus, shared by `eventcoder plot` (PNG) and the dashboard (SVG)."""

from __future__ import annotations

from urllib.parse import urlencode

from .. import plots
from ..query import summaries
from ..query.filters import EventQuery
from ..store import Store

KINDS = ("timeline", "types", "network", "map")


def chart_for(store: Store, kind: str, query: EventQuery | None = None, title: str | None = None) -> plots.Chart:
    """One of KINDS for the events ``query`` selects."""
    q = query or EventQuery()
    if kind == "timeline":
        return plots.timeline(summaries.timeline(store, q).to_pandas(), title=title or "Events per month")
    if kind == "types":
        return plots.type_mix(summaries.type_mix(store, q).to_pandas()[["event_type", "n"]],
                              title=title or "Events by type")
    if kind == "network":
        edges = summaries.network(store, q, limit=120).to_pandas()[["source", "target", "n"]]
        return plots.network(edges, title=title or "Actor network")
    if kind == "map":
        return plots.world_map(summaries.country_counts(store, q).to_pandas(), title=title or "Events by country")
    raise ValueError(f"unknown chart {kind!r}")


def link_to_events(keys: dict[str, str]) -> str:
    """Where a click on a chart mark goes: the events page filtered to that mark."""
    params: dict[str, str] = {}
    if "month" in keys:
        params["since"] = params["until"] = keys["month"]
    if "quad_class" in keys:
        params["quad"] = keys["quad_class"]
    if "event_type" in keys:
        params["type"] = keys["event_type"]
    if "country" in keys:
        params["country"] = keys["country"]
    if "actor" in keys:
        params["actor"] = keys["actor"]
    if "source" in keys:  # a network edge: the source's events (the page lists their targets)
        params["actor"] = keys["source"]
    return "/events?" + urlencode(params)
