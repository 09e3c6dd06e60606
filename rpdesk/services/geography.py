"""A ward's geography: its boundary and LSOA boundaries, and the context layers of its map.

Boundaries come from the ONS Open Geography files a force downloads (one file holds every ward, or
every LSOA, of the country): the feature whose ``..CD`` code column holds the ward's code is kept,
or the features of the ward's LSOA codes. Street layers (OS Open Roads, OpenStreetMap extracts)
are cut to the ward's surroundings before they are stored, so a county file becomes a few hundred
rows. A raster basemap (MBTiles, an SQLite file of image tiles) stays in its own file; only where
it is and what it covers are recorded.

Each import is one transaction and one change-log row; a file with any problem writes nothing.
"""

from __future__ import annotations

import json
import math
import re
import sqlite3
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from rpdesk.db.changelog import log_bulk, os_user
from rpdesk.db.models import MapLayer, StreetSegment, Ward, WardArea
from rpdesk.domain import geo
from rpdesk.domain.vocabulary import AreaKind, LayerKind
from rpdesk.errors import InputRejected, Problem, UserError
from rpdesk.importers.geofiles import SQLITE_MAGIC, Feature, GeoFile, in_bng, native_box, read_geo_file
from rpdesk.importers.reading import file_sha256
from rpdesk.services.wards import get_ward

WARD_CODE_COLUMN = re.compile(r"^(WD|WARD)\d{2}CD$", re.IGNORECASE)
LSOA_CODE_COLUMN = re.compile(r"^LSOA\d{2}CD$", re.IGNORECASE)
#: Streets within this distance of the ward's boundary box are kept (roads along the edge matter).
STREET_MARGIN_M = 300.0
STREET_NAME_COLUMNS = ("name", "name_1", "name1", "road_name", "roadname", "street")
STREET_CLASS_COLUMNS = ("road_classification", "highway", "class", "road_function", "fclass")


@dataclass(frozen=True)
class BoundaryResult:
    kind: str
    codes: tuple[str, ...]
    area_km2: float
    replaced: int


@dataclass(frozen=True)
class Area:
    kind: str
    code: str
    name: str | None
    polygons: list[geo.Polygon]
    box: geo.Box


@dataclass(frozen=True)
class Street:
    name: str | None
    road_class: str | None
    lines: list[geo.Array]
    box: geo.Box


@dataclass(frozen=True)
class LayerInfo:
    ward: str
    name: str
    kind: str
    file_name: str
    path: str | None
    features: int
    added_at: str
    added_by: str


# --- boundaries --------------------------------------------------------------------------------


def _projected_features(name: str, features: list[Feature]) -> list[Feature]:
    """The features with their geometry in BNG metres; InputRejected naming each one that cannot be."""
    out, problems = [], []
    for f in features:
        try:
            out.append(replace(f, geometry=in_bng(f), bng=True))
        except ValueError as exc:
            problems.append(Problem(name, f.row, "geometry", None, str(exc)))
    if problems:
        raise InputRejected(problems)
    return out


def _code_column(geofile: GeoFile) -> tuple[str, AreaKind]:
    """Which property holds the ONS code, and whether the file is of wards or LSOAs."""
    props = geofile.features[0].properties if geofile.features else {}
    for key in props:
        if WARD_CODE_COLUMN.match(key):
            return key, AreaKind.WARD
        if LSOA_CODE_COLUMN.match(key):
            return key, AreaKind.LSOA
    raise InputRejected(
        [
            Problem(
                geofile.name,
                1 if geofile.features else None,
                None,
                ", ".join(props) or None,
                "an ONS boundary file with a ward code column (e.g. WD24CD) or an LSOA code column (e.g. LSOA21CD)",
            )
        ]
    )


def _name_of(feature: Feature, code_column: str) -> str | None:
    name_column = code_column[:-2] + code_column[-2:].replace("CD", "NM").replace("cd", "nm")
    value = feature.properties.get(name_column)
    return str(value)[:120] if value else None


