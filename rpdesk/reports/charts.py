"""Vector charts drawn from :mod:`rpdesk.reports.sketch` shapes: a ``Drawing`` is a flowable, so charts
go straight into a story, print sharp at any size and keep their text searchable.

The charts are drawn from shapes rather than reportlab's chart widgets because the ranked-bar
chart needs interval whiskers and a target line, and the trend needs two panels on one time axis;
both are a few dozen lines this way and lay out predictably.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

from rpdesk.reports.fonts import BOLD, REGULAR
from rpdesk.reports.sketch import Drawing, Line, PolyLine, Rect, String
from rpdesk.reports.styles import ACCENT, INK, RULE, SERIES, SHADE


@dataclass(frozen=True)
class Bar:
    """One bar: ``value`` with an optional interval ``low``..``high`` (same units)."""

    label: str
    value: float
    low: float | None = None
    high: float | None = None
    highlight: bool = False


def _fit(text: str, font: str, size: float, width: float) -> str:
    """``text`` shortened with an ellipsis to fit ``width`` points."""
    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def ranked_bars(
    bars: Sequence[Bar],
    *,
    width: float,
    font_size: float,
    scale_max: float | None = None,
    target: float | None = None,
    target_label: str = "",
    as_percent: bool = True,
) -> Drawing:
    """Horizontal bars best first, with interval whiskers and an optional dashed target line."""
    row = font_size * 2.1
    axis = font_size * 2.4
    top_pad = font_size * (1.6 if target is not None else 0.6)
    height = row * max(1, len(bars)) + axis + top_pad
    d = Drawing(width, height)
    label_w = width * 0.36
    value_w = font_size * 4.4
    x0, x1 = label_w + font_size * 0.5, width - value_w
    top = max([b.high or b.value for b in bars] + [target or 0, 1e-9])
    vmax = scale_max or _nice_ceiling(top)
    sx = (x1 - x0) / vmax
    for k in range(5):
        v = vmax * k / 4
        x = x0 + v * sx
        d.add(Line(x, axis, x, height - top_pad, strokeColor=SHADE, strokeWidth=0.5))
        d.add(
            String(
                x,
                axis - font_size * 1.3,
                _fmt(v, as_percent),
                fontName=REGULAR,
                fontSize=font_size * 0.85,
                textAnchor="middle",
                fillColor=INK,
            )
        )
    d.add(Line(x0, axis, x1, axis, strokeColor=RULE, strokeWidth=0.7))
    for i, b in enumerate(bars):
        y = height - top_pad - (i + 1) * row
        bar_h = row * 0.58
        yb = y + (row - bar_h) / 2
        d.add(
            String(
                label_w,
                yb + bar_h / 2 - font_size * 0.35,
                _fit(b.label, REGULAR, font_size, label_w),
                fontName=BOLD if b.highlight else REGULAR,
                fontSize=font_size,
                textAnchor="end",
                fillColor=INK,
            )
        )
        d.add(
            Rect(
                x0,
                yb,
                max(0.0, b.value) * sx,
                bar_h,
                fillColor=SERIES[0] if not b.highlight else SERIES[1],
                strokeColor=None,
            )
        )
        if b.low is not None and b.high is not None:
            yc = yb + bar_h / 2
            xl, xh = x0 + b.low * sx, x0 + min(b.high, vmax) * sx
            for seg in (
                (xl, yc, xh, yc),
                (xl, yc - bar_h * 0.35, xl, yc + bar_h * 0.35),
                (xh, yc - bar_h * 0.35, xh, yc + bar_h * 0.35),
            ):
                d.add(Line(*seg, strokeColor=INK, strokeWidth=0.9))
        d.add(
            String(
                width,
                yb + bar_h / 2 - font_size * 0.35,
                _fmt(b.value, as_percent, places=1),
                fontName=REGULAR,
                fontSize=font_size,
                textAnchor="end",
                fillColor=INK,
            )
        )
    if target is not None:
        xt = x0 + target * sx
        d.add(
            Line(xt, axis, xt, height - top_pad * 0.6, strokeColor=SERIES[1], strokeWidth=1.2, strokeDashArray=[3, 2])
        )
        d.add(
            String(
                xt,
                height - top_pad * 0.55,
                target_label,
                fontName=REGULAR,
                fontSize=font_size * 0.85,
                textAnchor="middle",
                fillColor=SERIES[1],
            )
        )
    return d


@dataclass(frozen=True)
class Point:
    """A dated figure with an optional interval, e.g. a survey round's confidence share."""

    when: dt.date
    value: float
    low: float | None = None
    high: float | None = None


