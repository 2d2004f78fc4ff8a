"""What every chart shares: input checks, the SVG writer and the PNG entry point.

Charts are drawn twice from one normalised, immutable description: by matplotlib for PNG files
and by a small hand-written SVG writer for the web dashboard. The dashboard's Content-Security-Policy
forbids inline scripts and styles, so the SVG uses presentation attributes only; interactivity is a
``<title>`` tooltip on every mark and an optional ``<a href>`` around it. All text that can come
from data passes through :func:`text` (or :class:`Svg`, which calls it) before it is written.
"""

from __future__ import annotations

import html
import math
import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

LinkBuilder = Callable[[dict[str, str]], str | None]
"""Gets a mark's keys (e.g. ``{"country": "IRN"}``) and returns its href, or None for no link."""

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif"
INK = "#333333"
MUTED = "#777777"
GRID = "#e6e6e6"
NO_EVENTS = "no events"

# XML 1.0 forbids these even as character references, so they are removed, not escaped.
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_SCHEME = re.compile(r"([a-z][a-z0-9+.\-]*):")
_SAFE_SCHEMES = frozenset({"http", "https", "mailto"})


def text(value: object) -> str:
    """``value`` as XML-safe text, usable in element content and in double-quoted attributes."""
    return html.escape(_NOT_XML.sub("", str(value)), quote=True)


def plain(value: str) -> str:
    """``value`` for matplotlib: dollar signs escaped so a label is never parsed as mathtext."""
    return _NOT_XML.sub("", value).replace("$", r"\$")


def short(label: str, limit: int) -> str:
    """Labels are cut for display; the full text stays in the tooltip."""
    return label if len(label) <= limit else label[: limit - 1] + "\u2026"


def num(value: float) -> str:
    """A coordinate: one decimal (a tenth of a pixel), no trailing ``.0``, no ``-0``."""
    rounded = round(value, 1) + 0.0
    return str(int(rounded)) if rounded == int(rounded) else f"{rounded:.1f}"


def events(n: int) -> str:
    return f"{n:,} event" if n == 1 else f"{n:,} events"


def share(n: int, total: int) -> str:
    return f"{100 * n / total:.1f}%" if total else "0%"


def nice_ticks(top: int, target: int = 5) -> list[int]:
    """Integer axis ticks from 0 with a 1-2-5 step, the last at or above ``top``."""
    if top <= 0:
        return [0, 1]
    raw = top / target
    magnitude = 10 ** math.floor(math.log10(raw))
    step = max(1, int(next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)))
    return list(range(0, math.ceil(top / step) * step + 1, step))


def safe_href(link: LinkBuilder | None, keys: Mapping[str, str]) -> str | None:
    """The builder's href for a mark, or None when there is none or its scheme could run code.

    Browsers ignore whitespace and control characters inside a scheme (``java\\tscript:``), so they
    are removed before the check; only http(s), mailto and relative references are kept.
    """
    if link is None:
        return None
    href = link(dict(keys))
    if not href:
        return None
    scheme = _SCHEME.match(re.sub(r"[\x00-\x20\x7f]", "", href).lower())
    if scheme and scheme.group(1) not in _SAFE_SCHEMES:
        return None
    return href


def frame(df: pd.DataFrame, chart: str, labels: Iterable[str], counts: Iterable[str] = ("n",)) -> pd.DataFrame:
    """Checked copy of the columns a chart needs: labels as str, counts as non-negative int.

    Duplicate keys are summed and rows are sorted by their labels, so the input order never
    changes the output. Zero counts are kept here (for the caller to check) and dropped by
    :func:`nonzero`.
    """
    labels, counts = list(labels), list(counts)
    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"{chart}: expected a pandas DataFrame, got {type(df).__name__}")
    missing = [c for c in labels + counts if c not in df.columns]
    if missing:
        raise ValueError(f"{chart}: missing column(s) {', '.join(map(repr, missing))} "
                         f"(expected {', '.join(labels + counts)})")
    out = pd.DataFrame(index=range(len(df)))
    for column in labels:
        values = df[column].reset_index(drop=True)
        if values.isna().any():
            raise ValueError(f"{chart}: column {column!r} has empty values")
        out[column] = [str(v) for v in values]
    for column in counts:
        values = pd.to_numeric(df[column].reset_index(drop=True), errors="coerce")
        if values.isna().any():
            raise ValueError(f"{chart}: column {column!r} must hold numbers")
        if ((values % 1) != 0).any() or (values < 0).any():
            raise ValueError(f"{chart}: column {column!r} must hold non-negative whole numbers")
        out[column] = values.astype("int64")
    if not out.empty:
        out = out.groupby(labels, as_index=False, sort=True)[counts].sum()
    return out.reset_index(drop=True)


