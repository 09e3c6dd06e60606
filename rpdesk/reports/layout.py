"""Page furniture and the build loop every document shares.

Every page is A4 and carries the protective marking centred at the top and the bottom (government
security classification practice), the force name and logo, the document title, when it was
generated and "Page N of M". N of M needs the page count before the last page is drawn, so the
canvas keeps each page's drawing until the end and numbers them all when it saves (one pass, not a
two-pass ``multiBuild``).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader, simpleSplit
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Paragraph, Table, TableStyle

from rpdesk.errors import UserError
from rpdesk.progress import CheckFn, ProgressFn
from rpdesk.reports.fonts import BOLD, REGULAR
from rpdesk.reports.styles import ACCENT, INK, RAG, RULE, SHADE, ZEBRA, Styles

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_X = 16 * mm
TOP = 27 * mm
BOTTOM = 20 * mm
BODY_WIDTH = PAGE_WIDTH - 2 * MARGIN_X


@dataclass(frozen=True)
class PrintOptions:
    """How a document is printed, whatever it says: from the settings and the user's choices.

    Attributes:
        marking: the protective marking, centred top and bottom of every page.
        force_name: printed top left, beside the logo.
        logo_path: a PNG or JPEG, or None for no logo.
        large_print: body text 16 pt or more.
        lang: en, cy or both (only the community briefing is translated).
    """

    marking: str
    force_name: str
    logo_path: Path | None = None
    large_print: bool = False
    lang: str = "en"


@dataclass(frozen=True)
class Letterhead:
    """What every page of one document carries.

    Attributes:
        force_name: printed top left, beside the logo.
        logo_path: a PNG or JPEG, or None for no logo.
        marking: the protective marking, centred top and bottom of every page.
        title: the document title, top right (also the PDF's title).
        subtitle: the ward and meeting, under the title.
        footer: left of the footer (when and by whom it was generated).
        page_format: "Page {n} of {m}" in the document's language(s).
        furniture_size: font size of the furniture (larger in large print).
    """

    force_name: str
    logo_path: Path | None
    marking: str
    title: str
    subtitle: str
    footer: str
    page_format: str = "Page {n} of {m}"
    furniture_size: float = 8.5


class _Furniture:
    """Draws a page's header and footer; the page number is left for :class:`_NumberedCanvas`."""

    def __init__(self, head: Letterhead) -> None:
        self.head = head
        self.logo = _logo(head.logo_path)

    def __call__(self, canvas: Canvas, _doc: BaseDocTemplate) -> None:
        head, size = self.head, self.head.furniture_size
        canvas.saveState()
        canvas.setFillColor(colors.black)
        canvas.setFont(BOLD, size + 2.5)
        canvas.drawCentredString(PAGE_WIDTH / 2, PAGE_HEIGHT - 10 * mm, head.marking)
        canvas.drawCentredString(PAGE_WIDTH / 2, 7 * mm, head.marking)
        y = PAGE_HEIGHT - 19 * mm
        x = MARGIN_X
        if self.logo is not None:
            w, h = self.logo.getSize()
            height = 9 * mm
            width = height * w / h
            canvas.drawImage(self.logo, x, y - 1.5 * mm, width, height, mask="auto")
            x += width + 3 * mm
        canvas.setFillColor(ACCENT)
        canvas.setFont(BOLD, size + 1)
        canvas.drawString(x, y + 2.5 * mm, head.force_name)
        canvas.setFont(REGULAR, size)
        canvas.drawRightString(PAGE_WIDTH - MARGIN_X, y + 2.5 * mm, head.title)
        canvas.setFillColor(colors.black)
        canvas.drawRightString(PAGE_WIDTH - MARGIN_X, y - 1.5 * mm, head.subtitle)
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.6)
        canvas.line(MARGIN_X, y - 3.5 * mm, PAGE_WIDTH - MARGIN_X, y - 3.5 * mm)
        canvas.line(MARGIN_X, BOTTOM - 5 * mm, PAGE_WIDTH - MARGIN_X, BOTTOM - 5 * mm)
        canvas.setFont(REGULAR, size)
        canvas.drawString(MARGIN_X, BOTTOM - 9.5 * mm, head.footer)
        canvas.restoreState()


def _logo(path: Path | None) -> ImageReader | None:
    if path is None:
        return None
    try:
        return ImageReader(str(path))
    except OSError as exc:
        raise UserError(f"The force logo {path} cannot be read ({exc}); fix the 'Force logo' setting.") from exc


