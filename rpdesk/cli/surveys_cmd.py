"""``rpdesk-cli surveys rounds --ward CODE``: a ward's survey rounds (answers arrive by ``import surveys``)."""

from __future__ import annotations

import argparse
from dataclasses import asdict

from rpdesk.cli.common import add_format_option, emit, open_db, subcommand

COLUMNS = ("id", "name", "method", "start_date", "end_date", "respondents")


def rounds(args: argparse.Namespace) -> int:
    from rpdesk.services.signals import list_rounds

    db = open_db(args)
    with db.session() as s:
        found = list_rounds(s, args.ward)
    emit([asdict(r) for r in found], args.format, COLUMNS)
    if not found and args.format == "table":
        print(
            f"Ward {args.ward.upper()} has no survey rounds yet; 'rpdesk-cli import surveys FILE --ward "
            f"{args.ward.upper()} --round NAME' makes one."
        )
    return 0


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("surveys", help="a ward's survey rounds")
    ssub = p.add_subparsers(dest="surveys_command", metavar="ACTION", required=True)
    rp = subcommand(ssub, "rounds", rounds, "list a ward's survey rounds, oldest first, with their respondents")
    rp.add_argument("--ward", required=True, metavar="CODE", help="ONS ward code")
    add_format_option(rp)
