"""``rpdesk-cli access grant|revoke|list``: which database logins may read and write which wards (PostgreSQL)."""

from __future__ import annotations

import argparse

from rpdesk.cli.common import WARD_HELP, add_format_option, emit, open_db, subcommand

ROLES = ("officer", "sergeant", "supervisor", "administrator")


def _change(args: argparse.Namespace) -> int:
    """``grant`` or ``revoke`` in one transaction, then what the login holds now."""
    from rpdesk.services import access

    db = open_db(args)
    held: access.Access | None
    try:
        with db.session() as s:
            if args.access_command == "grant":
                held = access.grant(s, args.login, args.role, args.ward or [])
            else:
                held = access.revoke(s, args.login, args.ward or [])
    finally:
        db.dispose()
    if held is None:
        print(f"{args.login.strip()}: no rpdesk role and no table privileges any more")
    else:
        print(f"{held.login}: {held.role}; wards {', '.join(held.wards) or 'none'}")
    return 0


def list_(args: argparse.Namespace) -> int:
    from rpdesk.services import access

    db = open_db(args)
    try:
        with db.session() as s:
            rows = [a.as_row() for a in access.list_access(s)]
    finally:
        db.dispose()
    emit(rows, args.format, ("login", "role", "wards"))
    return 0


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    group = sub.add_parser(
        "access",
        help="ward-scoped access on the shared PostgreSQL database (roles and per-ward grants)",
        description=(
            "Officers and sergeants read and write the wards granted to their login; supervisors read every ward "
            "and write theirs; administrators every ward. PostgreSQL enforces it on every statement."
        ),
    )
    commands = group.add_subparsers(dest="access_command", metavar="COMMAND", required=True)
    p = subcommand(commands, "grant", _change, "give a database login a role and wards (earlier wards are kept)")
    p.add_argument("--login", required=True, help="the PostgreSQL login name (created by the database administrator)")
    p.add_argument("--role", required=True, choices=ROLES, help="what the login may do")
    p.add_argument("--ward", action="append", metavar="CODE", help=f"{WARD_HELP}; repeat for more wards")
    p = subcommand(commands, "revoke", _change, "take wards from a login, or (without --ward) its role altogether")
    p.add_argument("--login", required=True, help="the PostgreSQL login name")
    p.add_argument("--ward", action="append", metavar="CODE", help=f"{WARD_HELP}; repeat for more wards")
    p = subcommand(commands, "list", list_, "every login with an rpdesk role, and its wards")
    add_format_option(p)