def nonzero(data: pd.DataFrame, column: str = "n") -> pd.DataFrame:
    """Rows that would draw a visible mark."""
    return data[data[column] > 0].reset_index(drop=True)


class Svg:
    """An SVG document built as a list of strings; attribute values are always escaped."""

    def __init__(self, width: float, height: float, title: str, kind: str) -> None:
        self.width, self.height = width, height
        self.parts = [
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {num(width)} {num(height)}" role="img" '
            f'aria-label="{text(title)}" class="ec-chart ec-{text(kind)}" font-family="{text(FONT)}" '
            f'font-size="12" fill="{INK}">',
            f"<title>{text(title)}</title>",
        ]

    @staticmethod
    def attrs(attributes: Mapping[str, object]) -> str:
        return "".join(f' {name}="{num(v) if isinstance(v, float) else text(v)}"'
                       for name, v in attributes.items() if v is not None)

    def add(self, raw: str) -> None:
        """Append trusted markup (built by this package from constants and numbers)."""
        self.parts.append(raw)

    def el(self, tag: str, content: str | None = None, **attributes: object) -> None:
        """An element; ``content`` is text (escaped). Attribute names use ``_`` for ``-``."""
        attrs = self.attrs({k.rstrip("_").replace("_", "-"): v for k, v in attributes.items()})
        self.parts.append(f"<{tag}{attrs}/>" if content is None else f"<{tag}{attrs}>{text(content)}</{tag}>")

    def mark(self, tag: str, tip: str, href: str | None, **attributes: object) -> None:
        """A data mark: an element with a ``<title>`` tooltip, inside a link when ``href`` is given."""
        attrs = self.attrs({k.rstrip("_").replace("_", "-"): v for k, v in attributes.items()})
        element = f"<{tag}{attrs}><title>{text(tip)}</title></{tag}>"
        self.parts.append(element if href is None else f'<a href="{text(href)}">{element}</a>')

    def title(self, title: str) -> None:
        self.el("text", title, x=16.0, y=26.0, font_size=16, font_weight="bold", class_="ec-title")

    def empty(self, top: float) -> None:
        self.el("text", NO_EVENTS, x=self.width / 2, y=top + (self.height - top) / 2, text_anchor="middle",
                fill=MUTED, font_size=14, class_="ec-empty")

    def render(self) -> str:
        return "".join(self.parts) + "</svg>"


@dataclass(frozen=True)
class Chart(ABC):
    """One plot, independent of its output format; build it with the module's functions."""

    title: str

    @property
    @abstractmethod
    def figsize(self) -> tuple[float, float]:
        """PNG size in inches; pixels are this times ``dpi``."""

    @property
    @abstractmethod
    def empty(self) -> bool:
        """True when there is nothing to draw (the plot then says "no events")."""

    @abstractmethod
    def _draw(self, fig: Figure) -> None: ...

    @abstractmethod
    def _svg(self, link: LinkBuilder | None) -> str: ...

    def to_png(self, path: str | Path, dpi: int = 150) -> None:
        """Write a PNG with matplotlib's Agg canvas (no pyplot, so no global figure state or display)."""
        fig = Figure(figsize=self.figsize, dpi=dpi, layout="constrained")
        FigureCanvasAgg(fig)
        (self._draw_empty if self.empty else self._draw)(fig)
        fig.savefig(Path(path), format="png", dpi=dpi)

    def _draw_empty(self, fig: Figure) -> None:
        ax = fig.add_subplot()
        ax.set_axis_off()
        set_title(ax, self.title)
        ax.text(0.5, 0.5, NO_EVENTS, ha="center", va="center", color=MUTED, fontsize=14, transform=ax.transAxes)

    def to_svg(self, link: LinkBuilder | None = None) -> str:
        """Standalone inline SVG; ``link`` turns marks into links (see :data:`LinkBuilder`)."""
        return self._svg(link)


def set_title(ax: Axes, title: str) -> None:
    ax.set_title(plain(title), loc="left", fontweight="bold")
