"""Graphics items of the ward map, fast enough for 100,000 points on the raster paint path.

pyqtgraph's ScatterPlotItem keeps per-point Python records; for a map that is redrawn on every
pan and zoom the points are instead kept as numpy arrays and drawn in one call: each paint maps
them to device pixels with numpy, drops those outside the window, and blits a pre-drawn dot per
point with ``QPainter.drawPixmapFragments`` (about 35 ms for 100,000 points on one core).
Shapes (boundary, LSOAs, streets, hexagons) are QPainterPaths with cosmetic pens, so lines stay
one or two pixels wide at any zoom.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from pyqtgraph.Qt.internals import PrimitiveArray
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPainterPath, QPen, QPixmap, QPolygonF


def cosmetic_pen(colour: str | QColor, width: float = 1.0, style: Qt.PenStyle = Qt.PenStyle.SolidLine) -> QPen:
    pen = QPen(QColor(colour), width, style)
    pen.setCosmetic(True)
    return pen


def path_of(rings: Sequence[np.ndarray], *, closed: bool) -> QPainterPath:
    """One path of many polylines or rings (data coordinates)."""
    path = QPainterPath()
    for ring in rings:
        if len(ring) < 2:
            continue
        path.addPolygon(QPolygonF([QPointF(float(x), float(y)) for x, y in ring]))
        if closed:
            path.closeSubpath()
    return path


class DotsItem(pg.GraphicsObject):  # type: ignore[misc]
    """Points drawn as same-size dots, one colour per point from a small palette."""

    def __init__(self, diameter: int = 7, outline: str | None = "#ffffff") -> None:
        super().__init__()
        self.diameter = diameter
        self.outline = outline
        self.x = np.zeros(0)
        self.y = np.zeros(0)
        self.colour_index = np.zeros(0, dtype=np.int64)
        self.visible_colours: np.ndarray = np.ones(0, dtype=bool)
        self._atlas = QPixmap()
        self._bounds = QRectF()
        self._fragments = PrimitiveArray(QPainter.PixmapFragment, 10)

    def set_points(self, x: np.ndarray, y: np.ndarray, colour_index: np.ndarray, palette: Sequence[QColor]) -> None:
        self.prepareGeometryChange()
        self.x, self.y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
        self.colour_index = np.asarray(colour_index, dtype=np.int64)
        self.visible_colours = np.ones(len(palette), dtype=bool)
        self._atlas = self._draw_atlas(palette)
        if len(self.x):
            self._bounds = QRectF(
                float(self.x.min()), float(self.y.min()), float(np.ptp(self.x)) or 1.0, float(np.ptp(self.y)) or 1.0
            )
        else:
            self._bounds = QRectF()
        self.update()

    def show_colours(self, shown: Sequence[bool]) -> None:
        self.visible_colours = np.asarray(shown, dtype=bool)
        self.update()

    def _draw_atlas(self, palette: Sequence[QColor]) -> QPixmap:
        d = self.diameter
        atlas = QPixmap(max(1, d * len(palette)), d)
        atlas.fill(Qt.GlobalColor.transparent)
        painter = QPainter(atlas)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        for i, colour in enumerate(palette):
            painter.setBrush(QBrush(colour))
            painter.setPen(QPen(QColor(self.outline), 1) if self.outline else Qt.PenStyle.NoPen)
            painter.drawEllipse(QRectF(i * d + 0.5, 0.5, d - 1, d - 1))
        painter.end()
        return atlas

    def boundingRect(self) -> QRectF:
        return self._bounds

    def shown_mask(self) -> np.ndarray:
        if not len(self.x):
            return np.zeros(0, dtype=bool)
        return self.visible_colours[self.colour_index]

    def paint(self, painter: QPainter, *_args: object) -> None:
        if not len(self.x) or self._atlas.isNull():
            return
        chosen, px, py = self._on_screen(painter)
        n = len(chosen)
        if n == 0:
            return
        self._fragments.resize(n)
        frags = self._fragments.ndarray()
        frags[:, 0] = px
        frags[:, 1] = py
        frags[:, 2] = self.colour_index[chosen] * self.diameter
        frags[:, 3] = 0
        frags[:, 4:6] = self.diameter
        frags[:, 6:10] = (1.0, 1.0, 0.0, 1.0)
        painter.save()
        painter.resetTransform()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)  # the dots are drawn smooth already
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)
        painter.drawPixmapFragments(*self._fragments.drawargs(), self._atlas)  # type: ignore[call-arg]
        painter.restore()

    def _on_screen(self, painter: QPainter) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(indices, device x, device y) of the shown points in the window, one per 2 x 2 pixel block.

        Zoomed out, thousands of points fall on the same few pixels (police.uk piles them on snap
        points); drawing the last of each block looks the same and halves the blitting.
        """
        t = painter.transform()
        px = t.m11() * self.x + t.m21() * self.y + t.m31()
        py = t.m12() * self.x + t.m22() * self.y + t.m32()
        window = painter.viewport()
        r = self.diameter
        keep = (
            (px > window.left() - r) & (px < window.right() + r) & (py > window.top() - r) & (py < window.bottom() + r)
        )
        keep &= self.shown_mask()
        idx = np.flatnonzero(keep)
        if not len(idx):
            return idx, px[idx], py[idx]
        bx = ((px[idx] - (window.left() - r)) // 2).astype(np.int64)
        by = ((py[idx] - (window.top() - r)) // 2).astype(np.int64)
        stride = (window.width() + 2 * r) // 2 + 2
        blocks = np.full(int(by.max() + 1) * stride, -1, dtype=np.int64)
        blocks[by * stride + bx] = idx
        chosen = blocks[blocks >= 0]
        return chosen, px[chosen], py[chosen]

    def nearest(self, x: float, y: float, tolerance: float) -> int | None:
        """Index of the shown point nearest (x, y) within ``tolerance`` data units, or None."""
        if not len(self.x) or not self.isVisible():
            return None
        d = np.hypot(self.x - x, self.y - y)
        d[~self.shown_mask()] = np.inf
        i = int(np.argmin(d))
        return i if d[i] <= tolerance else None


class ShapesItem(pg.GraphicsObject):  # type: ignore[misc]
    """Filled polygons (hexagon cells, place areas), each with its own brush and pen.

    Shapes that share a brush and a pen are merged into one path when set, so a paint is a handful
    of ``drawPath`` calls rather than one call per cell.
    """

    def __init__(self) -> None:
        super().__init__()
        self.shapes: list[tuple[QPolygonF, QBrush, QPen]] = []
        self._groups: list[tuple[QPainterPath, QBrush, QPen]] = []
        self._bounds = QRectF()

    def set_shapes(self, shapes: list[tuple[QPolygonF, QBrush, QPen]]) -> None:
        self.prepareGeometryChange()
        self.shapes = shapes
        groups: dict[tuple[int, int, int, float, int], tuple[QPainterPath, QBrush, QPen]] = {}
        bounds = QRectF()
        for polygon, brush, pen in shapes:
            key = (
                brush.color().rgba(),
                int(brush.style().value),
                pen.color().rgba(),
                pen.widthF(),
                int(pen.style().value),
            )
            path = groups.setdefault(key, (QPainterPath(), brush, pen))[0]
            path.addPolygon(polygon)
            path.closeSubpath()
            bounds = bounds.united(polygon.boundingRect())
        self._groups = list(groups.values())
        self._bounds = bounds
        self.update()

    def boundingRect(self) -> QRectF:
        return self._bounds

    def paint(self, painter: QPainter, *_args: object) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        for path, brush, pen in self._groups:
            painter.setBrush(brush)
            painter.setPen(pen)
            painter.drawPath(path)

    def index_at(self, x: float, y: float) -> int | None:
        point = QPointF(x, y)
        for i, (polygon, _b, _p) in enumerate(self.shapes):
            if polygon.containsPoint(point, Qt.FillRule.OddEvenFill):
                return i
        return None


def polygon_of(corners: np.ndarray) -> QPolygonF:
    return QPolygonF([QPointF(float(x), float(y)) for x, y in corners])


class LinesItem(pg.GraphicsObject):  # type: ignore[misc]
    """Polylines drawn each with its own pen (streets coloured by what residents say about them)."""

    def __init__(self) -> None:
        super().__init__()
        self.paths: list[tuple[QPainterPath, QPen]] = []
        self._bounds = QRectF()

    def set_lines(self, paths: list[tuple[QPainterPath, QPen]]) -> None:
        self.prepareGeometryChange()
        self.paths = paths
        bounds = QRectF()
        for path, _pen in paths:
            bounds = bounds.united(path.boundingRect())
        self._bounds = bounds
        self.update()

    def boundingRect(self) -> QRectF:
        return self._bounds

    def paint(self, painter: QPainter, *_args: object) -> None:
        painter.setBrush(Qt.BrushStyle.NoBrush)
        for path, pen in self.paths:
            painter.setPen(pen)
            painter.drawPath(path)
