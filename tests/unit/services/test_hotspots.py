"""Hotspot cells, persistence, places of records and survey signals by street, on hand-made data."""

from __future__ import annotations

import datetime as dt

import pytest

from rpdesk.domain import geo
from rpdesk.errors import UserError
from rpdesk.services import geography, places
from rpdesk.services.audits import add_observation, add_visit
from rpdesk.services.hotspots import find_hotspots
from rpdesk.services.imports import import_crimes
from rpdesk.services.street_signals import OTHER_STREETS, StreetSignal, suppress
from rpdesk.services.wards import add_ward
from rpdesk.settings import Settings
from tests.support import geodata

CODE = "E05000001"
MONTHS = ["2026-04", "2026-05", "2026-06", "2026-07", "2026-08", "2026-09"]


@pytest.fixture
def ward_id(db, tmp_path):
    with db.session() as s:
        wid = add_ward(s, CODE, "Test Ward", lsoas=["E01000001", "E01000002"]).id
    with db.session() as s:
        geography.import_boundary(s, CODE, geodata.wards_file(tmp_path / "wards.geojson"))
        geography.add_layer(s, CODE, geodata.streets_file(tmp_path / "osm.geojson"), "streets")
    return wid


def _import(db, path):
    with db.session() as s:
        import_crimes(s, path, CODE)


def test_planted_cluster_is_the_top_cell_and_persistent(db, ward_id, tmp_path):
    # the cluster appears in 4 of the 6 months: most of them
    _import(db, geodata.police_uk_csv(tmp_path / "crimes.csv", MONTHS, cluster_months=MONTHS[:2] + MONTHS[4:]))
    with db.session() as s:
        found = find_hotspots(s, CODE, dt.date(2026, 4, 1), dt.date(2026, 9, 30), settings=Settings())
    top = found.cells[0]
    grid = geo.HexGrid(200)
    q, r = grid.cells([geodata.CLUSTER[0]], [geodata.CLUSTER[1]])
    assert top.cell == grid.cell_id(int(q[0]), int(r[0]))
    assert top.count == top.crimes >= 48 and top.rank == 1
    assert (top.persistent, top.months_top, top.months) == (True, 4, 6)
    assert top.place == "On or near Market Square"
    lon, lat = geo.to_wgs84(*geodata.CLUSTER)
    assert abs(top.lat - float(lat)) < 0.002 and abs(top.lon - float(lon)) < 0.003
    assert not any(c.persistent for c in found.cells[1:])
    counts = [c.count for c in found.cells]
    assert counts == sorted(counts, reverse=True)
    assert sum(counts) == 6 * 40 + 4 * 12  # every crime falls in exactly one cell


def test_a_cluster_in_one_month_only_is_not_persistent(db, ward_id, tmp_path):
    _import(db, geodata.police_uk_csv(tmp_path / "crimes.csv", MONTHS, cluster=30, cluster_months=MONTHS[-1:]))
    with db.session() as s:
        found = find_hotspots(s, CODE, dt.date(2026, 9, 1), dt.date(2026, 9, 30), settings=Settings())
    assert found.cells[0].count >= 30 and not found.cells[0].persistent


def test_issue_filter_counts_its_crime_types_and_eva_findings(db, ward_id, tmp_path):
    _import(db, geodata.police_uk_csv(tmp_path / "crimes.csv", MONTHS[-1:]))
    with db.session() as s:
        visit = add_visit(s, ward_id, dt.date(2026, 9, 10), "PCSO Lee", None, None)
        for _ in range(3):
            add_observation(
                s,
                visit,
                {
                    "issue": "vandalism_graffiti",
                    "location": "Mill Lane wall",
                    "severity": 3,
                    "count": 4,
                    "easting": 359_540.0,
                    "northing": 173_900.0,
                },
            )
    with db.session() as s:
        found = find_hotspots(
            s, CODE, dt.date(2026, 9, 1), dt.date(2026, 9, 30), issue="vandalism_graffiti", settings=Settings()
        )
    assert found.cells[0].eva == 12 and found.cells[0].crimes == 0  # 3 findings of 4 items each
    total_damage = sum(c.crimes for c in found.cells)
    assert total_damage == len([n for n in range(1, 53) if n % 3 == 0])  # only "Criminal damage and arson"
    assert found.cells[0].place == "Mill Lane"  # no crime there: the nearest named road


