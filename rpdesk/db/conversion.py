"""``db encrypt`` and ``db decrypt``: turn a plain SQLite database into an encrypted one, or back.

No data is lost whatever happens: the file is checked first like any open (a damaged, foreign or
newer file is refused untouched), converted by SQLCipher's ``sqlcipher_export`` into a new file
built aside (``.NAME.new-PID``, the name an interrupted creation uses, so a killed conversion's
leftover is removed on the next open), checked (every page, every table's row count against the
original), and only then moved into place in one rename. Until that rename the original is the
database; after it, the converted file is. One conversion per file at a time (``.NAME.converting``
holds the converter's process id; a second one is refused, a dead one's lock is taken over).

Encrypting exists so that no readable copy of the records stays on a lost laptop, so ``db encrypt``
leaves none that rpdesk made: its backup of the original is a copy of the checked encrypted file
(same key), made before the rename; the plain original keeps a second name (a hard link) across the rename and its bytes
are overwritten and unlinked once the encrypted file is in place, its ``-wal`` too; and the plain
backups rpdesk made beside it (``NAME.before-REVISION``, ``NAME.before-encrypt-STAMP``,
``NAME.backup-STAMP``, ...) are encrypted with the same key the same way, or removed when they
hold exactly the records of the encrypted database. Other plain SQLite files in the folder are
not rpdesk's to touch: they are only named as warnings. Overwriting is best effort: on an SSD or a
journaling file system the old blocks may survive elsewhere, which is why a new database is best
encrypted from the start (portable mode does so).
"""

from __future__ import annotations

import glob
import hashlib
import os
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy.engine import URL

from rpdesk.db import database, encryption
from rpdesk.errors import DatabaseMissing, UserError
from rpdesk.outputs import SQLITE_SIDECARS, is_sqlite_file, make_private, shred, write_aside

#: What rpdesk's own backups of ``NAME.sqlite`` are called: ``NAME.<tag>.sqlite`` with one of these tags.
BACKUP_TAG = re.compile(r"(?:before|backup)-[0-9A-Za-z_-]+")


@dataclass(frozen=True)
class Converted:
    """What a conversion did: the file, its backup, the rows carried over, and each other file it handled.

    ``wiped`` says whether the plain original's bytes were overwritten before removal (False on a file
    system without hard links: it was removed only); ``notes`` name each plain backup encrypted or
    removed; ``warnings`` name plain copies left in place (rpdesk did not make them, or could not read them).
    """

    path: Path
    backup: Path
    rows: int
    wiped: bool = False
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


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


def _swap(path: Path, build: Path, *, wipe: bool) -> bool:
    """Rename ``build`` onto ``path``; with ``wipe``, overwrite the old file's bytes after. True when overwritten.

    The old file keeps a second name (a hard link) across the rename, so at every moment one
    complete database answers to ``path`` and the bytes overwritten are never the only copy.
    """
    sidecars = [path.with_name(path.name + s) for s in SQLITE_SIDECARS]
    old: Path | None = None
    if wipe:
        old = path.with_name(f".{path.name}{database.BUILD_MARK}{os.getpid()}{database.PLAIN_MARK}")
        old.unlink(missing_ok=True)
        try:
            os.link(path, old)
        except OSError:  # no hard links (FAT on a USB stick): the rename removes it, unoverwritten
            old = None
    for stale in sidecars:  # the old file's -wal must never be replayed into the new one
        if wipe:
            shred(stale)
        else:
            stale.unlink(missing_ok=True)
    os.replace(build, path)
    return old is not None and shred(old)


@contextmanager
def _converting(path: Path) -> Iterator[None]:
    """Hold ``.NAME.converting`` for this process while ``path`` is converted; refuse when another one does."""
    lock = path.with_name(f".{path.name}.converting")
    for _attempt in range(2):
        try:
            fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
            break
        except FileExistsError:
            holder = _lock_holder(lock)
            if holder is not None and database._process_alive(holder, lock):
                raise UserError(
                    f"Another rpdesk (process {holder}) is converting {path} right now; nothing was changed. "
                    "Run the command again when it has finished."
                ) from None
            lock.unlink(missing_ok=True)  # its converter was killed: the database itself is whole
        except OSError as exc:
            raise UserError(
                f"The folder {path.parent} cannot be written ({exc.strerror}), and converting builds the new "
                "file beside the database; nothing was changed. Copy it to a folder you can write to."
            ) from None
    else:
        raise UserError(f"Cannot take {lock} to convert {path}; nothing was changed.")
    try:
        os.write(fd, str(os.getpid()).encode())
        os.close(fd)
        yield
    finally:
        lock.unlink(missing_ok=True)


def _lock_holder(lock: Path) -> int | None:
    try:
        text = lock.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return int(text) if text.isdigit() else None


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


def _backup_name(path: Path, action: str) -> Path:
    return path.with_name(f"{path.stem}.before-{action}-{database._stamp()}{path.suffix or '.sqlite'}")


