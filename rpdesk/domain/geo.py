"""Plane geometry on the British National Grid, with numpy only.

Everything rpdesk draws or counts is in BNG metres (EPSG:27700): a ward is a few kilometres
across, where the grid is a true plane for every purpose here (distances, areas, a regular grid of
cells). Latitude and longitude (WGS84, EPSG:4326, as police.uk publishes) are converted by PROJ
through :mod:`pyproj`; offline it uses the EPSG Helmert transformation, within 2 m in England and
Wales on the Ordnance Survey's OSTN15 test points (tests/unit/domain/test_geo.py keeps that true).

Shapes are kept in the GeoJSON layout (``{"type": "MultiPolygon", "coordinates": ...}``) in BNG
metres, so they store as text and read back without a geometry library. Point-in-polygon and the
hexagonal grid are a few lines of vectorised numpy; shapely would add 25 MB for nothing more.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.float64]
#: A polygon: outer ring first, then holes; each ring an (n, 2) array of eastings and northings.
Polygon = list[Array]

#: BNG covers Great Britain: anything outside these metres is not a British grid reference.
BNG_BOUNDS = (0.0, 0.0, 700_000.0, 1_300_000.0)


@lru_cache(maxsize=2)
def _transformer(to_bng: bool) -> Any:
    from pyproj import Transformer  # PROJ loads in ~0.1 s: only when a map or hotspot needs it

    src, dst = ("EPSG:4326", "EPSG:27700") if to_bng else ("EPSG:27700", "EPSG:4326")
    return Transformer.from_crs(src, dst, always_xy=True)


def to_bng(lon: Any, lat: Any) -> tuple[Array, Array]:
    """WGS84 longitude/latitude (degrees, arrays or scalars) to BNG eastings/northings in metres."""
    x, y = _transformer(True).transform(np.asarray(lon, dtype=float), np.asarray(lat, dtype=float))
    return np.asarray(x, dtype=float), np.asarray(y, dtype=float)


def to_wgs84(easting: Any, northing: Any) -> tuple[Array, Array]:
    """BNG eastings/northings in metres to WGS84 (longitude, latitude) in degrees."""
    lon, lat = _transformer(False).transform(np.asarray(easting, dtype=float), np.asarray(northing, dtype=float))
    return np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)


def in_bng_bounds(x: float, y: float) -> bool:
    return BNG_BOUNDS[0] <= x <= BNG_BOUNDS[2] and BNG_BOUNDS[1] <= y <= BNG_BOUNDS[3]


# --- shapes ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Box:
    """An axis-aligned rectangle in BNG metres."""

    min_x: float
    min_y: float
    max_x: float
    max_y: float

    @classmethod
    def around(cls, rings: Iterable[Array]) -> Box:
        stacked = np.vstack(list(rings))
        return cls(*(float(v) for v in (*stacked.min(axis=0), *stacked.max(axis=0))))

    def grown(self, metres: float) -> Box:
        return Box(self.min_x - metres, self.min_y - metres, self.max_x + metres, self.max_y + metres)

    def union(self, other: Box) -> Box:
        return Box(
            min(self.min_x, other.min_x),
            min(self.min_y, other.min_y),
            max(self.max_x, other.max_x),
            max(self.max_y, other.max_y),
        )

    def overlaps(self, other: Box) -> bool:
        return not (
            other.min_x > self.max_x or other.max_x < self.min_x or other.min_y > self.max_y or other.max_y < self.min_y
        )

    @property
    def centre(self) -> tuple[float, float]:
        return (self.min_x + self.max_x) / 2, (self.min_y + self.max_y) / 2


def polygons_of(geometry: dict[str, Any]) -> list[Polygon]:
    """The polygons of a GeoJSON-layout Polygon or MultiPolygon."""
    coords = geometry["coordinates"]
    parts = [coords] if geometry["type"] == "Polygon" else coords
    return [[np.asarray(ring, dtype=float)[:, :2] for ring in part] for part in parts]


def lines_of(geometry: dict[str, Any]) -> list[Array]:
    """The polylines of a GeoJSON-layout LineString or MultiLineString."""
    coords = geometry["coordinates"]
    parts = [coords] if geometry["type"] == "LineString" else coords
    return [np.asarray(part, dtype=float)[:, :2] for part in parts]


def multipolygon(polygons: Sequence[Polygon], decimals: int = 1) -> dict[str, Any]:
    """A GeoJSON-layout MultiPolygon, coordinates rounded (0.1 m is far below any boundary's accuracy)."""
    return {
        "type": "MultiPolygon",
        "coordinates": [[np.round(ring, decimals).tolist() for ring in poly] for poly in polygons],
    }


def multiline(lines: Sequence[Array], decimals: int = 1) -> dict[str, Any]:
    return {"type": "MultiLineString", "coordinates": [np.round(line, decimals).tolist() for line in lines]}


def rings(polygons: Sequence[Polygon]) -> Iterator[Array]:
    for poly in polygons:
        yield from poly


def contains(polygons: Sequence[Polygon], x: Any, y: Any) -> NDArray[np.bool_]:
    """Which points lie inside the shape (even-odd rule over every ring, so holes are outside).

    A ray is cast east from each point and the edges it crosses counted. Points are sorted by
    northing once, so each edge only looks at the band of points level with it: a ward boundary of
    a few thousand edges against 100,000 points takes a fraction of a second.
    """
    px = np.asarray(x, dtype=float).ravel()
    py = np.asarray(y, dtype=float).ravel()
    order = np.argsort(py, kind="stable")
    sx, sy = px[order], py[order]
    flips = np.zeros(px.shape, dtype=bool)
    for ring in rings(polygons):
        x1, y1 = ring[:, 0], ring[:, 1]
        x2, y2 = np.roll(x1, -1), np.roll(y1, -1)
        lo = np.searchsorted(sy, np.minimum(y1, y2), "left")
        hi = np.searchsorted(sy, np.maximum(y1, y2), "left")
        for i in np.flatnonzero(hi > lo):
            band = slice(lo[i], hi[i])
            at_x = x1[i] + (sy[band] - y1[i]) * (x2[i] - x1[i]) / (y2[i] - y1[i])
            flips[band] ^= sx[band] < at_x
    inside = np.zeros(px.shape, dtype=bool)
    inside[order] = flips
    return inside


def ring_area(ring: Array) -> float:
    """Signed area (shoelace), positive anticlockwise."""
    x, y = ring[:, 0], ring[:, 1]
    return float(np.dot(x, np.roll(y, -1)) - np.dot(np.roll(x, -1), y)) / 2


def area(polygons: Sequence[Polygon]) -> float:
    """Area in square metres: outer rings minus holes."""
    return sum(abs(ring_area(p[0])) - sum(abs(ring_area(h)) for h in p[1:]) for p in polygons)


def distance_to_lines(lines: Sequence[Array], x: float, y: float) -> float:
    """Shortest distance from a point to any segment of the polylines, in metres."""
    best = math.inf
    p = np.array([x, y])
    for line in lines:
        if len(line) == 1:
            best = min(best, float(np.hypot(*(line[0] - p))))
            continue
        a, b = line[:-1], line[1:]
        ab = b - a
        length2 = (ab**2).sum(axis=1)
        t = np.clip(((p - a) * ab).sum(axis=1) / np.where(length2 == 0, 1, length2), 0, 1)
        closest = a + ab * t[:, None]
        best = min(best, float(np.hypot(*(closest - p).T).min()))
    return best


# --- the hexagonal grid ------------------------------------------------------------------------

SQRT3 = math.sqrt(3.0)


@dataclass(frozen=True)
class HexGrid:
    """Pointy-top hexagons ``width`` metres across the flats, anchored at the BNG origin.

    Anchoring at the grid origin (not at the ward) keeps a cell's id the same whatever the period,
    issue or ward, so months can be compared cell by cell. Hexagons rather than squares: every
    neighbour is the same distance away, so a cluster on a cell corner is not split four ways.
    """

    width: float = 200.0

    @property
    def size(self) -> float:
        """Centre to corner, metres."""
        return self.width / SQRT3

    def cells(self, x: Any, y: Any) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
        """Axial (q, r) of the cell holding each point (cube rounding)."""
        px, py = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
        fq = (SQRT3 / 3 * px - py / 3) / self.size
        fr = (2 / 3 * py) / self.size
        fs = -fq - fr
        q, r, s = np.round(fq), np.round(fr), np.round(fs)
        dq, dr, ds = np.abs(q - fq), np.abs(r - fr), np.abs(s - fs)
        fix_q = (dq > dr) & (dq > ds)
        fix_r = ~fix_q & (dr > ds)
        q = np.where(fix_q, -r - s, q)
        r = np.where(fix_r, -q - s, r)
        return q.astype(np.int64), r.astype(np.int64)

    def centre(self, q: Any, r: Any) -> tuple[Array, Array]:
        qa, ra = np.asarray(q, dtype=float), np.asarray(r, dtype=float)
        return self.size * SQRT3 * (qa + ra / 2), self.size * 1.5 * ra

    def corners(self, q: int, r: int) -> Array:
        """The six corners of a cell, anticlockwise from the top."""
        cx, cy = self.centre(q, r)
        angles = np.radians(90 + 60 * np.arange(6))
        return np.column_stack([float(cx) + self.size * np.cos(angles), float(cy) + self.size * np.sin(angles)])

    def cell_id(self, q: int, r: int) -> str:
        """A stable name for a cell: width, then axial coordinates, e.g. ``H200:-1520:5741``."""
        return f"H{self.width:g}:{q}:{r}"

    def parse(self, cell: str) -> tuple[int, int]:
        _w, q, r = cell[1:].split(":")
        return int(q), int(r)
