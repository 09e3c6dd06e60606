"""Maps on paper, drawn on the PDF canvas from a :class:`~rpdesk.reports.map_model.PaperMap`.

Vector shapes, so a map prints sharp at any size and its numbers stay searchable. North is up and
one metre is the same length both ways (the map is scaled to fit its box, then centred); a scale
bar in metres sits in the bottom-left corner.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, KeepTogether

from rpdesk.reports.fonts import BOLD, REGULAR
from rpdesk.reports.i18n import Translator
from rpdesk.reports.layout import BODY_HEIGHT, BODY_WIDTH, columns
from rpdesk.reports.map_model import PUBLIC_AREA_M, PaperMap, Ring
from rpdesk.reports.model import CardData, TaskingData
from rpdesk.reports.sketch import String, pen, trace
from rpdesk.reports.styles import ACCENT, INK, RULE, Styles
from rpdesk.reports.text import Paragraph, esc

HEAT_LOW = colors.HexColor("#fff1e0")
HEAT_HIGH = colors.HexColor("#d94801")
PERSISTENT = colors.HexColor("#7f0000")
PLACE = colors.HexColor("#6a1b9a")
STREET = colors.HexColor("#b8b0a0")
PAPER = colors.HexColor("#faf8f3")


def _mix(low: colors.Color, high: colors.Color, t: float) -> colors.Color:
    t = max(0.0, min(1.0, t))
    return colors.Color(*(a + (b - a) * t for a, b in zip(low.rgb(), high.rgb(), strict=True)))


class _Frame:
    """Metres to points: fit the extent into width x height, centred, north up."""

    def __init__(self, extent: tuple[float, float, float, float], width: float, height: float) -> None:
        x0, y0, x1, y1 = extent
        self.scale = min(width / max(1.0, x1 - x0), height / max(1.0, y1 - y0))
        self.dx = (width - (x1 - x0) * self.scale) / 2 - x0 * self.scale
        self.dy = (height - (y1 - y0) * self.scale) / 2 - y0 * self.scale

    def point(self, x: float, y: float) -> tuple[float, float]:
        return x * self.scale + self.dx, y * self.scale + self.dy

    def flat(self, ring: Ring) -> list[float]:
        return [v for x, y in ring for v in self.point(x, y)]


def _scale_bar(canvas: Canvas, frame: _Frame, width: float, font_size: float) -> None:
    """A bar of a round number of metres about a fifth of the map's width."""
    target = width / 5 / frame.scale
    metres = 10 ** math.floor(math.log10(target))
    for step in (5, 2, 1):
        if step * metres <= target:
            metres *= step
            break
    length = metres * frame.scale
    canvas.saveState()
    canvas.setFillColor(colors.white)
    canvas.setFillAlpha(0.8)
    canvas.rect(4, 4, length + 8, font_size * 2.2, stroke=0, fill=1)
    canvas.restoreState()
    pen(canvas, INK, 1.5)
    canvas.line(8, 8, 8 + length, 8)
    pen(canvas, INK, 1)
    for x in (8, 8 + length):
        canvas.line(x, 6, x, 11)
    label = f"{metres / 1000:g} km" if metres >= 1000 else f"{metres:g} m"
    String(8, 12, label, REGULAR, font_size * 0.8, INK, "start").draw(canvas)


def draw_map(canvas: Canvas, paper: PaperMap, width: float, height: float, *, font_size: float = 8.0) -> None:
    """Draw the map ``width`` x ``height`` points with its bottom left at the canvas origin.

    Straight onto the canvas, not through a reportlab Drawing: a map has hundreds of shapes, and
    building and validating a shape object for each, then rendering the tree, cost more than the
    drawing itself (a pack draws three maps).
    """
    canvas.saveState()
    canvas.setFillColor(PAPER)
    pen(canvas, RULE, 0.5)
    canvas.rect(0, 0, width, height, stroke=1, fill=1)
    frame = _Frame(paper.extent, width, height)
    pen(canvas, RULE, 0.4, [2, 2])
    for ring in paper.lsoas:
        trace(canvas, frame.flat(ring), close=True)
    pen(canvas, STREET, 1.1)
    for line in paper.streets:
        trace(canvas, frame.flat(line), close=False)
    canvas.saveState()
    for cell in paper.cells:
        canvas.setFillColor(_mix(HEAT_LOW, HEAT_HIGH, cell.shade))
        canvas.setFillAlpha(0.85)  # after the colour, which sets its own (opaque) alpha
        pen(canvas, *((PERSISTENT, 1.6) if cell.persistent else (colors.HexColor("#e0b890"), 0.3)))
        trace(canvas, frame.flat(cell.corners), close=True, fill=True)
    canvas.restoreState()
    pen(canvas, INK, 1.4)
    for ring in paper.boundary:
        trace(canvas, frame.flat(ring), close=True)
    taken: list[tuple[float, float, float, float]] = []  # label boxes drawn so far
    for cell in paper.cells:
        if cell.label:
            xs = [frame.point(x, y) for x, y in cell.corners]
            cx, cy = sum(p[0] for p in xs) / len(xs), sum(p[1] for p in xs) / len(xs)
            taken.append(_box(cell.label, BOLD, font_size, cx, cy - font_size * 0.35))
            String(cx, cy - font_size * 0.35, cell.label, BOLD, font_size, INK, "middle").draw(canvas)
    for place in paper.places:
        x, y = frame.point(place.x, place.y)
        r = max(3.0, place.radius * frame.scale)
        pen(canvas, PLACE, 1.5, None if place.kind == "priority" else [3, 2])
        canvas.circle(x, y, r, stroke=1, fill=0)
        if place.label:
            size = font_size * 0.85
            top = _free_baseline(taken, place.label, size, x, y + r + 2)
            taken.append(_box(place.label, BOLD, size, x, top))
            String(x, top, place.label, BOLD, size, PLACE, "middle").draw(canvas)
    _scale_bar(canvas, frame, width, font_size)
    String(width - 6, height - font_size - 3, "N ↑", BOLD, font_size, ACCENT, "end").draw(canvas)
    canvas.restoreState()


