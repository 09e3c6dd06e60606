"""The ``rpdesk`` desktop entry point: parse options, paint the window, then open the database.

Start-up order keeps the first paint fast: only PySide6 and the window's own modules load before
the window is shown; SQLAlchemy, the models and the database open on the database thread, and
pyqtgraph loads with the Dashboard page. pandas, reportlab, openpyxl and Alembic load only when a
feature needs them.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rpdesk import __version__

if TYPE_CHECKING:
    from rpdesk.settings import Settings

EXIT_OK = 0
EXIT_REFUSED = 3
SNAPSHOT_SIZE = (1350, 688)  # a 1366×768 laptop less its taskbar and the window frame
SNAPSHOT_TIMEOUT_S = 60.0


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="rpdesk", description="Reassurance policing desk")
    parser.add_argument("--version", action="version", version=f"rpdesk {__version__}")
    parser.add_argument(
        "--db",
        metavar="PATH|URL",
        help="the database: a file path or a URL (default: RPDESK_DB, else the database_url setting, "
        "else the per-user file)",
    )
    parser.add_argument("--demo", action="store_true", help="open a demo database (built on first use)")
    parser.add_argument("--snapshot", metavar="DIR", help="save a PNG of every page into DIR, then exit")
    return parser.parse_args(argv)


def demo_path() -> Path:
    from rpdesk.paths import data_dir

    return data_dir() / "demo.sqlite"


def build_demo_file(path: Path, progress: Any, check: Any) -> Path:
    """Build the demo database into ``path`` (via a temporary name, so a cancelled build leaves nothing)."""
    from rpdesk.db.database import open_database
    from rpdesk.demo import build_demo

    partial = path.with_name(path.name + ".partial")
    for leftover in partial.parent.glob(partial.name + "*"):
        leftover.unlink()
    partial.parent.mkdir(parents=True, exist_ok=True)
    database = open_database(f"sqlite:///{partial}", encrypt=False)  # fictional wards: nothing to protect
    try:

        def report(fraction: float, message: str) -> None:
            check()
            progress(fraction, message)

        build_demo(database, progress=report)
        with database.engine.connect() as con:
            con.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        database.dispose()
    partial.replace(path)
    return path


def slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")


def _wait_idle(app: Any, window: Any, timeout: float = SNAPSHOT_TIMEOUT_S) -> None:
    from PySide6.QtCore import QEventLoop, QThread

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        if not window.busy:
            app.processEvents()
            if not window.busy:
                return
        QThread.msleep(10)


def take_snapshots(app: Any, window: Any, folder: Path) -> list[Path]:
    """Show each page in turn on the current ward and save the window as a PNG; return the files."""
    from rpdesk.gui.pages import PAGES

    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for index, entry in enumerate(PAGES):
        window.show_page(index)
        _wait_idle(app, window)
        target = folder / f"{index + 1:02d}-{slug(entry.title)}.png"
        if not window.grab().save(str(target)):
            raise OSError(f"could not write {target}")
        written.append(target)
    return written


def database_choice(args: argparse.Namespace, settings: Settings) -> Any:
    """The same rule as rpdesk-cli (:func:`rpdesk.db.location.resolve_database`); ``--demo`` names the demo file."""
    from rpdesk.db.location import resolve_database

    option = args.db or (str(demo_path()) if args.demo else None)
    return resolve_database(option, settings=settings)


def no_display(environ: Any = os.environ, platform: str = sys.platform) -> str | None:
    """One line saying there is no display and how to run without one, or None when a window can open.

    On Linux and the BSDs Qt needs an X11 or Wayland display; without one it aborts with a message
    about a missing xcb library, which sends people looking in the wrong place.
    """
    if not platform.startswith(("linux", "freebsd", "openbsd")) or environ.get("QT_QPA_PLATFORM"):
        return None
    if environ.get("DISPLAY") or environ.get("WAYLAND_DISPLAY"):
        return None
    return (
        "rpdesk: no display found (DISPLAY and WAYLAND_DISPLAY are not set); to run headless, "
        "'rpdesk --snapshot DIR' saves every page as a PNG, QT_QPA_PLATFORM=offscreen runs on Qt's offscreen "
        "platform, and rpdesk-cli does the rest."
    )


def _is_missing(choice: Any) -> bool:
    """An SQLite file that does not exist yet, or is empty (a server database is checked when it opens)."""
    path = choice.path
    return path is not None and (not path.exists() or path.stat().st_size == 0)


def _first_run(window: Any, path: Path) -> str:
    """Ask what to open when the per-user database does not exist yet: 'create', 'demo', 'open' or 'quit'."""
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(
        QMessageBox.Icon.Question,
        "Welcome to rpdesk",
        f"There is no rpdesk database yet. Create a new, empty one at\n{path}\nor try rpdesk on demo wards first?",
        parent=window,
    )
    buttons = {
        box.addButton("Create the database", QMessageBox.ButtonRole.AcceptRole): "create",
        box.addButton("Open demo wards", QMessageBox.ButtonRole.ActionRole): "demo",
        box.addButton("Open a file…", QMessageBox.ButtonRole.ActionRole): "open",
        box.addButton("Quit", QMessageBox.ButtonRole.RejectRole): "quit",
    }
    box.exec()
    return next((answer for button, answer in buttons.items() if box.clickedButton() is button), "quit")


def main(argv: Sequence[str] | None = None) -> None:
    import multiprocessing

    multiprocessing.freeze_support()  # long imports run in a child process (a bundled app re-enters here)
    from rpdesk.outputs import private_by_default

    private_by_default()
    sys.exit(run(argv))


def run(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv if argv is not None else sys.argv[1:])
    headless = no_display()
    if headless and args.snapshot:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"  # snapshots need no screen
    elif headless:
        print(headless, file=sys.stderr)
        return EXIT_REFUSED
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication

    from rpdesk.errors import UserError
    from rpdesk.settings import Settings

    app = QApplication.instance()
    if app is None:  # the rounding policy must be set before the application exists
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
        app = QApplication(sys.argv[:1])
    app.setApplicationName("rpdesk")
    app.setOrganizationName("rpdesk")
    app.setApplicationVersion(__version__)
    try:
        settings = Settings.load()
    except UserError as exc:
        return _refused(args, None, exc)

    from rpdesk.gui.main_window import MainWindow

    window = MainWindow(settings=settings)
    window.ask_keys = not args.snapshot  # snapshots run unattended: a key comes from RPDESK_DB_KEY or the keyring
    if args.snapshot:
        window.resize(*SNAPSHOT_SIZE)
    window.show()
    app.processEvents()  # the first paint: navigation and the remembered ward name
    outcome: dict[str, int] = {}

    def opened() -> None:
        if args.snapshot:
            try:
                for path in take_snapshots(app, window, Path(args.snapshot)):
                    print(path)
                outcome["rc"] = EXIT_OK
            except OSError as exc:
                print(f"rpdesk: {exc}", file=sys.stderr)
                outcome["rc"] = EXIT_REFUSED
            window.close()
            app.quit()

    def failed(exc: object) -> None:
        outcome["rc"] = _refused(args, window, exc)
        if args.snapshot:
            window.close()
            app.quit()

    window.database_opened.connect(opened)
    window.database_failed.connect(failed)
    try:
        choice = database_choice(args, settings)
    except UserError as exc:
        return _refused(args, window, exc)
    if args.demo and not args.db and not demo_path().exists():
        _build_demo_then_open(window, demo_path(), choice.url).failed.connect(failed)
    elif _is_missing(choice) and not args.snapshot and choice.source == "default":
        if not _start_first_run(window, choice, failed):
            return EXIT_OK
    elif _is_missing(choice):
        from rpdesk.db.database import missing_message
        from rpdesk.errors import DatabaseMissing

        return _refused(args, window, DatabaseMissing(missing_message(choice.url, choice.path)))
    else:
        window.open_database(choice.url)
    rc = app.exec()
    return outcome.get("rc", rc) if args.snapshot else rc


def _start_first_run(window: Any, choice: Any, failed: Any) -> bool:
    """The first run's choice; only here (and in ``--demo``) does the desktop app create a database."""
    answer = _first_run(window, choice.path)
    if answer == "create":
        window.open_database(choice.url, create=True)
    elif answer == "demo":
        _build_demo_then_open(window, demo_path(), f"sqlite:///{demo_path()}").failed.connect(failed)
    elif answer == "open":
        window.choose_database()
    return answer != "quit"


def _build_demo_then_open(window: Any, path: Path, url: str | None) -> Any:
    """Build the demo database with a progress dialog (Cancel leaves no file), then open it."""
    from rpdesk.gui.dialogs.progress import ProgressDialog

    state = window.runner.submit(lambda p, c: build_demo_file(path, p, c), title="Building the demo wards")
    ProgressDialog.watch(state, window, delay_ms=0)
    state.done.connect(lambda _path: window.open_database(url))
    return state


def _refused(args: argparse.Namespace, window: Any, exc: object) -> int:
    """Say why the database (or settings) cannot be used: stderr in snapshot mode, else a message box."""
    from PySide6.QtWidgets import QMessageBox

    from rpdesk.gui.messages import error_text

    text = error_text(exc)
    if args.snapshot:
        print(f"rpdesk: {text}", file=sys.stderr)
    else:
        QMessageBox.critical(window, "rpdesk cannot open the database", text)
    return EXIT_REFUSED
