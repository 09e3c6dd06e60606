"""The Map page over the demo ward: layers drawn, filters, clicking features, giving a priority a place."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt
from sqlalchemy import func, select

from rpdesk.db.models import RecordPlace
from rpdesk.services.wards import list_wards
from tests.gui.conftest import wait_idle
from tests.support import geodata

from rpdesk.gui.pages.map import MapPage, PlaceDialog


def _page(qtbot, ctx):
    with ctx.database.session() as s:
        ward = list_wards(s)[0]
    page = MapPage(ctx)
    qtbot.addWidget(page)
    page.resize(1200, 800)
    page.show()
    page.set_ward(ward)
    qtbot.waitUntil(lambda: page.data is not None, timeout=20_000)
    wait_idle(qtbot, page)
    return page


def test_map_draws_the_ward_and_shows_records_on_click(qtbot, ctx, tmp_path):
    page = _page(qtbot, ctx)
    data = page.data
    assert data.boundary is not None and len(data.crimes) > 50 and data.hotspots.cells
    assert not page.boundary_item.path().isEmpty() and not page.street_item.path().isEmpty()
    assert len(page.cells.shapes) == len(data.hotspots.cells)
    page.grab().save("/tmp/h16-map.png")

    top = data.hotspots.cells[0]
    page.layer_boxes["crime"].setChecked(False)
    page.layer_boxes["eva"].setChecked(False)
    page.layer_boxes["places"].setChecked(False)
    page.layer_boxes["actions"].setChecked(False)
    assert page.select_at(top.easting + 1, top.northing + 1).startswith("Hotspot cell 1 of")
    assert "persistent" in page.details.text()

    page.layer_boxes["crime"].setChecked(True)
    # demo crimes sit on snap points, as police.uk's do: a click lists every crime there
    x0, y0 = float(data.crimes.x[0]), float(data.crimes.y[0])
    together = int(((data.crimes.x == x0) & (data.crimes.y == y0)).sum())
    assert together > 1
    text = page.select_at(x0, y0)
    assert text.startswith(f"{together} crimes at this point (On or near ") and "approximate snap point" in text
    assert f"{data.crimes.kind[0]} " in text
    page.layer_boxes["places"].setChecked(True)
    page.layer_boxes["actions"].setChecked(True)
    priority = next(p for p in data.places if p.record == "priority" and p.active)
    assert page.select_at(priority.x, priority.y).startswith("Priority: ")
    action = next(p for p in data.places if p.record == "action" and p.active)
    page.layer_boxes["places"].setChecked(False)
    assert page.select_at(action.x, action.y).startswith(f"Action {action.record_id}: ")
    outside = data.boundary.box
    picked = page.select_at(outside.min_x - 50, outside.min_y - 50)
    assert picked.startswith("Picked easting") and page.picked is not None


def test_crime_types_toggle_and_issue_filter(qtbot, ctx):
    page = _page(qtbot, ctx)
    shown_before = int(page.crimes.shown_mask().sum())
    asb = next(i for i in range(page.crime_types.count()) if page.crime_types.item(i).text().startswith("Anti-social"))
    page.crime_types.item(asb).setCheckState(Qt.CheckState.Unchecked)
    assert int(page.crimes.shown_mask().sum()) == shown_before - page.data.crimes.kind.count("Anti-social behaviour")
    page.issue.setCurrentIndex(page.issue.findData("burglary"))
    before = page.data
    qtbot.mouseClick(page.show_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.data is not before, timeout=20_000)
    assert set(page.data.crimes.kind) <= {"Burglary"}
    assert page.data.hotspots.issue == "burglary"
    # residents by street: from the latest round, only streets with enough respondents
    views = page.data.residents
    assert views and all(v.respondents >= ctx.settings.street_min_respondents for v in views)
    assert len(page.residents.paths) == len([v for v in views if v.lines])
    for key in ("crime", "eva", "places", "actions", "cells"):
        page.layer_boxes[key].setChecked(False)
    view = next(v for v in views if v.lines)
    x, y = view.lines[0][0]
    text = page.select_at(float(x), float(y))
    assert text.startswith(f"{view.street}: {view.prevalence:.0%} of its {view.respondents} respondents in ")


def test_giving_a_priority_the_picked_point(qtbot, ctx):
    page = _page(qtbot, ctx)
    box = page.data.boundary.box
    x, y = (box.min_x + box.max_x) / 2 + 37, (box.min_y + box.max_y) / 2 - 11
    page.layer_boxes["crime"].setChecked(False)
    page.layer_boxes["eva"].setChecked(False)
    page.layer_boxes["cells"].setChecked(False)
    page.layer_boxes["places"].setChecked(False)
    page.layer_boxes["actions"].setChecked(False)
    page.select_at(x, y)
    with ctx.database.session() as s:
        before = s.scalar(select(func.count()).select_from(RecordPlace))
    dialog = PlaceDialog(ctx, page.data, page.picked, page)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.record.count() > 0, timeout=10_000)
    assert dialog.record.itemText(0).startswith("Priority: ")
    assert dialog.record.currentIndex() == -1  # nothing chosen for the user
    dialog.record.setCurrentIndex(0)
    dialog.name.setText("The underpass")
    with qtbot.waitSignal(dialog.saved, timeout=10_000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    info = dialog.result_value
    assert (info.kind, info.name) == ("named", "The underpass")
    assert np.hypot(info.easting - x, info.northing - y) < 0.1
    with ctx.database.session() as s:
        assert s.scalar(select(func.count()).select_from(RecordPlace)) == before + 1


def test_mbtiles_basemap_is_drawn_under_the_ward(qtbot, ctx, tmp_path):
    from rpdesk.services.geography import add_layer, ward_boundary

    with ctx.database.session() as s:
        ward = list_wards(s)[0]
        box = ward_boundary(s, ward.id).box.grown(400)
    tiles = geodata.tiles_covering(box.min_x, box.min_y, box.max_x, box.max_y, 15)
    path = geodata.write_mbtiles(tmp_path / "base.mbtiles", geodata.solid_png((40, 160, 60)), tiles)
    with ctx.database.session() as s:
        add_layer(s, ward.code, path, "basemap", "Test basemap")
    page = _page(qtbot, ctx)
    assert len(page.tile_items) == len(page.data.tiles) >= 4
    corner = page.plot.grab().toImage().pixelColor(20, 20)
    assert (corner.red(), corner.green(), corner.blue()) == (40, 160, 60)
    page.layer_boxes["basemap"].setChecked(False)
    corner = page.plot.grab().toImage().pixelColor(20, 20)
    assert (corner.red(), corner.green(), corner.blue()) != (40, 160, 60)


def test_importing_a_boundary_and_streets_from_the_page(qtbot, ctx, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    from rpdesk.services.wards import add_ward

    with ctx.database.session() as s:
        add_ward(s, "E05000001", "Test Ward", lsoas=["E01000001", "E01000002"])
    with ctx.database.session() as s:
        ward = next(w for w in list_wards(s) if w.code == "E05000001")
    page = MapPage(ctx)
    qtbot.addWidget(page)
    page.set_ward(ward)
    qtbot.waitUntil(lambda: page.data is not None, timeout=20_000)
    wait_idle(qtbot, page)
    assert page.data.boundary is None and page.boundary_item.path().isEmpty()
    chosen = [str(geodata.wards_file(tmp_path / "wards.geojson")), str(geodata.streets_file(tmp_path / "osm.geojson"))]
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (chosen.pop(0), ""))
    before = page.data
    qtbot.mouseClick(page.boundary_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.data is not before and page.data.boundary is not None, timeout=20_000)
    assert "Imported the ward boundary (3.96 km²)" in page.details.text()
    before = page.data
    qtbot.mouseClick(page.layer_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.data is not before and bool(page.data.streets), timeout=20_000)
    assert "Added the streets layer 'osm': 3 roads." in page.details.text()
    assert not page.street_item.path().isEmpty()
