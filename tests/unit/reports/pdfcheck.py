"""What the report tests look at: the text of every page (pypdf), where each character is printed
(pdfium's text layer, to measure layout) and how much ink a page carries (pdftoppm)."""

from __future__ import annotations

import ctypes
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from pypdf import PdfReader


def page_texts(path: Path) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(str(path)).pages]


def inked_share(path: Path, page: int) -> float:
    """Share of non-white pixels of a page rendered at 30 dpi in grey (pdftoppm)."""
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    out = subprocess.run(
        ["pdftoppm", "-gray", "-r", "30", "-f", str(page), "-l", str(page), str(path)],
        capture_output=True,
        check=True,
    ).stdout
    # PGM (P5): magic, width height, maxval, then one byte per pixel
    header, rest = out.split(b"\n", 1)
    assert header == b"P5"
    while rest.startswith(b"#"):
        rest = rest.split(b"\n", 1)[1]
    size, rest = rest.split(b"\n", 1)
    _maxval, pixels = rest.split(b"\n", 1)
    width, height = (int(v) for v in size.split())
    pixels = pixels[: width * height]
    return sum(1 for p in pixels if p < 200) / len(pixels)


def fonts_embedded(path: Path) -> set[str]:
    """Base names of the fonts whose program is embedded in the PDF."""
    names = set()
    for page in PdfReader(str(path)).pages:
        fonts = page["/Resources"].get("/Font", {})
        for ref in fonts.values():
            font = ref.get_object()
            for desc in [font.get("/FontDescriptor")] + [
                d.get_object().get("/FontDescriptor") for d in font.get("/DescendantFonts", [])
            ]:
                if desc is not None and any(k in desc.get_object() for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                    names.add(str(font["/BaseFont"]).split("+")[-1])
    return names


@dataclass(frozen=True)
class Glyph:
    """One printed character: its box in points from the page's bottom left, baseline and font size."""

    char: str
    x0: float
    y0: float
    x1: float
    y1: float
    baseline: float
    size: float

    def overlaps(self, other: Glyph, slack: float = 0.0) -> bool:
        """Do the two boxes share area (beyond ``slack`` points on each side)?"""
        return (
            min(self.x1, other.x1) - max(self.x0, other.x0) > slack
            and min(self.y1, other.y1) - max(self.y0, other.y0) > slack
        )


@dataclass(frozen=True)
class Line:
    """Glyphs sharing a baseline, left to right (two columns side by side make one line)."""

    baseline: float
    glyphs: tuple[Glyph, ...]

    @property
    def text(self) -> str:
        return "".join(g.char for g in self.glyphs)

    @property
    def size(self) -> float:
        return max(g.size for g in self.glyphs)


def glyphs(path: Path) -> list[list[Glyph]]:
    """Every visible character of every page, with its tight box (pdfium's text layer)."""
    pdf = pdfium.PdfDocument(str(path))
    pages = []
    try:
        for page in pdf:
            text = page.get_textpage()
            out = []
            for i in range(text.count_chars()):
                char = chr(pdfium.raw.FPDFText_GetUnicode(text.raw, i))
                if not char.strip():
                    continue
                x, y = ctypes.c_double(), ctypes.c_double()
                pdfium.raw.FPDFText_GetCharOrigin(text.raw, i, ctypes.byref(x), ctypes.byref(y))
                left, bottom, right, top = text.get_charbox(i)
                size = pdfium.raw.FPDFText_GetFontSize(text.raw, i)
                out.append(Glyph(char, left, bottom, right, top, round(y.value, 1), size))
            pages.append(out)
    finally:
        pdf.close()
    return pages


def lines(page: list[Glyph]) -> list[Line]:
    """The page's glyphs grouped by baseline, top of the page first."""
    rows: dict[float, list[Glyph]] = {}
    for g in page:
        rows.setdefault(g.baseline, []).append(g)
    return [Line(y, tuple(sorted(rows[y], key=lambda g: g.x0))) for y in sorted(rows, reverse=True)]


def overlapping(page: list[Glyph], slack: float = 0.5) -> list[tuple[Glyph, Glyph]]:
    """Pairs of glyphs drawn over each other (text running into text), found through a 20 pt grid."""
    cells: dict[tuple[int, int], list[Glyph]] = {}
    found = []
    for g in page:
        keys = {(int(x // 20), int(y // 20)) for x in (g.x0, g.x1) for y in (g.y0, g.y1)}
        near = {id(o): o for k in keys for o in cells.get(k, [])}
        found += [(o, g) for o in near.values() if g.overlaps(o, slack)]
        for k in keys:
            cells.setdefault(k, []).append(g)
    return found
