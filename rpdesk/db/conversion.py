"""``db encrypt`` and ``db decrypt``: turn a plain SQLite database into an encrypted one, or back.

No data is lost whatever happens: the file is checked first like any open (a damaged, foreign or
newer file is refused untouched), backed up beside itself, then converted by SQLCipher's
``sqlcipher_export`` into a new file built aside (``.NAME.new-PID``, the name an interrupted
creation uses, so a killed conversion's leftover is removed on the next open), checked (every
page, every table's row count against the original), and only then moved into place in one
rename. Until that rename the original is the database; after it, the converted file is.

The backup is of the original as it was: for ``db encrypt`` that is a plain copy, which the
command names so that the user can delete it once the encrypted file opens.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.engine import URL

from rpdesk.db import database, encryption
from rpdesk.errors import DatabaseMissing, UserError
from rpdesk.outputs import SQLITE_SIDECARS, make_private


@dataclass(frozen=True)
class Converted:
    """What a conversion did: the file, the backup of the original, and the rows carried over."""

    path: Path
    backup: Path
    rows: int


def _row_counts(con: Any, schema: str = "main") -> dict[str, int]:
    names = [r[0] for r in con.execute(f"SELECT name FROM {schema}.sqlite_master WHERE type='table'")]
    return {n: con.execute(f'SELECT count(*) FROM {schema}."{n}"').fetchone()[0] for n in sorted(names)}


def _build(path: Path, old_key: str | None, new_key: str | None, build: Path) -> int:
    """Export ``path`` into ``build`` under ``new_key`` (None: plain) and check it; return the rows carried."""
    source = encryption.connect(path, old_key, cipher=True)
    try:
        source.isolation_level = None  # rpdesk's own BEGIN: the write lock is held through the export
        source.execute("ATTACH DATABASE ? AS converted KEY ?", (str(build), new_key or ""))
        source.execute("BEGIN IMMEDIATE")  # no other writer while the pages are copied
        try:
            source.execute("SELECT sqlcipher_export('converted')")
            before = _row_counts(source)
        finally:
            source.execute("COMMIT")
        source.execute("DETACH DATABASE converted")
    finally:
        source.close()
    made = encryption.connect(build, new_key, read_only=True)
    try:
        check = made.execute("PRAGMA quick_check").fetchone()[0]
        after = _row_counts(made)
    finally:
        made.close()
    if check != "ok" or after != before:
        raise UserError(
            f"Converting {path} did not give a faithful copy ({check}; rows {sum(after.values())} of "
            f"{sum(before.values())}), so the original was kept unchanged."
        )
    return sum(after.values())


def convertible(url: URL, *, encrypting: bool) -> Path:
    """The file ``url`` names when it can be encrypted (``encrypting``) or decrypted; else why not.

    It is checked like any open: a damaged, foreign or newer file is refused untouched.
    """
    path = database.sqlite_path(url)
    if path is None:
        raise UserError(
            f"{database.describe(url)} is a database server, not a file: encryption at rest there is the "
            "server's (disk encryption, with TLS on the network). Nothing was changed."
        )
    status = database.inspect_schema(url, full_check=True)
    if status.state is database.SchemaState.EMPTY:
        raise DatabaseMissing(database.missing_message(url, path))
    if bool(encryption.url_key(url)) == encrypting:
        raise UserError(f"{path} is {'already' if encrypting else 'not'} encrypted; nothing was changed.")
    return path


def convert(url: URL, new_key: str | None) -> Converted:
    """Encrypt the SQLite file of ``url`` with ``new_key``, or decrypt it (``new_key`` None).

    ``url`` carries the file's present key when it is encrypted (:func:`encryption.with_key`).
    """
    path = convertible(url, encrypting=new_key is not None)
    old_key = encryption.url_key(url)
    action = "encrypt" if new_key else "decrypt"
    backup = database.backup_sqlite(path, tag=f"before-{action}-{database._stamp()}", key=old_key)
    build = path.with_name(f".{path.name}{database.BUILD_MARK}{os.getpid()}")
    database._remove_sqlite_files(build)
    try:
        rows = _build(path, old_key, new_key, build)
        make_private(build)
        for stale in SQLITE_SIDECARS:  # the old file's -wal must never be replayed into the new one
            path.with_name(path.name + stale).unlink(missing_ok=True)
        os.replace(build, path)
    finally:
        database._remove_sqlite_files(build)
    return Converted(path, backup, rows)
