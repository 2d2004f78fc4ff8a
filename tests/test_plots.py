"""eventcoder.plots: real PNGs, well-formed CSP-safe SVG with one tooltip per mark, escaping, determinism."""

from __future__ import annotations

import json
import struct
import xml.etree.ElementTree as ET
from importlib import resources
from pathlib import Path

import pandas as pd
import pycountry
import pytest

from eventcoder.plots import Chart, load_world, network, timeline, type_mix, world_map
from eventcoder.plots.network import MAX_NODES

NS = "{http://www.w3.org/2000/svg}"
HOSTILE = ["<script>alert(1)</script>", '"onload="x', "' onmouseover='y", "a&b<c>", "$x$ and $", "]]><!--"]


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == f"{NS}svg"
    assert root.get("viewBox") and root.get("role") == "img" and root.get("aria-label")
    return root


def marks(root: ET.Element) -> list[ET.Element]:
    return [el for el in root.iter() if "mark" in (el.get("class") or "").split()]


def tip(el: ET.Element) -> str:
    title = el.find(f"{NS}title")
    assert title is not None, ET.tostring(el)
    return title.text or ""


def links(root: ET.Element) -> list[str]:
    return [a.get("href") or "" for a in root.iter(f"{NS}a")]


def assert_csp_safe(svg: str) -> None:
    """No script or style anywhere, no event-handler attributes, no raw markup from data."""
    root = parse(svg)
    for el in root.iter():
        assert el.tag.removeprefix(NS) not in {"script", "style", "foreignObject"}
        for name in el.attrib:
            assert name != "style" and not name.lower().startswith("on"), (name, el.attrib)
    assert "<script" not in svg.lower() and "style=" not in svg


def png_size(path: Path, min_bytes: int = 5000) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    assert len(data) > min_bytes  # drawn, not a blank canvas
    return struct.unpack(">II", data[16:24])


def query(keys: dict[str, str]) -> str:
    """A careless link builder (no URL quoting), so escaping is the plot module's job."""
    return "/dash?" + "&".join(f"{k}={v}" for k, v in sorted(keys.items()))


@pytest.fixture
def months() -> pd.DataFrame:
    return pd.DataFrame({
        "month": ["2021-01", "2021-01", "2021-04", "2021-04", "2021-06"],
        "quad_class": ["verbal_coop", "material_conflict", "verbal_conflict", "material_coop", "verbal_coop"],
        "n": [10, 4, 7, 3, 12],
    })


@pytest.fixture
def dyads() -> pd.DataFrame:
    return pd.DataFrame({
        "source": ["USA", "IRN", "USA", "ISR", "RUS", "IRN"],
        "target": ["IRN", "USA", "ISR", "IRN", "UKR", "IRN"],
        "n": [12, 5, 3, 8, 20, 2],
    })


# --- PNG -----------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("build", ["timeline", "type_mix", "network", "world_map", "empty"])
def test_png_is_a_real_png_of_the_figure_size(build: str, tmp_path: Path, months: pd.DataFrame,
                                              dyads: pd.DataFrame) -> None:
    charts: dict[str, Chart] = {
        "timeline": timeline(months),
        "type_mix": type_mix(pd.DataFrame({"event_type": ["CONSULT", "ASSAULT", "$ odd $"], "n": [5, 3, 1]})),
        "network": network(dyads),
        "world_map": world_map(pd.DataFrame({"country": ["IRN", "USA"], "n": [4, 9]})),
        "empty": timeline(months.iloc[:0]),
    }
    chart = charts[build]
    path = tmp_path / "chart.png"
    chart.to_png(path, dpi=80)
    width, height = chart.figsize
    assert png_size(path) == (round(width * 80), round(height * 80))


# --- timeline ------------------------------------------------------------------------------------------------------