def trend(
    counts: Sequence[Point],
    shares: Sequence[Point],
    *,
    width: float,
    font_size: float,
    counts_title: str,
    shares_title: str,
) -> Drawing:
    """Two panels on one time axis: monthly counts (line) above survey shares (points and intervals).

    Putting recorded crime and residents' confidence on one time axis is what shows a reassurance
    gap: crime falling while confidence does not rise.
    """
    panel = font_size * 9
    gap = font_size * 3.2
    axis = font_size * 2.2
    height = 2 * panel + gap + axis + font_size * 1.6
    d = Drawing(width, height)
    dates = [p.when for p in (*counts, *shares)]
    if not dates:
        d.add(String(0, height / 2, "No data for this period.", fontName=REGULAR, fontSize=font_size))
        return d
    start, end = min(dates), max(dates)
    span = max(1, (end - start).days)
    x0, x1 = font_size * 3.6, width - font_size * 0.8

    def x(when: dt.date) -> float:
        return x0 + (x1 - x0) * (when - start).days / span

    # upper panel: counts
    base_c = axis + panel + gap
    cmax = _nice_ceiling(max([p.value for p in counts] + [1.0]))
    _panel(d, x0, x1, base_c, panel, cmax, counts_title, font_size, as_percent=False)
    if counts:
        pts: list[float] = []
        for p in counts:
            pts += [x(p.when), base_c + panel * p.value / cmax]
        d.add(PolyLine(pts, strokeColor=ACCENT, strokeWidth=1.3))
    # lower panel: shares with intervals
    _panel(d, x0, x1, axis, panel, 1.0, shares_title, font_size, as_percent=True)
    for p in shares:
        xp, yp = x(p.when), axis + panel * p.value
        if p.low is not None and p.high is not None:
            d.add(Line(xp, axis + panel * p.low, xp, axis + panel * p.high, strokeColor=INK, strokeWidth=0.9))
        d.add(Rect(xp - 2.2, yp - 2.2, 4.4, 4.4, fillColor=SERIES[1], strokeColor=None))
    if len(shares) > 1:
        pts = []
        for p in shares:
            pts += [x(p.when), axis + panel * p.value]
        d.add(PolyLine(pts, strokeColor=SERIES[1], strokeWidth=0.8, strokeDashArray=[2, 2]))
    # shared time axis: a tick per year
    for year in range(start.year, end.year + 2):
        when = dt.date(year, 1, 1)
        if start <= when <= end:
            d.add(Line(x(when), axis, x(when), axis - 3, strokeColor=RULE))
            d.add(
                String(
                    x(when),
                    axis - font_size * 1.2,
                    str(year),
                    fontName=REGULAR,
                    fontSize=font_size * 0.85,
                    textAnchor="middle",
                    fillColor=INK,
                )
            )
    return d


def _panel(
    d: Drawing, x0: float, x1: float, y0: float, h: float, vmax: float, title: str, size: float, *, as_percent: bool
) -> None:
    d.add(String(x0, y0 + h + size * 0.5, title, fontName=BOLD, fontSize=size * 0.9, fillColor=INK))
    for k in range(5):
        v = vmax * k / 4
        y = y0 + h * k / 4
        d.add(Line(x0, y, x1, y, strokeColor=SHADE if k else RULE, strokeWidth=0.5))
        d.add(
            String(
                x0 - 3,
                y - size * 0.3,
                _fmt(v, as_percent),
                fontName=REGULAR,
                fontSize=size * 0.8,
                textAnchor="end",
                fillColor=INK,
            )
        )
    d.add(Line(x0, y0, x0, y0 + h, strokeColor=colors.black, strokeWidth=0.4))


def _nice_ceiling(value: float) -> float:
    """The next of 1, 2, 2.5, 5 × 10^k at or above ``value``, so axis ticks read cleanly."""
    if value <= 0:
        return 1.0
    magnitude = 10 ** len(str(int(value))) / 10 if value >= 1 else 0.1
    while magnitude > value:
        magnitude /= 10
    for step in (1, 2, 2.5, 5, 10):
        if step * magnitude >= value:
            return step * magnitude
    return 10 * magnitude


def _fmt(value: float, as_percent: bool, places: int = 0) -> str:
    if as_percent:
        return f"{100 * value:.{places}f}%"
    return f"{value:,.{places}f}" if places and value != int(value) else f"{value:,.0f}"
