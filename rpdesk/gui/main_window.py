"""The main window: ward switcher, page navigation, menus, status bar; pages load after the first paint."""

from __future__ import annotations

import importlib
import importlib.util
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QPoint, QRect, QSettings, QSize, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QScrollArea,
    QStackedWidget,
    QToolBar,
    QWidget,
)

from rpdesk import __version__
from rpdesk.errors import KeyMissing, KeyRefused, UserError
from rpdesk.paths import config_dir, data_dir
from rpdesk.settings import Settings, user_settings_path

from rpdesk.gui.context import AppContext, ChangeBus
from rpdesk.gui.messages import show_error
from rpdesk.gui.pages import PAGES, PageEntry
from rpdesk.gui.screen import available_geometry, scrolling
from rpdesk.gui.tasks import TaskRunner, TaskState

if TYPE_CHECKING:
    from rpdesk.gui.pages.base import Page

ORG = "rpdesk"


def _open(url: str, first_page: PageEntry, create: bool, remember: bool) -> Any:
    """Open the database and load the first page's module, both off the GUI thread (pyqtgraph takes ~1 s).

    ``remember``: keep the passphrase the user typed in the keyring, once it has opened the file.
    """
    from rpdesk.db.database import open_database

    database = open_database(url, create=create)
    if remember:
        from rpdesk.db.encryption import remember_url_key

        remember_url_key(url)
    importlib.import_module(first_page.module)
    return database


@dataclass(frozen=True)
class TypedKey:
    """A database URL carrying the passphrase the user typed, and whether to keep it in the keyring."""

    url: str
    remember: bool


def _load_modules(entries: tuple[PageEntry, ...]) -> int:
    """Import the other pages' modules off the GUI thread, so that switching page never stalls it."""
    for entry in entries:
        importlib.import_module(entry.module)
    return len(entries)


def _wards(session: Any) -> list[Any]:
    from rpdesk.services.wards import list_wards

    return list_wards(session)


#: The size the window opens at the first time where the screen has room for it.
PREFERRED_SIZE = QSize(1280, 820)
#: Room for the window frame (title bar and borders) that the content size does not include.
FRAME_ALLOWANCE = QSize(16, 40)