def _numbered_canvas(head: Letterhead, pages: list[int]) -> Callable[..., Canvas]:
    class _NumberedCanvas(Canvas):  # type: ignore[misc]
        """Keeps every page until the end, then writes "Page N of M" on each."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            pages.append(total)
            for n, state in enumerate(self._pages, 1):
                self.__dict__.update(state)
                self.setFont(REGULAR, head.furniture_size)
                self.drawRightString(PAGE_WIDTH - MARGIN_X, BOTTOM - 9.5 * mm, head.page_format.format(n=n, m=total))
                super().showPage()
            super().save()

    return _NumberedCanvas


def build_pdf(
    story: list[Flowable],
    out: Path,
    options: PrintOptions,
    *,
    title: str,
    subtitle: str,
    footer: str,
    page_format: str = "Page {n} of {m}",
    progress: ProgressFn,
    check: CheckFn,
) -> int:
    """Lay ``story`` out on marked A4 pages into ``out``; return the page count.

    The PDF is written beside ``out`` and moved into place at the end, so a cancelled or failed
    build never leaves half a file where the user expects a document.
    """
    head = Letterhead(
        force_name=options.force_name,
        logo_path=options.logo_path,
        marking=options.marking,
        title=title,
        subtitle=subtitle,
        footer=footer,
        page_format=page_format,
        furniture_size=11 if options.large_print else 8.5,
    )
    out = Path(out)
    tmp = out.with_name(f".{out.name}.{os.getpid()}.part")
    doc = BaseDocTemplate(
        str(tmp),
        pagesize=A4,
        leftMargin=MARGIN_X,
        rightMargin=MARGIN_X,
        topMargin=TOP,
        bottomMargin=BOTTOM,
        title=head.title,
        author=head.force_name,
        subject=f"{head.marking}: {head.subtitle}",
        creator="rpdesk",
        lang={"cy": "cy-GB", "both": "cy-GB"}.get(options.lang, "en-GB"),
    )
    frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="body", leftPadding=0, rightPadding=0)
    doc.addPageTemplates([PageTemplate("page", [frame], onPage=_Furniture(head))])
    total, done = [1], [0.0]

    def on_progress(kind: str, value: int) -> None:
        check()
        if kind == "SIZE_EST":
            total[0] = max(1, value)
        elif kind == "PROGRESS":
            done[0] = max(done[0], min(0.99, value / total[0]))  # never goes back
            progress(done[0], "laying out pages")
        elif kind == "PAGE":
            progress(done[0], f"page {value}")

    doc.setProgressCallBack(on_progress)
    pages: list[int] = []
    try:
        doc.build(story, canvasmaker=_numbered_canvas(head, pages))
        tmp.replace(out)
    except OSError as exc:
        raise UserError(f"Cannot write {out}: {exc.strerror or exc}") from exc
    finally:
        tmp.unlink(missing_ok=True)
    progress(1.0, "done")
    return pages[0]


def table(
    header: Sequence[str],
    rows: Sequence[Sequence[object]],
    widths: Sequence[float],
    styles: Styles,
    *,
    rag_column: int | None = None,
    rag: Sequence[str] = (),
    align_right: Sequence[int] = (),
) -> Table:
    """A ruled table whose header row repeats on every page; every cell is escaped user text.

    ``widths`` are fractions of the body width. ``rag`` gives a colour name per row for the cell
    in ``rag_column`` (red, amber, green or grey). Cell text is wrapped to its column here and drawn
    as plain strings: reportlab never parses those as markup, so user text is safe as it is, and
    they lay out several times faster than paragraphs. Only :class:`Raw` cells (our own markup, its
    user parts escaped) become paragraphs.
    """
    right = set(align_right)
    pad = styles.size * 0.3
    col_widths = [w * BODY_WIDTH for w in widths]

    def cell(value: object, row: int, col: int) -> object:
        bold = row == 0 or col == rag_column
        if not isinstance(value, Raw):
            # plain text, wrapped here: reportlab draws a string cell literally (no markup to escape)
            plain = "" if value is None else str(value)
            room = col_widths[col] - 2 * pad - 1
            return "\n".join(simpleSplit(plain, BOLD if bold else REGULAR, styles.cell.fontSize, room))
        style = styles.head if row == 0 else styles.cell
        return Paragraph(value.text, _right_aligned(style) if col in right else style)

    data = [[cell(h, 0, c) for c, h in enumerate(header)]]
    data += [[cell(v, r, c) for c, v in enumerate(row)] for r, row in enumerate(rows, 1)]
    size, leading = styles.cell.fontSize, styles.cell.leading
    commands: list[tuple[Any, ...]] = [
        ("FONT", (0, 0), (-1, 0), BOLD, size, leading),
        ("FONT", (0, 1), (-1, -1), REGULAR, size, leading),
        ("TEXTCOLOR", (0, 0), (-1, -1), INK),
        ("BACKGROUND", (0, 0), (-1, 0), SHADE),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, ACCENT),
        ("LINEBELOW", (0, 1), (-1, -1), 0.25, RULE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), pad),
        ("BOTTOMPADDING", (0, 0), (-1, -1), pad),
        ("LEFTPADDING", (0, 0), (-1, -1), pad),
        ("RIGHTPADDING", (0, 0), (-1, -1), pad),
    ]
    commands += [("ALIGN", (c, 0), (c, -1), "RIGHT") for c in right]
    commands += [("BACKGROUND", (0, r), (-1, r), ZEBRA) for r in range(2, len(data), 2)]
    if rag_column is not None:
        commands += [("FONT", (rag_column, 1), (rag_column, -1), BOLD, size, leading)]
        commands += [("TEXTCOLOR", (rag_column, 1), (rag_column, -1), colors.white)]
        for r, colour in enumerate(rag, 1):
            commands.append(("BACKGROUND", (rag_column, r), (rag_column, r), RAG.get(colour, RAG["grey"])))
    t = Table(data, colWidths=col_widths, repeatRows=1, hAlign="LEFT")
    t.setStyle(TableStyle(commands))
    return t


@dataclass(frozen=True)
class Raw:
    """Cell text that is already safe markup (built with :func:`rpdesk.reports.text.markup`)."""

    text: str


@lru_cache(maxsize=32)
def _right_aligned(style: ParagraphStyle) -> ParagraphStyle:
    return ParagraphStyle(f"{style.name}-right", parent=style, alignment=TA_RIGHT)
