"""Page furniture, page flow and the build loop every document shares.

Every page is A4 and carries the protective marking centred at the top and the bottom (government
security classification practice), the force name and logo, the document title, when it was
generated and "Page N of M". N of M needs the page count before the last page is drawn, so the
canvas keeps each page's drawing until the end and numbers them all when it saves (one pass, not a
two-pass ``multiBuild``).

The bottom marking has a band of its own below the footer line, so no footer text in any language
or print size can run into it. Page flow follows the rules a reader notices when they are broken:
a heading (and the sentence introducing what follows) stays on the page with the start of what
it introduces (:class:`KeepWithStart`), and a table never leaves one row alone on either side of a
page break (:class:`RuledTable`).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from html import unescape
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader, simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
    Table,
    TableStyle,
)
from reportlab.platypus.flowables import _listWrapOn

from rpdesk.errors import UserError
from rpdesk.progress import CheckFn, ProgressFn, sub_progress
from rpdesk.reports.fonts import BOLD, REGULAR
from rpdesk.reports.styles import ACCENT, COMPACT_LEVELS, INK, RAG, RULE, SHADE, ZEBRA, Styles
from rpdesk.reports.text import Paragraph

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_X = 16 * mm
TOP = 27 * mm
BOTTOM = 20 * mm
BODY_WIDTH = PAGE_WIDTH - 2 * MARGIN_X
BODY_HEIGHT = PAGE_HEIGHT - TOP - BOTTOM
FRAME_PAD = 6.0  # the body frame's padding top and bottom (points)
FRAME_HEIGHT = BODY_HEIGHT - 2 * FRAME_PAD  # the height flowables can fill on a page
MARKING_BASELINE = 7 * mm  # the bottom marking; the footer line sits in its own band above it
MIN_ROWS = 2  # a table split leaves at least this many body rows on each side of the break
TAG = re.compile(r"<[^>]+>")
NEARLY_EMPTY = 0.3  # a last page used less than this much is rebuilt with tighter spacing


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
        canvas.setFont(BOLD, marking_size(size))
        canvas.drawCentredString(PAGE_WIDTH / 2, PAGE_HEIGHT - 10 * mm, head.marking)
        canvas.drawCentredString(PAGE_WIDTH / 2, MARKING_BASELINE, head.marking)
        y = PAGE_HEIGHT - 19 * mm
        x = MARGIN_X
        if self.logo is not None:
            w, h = self.logo.getSize()
            height = 9 * mm
            width = height * w / h
            canvas.drawImage(self.logo, x, y - 1.5 * mm, width, height, mask="auto")
            x += width + 3 * mm
        right = PAGE_WIDTH - MARGIN_X
        room = right - x - 4 * mm  # force name and title share the line; the longer one gives way
        name_size, title_size = _share_line(head.force_name, BOLD, size + 1, head.title, REGULAR, size, room)
        canvas.setFillColor(ACCENT)
        canvas.setFont(BOLD, name_size)
        canvas.drawString(x, y + 2.5 * mm, head.force_name)
        canvas.setFont(REGULAR, title_size)
        canvas.drawRightString(right, y + 2.5 * mm, head.title)
        canvas.setFillColor(colors.black)
        canvas.setFont(REGULAR, min(size, _fit_size(head.subtitle, REGULAR, size, right - MARGIN_X)))
        canvas.drawRightString(right, y - 1.5 * mm, head.subtitle)
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.6)
        canvas.line(MARGIN_X, y - 3.5 * mm, right, y - 3.5 * mm)
        canvas.line(MARGIN_X, footer_rule(size), right, footer_rule(size))
        canvas.restoreState()


def marking_size(furniture_size: float) -> float:
    """The marking is printed a little larger and bold, so it is the first thing read."""
    return furniture_size + 2.5


def footer_baseline(furniture_size: float) -> float:
    """The footer line's baseline: clear of the bottom marking's capitals by at least 1.5 mm."""
    return float(MARKING_BASELINE + marking_size(furniture_size) * 0.75 + 1.5 * mm + furniture_size * 0.25)


def footer_rule(furniture_size: float) -> float:
    return float(footer_baseline(furniture_size) + furniture_size * 0.8 + 1.5 * mm)


def _fit_size(text: str, font: str, size: float, room: float) -> float:
    """``size``, or the smaller size at which ``text`` fits ``room`` points."""
    width = stringWidth(text, font, size)
    return size if width <= room else size * room / width


def _share_line(
    left: str, left_font: str, left_size: float, right: str, right_font: str, right_size: float, room: float
) -> tuple[float, float]:
    """Sizes at which ``left`` and ``right`` fit on one line of ``room`` points (both shrink alike)."""
    need = stringWidth(left, left_font, left_size) + stringWidth(right, right_font, right_size)
    scale = min(1.0, room / need) if need else 1.0
    return left_size * scale, right_size * scale


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
            size = head.furniture_size
            for n, state in enumerate(self._pages, 1):
                self.__dict__.update(state)
                number = head.page_format.format(n=n, m=total)
                # the footer and the page number share the line above the marking; long ones shrink
                left, right = _share_line(head.footer, REGULAR, size, number, REGULAR, size, BODY_WIDTH - 6 * mm)
                self.setFillColor(colors.black)
                self.setFont(REGULAR, left)
                self.drawString(MARGIN_X, footer_baseline(size), head.footer)
                self.setFont(REGULAR, right)
                self.drawRightString(PAGE_WIDTH - MARGIN_X, footer_baseline(size), number)
                super().showPage()
            super().save()

    return _NumberedCanvas


def build_pdf(
    story: list[Flowable] | Callable[[int], list[Flowable]],
    out: Path,
    options: PrintOptions,
    *,
    title: str,
    subtitle: str,
    footer: str,
    page_format: str = "Page {n} of {m}",
    most_pages: int | None = None,
    progress: ProgressFn,
    check: CheckFn,
) -> int:
    """Lay ``story`` out on marked A4 pages into ``out``; return the page count.

    ``story`` may be a function of a :func:`~rpdesk.reports.styles.make_styles` ``compact`` level:
    then, while the last page would be nearly empty, the document is built again tighter. A
    briefing that spills three lines onto a second page reads as unfinished; a tighter build
    usually pulls them back, and when none can, the last one at least fills the pages better.
    With ``most_pages`` (the response card: one page), tighter builds are also tried while the
    document runs past that many pages.
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
    if not callable(story):
        pages, _ = _lay_out(story, Path(out), options, head, progress, check)
    else:
        for level in range(COMPACT_LEVELS):
            part = sub_progress(progress, level / COMPACT_LEVELS, (level + 1) / COMPACT_LEVELS)
            pages, fills = _lay_out(story(level), Path(out), options, head, part, check)
            fits = most_pages is None or pages <= most_pages
            if pages == 1 or (fits and fills[-1] >= NEARLY_EMPTY):
                break
    progress(1.0, "done")
    return pages


