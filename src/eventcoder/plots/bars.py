"""Bar charts: events per month by PLOVER quad class, and the mix of event types."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from types import MappingProxyType

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from ._base import (
    GRID,
    INK,
    MUTED,
    Chart,
    LinkBuilder,
    Svg,
    events,
    frame,
    nice_ticks,
    nonzero,
    plain,
    safe_href,
    set_title,
    share,
    short,
)

QUAD_CLASSES = ("verbal_coop", "material_coop", "verbal_conflict", "material_conflict")
"""Stacking order, bottom to top: cooperation under conflict, verbal under material."""
QUAD_COLOURS = MappingProxyType({
    "verbal_coop": "#6baed6",        # light blue
    "material_coop": "#31a354",      # green
    "verbal_conflict": "#fd8d3c",    # orange
    "material_conflict": "#d62728",  # red
})
QUAD_LABELS = MappingProxyType({
    "verbal_coop": "Verbal cooperation",
    "material_coop": "Material cooperation",
    "verbal_conflict": "Verbal conflict",
    "material_conflict": "Material conflict",
})
MAX_MONTHS = 600
"""Fifty years: a wider span is almost surely a bad date, and would draw thousands of empty bars."""
BAR_COLOUR = "#4c78a8"

_MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])")


def month_range(first: str, last: str) -> list[str]:
    """Every month from ``first`` to ``last`` ('YYYY-MM'), so months without events show as gaps."""
    year, month = int(first[:4]), int(first[5:])
    end = (int(last[:4]), int(last[5:]))
    months = []
    while (year, month) <= end:
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


@dataclass(frozen=True)
class TimelineChart(Chart):
    months: tuple[str, ...]
    counts: tuple[tuple[int, ...], ...]
    """Per month, one count per entry of :data:`QUAD_CLASSES`."""

    @property
    def figsize(self) -> tuple[float, float]:
        return (10.0, 4.5)

    @property
    def empty(self) -> bool:
        return not self.months

    def _draw(self, fig: Figure) -> None:
        ax = fig.add_subplot()
        x = list(range(len(self.months)))
        bottom = [0] * len(self.months)
        for q, quad in enumerate(QUAD_CLASSES):
            heights = [row[q] for row in self.counts]
            ax.bar(x, heights, bottom=bottom, width=0.8, color=QUAD_COLOURS[quad], label=QUAD_LABELS[quad])
            bottom = [b + h for b, h in zip(bottom, heights, strict=True)]
        step = max(1, math.ceil(len(x) / 16))
        ax.set_xticks(x[::step], self.months[::step], rotation=45 if len(x) > 8 else 0,
                      ha="right" if len(x) > 8 else "center")
        ax.set_xlim(-0.6, len(x) - 0.4)
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_ylabel("events")
        ax.grid(axis="y", color=GRID)
        ax.set_axisbelow(True)
        ax.spines[["top", "right"]].set_visible(False)
        ax.legend(loc="upper left", frameon=False, ncols=4, fontsize=8, bbox_to_anchor=(0, 1.0))
        ax.margins(y=0.12)
        set_title(ax, self.title)

    def _svg(self, link: LinkBuilder | None) -> str:
        width, height, left, right, top, bottom = 960.0, 400.0, 56.0, 16.0, 64.0, 44.0
        svg = Svg(width, height, self.title, "timeline")
        svg.title(self.title)
        if self.empty:
            svg.empty(top)
            return svg.render()
        x = left
        for quad in QUAD_CLASSES:  # legend, one row under the title
            svg.el("rect", x=x, y=38.0, width=12, height=12, fill=QUAD_COLOURS[quad], class_="ec-key")
            svg.el("text", QUAD_LABELS[quad], x=x + 17, y=48.0, font_size=11)
            x += 30 + 6.2 * len(QUAD_LABELS[quad])
        totals = [sum(row) for row in self.counts]
        ticks = nice_ticks(max(totals))
        plot_w, plot_h = width - left - right, height - top - bottom
        scale = plot_h / ticks[-1]
        base = top + plot_h
        for tick in ticks:
            y = base - tick * scale
            svg.el("line", x1=left, x2=width - right, y1=y, y2=y, stroke=GRID, class_="ec-grid")
            svg.el("text", f"{tick:,}", x=left - 6, y=y + 4, text_anchor="end", font_size=11, fill=MUTED)
        band = plot_w / len(self.months)
        bar = max(1.0, band * 0.8)
        step = max(1, math.ceil(len(self.months) / max(1, int(plot_w // 60))))
        for i, (month, row) in enumerate(zip(self.months, self.counts, strict=True)):
            x = left + i * band + (band - bar) / 2
            below = 0
            for quad, n in zip(QUAD_CLASSES, row, strict=True):
                if n == 0:
                    continue
                # Ends rounded before the height is taken, so stacked segments meet without seams.
                y, lower = round(base - (below + n) * scale, 1), round(base - below * scale, 1)
                h = round(lower - y, 1)
                below += n
                tip = f"{month}, {QUAD_LABELS[quad].lower()}: {events(n)} ({share(n, totals[i])} of {totals[i]:,})"
                svg.mark("rect", tip, safe_href(link, {"month": month, "quad_class": quad}),
                         x=x, y=y, width=bar, height=h, fill=QUAD_COLOURS[quad], class_=f"mark {quad}",
                         data_month=month, data_quad_class=quad)
            if i % step == 0:
                svg.el("text", month, x=left + (i + 0.5) * band, y=base + 16, text_anchor="middle", font_size=11,
                       fill=MUTED)
        svg.el("line", x1=left, x2=width - right, y1=base, y2=base, stroke=INK, class_="ec-axis")
        return svg.render()


def timeline(df: pd.DataFrame, title: str = "Events per month") -> TimelineChart:
    """Stacked bars of events per month by quad class; ``df`` has columns month, quad_class, n."""
    data = frame(df, "timeline", ["month", "quad_class"])
    unknown = sorted(set(data["quad_class"]) - set(QUAD_CLASSES))
    if unknown:
        raise ValueError(f"timeline: unknown quad_class {', '.join(map(repr, unknown[:5]))} "
                         f"(expected one of {', '.join(QUAD_CLASSES)})")
    bad = sorted(m for m in set(data["month"]) if not _MONTH.fullmatch(m))
    if bad:
        raise ValueError(f"timeline: month must be 'YYYY-MM', got {', '.join(map(repr, bad[:5]))}")
    data = nonzero(data)
    if data.empty:
        return TimelineChart(title=title, months=(), counts=())
    months = month_range(min(data["month"]), max(data["month"]))
    if len(months) > MAX_MONTHS:
        raise ValueError(f"timeline: {months[0]} to {months[-1]} is {len(months)} months, more than {MAX_MONTHS}")
    cells = {(m, q): int(n) for m, q, n in data[["month", "quad_class", "n"]].itertuples(index=False)}
    counts = tuple(tuple(cells.get((m, q), 0) for q in QUAD_CLASSES) for m in months)
    return TimelineChart(title=title, months=tuple(months), counts=counts)


@dataclass(frozen=True)
class TypeMixChart(Chart):
    rows: tuple[tuple[str, int], ...]
    """(event_type, n), largest first; ties by name."""

    @property
    def figsize(self) -> tuple[float, float]:
        return (9.0, max(2.5, 0.9 + 0.32 * len(self.rows)))

    @property
    def empty(self) -> bool:
        return not self.rows

    def _draw(self, fig: Figure) -> None:
        ax = fig.add_subplot()
        labels = [plain(short(t, 32)) for t, _ in self.rows]
        values = [n for _, n in self.rows]
        total = sum(values)
        y = list(range(len(self.rows)))
        ax.barh(y, values, color=BAR_COLOUR, height=0.7)
        ax.set_yticks(y, labels)
        ax.invert_yaxis()
        for i, n in enumerate(values):
            ax.text(n, i, f" {n:,} ({share(n, total)})", va="center", fontsize=8, color=INK)
        ax.set_xlim(0, max(values) * 1.22)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_xlabel("events")
        ax.spines[["top", "right"]].set_visible(False)
        set_title(ax, self.title)

    def _svg(self, link: LinkBuilder | None) -> str:
        width, left, top, row_h = 960.0, 190.0, 48.0, 26.0
        height = top + max(2, len(self.rows)) * row_h + 20
        svg = Svg(width, height, self.title, "type-mix")
        svg.title(self.title)
        if self.empty:
            svg.empty(top)
            return svg.render()
        total = sum(n for _, n in self.rows)
        scale = (width - left - 130) / max(n for _, n in self.rows)
        for i, (event_type, n) in enumerate(self.rows):
            y = top + i * row_h
            svg.el("text", short(event_type, 28), x=left - 8, y=y + row_h / 2 + 4, text_anchor="end")
            svg.mark("rect", f"{event_type}: {events(n)} ({share(n, total)} of {total:,})",
                     safe_href(link, {"event_type": event_type}), x=left, y=y + 4, width=max(1.0, n * scale),
                     height=row_h - 8, fill=BAR_COLOUR, class_="mark", data_event_type=event_type)
            svg.el("text", f"{n:,} ({share(n, total)})", x=left + max(1.0, n * scale) + 6, y=y + row_h / 2 + 4,
                   font_size=11, fill=MUTED)
        svg.el("line", x1=left, x2=left, y1=top, y2=top + len(self.rows) * row_h, stroke=INK, class_="ec-axis")
        return svg.render()


def type_mix(df: pd.DataFrame, title: str = "Events by type") -> TypeMixChart:
    """Horizontal bars of events per event type, largest on top; ``df`` has columns event_type, n."""
    data = nonzero(frame(df, "type_mix", ["event_type"]))
    rows = sorted(((str(t), int(n)) for t, n in data[["event_type", "n"]].itertuples(index=False)),
                  key=lambda row: (-row[1], row[0]))
    return TypeMixChart(title=title, rows=tuple(rows))


__all__ = ["QUAD_CLASSES", "QUAD_COLOURS", "QUAD_LABELS", "TimelineChart", "TypeMixChart", "timeline", "type_mix"]