def test_crime_and_eva_points_in_bng(db, ward_id, tmp_path):
    _import(db, geodata.police_uk_csv(tmp_path / "crimes.csv", MONTHS[-1:], background=0, cluster=5))
    with db.session() as s:
        pts = places.crime_points(s, ward_id, dt.date(2026, 9, 1), dt.date(2026, 9, 1))
    assert len(pts) == 5
    assert (abs(pts.x - geodata.CLUSTER[0]) < 32).all() and (abs(pts.y - geodata.CLUSTER[1]) < 32).all()
    assert all(label.endswith("On or near Market Square (Sep 2026)") for label in pts.label)


def test_places_for_a_priority_by_street_and_point(db, ward_id):
    from sqlalchemy import select

    from rpdesk.db.models import Issue, Priority

    with db.session() as s:
        issue_id = s.scalar(select(Issue.id).where(Issue.code == "drugs"))
        p = Priority(
            ward_id=ward_id,
            issue_id=issue_id,
            period_start=dt.date(2026, 9, 1),
            adopted_on=dt.date(2026, 9, 1),
            adopted_by="test",
        )
        s.add(p)
        s.flush()
        pid = p.id
    with db.session() as s:
        street = places.add_place(s, CODE, priority_id=pid, street="market street")
        named = places.add_place(s, CODE, priority_id=pid, name="The underpass", point=(359_200.0, 173_100.0))
        with pytest.raises(UserError, match="no road called 'Nowhere Lane'"):
            places.add_place(s, CODE, priority_id=pid, street="Nowhere Lane")
        with pytest.raises(UserError, match="more than 1 km from ward"):
            places.add_place(s, CODE, priority_id=pid, point=(173_100.0, 359_200.0))
        with pytest.raises(UserError, match="has no action 999"):
            places.add_place(s, CODE, action_id=999, point=(359_200.0, 173_100.0))
    assert (street.kind, street.name, street.easting, street.northing) == ("street", "Market Street", 359_000, 172_500)
    assert street.radius_m == pytest.approx(1000, abs=1)
    assert (named.kind, named.name, named.radius_m) == ("named", "The underpass", 100)
    with db.session() as s:
        assert [x.name for x in places.list_places(s, ward_id, priority_ids=[pid])] == [
            "Market Street",
            "The underpass",
        ]


def _street(name, n, big):
    return StreetSignal(name, 1, n, big, 0, 0)


def test_a_street_below_the_threshold_never_appears_alone():
    rows = [
        _street("High Street", 12, 6),
        _street("Mill Lane", 8, 2),
        _street("Tiny Close", 2, 2),
        _street("Nook", 2, 0),
    ]
    shown = suppress(rows, 5)
    names = [r.street for r in shown]
    assert "Tiny Close" not in names and "Nook" not in names
    # the pool (4 respondents) is too small on its own, so the smallest shown street joins it
    assert names == ["High Street", OTHER_STREETS]
    assert (shown[1].streets, shown[1].respondents) == (3, 12)


def test_whole_ward_too_small_shows_nothing():
    assert suppress([_street("A Road", 3, 1)], 5) == []
    assert suppress([_street("A Road", 5, 1)], 5)[0].street == "A Road"


def test_lone_records_in_quiet_months_make_no_persistent_hotspot(db, ward_id, tmp_path):
    # three scattered crimes a month: every busy cell holds one record, which is not a hotspot
    _import(db, geodata.police_uk_csv(tmp_path / "crimes.csv", MONTHS, background=3, cluster=0))
    with db.session() as s:
        found = find_hotspots(s, CODE, dt.date(2026, 4, 1), dt.date(2026, 9, 30), settings=Settings())
    assert found.cells and not any(c.persistent for c in found.cells)
    assert all(c.months_top == 0 for c in found.cells if c.count == 1)


def test_a_finding_kilometres_outside_the_ward_is_left_out_and_counted(db, ward_id, tmp_path):
    with db.session() as s:
        visit = add_visit(s, ward_id, dt.date(2026, 9, 10), "PCSO Lee", None, None)
        for east in (359_500.0, 352_000.0):  # inside; and 6 km west (digits mistyped)
            finding = {"issue": "litter", "location": "Mill Lane", "severity": 2, "count": 1}
            add_observation(s, visit, {**finding, "easting": east, "northing": 173_000.0})
    with db.session() as s:
        found = find_hotspots(s, CODE, dt.date(2026, 9, 1), dt.date(2026, 9, 30), settings=Settings())
    assert found.left_out == 1 and [c.eva for c in found.cells] == [1]