def _lay_out(
    story: list[Flowable], out: Path, options: PrintOptions, head: Letterhead, progress: ProgressFn, check: CheckFn
) -> tuple[int, list[float]]:
    """Build the PDF once; return its page count and each page's used share of the body height.

    The PDF is written beside ``out`` and moved into place at the end, so a cancelled or failed
    build never leaves half a file where the user expects a document.
    """
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
        keepTogetherClass=KeepWithStart,
    )
    frame = Frame(
        doc.leftMargin,
        doc.bottomMargin,
        doc.width,
        doc.height,
        id="body",
        leftPadding=0,
        rightPadding=0,
        topPadding=FRAME_PAD,
        bottomPadding=FRAME_PAD,
    )
    fills: list[float] = []

    def page_end(_canvas: Canvas, document: BaseDocTemplate) -> None:
        f = document.frame
        fills.append((f._y2 - f._topPadding - f._y) / (f._y2 - f._topPadding - f._y1p))

    doc.addPageTemplates([PageTemplate("page", [frame], onPage=_Furniture(head), onPageEnd=page_end)])
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
    return pages[0], fills


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
    user parts escaped) become paragraphs. Columns are widened where a word would not fit (see
    :func:`_fit_columns`), so no text runs into its neighbour at any print size.
    """
    right = set(align_right)
    pad = styles.size * 0.3
    col_widths, size = _fit_columns(header, rows, widths, styles.cell.fontSize, pad, rag_column)
    leading = size * styles.cell.leading / styles.cell.fontSize

    def cell(value: object, row: int, col: int) -> object:
        bold = row == 0 or col == rag_column
        if not isinstance(value, Raw):
            # plain text, wrapped here: reportlab draws a string cell literally (no markup to escape)
            plain = "" if value is None else str(value)
            room = col_widths[col] - 2 * pad - 1
            return _lines(plain, BOLD if bold else REGULAR, size, room)
        style = styles.head if row == 0 else styles.cell
        return Paragraph(value.text, _right_aligned(style) if col in right else style)

    data = [[cell(h, 0, c) for c, h in enumerate(header)]]
    data += [[cell(v, r, c) for c, v in enumerate(row)] for r, row in enumerate(rows, 1)]
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
    t = RuledTable(data, colWidths=col_widths, repeatRows=1, hAlign="LEFT")
    t.setStyle(TableStyle(commands))
    return t


def _lines(text: str, font: str, size: float, room: float) -> str:
    """``text`` broken into lines no wider than ``room`` points, between words (reportlab's simpleSplit).

    Most cells (numbers, dates, names) are one line that fits: one measurement says so, where
    simpleSplit measures word by word. Only text already in simpleSplit's form (single spaces, no
    line breaks) takes that path, so the printed result is the same.
    """
    if text == " ".join(text.split()) and stringWidth(text, font, size) <= room:
        return text
    return "\n".join(simpleSplit(text, font, size, room))


def _fit_columns(
    header: Sequence[str],
    rows: Sequence[Sequence[object]],
    widths: Sequence[float],
    size: float,
    pad: float,
    bold_column: int | None,
) -> tuple[list[float], float]:
    """Column widths (points) and the cell font size at which every word fits its column.

    Text wraps between words, never inside one, so a column narrower than its longest word lets
    that word run into the next column (large print makes it likely). Such columns take the room
    they need from columns with room to spare; if the words of all columns cannot fit the width
    at ``size``, the table's text is made just small enough that they do.
    """
    total = sum(widths) * BODY_WIDTH
    given = [w * BODY_WIDTH for w in widths]
    unit = [0.0] * len(widths)  # the longest word of each column at 1 pt
    for r, row in enumerate([header, *rows]):
        for c, value in enumerate(row):
            if value is None:
                continue
            raw = isinstance(value, Raw)  # markup: its words are the text between the tags (bold at worst)
            words = unescape(TAG.sub(" ", value.text)) if isinstance(value, Raw) else str(value)
            font = BOLD if raw or r == 0 or c == bold_column else REGULAR
            longest = max((stringWidth(w, font, 1) for w in words.split()), default=0.0)
            unit[c] = max(unit[c], float(longest))
    spare = 2 * pad + 2
    if sum(unit) * size + spare * len(unit) > total:
        size = (total - spare * len(unit)) / sum(unit)
    need = [u * size + spare for u in unit]
    short = sum(max(0.0, n - g) for n, g in zip(need, given, strict=True))
    slack = [max(0.0, g - n) for n, g in zip(need, given, strict=True)]
    if short <= 0:
        return given, size
    return [max(n, g - short * sl / sum(slack)) for n, g, sl in zip(need, given, slack, strict=True)], size


class RuledTable(Table):  # type: ignore[misc]
    """A table that never leaves fewer than :data:`MIN_ROWS` body rows alone across a page break.

    Too few rows fit here: the whole table starts on the next page (unless even there they would
    not fit). Too few rows would be left for the next page: the break moves up a row or two. A
    single row tall enough to read as a block of its own (large print) may stand alone.
    """

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        parts: list[Flowable] = super().split(availWidth, availHeight)
        if len(parts) != 2:
            return parts
        head = int(self.repeatRows)
        first = len(parts[0]._cellvalues) - head
        heights = self._rowHeights[head:]
        fits_a_page = sum(self._rowHeights[: head + MIN_ROWS]) <= BODY_HEIGHT
        if not _enough(heights[:first]) and fits_a_page:
            return []
        keep = first
        while keep > 0 and not _enough(heights[keep:]):
            keep -= 1  # move the break up until enough is left for the next page
        if keep < first:
            if not _enough(heights[:keep]):
                return [] if fits_a_page else parts
            parts = super().split(availWidth, sum(self._rowHeights[: head + keep]) + 0.01)
        return parts


def _enough(heights: Sequence[float]) -> bool:
    """Is this much of a table enough to stand on a page alone: two rows, or one row a sixth of a page tall?

    In large print a single row can fill a quarter of the page; it is then no orphan.
    """
    return len(heights) >= MIN_ROWS or (len(heights) == 1 and heights[0] >= BODY_HEIGHT / 6)


class KeepWithStart(KeepTogether):  # type: ignore[misc]
    """Headings and introductions kept on the page with the *start* of what they introduce.

    reportlab gathers a run of ``keepWithNext`` flowables and the one after into this group. A
    plain :class:`KeepTogether` moves the whole group to the next page when it does not fit, which
    leaves a half-empty page before a long table; this one lets the last flowable (a table or a
    paragraph) split, as long as the headings and its first part fit here (a table's first part
    holds at least :data:`MIN_ROWS` rows). A group that cannot start here moves as a whole.
    """

    def split(self, aW: float, aH: float) -> list[Flowable]:
        if getattr(self, "_wrapInfo", None) != (aW, aH):
            self.wrap(aW, aH)
        if aH >= self._H:
            return list(self._content)
        *lead, last = self._content
        if lead and isinstance(last, (Table, Paragraph)):
            _, lead_h = _listWrapOn(lead, aW, self.canv)
            room = aH - lead_h - max(lead[-1].getSpaceAfter(), last.getSpaceBefore())
            if room > 0:
                parts = last.splitOn(self.canv, aW, room)
                if len(parts) > 1:
                    return [*lead, *parts]
        result: list[Flowable] = super().split(aW, aH)
        return result


def columns(cells: Sequence[Flowable | list[Flowable]], widths: Sequence[float], gap: float) -> Table:
    """Flowables side by side in columns ``widths`` points wide, ``gap`` points apart, tops aligned.

    The row never splits across pages: it is for short blocks a reader takes in together.
    """
    grid = Table([list(cells)], colWidths=list(widths), hAlign="LEFT")
    grid.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), gap),
                ("LEFTPADDING", (0, 0), (0, 0), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return grid


def stacked_height(story: Sequence[Flowable], width: float = BODY_WIDTH) -> float:
    """The height ``story`` takes in a frame ``width`` wide, as the frame stacks it: a flowable's space
    before is only what exceeds the space after the one above, and none at the top.

    Used to size an elastic part (a map) to the room the rest of a one-page document leaves.
    """
    total, after = 0.0, None
    for f in story:
        if isinstance(f, KeepTogether):
            total_inner = stacked_height(f._content, width)
            before, f_after, height = f._content[0].getSpaceBefore(), f._content[-1].getSpaceAfter(), total_inner
        else:
            height = f.wrap(width, BODY_HEIGHT)[1]
            before, f_after = f.getSpaceBefore(), f.getSpaceAfter()
        total += height + (0.0 if after is None else max(0.0, before - after)) + f_after
        after = f_after
    return total


@dataclass(frozen=True)
class Raw:
    """Cell text that is already safe markup (built with :func:`rpdesk.reports.text.markup`)."""

    text: str


@lru_cache(maxsize=32)
def _right_aligned(style: ParagraphStyle) -> ParagraphStyle:
    return ParagraphStyle(f"{style.name}-right", parent=style, alignment=TA_RIGHT)


class EndOfPage(Flowable):  # type: ignore[misc]
    """Ends page ``page`` here (the rest of the page is left blank); on any later page, nothing.

    The tasking pack's summary is a page of its own for the chair, but in large print it runs past
    page 1, and a forced break then would leave the next page nearly empty.
    """

    def __init__(self, page: int) -> None:
        super().__init__()
        self.page = page

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        on_page = self.canv.getPageNumber() == self.page
        return availWidth, (availHeight if on_page else 0.0)

    def draw(self) -> None:
        """Nothing to draw: the flowable only takes up the rest of the page."""
