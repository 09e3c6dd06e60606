"""The import wizard itself: its pages in order, the import it describes, and its tasks on the shell's runner."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QWidget, QWizard

from rpdesk.services.import_dispatch import ImportSpec
from rpdesk.services.import_mapping import remember_mapping

from rpdesk.gui.context import AppContext
from rpdesk.gui.dialogs.import_wizard import widgets
from rpdesk.gui.dialogs.import_wizard.answers import AnswersPage
from rpdesk.gui.dialogs.import_wizard.check import CheckPage
from rpdesk.gui.dialogs.import_wizard.choose import ChoosePage
from rpdesk.gui.dialogs.import_wizard.columns import MappingPage
from rpdesk.gui.dialogs.import_wizard.preview import PreviewPage
from rpdesk.gui.dialogs.import_wizard.run import ImportPage
from rpdesk.gui.dialogs.import_wizard.widgets import MAPPED_KINDS
from rpdesk.gui.screen import FitsScreen
from rpdesk.gui.tasks import TaskState


class ImportWizard(FitsScreen, QWizard):
    """File → preview → columns → answers → check → import, all on the shell's task runner.

    Signals:
        preview_loaded(object): the :class:`Preview` of the chosen file.
        mapping_ready(): the column-matching table is filled.
        answers_ready(): the answer-matching table is filled.
        checked(object): the check's :class:`Outcome`, or the exception that refused the file.
        imported(object): the import's :class:`Outcome`, after its transaction committed.
        import_failed(object): the import was cancelled (``Cancelled``) or refused.
    """

    CHOOSE, PREVIEW, MAPPING, ANSWERS, CHECK, IMPORT = (
        widgets.CHOOSE,
        widgets.PREVIEW,
        widgets.MAPPING,
        widgets.ANSWERS,
        widgets.CHECK,
        widgets.IMPORT,
    )

    preview_loaded = Signal(object)
    mapping_ready = Signal()
    answers_ready = Signal()
    checked = Signal(object)
    imported = Signal(object)
    import_failed = Signal(object)

    def __init__(self, ctx: AppContext, ward: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.ward = ward
        self.close_when_done = False
        self._states: set[TaskState] = set()
        self.setWindowTitle("Import a file")
        self.setAccessibleName("Import wizard")
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)  # the page has its own Cancel
        self.choose_page = ChoosePage(self)
        self.preview_page = PreviewPage(self)
        self.mapping_page = MappingPage(self)
        self.answers_page = AnswersPage(self)
        self.check_page = CheckPage(self)
        self.import_page = ImportPage(self)
        pages = (
            self.choose_page,
            self.preview_page,
            self.mapping_page,
            self.answers_page,
            self.check_page,
            self.import_page,
        )
        for page_id, page in enumerate(pages):
            self.setPage(page_id, page)
        self.setStartId(self.CHOOSE)
        self.resize(980, 640)

    @classmethod
    def ask(cls, parent: QWidget, ctx: AppContext, ward: Any) -> bool:
        """Run the wizard modally; True when something was imported."""
        if ward is None:
            return False
        wizard = cls(ctx, ward, parent)
        wizard.exec()
        return wizard.import_page.outcome is not None

    @property
    def kind(self) -> str:
        return str(self.choose_page.kind.currentData())

    def spec(self) -> ImportSpec:
        page = self.choose_page
        mapped = self.kind in MAPPED_KINDS and bool(self.mapping_page.combos)
        return ImportSpec(
            kind=self.kind,
            path=Path(page.path.text().strip()),
            ward_code=self.ward.code,
            round_name=page.round_name.text().strip(),
            method=page.method.currentData(),
            replace=page.replace.isChecked(),
            accept_dates=self.check_page.accept_dates.isChecked(),
            mapping=self.mapping_page.mapping() if mapped else None,
            settings=self.ctx.settings,
        )

    def remember_mapping(self, status: QLabel) -> None:
        """Keep the matching for the next export of this form; saying so on ``status`` if that fails."""
        preview = self.preview_page.preview
        if preview is None:
            return
        try:
            remember_mapping(self.mapping_page.mapping(), preview.headers)
        except OSError as exc:  # not being able to remember it is no reason to stop the import
            status.setText(f"The matching could not be saved for next time ({exc.strerror}).")

    def submit(self, work: Callable[[Any, Any], Any], title: str) -> TaskState:
        return self._keep(self.ctx.runner.submit(work, title=title))

    def run(self, fn: Callable[..., Any], *args: Any, title: str, **kwargs: Any) -> TaskState:
        return self._keep(self.ctx.runner.run(fn, *args, title=title, **kwargs))

    def run_in_process(self, fn: Callable[..., Any], *args: Any, title: str) -> TaskState:
        return self._keep(self.ctx.runner.run_in_process(fn, *args, title=title))

    def _keep(self, state: TaskState) -> TaskState:
        self._states.add(state)
        state.finished.connect(lambda: self._states.discard(state))
        return state

    @property
    def busy(self) -> bool:
        return bool(self._states)

    def reject(self) -> None:
        """Closing while importing cancels the import first; the wizard closes once it has stopped."""
        if self.import_page.running:
            self.close_when_done = True
            self.import_page.cancel()
            return
        super().reject()
