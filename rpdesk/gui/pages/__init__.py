"""The page registry: the main window's navigation, in order (Ctrl+1.. follows this order).

A page is a :class:`rpdesk.gui.pages.base.Page` subclass. Entries name the module and class rather
than importing them, so the main window paints its navigation before heavy modules (pyqtgraph)
load. To add a page, add one :class:`PageEntry` line below.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rpdesk.gui.pages.base import Page


@dataclass(frozen=True)
class PageEntry:
    title: str
    module: str
    cls: str
    #: One line shown under the title in the navigation's tooltip.
    hint: str = ""

    def load(self) -> type[Page]:
        page: type[Page] = getattr(importlib.import_module(self.module), self.cls)
        return page


PAGES: tuple[PageEntry, ...] = (
    PageEntry("Dashboard", "rpdesk.gui.pages.dashboard", "DashboardPage", "Signals, ring-fence, activity"),
    PageEntry("Surveys", "rpdesk.gui.pages.surveys", "SurveysPage", "Survey rounds and paper-form entry"),
    PageEntry("Audits (EVA)", "rpdesk.gui.pages.audits", "AuditsPage", "Environmental visual audits"),
    PageEntry(
        "Signals & Priorities", "rpdesk.gui.pages.signals.page", "SignalsPage", "Ranked signals, priorities, checks"
    ),
    PageEntry("Map", "rpdesk.gui.pages.map", "MapPage", "Where: crime, EVA findings, hotspots, places"),
    PageEntry("Partner actions", "rpdesk.gui.pages.actions", "ActionsPage", "What partners promised, and when"),
    PageEntry("Officers & Abstractions", "rpdesk.gui.pages.officers", "OfficersPage", "Duty, abstractions, ring-fence"),
    PageEntry("Meetings & Reports", "rpdesk.gui.pages.reports", "ReportsPage", "Meetings, packs, briefings, printing"),
)
