"""A layout that wraps its widgets onto more lines when the window is too narrow for one (a page's heading row).

At 150% scaling a 1366-pixel laptop offers about 620 pixels to a page; a row of a heading and four
buttons that fits at 100% would push the last button past the right edge. :class:`FlowLayout` puts
its items on one line while they fit and wraps them otherwise, so every control stays on screen.
It takes ``addStretch`` like a box layout: the items after it sit at the right end of their line.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLayout,
    QLayoutItem,
    QSizePolicy,
    QSpacerItem,
    QStyle,
    QWidget,
    QWidgetItem,
)


class FlowLayout(QLayout):
    """Items left to right, wrapped to the width; the ones after :meth:`addStretch` pushed right on their line."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._push: int | None = None

    # --- the QLayout interface ---------------------------------------------------------------------

    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)

    def addWidget(self, widget: QWidget) -> None:  # no stretch or alignment in a flow
        self.addChildWidget(widget)
        self.addItem(QWidgetItem(widget))

    def addPair(self, label: QLabel, field: QWidget) -> None:
        """A label and its field, kept together on one line (a wrap never parts "From" from its date)."""
        pair = QWidget()
        row = QHBoxLayout(pair)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(label)
        row.addWidget(field)
        self.addWidget(pair)

    def addStretch(self, _stretch: int = 1) -> None:
        """Push the items added after this to the right end of their line (as a box layout's stretch would)."""
        self._push = len(self._items)

    def addSpacing(self, size: int) -> None:
        """A gap of ``size`` pixels between two items (dropped where a line wraps there)."""
        self.addItem(QSpacerItem(size, 0, QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Minimum))

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._arrange(QRect(0, 0, width, 0), apply=False)

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._arrange(rect, apply=True)

    def sizeHint(self) -> QSize:
        """One line: the width of every item side by side (wrapping only when that is not available)."""
        shown = self._shown()
        width = sum(i.sizeHint().width() for i in shown) + self._spacing() * max(0, len(shown) - 1)
        height = max((i.sizeHint().height() for i in shown), default=0)
        return QSize(width, height).grownBy(self.contentsMargins())

    def minimumSize(self) -> QSize:
        """As narrow as the widest single item: everything else can wrap."""
        size = QSize()
        for item in self._shown():
            size = size.expandedTo(item.minimumSize())
        return size.grownBy(self.contentsMargins())

    # --- placing -----------------------------------------------------------------------------------

    def _shown(self) -> list[QLayoutItem]:
        """The items that take room: visible widgets and spacings."""
        return [i for i in self._items if i.spacerItem() is not None or not i.isEmpty()]

    def _spacing(self) -> int:
        spacing = self.spacing()
        if spacing >= 0:
            return spacing
        parent = self.parentWidget()
        style = parent.style() if parent is not None else None
        return style.pixelMetric(QStyle.PixelMetric.PM_LayoutHorizontalSpacing) if style is not None else 6

    def _lines(self, width: int) -> list[list[tuple[int, QLayoutItem]]]:
        """The items (with their index) on each line of ``width`` pixels."""
        lines: list[list[tuple[int, QLayoutItem]]] = [[]]
        shown = self._shown()
        used = 0
        for index, item in enumerate(self._items):
            if item not in shown:
                continue
            needed = item.sizeHint().width()
            if lines[-1] and used + self._spacing() + needed > width:
                lines.append([])
                used = 0
                if item.spacerItem() is not None:
                    continue
            used += (self._spacing() if lines[-1] else 0) + needed
            lines[-1].append((index, item))
        return lines

    def _arrange(self, rect: QRect, *, apply: bool) -> int:
        """Place the items in ``rect`` (when ``apply``); the height they take either way."""
        margins = self.contentsMargins()
        area = rect.marginsRemoved(margins)
        top = area.top()
        for line in self._lines(area.width()):
            height = max(item.sizeHint().height() for _, item in line) if line else 0
            if apply:
                self._place(line, area, top, height)
            top += height + self._spacing()
        return top - self._spacing() - rect.top() + margins.bottom() if top > area.top() else 0

    def _place(self, line: list[tuple[int, QLayoutItem]], area: QRect, top: int, height: int) -> None:
        widths = [min(item.sizeHint().width(), area.width()) for _, item in line]
        spare = area.width() - sum(widths) - self._spacing() * max(0, len(line) - 1)
        x = area.left()
        for (index, item), width in zip(line, widths, strict=True):
            if self._push is not None and index >= self._push and spare > 0:
                x, spare = x + spare, 0  # the pushed items start here, at the right end of the line
            item_height = min(item.sizeHint().height(), height)
            item.setGeometry(QRect(QPoint(x, top + (height - item_height) // 2), QSize(width, item_height)))
            x += width + self._spacing()
