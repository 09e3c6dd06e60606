"""The maps documents print: one per priority in the pack, hotspot streets on the card, public areas only
in the briefing. Built from the demo ward, rendered, and checked for what must and must not appear."""

from __future__ import annotations

import datetime as dt
import subprocess

from sqlalchemy import select

from rpdesk.db.models import PartnerAction, RecordPlace, Ward
from rpdesk.domain import geo
from rpdesk.reports.layout import PrintOptions
from rpdesk.services import report_data
from rpdesk.services.places import add_place
from rpdesk.settings import Settings
from tests.unit.reports.pdfcheck import page_texts

TCG_DATE = dt.date(2026, 11, 10)
COMMUNITY_DATE = dt.date(2026, 10, 17)
NOW = dt.datetime(2026, 11, 9, 15, 0)


def _ward(db) -> Ward:
    with db.session() as s:
        ward = s.scalars(select(Ward).order_by(Ward.name)).first()
        s.expunge(ward)
        return ward


def test_pack_has_a_map_per_priority_with_its_hotspots_and_places(demo_db, tmp_path):
    from rpdesk.reports.tasking import build_tasking

    code = _ward(demo_db).code
    with demo_db.session() as s:
        data = report_data.tasking_data(s, code, TCG_DATE, settings=Settings(), now=NOW)
    assert data.priorities and len(data.maps) == len(data.priorities)
    for paper, priority in zip(data.maps, data.priorities, strict=True):
        assert priority.label in paper.title
        assert paper.boundary and paper.streets
        assert any("snap point" in n for n in paper.notes)
        if paper.cells:
            assert [c.label for c in paper.cells[:5]] == ["1", "2", "3", "4", "5"][: len(paper.cells)]
            top = paper.cells[0]
            period = paper.title.rsplit("where, ", 1)[1]  # six months to the latest police.uk month
            assert paper.key[0].startswith("1. ") and f" in {period}" in paper.key[0]
            assert " 0 crime" not in paper.key[0] and top.shade == 1.0
        else:  # e.g. speeding: no police.uk type and no EVA finding
            assert paper.key[0].startswith("No crime of this issue's types and no EVA finding")
    assert any(paper.cells for paper in data.maps)
    assert any(p.kind == "priority" for paper in data.maps for p in paper.places)
    out = tmp_path / "pack.pdf"
    build_tasking(data, out, PrintOptions(marking="OFFICIAL-SENSITIVE", force_name="Test"))
    pages = page_texts(out)
    maps_at = [i for i, text in enumerate(pages) if "Map 1:" in text]
    assert maps_at and "8. Where: hotspots and places of each priority" in pages[maps_at[0]]
    assert all("OFFICIAL-SENSITIVE" in pages[i] for i in maps_at)
    png = tmp_path / "map"
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            "40",
            "-f",
            str(maps_at[0] + 1),
            "-l",
            str(maps_at[0] + 1),
            "-png",
            "-singlefile",
            str(out),
            str(png),
        ],
        check=True,
    )
    assert png.with_suffix(".png").stat().st_size > 5_000  # a drawn map, not a blank page


def test_card_lists_the_hotspot_streets_with_a_small_map(demo_db):
    code = _ward(demo_db).code
    with demo_db.session() as s:
        data = report_data.card_data(s, code, TCG_DATE, settings=Settings(), now=NOW)
    assert len(data.hotspots) == 5 and all(line.split(". ", 1)[1].startswith("On or near ") for line in data.hotspots)
    assert data.hotspot_map is not None and len(data.hotspot_map.cells) == 5


def test_briefing_shows_public_areas_only(demo_db, tmp_path):
    from rpdesk.reports.briefing import build_briefing

    ward = _ward(demo_db)
    with demo_db.session() as s:
        data = report_data.briefing_data(s, ward.code, COMMUNITY_DATE, settings=Settings(), now=NOW)
        public = [a for a in data.next_steps]
        assert public, "the demo ward has a public action to come"
        action_id = s.scalar(
            select(PartnerAction.id).where(PartnerAction.ward_id == ward.id, PartnerAction.title == public[0].title)
        )
        box = s.execute(select(RecordPlace.easting, RecordPlace.northing).where(RecordPlace.ward_id == ward.id)).first()
        s.execute(
            RecordPlace.__table__.delete().where(RecordPlace.ward_id == ward.id, RecordPlace.action_id.is_not(None))
        )
        place = add_place(s, ward.code, action_id=action_id, name="Behind 12 Mill Lane", point=(box[0] + 5, box[1] + 5))
    with demo_db.session() as s:
        data = report_data.briefing_data(s, ward.code, COMMUNITY_DATE, settings=Settings(), now=NOW)
    areas = data.areas
    assert areas is not None and areas.places == () and areas.cells
    grid = geo.HexGrid(400)
    q, r = grid.cells([place.easting], [place.northing])
    assert [c.corners for c in areas.cells] == [
        tuple((round(float(x), 1), round(float(y), 1)) for x, y in grid.corners(int(q[0]), int(r[0])))
    ]
    out = tmp_path / "briefing.pdf"
    build_briefing(data, out, PrintOptions(marking="OFFICIAL", force_name="Test", lang="en"))
    text = " ".join(page_texts(out))
    assert "Where we worked" in text and "about 400 m across" in text
    for private in ("Behind 12 Mill Lane", "On or near", "snap point", "crime"):
        assert private not in text
