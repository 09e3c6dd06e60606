"""Render the application icon's SVG into the raster files that cannot be SVG.

``resources/icons/rpdesk-app.svg`` is the source. Linux menus want a PNG beside the .desktop file
(``resources/icons/rpdesk-app.png``, 256 px); Windows executables and the installer want an ICO
(``packaging/rpdesk-app.ico``, PNG images at 16, 32, 48 and 256 px, the layout Windows Vista and
later read). The outputs are committed, so a build never needs this script; run it after editing
the SVG: ``.venv/bin/python packaging/make_icons.py``.
"""

from __future__ import annotations

import os
import struct
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ROOT = Path(__file__).resolve().parent.parent
SVG = ROOT / "resources" / "icons" / "rpdesk-app.svg"
PNG = ROOT / "resources" / "icons" / "rpdesk-app.png"
ICO = ROOT / "packaging" / "rpdesk-app.ico"
ICO_SIZES = (16, 32, 48, 256)


def render_png(renderer: QSvgRenderer, size: int) -> bytes:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")  # type: ignore[call-overload]  # the stubs say bytes; PySide6 6.12 wants str
    return bytes(data.data())


def ico_bytes(pngs: dict[int, bytes]) -> bytes:
    """An ICO container holding PNG images: a 6-byte header, a 16-byte entry per image, the images."""
    header = struct.pack("<HHH", 0, 1, len(pngs))
    entries, offset = b"", 6 + 16 * len(pngs)
    for size, png in pngs.items():
        side = 0 if size >= 256 else size  # 0 means 256 in the ICO directory
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(png), offset)
        offset += len(png)
    return header + entries + b"".join(pngs.values())


def main() -> None:
    _app = QGuiApplication([])
    renderer = QSvgRenderer(str(SVG))
    pngs = {size: render_png(renderer, size) for size in ICO_SIZES}
    PNG.write_bytes(pngs[256])
    ICO.write_bytes(ico_bytes(pngs))
    print(f"wrote {PNG.relative_to(ROOT)} and {ICO.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
