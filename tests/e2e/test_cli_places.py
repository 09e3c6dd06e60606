"""Ward boundaries, map layers and hotspots through the real rpdesk-cli process."""

from __future__ import annotations

import json

import pytest

from tests.support import geodata

CODE = "E05000001"


@pytest.fixture
def ward_db(tmp_path, cli):
    url = f"sqlite:///{tmp_path / 'w.sqlite'}"
    assert cli("db", "init", "--db", url).returncode == 0
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


def test_hotspots_json_finds_the_planted_cluster_in_a_held_out_police_uk_file(ward_db, cli, tmp_path):
    months = ["2026-07", "2026-08", "2026-09"]
    crimes = geodata.police_uk_csv(tmp_path / "2026-09-avon-and-somerset-street.csv", months, seed=11)
    assert cli("import", "crimes", "--db", ward_db, str(crimes), "--ward", CODE).returncode == 0
    result = cli(
        "hotspots", "--db", ward_db, "--ward", CODE, "--from", "2026-07-01", "--to", "2026-09-30", "--format", "json"
    )
    assert result.returncode == 0, result.stderr
    cells = json.loads(result.stdout)
    assert {"cell", "lat", "lon", "count", "persistent"} <= set(cells[0])
    lon, lat = geodata.geo.to_wgs84(*geodata.CLUSTER)
    assert abs(cells[0]["lat"] - float(lat)) < 0.001 and abs(cells[0]["lon"] - float(lon)) < 0.0015
    assert cells[0]["persistent"] is True and cells[0]["count"] >= 36
    assert [c["count"] for c in cells] == sorted((c["count"] for c in cells), reverse=True)
    table = cli("hotspots", "--db", ward_db, "--ward", CODE, "--from", "2026-07-01", "--to", "2026-09-30")
    assert "snap point" in table.stderr and "Market Square" in table.stdout


def test_places_add_and_streets_cli(ward_db, cli, tmp_path):
    bad = cli("places", "add", "--db", ward_db, "--ward", CODE, "--action", "1", "--at", "359000,173000")
    assert bad.returncode == 3 and "has no action 1" in bad.stderr
    survey = tmp_path / "survey.csv"
    rows = ["respondent,date,street,litter_problem"]
    rows += [f"R{i},2026-09-0{1 + i % 8},High Street,{3 if i % 2 else 0}" for i in range(10)]
    rows += ["R90,2026-09-02,Tiny Close,3", "R91,2026-09-02,Tiny Close,3"]
    survey.write_text("\n".join(rows) + "\n", encoding="utf-8")
    done = cli("import", "surveys", "--db", ward_db, str(survey), "--ward", CODE, "--round", "Sep")
    assert done.returncode == 0, done.stderr
    out = cli(
        "places", "streets", "--db", ward_db, "--ward", CODE, "--issue", "litter", "--round", "Sep", "--format", "json"
    )
    assert out.returncode == 0, out.stderr
    # Tiny Close (2) may not be shown, nor be revealed as the ward minus High Street: both are pooled
    assert [(r["street"], r["streets"], r["respondents"]) for r in json.loads(out.stdout)] == [("Other streets", 2, 12)]
    out = cli(
        "places",
        "streets",
        "--db",
        ward_db,
        "--ward",
        CODE,
        "--issue",
        "litter",
        "--round",
        "Sep",
        "--min-respondents",
        "2",
        "--format",
        "json",
    )
    assert [(r["street"], r["respondents"]) for r in json.loads(out.stdout)] == [("Tiny Close", 2), ("High Street", 10)]