def import_boundary(session: Session, ward_code: str, path: Path | str) -> BoundaryResult:
    """Keep the ward's own boundary, or its LSOAs' boundaries, from an ONS file; replace earlier ones."""
    ward = get_ward(session, ward_code)
    geofile = read_geo_file(path)
    column, kind = _code_column(geofile)
    wanted = {ward.code} if kind is AreaKind.WARD else {x.lsoa_code for x in ward.lsoas}
    if not wanted:
        raise UserError(
            f"Ward {ward.code} has no LSOA codes, so {geofile.name} (an LSOA file) has nothing to give it. "
            "Import the ward's own boundary file instead."
        )
    chosen = [f for f in geofile.features if str(f.properties.get(column, "")).strip().upper() in wanted]
    found = {str(f.properties[column]).strip().upper() for f in chosen}
    missing = sorted(wanted - found)
    if missing:
        raise InputRejected(
            [Problem(geofile.name, None, column, None, f"a feature for {code} (not in this file)") for code in missing]
        )
    chosen = _projected_features(geofile.name, chosen)
    not_polygons = [f for f in chosen if f.geometry["type"] not in ("Polygon", "MultiPolygon")]
    if not_polygons:
        raise InputRejected(
            [
                Problem(geofile.name, f.row, "geometry", f.geometry["type"], "a Polygon or MultiPolygon")
                for f in not_polygons
            ]
        )
    earlier = WardArea.ward_id == ward.id, WardArea.kind == kind
    replaced = session.scalar(select(func.count()).select_from(WardArea).where(*earlier)) or 0
    session.execute(delete(WardArea).where(*earlier))
    total = 0.0
    rows: list[dict[str, Any]] = []
    for feature in sorted(chosen, key=lambda f: str(f.properties[column])):
        polygons = geo.polygons_of(feature.geometry)
        box = geo.Box.around(geo.rings(polygons))
        if not geo.in_bng_bounds(box.min_x, box.min_y) or not geo.in_bng_bounds(box.max_x, box.max_y):
            raise InputRejected([Problem(geofile.name, feature.row, "geometry", None, "a place in Great Britain")])
        total += geo.area(polygons)
        rows.append(
            {
                "ward_id": ward.id,
                "kind": kind,
                "code": str(feature.properties[column]).strip().upper(),
                "name": _name_of(feature, column),
                "source": geofile.name[:260],
                "geometry": json.dumps(geo.multipolygon(polygons), separators=(",", ":")),
                **box_columns(box),
            }
        )
    # Core, not the ORM: the change log gets one row for the file, not every shape's coordinates.
    session.execute(insert(WardArea), rows)
    session.flush()
    log_bulk(
        session,
        "ward_area",
        ward.id,
        "import",
        {"file": geofile.name, "kind": kind.value, "codes": sorted(found)},
        ward_id=ward.id,
    )
    return BoundaryResult(kind.value, tuple(sorted(found)), total / 1e6, replaced)


def box_columns(box: geo.Box) -> dict[str, float]:
    return {"min_x": box.min_x, "min_y": box.min_y, "max_x": box.max_x, "max_y": box.max_y}


def ward_areas(session: Session, ward_id: int, kind: AreaKind | None = None) -> list[Area]:
    """The boundaries held for a ward (the ward first, then LSOAs by code)."""
    query = select(WardArea).where(WardArea.ward_id == ward_id).order_by(WardArea.kind.desc(), WardArea.code)
    if kind is not None:
        query = query.where(WardArea.kind == kind)
    return [
        Area(
            a.kind.value,
            a.code,
            a.name,
            geo.polygons_of(json.loads(a.geometry)),
            geo.Box(a.min_x, a.min_y, a.max_x, a.max_y),
        )
        for a in session.scalars(query)
    ]


def ward_boundary(session: Session, ward_id: int) -> Area | None:
    """The ward's own boundary if imported, else the union of its LSOAs' shapes, else None."""
    areas = ward_areas(session, ward_id)
    own = [a for a in areas if a.kind == AreaKind.WARD.value]
    if own:
        return own[0]
    if not areas:
        return None
    box = areas[0].box
    for a in areas[1:]:
        box = box.union(a.box)
    return Area("lsoa", "", None, [p for a in areas for p in a.polygons], box)


def _ward_box(session: Session, ward: Ward) -> geo.Box:
    boundary = ward_boundary(session, ward.id)
    if boundary is None:
        raise UserError(
            f"Ward {ward.code} has no boundary yet: import it first with "
            f"'rpdesk-cli wards boundary --ward {ward.code} FILE' (the ONS wards or LSOA file)."
        )
    return boundary.box


# --- context layers ----------------------------------------------------------------------------


def _first(props: dict[str, Any], columns: tuple[str, ...]) -> str | None:
    lower = {k.lower(): v for k, v in props.items()}
    for column in columns:
        value = lower.get(column)
        if value not in (None, ""):
            return str(value).strip()[:200]
    return None