def _recode(path: Path, old_key: str | None, new_key: str | None, copy_to: Path | None = None) -> tuple[int, bool]:
    """Convert ``path`` in place, built aside and checked first; the rows carried and whether plain bytes were wiped.

    ``copy_to`` receives a byte copy of the checked new file before it takes the original's place
    (same key, same salt): ``db encrypt``'s backup, so that one exists whenever the plain file is gone.
    """
    build = path.with_name(f".{path.name}{database.BUILD_MARK}{os.getpid()}")
    database._remove_sqlite_files(build)
    try:
        rows = _build(path, old_key, new_key, build)
        make_private(build)
        if copy_to is not None:
            with write_aside(copy_to) as tmp:
                shutil.copyfile(build, tmp)
        return rows, _swap(path, build, wipe=new_key is not None)
    finally:
        database._remove_sqlite_files(build)


def convert(url: URL, new_key: str | None, *, keep_plain_backup: bool = False) -> Converted:
    """Encrypt the SQLite file of ``url`` with ``new_key``, or decrypt it (``new_key`` None).

    ``url`` carries the file's present key when it is encrypted (:func:`encryption.with_key`).
    Encrypting also secures rpdesk's plain backups beside it, unless ``keep_plain_backup`` (then the
    backup is a plain copy of the original, and the plain backups are only listed).
    """
    path = convertible(url, encrypting=new_key is not None)
    with _converting(path):
        database._remove_abandoned_builds(path)
        path = convertible(url, encrypting=new_key is not None)  # a conversion that finished meanwhile
        old_key = encryption.url_key(url)
        backup = _backup_name(path, "encrypt" if new_key else "decrypt")
        if new_key is None or keep_plain_backup:  # a copy of the original as it is
            database.backup_sqlite(path, backup, key=old_key)
            rows, wiped = _recode(path, old_key, new_key)
        else:
            rows, wiped = _recode(path, old_key, new_key, copy_to=backup)
        if new_key is None:
            return Converted(path, backup, rows)
        if keep_plain_backup:
            return Converted(path, backup, rows, wiped, warnings=[f"{p}: plain, kept" for p in _plain_backups(path)])
        notes, warnings = _secure_backups(path, new_key)
        return Converted(path, backup, rows, wiped, notes, warnings)


# --- the plain copies beside an encrypted database --------------------------------------------------


def _plain_backups(path: Path) -> list[Path]:
    """rpdesk's own backups of ``path`` in its folder (``NAME.<tag>.sqlite``) that are still plain SQLite."""
    suffix = path.suffix or ".sqlite"
    found = []
    for candidate in sorted(path.parent.glob(f"{glob.escape(path.stem)}.*{glob.escape(suffix)}")):
        tag = candidate.name[len(path.stem) + 1 : -len(suffix)]
        if candidate != path and BACKUP_TAG.fullmatch(tag) and is_sqlite_file(candidate):
            found.append(candidate)
    return found


def _look_alikes(path: Path, ours: list[Path]) -> list[Path]:
    """Other plain SQLite files in the folder: perhaps copies, but not rpdesk's to change."""
    skip = {path, *ours}
    return [
        p
        for p in sorted(path.parent.iterdir())
        if p not in skip and p.is_file() and not p.name.endswith(SQLITE_SIDECARS) and is_sqlite_file(p)
    ]


def _content(path: Path, key: str | None) -> str:
    """A digest of every row of every table: two files with the same digest hold the same records."""
    con = encryption.connect(path, key, read_only=True)
    try:
        tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
        digest = hashlib.sha256()
        for table in tables:
            digest.update(table.encode())
            for row in sorted(repr(r) for r in con.execute(f'SELECT * FROM "{table}"')):
                digest.update(row.encode())
        return digest.hexdigest()
    finally:
        con.close()


def _secure_backups(path: Path, key: str) -> tuple[list[str], list[str]]:
    """Encrypt (or remove, when the encrypted database holds the same records) rpdesk's plain backups of ``path``."""
    notes: list[str] = []
    warnings: list[str] = []
    ours = _plain_backups(path)
    current = _content(path, key) if ours else ""
    for backup in ours:
        try:
            if _content(backup, None) == current:
                for part in (backup, *(backup.with_name(backup.name + s) for s in SQLITE_SIDECARS)):
                    shred(part)
                notes.append(f"{backup}: plain backup removed (the encrypted database holds the same records)")
            else:
                rows, _wiped = _recode(backup, None, key)
                notes.append(f"{backup}: plain backup encrypted with the same key ({rows} rows)")
        except (UserError, OSError) as exc:
            warnings.append(f"{backup}: could not be encrypted ({exc}); it still holds records in plain text")
        except Exception as exc:
            if not encryption.is_driver_error(exc):
                raise
            warnings.append(f"{backup}: not a readable database ({exc}); it may hold records in plain text")
    for other in _look_alikes(path, ours):
        warnings.append(f"{other}: an unencrypted SQLite file rpdesk did not make; if it is a copy, delete it")
    return notes, warnings