def fit_window(available: QRect, preferred: QSize) -> QRect:
    """The content rectangle a window opens at: ``preferred`` shrunk to fit ``available`` with its frame, centred.

    A force laptop is often 1366×768 with a taskbar, so the window must never open taller than
    the screen's available area (``QScreen.availableGeometry``), title bar included.
    """
    if available.isEmpty():
        return QRect(QPoint(0, 0), preferred)
    width = min(preferred.width(), available.width() - FRAME_ALLOWANCE.width())
    height = min(preferred.height(), available.height() - FRAME_ALLOWANCE.height())
    left = available.left() + (available.width() - width) // 2
    top = available.top() + max(FRAME_ALLOWANCE.height() - 8, (available.height() - height) // 2)
    return QRect(left, top, width, height)


def remembered_geometry(saved: object, available: QRect) -> QRect:
    """The window's last size and place where it still fits this screen; else that size shrunk to fit, centred.

    A window remembered on a docked monitor must not open past a laptop's screen or under its taskbar.
    """
    if not isinstance(saved, QRect) or saved.isEmpty():
        return fit_window(available, PREFERRED_SIZE)
    side = FRAME_ALLOWANCE.width() // 2
    frame = saved.adjusted(-side, -(FRAME_ALLOWANCE.height() - 8), side, 8)
    if available.isEmpty() or available.contains(frame):
        return saved
    return fit_window(available, saved.size())


class MainWindow(QMainWindow):
    """The one window: navigation on the left, the current page on the right.

    Signals:
        database_opened(): a database is open and its wards are listed.
        database_failed(object): opening the database was refused (the exception).
    """

    database_opened = Signal()
    database_failed = Signal(object)

    def __init__(self, runner: TaskRunner | None = None, settings: Settings | None = None) -> None:
        super().__init__()
        self.runner = runner or TaskRunner(parent=self)
        self.settings = settings or Settings.load()
        self.bus = ChangeBus(self)
        self.bus.watch(self.runner)
        self.ctx: AppContext | None = None
        #: Whether an encrypted database's passphrase may be asked for (not in snapshot mode: nobody is there).
        self.ask_keys = True
        self.pages: dict[int, Page] = {}
        #: Retries the warm-up while pages are still loading; stopped on close, so it never
        #: submits work to a runner that has shut down.
        self._warm_up = QTimer(self)
        self._warm_up.setSingleShot(True)
        self._warm_up.setInterval(100)
        self._warm_up.timeout.connect(self._warm_up_when_idle)
        self.wards: list[Any] = []
        self.setWindowTitle("rpdesk — reassurance policing desk")
        self.setAccessibleName("rpdesk main window")
        self._build_navigation()
        self._build_menus()
        self._db_label = QLabel("No database open")
        self._db_label.setAccessibleName("Database in use")
        self.statusBar().addPermanentWidget(self._db_label)
        self._restore_state()

    # --- construction --------------------------------------------------------------------------

    def _build_navigation(self) -> None:
        bar = QToolBar("Ward", self)
        bar.setObjectName("wardBar")
        bar.setMovable(False)
        label = QLabel("&Ward: ")
        self.ward_box = QComboBox()
        self.ward_box.setAccessibleName("Ward")
        self.ward_box.setToolTip("The ward every page shows (Alt+W)")
        self.ward_box.setMinimumContentsLength(28)
        self.ward_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        label.setBuddy(self.ward_box)
        bar.addWidget(label)
        bar.addWidget(self.ward_box)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, bar)
        self.ward_box.currentIndexChanged.connect(self._on_ward_chosen)

        self.nav = QListWidget()
        self.nav.setAccessibleName("Pages")
        self.nav.setObjectName("navigation")
        self.stack = QStackedWidget()
        for index, entry in enumerate(PAGES):
            item = QListWidgetItem(entry.title)
            item.setToolTip(f"{entry.hint} (Ctrl+{index + 1})" if index < 9 else entry.hint)
            self.nav.addItem(item)
            self.stack.addWidget(scrolling(self._placeholder(entry)))
        self.nav.setStyleSheet("QListWidget#navigation::item { padding: 9px 10px; }")
        self.nav.setFixedWidth(self.nav.sizeHintForColumn(0) + 48)
        self.nav.currentRowChanged.connect(self.show_page)
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(6, 6, 6, 0)
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.setTabOrder(self.ward_box, self.nav)
        self.setTabOrder(self.nav, self.stack)

    @staticmethod
    def _placeholder(entry: PageEntry) -> QWidget:
        label = QLabel(f"Loading {entry.title}…")
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        return label

    def _action(self, menu: Any, text: str, slot: Any, shortcut: Any = None, tip: str = "") -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setStatusTip(tip)
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def _build_menus(self) -> None:
        file = self.menuBar().addMenu("&File")
        self._action(
            file, "&New database…", self.new_database, QKeySequence.StandardKey.New, "Create an empty database"
        )
        self._action(file, "&Open database…", self.choose_database, QKeySequence.StandardKey.Open)
        self._action(file, "&Back up database…", self.backup_database, "Ctrl+Shift+B", "A consistent copy")
        file.addSeparator()
        self._action(file, "&Import…", self.import_file, "Ctrl+I", "Surveys, EVA, police.uk crimes or a duty roster")
        self._action(file, "&Export table to CSV…", self.export_table, "Ctrl+E", "The table on the current page")
        file.addSeparator()
        # Ctrl+, itself: QKeySequence.Preferences is empty off macOS (on macOS Qt reads Ctrl as Cmd).
        self._action(file, "&Settings…", self.edit_settings, "Ctrl+,")
        file.addSeparator()
        self._action(file, "&Quit", self.close, QKeySequence.StandardKey.Quit)

        go = self.menuBar().addMenu("&Go")
        for index, entry in enumerate(PAGES):
            shortcut = f"Ctrl+{index + 1}" if index < 9 else None
            self._action(go, entry.title, lambda _=False, i=index: self.nav.setCurrentRow(i), shortcut)
        go.addSeparator()
        self._action(go, "Choose &ward", self._focus_ward, "Ctrl+Shift+W")
        self._action(go, "Every ward's si&gnals…", self.show_force_signals, tip="Each ward's current round ranked")
        self._action(go, "&Refresh", self.refresh_page, QKeySequence.StandardKey.Refresh)

        helpm = self.menuBar().addMenu("&Help")
        self._action(helpm, "&Where the data lives", self.show_data_folders, "Ctrl+Shift+D")
        self._action(helpm, "Audit &log (supervisors)…", self.show_audit_log, "Ctrl+Shift+L", "The s.62 log")
        self._action(helpm, "&About rpdesk", self.show_about, QKeySequence.StandardKey.HelpContents)

    def _focus_ward(self) -> None:
        self.ward_box.setFocus()
        self.ward_box.showPopup()

    # --- state kept between runs ---------------------------------------------------------------

    def _qsettings(self) -> QSettings:
        return QSettings(ORG, "rpdesk")

    def _restore_state(self) -> None:
        store = self._qsettings()
        self.setGeometry(remembered_geometry(store.value("window/rect"), self._available()))
        if str(store.value("window/maximized", "false")).lower() == "true":
            self.setWindowState(Qt.WindowState.WindowMaximized)
        last = store.value("ward/last_name")
        if last:  # painted before the database is open, so the first frame already names the ward
            self.ward_box.blockSignals(True)
            self.ward_box.addItem(str(last))
            self.ward_box.blockSignals(False)
        self.nav.blockSignals(True)
        self.nav.setCurrentRow(int(str(store.value("page/last", 0) or 0)) % len(PAGES))
        self.stack.setCurrentIndex(self.nav.currentRow())
        self.nav.blockSignals(False)

    def _available(self) -> QRect:
        """The screen area a window may use: the whole screen less the taskbar (and docks, panels)."""
        return available_geometry(self)

    def closeEvent(self, event: Any) -> None:
        store = self._qsettings()
        store.setValue("window/rect", self.normalGeometry() if self.isMaximized() else self.geometry())
        store.setValue("window/maximized", self.isMaximized())
        store.setValue("page/last", self.nav.currentRow())
        self._warm_up.stop()
        self.runner.shutdown()
        if self.ctx is not None:
            self.ctx.database.dispose()
        super().closeEvent(event)

    # --- database ------------------------------------------------------------------------------

    def open_database(self, url: str | None, *, create: bool = False) -> TaskState | None:
        """Open ``url`` on the database thread; the window stays painted and responsive meanwhile.

        ``create`` only for a database the user chose to make (first run, File → New database):
        a path that does not exist is otherwise refused, never created by mistake. An encrypted
        database whose key neither the environment nor the keyring holds is opened with the
        passphrase the user types (asked again after a wrong one); None when they cancel.
        """
        self._db_label.setText(f"Opening {url or 'the default database'}…")
        typed = self._passphrase(url, create) if url and self.ask_keys else None
        if typed is False:
            return None
        first = PAGES[max(0, self.nav.currentRow())]
        target = typed.url if typed else url or ""
        remember = bool(typed and typed.remember)
        state = self.runner.submit(lambda _p, _c: _open(target, first, create, remember), title="Opening the database")
        state.done.connect(self._on_opened)
        retry = (lambda: self.open_database(url, create=create)) if typed else None
        state.failed.connect(lambda exc: self._on_open_failed(exc, retry))
        return state

    def _passphrase(self, url: str, create: bool) -> Any:
        """The typed key's URL and "remember" choice; None when no key is wanted; False when the user cancelled."""
        from rpdesk.db.encryption import keyring_available, wanted_key_file, with_typed_key

        from rpdesk.gui.dialogs.passphrase import PassphraseDialog

        try:
            path = wanted_key_file(url, create=create)
        except UserError as exc:
            self._on_open_failed(exc)
            return False
        if path is None:
            return None
        answer = PassphraseDialog.ask(self, path, new=not path.exists(), keyring=keyring_available())
        if answer is None:
            self._on_open_failed(KeyMissing(f"{path} was not opened: no passphrase was given."))
            return False
        return TypedKey(with_typed_key(url, answer.key), answer.remember)

    def _on_open_failed(self, exc: object, retry: Any = None) -> None:
        if isinstance(exc, KeyRefused) and retry is not None:
            QMessageBox.warning(self, "Encrypted database", f"{exc}\n\nType the passphrase again.")
            retry()
            return
        self._db_label.setText("No database open")
        self.database_failed.emit(exc)

    def _on_opened(self, database: Any) -> None:
        if self.ctx is not None:
            self.ctx.database.dispose()
        for index in self.pages:
            self._frame(index).setWidget(self._placeholder(PAGES[index]))  # deletes the page
        self.pages.clear()
        self.runner.database = database
        self.ctx = AppContext(database, self.runner, self.settings, self.bus)
        self._db_label.setText(f"Database: {database.label}{' (encrypted)' if database.encrypted else ''}")
        self._db_label.setToolTip(database.label)
        self.reload_wards()

    def reload_wards(self) -> None:
        state = self.runner.run(_wards, title="Listing wards")
        state.done.connect(self._on_wards)
        state.failed.connect(lambda exc: show_error(self, "Wards", exc))

    def _on_wards(self, wards: list[Any]) -> None:
        self.wards = wards
        last_id = self._qsettings().value("ward/last_id")
        self.ward_box.blockSignals(True)
        self.ward_box.clear()
        for ward in wards:
            self.ward_box.addItem(f"{ward.name} ({ward.code})", ward.id)
        index = max(0, self.ward_box.findData(int(str(last_id)))) if last_id is not None else 0
        self.ward_box.setCurrentIndex(index if wards else -1)
        self.ward_box.blockSignals(False)
        self._remember_ward()
        if not wards:
            self.statusBar().showMessage("This database has no wards yet: import data or run 'rpdesk-cli demo'.")
        self.show_page(self.nav.currentRow())
        self._warm_up_when_idle()
        QTimer.singleShot(0, self.database_opened.emit)  # after this task's own finished signal

    def _warm_up_when_idle(self) -> None:
        """Once the first page has drawn, load the other pages' modules off the GUI thread."""
        if self.runner.busy or any(p.busy for p in self.pages.values()):
            self._warm_up.start()
            return
        rest = tuple(e for e in PAGES if e is not PAGES[max(0, self.nav.currentRow())])
        self.runner.submit(lambda _p, _c: _load_modules(rest), title="Loading pages", database=False)

    @property
    def ward(self) -> Any:
        index = self.ward_box.currentIndex()
        return self.wards[index] if 0 <= index < len(self.wards) else None

    def _remember_ward(self) -> None:
        ward = self.ward
        if ward is not None:
            store = self._qsettings()
            store.setValue("ward/last_id", ward.id)
            store.setValue("ward/last_name", f"{ward.name} ({ward.code})")

    def _on_ward_chosen(self, _index: int) -> None:
        self._remember_ward()
        for page in self.pages.values():
            page.set_ward(self.ward)

    # --- pages ---------------------------------------------------------------------------------

    def show_page(self, index: int) -> None:
        """Show page ``index`` of the registry, creating it on first use."""
        if index < 0:
            return
        if self.nav.currentRow() != index:
            self.nav.setCurrentRow(index)  # re-enters here
            return
        if self.ctx is not None and index not in self.pages:
            page = PAGES[index].load()(self.ctx)
            self._frame(index).setWidget(page)  # a page taller or wider than the window scrolls
            self.pages[index] = page
            page.set_ward(self.ward)
        self.stack.setCurrentIndex(index)

    def _frame(self, index: int) -> QScrollArea:
        """The scroll area that holds page ``index`` (or its placeholder) in the stack."""
        frame = self.stack.widget(index)
        assert isinstance(frame, QScrollArea)
        return frame

    @property
    def current_page(self) -> Page | None:
        return self.pages.get(self.nav.currentRow())

    def refresh_page(self) -> None:
        page = self.current_page
        if page is not None and page.ward is not None:
            page.refresh()

    @property
    def busy(self) -> bool:
        """Whether anything is still loading (used by snapshot mode)."""
        return self.runner.busy or any(p.busy for p in self.pages.values())

    # --- menu actions --------------------------------------------------------------------------

    def new_database(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "New database", str(data_dir()), "rpdesk databases (*.sqlite);;All files (*)"
        )
        if path:
            self.open_database(f"sqlite:///{Path(path).with_suffix('.sqlite')}", create=True)

    def choose_database(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Open database", str(data_dir()), "rpdesk databases (*.sqlite *.db);;All files (*)"
        )
        if path:
            self.open_database(f"sqlite:///{path}")

    def backup_database(self) -> None:
        if self.ctx is None:
            return
        from rpdesk.gui.dialogs.progress import ProgressDialog

        url = self.ctx.database.url

        def work(_p: Any, _c: Any) -> Path:
            from rpdesk.db.database import backup

            return backup(url)

        state = self.runner.submit(work, title="Backing up the database")
        ProgressDialog.watch(state, self)
        state.done.connect(lambda path: QMessageBox.information(self, "Backup", f"Backed up to:\n{path}"))
        state.failed.connect(lambda exc: show_error(self, "Backup", exc))

    def import_file(self) -> None:
        """Open the import wizard (``rpdesk.gui.dialogs.import_wizard.ImportWizard.ask``) when this build has it."""
        if self.ctx is None:
            return
        if importlib.util.find_spec("rpdesk.gui.dialogs.import_wizard") is None:
            QMessageBox.information(
                self,
                "Import",
                "The import wizard is not in this build yet. Use 'rpdesk-cli import KIND FILE' meanwhile.",
            )
            return
        import_wizard = importlib.import_module("rpdesk.gui.dialogs.import_wizard")
        import_wizard.ImportWizard.ask(self, self.ctx, self.ward)  # pages refresh from the import's change set

    def export_table(self) -> None:
        page = self.current_page
        model = getattr(page, "export_model", lambda: None)() if page else None
        if page is None or model is None or self.ctx is None:
            QMessageBox.information(self, "Export", "This page has no table to export.")
            return
        database = self.ctx.database
        marking = self.settings.marking_restricted
        suggested = f"{page.title} {marking}.csv"  # the name says what it is before anyone opens it
        path, _ = QFileDialog.getSaveFileName(self, "Export to CSV", suggested, "CSV files (*.csv)")
        if not path:
            return
        from rpdesk.services.audit import disclosed

        from rpdesk.gui.dialogs.progress import ProgressDialog

        ward = page.ward.code if page.ward else None

        def work(progress: Any, check: Any) -> int:
            n = int(model.export_csv(Path(path), progress, check, marking=marking))
            disclosed(database, ward, {"page": page.title, "file": Path(path).name, "marking": marking})
            return n

        state = self.runner.submit(work, title="Exporting")
        ProgressDialog.watch(state, self)
        state.done.connect(lambda n: self.statusBar().showMessage(f"Exported {n} rows to {path}", 8000))
        state.failed.connect(lambda exc: show_error(self, "Export", exc))

    def edit_settings(self) -> None:
        from rpdesk.gui.dialogs.settings import SettingsDialog

        if SettingsDialog.ask(self, self.settings):
            self.bus.settings_changed.emit()
            self.refresh_page()

    def show_force_signals(self) -> None:
        if self.ctx is None:
            return
        from rpdesk.gui.dialogs.force_signals import ForceSignalsDialog

        ForceSignalsDialog.ask(self, self.ctx)

    def show_audit_log(self) -> None:
        if self.ctx is None:
            return
        if not self.settings.is_supervisor:  # the log shows who read and changed what, with old values
            QMessageBox.information(
                self, "Audit log", "The audit log is for supervisors: their 'Your role in rpdesk' setting says so."
            )
            return
        from rpdesk.gui.dialogs.audit_log import AuditLogDialog

        AuditLogDialog.ask(self, self.ctx, self.ward.code if self.ward else None)

    def show_data_folders(self) -> None:
        database = self.ctx.database.label if self.ctx else "none open"
        if self.ctx and self.ctx.database.encrypted:
            database += " (encrypted)"
        text = (
            f"<p><b>Database in use:</b> {database}</p>"
            f"<p><b>Data folder</b> (default database and its backups):<br>{data_dir()}</p>"
            f"<p><b>Settings</b>:<br>{user_settings_path()}</p>"
            f"<p><b>Configuration folder</b>:<br>{config_dir()}</p>"
        )
        box = QMessageBox(QMessageBox.Icon.Information, "Where the data lives", text, parent=self)
        folder = box.addButton("Open data folder", QMessageBox.ButtonRole.ActionRole)
        box.addButton(QMessageBox.StandardButton.Close)
        box.exec()
        if box.clickedButton() is folder:
            data_dir().mkdir(parents=True, exist_ok=True)
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(data_dir())))

    def show_about(self) -> None:
        QMessageBox.about(
            self,
            "About rpdesk",
            f"<h3>rpdesk {__version__}</h3><p>Ward-level reassurance policing: resident signals, priorities, "
            "partner actions, ring-fence abstractions and tasking packs.</p>",
        )
