"""Small widgets the pages share: a filterable lazy table, figure tiles, a form helper."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from rpdesk.gui.keyboard import configure_table
from rpdesk.gui.models.paged import PagedTableModel
from rpdesk.gui.models.records import RecordsModel
from rpdesk.gui.tasks import TaskRunner
from rpdesk.gui.theme import alert_style


class TablePanel(QWidget):
    """A title, a filter box and a table view over a :class:`PagedTableModel`, with a row count.

    Signals:
        current_changed(object): the key of the selected row (None when nothing is selected).
        activated(object): the key of a row double-clicked or entered (Tab leaves the table: see
            :func:`~rpdesk.gui.keyboard.configure_table`).
    """

    current_changed = Signal(object)
    activated = Signal(object)

    def __init__(self, title: str, runner: TaskRunner | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = title
        self.runner = runner
        self.model: Any = None  # PagedTableModel or RecordsModel
        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText("Filter…")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.setAccessibleName(f"Filter {title}")
        self.filter_edit.setMaximumWidth(280)
        self.count_label = QLabel()
        self.count_label.setAccessibleName(f"{title} row count")
        self.view = QTableView()
        self.view.setAccessibleName(title)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        self.view.verticalHeader().hide()
        self.view.verticalHeader().setDefaultSectionSize(self.view.fontMetrics().height() + 10)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.horizontalHeader().setHighlightSections(False)
        configure_table(self.view, lambda idx: self.activated.emit(self._key(idx.row())))
        head = QHBoxLayout()
        label = QLabel(f"<b>{title}</b>")
        head.addWidget(label)
        head.addStretch(1)
        head.addWidget(self.count_label)
        head.addWidget(self.filter_edit)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(head)
        layout.addWidget(self.view)
        self.filter_edit.textChanged.connect(self._on_filter)

    def set_model(self, model: PagedTableModel | RecordsModel, widths: dict[int, int] | None = None) -> None:
        """Show ``model`` and load it; ``widths`` gives columns a width in characters."""
        old = self.model
        self.model = model
        self.view.setModel(model)
        model.modelReset.connect(self._on_reset)
        model.rowsInserted.connect(self._update_count)
        self.view.selectionModel().currentRowChanged.connect(
            lambda cur, _p: self.current_changed.emit(self._key(cur.row()))
        )
        self.view.setSortingEnabled(False)
        self.view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        model.set_filter(self.filter_edit.text())
        self.view.setSortingEnabled(True)  # sorts (and so loads) by the model's default order
        self._apply_widths(widths or {})
        if old is not None:
            old.deleteLater()

    def _apply_widths(self, widths: dict[int, int]) -> None:
        header = self.view.horizontalHeader()
        char = self.view.fontMetrics().averageCharWidth()
        for col in range(self.model.columnCount()):
            chars = max(widths.get(col, 8), len(self.model.columns[col].title) + 4)
            header.resizeSection(col, chars * char + 16)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(not self.model.columns[-1].numeric)

    def _key(self, row: int) -> Any:
        if self.model is None or not 0 <= row < self.model.rowCount():
            return None
        return self.model.key_at(row)

    @property
    def current_key(self) -> Any:
        return self._key(self.view.currentIndex().row())

    def select_first(self) -> None:
        if self.model is not None and self.model.rowCount():
            self.view.selectRow(0)

    def _on_filter(self, text: str) -> None:
        if self.model is not None:
            self.model.set_filter(text)

    def _update_count(self) -> None:
        model = self.model
        if model is not None:
            self.count_label.setText(f"{model.total:,} rows" if model.counted else f"{model.total:,}+ rows")

    def _on_reset(self) -> None:
        """New rows (filter, sort, change): show what is known and count a large table in the background."""
        self._update_count()
        model = self.model
        if model is None or model.counted or self.runner is None:
            return
        generation = model.generation
        state = self.runner.submit(lambda _p, _c: model.count_rows(), title=f"Counting {self.title}")

        def counted(count: int) -> None:
            model.set_count(count, generation)
            self._update_count()

        state.done.connect(counted)


class Tile(QFrame):
    """A figure with its caption, as on a dashboard."""

    def __init__(self, caption: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("tile")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.value = QLabel("–")
        self.value.setWordWrap(True)
        self._base_size = self.value.font().pointSizeF()
        self._set_size(2.0)
        self.caption = QLabel(caption)
        self.caption.setWordWrap(True)
        self.setAccessibleName(caption)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.addWidget(self.value)
        layout.addWidget(self.caption)

    def _set_size(self, scale: float) -> None:
        font = self.value.font()
        font.setPointSizeF(self._base_size * scale)
        font.setBold(True)
        self.value.setFont(font)

    def set_value(self, text: str, tip: str = "", alert: bool = False) -> None:
        """Show ``text``: figures large, words (e.g. a reason) smaller so that they fit the tile."""
        self._set_size(2.0 if len(text) <= 8 else 1.1)
        self.value.setText(text)
        self.value.setStyleSheet(alert_style() if alert else "")
        self.setToolTip(tip)
        self.setAccessibleDescription(f"{self.caption.text()}: {text}")
