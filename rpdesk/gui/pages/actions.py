"""Partner actions: what partners and the team promised, overdue and due-soon highlighted."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from rpdesk.services.actions import ActionInfo, actions_and_partners, count_actions, is_active

from rpdesk.gui.flow import FlowLayout
from rpdesk.gui.models.records import Field, RecordsModel
from rpdesk.gui.pages.base import Page, heading
from rpdesk.gui.theme import readable_on
from rpdesk.gui.widgets import TablePanel, Tile

OVERDUE = QColor("#f8d7da")
DUE_SOON = QColor("#fff3cd")


def action_colour(action: ActionInfo) -> QColor | None:
    """Overdue rows red, due-soon rows amber (the service decides which is which)."""
    if action.overdue:
        return OVERDUE
    if action.due_soon:
        return DUE_SOON
    return None


def _swatch(colour: QColor) -> str:
    """A legend entry's style: the row tint with the text colour the table gives it."""
    return f"background:{colour.name()}; color:{readable_on(colour).name()}"


FIELDS = [
    Field("Title", "title"),
    Field("Owner", "owner"),
    Field("Partner", "partner"),
    Field("Due", "due_date"),
    # "overdue" in words as well as in red: a colour-blind reader or a high-contrast theme loses the tint
    Field("Days late", "days_overdue", numeric=True, fmt=lambda d: "" if not d else f"⚠ {d} overdue"),
    Field("Status", "status_label"),
    Field("EPIC", "epic", fmt=lambda e: (e or "").capitalize()),
    Field("Public", "public"),
    Field("Review", "review_date"),
    Field("Control signal", "control_signal"),
]


class ActionsPage(Page):
    title = "Partner actions"
    tables = frozenset({"partner_action", "action_status_change", "partner_agency"})

    def __init__(self, ctx: Any, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.partners: list[str] = []
        self.records: list[ActionInfo] = []
        self.heading = heading(self.title)
        self.tiles = {k: Tile(c) for k, c in (("open", "Open actions"), ("overdue", "Overdue"), ("soon", "Due soon"))}
        self.add_button = QPushButton("&Add action…")
        self.edit_button = QPushButton("&Edit…")
        self.status_button = QPushButton("Change &status…")
        self.active_only = QCheckBox("Hide done and cancelled")
        self.active_only.setChecked(True)
        self.active_only.toggled.connect(lambda _on: self._show())
        for button, slot, keys in (
            (self.add_button, self.add_action, "Ctrl+Shift+N"),
            (self.edit_button, self.edit_action, "Ctrl+Shift+E"),
            (self.status_button, self.change_status, "Ctrl+Shift+S"),
        ):
            button.clicked.connect(slot)
            button.setToolTip(f"{button.text().replace('&', '')} ({keys})")
            QShortcut(QKeySequence(keys), self, slot)
        head = FlowLayout()  # wraps rather than push a button past the right edge (large text, 150%)
        head.addWidget(self.heading)
        head.addStretch(1)
        head.addWidget(self.active_only)
        head.addWidget(self.add_button)
        head.addWidget(self.edit_button)
        head.addWidget(self.status_button)
        tiles = QHBoxLayout()
        for tile in self.tiles.values():
            tiles.addWidget(tile)
        self.table = TablePanel("Actions")
        self.model = RecordsModel(FIELDS, row_colour=action_colour, parent=self)
        self.table.set_model(self.model, {0: 46, 1: 16, 2: 20, 3: 11, 4: 12, 5: 10, 6: 12, 7: 6, 8: 11})
        self.table.activated.connect(lambda _key: self.edit_action())
        days = ctx.settings.due_soon_days
        self.table.count_label.setToolTip(f"Red: overdue. Amber: due within {days} days.")
        legend = QLabel(
            f"<span style='{_swatch(OVERDUE)}'>&nbsp;⚠ overdue&nbsp;</span>&nbsp;"
            f"<span style='{_swatch(DUE_SOON)}'>&nbsp;due within {days} days&nbsp;</span>"
        )
        legend.setAccessibleName("Colour legend")
        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addLayout(tiles)
        layout.addWidget(self.table, 1)
        layout.addWidget(legend)

    def refresh(self) -> None:
        if self.ward is None:
            return
        self.heading.setText(f"{self.title} — {self.ward.name}")
        days = self.ctx.settings.due_soon_days
        self.run(
            actions_and_partners, self.ward.code, due_soon_days=days, title="Loading actions", on_done=self._loaded
        )

    def _loaded(self, result: tuple[list[ActionInfo], list[str]]) -> None:
        self.records, self.partners = result
        self._show()

    def _show(self) -> None:
        shown = [a for a in self.records if is_active(a) or not self.active_only.isChecked()]
        self.model.set_records(shown)
        counts = count_actions(self.records)
        self.tiles["open"].set_value(str(counts.active))
        self.tiles["overdue"].set_value(str(counts.overdue), alert=counts.overdue > 0)
        self.tiles["soon"].set_value(str(counts.due_soon))

    def selected(self) -> ActionInfo | None:
        row = self.table.view.currentIndex().row()
        return self.model.record(row) if 0 <= row < self.model.rowCount() else None

    def add_action(self) -> None:
        from rpdesk.gui.dialogs.action import ActionDialog

        if self.ward is not None:
            ActionDialog.ask(self, self.ctx, self.ward.code, self.partners)

    def edit_action(self) -> None:
        from rpdesk.gui.dialogs.action import ActionDialog

        action = self.selected()
        if self.ward is not None and action is not None:
            ActionDialog.ask(self, self.ctx, self.ward.code, self.partners, action)

    def change_status(self) -> None:
        from rpdesk.gui.dialogs.action import StatusDialog

        action = self.selected()
        if action is not None:
            StatusDialog.ask(self, self.ctx, action)

    def export_model(self) -> RecordsModel:
        return self.model
