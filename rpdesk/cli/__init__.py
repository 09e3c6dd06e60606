"""rpdesk-cli: the command line over the same services the GUI uses. Never imports Qt.

Each command group lives in its own module listed in ``COMMAND_MODULES``. A module may define
``register(subparsers)`` for its own top-level commands and ``register_import(subparsers)`` for the
kinds of file it adds to ``rpdesk-cli import KIND FILE``. Heavy libraries (pandas, reportlab,
Alembic) are imported inside the handlers, so ``rpdesk-cli --help`` stays fast.

Exit codes: 0 ok, 2 usage, 3 bad input or data (the message names file, row, column, expectation),
or a failure of the surroundings (database busy or read-only, disk full, server gone): one line
from :mod:`rpdesk.db.failures`, never a traceback, never a row of data.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from rpdesk import __version__
from rpdesk.cli.common import DB_HELP
from rpdesk.errors import Cancelled, InvalidFields, UserError

EXIT_OK = 0
EXIT_USAGE = 2
EXIT_BAD_INPUT = 3

#: Command-group modules, in the order ``--help`` lists them.
COMMAND_MODULES: tuple[str, ...] = (
    "rpdesk.cli.demo_cmd",
    "rpdesk.cli.db_cmd",
    "rpdesk.cli.wards_cmd",
    "rpdesk.cli.layers_cmd",
    "rpdesk.cli.places_cmd",
    "rpdesk.cli.surveys_cmd",
    "rpdesk.cli.signals_cmd",
    "rpdesk.cli.priorities_cmd",
    "rpdesk.cli.meetings_cmd",
    "rpdesk.cli.report_cmd",
    "rpdesk.cli.actions_cmd",
    "rpdesk.cli.abstractions_cmd",
    "rpdesk.cli.status_cmd",
    "rpdesk.cli.retention_cmd",
    "rpdesk.cli.access_cmd",
    "rpdesk.cli.audit_cmd",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="rpdesk-cli",
        description="Reassurance policing desk: ward signals, priorities, actions, abstractions and documents.",
    )
    parser.add_argument("--version", action="version", version=f"rpdesk {__version__}")
    parser.add_argument("--db", metavar="PATH|URL", help=DB_HELP)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    modules = [importlib.import_module(name) for name in COMMAND_MODULES]
    for module in modules:
        if hasattr(module, "register"):
            module.register(sub)
    importer = sub.add_parser(
        "import",
        help="import a file, all or nothing",
        description="Import a file: every row is checked first; any problem means nothing is written (exit 3).",
    )
    kinds = importer.add_subparsers(dest="import_kind", metavar="KIND", required=True)
    for module in modules:
        if hasattr(module, "register_import"):
            module.register_import(kinds)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        result: int | None = args.handler(args)
    except InvalidFields as exc:  # the rules' words, with the option that sets each field named
        print(f"rpdesk-cli: {exc.text(getattr(args, 'field_options', {}))}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except UserError as exc:
        print(f"rpdesk-cli: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except Cancelled:
        print("rpdesk-cli: cancelled; nothing was written.", file=sys.stderr)
        return 130
    except KeyboardInterrupt:
        print("rpdesk-cli: interrupted; nothing was written.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:
        from rpdesk.db.failures import explain

        message = explain(exc, _where(args))
        if message is None:
            raise
        print(f"rpdesk-cli: {message}", file=sys.stderr)
        return EXIT_BAD_INPUT
    return result or EXIT_OK


def _where(args: argparse.Namespace) -> str:
    """The database a failure concerns, as a user would name it (the file, or the server without password)."""
    from sqlalchemy.exc import ArgumentError

    from rpdesk.cli.common import database_choice

    try:
        return database_choice(args).label
    except (ArgumentError, UserError):
        return "the database"


def run() -> None:
    """Console-script entry point: files it creates are owner-only (see :mod:`rpdesk.outputs`)."""
    from rpdesk.outputs import private_by_default

    private_by_default()
    sys.exit(main())
