"""Paragraph and table styles: one set for normal print and one for large print (body 16 pt).

Headings keep with the paragraph or table that follows them, so a heading is never left alone at
the foot of a page.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle

from rpdesk.reports.fonts import BOLD, REGULAR, register_fonts

INK = colors.HexColor("#1a1a1a")
ACCENT = colors.HexColor("#1f3a5f")
RULE = colors.HexColor("#8a94a3")
SHADE = colors.HexColor("#e8edf3")
ZEBRA = colors.HexColor("#f5f7fa")
RAG = {
    "red": colors.HexColor("#c62828"),
    "amber": colors.HexColor("#ef8f00"),
    "green": colors.HexColor("#2e7d32"),
    "grey": colors.HexColor("#8a94a3"),
}
SERIES = (ACCENT, colors.HexColor("#c0504d"), colors.HexColor("#4f9a94"), colors.HexColor("#8064a2"))


@dataclass(frozen=True)
class Styles:
    """The styles one document uses; ``size`` is the body size the charts and furniture scale from."""

    size: float
    title: ParagraphStyle
    h1: ParagraphStyle
    h2: ParagraphStyle
    body: ParagraphStyle
    lead: ParagraphStyle  # a body paragraph introducing what follows: kept with it
    small: ParagraphStyle
    cell: ParagraphStyle
    head: ParagraphStyle
    big_number: ParagraphStyle
    bullet: ParagraphStyle


COMPACT_LEVELS = 3  # make_styles(compact=0..2): normal, tighter spacing, and a point smaller


def make_styles(*, large_print: bool = False, body_size: float = 10.0, compact: int = 0) -> Styles:
    """Styles with a ``body_size`` body (16 pt at least in large print).

    ``compact`` 1 tightens the space between lines and around paragraphs and headings; 2 also
    takes a point off the body (never below 16 pt in large print). Used for a document whose last
    page would otherwise hold only a few lines.
    """
    register_fonts()
    body_size -= 1 if compact >= 2 else 0
    size = max(16.0, body_size) if large_print else body_size
    gap = (1.0, 0.55, 0.4)[compact]
    lead = size * (1.3, 1.2, 1.15)[compact]
    cell_size = size if large_print else size - 1
    base = ParagraphStyle(
        "body", fontName=REGULAR, fontSize=size, leading=lead, textColor=INK, spaceAfter=size * 0.5 * gap
    )

    def heading(name: str, scale: float, before: float) -> ParagraphStyle:
        return ParagraphStyle(
            name,
            parent=base,
            fontName=BOLD,
            fontSize=size * scale,
            leading=size * scale * 1.2,
            textColor=ACCENT,
            spaceBefore=size * before * gap,
            spaceAfter=size * 0.45 * gap,
            keepWithNext=1,
        )

    return Styles(
        size=size,
        title=heading("title", 1.9, 0),
        h1=heading("h1", 1.4, 1.2),
        h2=heading("h2", 1.15, 0.8),
        body=base,
        lead=ParagraphStyle("lead", parent=base, keepWithNext=1),
        small=ParagraphStyle("small", parent=base, fontSize=size - 1.5, leading=(size - 1.5) * 1.3),
        cell=ParagraphStyle("cell", parent=base, fontSize=cell_size, leading=cell_size * 1.25, spaceAfter=0),
        head=ParagraphStyle(
            "head", parent=base, fontName=BOLD, fontSize=cell_size, leading=cell_size * 1.25, spaceAfter=0
        ),
        big_number=ParagraphStyle(
            "big", parent=base, fontName=BOLD, fontSize=size * 1.8, leading=size * 2.1, alignment=TA_CENTER
        ),
        bullet=ParagraphStyle(
            "bullet",
            parent=base,
            leftIndent=size * 1.4,
            bulletIndent=size * 0.2,
            bulletFontName=REGULAR,
            bulletFontSize=size,
        ),
    )