def test_timeline_one_titled_mark_per_row_with_figures_and_gaps(months: pd.DataFrame) -> None:
    chart = timeline(months)
    assert chart.months == ("2021-01", "2021-02", "2021-03", "2021-04", "2021-05", "2021-06")
    root = parse(chart.to_svg())
    found = marks(root)
    assert len(found) == len(months)
    tips = {tip(m) for m in found}
    assert "2021-01, verbal cooperation: 10 events (71.4% of 14)" in tips
    assert "2021-04, material cooperation: 3 events (30.0% of 10)" in tips
    labels = {t.text for t in root.iter(f"{NS}text")}
    assert {"2021-02", "2021-03", "2021-05"} <= labels  # empty months are on the axis, as gaps
    fills = {m.get("data-quad-class"): m.get("fill") for m in found}
    assert len(set(fills.values())) == 4


def test_timeline_links_and_duplicates_summed(months: pd.DataFrame) -> None:
    doubled = pd.concat([months, months.iloc[[0]]])  # the same (month, quad_class) twice is summed
    root = parse(timeline(doubled).to_svg(link=query))
    assert len(marks(root)) == len(months)
    assert "/dash?month=2021-01&quad_class=verbal_coop" in links(root)
    assert any(tip(m).startswith("2021-01, verbal cooperation: 20 events") for m in marks(root))


@pytest.mark.parametrize(("change", "message"), [
    ({"quad_class": "hostile"}, "quad_class"),
    ({"month": "2021-13"}, "YYYY-MM"),
    ({"month": "<b>"}, "YYYY-MM"),
    ({"n": -1}, "non-negative"),
    ({"n": 1.5}, "whole"),
    ({"n": "many"}, "numbers"),
])
def test_timeline_rejects_bad_values(months: pd.DataFrame, change: dict, message: str) -> None:
    bad = months.copy()
    column, value = next(iter(change.items()))
    bad[column] = bad[column].astype(object)
    bad.loc[0, column] = value
    with pytest.raises(ValueError, match=message):
        timeline(bad)


def test_timeline_refuses_absurd_span() -> None:
    with pytest.raises(ValueError, match="months"):
        timeline(pd.DataFrame({"month": ["0001-01", "9999-12"], "quad_class": ["verbal_coop"] * 2, "n": [1, 1]}))


# --- type mix ------------------------------------------------------------------------------------------------------

def test_type_mix_sorted_titled_and_linked() -> None:
    df = pd.DataFrame({"event_type": ["AID", "CONSULT", "ASSAULT", "ACCUSE"], "n": [2, 30, 12, 0]})
    root = parse(type_mix(df).to_svg(link=query))
    found = marks(root)
    assert [m.get("data-event-type") for m in found] == ["CONSULT", "ASSAULT", "AID"]  # zero row: no mark
    assert tip(found[0]) == "CONSULT: 30 events (68.2% of 44)"
    widths = [float(m.get("width") or 0) for m in found]
    assert widths == sorted(widths, reverse=True)
    assert links(root) == ["/dash?event_type=CONSULT", "/dash?event_type=ASSAULT", "/dash?event_type=AID"]


# --- network -------------------------------------------------------------------------------------------------------

def test_network_edges_nodes_and_tooltips(dyads: pd.DataFrame) -> None:
    root = parse(network(dyads).to_svg(link=query))
    edges = [m for m in marks(root) if "edge" in (m.get("class") or "")]
    nodes = [m for m in marks(root) if "node" in (m.get("class") or "")]
    assert len(edges) == len(dyads)
    assert len(nodes) == 5
    assert "USA \u2192 IRN: 12 events" in {tip(e) for e in edges}
    assert "IRN \u2192 IRN: 2 events" in {tip(e) for e in edges}  # self-loop drawn too
    assert "IRN: 29 events (7 as source, 22 as target)" in {tip(n) for n in nodes}
    radius = {n.get("data-actor"): float(n.get("r") or 0) for n in nodes}
    assert radius["IRN"] > radius["ISR"]  # size by total degree
    width = {(e.get("data-source"), e.get("data-target")): float(e.get("stroke-width") or 0) for e in edges}
    assert width[("RUS", "UKR")] > width[("USA", "ISR")]  # width by n
    assert "/dash?source=USA&target=IRN" in links(root) and "/dash?actor=USA" in links(root)


