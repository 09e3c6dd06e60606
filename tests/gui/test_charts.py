"""Chart text grows with the application font and never overlaps or runs past the chart (13.5 pt on a laptop)."""

from __future__ import annotations

import datetime as dt
import itertools

import pyqtgraph as pg
import pytest
from PySide6.QtCore import QPointF
from PySide6.QtGui import QFont, QFontMetricsF

from rpdesk.domain.ringfence import is_below_target
from rpdesk.services.dashboard_view import ConfidencePoint, WeekShare
from tests.gui.conftest import app_font

from rpdesk.gui.charts import RED, TICK_SCALE, draw_confidence, draw_ring_fence, new_plot


@pytest.fixture(params=[9.0, 13.5])
def points(request, qapp):
    with app_font(qapp, request.param):
        yield request.param


def _rounds(n: int) -> list[ConfidencePoint]:
    names = [f"{season} {2020 + i // 2}" for i, season in enumerate(["Spring", "Autumn"] * (n // 2))]
    start = dt.date(2020, 3, 1)
    return [
        ConfidencePoint(name, start + dt.timedelta(days=182 * i), 0.3 + i / 100, 0.25, 0.4, 0.6, 200)
        for i, name in enumerate(names)
    ]


def _labels_overlap(chart) -> list[tuple[str, str]]:
    """Neighbouring bottom-axis labels whose text would touch, in the chart's pixels."""
    axis = chart.getPlotItem().getAxis("bottom")
    view = chart.getPlotItem().getViewBox()
    font = QFont(chart.font())
    font.setPointSizeF(chart.points(TICK_SCALE))
    metrics = QFontMetricsF(font)
    spans = []
    for x, label in axis._tickLevels[0]:
        centre = view.mapViewToScene(QPointF(x, 0)).x()
        half = metrics.horizontalAdvance(label) / 2
        spans.append((centre - half, centre + half, label))
    return [(a[2], b[2]) for a, b in itertools.pairwise(spans) if a[1] >= b[0]]


def test_ticks_titles_and_labels_follow_the_font_and_never_overlap(qtbot, points, tmp_path):
    chart = new_plot("Confidence over survey rounds", "Confidence chart")
    qtbot.addWidget(chart)
    chart.resize(460, 300)
    chart.show()
    draw_confidence(chart, _rounds(8))
    qtbot.wait(50)
    axis = chart.getPlotItem().getAxis("bottom")
    assert axis.style["tickFont"].pointSizeF() == pytest.approx(points * TICK_SCALE)
    label_points = float(axis.labelStyle["font-size"].removesuffix("pt"))
    assert points * TICK_SCALE <= label_points <= points  # shrunk only as far as the ticks' size, when at all
    ticks = axis._tickLevels[0]
    assert ticks[-1][1] == "Autumn 2023"  # the latest round is always labelled
    assert not _labels_overlap(chart)
    assert chart.getPlotItem().geometry().width() <= chart.width()  # the title never widens the chart
    chart.grab().save(str(tmp_path / f"confidence-{points}.png"))


def test_a_long_title_is_shortened_within_the_chart_and_kept_whole_in_its_tooltip(qtbot, points):
    chart = new_plot("Ring-fence per week", "Ring-fence chart")
    qtbot.addWidget(chart)
    chart.resize(300, 240)
    chart.show()
    monday = dt.date(2026, 8, 31)
    weeks = [WeekShare(monday + dt.timedelta(weeks=i), 0.5 + i / 40) for i in range(13)]
    draw_ring_fence(chart, weeks, 0.8)
    qtbot.wait(50)
    assert chart.getPlotItem().geometry().width() <= chart.width()
    if chart.toolTip():
        assert chart.toolTip() == "Ring-fence per week (target 80%)"
    assert not _labels_overlap(chart)


def test_a_week_is_red_exactly_when_the_ring_fence_rule_calls_it_below_target(qtbot, qapp):
    chart = new_plot("Ring-fence per week", "Ring-fence chart")
    qtbot.addWidget(chart)
    monday = dt.date(2026, 8, 31)
    shares = [0.8 - 1e-12, 0.79, 0.8, None]  # the first is 80% as summed from hours: on target, as the services say
    draw_ring_fence(chart, [WeekShare(monday + dt.timedelta(weeks=i), s) for i, s in enumerate(shares)], 0.8)
    (bars,) = [item for item in chart.getPlotItem().items if isinstance(item, pg.BarGraphItem)]
    reds = [pg.mkBrush(brush).color() == RED for brush in bars.opts["brushes"]]
    assert reds == [is_below_target(s, 0.8) for s in shares] == [False, True, False, False]
