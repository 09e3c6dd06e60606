"""``rpdesk-cli db init|where|upgrade|check|backup``: look after the database itself.

``db init`` (and ``demo``) are the only commands that create a database; every other command on a
database that does not exist says so (exit 3) and creates nothing, not even its folder.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from rpdesk.cli.common import database_choice, open_db, subcommand
from rpdesk.db import database, schema
from rpdesk.errors import DatabaseMissing, UserError


def init(args: argparse.Namespace) -> int:
    from sqlalchemy import make_url

    choice = database_choice(args)
    status = database.inspect_schema(make_url(choice.url))
    if status.state is not database.SchemaState.EMPTY:
        raise UserError(
            f"{choice.label} already holds an rpdesk database (schema {status.revision}); nothing was changed. "
            "'rpdesk-cli db upgrade' brings an older one up to date."
        )
    open_db(args, create=True).dispose()
    print(f"created a new rpdesk database at {choice.label} (schema {schema.HEAD}; {choice.reason})")
    return 0


def where(args: argparse.Namespace) -> int:
    from sqlalchemy import make_url

    choice = database_choice(args)
    path = choice.path
    if path is not None and not path.exists():
        state = "does not exist yet ('rpdesk-cli db init' creates it)"
    else:
        try:
            status = database.inspect_schema(make_url(choice.url), full_check=False)
            state = (
                "holds no rpdesk data yet"
                if status.state is database.SchemaState.EMPTY
                else (
                    f"schema {status.revision}"
                    + ("" if status.revision == schema.HEAD else f", older than {schema.HEAD}")
                )
            )
        except UserError as exc:
            state = f"cannot be used: {exc}"
    print(choice.label)
    print(f"  why: {choice.reason}")
    print(f"  state: {state}")
    return 0


def upgrade(args: argparse.Namespace) -> int:
    from sqlalchemy import make_url

    choice = database_choice(args)
    url = make_url(choice.url)
    before = database.inspect_schema(url)
    if before.state is database.SchemaState.EMPTY:
        raise DatabaseMissing(database.missing_message(url, choice.path))
    if before.state is database.SchemaState.CURRENT:
        print(f"{choice.label}: already up to date (schema {schema.HEAD})")
        return 0
    open_db(args).dispose()
    print(f"{choice.label}: schema {before.revision} -> {schema.HEAD} (the old file was backed up beside it first)")
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

    target = database.backup(
        make_url(database_choice(args).url), Path(args.out) if args.out else None, force=args.force
    )
    print(target)
    return 0


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    db = sub.add_parser("db", help="create, find, upgrade, check or back up the database")
    dbsub = db.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    subcommand(dbsub, "init", init, "create a new, empty rpdesk database (and say where)")
    subcommand(dbsub, "where", where, "say which database the commands use, and why that one")
    subcommand(dbsub, "upgrade", upgrade, "back up an older database, then bring its schema up to date")
    subcommand(dbsub, "check", check, "read the whole database and report any problem (exit 3 if any)")
    p = subcommand(dbsub, "backup", backup, "write a consistent copy of the database")
    p.add_argument("--out", metavar="FILE", help="where to write it (default: beside the database)")
    p.add_argument("--force", action="store_true", help="replace FILE if it exists (never the database itself)")
