"""Reading GeoJSON and GeoPackage files into features in British National Grid metres.

The files a force brings: ONS Open Geography boundary downloads (wards, LSOAs), OS Open Roads
(a GeoPackage) and OpenStreetMap extracts (GeoJSON). ONS publishes each boundary set both in BNG
and in WGS84; a GeoJSON file says which in its old-style ``crs`` member, and a file without one is
WGS84 as RFC 7946 requires (unless its numbers can only be metres). A GeoPackage is an SQLite file
whose geometry column holds a small header and then standard WKB; both are read with the standard
library, so no GDAL (about 60 MB) is needed.

Every problem names the file, the feature (as ``row``, counting from 1), the property and what was
expected, and the whole file is refused.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import struct
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from rpdesk.domain import geo
from rpdesk.errors import InputRejected, Problem, UserError
from rpdesk.importers.reading import file_sha256

SQLITE_MAGIC = b"SQLite format 3\x00"
#: A GeoJSON file is parsed whole (Python objects take about ten times the file's size in memory).
MAX_GEOJSON_BYTES = 300 * 10**6


@dataclass(frozen=True)
class Feature:
    """One feature: its properties and its geometry (GeoJSON layout) as the file has it.

    ``geometry`` is in BNG metres when ``bng``, else in WGS84 degrees: a country-wide file is only
    projected for the few features a ward keeps (:func:`in_bng`), which makes reading the 35,000
    LSOAs of England and Wales a matter of seconds. ``box`` is its bounding box in the file's units.
    """

    row: int
    properties: dict[str, Any]
    geometry: dict[str, Any]
    bng: bool = True
    box: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)


def in_bng(feature: Feature) -> dict[str, Any]:
    """The feature's geometry in BNG metres (ValueError if its degrees are not degrees)."""
    return feature.geometry if feature.bng else _projected(feature.geometry)


def native_box(feature: Feature, box: geo.Box) -> geo.Box:
    """``box`` (BNG metres) in the units of ``feature``'s file, for comparing with ``feature.box``."""
    if feature.bng:
        return box
    lon, lat = geo.to_wgs84([box.min_x, box.max_x, box.min_x, box.max_x], [box.min_y, box.min_y, box.max_y, box.max_y])
    return geo.Box(float(lon.min()), float(lat.min()), float(lon.max()), float(lat.max()))


@dataclass(frozen=True)
class GeoFile:
    name: str
    sha256: str
    features: list[Feature]


def read_geo_file(path: Path | str) -> GeoFile:
    """A GeoJSON or GeoPackage file's features, projected to BNG; InputRejected on any problem."""
    path = Path(path)
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            is_gpkg = fh.read(len(SQLITE_MAGIC)) == SQLITE_MAGIC
        if is_gpkg:  # read table by table by SQLite; only hashed here (OS Open Roads is over a gigabyte)
            return GeoFile(path.name, _streamed_sha256(path), list(_geopackage_features(path)))
        if size > MAX_GEOJSON_BYTES:
            expected = (
                f"a GeoJSON file of at most {MAX_GEOJSON_BYTES // 10**6} MB (it is read whole into memory): "
                "use the generalised boundaries (BGC) or the GeoPackage download instead"
            )
            raise InputRejected([Problem(path.name, None, None, f"{size / 1e6:.0f} MB", expected)])
        data = path.read_bytes()
    except OSError as exc:
        raise UserError(f"{path.name}: cannot be read ({exc.strerror or exc}).") from exc
    if not data.strip():
        raise InputRejected([Problem(path.name, None, None, None, "a GeoJSON or GeoPackage file, not an empty one")])
    return GeoFile(path.name, file_sha256(data), _geojson_features(path.name, data))


def _streamed_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# --- GeoJSON -----------------------------------------------------------------------------------


