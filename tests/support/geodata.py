"""Hand-made geography files for tests: ONS-style boundary GeoJSON, GeoPackages and MBTiles.

The shapes are squares and rectangles in British National Grid metres near Bristol, so every
expected answer (inside or outside, area, which cell) can be worked out by hand.
"""

from __future__ import annotations

import json
import sqlite3
import struct
import zlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rpdesk.domain import geo

#: The test ward: a 2 km square with a 200 m square hole (a park it does not cover).
WARD_E0, WARD_N0 = 358_000.0, 172_000.0
WARD_SIZE = 2_000.0


def square(x0: float, y0: float, size: float) -> list[list[float]]:
    return [[x0, y0], [x0 + size, y0], [x0 + size, y0 + size], [x0, y0 + size], [x0, y0]]


def ward_polygon() -> list[list[list[float]]]:
    hole = square(WARD_E0 + 900, WARD_N0 + 900, 200)
    return [square(WARD_E0, WARD_N0, WARD_SIZE), hole[::-1]]


def feature(props: dict[str, Any], geometry: dict[str, Any]) -> dict[str, Any]:
    return {"type": "Feature", "properties": props, "geometry": geometry}


def write_geojson(path: Path, features: Sequence[dict[str, Any]], *, bng: bool = True) -> Path:
    doc: dict[str, Any] = {"type": "FeatureCollection", "features": list(features)}
    if bng:
        doc["crs"] = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::27700"}}
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def to_lonlat(geometry: dict[str, Any]) -> dict[str, Any]:
    """The same shape in WGS84 degrees, as ONS's WGS84 downloads and OpenStreetMap extracts hold it."""

    def convert(coords: Any) -> Any:
        if isinstance(coords[0], float | int):
            lon, lat = geo.to_wgs84(coords[0], coords[1])
            return [float(lon), float(lat)]
        return [convert(c) for c in coords]

    return {"type": geometry["type"], "coordinates": convert(geometry["coordinates"])}


def wards_file(path: Path, code: str = "E05000001", *, bng: bool = True) -> Path:
    """An ONS-style wards file: the test ward and a neighbour east of it."""
    ours = {"type": "Polygon", "coordinates": ward_polygon()}
    neighbour = {"type": "Polygon", "coordinates": [square(WARD_E0 + WARD_SIZE, WARD_N0, WARD_SIZE)]}
    shapes = [ours, neighbour] if bng else [to_lonlat(ours), to_lonlat(neighbour)]
    return write_geojson(
        path,
        [
            feature({"WD24CD": code, "WD24NM": "Test Ward", "OBJECTID": 1}, shapes[0]),
            feature({"WD24CD": "E05999999", "WD24NM": "Next Ward", "OBJECTID": 2}, shapes[1]),
        ],
        bng=bng,
    )


def lsoa_file(path: Path, codes: Sequence[str]) -> Path:
    """LSOAs as 1 km x 2 km strips of the test ward, west to east, one per code."""
    feats = [
        feature(
            {"LSOA21CD": code, "LSOA21NM": f"Test {i:03d}A"},
            {"type": "Polygon", "coordinates": [_rect(WARD_E0 + 1000 * i, WARD_N0, 1000, WARD_SIZE)]},
        )
        for i, code in enumerate(codes)
    ]
    return write_geojson(path, feats)


def _rect(x0: float, y0: float, w: float, h: float) -> list[list[float]]:
    return [[x0, y0], [x0 + w, y0], [x0 + w, y0 + h], [x0, y0 + h], [x0, y0]]


