"""Ward boundaries, map layers and hotspots through the real rpdesk-cli process."""

from __future__ import annotations

import json

import pytest

from tests.support import geodata

CODE = "E05000001"


@pytest.fixture
def ward_db(tmp_path, cli):
    url = f"sqlite:///{tmp_path / 'w.sqlite'}"
    result = cli("wards", "add", "--db", url, "--code", CODE, "--name", "Test Ward", "--lsoa", "E01000001,E01000002")
    assert result.returncode == 0, result.stderr
    return url


def test_boundary_then_layers_add_list_remove(ward_db, cli, tmp_path):
    wards = geodata.wards_file(tmp_path / "Wards_May_2024_BGC.geojson")
    done = cli("wards", "boundary", "--db", ward_db, "--ward", CODE, str(wards))
    assert done.returncode == 0, done.stderr
    assert f"imported the ward boundary of {CODE} (3.96 km²)" in done.stdout
    lsoas = geodata.lsoa_file(tmp_path / "LSOA_2021.geojson", ["E01000001", "E01000002"])
    done = cli("wards", "boundary", "--db", ward_db, "--ward", CODE, str(lsoas))
    assert "imported the 2 LSOA boundaries" in done.stdout

    streets = geodata.streets_file(tmp_path / "osm.geojson")
    added = cli("layers", "add", "--db", ward_db, "--ward", CODE, "--kind", "streets", "--name", "OSM", str(streets))
    assert added.returncode == 0, added.stderr
    assert "3 road(s)" in added.stdout
    listed = json.loads(cli("layers", "list", "--db", ward_db, "--format", "json").stdout)
    assert [(x["name"], x["kind"], x["features"]) for x in listed] == [("OSM", "streets", 3)]
    removed = cli("layers", "remove", "--db", ward_db, "--ward", CODE, "OSM")
    assert removed.returncode == 0 and "removed streets layer 'OSM'" in removed.stdout
    assert json.loads(cli("layers", "list", "--db", ward_db, "--format", "json").stdout) == []


def test_a_file_without_the_ward_exits_3_naming_file_and_column(ward_db, cli, tmp_path):
    wards = geodata.wards_file(tmp_path / "wards.geojson", code="E05000002")
    result = cli("wards", "boundary", "--db", ward_db, "--ward", CODE, str(wards))
    assert result.returncode == 3
    assert "wards.geojson, column 'WD24CD'; expected a feature for E05000001" in result.stderr
    assert "Traceback" not in result.stderr
