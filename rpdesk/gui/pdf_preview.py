"""PDF pages inside the app and on paper, rendered with pypdfium2 (QtPdf would pull in the large Addons wheel).

:func:`render_page` turns one page into a :class:`QImage` at a given resolution; :class:`PdfPreview`
shows a document a page at a time with page navigation; :func:`print_pdf` paints every page onto a
:class:`QPrinter` at the printer's own resolution, so the same code prints to a real printer (after
the system print dialog) or, in tests, to a PDF file.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QImage, QKeySequence, QPainter, QPixmap, QShortcut
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QScrollArea, QVBoxLayout, QWidget

from rpdesk.errors import Cancelled, UserError

POINTS_PER_INCH = 72.0


def page_count(path: Path) -> int:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(path))
    try:
        return len(document)
    finally:
        document.close()


def render_page(path: Path, index: int, dpi: float) -> QImage:
    """Page ``index`` (from 0) of the PDF at ``path`` as an RGB image of ``dpi`` dots per inch."""
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(str(path))
    except (OSError, pdfium.PdfiumError) as exc:
        raise UserError(f"{path.name} cannot be read as a PDF ({exc}).") from exc
    try:
        page = document[index]
        bitmap = page.render(scale=dpi / POINTS_PER_INCH, rev_byteorder=True)
        image = QImage(bitmap.buffer, bitmap.width, bitmap.height, bitmap.stride, QImage.Format.Format_RGB888)
        return image.copy()  # own the pixels: the bitmap's buffer goes with the document
    finally:
        document.close()


def print_pdf(
    path: Path,
    printer: QPrinter,
    *,
    progress: Callable[[float, str], None] | None = None,
    check: Callable[[], None] | None = None,
) -> int:
    """Paint every page of ``path`` onto ``printer``, each scaled to fit its printable area; return the pages.

    Pages are rendered at the printer's resolution so text stays sharp on paper. A page range chosen in
    the print dialog is honoured.
    """
    total = page_count(path)
    first, last = 1, total
    if printer.printRange() == QPrinter.PrintRange.PageRange and printer.fromPage() > 0:
        first, last = max(1, printer.fromPage()), min(total, printer.toPage() or total)
    chosen = range(first - 1, last)
    pages = len(chosen)
    dpi = float(printer.resolution())
    painter = QPainter()
    if not painter.begin(printer):
        raise UserError("The printer could not be started; check it is connected and try again.")
    try:
        for n, index in enumerate(chosen):
            if check is not None:
                check()
            if n:
                printer.newPage()
            image = render_page(path, index, dpi)
            area = QRectF(painter.viewport())
            scale = min(area.width() / image.width(), area.height() / image.height())
            target = QRectF(0, 0, image.width() * scale, image.height() * scale)
            target.moveCenter(area.center())
            painter.drawImage(target, image)
            if progress is not None:
                progress((n + 1) / pages, f"page {index + 1} of {total}")
    except Cancelled:
        printer.abort()
        raise
    finally:
        painter.end()
    return pages


class PdfPreview(QWidget):
    """One page at a time, fitted to the width, with Previous/Next (PgUp/PgDn) and the page number.

    Signals:
        page_shown(int): the page now shown (from 0).
    """

    page_shown = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.path: Path | None = None
        self.pages = 0
        self.index = 0
        self.image = QLabel("No document built yet.")
        self.image.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.image.setAccessibleName("Page preview")
        self.area = QScrollArea()
        self.area.setWidget(self.image)
        self.area.setWidgetResizable(True)
        self.area.setStyleSheet("QScrollArea { background: #6b6b6b; } QLabel { background: #6b6b6b; color: white; }")
        self.previous_button = QPushButton("◀ Pre&vious")
        self.next_button = QPushButton("Ne&xt ▶")
        self.page_label = QLabel()
        self.page_label.setAccessibleName("Page number")
        self.previous_button.clicked.connect(lambda: self.show_page(self.index - 1))
        self.next_button.clicked.connect(lambda: self.show_page(self.index + 1))
        QShortcut(QKeySequence(Qt.Key.Key_PageUp), self, lambda: self.show_page(self.index - 1))
        QShortcut(QKeySequence(Qt.Key.Key_PageDown), self, lambda: self.show_page(self.index + 1))
        bar = QHBoxLayout()
        bar.addWidget(self.previous_button)
        bar.addWidget(self.page_label)
        bar.addWidget(self.next_button)
        bar.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.area, 1)
        self._update_buttons()

    def load(self, path: Path | None) -> None:
        """Show the first page of ``path`` (None clears the preview)."""
        self.path = path
        self.pages = page_count(path) if path is not None else 0
        self.index = 0
        if path is None:
            self.image.setPixmap(QPixmap())
            self.image.setText("No document built yet.")
            self._update_buttons()
            return
        self.show_page(0)

    def show_page(self, index: int) -> None:
        if self.path is None or not 0 <= index < self.pages:
            return
        self.index = index
        width = max(200, self.area.viewport().width() - 24)
        points = self._page_width_points()
        dpi = max(48.0, min(200.0, width / points * POINTS_PER_INCH * self.devicePixelRatioF()))
        image = render_page(self.path, index, dpi)
        image.setDevicePixelRatio(self.devicePixelRatioF())
        self.image.setPixmap(QPixmap.fromImage(image))
        self._update_buttons()
        self.page_shown.emit(index)

    def _page_width_points(self) -> float:
        import pypdfium2 as pdfium

        assert self.path is not None
        document = pdfium.PdfDocument(str(self.path))
        try:
            return float(document[self.index].get_size()[0])
        finally:
            document.close()

    def _update_buttons(self) -> None:
        self.previous_button.setEnabled(self.index > 0)
        self.next_button.setEnabled(self.index + 1 < self.pages)
        self.page_label.setText(f"Page {self.index + 1} of {self.pages}" if self.pages else "")

    @property
    def pixmap(self) -> QPixmap:
        return self.image.pixmap()
