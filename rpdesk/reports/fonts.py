"""The embedded font family: DejaVu Sans, shipped in ``resources/fonts`` with its licence.

reportlab's built-in Helvetica has no glyphs beyond Latin-1, so Welsh ŵ and ŷ, the euro sign and
curly quotes would print as boxes. A TrueType family registered here is subset and embedded in
every PDF, so documents print the same on any machine.
"""

from __future__ import annotations

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from rpdesk.errors import UserError
from rpdesk.paths import resources_dir

REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"

#: Documents use no italics: a slanted face is hard to read for many people, and leaving the
#: oblique files out halves the fonts read at start-up. ``<i>`` in markup falls back to upright.
_FACES = (REGULAR, BOLD)


def register_fonts() -> None:
    """Register the family once per process; later calls are free."""
    if REGULAR in pdfmetrics.getRegisteredFontNames():
        return
    folder = resources_dir() / "fonts"
    for face in _FACES:
        path = folder / f"{face}.ttf"
        if not path.is_file():
            raise UserError(f"The font file {path} is missing; reinstall rpdesk.")
        pdfmetrics.registerFont(TTFont(face, str(path)))
    pdfmetrics.registerFontFamily(REGULAR, normal=REGULAR, bold=BOLD, italic=REGULAR, boldItalic=BOLD)
    for bold, italic, face in ((0, 0, REGULAR), (1, 0, BOLD), (0, 1, REGULAR), (1, 1, BOLD)):
        addMapping(REGULAR, bold, italic, face)
