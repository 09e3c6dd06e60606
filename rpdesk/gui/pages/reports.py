"""Meetings & Reports: plan the ward's meetings, build their documents, and preview, save, open or print them.

A TCG (tasking) meeting gets the tasking pack and the response-team card; a community meeting gets
the community briefing (large print, Welsh or bilingual on request). Documents are built off the
GUI thread with progress and Cancel, recorded against the meeting by the documents service, kept in
the per-user data folder, and previewed inside the app page by page.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QDesktopServices, QKeySequence, QShortcut
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from rpdesk.errors import UserError
from rpdesk.outputs import guard_output, write_aside
from rpdesk.services.audit import disclosed
from rpdesk.services.documents import DocumentInfo, build_document, document_path
from rpdesk.services.meetings import (
    KIND_LABELS,
    MeetingDocumentRow,
    MeetingRow,
    add_meeting,
    list_meetings,
    meeting_documents,
    start_time_problem,
)

from rpdesk.gui.context import AppContext
from rpdesk.gui.dialogs.form import FormDialog, choice_box, date_edit, date_of
from rpdesk.gui.dialogs.progress import ProgressDialog
from rpdesk.gui.flow import FlowLayout
from rpdesk.gui.messages import show_error
from rpdesk.gui.models.records import Field, RecordsModel
from rpdesk.gui.pages.base import Page, heading
from rpdesk.gui.pdf_preview import PdfPreview, print_pdf
from rpdesk.gui.widgets import TablePanel

DOCUMENT_LABELS = {"tasking": "Tasking pack", "card": "Response-team card", "briefing": "Community briefing"}
LANGUAGE_LABELS = {"en": "English", "cy": "Cymraeg (Welsh)", "both": "Bilingual (Welsh and English)"}
MEETING_FIELDS = [
    Field("Date", "date", fmt=lambda d: f"{d:%d %b %Y}"),
    Field("Meeting", "kind_label"),
    Field("Time", "start_time"),
    Field("Documents", "documents", numeric=True),
    Field("Venue", "venue"),
]


class MeetingDialog(FormDialog):
    """Plan a meeting: kind, date, start time and venue."""

    def __init__(self, ctx: AppContext, ward_code: str, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "Plan a meeting", parent)
        self.ward_code = ward_code
        self.kind = self.add_field("&Meeting", choice_box([(label, kind) for kind, label in KIND_LABELS.items()]))
        self.day = self.add_field("&Date", date_edit(dt.date.today() + dt.timedelta(days=14)))
        self.time = self.add_field("&Start time", QLineEdit("18:30"), "24-hour clock, e.g. 18:30")
        self.venue = self.add_field("&Venue", QLineEdit())
        self.venue.setPlaceholderText("e.g. St Mark's church hall")
        self.notes = self.add_field("&Notes", QLineEdit())

    @classmethod
    def ask(cls, parent: QWidget, ctx: AppContext, ward_code: str) -> bool:
        return cls(ctx, ward_code, parent).exec() == QDialog.DialogCode.Accepted

    def problems(self) -> list[str]:
        out = [] if self.kind.currentData() else ["Choose the kind of meeting."]
        problem = start_time_problem(self.time.text())
        return out + ([problem] if problem else [])

    def save_call(self) -> tuple[Any, tuple[Any, ...], dict[str, Any]]:
        return (
            add_meeting,
            (self.ward_code, self.kind.currentData(), date_of(self.day)),
            {"start_time": self.time.text(), "venue": self.venue.text(), "notes": self.notes.text()},
        )


class ReportsPage(Page):
    """The ward's meetings on the left, the chosen meeting's document built and previewed on the right.

    Signals:
        document_built(object): the :class:`DocumentInfo` of a document just built and recorded.
        printed(int): pages sent to the printer.
    """

    title = "Meetings & Reports"
    tables = frozenset({"meeting", "meeting_document"})
    document_built = Signal(object)
    printed = Signal(int)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.document: DocumentInfo | None = None  # the document built in this session, if any
        self.shown: Path | None = None  # the PDF in the preview (built now, or recorded earlier)
        self.heading = heading(self.title)
        self.plan_button = QPushButton("Plan a &meeting…")
        self.plan_button.setToolTip("Add a TCG or community meeting (Ctrl+Shift+M)")
        self.plan_button.clicked.connect(self.plan_meeting)
        QShortcut(QKeySequence("Ctrl+Shift+M"), self, self.plan_meeting)
        head = FlowLayout()  # wraps rather than push a button past the right edge (large text, 150%)
        head.addWidget(self.heading)
        head.addStretch(1)
        head.addWidget(self.plan_button)

        self.meetings = TablePanel("Meetings")
        self.meeting_model = RecordsModel(MEETING_FIELDS, parent=self)
        self.meetings.set_model(self.meeting_model, {0: 12, 1: 19, 2: 5, 3: 6})
        self.meetings.current_changed.connect(self._meeting_chosen)
        self.meetings.activated.connect(lambda _key: self.build())  # Enter on a meeting builds its document

        self.kind_box = QComboBox()
        self.kind_box.setAccessibleName("Document")
        self.kind_box.currentIndexChanged.connect(self._kind_chosen)
        self.large_print = QCheckBox("&Large print")
        self.recipient = QLineEdit()
        self.recipient.setPlaceholderText("optional, e.g. Insp 1203 Hale, CSP meeting")
        self.recipient.setToolTip("Who the document is for: recorded with it in the s.62 log")
        self.recipient.setAccessibleName("Recipient")
        self.language = choice_box([(label, code) for code, label in LANGUAGE_LABELS.items()])
        self.language.setAccessibleName("Language")
        self.build_button = QPushButton("&Build")
        self.build_button.setToolTip("Build the document for the chosen meeting (Ctrl+B)")
        self.build_button.clicked.connect(self.build)
        QShortcut(QKeySequence("Ctrl+B"), self, self.build)
        build_box = QGroupBox("Build a document for the chosen meeting")
        form = QFormLayout(build_box)
        kind_label = QLabel("&Document")
        kind_label.setBuddy(self.kind_box)
        language_label = QLabel("L&anguage")
        language_label.setBuddy(self.language)
        form.addRow(kind_label, self.kind_box)
        form.addRow(language_label, self.language)
        form.addRow("", self.large_print)
        form.addRow("&Recipient", self.recipient)
        form.addRow("", self.build_button)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.meetings, 1)
        left_layout.addWidget(build_box)

        self.document_label = QLabel("Choose a meeting and build its document to preview it here.")
        self.document_label.setWordWrap(True)
        self.preview = PdfPreview()
        self.save_button = QPushButton("&Save as…")
        self.open_button = QPushButton("&Open in viewer")
        self.print_button = QPushButton("&Print…")
        self.save_button.clicked.connect(self.save_as)
        self.open_button.clicked.connect(self.open_in_viewer)
        self.print_button.clicked.connect(self.print_document)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Print), self, self.print_document)
        actions = FlowLayout()  # the buttons wrap under the label rather than widen the page
        actions.addWidget(self.document_label)
        actions.addStretch(1)
        for button in (self.save_button, self.open_button, self.print_button):
            actions.addWidget(button)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(6, 0, 0, 0)
        right_layout.addLayout(actions)
        right_layout.addWidget(self.preview, 1)

        split = QSplitter()
        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        split.setSizes([600, 620])
        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addWidget(split, 1)
        self._show_pdf(None)

    # --- meetings -----------------------------------------------------------------------------------

    def refresh(self) -> None:
        if self.ward is None:
            return
        self.heading.setText(f"{self.title} — {self.ward.name}")
        self.run(list_meetings, self.ward.code, title="Loading meetings", on_done=self._meetings_loaded)

    def _meetings_loaded(self, rows: list[MeetingRow]) -> None:
        current = self.meetings.current_key
        self.meeting_model.set_records(rows)
        keys = [self.meeting_model.key_at(r) for r in range(self.meeting_model.rowCount())]
        if current in keys:
            self.meetings.view.selectRow(keys.index(current))
        elif keys:
            self.meetings.view.selectRow(self._next_meeting_row(rows))

    @staticmethod
    def _next_meeting_row(rows: list[MeetingRow]) -> int:
        """The soonest meeting from today (rows are newest first), else the latest."""
        today = dt.date.today()
        upcoming = [i for i, r in enumerate(rows) if r.date >= today]
        return upcoming[-1] if upcoming else 0

    @property
    def meeting(self) -> MeetingRow | None:
        key = self.meetings.current_key
        rows = [self.meeting_model.record(r) for r in range(self.meeting_model.rowCount())]
        return next((r for r in rows if r.id == key), None)

    def _meeting_chosen(self, _key: Any) -> None:
        meeting = self.meeting
        self.kind_box.clear()
        for kind in meeting.document_kinds if meeting else ():
            self.kind_box.addItem(DOCUMENT_LABELS[kind], kind)
        self.build_button.setEnabled(meeting is not None)
        self._kind_chosen()
        self._show_pdf(None)
        if meeting is not None and meeting.documents:
            self.run(meeting_documents, meeting.id, title="Documents of the meeting", on_done=self._show_recorded)
        else:
            self.document_label.setText("No document recorded for this meeting yet: build one to preview it here.")

    def _kind_chosen(self, _index: int = 0) -> None:
        briefing = self.kind_box.currentData() == "briefing"
        self.language.setEnabled(briefing)
        if briefing and self.ward is not None:
            wanted = self.ctx.settings.briefing_language(self.ward.language)
            self.language.setCurrentIndex(max(0, self.language.findData(wanted)))

    def plan_meeting(self) -> None:
        if self.ward is not None:
            MeetingDialog.ask(self, self.ctx, self.ward.code)

    # --- building -------------------------------------------------------------------------------------

    def build(self) -> None:
        meeting, kind = self.meeting, self.kind_box.currentData()
        if self.ward is None or meeting is None or not kind:
            return
        lang = self.language.currentData() if kind == "briefing" else "en"
        large = self.large_print.isChecked()
        out = document_path(self.ward.code, meeting.date, kind, large_print=large, lang=lang)
        database, ward_code, settings = self.ctx.database, self.ward.code, self.ctx.settings
        recipient = self.recipient.text().strip() or None

        def work(progress: Any, check: Any) -> DocumentInfo:
            return build_document(
                database,
                kind,
                ward_code,
                meeting.date,
                out,
                large_print=large,
                lang=lang,
                progress=progress,
                check=check,
                settings=settings,
                overwrite=True,  # the page's own file for this meeting and kind: a rebuild replaces it
                recipient=recipient,
            )

        label = DOCUMENT_LABELS[kind]
        state = self.ctx.runner.submit(work, title=f"Building the {label.lower()}")
        self._pending.add(state)
        state.finished.connect(lambda: self._pending.discard(state))
        self.build_button.setEnabled(False)
        state.finished.connect(lambda: self.build_button.setEnabled(True))
        ProgressDialog.watch(state, self)
        state.done.connect(self._built)
        state.failed.connect(self.show_error)

    def _built(self, info: DocumentInfo) -> None:
        self.document = info
        extras = (" · large print" if info.large_print else "") + (
            f" · {LANGUAGE_LABELS[info.lang]}" if info.kind == "briefing" else ""
        )
        self.document_label.setText(
            f"<b>{DOCUMENT_LABELS[info.kind]}</b> for {info.meeting_date:%d %b %Y} — {info.pages} page(s), "
            f"{info.marking}{extras}. Recorded against the meeting."
        )
        self._show_pdf(info.path)
        self.document_built.emit(info)

    def _show_recorded(self, documents: list[MeetingDocumentRow]) -> None:
        """Preview the meeting's newest recorded document, when its file is still where it was written."""
        if not documents or self.meeting is None or documents[0].meeting_id != self.meeting.id:
            return
        latest = documents[0]
        path = Path(latest.path)
        if self.document is not None and self.document.id == latest.id:
            self._show_pdf(self.document.path)  # just built: keep the fuller description
            return
        when = f"{DOCUMENT_LABELS.get(latest.kind, latest.kind)}</b> built {latest.generated_at:%d %b %Y %H:%M}"
        if not path.is_file():
            self.document_label.setText(f"<b>{when} by {latest.generated_by}; its file {path} is no longer there.")
            return
        self.document_label.setText(f"<b>{when} by {latest.generated_by} — {latest.pages} page(s), {latest.marking}.")
        self._show_pdf(path)

    def _show_pdf(self, path: Path | None) -> None:
        self.shown = path
        for button in (self.save_button, self.open_button, self.print_button):
            button.setEnabled(path is not None)
        self.preview.load(path)

    # --- save, open, print ------------------------------------------------------------------------------

    def save_as(self) -> None:
        if self.shown is None:
            return
        path, _ = QFileDialog.getSaveFileName(self, "Save the PDF as", self.shown.name, "PDF files (*.pdf)")
        if path:
            self.save_copy(Path(path))

    def save_copy(self, dest: Path) -> Path:
        """Copy the built PDF to ``dest`` (adding .pdf when the name has no suffix)."""
        assert self.shown is not None
        dest = dest if dest.suffix else dest.with_suffix(".pdf")
        database = self.ctx.database
        try:  # the file dialog asked before replacing a file; never the database, never half a copy
            guard_output(dest, force=True, protect=[database.file] if database and database.file else [])
            with write_aside(dest) as aside:
                shutil.copyfile(self.shown, aside)
            self._log_copy(dest)
        except (OSError, UserError) as exc:
            show_error(self, "Save as", exc)
        return dest

    def _log_copy(self, dest: Path) -> None:
        """A copy saved outside rpdesk's folder is a disclosure (DPA 2018 s.62), logged on the database thread."""
        assert self.shown is not None
        database, ward = self.ctx.database, self.ward.code if self.ward else None
        detail, recipient = {"file": dest.name, "copy_of": self.shown.name}, self.recipient.text()
        state = self.ctx.runner.submit(
            lambda _p, _c: disclosed(database, ward, detail, recipient=recipient), title="Logging the copy"
        )
        state.failed.connect(self.show_error)

    def open_in_viewer(self) -> bool:
        if self.shown is None:
            return False
        return QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.shown)))

    def choose_printer(self, printer: QPrinter) -> bool:
        """The system print dialog; True when the user chose to print."""
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle("Print the document")
        if self.preview.pages:
            dialog.setMinMax(1, self.preview.pages)
            dialog.setOption(QPrintDialog.PrintDialogOption.PrintPageRange, True)
        return dialog.exec() == QDialog.DialogCode.Accepted

    def print_document(self) -> None:
        if self.shown is None:
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self.shown.name)
        if not self.choose_printer(printer):
            return
        path = self.shown
        state = self.ctx.runner.submit(lambda p, c: print_pdf(path, printer, progress=p, check=c), title="Printing")
        self._pending.add(state)
        state.finished.connect(lambda: self._pending.discard(state))
        ProgressDialog.watch(state, self)
        state.done.connect(self.printed.emit)
        state.failed.connect(self.show_error)
        self._printer = printer  # kept alive until the task has painted every page

    def export_model(self) -> RecordsModel:
        return self.meeting_model
