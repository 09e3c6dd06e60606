"""Guard against a Qt binding that releases Python references it never took.

PySide6 6.12.0 dropped six references to None (and one to True) on every paint of a chart. On
Python 3.11 those objects are not immortal, so a sergeant's session crashed after a few thousand
paints ("deallocating None"), or memory was corrupted before that. pyproject.toml keeps that
release out; this test fails if an upgrade brings the fault back.
"""

from __future__ import annotations

import sys

import pyqtgraph as pg


def test_painting_a_chart_leaves_none_true_and_false_alone(qtbot):
    plot = pg.PlotWidget()
    qtbot.addWidget(plot)
    plot.plot([1, 2, 3], [3, 1, 2])
    plot.resize(400, 300)
    plot.show()
    plot.grab()  # first paint creates caches that hold references legitimately
    before = [sys.getrefcount(x) for x in (None, True, False)]
    for _ in range(200):
        plot.grab()
    after = [sys.getrefcount(x) for x in (None, True, False)]
    drift = [a - b for a, b in zip(after, before, strict=True)]
    assert all(d > -20 for d in drift), f"references to None/True/False fell by {drift} over 200 paints"
