"""Plots of coded events, each as a PNG file (matplotlib) or as interactive inline SVG (dashboard).

    chart = timeline(df)                      # or type_mix, network, world_map
    chart.to_png("timeline.png")
    svg = chart.to_svg(link=lambda keys: "?" + urlencode(keys))

The SVG obeys a strict Content-Security-Policy (no script, no style attributes or elements):
every data mark carries a ``<title>`` tooltip and, given ``link``, sits inside ``<a href>``.
``link`` receives the mark's keys: ``{"month", "quad_class"}`` (timeline), ``{"event_type"}``,
``{"source", "target"}`` or ``{"actor"}`` (network edges and nodes), ``{"country"}``. It returns
an href (escaped here; hrefs with a scheme other than http, https or mailto are dropped) or None.
"""

from ._base import Chart, LinkBuilder
from .bars import QUAD_CLASSES, QUAD_COLOURS, TimelineChart, TypeMixChart, timeline, type_mix
from .network import MAX_NODES, NetworkChart, network
from .worldmap import WorldMapChart, load_world, world_map

__all__ = [
    "MAX_NODES",
    "QUAD_CLASSES",
    "QUAD_COLOURS",
    "Chart",
    "LinkBuilder",
    "NetworkChart",
    "TimelineChart",
    "TypeMixChart",
    "WorldMapChart",
    "load_world",
    "network",
    "timeline",
    "type_mix",
    "world_map",
]
