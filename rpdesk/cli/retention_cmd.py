"""``rpdesk-cli retention review|apply``: what personal data is past its retention period, and its disposal."""

from __future__ import annotations

import argparse
import datetime as dt
import sys

from rpdesk.cli.common import add_format_option, emit, open_db, settings_of, subcommand

COLUMNS = ("kind", "ward", "count", "oldest", "kept_from")


def review(args: argparse.Namespace) -> int:
    from rpdesk.services import retention

    db = open_db(args)
    try:
        with db.session() as s:
            groups = retention.review(s, settings_of(args), dt.date.today())
    finally:
        db.dispose()
    if not groups and args.format == "table":
        print("Nothing is past its retention period.")
        return 0
    emit([g.as_row() for g in groups], args.format, COLUMNS)
    return 0


def apply(args: argparse.Namespace) -> int:
    from rpdesk.services import retention

    db = open_db(args)
    try:
        done = retention.apply(db, settings_of(args), dt.date.today())
    finally:
        db.dispose()
    if not done.groups:
        print("Nothing is past its retention period; nothing was changed.")
        return 0
    emit([g.as_row() for g in done.groups], "table", COLUMNS)
    total = sum(g.count for g in done.groups)
    print(f"Disposed of {total} record(s), logged as erasure in the change log; {done.cleaned}.", file=sys.stderr)
    return 0


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    group = sub.add_parser(
        "retention",
        help="review and dispose of personal data past its retention period",
        description=(
            "Survey comments, EVA notes, abstraction notes, officers who have left and old change-log values are "
            "kept for the months the retention_* settings say; 'review' lists what is due, 'apply' removes it."
        ),
    )
    commands = group.add_subparsers(dest="retention_command", metavar="COMMAND", required=True)
    p = subcommand(commands, "review", review, "list what is past its retention period (kind, ward, count, oldest)")
    add_format_option(p)
    subcommand(
        commands,
        "apply",
        apply,
        "remove or redact everything 'review' lists, in one transaction, logged as erasure, then rebuild the file",
    )
