"""pyqtgraph charts for the dashboard (raster; no OpenGL), drawn from the plain series of a data object.

Charts are static pictures of figures, not plots to explore: mouse zoom and the context menu are off,
every axis has a label, and shares are drawn as percentages. They take their background and ink from
the palette (a dark or high-contrast theme gets a dark chart, not a white box) and their text sizes
from the application font (at 13.5 pt the ticks, axis labels, titles and legend grow together, and
the axes make room for them), restyling themselves when either changes.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPalette
from PySide6.QtWidgets import QSizePolicy

from rpdesk.domain.ringfence import is_below_target
from rpdesk.services.dashboard_view import ConfidencePoint, SignalBar, WeekShare

from rpdesk.gui.theme import quiet_colour

pg.setConfigOptions(antialias=True)

BLUE = QColor("#1f5fa8")
GREEN = QColor("#2e7d32")
RED = QColor("#b00020")
GREY = QColor("#9e9e9e")
LABEL_CHARS = 34
#: The confidence chart's y axis runs to this (in %), leaving a band above 100 for its legend.
LEGEND_BAND = 122
#: Text sizes relative to the application font: titles a little larger, ticks and legend a little smaller.
TITLE_SCALE, TICK_SCALE = 1.2, 0.9


class Chart(pg.PlotWidget):  # type: ignore[misc]  # pyqtgraph has no type hints
    """A still plot in the house style that follows the palette and the application font.

    Its title and bottom-axis label shrink (to the tick size at least, then end in "…") rather than
    widen the chart past its cell, and category ticks (survey rounds, weeks) are thinned to the ones
    whose labels fit side by side, the latest always labelled: at 13.5 pt nothing overlaps.

    Attributes:
        title: the chart's title.
        labels: each axis's label.
        categories: the full list of (x, label) ticks of the bottom axis, before thinning.
    """

    def __init__(self, title: str, name: str) -> None:
        super().__init__()
        self.title = title
        self.labels: dict[str, str] = {}
        self.categories: list[tuple[float, str]] = []
        self.setAccessibleName(name)
        self.setMinimumSize(280, 220)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Expanding)  # titles never widen the grid
        item = self.getPlotItem()
        item.setMouseEnabled(x=False, y=False)
        item.setMenuEnabled(False)
        item.hideButtons()
        item.showGrid(x=False, y=True, alpha=0.15)
        item.layout.setContentsMargins(2, 2, 6, 8)  # room for descenders of the axis labels
        self._refit_timer = QTimer(self)
        self._refit_timer.setSingleShot(True)
        self._refit_timer.setInterval(0)
        self._refit_timer.timeout.connect(self._refit)
        item.getViewBox().sigResized.connect(self._refit_timer.start)  # axes took or gave back room
        self.restyle()

    @property
    def ink(self) -> QColor:
        """The text and axis colour: the palette's text on its base colour."""
        return self.palette().color(QPalette.ColorRole.Text)

    @property
    def ground(self) -> QColor:
        return self.palette().color(QPalette.ColorRole.Base)

    def points(self, scale: float = 1.0) -> float:
        """A text size in points, ``scale`` times the widget's (the application's) font."""
        return max(7.0, self.font().pointSizeF() * scale)

    def set_title(self, title: str) -> None:
        self.title = title
        item = self.getPlotItem()
        left = item.getAxis("left")
        margin_left, _, margin_right, _ = item.layout.getContentsMargins()
        # the title sits over the plot: the chart less the left axis and the layout's margins
        room = self.width() - 8 - int(margin_left + margin_right) - (int(left.width()) if left.isVisible() else 0)
        text, size = self._fit(title, TITLE_SCALE, room, bold=True)
        self.setToolTip(title if text != title else "")  # the whole title where it had to be shortened
        self.getPlotItem().setTitle(text, size=f"{size:.1f}pt", bold=True, color=self.ink)

    def set_label(self, side: str, text: str) -> None:
        self.labels[side] = text
        view = self.getPlotItem().getViewBox()
        room = int(view.width() if side == "bottom" else view.height()) or self.width() - 16
        shown, size = self._fit(text, 1.0, room, bold=False)
        style = {"font-size": f"{size:.1f}pt", "color": self.ink.name()}
        self.getPlotItem().setLabel(side, shown, **style)

    def set_categories(self, ticks: Sequence[tuple[float, str]]) -> None:
        """Label the bottom axis with ``ticks`` (one unit apart), thinned to what fits the width."""
        self.categories = list(ticks)
        self._thin()

    def restyle(self) -> None:
        """Background, ink and text sizes from the current palette and font (also after either changes)."""
        self.setBackground(self.ground)
        tick_font = QFont(self.font())
        tick_font.setPointSizeF(self.points(TICK_SCALE))
        item = self.getPlotItem()
        for side in ("left", "bottom"):
            axis = item.getAxis(side)
            axis.setStyle(tickFont=tick_font, autoExpandTextSpace=True)
            axis.setPen(self.ink)
            axis.setTextPen(self.ink)
        self._refit()

    def _refit(self) -> None:
        if self.getPlotItem() is None:  # closed: pyqtgraph has let go of its plot
            return
        self.set_title(self.title)
        for side, text in self.labels.items():
            self.set_label(side, text)
        self._thin()
        self._fit_legend()
        # a plot item clamped to a wider minimum before the texts shrank does not shrink back by itself
        self.getPlotItem().setGeometry(self.range)

    def _fit_legend(self) -> None:
        """Two legend entries side by side where they fit the plot, else one above the other."""
        legend = self.getPlotItem().legend
        if legend is None or not legend.items:
            return
        legend.setColumnCount(2)
        if legend.boundingRect().width() > self.getPlotItem().getViewBox().width() - 12:
            legend.setColumnCount(1)

    def _fit(self, text: str, scale: float, room: int, *, bold: bool) -> tuple[str, float]:
        """The largest size from ``scale`` down to the tick size at which ``text`` fits ``room`` px, else elided."""
        font = QFont(self.font())
        font.setBold(bold)
        size, floor = self.points(scale), self.points(TICK_SCALE)
        while True:
            font.setPointSizeF(size)
            metrics = QFontMetricsF(font)
            if metrics.horizontalAdvance(text) <= room or size <= floor:
                return metrics.elidedText(text, Qt.TextElideMode.ElideRight, max(room, 40)), size
            size = max(floor, size - 0.5)

    def _thin(self) -> None:
        if not self.categories:
            return
        font = QFont(self.font())
        font.setPointSizeF(self.points(TICK_SCALE))
        metrics = QFontMetricsF(font)
        label = max(metrics.horizontalAdvance(text) for _, text in self.categories)
        # pyqtgraph leaves a fifth of an axis free of tick text, so each label gets its width plus that share
        needed = (label + metrics.averageCharWidth() * 2) / 0.8
        view = self.getPlotItem().getViewBox()
        low, high = view.viewRange()[0]
        per_unit = view.width() / (high - low) if view.width() > 0 and high > low else needed
        step = max(1, math.ceil(needed / per_unit))
        axis = self.getPlotItem().getAxis("bottom")
        overhang = int(label / 2)  # the latest label, centred on the last bar, reaches past the axis's end
        axis.setStyle(hideOverlappingLabels=overhang)
        layout = self.getPlotItem().layout
        left, top, right, bottom = layout.getContentsMargins()
        if int(right) != max(6, overhang):
            layout.setContentsMargins(left, top, max(6, overhang), bottom)
        axis.setTicks([self.categories[::-1][::step][::-1]])  # the latest is always labelled

    def changeEvent(self, event: QEvent) -> None:
        # Qt sends changes while PlotWidget is being built, and after close() let go of the plot
        ready = getattr(self, "labels", None) is not None and self.getPlotItem() is not None
        if ready and event.type() in (QEvent.Type.PaletteChange, QEvent.Type.FontChange):
            self.restyle()
        super().changeEvent(event)


