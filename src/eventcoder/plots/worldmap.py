"""World choropleth of events per country (ISO 3166-1 alpha-3), equirectangular projection.

Boundaries are vendored (``eventcoder/data/world/countries.json``, made by
``scripts/vendor_world.py`` from world-atlas@2.0.2, Natural Earth 1:110m), so nothing is
fetched at run time. Colours are classed, not continuous: a legend of a few count ranges can be
read exactly, and the same classes colour the PNG and the SVG.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch, PathPatch
from matplotlib.path import Path as MplPath

from ._base import MUTED, NO_EVENTS, Chart, LinkBuilder, Svg, events, frame, nonzero, num, plain, safe_href, short

WIDTH = 960.0
NORTH, SOUTH = 84.0, -58.0
"""Latitudes shown: Antarctica is left out, as it would take a quarter of an equirectangular map."""
HIDDEN = frozenset({"ATA"})
SCALE = WIDTH / 360.0  # pixels per degree
MAP_TOP = 40.0
MAP_BOTTOM = MAP_TOP + (NORTH - SOUTH) * SCALE
HEIGHT = MAP_BOTTOM + 64.0
NO_DATA = "#d9d9d9"
BORDER = "#ffffff"
PALETTE = ("#edf8b1", "#c7e9b4", "#7fcdbb", "#41b6c4", "#1d91c0", "#225ea8", "#0c2c84")
"""ColorBrewer YlGnBu (7 classes, without its near-white first step, which would read as no data)."""
ALIASES = MappingProxyType({"XKX": "KOS"})
"""Other codes for Kosovo; the vendored map (like eventcoder's actor data) uses KOS."""

Ring = tuple[tuple[float, float], ...]


@dataclass(frozen=True)
class Country:
    code: str
    name: str
    rings: tuple[Ring, ...]
    """Outer rings clockwise, holes counter-clockwise (lon/lat axes); none crosses the antimeridian."""


@lru_cache(maxsize=1)
def load_world() -> MappingProxyType[str, Country]:
    """The vendored boundaries, read once per process."""
    raw: dict[str, Any] = json.loads(
        resources.files("eventcoder").joinpath("data/world/countries.json").read_text(encoding="utf-8"))
    return MappingProxyType({
        code: Country(code=code, name=entry["name"],
                      rings=tuple(tuple((float(x), float(y)) for x, y in ring) for ring in entry["polygons"]))
        for code, entry in raw["countries"].items()
    })


def classes(top: int) -> list[tuple[int, int]]:
    """At most 7 count ranges covering 1..top, with round lower bounds (1, 2, 5, 10, ... or 1, 3, 10, ...)."""
    if top <= len(PALETTE):
        return [(i, i) for i in range(1, top + 1)]
    lows: list[int] = []
    for steps in ((1, 2, 5), (1, 3), (1,)):
        lows = [m * 10**e for e in range(len(str(top)) + 1) for m in steps if m * 10**e <= top]
        if len(lows) <= len(PALETTE):
            break
    else:
        stride = -(-len(str(top)) // len(PALETTE))
        lows = [10**e for e in range(0, len(str(top)), stride)]
    return [(low, (lows[i + 1] - 1) if i + 1 < len(lows) else top) for i, low in enumerate(lows)]


def palette(count: int) -> list[str]:
    """``count`` colours spread over the whole ramp, light to dark."""
    if count <= 1:
        return [PALETTE[4]][:count]
    return [PALETTE[round(i * (len(PALETTE) - 1) / (count - 1))] for i in range(count)]


def range_label(low: int, high: int) -> str:
    return f"{low:,}" if low == high else f"{low:,}\u2013{high:,}"


def project(lon: float, lat: float) -> tuple[float, float]:
    return (lon + 180.0) * SCALE, MAP_TOP + (NORTH - lat) * SCALE


def svg_path(rings: tuple[Ring, ...]) -> str:
    """Path data for a country; a step of more than 180 degrees of longitude starts a new subpath
    instead of drawing a streak across the map (the vendored data should have none)."""
    parts: list[str] = []
    for ring in rings:
        last: tuple[str, str] | None = None
        previous_lon: float | None = None
        for lon, lat in ring:
            x, y = project(lon, lat)
            point = (num(x), num(y))
            jump = previous_lon is not None and abs(lon - previous_lon) > 180
            if last is None or jump:
                parts.append(f"M{point[0]} {point[1]}")
            elif point != last:
                parts.append(f"L{point[0]} {point[1]}")
            last, previous_lon = point, lon
        parts.append("Z")
    return "".join(parts)


@dataclass(frozen=True)
class WorldMapChart(Chart):
    values: tuple[tuple[str, int], ...]
    """(alpha-3 code on the map, n), by code."""
    off_map: tuple[tuple[str, int], ...]
    """Codes in the input that the map cannot show (unknown, or hidden like Antarctica), by code."""

    @property
    def figsize(self) -> tuple[float, float]:
        return (WIDTH / 100, HEIGHT / 100)

    @property
    def empty(self) -> bool:
        return not self.values and not self.off_map

    @property
    def bins(self) -> list[tuple[int, int, str]]:
        ranges = classes(max((n for _, n in self.values), default=0))
        return [(low, high, colour) for (low, high), colour in zip(ranges, palette(len(ranges)), strict=True)]

    def colour(self, n: int) -> str:
        return next((colour for low, high, colour in self.bins if low <= n <= high), NO_DATA)

    @property
    def note(self) -> str | None:
        if not self.off_map:
            return None
        total = sum(n for _, n in self.off_map)
        listed = ", ".join(f"{short(code, 12)} ({n:,})" for code, n in self.off_map[:8])
        more = f" and {len(self.off_map) - 8:,} more" if len(self.off_map) > 8 else ""
        codes = "code" if len(self.off_map) == 1 else "codes"
        return f"Not on the map: {len(self.off_map):,} {codes} with {events(total)}: {listed}{more}."

    def _draw(self, fig: Figure) -> None:
        ax = fig.add_subplot()
        ax.set_xlim(-180, 180)
        ax.set_ylim(SOUTH, NORTH)
        ax.set_aspect("equal")
        ax.set_axis_off()
        ax.set_title(plain(self.title), loc="left", fontweight="bold")
        counts = dict(self.values)
        for code, country in load_world().items():
            if code in HIDDEN:
                continue
            vertices: list[tuple[float, float]] = []
            codes: list[np.uint8] = []
            for ring in country.rings:
                vertices.extend(ring)
                codes.extend([MplPath.MOVETO] + [MplPath.LINETO] * (len(ring) - 2) + [MplPath.CLOSEPOLY])
            ax.add_patch(PathPatch(MplPath(vertices, codes), facecolor=self.colour(counts.get(code, 0)),
                                   edgecolor=BORDER, linewidth=0.3))
        handles = [Patch(facecolor=colour, label=range_label(low, high)) for low, high, colour in self.bins]
        handles.append(Patch(facecolor=NO_DATA, label=plain("no events")))
        ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, 0.0), ncols=len(handles),
                  frameon=False, fontsize=7, title="events", title_fontsize=7)
        if self.note:
            fig.text(0.01, 0.01, plain(self.note), fontsize=6, color=MUTED)

    def _svg(self, link: LinkBuilder | None) -> str:
        svg = Svg(WIDTH, HEIGHT, self.title, "world-map")
        svg.title(self.title)
        counts = dict(self.values)
        for code, country in load_world().items():
            if code in HIDDEN:
                continue
            n = counts.get(code, 0)
            attrs: dict[str, object] = {"d": svg_path(country.rings), "fill": self.colour(n), "stroke": BORDER,
                                        "stroke_width": 0.4, "fill_rule": "evenodd", "data_code": code}
            if n:
                svg.mark("path", f"{country.name} ({code}): {events(n)}", safe_href(link, {"country": code}),
                         class_="mark country", **attrs)
            else:
                svg.mark("path", f"{country.name} ({code}): no events", None, class_="country nodata", **attrs)
        x, y = 16.0, MAP_BOTTOM + 20
        svg.el("text", "events", x=x, y=y + 10, fill=MUTED, font_size=11)
        x += 46
        keys = [(range_label(low, high), colour) for low, high, colour in self.bins] + [("no events", NO_DATA)]
        for label, colour in keys:
            svg.el("rect", x=x, y=y, width=14, height=12, fill=colour, stroke="#bbbbbb", stroke_width=0.5,
                   class_="ec-key")
            svg.el("text", label, x=x + 18, y=y + 10, font_size=11)
            x += 30 + 6.5 * len(label)
        if self.empty:
            svg.el("text", NO_EVENTS, x=WIDTH / 2, y=MAP_TOP + 20, text_anchor="middle", fill=MUTED, font_size=14,
                   class_="ec-empty")
        if self.note:
            svg.el("text", self.note, x=16.0, y=HEIGHT - 10, fill=MUTED, font_size=11, class_="ec-note")
        return svg.render()

    def _draw_empty(self, fig: Figure) -> None:
        """An empty map is still a map (all grey), so the layout does not jump when a filter empties it."""
        self._draw(fig)
        fig.text(0.5, 0.5, NO_EVENTS, ha="center", va="center", color=MUTED, fontsize=14)


def world_map(df: pd.DataFrame, title: str = "Events by country") -> WorldMapChart:
    """Choropleth of events per country; ``df`` has columns country (ISO alpha-3), n.

    Codes are upper-cased; codes the map lacks are left out and listed in a note.
    """
    data = frame(df, "world_map", ["country"])
    data["country"] = [ALIASES.get(c.strip().upper(), c.strip().upper()) for c in data["country"]]
    data = nonzero(data.groupby("country", as_index=False, sort=True)["n"].sum()) if not data.empty else data
    world = load_world()
    values: list[tuple[str, int]] = []
    off_map: list[tuple[str, int]] = []
    for code, n in data[["country", "n"]].itertuples(index=False):
        (values if code in world and code not in HIDDEN else off_map).append((str(code), int(n)))
    return WorldMapChart(title=title, values=tuple(values), off_map=tuple(off_map))
