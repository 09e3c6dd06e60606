"""Ward boundaries and map layers from hand-made ONS, OpenStreetMap, OS Open Roads and MBTiles files."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from rpdesk.db.models import ChangeLog, StreetSegment, WardArea
from rpdesk.domain import geo
from rpdesk.errors import InputRejected, UserError
from rpdesk.services import geography
from rpdesk.services.wards import add_ward
from tests.support import geodata

CODE = "E05000001"
LSOAS = ["E01000001", "E01000002"]


@pytest.fixture
def ward(db):
    with db.session() as s:
        add_ward(s, CODE, "Test Ward", lsoas=LSOAS)
    return CODE


def _areas(db):
    with db.session() as s:
        return [(a.kind.value, a.code, a.name) for a in s.scalars(select(WardArea).order_by(WardArea.code))]


def test_ward_boundary_is_picked_out_of_the_ons_file_by_its_code(db, ward, tmp_path):
    with db.session() as s:
        result = geography.import_boundary(s, ward, geodata.wards_file(tmp_path / "wards.geojson"))
    assert (result.kind, result.codes) == ("ward", (CODE,))
    assert result.area_km2 == pytest.approx(3.96)
    assert _areas(db) == [("ward", CODE, "Test Ward")]
    with db.session() as s:
        boundary = geography.ward_boundary(s, s.scalar(select(WardArea.ward_id)))
    assert boundary is not None
    assert boundary.box == geo.Box(358_000, 172_000, 360_000, 174_000)


def test_a_wgs84_file_lands_within_a_metre_of_the_bng_one(db, ward, tmp_path):
    with db.session() as s:
        geography.import_boundary(s, ward, geodata.wards_file(tmp_path / "wards.geojson", bng=False))
        box = geography.ward_boundary(s, s.scalar(select(WardArea.ward_id))).box
    assert box.min_x == pytest.approx(358_000, abs=1) and box.max_y == pytest.approx(174_000, abs=1)


def test_geopackage_boundary(db, ward, tmp_path):
    with db.session() as s:
        result = geography.import_boundary(s, ward, geodata.ward_geopackage(tmp_path / "wards.gpkg"))
    assert result.area_km2 == pytest.approx(3.96)


def test_lsoa_boundaries_and_reimport_replaces(db, ward, tmp_path):
    path = geodata.lsoa_file(tmp_path / "lsoa.geojson", [*LSOAS, "E01009999"])
    with db.session() as s:
        first = geography.import_boundary(s, ward, path)
    with db.session() as s:
        second = geography.import_boundary(s, ward, path)
    assert first.codes == tuple(LSOAS) and second.replaced == 2
    assert _areas(db) == [("lsoa", LSOAS[0], "Test 000A"), ("lsoa", LSOAS[1], "Test 001A")]
    with db.session() as s:
        logged = s.scalar(select(func.count()).select_from(ChangeLog).where(ChangeLog.table_name == "ward_area"))
    assert logged == 2


def test_file_without_the_wards_lsoas_is_refused_whole(db, ward, tmp_path):
    path = geodata.lsoa_file(tmp_path / "lsoa.geojson", [LSOAS[0]])
    with pytest.raises(InputRejected) as err, db.session() as s:
        geography.import_boundary(s, ward, path)
    assert "lsoa.geojson, column 'LSOA21CD'; expected a feature for E01000002 (not in this file)" in str(err.value)
    assert _areas(db) == []


def test_file_that_is_not_a_boundary_file(db, ward, tmp_path):
    bad = tmp_path / "roads.geojson"
    geodata.streets_file(bad)
    with pytest.raises(InputRejected, match="ward code column"), db.session() as s:
        geography.import_boundary(s, ward, bad)
    broken = tmp_path / "broken.geojson"
    geodata.write_geojson(broken, [geodata.feature({"WD24CD": CODE}, {"type": "Polygon", "coordinates": [[["a"]]]})])
    with pytest.raises(InputRejected, match=r"broken.geojson, row 1, column 'geometry'"), db.session() as s:
        geography.import_boundary(s, ward, broken)
    text = tmp_path / "notes.geojson"
    text.write_text("hello", encoding="utf-8")
    with pytest.raises(InputRejected, match=r"notes\.geojson; expected a GeoJSON file"), db.session() as s:
        geography.import_boundary(s, ward, text)


def test_streets_need_a_boundary_then_are_cut_to_the_ward(db, ward, tmp_path):
    streets = geodata.streets_file(tmp_path / "osm.geojson")
    with pytest.raises(UserError, match="has no boundary yet"), db.session() as s:
        geography.add_layer(s, ward, streets, "streets")
    with db.session() as s:
        geography.import_boundary(s, ward, geodata.wards_file(tmp_path / "wards.geojson"))
    with db.session() as s:
        info = geography.add_layer(s, ward, streets, "streets")
    assert (info.name, info.kind, info.features) == ("osm", "streets", 3)  # Far Away Road is cut off
    with db.session() as s:
        names = s.scalars(select(StreetSegment.name).order_by(StreetSegment.id)).all()
        market = json.loads(s.scalar(select(StreetSegment.geometry).where(StreetSegment.name == "Market Street")))
    assert names == ["Market Street", "Mill Lane", None]
    assert market["coordinates"][0][0] == pytest.approx([358_000, 172_500], abs=1)


def test_os_open_roads_geopackage_and_layer_list_remove(db, ward, tmp_path):
    with db.session() as s:
        geography.import_boundary(s, ward, geodata.wards_file(tmp_path / "wards.geojson"))
        geography.add_layer(s, ward, geodata.roads_geopackage(tmp_path / "roads.gpkg"), "streets", "OS Open Roads")
    with db.session() as s:
        streets = geography.ward_streets(s, s.scalar(select(WardArea.ward_id)))
        with pytest.raises(UserError, match="already has a layer called 'OS Open Roads'"):
            geography.add_layer(s, ward, tmp_path / "roads.gpkg", "streets", "OS Open Roads")
    assert [(x.name, x.road_class) for x in streets] == [("High Street", "A Road")]
    with db.session() as s:
        assert [x.name for x in geography.list_layers(s, ward)] == ["OS Open Roads"]
        geography.remove_layer(s, ward, "OS Open Roads")
    with db.session() as s:
        assert geography.list_layers(s) == []
        assert s.scalar(select(func.count()).select_from(StreetSegment)) == 0


def test_mbtiles_basemap_is_recorded_by_path(db, ward, tmp_path):
    tiles = geodata.write_mbtiles(tmp_path / "base.mbtiles", geodata.solid_png((200, 220, 200)), [(14, 8100, 10800)])
    with db.session() as s:
        info = geography.add_layer(s, ward, tiles, "basemap", "Basemap")
    assert (info.kind, info.features, info.path) == ("basemap", 1, str(tiles.resolve()))
    not_tiles = geodata.ward_geopackage(tmp_path / "wards.gpkg")
    with pytest.raises(InputRejected, match="MBTiles file with 'metadata' and 'tiles'"), db.session() as s:
        geography.add_layer(s, ward, not_tiles, "basemap")


def test_an_oversized_geojson_is_refused_before_it_is_read(db, ward, tmp_path, monkeypatch):
    from rpdesk.importers import geofiles

    monkeypatch.setattr(geofiles, "MAX_GEOJSON_BYTES", 100)
    path = geodata.wards_file(tmp_path / "Wards_BFE.geojson")
    with (
        pytest.raises(
            InputRejected, match=r"Wards_BFE\.geojson: got '\d+ MB'; expected a GeoJSON file of at most 0 MB"
        ),
        db.session() as s,
    ):
        geography.import_boundary(s, ward, path)
    assert _areas(db) == []


def test_a_wgs84_geopackage_of_3d_roads_is_read_and_projected(db, ward, tmp_path):
    import struct

    with db.session() as s:
        geography.import_boundary(s, ward, geodata.wards_file(tmp_path / "wards.geojson"))
    lon, lat = geo.to_wgs84([358_200.0, 359_800.0], [173_000.0, 173_100.0])
    points = b"".join(struct.pack("<ddd", float(a), float(b), 12.5) for a, b in zip(lon, lat, strict=True))
    wkb = struct.pack("<BII", 1, 1002, 2) + points  # ISO WKB LineString Z (OpenStreetMap exports carry heights)
    blob = b"GP" + bytes([0, 0b00000011]) + struct.pack("<i", 4326) + struct.pack("<4d", 0, 0, 0, 0) + wkb
    path = geodata.write_geopackage(
        tmp_path / "osm.gpkg", "lines", ("name", "highway"), [("Ridge Road", "primary", blob)], 4326
    )
    with db.session() as s:
        info = geography.add_layer(s, ward, path, "streets")
        (street,) = geography.ward_streets(s, s.scalar(select(WardArea.ward_id)))
    assert (info.features, street.name, street.road_class) == (1, "Ridge Road", "primary")
    assert street.lines[0][0] == pytest.approx([358_200, 173_000], abs=0.5)