def streets_file(path: Path, *, bng: bool = False) -> Path:
    """An OpenStreetMap-style extract: two named roads across the ward, one unnamed, one far away."""
    e, n = WARD_E0, WARD_N0
    roads = [
        ({"name": "Market Street", "highway": "primary"}, [[e, n + 500], [e + 2000, n + 500]]),
        ({"name": "Mill Lane", "highway": "residential"}, [[e + 1500, n], [e + 1500, n + 2000]]),
        ({"highway": "service"}, [[WARD_E0 + 100, WARD_N0 + 100], [WARD_E0 + 300, WARD_N0 + 300]]),
        ({"name": "Far Away Road", "highway": "primary"}, [[WARD_E0 + 50_000, WARD_N0], [WARD_E0 + 51_000, WARD_N0]]),
    ]
    feats = []
    for props, coords in roads:
        shape = {"type": "LineString", "coordinates": coords}
        feats.append(feature(props, shape if bng else to_lonlat(shape)))
    return write_geojson(path, feats, bng=bng)


# --- GeoPackage and MBTiles --------------------------------------------------------------------


def _wkb_polygon(rings: Sequence[Sequence[Sequence[float]]]) -> bytes:
    out = struct.pack("<BII", 1, 3, len(rings))
    for ring in rings:
        out += struct.pack("<I", len(ring)) + b"".join(struct.pack("<dd", x, y) for x, y in ring)
    return out


def _wkb_multiline(lines: Sequence[Sequence[Sequence[float]]]) -> bytes:
    out = struct.pack("<BII", 1, 5, len(lines))
    for line in lines:
        out += struct.pack("<BII", 1, 2, len(line)) + b"".join(struct.pack("<dd", x, y) for x, y in line)
    return out


def _gpkg_blob(wkb: bytes, srs: int) -> bytes:
    return b"GP" + bytes([0, 0b00000001]) + struct.pack("<i", srs) + wkb  # little-endian, no envelope


def write_geopackage(path: Path, table: str, columns: Sequence[str], rows: Sequence[tuple[Any, ...]], srs: int) -> Path:
    """A minimal GeoPackage: the three gpkg_* tables a reader needs and one feature table (last column = geom)."""
    con = sqlite3.connect(path)
    con.executescript(
        "CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT, srs_id INTEGER PRIMARY KEY, organization TEXT, "
        "organization_coordsys_id INTEGER, definition TEXT, description TEXT);"
        "CREATE TABLE gpkg_contents (table_name TEXT PRIMARY KEY, data_type TEXT, identifier TEXT);"
        "CREATE TABLE gpkg_geometry_columns (table_name TEXT, column_name TEXT, geometry_type_name TEXT, "
        "srs_id INTEGER, z INTEGER, m INTEGER);"
    )
    con.execute("INSERT INTO gpkg_spatial_ref_sys VALUES ('x', ?, 'EPSG', ?, '', '')", (srs, srs))
    con.execute("INSERT INTO gpkg_contents VALUES (?, 'features', ?)", (table, table))
    con.execute("INSERT INTO gpkg_geometry_columns VALUES (?, 'geom', 'GEOMETRY', ?, 0, 0)", (table, srs))
    cols = ", ".join(f'"{c}"' for c in columns)
    con.execute(f'CREATE TABLE "{table}" (fid INTEGER PRIMARY KEY, {cols}, geom BLOB)')
    marks = ", ".join("?" for _ in range(len(columns) + 1))
    con.executemany(f'INSERT INTO "{table}" ({cols}, geom) VALUES ({marks})', rows)
    con.commit()
    con.close()
    return path


def ward_geopackage(path: Path, code: str = "E05000001") -> Path:
    blob = _gpkg_blob(_wkb_polygon(ward_polygon()), 27700)
    return write_geopackage(path, "WD24_BGC", ("WD24CD", "WD24NM"), [(code, "Test Ward", blob)], 27700)


def roads_geopackage(path: Path) -> Path:
    """OS Open Roads style: table road_link with name_1 and road_classification."""
    line = [[WARD_E0 + 200, WARD_N0 + 1200], [WARD_E0 + 1800, WARD_N0 + 1250]]
    blob = _gpkg_blob(_wkb_multiline([line]), 27700)
    return write_geopackage(
        path, "road_link", ("name_1", "road_classification"), [("High Street", "A Road", blob)], 27700
    )


