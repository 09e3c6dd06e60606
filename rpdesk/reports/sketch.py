"""Lines, rectangles and text for the documents' charts, drawn straight onto the PDF canvas.

The charts were reportlab ``Drawing`` trees. Each shape there validates every attribute as it is set,
and the renderer walks the tree saving and restoring the graphics state around every node: for a
pack's three charts (about 160 shapes) that cost more than drawing them. These take the same
arguments as reportlab's shapes of the same names (the subset the charts use) and print the same
page; a :class:`Drawing` is a flowable, ``width`` x ``height`` points, aligned left.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeAlias

from reportlab.lib import colors
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

Colour: TypeAlias = "colors.Color | None"


@dataclass(frozen=True)
class Line:
    x1: float
    y1: float
    x2: float
    y2: float
    strokeColor: Colour = colors.black
    strokeWidth: float = 1
    strokeDashArray: Sequence[float] | None = None

    def draw(self, canvas: Canvas) -> None:
        if pen(canvas, self.strokeColor, self.strokeWidth, self.strokeDashArray):
            canvas.line(self.x1, self.y1, self.x2, self.y2)


@dataclass(frozen=True)
class PolyLine:
    points: Sequence[float]  # x0, y0, x1, y1, ...
    strokeColor: Colour = colors.black
    strokeWidth: float = 1
    strokeDashArray: Sequence[float] | None = None

    def draw(self, canvas: Canvas) -> None:
        if pen(canvas, self.strokeColor, self.strokeWidth, self.strokeDashArray):
            trace(canvas, self.points)


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    width: float
    height: float
    fillColor: Colour = colors.black
    strokeColor: Colour = colors.black
    strokeWidth: float = 1

    def draw(self, canvas: Canvas) -> None:
        stroke = pen(canvas, self.strokeColor, self.strokeWidth, None)
        if self.fillColor is not None:
            canvas.setFillColor(self.fillColor)
        canvas.rect(self.x, self.y, self.width, self.height, stroke=int(stroke), fill=int(self.fillColor is not None))


@dataclass(frozen=True)
class String:
    x: float
    y: float
    text: str
    fontName: str
    fontSize: float
    fillColor: Colour = colors.black
    textAnchor: str = "start"

    def draw(self, canvas: Canvas) -> None:
        if self.fillColor is None:
            return
        canvas.setFillColor(self.fillColor)
        canvas.setFont(self.fontName, self.fontSize)
        draw = {"start": canvas.drawString, "middle": canvas.drawCentredString, "end": canvas.drawRightString}
        draw[self.textAnchor](self.x, self.y, self.text)


Shape: TypeAlias = Line | PolyLine | Rect | String


def pen(canvas: Canvas, colour: Colour, width: float, dash: Sequence[float] | None = None) -> bool:
    """Set the stroke; False when there is none to draw."""
    if colour is None:
        return False
    canvas.setStrokeColor(colour)
    canvas.setLineWidth(width)
    canvas.setDash(list(dash) if dash else [], 0)
    return True


def trace(canvas: Canvas, points: Sequence[float], *, close: bool = False, fill: bool = False) -> None:
    """A line through ``points`` (x0, y0, x1, y1, ...), or a polygon (``close``), in the current pen and fill."""
    path = canvas.beginPath()
    path.moveTo(points[0], points[1])
    for i in range(2, len(points), 2):
        path.lineTo(points[i], points[i + 1])
    if close:
        path.close()
    canvas.drawPath(path, stroke=1, fill=1 if fill else 0)


class Drawing(Flowable):  # type: ignore[misc]
    """Shapes in a ``width`` x ``height`` box, drawn in the order they were added."""

    def __init__(self, width: float, height: float) -> None:
        super().__init__()
        self.width, self.height = width, height
        self.hAlign = "LEFT"
        self.contents: list[Shape] = []

    def add(self, shape: Shape) -> None:
        self.contents.append(shape)

    def wrap(self, _availWidth: float, _availHeight: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        canvas.saveState()
        for shape in self.contents:
            shape.draw(canvas)
        canvas.restoreState()
