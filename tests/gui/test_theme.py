"""Under a high-contrast palette overdue rows, alert figures and charts stay readable (WCAG contrast ≥ 4.5:1)."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette

from rpdesk.services.wards import list_wards
from tests.gui.conftest import shown, wait_idle
from tests.gui.displays import HIGH_CONTRAST, high_contrast_palette

from rpdesk.gui.pages.actions import OVERDUE, ActionsPage
from rpdesk.gui.pages.dashboard import DashboardPage
from rpdesk.gui.theme import READABLE, alert_colour, contrast, quiet_colour, readable_on


@pytest.fixture
def high_contrast(qapp):
    with high_contrast_palette(qapp) as palette:
        yield palette


def _first_ward_on(qtbot, page):
    """``page`` showing the demo's first ward, loaded."""
    with page.ctx.database.session() as s:
        shown(qtbot, page, list_wards(s)[0])
    wait_idle(qtbot, page)
    return page


def _style_colour(style: str) -> QColor:
    found = re.search(r"color:\s*(#[0-9a-fA-F]{6})", style)
    assert found, style
    return QColor(found.group(1))


def test_contrast_ratios_follow_wcag():
    assert contrast(QColor("black"), QColor("white")) == pytest.approx(21)
    assert contrast(QColor("#777777"), QColor("#777777")) == pytest.approx(1)
    assert contrast(QColor("#767676"), QColor("white")) == pytest.approx(4.54, abs=0.01)  # WCAG's own example
    assert readable_on(OVERDUE) == QColor("black") and readable_on(QColor("#7f0000")) == QColor("white")


def test_overdue_rows_read_under_high_contrast_and_say_overdue_in_words(qtbot, ctx, high_contrast, tmp_path):
    page = _first_ward_on(qtbot, ActionsPage(ctx))
    model = page.model
    days = [f.title for f in model.columns].index("Days late")
    overdue = [r for r in range(model.rowCount()) if model.record(r).overdue]
    assert overdue, "the demo ward has overdue actions"
    for row in range(model.rowCount()):
        for column in range(model.columnCount()):
            index = model.index(row, column)
            back = model.data(index, Qt.ItemDataRole.BackgroundRole)
            if back is None:
                continue  # an untinted row is drawn in the palette's own text and base colours
            fore = model.data(index, Qt.ItemDataRole.ForegroundRole)
            assert contrast(fore.color(), back.color()) >= READABLE, (row, column)
    for row in overdue:
        assert "overdue" in model.data(model.index(row, days))  # marked by more than colour
    tile = page.tiles["overdue"].value
    window = high_contrast.color(QPalette.ColorRole.Window)
    assert contrast(_style_colour(tile.styleSheet()), window) >= READABLE
    assert contrast(alert_colour(), window) >= READABLE and contrast(quiet_colour(), window) >= READABLE
    page.grab().save(str(tmp_path / "actions-high-contrast.png"))


def test_charts_take_the_palette_s_background_and_ink(qtbot, ctx, qapp, high_contrast, tmp_path):
    page = _first_ward_on(qtbot, DashboardPage(ctx))
    for chart in (page.signals_plot, page.confidence_plot, page.ring_plot):
        ground = chart.backgroundBrush().color()
        assert ground == high_contrast.color(QPalette.ColorRole.Base)  # not a white box on a black screen
        axis = chart.getPlotItem().getAxis("left")
        assert contrast(axis.textPen().color(), ground) >= READABLE
        assert contrast(QColor(chart.getPlotItem().titleLabel.opts["color"]), ground) >= READABLE
    page.grab().save(str(tmp_path / "dashboard-high-contrast.png"))


def test_a_chart_restyles_when_the_palette_changes(qtbot, qapp):
    from rpdesk.gui.charts import new_plot

    chart = new_plot("Title", "A chart")
    qtbot.addWidget(chart)
    light = chart.backgroundBrush().color()
    palette = QPalette(qapp.palette())
    for role, colour in HIGH_CONTRAST.items():
        palette.setColor(role, QColor(colour))
    before = QPalette(qapp.palette())
    qapp.setPalette(palette)
    try:
        qtbot.waitUntil(lambda: chart.backgroundBrush().color() == QColor("#000000"), timeout=2000)
    finally:
        qapp.setPalette(before)
    qtbot.waitUntil(lambda: chart.backgroundBrush().color() == light, timeout=2000)