def test_network_caps_nodes_and_says_so() -> None:
    df = pd.DataFrame({"source": ["HUB"] * 60, "target": [f"A{i:02d}" for i in range(60)], "n": range(1, 61)})
    chart = network(df)
    root = parse(chart.to_svg())
    nodes = [m for m in marks(root) if "node" in (m.get("class") or "")]
    assert len(nodes) == MAX_NODES
    assert "A59" in {n.get("data-actor") for n in nodes} and "A00" not in {n.get("data-actor") for n in nodes}
    assert len([m for m in marks(root) if "edge" in (m.get("class") or "")]) == MAX_NODES - 1
    assert "Showing the 40 most active of 61 actors; 21 links" in "".join(root.itertext())


def test_network_is_deterministic_and_order_independent(dyads: pd.DataFrame) -> None:
    first = network(dyads).to_svg(link=query)
    assert network(dyads).to_svg(link=query) == first
    assert network(dyads.sample(frac=1, random_state=3)).to_svg(link=query) == first
    assert network(dyads, title="Other").to_svg() != first


# --- world map -----------------------------------------------------------------------------------------------------

def test_world_map_colours_countries_with_events() -> None:
    df = pd.DataFrame({"country": ["IRN", "usa", "XKX", "ZZZ", "ATA", "FJI"], "n": [40, 300, 2, 5, 1, 7]})
    root = parse(world_map(df).to_svg(link=query))
    paths = {p.get("data-code"): p for p in root.iter(f"{NS}path")}
    assert {"IRN", "USA", "KOS", "FRA", "RUS", "FJI"} <= set(paths)
    grey = paths["FRA"].get("fill")
    assert paths["IRN"].get("fill") != grey and paths["USA"].get("fill") != grey
    assert paths["IRN"].get("fill") != paths["USA"].get("fill")  # different classes
    assert paths["RUS"].get("fill") == grey
    found = marks(root)
    assert sorted(m.get("data-code") for m in found) == ["FJI", "IRN", "KOS", "USA"]
    assert tip(paths["IRN"]) == "Iran (IRN): 40 events"
    assert tip(paths["FRA"]) == "France (FRA): no events"
    assert sorted(links(root)) == ["/dash?country=FJI", "/dash?country=IRN", "/dash?country=KOS", "/dash?country=USA"]
    assert "Not on the map: 2 codes with 6 events: ATA (1), ZZZ (5)." in "".join(root.itertext())


def test_world_map_has_no_antimeridian_streaks() -> None:
    root = parse(world_map(pd.DataFrame({"country": ["RUS"], "n": [1]})).to_svg())
    for path in root.iter(f"{NS}path"):
        for sub in (path.get("d") or "").split("M")[1:]:
            xs = [float(pair.split()[0]) for pair in sub.rstrip("Z").replace("Z", "").split("L")]
            steps = [abs(b - a) for a, b in zip(xs, xs[1:], strict=False)]
            assert max(steps, default=0) < 480, path.get("data-code")  # half the 960-pixel width


def test_vendored_world_data() -> None:
    ref = resources.files("eventcoder").joinpath("data/world/countries.json")
    raw = json.loads(ref.read_text(encoding="utf-8"))
    assert raw["source"].startswith("world-atlas@2.0.2")
    assert len(ref.read_bytes()) < 400_000
    world = load_world()
    assert len(world) > 170 and world["IRN"].name == "Iran"
    for code, country in world.items():
        assert code == "KOS" or pycountry.countries.get(alpha_3=code) is not None, code
        for ring in country.rings:
            assert ring[0] == ring[-1] and len(ring) >= 4
            for (x0, y0), (x1, y1) in zip(ring, ring[1:], strict=False):
                assert -180 <= x0 <= 180 and -90 <= y0 <= 90
                assert abs(x1 - x0) <= 180 or abs(y0) == abs(y1) == 90, (code, x0, x1)
    assert "ISC" in resources.files("eventcoder").joinpath("data/world/LICENSE").read_text(encoding="utf-8")


# --- shared behaviour ----------------------------------------------------------------------------------------------

def hostile_charts() -> dict[str, Chart]:
    n = list(range(1, len(HOSTILE) + 1))
    return {
        "type_mix": type_mix(pd.DataFrame({"event_type": HOSTILE, "n": n}), title=HOSTILE[0]),
        "network": network(pd.DataFrame({"source": HOSTILE, "target": HOSTILE[1:] + HOSTILE[:1], "n": n}),
                           title=HOSTILE[1]),
        "world_map": world_map(pd.DataFrame({"country": HOSTILE, "n": n}), title=HOSTILE[2]),
        "timeline": timeline(pd.DataFrame({"month": ["2021-01"], "quad_class": ["verbal_coop"], "n": [1]}),
                             title=HOSTILE[3]),
    }


