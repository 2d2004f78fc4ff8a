"""Directed, weighted actor network: who acts on whom, and how often.

The layout is a Fruchterman-Reingold force simulation in numpy that starts from a circle in
rank order and uses no random numbers, so the same input always gives the same picture (and
byte-identical SVG, as coordinates are rounded to a tenth of a pixel).
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Circle, FancyArrowPatch
from matplotlib.path import Path as MplPath
from matplotlib.patheffects import withStroke

from ._base import INK, MUTED, Chart, LinkBuilder, Svg, events, frame, nonzero, num, plain, safe_href, short

MAX_NODES = 40
"""More actors than this make an unreadable hairball; the rest are counted in a note."""
WIDTH, HEIGHT = 960.0, 640.0
BOX = (40.0, 64.0, WIDTH - 180.0, HEIGHT - 48.0)  # left, top, right, bottom of node centres
NODE_COLOUR = "#4c78a8"
EDGE_COLOUR = "#8a8a8a"
ARROW = 3.0  # arrow head length in stroke widths (SVG marker units)

Point = tuple[float, float]


@dataclass(frozen=True)
class Node:
    label: str
    out_n: int
    in_n: int
    x: float
    y: float
    r: float


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    n: int
    width: float
    points: tuple[Point, ...]
    """Start, control point(s), end: 3 points for a quadratic curve, 4 for a cubic (a self-loop)."""


def force_layout(count: int, pairs: list[tuple[int, int, float]], iterations: int = 300) -> np.ndarray:
    """Node positions in the unit square; strongly linked actors end up close together.

    Attraction grows with log(weight), so one heavy dyad does not collapse onto a point; a weak
    pull to the centre keeps separate components on screen.
    """
    if count == 1:
        return np.array([[0.5, 0.5]])
    angle = 2 * np.pi * np.arange(count) / count
    pos = 0.5 + 0.4 * np.column_stack([np.cos(angle), np.sin(angle)])
    weight = np.zeros((count, count))
    for i, j, w in pairs:
        if i != j:
            weight[i, j] += w
            weight[j, i] += w
    if weight.max() > 0:
        weight = np.where(weight > 0, 0.4 + 0.6 * np.log1p(weight) / np.log1p(weight.max()), 0.0)
    k = math.sqrt(1.0 / count)
    for step in range(iterations):
        delta = pos[:, None, :] - pos[None, :, :]
        dist = np.maximum(np.sqrt((delta**2).sum(axis=-1)), 1e-3)
        np.fill_diagonal(dist, 1.0)
        push = k * k / dist
        np.fill_diagonal(push, 0.0)
        pull = weight * dist * dist / k
        force = (((push - pull) / dist)[:, :, None] * delta).sum(axis=1) - 0.08 * (pos - 0.5) * count * k
        length = np.maximum(np.sqrt((force**2).sum(axis=-1)), 1e-9)[:, None]
        pos = pos + force / length * np.minimum(length, 0.1 * (1 - step / iterations))
    span = pos.max(axis=0) - pos.min(axis=0)
    return np.where(span > 1e-9, (pos - pos.min(axis=0)) / np.where(span > 1e-9, span, 1.0), 0.5)


def _unit(dx: float, dy: float) -> Point:
    length = math.hypot(dx, dy) or 1.0
    return dx / length, dy / length


def _edge_points(a: Node, b: Node) -> tuple[Point, ...]:
    """A curve bending to the right of its direction, so A->B and B->A do not overlap."""
    if a.label == b.label:
        r = a.r
        return ((a.x - 0.6 * r, a.y - 0.8 * r), (a.x - 1.6 * r - 12, a.y - 2.2 * r - 20),
                (a.x + 1.6 * r + 12, a.y - 2.2 * r - 20), (a.x + 0.6 * r, a.y - 0.8 * r))
    dx, dy = b.x - a.x, b.y - a.y
    length = math.hypot(dx, dy) or 1.0
    control = ((a.x + b.x) / 2 - dy / length * 0.15 * length, (a.y + b.y) / 2 + dx / length * 0.15 * length)
    ux, uy = _unit(control[0] - a.x, control[1] - a.y)
    vx, vy = _unit(control[0] - b.x, control[1] - b.y)
    return ((a.x + ux * a.r, a.y + uy * a.r), control, (b.x + vx * (b.r + 1), b.y + vy * (b.r + 1)))


@dataclass(frozen=True)
class NetworkChart(Chart):
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]
    actors: int
    """Actors in the input; more than ``len(nodes)`` when the cap hid some."""
    hidden_links: int

    @property
    def figsize(self) -> tuple[float, float]:
        return (WIDTH / 100, HEIGHT / 100)

    @property
    def empty(self) -> bool:
        return not self.nodes

    @property
    def note(self) -> str | None:
        if self.actors <= len(self.nodes):
            return None
        return (f"Showing the {len(self.nodes)} most active of {self.actors:,} actors; "
                f"{self.hidden_links:,} links to the others are not drawn.")

    def _draw(self, fig: Figure) -> None:
        ax = fig.add_subplot()
        ax.set_xlim(0, WIDTH)
        ax.set_ylim(HEIGHT, 0)
        ax.set_aspect("equal")
        ax.set_axis_off()
        ax.set_title(plain(self.title), loc="left", fontweight="bold")
        codes = {3: [MplPath.MOVETO, MplPath.CURVE3, MplPath.CURVE3],
                 4: [MplPath.MOVETO, MplPath.CURVE4, MplPath.CURVE4, MplPath.CURVE4]}
        for edge in self.edges:
            path = MplPath(edge.points, codes[len(edge.points)])
            ax.add_patch(FancyArrowPatch(path=path, arrowstyle="-|>", mutation_scale=6 + 2 * edge.width,
                                         linewidth=0.7 * edge.width, color=EDGE_COLOUR, alpha=0.7))
        for node in self.nodes:
            ax.add_patch(Circle((node.x, node.y), node.r, facecolor=NODE_COLOUR, edgecolor="white", linewidth=1))
            ax.text(node.x + node.r + 3, node.y, plain(short(node.label, 24)), va="center", fontsize=7, color=INK,
                    path_effects=[withStroke(linewidth=2.5, foreground="white")])
        if self.note:
            ax.text(0, HEIGHT - 12, self.note, fontsize=7, color=MUTED)

    def _svg(self, link: LinkBuilder | None) -> str:
        svg = Svg(WIDTH, HEIGHT, self.title, "network")
        svg.title(self.title)
        if self.empty:
            svg.empty(BOX[1])
            return svg.render()
        arrow = "ec-arrow-" + hashlib.sha256(repr(self).encode("utf-8")).hexdigest()[:12]
        svg.add(f'<defs><marker id="{arrow}" viewBox="0 0 10 10" refX="0" refY="5" markerWidth="{ARROW}" '
                f'markerHeight="{ARROW}" orient="auto"><path d="M0 0L10 5L0 10z" fill="{EDGE_COLOUR}"/>'
                "</marker></defs>")
        for edge in self.edges:
            *head, (ex, ey) = edge.points
            ux, uy = _unit(ex - head[-1][0], ey - head[-1][1])
            end = (ex - ux * ARROW * edge.width, ey - uy * ARROW * edge.width)  # the marker fills the rest
            curve = "Q" if len(edge.points) == 3 else "C"
            d = f"M{num(head[0][0])} {num(head[0][1])}{curve}" + " ".join(
                f"{num(x)} {num(y)}" for x, y in [*head[1:], end])
            svg.mark("path", f"{edge.source} \u2192 {edge.target}: {events(edge.n)}",
                     safe_href(link, {"source": edge.source, "target": edge.target}), d=d, fill="none",
                     stroke=EDGE_COLOUR, stroke_opacity="0.7", stroke_width=edge.width, marker_end=f"url(#{arrow})",
                     class_="mark edge", data_source=edge.source, data_target=edge.target)
        for node in self.nodes:
            total = node.out_n + node.in_n
            svg.mark("circle", f"{node.label}: {events(total)} ({node.out_n:,} as source, {node.in_n:,} as target)",
                     safe_href(link, {"actor": node.label}), cx=node.x, cy=node.y, r=node.r, fill=NODE_COLOUR,
                     stroke="#ffffff", stroke_width=1, class_="mark node", data_actor=node.label)
        for node in self.nodes:
            svg.el("text", short(node.label, 24), x=node.x + node.r + 3, y=node.y + 4, font_size=11,
                   stroke="#ffffff", stroke_width=3, stroke_linejoin="round", paint_order="stroke",
                   class_="ec-label")
        if self.note:
            svg.el("text", self.note, x=16.0, y=HEIGHT - 14, font_size=11, fill=MUTED, class_="ec-note")
        return svg.render()


def network(df: pd.DataFrame, title: str = "Actor network") -> NetworkChart:
    """Directed network of actors; ``df`` has columns source, target, n (events from source to target).

    Node size follows an actor's events in either role; edge width follows n. Only the
    :data:`MAX_NODES` most active actors are drawn (ties by label).
    """
    data = nonzero(frame(df, "network", ["source", "target"]))
    rows = [(str(s), str(t), int(n)) for s, t, n in data[["source", "target", "n"]].itertuples(index=False)]
    out_n: dict[str, int] = {}
    in_n: dict[str, int] = {}
    for s, t, n in rows:
        out_n[s] = out_n.get(s, 0) + n
        in_n[t] = in_n.get(t, 0) + n
    actors = sorted(set(out_n) | set(in_n), key=lambda a: (-(out_n.get(a, 0) + in_n.get(a, 0)), a))
    kept = actors[:MAX_NODES]
    index = {a: i for i, a in enumerate(kept)}
    shown = [(s, t, n) for s, t, n in rows if s in index and t in index]
    if not kept:
        return NetworkChart(title=title, nodes=(), edges=(), actors=0, hidden_links=0)
    pos = force_layout(len(kept), [(index[s], index[t], float(n)) for s, t, n in shown])
    top = max(out_n.get(a, 0) + in_n.get(a, 0) for a in kept)
    left, upper, right, lower = BOX
    nodes = {
        a: Node(label=a, out_n=out_n.get(a, 0), in_n=in_n.get(a, 0),
                x=round(left + pos[i, 0] * (right - left), 1), y=round(upper + pos[i, 1] * (lower - upper), 1),
                r=round(4 + 14 * math.sqrt((out_n.get(a, 0) + in_n.get(a, 0)) / top), 1))
        for a, i in index.items()
    }
    heaviest = max((n for _, _, n in shown), default=1)
    edges = tuple(
        Edge(source=s, target=t, n=n, width=round(0.8 + 4.2 * math.sqrt(n / heaviest), 2),
             points=tuple((round(x, 1), round(y, 1)) for x, y in _edge_points(nodes[s], nodes[t])))
        for s, t, n in sorted(shown, key=lambda e: (e[2], e[0], e[1]))  # heavy edges drawn last, on top
    )
    return NetworkChart(title=title, nodes=tuple(nodes[a] for a in kept), edges=edges, actors=len(actors),
                        hidden_links=len(rows) - len(shown))