def solid_png(rgb: tuple[int, int, int], size: int = 256) -> bytes:
    """A one-colour PNG tile, written by hand (no imaging library needed)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    row = b"\x00" + bytes(rgb) * size
    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    body = chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(row * size)) + chunk(b"IEND", b"")
    return b"\x89PNG\r\n\x1a\n" + body


def write_mbtiles(path: Path, png: bytes, tiles: Sequence[tuple[int, int, int]]) -> Path:
    """An MBTiles file holding ``png`` at each (zoom, column, TMS row)."""
    con = sqlite3.connect(path)
    con.executescript(
        "CREATE TABLE metadata (name TEXT, value TEXT);"
        "CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB);"
    )
    con.executemany("INSERT INTO metadata VALUES (?, ?)", [("name", "test"), ("format", "png")])
    con.executemany("INSERT INTO tiles VALUES (?, ?, ?, ?)", [(z, x, y, png) for z, x, y in tiles])
    con.commit()
    con.close()
    return path


# --- police.uk files with a planted cluster ----------------------------------------------------

POLICE_UK_HEADER = (
    "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,"
    "Last outcome category,Context"
)
#: Where the planted cluster sits: inside the test ward, away from its park, at the centre of a
#: 200 m hexagon (so its 30 m spread stays in that one cell).
CLUSTER = (WARD_E0 + 1400.0, WARD_N0 + 1551.6)


def police_uk_csv(
    path: Path,
    months: Sequence[str],
    *,
    background: int = 40,
    cluster: int = 12,
    cluster_months: Sequence[str] | None = None,
    seed: int = 5,
    lsoas: Sequence[str] = ("E01000001", "E01000002"),
) -> Path:
    """A police.uk street-level file: ``background`` crimes a month spread over the ward, and
    ``cluster`` crimes a month (in ``cluster_months``, default all) within 30 m of :data:`CLUSTER`."""
    import numpy as np

    rng = np.random.default_rng(seed)
    lines = [POLICE_UK_HEADER]
    n = 0
    for month in months:
        xs = list(rng.uniform(WARD_E0 + 20, WARD_E0 + WARD_SIZE - 20, background))
        ys = list(rng.uniform(WARD_N0 + 20, WARD_N0 + WARD_SIZE - 20, background))
        places = ["On or near Somewhere Road"] * background
        if cluster_months is None or month in cluster_months:
            xs += list(CLUSTER[0] + rng.uniform(-30, 30, cluster))
            ys += list(CLUSTER[1] + rng.uniform(-30, 30, cluster))
            places += ["On or near Market Square"] * cluster
        lon, lat = geo.to_wgs84(xs, ys)
        for x, lo, la, place in zip(xs, lon, lat, places, strict=True):
            n += 1
            lsoa = lsoas[0] if x < WARD_E0 + 1000 else lsoas[1]
            kind = "Anti-social behaviour" if n % 3 else "Criminal damage and arson"
            crime_id = "" if kind == "Anti-social behaviour" else f"{n:064x}"
            lines.append(
                f"{crime_id},{month},Avon and Somerset Constabulary,Avon and Somerset Constabulary,"
                f"{lo:.6f},{la:.6f},{place},{lsoa},Test {lsoa[-3:]},{kind},,"
            )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def tiles_covering(min_x: float, min_y: float, max_x: float, max_y: float, zoom: int) -> list[tuple[int, int, int]]:
    """(zoom, column, TMS row) of the web-map tiles covering a BNG box (standard slippy-map arithmetic)."""
    import math

    lon, lat = geo.to_wgs84([min_x, max_x], [min_y, max_y])
    n = 2**zoom

    def xy(lo: float, la: float) -> tuple[int, int]:
        return int((lo + 180) / 360 * n), int((1 - math.asinh(math.tan(math.radians(la))) / math.pi) / 2 * n)

    x0, y0 = xy(float(lon[0]), float(lat[1]))
    x1, y1 = xy(float(lon[1]), float(lat[0]))
    return [(zoom, x, n - 1 - y) for x in range(x0, x1 + 1) for y in range(y0, y1 + 1)]
