"""pyqtgraph charts for the dashboard (raster; no OpenGL), drawn from the plain series of a data object.

Charts are static pictures of figures, not plots to explore: mouse zoom and the context menu are off,
every axis has a label, and shares are drawn as percentages.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QSizePolicy

from rpdesk.services.dashboard_view import ConfidencePoint, SignalBar, WeekShare

pg.setConfigOptions(antialias=True, background="w", foreground="#222222")

BLUE = QColor("#1f5fa8")
GREEN = QColor("#2e7d32")
RED = QColor("#b00020")
GREY = QColor("#9e9e9e")
LABEL_CHARS = 34
#: The confidence chart's y axis runs to this (in %), leaving a band above 100 for its legend.
LEGEND_BAND = 122


def new_plot(title: str, name: str) -> pg.PlotWidget:
    """A plot widget in the house style: titled, still, readable ticks."""
    plot = pg.PlotWidget()
    plot.setAccessibleName(name)
    plot.setMinimumSize(280, 220)
    plot.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Expanding)  # titles never widen the grid
    item = plot.getPlotItem()
    item.setTitle(title, size="11pt", bold=True)
    item.setMouseEnabled(x=False, y=False)
    item.setMenuEnabled(False)
    item.hideButtons()
    font = QFont(plot.font())
    font.setPointSizeF(max(8.0, font.pointSizeF() * 0.9))
    for axis in ("left", "bottom"):
        item.getAxis(axis).setStyle(tickFont=font)
        item.getAxis(axis).setTextPen("#222222")
    item.showGrid(x=False, y=True, alpha=0.15)
    item.layout.setContentsMargins(2, 2, 6, 8)  # room for descenders of the axis labels at laptop sizes
    return plot


def _short(text: str) -> str:
    return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1].rstrip() + "…"


def _empty(plot: pg.PlotWidget, message: str) -> None:
    text = pg.TextItem(message, color="#555555", anchor=(0.5, 0.5))
    plot.addItem(text)
    text.setPos(0.5, 0.5)
    plot.setXRange(0, 1)
    plot.setYRange(0, 1)
    plot.getPlotItem().hideAxis("left")
    plot.getPlotItem().hideAxis("bottom")


def _reset(plot: pg.PlotWidget) -> None:
    plot.clear()
    item = plot.getPlotItem()
    item.showAxis("left")
    item.showAxis("bottom")


def draw_signals(plot: pg.PlotWidget, bars: Sequence[SignalBar]) -> None:
    """Top signals as horizontal bars of prevalence with 95% interval whiskers, best at the top."""
    _reset(plot)
    if not bars:
        _empty(plot, "No survey answers yet: import a survey round.")
        return
    n = len(bars)
    ys = np.arange(n - 1, -1, -1, dtype=float)
    values = np.array([b.prevalence * 100 for b in bars])
    plot.addItem(pg.BarGraphItem(x0=0, y=ys, height=0.6, width=values, brush=BLUE, pen=pg.mkPen(None)))
    plot.addItem(
        pg.ErrorBarItem(
            x=values,
            y=ys,
            left=values - np.array([b.low * 100 for b in bars]),
            right=np.array([b.high * 100 for b in bars]) - values,
            beam=0.25,
            pen=pg.mkPen("#222222", width=1.5),
        )
    )
    item = plot.getPlotItem()
    item.getAxis("left").setTicks([[(y, _short(b.label)) for y, b in zip(ys, bars, strict=True)]])
    item.setLabel("bottom", "% rating it a fairly or very big problem")
    plot.setXRange(0, min(100, max(b.high for b in bars) * 100 * 1.1 + 1), padding=0)
    plot.setYRange(-0.6, n - 0.4, padding=0)


def draw_confidence(plot: pg.PlotWidget, points: Sequence[ConfidencePoint]) -> None:
    """Confidence over survey rounds: % saying the police do a good job (with interval), % safe after dark."""
    _reset(plot)
    shown = [p for p in points if p.good_job is not None]
    if not shown:
        _empty(plot, "No confidence answers yet.")
        return
    xs = np.arange(len(shown), dtype=float)
    good = np.array([(p.good_job or 0) * 100 for p in shown])
    item = plot.getPlotItem()
    # the legend sits in a band above 100% (two columns), so it never hides a point
    legend = item.addLegend(offset=(10, 2), labelTextSize="9pt", colCount=2)
    plot.plot(xs, good, pen=pg.mkPen(BLUE, width=2.5), symbol="o", symbolBrush=BLUE, name="Police do a good job")
    plot.addItem(
        pg.ErrorBarItem(
            x=xs,
            y=good,
            bottom=good - np.array([p.good_job_low * 100 for p in shown]),
            top=np.array([p.good_job_high * 100 for p in shown]) - good,
            beam=0.15,
            pen=pg.mkPen(BLUE, width=1),
        )
    )
    safe = [(x, p.safe * 100) for x, p in zip(xs, shown, strict=True) if p.safe is not None]
    if safe:
        plot.plot(
            [x for x, _ in safe],
            [y for _, y in safe],
            pen=pg.mkPen(GREEN, width=2.5, style=Qt.PenStyle.DashLine),
            symbol="s",
            symbolBrush=GREEN,
            name="Feel safe after dark",
        )
    legend.setBrush(pg.mkBrush(255, 255, 255, 220))
    item.getAxis("bottom").setTicks([[(x, p.round_name) for x, p in zip(xs, shown, strict=True)]])
    item.setLabel("left", "% of respondents")
    item.setLabel("bottom", "Survey round")
    item.getAxis("left").setTicks([[(v, str(v)) for v in range(0, 101, 20)]])
    plot.setYRange(0, LEGEND_BAND, padding=0.02)
    plot.setXRange(-0.5, len(shown) - 0.5, padding=0)


def draw_ring_fence(plot: pg.PlotWidget, weeks: Sequence[WeekShare], target: float) -> None:
    """Share of rostered hours on ward duties per week, red below the force target line."""
    step = 2 if len(weeks) > 8 else 1
    bars = [(f"{w.week_start:%d %b}", w.share) for w in weeks]
    _share_bars(plot, bars, target, f"Ring-fence per week (target {target:.0%})", "Week beginning", step)


def draw_ring_fence_months(plot: pg.PlotWidget, months: Sequence[tuple[dt.date, float | None]], target: float) -> None:
    """The 12-month ring-fence trend: share of rostered hours on ward duties per month against the target."""
    bars = [(f"{m:%b %y}", share) for m, share in months]
    step = 2 if len(months) > 8 else 1
    _share_bars(plot, bars, target, f"Ring-fence by month (target {target:.0%})", "Month (12 months)", step)


def _share_bars(
    plot: pg.PlotWidget, bars: Sequence[tuple[str, float | None]], target: float, title: str, x_label: str, step: int
) -> None:
    """Bars of ring-fence shares (%), red below the target line; a period with no duty is left empty."""
    _reset(plot)
    if not any(share is not None for _, share in bars):
        _empty(plot, "No duty recorded in this time.")
        return
    xs = list(range(len(bars)))
    heights = [(share or 0) * 100 for _, share in bars]
    brushes = [GREY if share is None else (RED if share < target else GREEN) for _, share in bars]
    plot.addItem(pg.BarGraphItem(x=xs, height=heights, width=0.7, brushes=brushes, pen=pg.mkPen(None)))
    plot.addItem(pg.InfiniteLine(pos=target * 100, angle=0, pen=pg.mkPen(RED, width=1.5, style=Qt.PenStyle.DashLine)))
    item = plot.getPlotItem()
    item.setTitle(title, size="11pt", bold=True)
    ticks = [(x, label) for x, (label, _) in zip(xs, bars, strict=True)]
    item.getAxis("bottom").setTicks([ticks[::-1][::step][::-1]])  # the latest is always labelled
    item.setLabel("left", "% of rostered hours on ward")
    item.setLabel("bottom", x_label)
    plot.setYRange(0, 105, padding=0)
    plot.setXRange(-0.6, len(bars) - 0.4, padding=0)
