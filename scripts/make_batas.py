"""Derive data/batas-balikpapan.geojson (the kelurahan boundaries `init --sample` loads) from the source file.

Usage (from the repository root):
    python scripts/make_batas.py [SOURCE.geojson] [--toleransi DEGREES]

The source is the MIT-licensed file described in data/batas-balikpapan.SOURCE.md (34 kelurahan of
Kota Balikpapan, Kemendagri codes). Every ring is simplified with Douglas–Peucker at the given
tolerance (default 1e-4°, about 11 m; a ring never drops below 4 positions), coordinates are
rounded to 5 decimals (about 1 m), exterior rings are counter-clockwise (RFC 7946). Properties
kept: `kode`, `kelurahan`, `kecamatan`. Deterministic: the same source gives the same bytes.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SOURCE = ROOT.parent.parent / "shared" / "geo" / "balikpapan-kelurahan.geojson"
OUT = ROOT / "data" / "batas-balikpapan.geojson"
TOLERANCE = 1e-4
DECIMALS = 5

Point = tuple[float, float]


def _distance(p: Point, a: Point, b: Point) -> float:
    """Distance (in degrees, lon scaled by cos(lat)) from `p` to the segment a–b."""
    k = math.cos(math.radians(a[1]))
    px, py, ax, ay, bx, by = p[0] * k, p[1], a[0] * k, a[1], b[0] * k, b[1]
    dx, dy = bx - ax, by - ay
    if dx == 0 and dy == 0:
        return math.hypot(px - ax, py - ay)
    s = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
    return math.hypot(px - (ax + s * dx), py - (ay + s * dy))


def douglas_peucker(points: list[Point], tolerance: float) -> list[Point]:
    """The points of an open line kept by Douglas–Peucker at `tolerance` (iterative, endpoints kept)."""
    if len(points) < 3:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        best, index = 0.0, -1
        for i in range(first + 1, last):
            d = _distance(points[i], points[first], points[last])
            if d > best:
                best, index = d, i
        if index >= 0 and best > tolerance:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [p for p, k in zip(points, keep, strict=True) if k]


def _area2(ring: list[Point]) -> float:
    return sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in itertools.pairwise(ring))


def simplify_ring(ring: list[list[float]], tolerance: float, exterior: bool) -> list[list[float]]:
    """A closed ring simplified (split at its farthest point so both halves keep their ends), rounded, oriented."""
    pts = [(float(x), float(y)) for x, y, *_ in ring]
    if pts[0] == pts[-1]:
        pts = pts[:-1]
    far = max(range(len(pts)), key=lambda i: (pts[i][0] - pts[0][0]) ** 2 + (pts[i][1] - pts[0][1]) ** 2)
    first = douglas_peucker(pts[: far + 1], tolerance)
    second = douglas_peucker([*pts[far:], pts[0]], tolerance)
    out = first + second[1:]
    if len(out) < 4:  # a ring needs three corners and the closing position
        out = [*pts[:3], pts[0]] if len(pts) >= 3 else out
    rounded = [(round(x, DECIMALS), round(y, DECIMALS)) for x, y in out]
    deduped = [p for i, p in enumerate(rounded) if i == 0 or p != rounded[i - 1]]
    if deduped[0] != deduped[-1]:
        deduped.append(deduped[0])
    if (_area2(deduped) > 0) != exterior:
        deduped.reverse()
    return [[x, y] for x, y in deduped]


def simplify_geometry(geometry: dict, tolerance: float) -> dict:
    """A Polygon or MultiPolygon with every ring simplified (first ring exterior, the rest holes)."""
    polys = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    out = [[simplify_ring(r, tolerance, i == 0) for i, r in enumerate(poly)] for poly in polys]
    if geometry["type"] == "MultiPolygon":
        return {"type": "MultiPolygon", "coordinates": out}
    return {"type": "Polygon", "coordinates": out[0]}


def _positions(geometry: dict) -> int:
    polys = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    return sum(len(r) for poly in polys for r in poly)


def main() -> None:
    """Read the source, simplify, write `OUT` and print what changed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", nargs="?", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("--toleransi", type=float, default=TOLERANCE, help="Douglas–Peucker tolerance in degrees")
    args = parser.parse_args()
    source = json.loads(args.source.read_text(encoding="utf-8"))
    features, before, after = [], 0, 0
    for feature in sorted(source["features"], key=lambda f: f["properties"]["kode"]):
        props = feature["properties"]
        geometry = simplify_geometry(feature["geometry"], args.toleransi)
        before += _positions(feature["geometry"])
        after += _positions(geometry)
        features.append(
            {
                "type": "Feature",
                "properties": {k: props[k] for k in ("kode", "kelurahan", "kecamatan")},
                "geometry": geometry,
            }
        )
    collection = {"type": "FeatureCollection", "name": "batas-kelurahan-balikpapan", "features": features}
    text = json.dumps(collection, ensure_ascii=False, separators=(",", ":"))
    OUT.write_text(text + "\n", encoding="utf-8")
    print(f"{OUT.relative_to(ROOT)}: {len(features)} kelurahan, {before} → {after} positions, {len(text) // 1024} KB")


if __name__ == "__main__":
    main()