def new_plot(title: str, name: str) -> Chart:
    """A chart in the house style: titled, still, readable ticks in the palette's colours."""
    return Chart(title, name)


def _chart(plot: pg.PlotWidget) -> Chart:
    assert isinstance(plot, Chart), "charts are made by new_plot"
    return plot


def _short(text: str) -> str:
    return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1].rstrip() + "…"


def _empty(plot: pg.PlotWidget, message: str) -> None:
    text = pg.TextItem(message, color=quiet_colour(plot.palette()), anchor=(0.5, 0.5))
    text.setFont(plot.font())
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
            pen=pg.mkPen(_chart(plot).ink, width=1.5),
        )
    )
    item = plot.getPlotItem()
    item.getAxis("left").setTicks([[(y, _short(b.label)) for y, b in zip(ys, bars, strict=True)]])
    _chart(plot).set_label("bottom", "% rating it a fairly or very big problem")
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
    chart = _chart(plot)
    legend = item.addLegend(
        offset=(10, 2), labelTextSize=f"{chart.points(TICK_SCALE):.1f}pt", labelTextColor=chart.ink, colCount=2
    )
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
    ground = QColor(chart.ground)
    ground.setAlpha(220)
    legend.setBrush(pg.mkBrush(ground))
    chart.set_label("left", "% of respondents")
    chart.set_label("bottom", "Survey round")
    item.getAxis("left").setTicks([[(v, str(v)) for v in range(0, 101, 20)]])
    plot.setYRange(0, LEGEND_BAND, padding=0.02)
    plot.setXRange(-0.5, len(shown) - 0.5, padding=0)
    chart.set_categories([(x, p.round_name) for x, p in zip(xs, shown, strict=True)])