def _geojson_features(name: str, data: bytes) -> list[Feature]:
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise InputRejected([Problem(name, None, None, None, f"a GeoJSON file ({exc})")]) from None
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection" or not isinstance(doc.get("features"), list):
        raise InputRejected(
            [Problem(name, None, None, None, 'a GeoJSON FeatureCollection ({"type": ..., "features": [...]})')]
        )
    bng = _declares_bng(doc) or _looks_like_metres(doc["features"])
    features: list[Feature] = []
    problems: list[Problem] = []
    for i, raw in enumerate(doc["features"], start=1):
        geometry = raw.get("geometry") if isinstance(raw, dict) else None
        props = (raw.get("properties") or {}) if isinstance(raw, dict) else {}
        try:
            shape, box = _checked(geometry)
            features.append(Feature(i, dict(props), shape, bng, box))
        except ValueError as exc:
            problems.append(Problem(name, i, "geometry", None, str(exc)))
    if problems:
        raise InputRejected(problems)
    return features


def _declares_bng(doc: dict[str, Any]) -> bool:
    crs = doc.get("crs")
    name = str(((crs or {}).get("properties") or {}).get("name", "")) if isinstance(crs, dict) else ""
    return "27700" in name


def _looks_like_metres(raw_features: list[Any]) -> bool:
    """A file with no ``crs`` whose first coordinate is far outside degrees can only be in metres."""
    for raw in raw_features[:1]:
        try:
            coords: Any = raw["geometry"]["coordinates"]
            while isinstance(coords, list) and coords and isinstance(coords[0], list):
                coords = coords[0]
            return abs(float(coords[0])) > 360
        except (KeyError, TypeError, IndexError, ValueError):
            return False
    return False


_POLYGONAL = {"Polygon", "MultiPolygon"}
_LINEAR = {"LineString", "MultiLineString"}


def _checked(geometry: Any) -> tuple[dict[str, Any], tuple[float, float, float, float]]:
    """The geometry and its box if it is a polygon or line with numeric coordinates, else ValueError saying why."""
    if not isinstance(geometry, dict) or geometry.get("type") not in _POLYGONAL | _LINEAR:
        got = geometry.get("type") if isinstance(geometry, dict) else geometry
        raise ValueError(f"a Polygon, MultiPolygon, LineString or MultiLineString (got {got!r})")
    try:
        parts = geo.polygons_of(geometry) if geometry["type"] in _POLYGONAL else [geo.lines_of(geometry)]
        arrays = [a for part in parts for a in part]
    except (KeyError, TypeError, ValueError, IndexError):
        raise ValueError("coordinates as lists of [x, y] numbers") from None
    if not arrays or any(len(a) < 2 or not np.isfinite(a).all() for a in arrays):
        raise ValueError("at least two finite [x, y] positions in every ring or line")
    box = geo.Box.around(arrays)
    return {"type": geometry["type"], "coordinates": geometry["coordinates"]}, (
        box.min_x,
        box.min_y,
        box.max_x,
        box.max_y,
    )


def _projected(geometry: dict[str, Any]) -> dict[str, Any]:
    """The same shape with every [lon, lat] turned into [easting, northing]."""

    def convert(coords: Any) -> Any:
        if coords and isinstance(coords[0], (int, float)):
            raise ValueError("a list of positions")
        if coords and isinstance(coords[0][0], (int, float)):
            arr = np.asarray(coords, dtype=float)[:, :2]
            if (np.abs(arr[:, 0]) > 180).any() or (np.abs(arr[:, 1]) > 90).any():
                raise ValueError("longitude and latitude in degrees (the file declares no British National Grid)")
            x, y = geo.to_bng(arr[:, 0], arr[:, 1])
            return np.column_stack([x, y]).tolist()
        return [convert(c) for c in coords]

    return {"type": geometry["type"], "coordinates": convert(geometry["coordinates"])}


# --- GeoPackage --------------------------------------------------------------------------------


def _geopackage_features(path: Path) -> Iterator[Feature]:
    """Features of the GeoPackage's first feature table (OS Open Roads: ``road_link``; ONS: the only one)."""
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise UserError(f"{path.name}: cannot be opened as a GeoPackage ({exc}).") from exc
    try:
        table, column, srs = _feature_table(con, path.name)
        cursor = con.execute(f'SELECT * FROM "{table}"')
        names = [d[0] for d in cursor.description]
        problems: list[Problem] = []
        features: list[Feature] = []
        for i, row in enumerate(cursor, start=1):
            record = dict(zip(names, row, strict=True))
            blob = record.pop(column)
            try:
                shape, box = _checked(_gpkg_geometry(blob))
                features.append(Feature(i, record, shape, srs == 27700, box))
            except ValueError as exc:
                problems.append(Problem(path.name, i, column, None, str(exc)))
        if problems:
            raise InputRejected(problems)
        yield from features
    except sqlite3.DatabaseError as exc:
        raise InputRejected([Problem(path.name, None, None, None, f"a GeoPackage ({exc})")]) from None
    finally:
        con.close()


