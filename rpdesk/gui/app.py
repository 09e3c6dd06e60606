"""The ``rpdesk`` desktop entry point: parse options, paint the window, then open the database.

Start-up order keeps the first paint fast: only PySide6 and the window's own modules load before
the window is shown; SQLAlchemy, the models and the database open on the database thread, and
pyqtgraph loads with the Dashboard page. pandas, reportlab, openpyxl and Alembic load only when a
feature needs them.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rpdesk import __version__

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
    database = open_database(f"sqlite:///{partial}")
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


def _database_url(args: argparse.Namespace, settings: Any) -> str:
    """The same rule as rpdesk-cli (:func:`rpdesk.db.location.resolve_database`); ``--demo`` names the demo file."""
    from rpdesk.db.location import resolve_database

    option = args.db or (str(demo_path()) if args.demo else None)
    return resolve_database(option, settings=settings).url


def main(argv: Sequence[str] | None = None) -> None:
    import multiprocessing

    multiprocessing.freeze_support()  # long imports run in a child process (a bundled app re-enters here)
    from rpdesk.outputs import private_by_default

    private_by_default()
    sys.exit(run(argv))


def run(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv if argv is not None else sys.argv[1:])
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
    url = _database_url(args, settings)
    if args.demo and not args.db and not demo_path().exists():
        _build_demo_then_open(window, demo_path(), url).failed.connect(failed)
    else:
        window.open_database(url)
    rc = app.exec()
    return outcome.get("rc", rc) if args.snapshot else rc


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
