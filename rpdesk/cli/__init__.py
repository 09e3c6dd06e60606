"""rpdesk-cli: the command line over the same services the GUI uses. Never imports Qt.

Each command group lives in its own module with ``register(subparsers)``; heavy libraries (pandas,
reportlab, Alembic) are imported inside the handlers, so ``rpdesk-cli --help`` stays fast.

Exit codes: 0 ok, 2 usage, 3 bad input or data (the message names file, row, column, expectation).
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from rpdesk import __version__
from rpdesk.errors import Cancelled, UserError

EXIT_OK = 0
EXIT_USAGE = 2
EXIT_BAD_INPUT = 3

#: Command-group modules, in the order ``--help`` lists them.
COMMAND_MODULES: tuple[str, ...] = (
    "rpdesk.cli.demo_cmd",
    "rpdesk.cli.db_cmd",
    "rpdesk.cli.wards_cmd",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="rpdesk-cli",
        description="Reassurance policing desk: ward signals, priorities, actions, abstractions and documents.",
    )
    parser.add_argument("--version", action="version", version=f"rpdesk {__version__}")
    parser.add_argument("--db", metavar="URL", help="database URL (default: RPDESK_DB, else the per-user file)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        result: int | None = args.handler(args)
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
    return result or EXIT_OK


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())