def _feature_table(con: sqlite3.Connection, name: str) -> tuple[str, str, int]:
    """(table, geometry column, EPSG code) of the first feature table, or a message if none can be used."""
    try:
        row = con.execute(
            "SELECT c.table_name, g.column_name, s.organization, s.organization_coordsys_id "
            "FROM gpkg_contents c JOIN gpkg_geometry_columns g ON g.table_name = c.table_name "
            "JOIN gpkg_spatial_ref_sys s ON s.srs_id = g.srs_id "
            "WHERE c.data_type = 'features' ORDER BY c.table_name = 'road_link' DESC, c.table_name LIMIT 1"
        ).fetchone()
    except sqlite3.DatabaseError:
        row = None
    if row is None:
        raise InputRejected([Problem(name, None, None, None, "a GeoPackage with a feature table")])
    table, column, organization, code = row
    if str(organization).upper() != "EPSG" or int(code) not in (27700, 4326):
        raise InputRejected(
            [Problem(name, None, column, f"{organization}:{code}", "British National Grid (EPSG:27700) or WGS84")]
        )
    return str(table), str(column), int(code)


_ENVELOPE_BYTES = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}


def _gpkg_geometry(blob: Any) -> dict[str, Any]:
    """A GeoPackage geometry blob (``GP`` header, optional envelope, WKB) as a GeoJSON-layout dict."""
    if not isinstance(blob, bytes) or blob[:2] != b"GP" or len(blob) < 8:
        raise ValueError("a GeoPackage geometry")
    flags = blob[3]
    envelope = _ENVELOPE_BYTES.get((flags >> 1) & 0x07)
    if envelope is None:
        raise ValueError("a GeoPackage geometry with a known envelope")
    if flags & 0x10:
        raise ValueError("a geometry, not an empty one")
    geometry, _end = _wkb(blob, 8 + envelope)
    return geometry


_WKB_TYPES = {2: "LineString", 3: "Polygon", 5: "MultiLineString", 6: "MultiPolygon"}


def _wkb(blob: bytes, at: int) -> tuple[dict[str, Any], int]:
    """Read one WKB geometry (ISO or EWKB flags for Z/M) starting at byte ``at``."""
    order = "<" if blob[at] == 1 else ">"
    (code,) = struct.unpack_from(order + "I", blob, at + 1)
    at += 5
    dims = (
        2
        + bool(code & 0x80000000 or (code % 10000) // 1000 in (1, 3))
        + bool(code & 0x40000000 or (code % 10000) // 1000 in (2, 3))
    )
    if code & 0x20000000:  # EWKB with an SRID
        at += 4
    base = (code & 0x0FFFFFFF) % 1000
    if base not in _WKB_TYPES:
        raise ValueError(f"a polygon or line geometry (got WKB type {base})")

    def points(at: int) -> tuple[list[list[float]], int]:
        (n,) = struct.unpack_from(order + "I", blob, at)
        values = np.frombuffer(blob, dtype=order + "f8", count=n * dims, offset=at + 4).reshape(n, dims)
        return values[:, :2].tolist(), at + 4 + 8 * n * dims

    def rings(at: int) -> tuple[list[list[list[float]]], int]:
        (n,) = struct.unpack_from(order + "I", blob, at)
        out = []
        at += 4
        for _ in range(n):
            ring, at = points(at)
            out.append(ring)
        return out, at

    if base == 2:
        coords: Any
        coords, at = points(at)
    elif base == 3:
        coords, at = rings(at)
    else:
        (n,) = struct.unpack_from(order + "I", blob, at)
        at += 4
        coords = []
        for _ in range(n):
            part, at = _wkb(blob, at)
            coords.append(part["coordinates"])
    return {"type": _WKB_TYPES[base], "coordinates": coords}, at
