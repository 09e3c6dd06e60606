"""``rpdesk-cli db upgrade|check|backup``: look after the database file itself."""

from __future__ import annotations

import argparse
from pathlib import Path

from rpdesk.cli.common import open_db, subcommand
from rpdesk.db import database, schema
from rpdesk.errors import UserError
from rpdesk.paths import default_database_url


def _url(args: argparse.Namespace) -> str:
    return getattr(args, "db", None) or default_database_url()


def upgrade(args: argparse.Namespace) -> int:
    from sqlalchemy import make_url

    url = make_url(_url(args))
    before = database.inspect_schema(url)
    db = database.open_database(url)
    db.dispose()
    print(f"{database.describe(url)}: schema {before.revision or 'new'} -> {schema.HEAD}")
    return 0


def check(args: argparse.Namespace) -> int:
    db = open_db(args)
    try:
        problems = database.check_database(db)
    finally:
        db.dispose()
    if problems:
        raise UserError(f"{db.label} has problems:\n" + "\n".join(f"- {p}" for p in problems))
    print(f"{db.label}: ok (schema {schema.HEAD})")
    return 0


def backup(args: argparse.Namespace) -> int:
    from sqlalchemy import make_url

    target = database.backup(make_url(_url(args)), Path(args.out) if args.out else None, force=args.force)
    print(target)
    return 0


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    db = sub.add_parser("db", help="upgrade, check or back up the database")
    dbsub = db.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    subcommand(dbsub, "upgrade", upgrade, "back up an older database, then bring its schema up to date")
    subcommand(dbsub, "check", check, "read the whole database and report any problem (exit 3 if any)")
    p = subcommand(dbsub, "backup", backup, "write a consistent copy of the database")
    p.add_argument("--out", metavar="FILE", help="where to write it (default: beside the database)")
    p.add_argument("--force", action="store_true", help="replace FILE if it exists (never the database itself)")
