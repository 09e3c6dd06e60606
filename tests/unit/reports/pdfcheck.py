"""What the report tests look at: the text of every page (pypdf) and how much ink a page carries (pdftoppm)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

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
