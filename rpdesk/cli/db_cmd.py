"""``rpdesk-cli db init|where|upgrade|check|backup|encrypt|decrypt|key``: look after the database itself.

``db init`` (and ``demo``) are the only commands that create a database; every other command on a
database that does not exist says so (exit 3) and creates nothing, not even its folder.
``db encrypt`` and ``db decrypt`` convert an SQLite file (:mod:`rpdesk.db.conversion`); ``db key``
keeps an encrypted database's key in the operating system's keyring, or removes it from there.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from rpdesk.cli.common import add_encrypt_option, ask_key, database_choice, database_url, open_db, subcommand
from rpdesk.db import database, encryption, schema
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
    db = open_db(args, create=True)
    db.dispose()
    key = encryption.url_key(db.url)
    how = f"encrypted, {_keep(choice.path, key)}; " if key and choice.path else ""
    print(f"created a new rpdesk database at {choice.label} (schema {schema.HEAD}; {how}{choice.reason})")
    return 0


def _keep(path: Path, key: str) -> str:
    """Keep a new key in the keyring when there is one; say where the key is, or that it must be given."""
    if encryption.found_key(path):
        return "its key as given"
    if encryption.remember_key(path, key):
        return "its key kept in this computer's keyring"
    return "no keyring on this computer, so its key must be given each time (keep it safe: it cannot be recovered)"


def _lock_state(choice: Any) -> tuple[str, Any]:
    """What ``db where`` says about encryption, and the URL to inspect (keyed when the key is at hand)."""
    from sqlalchemy import make_url

    url = make_url(choice.url)
    if not choice.encrypted:
        return "", url
    found = encryption.found_key(choice.path)
    if found is None:
        return "encrypted (SQLCipher); no key found. " + encryption.how_to_give_key(), None
    return f"encrypted (SQLCipher); key from {found[1]}", encryption.keyed(url, found[0])


def where(args: argparse.Namespace) -> int:
    choice = database_choice(args)
    path = choice.path
    lock, url = "", None
    if path is not None and not path.exists():
        state = "does not exist yet ('rpdesk-cli db init' creates it)"
    else:
        try:
            lock, url = _lock_state(choice)
            if url is None:
                raise UserError("its schema cannot be read without the key")
            status = database.inspect_schema(url, full_check=False)
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
    if lock:
        print(f"  {lock}")
    print(f"  state: {state}")
    return 0


def upgrade(args: argparse.Namespace) -> int:
    choice = database_choice(args)
    url = database_url(args)
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
    target = database.backup(database_url(args), Path(args.out) if args.out else None, force=args.force)
    print(target)
    return 0


def _new_key(args: argparse.Namespace, path: Path) -> str:
    """The key to encrypt with: ``--key-file``, the environment, else typed twice at a terminal."""
    given = getattr(args, "key_file", None)
    return encryption.choose_key(
        path, given=encryption.read_key_file(Path(given)) if given else None, ask=ask_key, new=True
    )


def encrypt(args: argparse.Namespace) -> int:
    from rpdesk.db.conversion import convert, convertible

    url = database_url(args)
    path = convertible(url, encrypting=True)  # refused before a key is asked for
    key = _new_key(args, path)
    done = convert(url, key, keep_plain_backup=args.keep_plain_backup)
    kept = _keep(path, key) if not args.no_keyring else "its key not kept in the keyring (--no-keyring)"
    print(f"{path}: encrypted, {done.rows} rows carried over; {kept}")
    if args.keep_plain_backup:
        print(
            f"warning: the unencrypted original is kept as {done.backup} (--keep-plain-backup): it holds every "
            "record in plain text; delete it once the encrypted database opens",
            file=sys.stderr,
        )
    else:
        gone = "overwritten and removed" if done.wiped else "removed (this drive has no hard links: not overwritten)"
        print(f"  the unencrypted original was {gone}; its backup, encrypted with the same key: {done.backup}")
    for note in done.notes:
        print(f"  {note}")
    for warning in done.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    return 0


def _confirm_plain(path: Path, yes: bool) -> None:
    """``db decrypt`` leaves every record readable in the file: say so, and go on only when the user agrees."""
    print(
        f"warning: decrypting leaves {path} in plain text: anyone with the laptop or a copy of the file can read "
        "every record in it",
        file=sys.stderr,
    )
    if yes:
        return
    if not sys.stdin.isatty():
        raise UserError(f"{path} was not decrypted: confirm with --yes when run from a script. Nothing was changed.")
    if input("Decrypt it and leave it readable? [y/N]: ").strip().lower() not in {"y", "yes"}:
        raise UserError(f"{path} was not decrypted. Nothing was changed.")


def decrypt(args: argparse.Namespace) -> int:
    from rpdesk.db.conversion import convert, convertible

    url = database_url(args)
    _confirm_plain(convertible(url, encrypting=False), args.yes)
    done = convert(url, None)
    encryption.forget_key(done.path)
    print(f"{done.path}: decrypted, {done.rows} rows carried over; the encrypted original is kept as {done.backup}")
    return 0


def key(args: argparse.Namespace) -> int:
    choice = database_choice(args)
    path = choice.path
    if path is None or not choice.encrypted:
        raise UserError(f"{choice.label} is not an encrypted database file; it has no key to keep.")
    if args.forget:
        gone = encryption.forget_key(path)
        print(f"{path}: key {'removed from' if gone else 'was not in'} this computer's keyring")
        return 0
    url = database_url(args)
    database.inspect_schema(url, full_check=False)  # the key must open it before it is kept
    if not encryption.remember_key(path, encryption.url_key(url) or ""):
        raise UserError("This computer has no keyring to keep the key in; give it with --key-file or RPDESK_DB_KEY.")
    print(f"{path}: key kept in this computer's keyring")
    return 0


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    db = sub.add_parser("db", help="create, find, upgrade, check or back up the database")
    dbsub = db.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    add_encrypt_option(subcommand(dbsub, "init", init, "create a new, empty rpdesk database (and say where)"))
    subcommand(dbsub, "where", where, "say which database the commands use, and why that one")
    subcommand(dbsub, "upgrade", upgrade, "back up an older database, then bring its schema up to date")
    subcommand(dbsub, "check", check, "read the whole database and report any problem (exit 3 if any)")
    p = subcommand(dbsub, "backup", backup, "write a consistent copy of the database")
    p.add_argument("--out", metavar="FILE", help="where to write it (default: beside the database)")
    p.add_argument("--force", action="store_true", help="replace FILE if it exists (never the database itself)")
    p = subcommand(dbsub, "encrypt", encrypt, "encrypt an SQLite database (SQLCipher) and its plain backups")
    p.add_argument("--no-keyring", action="store_true", help="do not keep the key in this computer's keyring")
    p.add_argument("--keep-plain-backup", action="store_true", help="keep a plain backup; leave plain backups be")
    p = subcommand(dbsub, "decrypt", decrypt, "turn an encrypted database back into plain SQLite (backed up first)")
    p.add_argument("--yes", action="store_true", help="decrypt without asking (a plain copy of every record results)")
    p = subcommand(dbsub, "key", key, "keep an encrypted database's key in this computer's keyring, or forget it")
    p.add_argument("--forget", action="store_true", help="remove the key from the keyring instead")