def _add_streets(session: Session, ward: Ward, layer: MapLayer, geofile: GeoFile, box: geo.Box) -> int:
    bad = [f for f in geofile.features if f.geometry["type"] not in ("LineString", "MultiLineString")]
    if bad:
        raise InputRejected(
            [
                Problem(geofile.name, f.row, "geometry", f.geometry["type"], "a LineString or MultiLineString (a road)")
                for f in bad
            ]
        )
    native = native_box(geofile.features[0], box) if geofile.features else box  # one file, one system
    near = [f for f in geofile.features if native.overlaps(geo.Box(*f.box))]
    rows: list[dict[str, Any]] = []
    for feature in _projected_features(geofile.name, near):
        lines = geo.lines_of(feature.geometry)
        line_box = geo.Box.around(lines)
        if box.overlaps(line_box):
            rows.append(
                {
                    "layer_id": layer.id,
                    "name": _first(feature.properties, STREET_NAME_COLUMNS),
                    "road_class": _first(feature.properties, STREET_CLASS_COLUMNS),
                    "geometry": json.dumps(geo.multiline(lines), separators=(",", ":")),
                    **box_columns(line_box),
                }
            )
    kept = len(rows)
    if kept == 0:
        raise UserError(
            f"{geofile.name} has no roads within {STREET_MARGIN_M:g} m of ward {ward.code}; nothing was added."
        )
    session.execute(insert(StreetSegment), rows)
    return kept


def mbtiles_info(path: Path) -> dict[str, str]:
    """An MBTiles file's metadata (name, format, bounds...), or InputRejected if it is not one."""
    try:
        with path.open("rb") as fh:
            magic = fh.read(len(SQLITE_MAGIC))
    except OSError as exc:
        raise UserError(f"{path.name}: cannot be read ({exc.strerror or exc}).") from exc
    if magic != SQLITE_MAGIC:
        raise InputRejected([Problem(path.name, None, None, None, "an MBTiles file (an SQLite file of map tiles)")])
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        meta = {str(k): str(v) for k, v in con.execute("SELECT name, value FROM metadata")}
        tiles = int(con.execute("SELECT count(*) FROM tiles").fetchone()[0])
    except sqlite3.DatabaseError:
        raise InputRejected(
            [Problem(path.name, None, None, None, "an MBTiles file with 'metadata' and 'tiles' tables")]
        ) from None
    finally:
        con.close()
    if meta.get("format", "png").lower() not in ("png", "jpg", "jpeg", "webp"):
        raise InputRejected([Problem(path.name, None, "format", meta.get("format"), "raster tiles (png, jpg or webp)")])
    if tiles == 0:
        raise InputRejected([Problem(path.name, None, "tiles", "0", "at least one tile")])
    meta["tiles"] = str(tiles)
    return meta


def add_layer(session: Session, ward_code: str, path: Path | str, kind: str, name: str | None = None) -> LayerInfo:
    """Add a street network (GeoJSON or GeoPackage) or an MBTiles basemap to a ward's map."""
    ward = get_ward(session, ward_code)
    path = Path(path)
    try:
        layer_kind = LayerKind(kind)
    except ValueError:
        raise UserError(f"Layer kind '{kind}' is not one of {', '.join(k.value for k in LayerKind)}.") from None
    name = (name or path.stem).strip()[:120]
    if session.scalar(select(MapLayer.id).where(MapLayer.ward_id == ward.id, MapLayer.name == name)) is not None:
        raise UserError(f"Ward {ward.code} already has a layer called '{name}'; remove it first or choose --name.")
    layer = MapLayer(ward_id=ward.id, name=name, kind=layer_kind, file_name=path.name[:260], added_by=os_user())
    if layer_kind is LayerKind.BASEMAP:
        meta = mbtiles_info(path)
        layer.path = str(path.resolve())[:500]
        layer.features = int(meta["tiles"])
        with path.open("rb") as fh:
            layer.sha256 = file_sha256(fh.read(1 << 20))  # the first MB: enough to tell files apart
        session.add(layer)
    else:
        box = _ward_box(session, ward).grown(STREET_MARGIN_M)
        geofile = read_geo_file(path)
        layer.sha256, layer.features = geofile.sha256, 0
        session.add(layer)
        session.flush()
        layer.features = _add_streets(session, ward, layer, geofile, box)
    session.flush()
    log_bulk(
        session,
        "map_layer",
        layer.id,
        "import",
        {"file": path.name, "kind": layer_kind.value, "features": layer.features},
        ward_id=ward.id,
    )
    return _layer_info(ward, layer)


def _layer_info(ward: Ward, layer: MapLayer) -> LayerInfo:
    return LayerInfo(
        ward.code,
        layer.name,
        layer.kind.value,
        layer.file_name,
        layer.path,
        layer.features,
        layer.added_at.strftime("%Y-%m-%d %H:%M") if layer.added_at else "",
        layer.added_by,
    )