@pytest.mark.parametrize("kind", ["type_mix", "network", "world_map", "timeline"])
def test_hostile_labels_are_escaped(kind: str, tmp_path: Path) -> None:
    chart = hostile_charts()[kind]
    svg = chart.to_svg(link=query)
    assert_csp_safe(svg)
    assert "&lt;script&gt;" in svg.lower() or kind == "timeline"
    root = parse(svg)
    assert root.get("aria-label") == chart.title  # round-trips exactly once parsed
    texts = "".join(root.itertext())
    if kind in {"type_mix", "network"}:
        for label in HOSTILE:
            assert any(label in tip(m) for m in marks(root)), label
            assert any(query({"event_type": label}) == h or label in h for h in links(root)), label
    if kind == "world_map":
        assert "<SCRIPT>ALE\u2026 (1)" in texts  # listed (cut short) in the note, escaped in the markup
    chart.to_png(tmp_path / "hostile.png", dpi=50)  # "$" must not trip matplotlib's mathtext
    png_size(tmp_path / "hostile.png")


def test_control_characters_never_break_the_xml() -> None:
    svg = type_mix(pd.DataFrame({"event_type": ["a\x00b\x1bc\ufffe", "ok"], "n": [2, 1]})).to_svg()
    root = parse(svg)
    assert tip(marks(root)[0]).startswith("abc:")


@pytest.mark.parametrize("href", ["javascript:alert(1)", " JaVa\tScRiPt:alert(1)", "data:text/html,<b>",
                                  "vbscript:x"])
def test_links_with_dangerous_schemes_are_dropped(href: str, dyads: pd.DataFrame) -> None:
    root = parse(network(dyads).to_svg(link=lambda keys: href))
    assert links(root) == [] and len(marks(root)) > 0
    kept = parse(network(dyads).to_svg(link=lambda keys: "https://example.org/?a=1&b=2"))
    assert set(links(kept)) == {"https://example.org/?a=1&b=2"}


@pytest.mark.parametrize("build", [timeline, type_mix, network, world_map])
def test_empty_frames_give_a_no_events_plot(build, tmp_path: Path) -> None:
    columns = {timeline: ["month", "quad_class", "n"], type_mix: ["event_type", "n"],
               network: ["source", "target", "n"], world_map: ["country", "n"]}[build]
    chart = build(pd.DataFrame({c: [] for c in columns}))
    assert chart.empty
    root = parse(chart.to_svg(link=query))
    assert marks(root) == [] and "no events" in "".join(root.itertext())
    chart.to_png(tmp_path / "empty.png", dpi=60)
    png_size(tmp_path / "empty.png", min_bytes=2000)
    zero = pd.DataFrame({c: (["2021-01"] if c == "month" else ["verbal_coop"] if c == "quad_class" else
                             [0] if c == "n" else ["IRN"]) for c in columns})
    assert build(zero).empty  # only zero counts: nothing to draw either


@pytest.mark.parametrize(("build", "columns", "missing"), [
    (timeline, ["month", "n"], "quad_class"),
    (type_mix, ["event_type"], "'n'"),
    (network, ["source", "n"], "target"),
    (world_map, ["n"], "country"),
])
def test_missing_columns_are_named(build, columns: list[str], missing: str) -> None:
    with pytest.raises(ValueError, match=missing):
        build(pd.DataFrame({c: ["2021-01"] for c in columns}))


def test_every_chart_svg_is_deterministic(months: pd.DataFrame, dyads: pd.DataFrame) -> None:
    def build() -> list[str]:
        return [timeline(months).to_svg(link=query), type_mix(pd.DataFrame({"event_type": ["B", "A"], "n": [1, 1]}))
                .to_svg(), network(dyads).to_svg(), world_map(pd.DataFrame({"country": ["IRN"], "n": [3]})).to_svg()]

    assert build() == build()
