#!/usr/bin/env python3
"""Vendor world boundaries for ``eventcoder.plots.world_map`` from the npm package world-atlas@2.0.2.

    cd "$(mktemp -d)" && npm pack world-atlas@2.0.2
    python scripts/vendor_world.py world-atlas-2.0.2.tgz      # or .../package/countries-110m.json

Writes ``src/eventcoder/data/world/countries.json`` and ``LICENSE`` next to it. The map is read
at run time from those files only (no network, no npm). This script decodes the TopoJSON itself:
quantized, delta-encoded arcs; polygons and multipolygons; a negative arc index ``~i`` is arc ``i``
reversed. Numeric ISO 3166-1 ids become alpha-3 codes with pycountry. Rings that cross the
antimeridian (Russia's Chukotka, Wrangel Island, Fiji) are cut at +-180 degrees so that a flat
equirectangular drawing has no streaks across the map; Antarctica, which winds around the pole,
is closed along the bottom edge (latitude -90) instead.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import sys
import tarfile
from pathlib import Path
from typing import Any

import pycountry

PACKAGE = "world-atlas"
VERSION = "2.0.2"
MEMBER = "package/countries-110m.json"
SOURCE = f"{PACKAGE}@{VERSION} countries-110m (Natural Earth)"
OUT = Path(__file__).resolve().parents[1] / "src" / "eventcoder" / "data" / "world"
# Features without an ISO numeric id. KOS is the code eventcoder (and PLOVER) use for Kosovo;
# Northern Cyprus and Somaliland are drawn as part of the state that event data codes them to.
NO_ID = {"Kosovo": "KOS", "N. Cyprus": "CYP", "Somaliland": "SOM"}
DIGITS = 2  # 0.01 degree: about 1 km, far below what a 110m map can show

Point = tuple[float, float]
Ring = list[Point]


def read_source(path: Path) -> tuple[dict[str, Any], str, str]:
    """(TopoJSON, licence text, provenance line) from the npm tarball or the extracted JSON file."""
    if path.suffix == ".json":
        notice = path.with_name("LICENSE")
        if not notice.exists():
            sys.exit(f"{notice} not found: pass the tarball, or keep the package's LICENSE beside the JSON")
        return json.loads(path.read_text(encoding="utf-8")), notice.read_text(encoding="utf-8"), path.name
    blob = path.read_bytes()
    with tarfile.open(fileobj=io.BytesIO(blob), mode="r:gz") as tar:
        def member(name: str) -> bytes:
            handle = tar.extractfile(name)
            if handle is None:
                sys.exit(f"{path}: {name} missing")
            return handle.read()
        meta = json.loads(member("package/package.json"))
        if (meta.get("name"), meta.get("version")) != (PACKAGE, VERSION):
            sys.exit(f"{path}: is {meta.get('name')}@{meta.get('version')}, expected {PACKAGE}@{VERSION}")
        topo = json.loads(member(MEMBER))
        licence = member("package/LICENSE").decode("utf-8")
    return topo, licence, f"{path.name} (sha256 {hashlib.sha256(blob).hexdigest()}), {MEMBER}"


def decode_arcs(topo: dict[str, Any]) -> list[Ring]:
    """Undo delta encoding and quantization: each arc becomes a list of (lon, lat)."""
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def stitch(indices: list[int], arcs: list[Ring]) -> Ring:
    """One closed ring from arc indices; arcs share their end points, so each join point is kept once."""
    ring: Ring = []
    for index in indices:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        ring.extend(arc[1:] if ring else arc)
    return ring


def polygons_of(geometry: dict[str, Any], arcs: list[Ring]) -> list[list[Ring]]:
    """Polygons (outer ring first, then holes) of a Polygon or MultiPolygon geometry."""
    if geometry["type"] == "Polygon":
        parts = [geometry["arcs"]]
    elif geometry["type"] == "MultiPolygon":
        parts = geometry["arcs"]
    else:
        return []
    return [[stitch(ring, arcs) for ring in polygon] for polygon in parts]


def area(ring: Ring) -> float:
    """Signed area in degrees squared, positive when counter-clockwise (lon right, lat up)."""
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:], strict=False)) / 2


def clip(ring: Ring, edge: float, keep_left: bool) -> Ring:
    """Sutherland-Hodgman against the meridian ``edge``: the part of ``ring`` on one side, closed."""
    def inside(p: Point) -> bool:
        return p[0] <= edge if keep_left else p[0] >= edge

    out: Ring = []
    for a, b in zip(ring, ring[1:], strict=False):
        if inside(a) != inside(b):
            t = (edge - a[0]) / (b[0] - a[0])
            out.append((edge, a[1] + t * (b[1] - a[1])))
        if inside(b):
            out.append(b)
    return out + out[:1] if out else []


def cut_antimeridian(ring: Ring) -> list[Ring]:
    """Rings that jump across +-180 degrees, unwrapped and cut into pieces each within [-180, 180]."""
    unwrapped = [ring[0]]
    for x, y in ring[1:]:
        prev = unwrapped[-1][0]
        x += 360 * round((prev - x) / 360)
        unwrapped.append((x, y))
    if abs(unwrapped[-1][0] - unwrapped[0][0]) > 1e-9:
        # Winds around a pole (Antarctica): the source already cut it; close it along latitude -90.
        out: Ring = []
        for a, b in zip(ring, ring[1:], strict=False):
            out.append(a)
            if abs(b[0] - a[0]) > 180:
                pole = -90.0 if a[1] < 0 else 90.0
                out.extend([(a[0], pole), (b[0], pole)])
        return [out + [ring[-1]]]
    low, high = min(x for x, _ in unwrapped), max(x for x, _ in unwrapped)
    if low >= -180 and high <= 180:
        return [ring]
    pieces = []
    for shift in (-360.0, 0.0, 360.0):
        moved = [(x + shift, y) for x, y in unwrapped]
        piece = clip(clip(moved, 180.0, keep_left=True), -180.0, keep_left=False)
        if len(piece) >= 4 and abs(area(piece)) > 1e-9:
            pieces.append(piece)
    return pieces


def tidy(ring: Ring, hole: bool) -> list[list[float]] | None:
    """Round to DIGITS, drop repeated points, orient (outer rings clockwise, holes counter-clockwise)."""
    points: list[Point] = []
    for x, y in ring:
        p = (round(x, DIGITS) + 0.0, round(y, DIGITS) + 0.0)
        if not points or p != points[-1]:
            points.append(p)
    if points[0] != points[-1]:
        points.append(points[0])
    if len(points) < 4 or area(points) == 0:
        return None
    if (area(points) > 0) != hole:
        points.reverse()
    return [list(p) for p in points]


def build(topo: dict[str, Any]) -> dict[str, dict[str, Any]]:
    arcs = decode_arcs(topo)
    countries: dict[str, dict[str, Any]] = {}
    for feature in topo["objects"]["countries"]["geometries"]:
        name = feature.get("properties", {}).get("name", "")
        if "id" in feature:
            country = pycountry.countries.get(numeric=str(feature["id"]).zfill(3))
            if country is None:
                print(f"skipped {name!r}: unknown ISO numeric id {feature['id']}", file=sys.stderr)
                continue
            code = country.alpha_3
        elif name in NO_ID:
            code = NO_ID[name]
        else:
            print(f"skipped {name!r}: no id", file=sys.stderr)
            continue
        rings = []
        for polygon in polygons_of(feature, arcs):
            for i, ring in enumerate(polygon):
                for piece in cut_antimeridian(ring):
                    if (tidied := tidy(piece, hole=i > 0)) is not None:
                        rings.append(tidied)
        entry = countries.setdefault(code, {"name": name, "polygons": []})
        if "id" in feature:
            entry["name"] = name  # a merged no-id feature never renames its host state
        entry["polygons"].extend(rings)
    return dict(sorted(countries.items()))


def write(countries: dict[str, dict[str, Any]], licence: str, provenance: str, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    lines = [f"{json.dumps(code)}:{json.dumps(entry, separators=(',', ':'), ensure_ascii=False)}"
             for code, entry in countries.items()]
    text = '{"source":' + json.dumps(SOURCE) + ',"countries":{\n' + ",\n".join(lines) + "\n}}\n"
    (out / "countries.json").write_text(text, encoding="utf-8")
    (out / "LICENSE").write_text(
        f"countries.json is converted from the npm package {PACKAGE}@{VERSION} by scripts/vendor_world.py\n"
        f"(source file: {provenance}).\n"
        "Its boundaries come from Natural Earth (https://www.naturalearthdata.com/), which is in the public\n"
        "domain. The package's notice (ISC licence):\n\n" + licence.strip() + "\n",
        encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help=f"{PACKAGE}-{VERSION}.tgz from npm pack, or countries-110m.json")
    parser.add_argument("--out", type=Path, default=OUT, help=f"output folder (default {OUT})")
    args = parser.parse_args(argv)
    topo, licence, provenance = read_source(args.source)
    countries = build(topo)
    write(countries, licence, provenance, args.out)
    size = (args.out / "countries.json").stat().st_size
    points = sum(len(r) for c in countries.values() for r in c["polygons"])
    print(f"{len(countries)} countries, {points} points, {size} bytes -> {args.out}")


if __name__ == "__main__":
    main()
