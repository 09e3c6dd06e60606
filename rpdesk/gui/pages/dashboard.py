"""Dashboard: the ward at a glance — top signals, confidence, ring-fence, actions, reassurance activity."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from rpdesk.domain.ringfence import is_below_target
from rpdesk.services.dashboard_view import Activity, DashboardData, dashboard_data

from rpdesk.gui.charts import draw_confidence, draw_ring_fence, draw_signals, new_plot
from rpdesk.gui.keyboard import configure_table
from rpdesk.gui.pages.base import Page, heading
from rpdesk.gui.theme import warn_style
from rpdesk.gui.widgets import Tile


def _figure(value: float | None) -> str:
    return "–" if value is None else f"{value:,.0f}"


class DashboardPage(Page):
    title = "Dashboard"
    tables = frozenset(
        {
            "survey_response",
            "audit_visit",
            "audit_observation",
            "partner_action",
            "abstraction",
            "duty_record",
            "meeting",
        }
    )

    def __init__(self, ctx: Any, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.data: DashboardData | None = None
        self.heading = heading(self.title)
        self.subtitle = QLabel()
        self.subtitle.setWordWrap(True)
        self.gap = QLabel()
        self.gap.setWordWrap(True)
        self.gap.setAccessibleName("Reassurance gap")
        self.gap.hide()
        self.tiles = {
            "open": Tile("Open actions"),
            "overdue": Tile("Overdue actions"),
            "soon": Tile("Actions due soon"),
            "ring": Tile("Time on ward, latest week"),
        }
        tiles = QHBoxLayout()
        for tile in self.tiles.values():
            tiles.addWidget(tile)
        self.signals_plot = new_plot("Top signals (with 95% intervals)", "Top signals chart")
        self.confidence_plot = new_plot("Confidence over survey rounds", "Confidence chart")
        self.ring_plot = new_plot("Ring-fence per week", "Ring-fence chart")
        self.activity = QTableWidget(0, 3)
        self.activity.setAccessibleName("Reassurance activity beside recorded crime")
        self.activity.setHorizontalHeaderLabels(["Reassurance activity", "This period", "Previous"])
        self.activity.verticalHeader().hide()
        self.activity.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.activity.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.activity.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        configure_table(self.activity)
        header = self.activity.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.activity_title = QLabel("<b>Reassurance activity</b>")
        activity_box = QVBoxLayout()
        activity_box.addWidget(self.activity_title)
        activity_box.addWidget(self.activity)
        grid = QGridLayout()
        grid.addWidget(self.signals_plot, 0, 0)
        grid.addWidget(self.confidence_plot, 0, 1)
        grid.addWidget(self.ring_plot, 1, 0)
        grid.addLayout(activity_box, 1, 1)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.subtitle)
        layout.addWidget(self.gap)
        layout.addLayout(tiles)
        layout.addLayout(grid, 1)

    def refresh(self) -> None:
        if self.ward is None:
            return
        self.heading.setText(f"{self.title} — {self.ward.name}")
        self.run(
            dashboard_data, self.ward.code, self.ctx.settings, title="Loading the dashboard", on_done=self.show_data
        )

    def show_data(self, data: DashboardData) -> None:
        self.data = data
        signals_from = f"Signals from {data.round_name} ({data.respondents:,} respondents)" if data.round_name else ""
        # one line on a laptop screen: the period's full label (part period, full end) is the tooltip
        period = f"period {data.period_start:%d/%m}–{data.period_end:%d/%m/%Y}" + (
            " (part period)" if data.as_at.period_part else ""
        )
        as_at = f"As at {data.as_at.date:%d/%m/%Y}"
        self.subtitle.setText(" · ".join(t for t in (as_at, signals_from, period, data.as_at.crime_held) if t))
        self.subtitle.setToolTip(f"Period {data.as_at.period}; {data.as_at.overdue.lower()} counts actions past due.")
        # the verdict in one line; every figure and test behind it in the tooltip (and for screen readers)
        self.gap.setText(data.gap_conclusion or "")
        self.gap.setToolTip(data.gap or "")
        self.gap.setAccessibleDescription(data.gap or "")
        # A claimed gap stands out; figures with "no clear change" are read, not alarmed at.
        self.gap.setStyleSheet(warn_style() if data.gap_claimed else "")
        self.gap.setVisible(bool(data.gap))
        self.tiles["open"].set_value(str(data.open_actions))
        self.tiles["overdue"].set_value(str(data.overdue_actions), alert=data.overdue_actions > 0)
        self.tiles["overdue"].caption.setText(f"{data.as_at.overdue} (past due, still active)")
        self.tiles["soon"].set_value(str(data.due_soon_actions))
        latest = next((w for w in reversed(data.weeks) if w.share is not None), None)
        share = latest.share if latest else None
        self.tiles["ring"].set_value(
            "–" if share is None else f"{share:.0%}",
            f"Target {data.target:.0%}",
            alert=is_below_target(share, data.target),
        )
        self.tiles["ring"].caption.setText(
            f"Time on ward, week of {latest.week_start:%d %b} (target {data.target:.0%})" if latest else "Time on ward"
        )
        draw_signals(self.signals_plot, data.signals)
        draw_confidence(self.confidence_plot, data.confidence)
        draw_ring_fence(self.ring_plot, data.weeks, data.target)
        self._show_activity(data.activity)

    def _show_activity(self, rows: tuple[Activity, ...]) -> None:
        self.activity.setRowCount(len(rows))
        for r, row in enumerate(rows):
            cells = [row.measure, _figure(row.this_period), _figure(row.previous_period)]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if row.note:
                    item.setToolTip(row.note)
                if "crime" in row.measure.lower():
                    font = item.font()
                    font.setItalic(True)
                    item.setFont(font)
                self.activity.setItem(r, c, item)
        self.activity.resizeRowsToContents()
