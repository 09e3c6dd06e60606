"""Demo wards come with a boundary, LSOAs and streets, and their records lie on them."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from rpdesk.db.models import RecordPlace, Ward
from rpdesk.domain import geo
from rpdesk.services.geography import ward_areas, ward_boundary, ward_streets
from rpdesk.services.hotspots import find_hotspots
from rpdesk.services.places import crime_points, eva_points
from rpdesk.settings import Settings


def test_demo_wards_have_geography_and_their_records_lie_inside(demo_db):
    with demo_db.session() as s:
        wards = s.scalars(select(Ward).order_by(Ward.id)).all()
        boxes = []
        for ward in wards:
            boundary = ward_boundary(s, ward.id)
            assert boundary is not None and boundary.kind == "ward"
            lsoas = [a.code for a in ward_areas(s, ward.id) if a.kind == "lsoa"]
            assert lsoas == sorted(x.lsoa_code for x in ward.lsoas)
            assert len({st.name for st in ward_streets(s, ward.id)}) >= 15
            crimes = crime_points(s, ward.id, dt.date(2020, 1, 1), dt.date(2030, 1, 1))
            assert len(crimes) > 100 and geo.contains(boundary.polygons, crimes.x, crimes.y).all()
            findings = eva_points(s, ward.id, dt.date(2020, 1, 1), dt.date(2030, 1, 1))
            assert len(findings) > 10 and geo.contains(boundary.polygons, findings.x, findings.y).mean() > 0.95
            boxes.append(boundary.box)
        assert not boxes[0].overlaps(boxes[1])  # wards sit side by side
        assert s.scalar(select(func.count()).select_from(RecordPlace)) > 0


def test_demo_ward_has_persistent_hotspots(demo_db):
    with demo_db.session() as s:
        code = s.scalar(select(Ward.code).order_by(Ward.id))
        found = find_hotspots(s, code, dt.date(2026, 5, 1), dt.date(2026, 10, 31), settings=Settings())
    assert found.cells[0].persistent
    assert found.cells[0].place and found.cells[0].place.startswith("On or near ")
