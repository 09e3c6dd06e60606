"""``rpdesk-cli audit log|verify``: read the s.62 log and check that nobody has edited it."""

from __future__ import annotations

import argparse

from rpdesk.cli.common import DAY_HELP, add_format_option, emit, open_db, parse_day, settings_of, subcommand
from rpdesk.errors import UserError


def log(args: argparse.Namespace) -> int:
    from rpdesk.services import audit

    db = open_db(args)
    try:
        with db.session() as s:
            found = audit.entries(s, ward=args.ward, start=args.start, end=args.end, user=args.user)
    finally:
        db.dispose()
    emit([e.as_dict() for e in found], args.format, audit.COLUMNS, marking=settings_of(args).marking_restricted)
    return 0


def verify(args: argparse.Namespace) -> int:
    from rpdesk.services import audit

    db = open_db(args)
    try:
        with db.session() as s:
            verdict = audit.verify(s)
    finally:
        db.dispose()
    if not verdict.ok:
        raise UserError(
            f"The log has been tampered with: {verdict.problem} (entry id {verdict.entry_id}); "
            f"{verdict.checked} entries before it are intact."
        )
    print(f"The log is intact: {verdict.checked} entries, each chained to the one before.")
    return 0


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("audit", help="the s.62 log: who collected, changed, read, disclosed or erased what")
    asub = p.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    lp = subcommand(asub, "log", log, "list log entries, oldest first (times in UTC)")
    lp.add_argument("--ward", metavar="CODE", help="only entries about this ward")
    lp.add_argument("--from", dest="start", type=parse_day, metavar="DATE", help=f"first day; {DAY_HELP}")
    lp.add_argument("--to", dest="end", type=parse_day, metavar="DATE", help="last day (inclusive)")
    lp.add_argument("--user", metavar="ACCOUNT", help="only entries by this operating-system account")
    add_format_option(lp)
    subcommand(asub, "verify", verify, "check the hash chain: exit 3 naming the first entry edited, removed or moved")