def draw_ring_fence(plot: pg.PlotWidget, weeks: Sequence[WeekShare], target: float) -> None:
    """Share of rostered hours on ward duties per week, red below the force target line."""
    bars = [(f"{w.week_start:%d %b}", w.share) for w in weeks]
    _share_bars(plot, bars, target, f"Ring-fence per week (target {target:.0%})", "Week beginning")


def draw_ring_fence_months(plot: pg.PlotWidget, months: Sequence[tuple[dt.date, float | None]], target: float) -> None:
    """The 12-month ring-fence trend: share of rostered hours on ward duties per month against the target."""
    bars = [(f"{m:%b %y}", share) for m, share in months]
    _share_bars(plot, bars, target, f"Ring-fence by month (target {target:.0%})", "Month (12 months)")


def _share_bars(
    plot: pg.PlotWidget, bars: Sequence[tuple[str, float | None]], target: float, title: str, x_label: str
) -> None:
    """Bars of ring-fence shares (%), red below the target line; a period with no duty is left empty."""
    _reset(plot)
    if not any(share is not None for _, share in bars):
        _empty(plot, "No duty recorded in this time.")
        return
    xs = list(range(len(bars)))
    heights = [(share or 0) * 100 for _, share in bars]
    brushes = [GREY if share is None else (RED if is_below_target(share, target) else GREEN) for _, share in bars]
    plot.addItem(pg.BarGraphItem(x=xs, height=heights, width=0.7, brushes=brushes, pen=pg.mkPen(None)))
    plot.addItem(pg.InfiniteLine(pos=target * 100, angle=0, pen=pg.mkPen(RED, width=1.5, style=Qt.PenStyle.DashLine)))
    chart = _chart(plot)
    chart.set_title(title)
    chart.set_label("left", "% of rostered hours on ward")
    chart.set_label("bottom", x_label)
    plot.setYRange(0, 105, padding=0)
    plot.setXRange(-0.6, len(bars) - 0.4, padding=0)
    chart.set_categories([(x, label) for x, (label, _) in zip(xs, bars, strict=True)])
