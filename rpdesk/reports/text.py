"""User text into reportlab paragraphs, escaped so that it prints exactly as typed.

A reportlab ``Paragraph`` reads its text as XML markup: a partner called ``<b>Smith & Sons</b>``
would print in bold, lose the ampersand, or stop the build. Every string that came from a person or
a file goes through :func:`esc`; markup of our own is written with :func:`markup`, which escapes
each argument and nothing else.
"""

from __future__ import annotations

import datetime as dt
from xml.sax.saxutils import escape

from reportlab import platypus
from reportlab.lib.styles import ParagraphStyle

_ENTITIES = {'"': "&quot;"}


class Paragraph(platypus.Paragraph):  # type: ignore[misc]
    """A reportlab paragraph that keeps its line breaks for the width it was last wrapped to.

    Page flow asks a paragraph its height several times at the same width (a heading kept with
    what follows, a table measuring its cells, a split tried and undone); breaking the lines again
    each time was a sixth of a pack's layout. The lines depend only on the width and the text, so
    the answer is reused until the width changes (or reportlab drops the lines after a split).
    """

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        if self.__dict__.get("_wrapped_to") == availWidth and "blPara" in self.__dict__:
            return self.width, self.height
        size: tuple[float, float] = super().wrap(availWidth, availHeight)
        self._wrapped_to = availWidth
        return size


def esc(value: object) -> str:
    """``value`` as paragraph text that prints literally; line breaks are kept, None is blank."""
    if value is None:
        return ""
    text = escape(str(value), _ENTITIES)
    return "<br/>".join(line.strip() for line in text.splitlines()) if "\n" in text else text


def markup(template: str, *args: object) -> str:
    """Our own markup ``template`` (``{}`` placeholders) with each argument escaped."""
    return template.format(*(esc(a) for a in args))


def para(value: object, style: ParagraphStyle) -> Paragraph:
    """A paragraph showing ``value`` literally."""
    return Paragraph(esc(value), style)


def day(value: dt.date | None) -> str:
    """A date as a UK reader writes it (``Tue 10 Nov 2026``); blank when there is none."""
    return "" if value is None else f"{value:%a} {value.day} {value:%b %Y}"


def percent(value: float | None, places: int = 0) -> str:
    """A 0..1 share as a percentage; an en dash when there is no figure."""
    return "–" if value is None else f"{100 * value:.{places}f}%"


def number(value: float | None, places: int = 0) -> str:
    """A count or hours with thousands separators; an en dash when there is no figure."""
    return "–" if value is None else f"{value:,.{places}f}"