class MapFlowable(Flowable):  # type: ignore[misc]
    """A map as wide as the frame or column it lands in, ``ratio`` times as high (at most ``max_height``)."""

    def __init__(self, paper: PaperMap, font_size: float, ratio: float = 0.72, max_height: float | None = None) -> None:
        super().__init__()
        self.paper, self.font_size, self.ratio, self.max_height = paper, font_size, ratio, max_height
        self.width = self.height = 0.0

    def wrap(self, availWidth: float, _availHeight: float) -> tuple[float, float]:
        self.width = availWidth
        self.height = availWidth * self.ratio
        if self.max_height is not None:
            self.height = min(self.height, self.max_height)
        return self.width, self.height

    def draw(self) -> None:
        draw_map(self.canv, self.paper, self.width, self.height, font_size=self.font_size)


def _box(text: str, font: str, size: float, x: float, baseline: float) -> tuple[float, float, float, float]:
    """The box of a label centred on ``x`` (left, bottom, right, top)."""
    half = stringWidth(text, font, size) / 2
    return x - half, baseline - size * 0.25, x + half, baseline + size * 0.8


def _free_baseline(taken: list[tuple[float, float, float, float]], text: str, size: float, x: float, y: float) -> float:
    """The first baseline at or above ``y`` (a line at a time) where the label overlaps no label drawn."""
    for step in range(8):
        baseline = y + step * size * 1.1
        left, bottom, right, top = _box(text, BOLD, size, x, baseline)
        if not any(left < x1 and x0 < right and bottom < y1 and y0 < top for x0, y0, x1, y1 in taken):
            return baseline
    return y


def map_block(
    paper: PaperMap, s: Styles, *, lead: Sequence[Flowable] = (), ratio: float = 0.72, max_height: float | None = None
) -> list[Flowable]:
    """The map with its title, key lines and notes (after ``lead``, e.g. a section heading), kept on one page.

    The map is made no taller than leaves room on a page for the rest of the block: in large print
    the key and notes are long, and a block taller than a page would spill its notes onto a page of
    their own.
    """
    above: list[Flowable] = [*lead, *([Paragraph(esc(paper.title), s.h2)] if paper.title else [])]
    below: list[Flowable] = [Paragraph(esc(line), s.small) for line in [*paper.key, *paper.notes]]
    words = sum(f.wrap(BODY_WIDTH, BODY_HEIGHT)[1] + f.getSpaceBefore() + f.getSpaceAfter() for f in above + below)
    room = BODY_HEIGHT - words - s.size
    tallest = room if max_height is None else min(max_height, room)
    return [KeepTogether([*above, MapFlowable(paper, s.size * 0.85, ratio, tallest), *below])]


# --- the sections each document adds -----------------------------------------------------------


def tasking_section(d: TaskingData, s: Styles) -> list[Flowable]:
    """The pack's section 8: one map per priority (the heading travels with the first map)."""
    heading = Paragraph("8. Where: hotspots and places of each priority", s.h1)
    if not d.maps:
        text = "No maps: " + (
            "the ward has no boundary yet ('rpdesk-cli wards boundary --ward CODE FILE')."
            if d.priorities
            else "no priority is active."
        )
        return [heading, Paragraph(esc(text), s.body)]
    out: list[Flowable] = []
    for n, paper in enumerate(d.maps):
        out += map_block(paper, s, lead=[heading] if n == 0 else [])
    return out


def card_section(d: CardData, s: Styles, *, map_height: float) -> list[Flowable]:
    """The card's hotspot streets, numbered as on a small map ``map_height`` points tall beside them.

    The map's column is as wide as the ward's shape needs at that height (between a third and half
    of the body), so a tall narrow ward leaves its streets more room and a wide one takes less height.
    """
    if not d.hotspots:
        return []
    heading = Paragraph("Hotspots to know", s.h1)
    lines = [Paragraph(esc(line), s.small) for line in d.hotspots]
    if d.hotspot_map is None:
        return [heading, *lines]
    x0, y0, x1, y1 = d.hotspot_map.extent
    aspect = max(1.0, x1 - x0) / max(1.0, y1 - y0)
    width = min(BODY_WIDTH * 0.5, max(BODY_WIDTH / 3, map_height * aspect))
    small = MapFlowable(d.hotspot_map, s.size * 0.75, ratio=map_height / width)
    return [KeepTogether([heading, columns([small, lines], [width, BODY_WIDTH - width], s.size)])]


def briefing_block(areas: PaperMap, t: Translator, s: Styles) -> list[Flowable]:
    """'Where we worked' for residents: shaded areas only (see :mod:`rpdesk.services.report_maps`)."""
    key = t(
        "Shaded: the areas (about {size} m across) where the work listed here took place.", size=f"{PUBLIC_AREA_M:g}"
    )
    return [
        Paragraph(esc(t("Where we worked")), s.h1),
        MapFlowable(areas, s.size * 0.8, ratio=0.6),
        Paragraph(esc(key), s.small),
    ]
