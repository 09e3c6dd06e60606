"""The ``rpdesk`` desktop entry point: parse options, open the database, show the main window."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from rpdesk import __version__


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="rpdesk", description="Reassurance policing desk")
    parser.add_argument("--version", action="version", version=f"rpdesk {__version__}")
    parser.add_argument("--db", metavar="URL", help="database URL (default: RPDESK_DB, else the per-user file)")
    parser.add_argument("--demo", action="store_true", help="open a demo database (built on first use)")
    parser.add_argument("--snapshot", metavar="DIR", help="save a PNG of every page into DIR, then exit")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv if argv is not None else sys.argv[1:])
    from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    window = QMainWindow()
    window.setWindowTitle("rpdesk")
    window.setCentralWidget(QLabel(f"rpdesk {__version__}"))
    window.show()
    if args.snapshot:
        return
    sys.exit(app.exec())
