"""Officers & Abstractions: who is posted to the ward, their duty, what took them away, the ring-fence."""

from __future__ import annotations

import datetime as dt
from functools import partial
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from rpdesk.services.ward_duty import RingFenceView, find_abstraction, ring_fence_view, ward_officers
from rpdesk.services.ward_tables import abstractions_table, duty_table, officers_table

from rpdesk.gui.charts import draw_ring_fence_months, new_plot
from rpdesk.gui.data import deferred
from rpdesk.gui.flow import FlowLayout
from rpdesk.gui.models.paged import PagedTableModel
from rpdesk.gui.pages.base import Page, heading
from rpdesk.gui.widgets import TablePanel, Tile


def _pct(share: float | None) -> str:
    return "–" if share is None else f"{share:.0%}"


class OfficersPage(Page):
    title = "Officers & Abstractions"
    tables = frozenset({"officer", "posting", "duty_record", "abstraction"})

    def __init__(self, ctx: Any, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.officer_choices: list[Any] = []
        self.heading = heading(self.title)
        self.tiles = {
            "share": Tile("Time on ward duties (ring-fence)"),
            "rostered": Tile("Rostered hours"),
            "abstracted": Tile("Hours abstracted"),
            "reason": Tile("Main reason for abstraction"),
        }
        tiles = QHBoxLayout()
        for tile in self.tiles.values():
            tiles.addWidget(tile)
        self.record_button = QPushButton("&Record an abstraction…")
        self.edit_button = QPushButton("&Correct…")
        self.delete_button = QPushButton("De&lete")
        self.duty_button = QPushButton("Record &duty…")
        self.officer_button = QPushButton("Add &officer…")
        buttons = (
            (self.record_button, self.record_abstraction, "Ctrl+Shift+A", "Hours taken away from ward work"),
            (self.edit_button, self.correct_abstraction, "Ctrl+Shift+E", "Correct the selected abstraction"),
            (self.delete_button, self.delete_abstraction, "Ctrl+Shift+Del", "Delete an abstraction recorded in error"),
            (self.duty_button, self.record_duty, "Ctrl+Shift+U", "Rostered hours, or leave, sickness, rest day"),
            (self.officer_button, self.add_officer, "Ctrl+Shift+O", "Add an officer posted to this ward"),
        )
        for button, slot, keys, tip in buttons:
            button.clicked.connect(slot)
            button.setToolTip(f"{tip} ({keys})")
            QShortcut(QKeySequence(keys), self, slot)
        self.period = QLabel()
        self.period.setAccessibleName("Period of the ring-fence figures")
        head = FlowLayout()  # wraps rather than push a button past the right edge (large text, 150%)
        head.addWidget(self.heading)
        head.addWidget(self.period)
        head.addStretch(1)
        row = QHBoxLayout()
        for button, *_rest in buttons:
            row.addWidget(button)
        row.addStretch(1)

        self.officers = TablePanel("Officers posted to the ward", ctx.runner)
        self.officers.activated.connect(lambda _key: self.edit_contact())
        self.officers.setToolTip("Double-click or Enter on an officer to change their official contact")
        self.abstractions = TablePanel("Abstractions", ctx.runner)
        self.abstractions.activated.connect(lambda _key: self.correct_abstraction())
        self.duty = TablePanel("Duty", ctx.runner)
        tabs = QTabWidget()
        tabs.addTab(self.abstractions, "&Abstractions")
        tabs.addTab(self.duty, "D&uty")
        self.trend_plot = new_plot("Ring-fence per month, 12 months", "Ring-fence trend, 12 months")
        left = QSplitter(Qt.Orientation.Vertical)
        left.addWidget(self.officers)
        left.addWidget(self.trend_plot)
        left.setSizes([200, 300])
        split = QSplitter()
        split.addWidget(left)
        split.addWidget(tabs)
        split.setStretchFactor(1, 2)
        split.setSizes([420, 620])
        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addLayout(tiles)
        layout.addLayout(row)
        layout.addWidget(split, 1)

    def refresh(self) -> None:
        ward = self.ward
        if ward is None:
            return
        self.heading.setText(f"{self.title} — {ward.name}")
        db = self.ctx.database
        today = dt.date.today()
        self.officers.set_model(PagedTableModel(officers_table(db, ward.id, today)), {0: 10, 1: 16, 2: 8, 3: 11})
        self.abstractions.set_model(
            PagedTableModel(abstractions_table(db, ward.id)), {0: 12, 1: 12, 2: 16, 3: 7, 4: 26, 5: 18}
        )
        supervisor = self.ctx.settings.is_supervisor
        self.duty.set_model(
            PagedTableModel(duty_table(db, ward.id, supervisor=supervisor)), {0: 12, 1: 10, 2: 18, 3: 14}
        )
        target = self.ctx.settings.ring_fence_target
        self.run(ring_fence_view, ward.code, target, title="Ring-fence figures", on_done=self.show_figures)
        self.run(ward_officers, ward.code, title="Officers", on_done=self._set_choices)

    def _set_choices(self, choices: list[Any]) -> None:
        self.officer_choices = choices

    def show_figures(self, view: RingFenceView) -> None:
        total = view.total
        target = self.ctx.settings.ring_fence_target
        period = f"{view.start:%d %b} – {view.end:%d %b %Y}" if view.start and view.end else "no duty recorded"
        self.tiles["share"].caption.setText(f"On ward duties (target {target:.0%})")
        self.period.setText(f"Ring-fence figures for {period}")
        draw_ring_fence_months(self.trend_plot, [(m.month, m.figure.share) for m in view.months], target)
        if total is None:
            for tile in self.tiles.values():
                tile.set_value("–")
            return
        self.tiles["share"].set_value(
            _pct(total.ring_fence),
            f"Share of rostered hours on ward duties, {period}; target {target:.0%}",
            alert=total.below_target,
        )
        self.tiles["rostered"].set_value(f"{total.rostered_hours:,.0f}")
        self.tiles["abstracted"].set_value(f"{total.abstracted_hours:,.0f}")
        top = view.reasons[0] if view.reasons else None
        self.tiles["reason"].set_value(top.label if top else "–", f"{top.hours:g} h" if top else "")

    def record_abstraction(self) -> None:
        if self.ward is None:
            return
        from rpdesk.gui.dialogs.abstraction import AbstractionDialog

        AbstractionDialog.ask(self, self.ctx, self.ward.code, self.officer_choices)

    def correct_abstraction(self) -> None:
        self._with_selected(self._correct)

    def _correct(self, info: Any) -> None:
        from rpdesk.gui.dialogs.abstraction import AbstractionDialog

        if self.ward is not None:
            AbstractionDialog.ask(self, self.ctx, self.ward.code, self.officer_choices, existing=info)

    def delete_abstraction(self) -> None:
        self._with_selected(self._delete)

    def _delete(self, info: Any) -> None:
        self.run(_lone_duty_day, info.id, title="Reading the abstraction", on_done=partial(self._ask_delete, info))

    def _ask_delete(self, info: Any, day: Any) -> None:
        """Ask before deleting; where the abstraction sits on a day entered with it, ask about that day too."""
        text = f"Delete the {info.hours:g} h abstraction of {info.officer} on {info.date:%d/%m/%Y}?"
        box = QMessageBox(QMessageBox.Icon.Question, "Delete abstraction", text, parent=self)
        box.setObjectName("delete abstraction")
        both = None
        if day is not None:
            box.setInformativeText(
                f"It is the only record on {info.officer}'s duty day of {day.date:%d/%m/%Y} ({day.rostered_hours:g} h "
                "rostered), entered by hand. Remove that day too unless the officer was on ward duty then: left in, "
                "it counts as ward hours."
            )
            both = box.addButton("Delete it and the &duty day", QMessageBox.ButtonRole.DestructiveRole)
        alone = box.addButton(
            "Delete the &abstraction only" if day is not None else "&Delete", QMessageBox.ButtonRole.AcceptRole
        )
        box.setDefaultButton(box.addButton(QMessageBox.StandardButton.Cancel))

        def chosen(_result: int) -> None:
            if box.clickedButton() in (both, alone):
                with_day = box.clickedButton() is both
                state = self.ctx.runner.run(
                    _delete_abstraction, info.id, info.version, with_duty_day=with_day, title="Deleting the abstraction"
                )
                state.failed.connect(self.show_error)

        box.finished.connect(chosen)
        box.open()

    def _with_selected(self, then: Any) -> None:
        """Read the selected abstraction as it is now (with its version), then act on it."""
        model, row = self.abstractions.model, self.abstractions.view.currentIndex().row()
        if model is None or row < 0:
            return
        key, day, collar = model.row_tuple(row)[:3]
        self.run(find_abstraction, key, collar, day, title="Reading the abstraction", on_done=then)

    def record_duty(self) -> None:
        from rpdesk.gui.dialogs.abstraction import DutyDialog

        if self.ward is not None:
            DutyDialog(self.ctx, self.ward.code, self.officer_choices, self).exec()

    def add_officer(self) -> None:
        from rpdesk.gui.dialogs.abstraction import OfficerDialog

        if self.ward is not None:
            OfficerDialog(self.ctx, self.ward.code, self).exec()

    def edit_contact(self) -> None:
        """Change the selected officer's official contact (read as it is now, with its version)."""
        model, row = self.officers.model, self.officers.view.currentIndex().row()
        if model is None or row < 0:
            return
        collar = model.row_tuple(row)[1]
        self.run(_officer_info, collar, title="Reading the officer", on_done=self._edit_contact)

    def _edit_contact(self, info: Any) -> None:
        from rpdesk.gui.dialogs.abstraction import OfficerContactDialog

        OfficerContactDialog(self.ctx, info, self).exec()

    def export_model(self) -> PagedTableModel | None:
        return self.abstractions.model


_delete_abstraction = deferred("rpdesk.services.duty_records", "delete_abstraction")
_lone_duty_day = deferred("rpdesk.services.duty_records", "lone_duty_day")
_officer_info = deferred("rpdesk.services.officers", "officer_info")