def list_layers(session: Session, ward_code: str | None = None) -> list[LayerInfo]:
    query = select(MapLayer, Ward).join(Ward, Ward.id == MapLayer.ward_id).order_by(Ward.code, MapLayer.name)
    if ward_code:
        query = query.where(MapLayer.ward_id == get_ward(session, ward_code).id)
    return [_layer_info(ward, layer) for layer, ward in session.execute(query)]


def remove_layer(session: Session, ward_code: str, name: str) -> LayerInfo:
    ward = get_ward(session, ward_code)
    layer = session.scalar(select(MapLayer).where(MapLayer.ward_id == ward.id, MapLayer.name == name.strip()))
    if layer is None:
        raise UserError(f"Ward {ward.code} has no layer called '{name}'. 'rpdesk-cli layers list' shows them.")
    info = _layer_info(ward, layer)
    session.delete(layer)
    session.flush()
    return info


def ward_streets(session: Session, ward_id: int) -> list[Street]:
    """Every road of the ward's street layers (named or not), for drawing and finding streets by name."""
    rows = session.scalars(
        select(StreetSegment).join(MapLayer).where(MapLayer.ward_id == ward_id).order_by(StreetSegment.id)
    )
    return [
        Street(s.name, s.road_class, geo.lines_of(json.loads(s.geometry)), geo.Box(s.min_x, s.min_y, s.max_x, s.max_y))
        for s in rows
    ]


def basemaps(session: Session, ward_id: int) -> list[tuple[str, str]]:
    """(name, path) of the ward's basemap files."""
    rows = session.execute(
        select(MapLayer.name, MapLayer.path).where(MapLayer.ward_id == ward_id, MapLayer.kind == LayerKind.BASEMAP)
    )
    return [(n, p) for n, p in rows if p]


# --- basemap tiles -----------------------------------------------------------------------------

#: The most tiles a basemap view loads at once (each a 256-pixel image): picks the zoom level.
MAX_TILES = 64


@dataclass(frozen=True)
class Tile:
    """One basemap tile: its image bytes and its four corners in BNG metres (top-left, top-right,
    bottom-right, bottom-left), so it can be drawn onto the grid however the grid is turned to it."""

    image: bytes
    corners: tuple[tuple[float, float], ...]


def _tile_lon(x: float, zoom: int) -> float:
    return x / (1 << zoom) * 360.0 - 180.0


def _tile_lat(y: float, zoom: int) -> float:
    return float(math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * y / (1 << zoom))))))


def _tile_xy(lon: float, lat: float, zoom: int) -> tuple[int, int]:
    n = 1 << zoom
    x = int((lon + 180.0) / 360.0 * n)
    y = int((1.0 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2.0 * n)
    return x, y


def basemap_tiles(path: str, box: geo.Box) -> list[Tile]:
    """The tiles of an MBTiles file covering ``box``, at the finest zoom needing at most MAX_TILES of them.

    MBTiles rows count from the south (TMS), while the tile arithmetic here counts from the north
    (as web maps do): row = 2^zoom - 1 - y.
    """
    lon, lat = geo.to_wgs84([box.min_x, box.max_x], [box.min_y, box.max_y])
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error:
        return []
    try:
        zooms = [int(z) for (z,) in con.execute("SELECT DISTINCT zoom_level FROM tiles ORDER BY zoom_level DESC")]
        for zoom in zooms:
            x0, y0 = _tile_xy(float(lon[0]), float(lat[1]), zoom)
            x1, y1 = _tile_xy(float(lon[1]), float(lat[0]), zoom)
            if (x1 - x0 + 1) * (y1 - y0 + 1) > MAX_TILES:
                continue
            top = (1 << zoom) - 1
            rows = con.execute(
                "SELECT tile_column, tile_row, tile_data FROM tiles WHERE zoom_level = ? "
                "AND tile_column BETWEEN ? AND ? AND tile_row BETWEEN ? AND ?",
                (zoom, x0, x1, top - y1, top - y0),
            ).fetchall()
            if rows:
                return [_tile(int(col), top - int(row), zoom, bytes(data)) for col, row, data in rows]
        return []
    except sqlite3.DatabaseError:
        return []
    finally:
        con.close()


def _tile(x: int, y: int, zoom: int, data: bytes) -> Tile:
    lons = [_tile_lon(x, zoom), _tile_lon(x + 1, zoom), _tile_lon(x + 1, zoom), _tile_lon(x, zoom)]
    lats = [_tile_lat(y, zoom), _tile_lat(y, zoom), _tile_lat(y + 1, zoom), _tile_lat(y + 1, zoom)]
    ex, ny = geo.to_bng(lons, lats)
    return Tile(data, tuple((float(a), float(b)) for a, b in zip(ex, ny, strict=True)))
