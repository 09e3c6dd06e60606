"""Files rpdesk writes for the user (documents, exports, backups): never over data, never half-written, private.

Three rules, for the CLI and the GUI alike:

- **Never over data.** :func:`guard_output` refuses to write onto the open database (or its
  ``-wal``/``-shm``/``-journal`` files), onto any SQLite database (a PDF or CSV can never be meant
  to replace one), and onto an existing file unless the user said so (``--force``, or the GUI's own
  "replace it?" question). Only a backup may replace another SQLite file, and only when forced.
- **Never half-written.** :func:`write_aside` gives a temporary file in the target's folder; it is
  renamed onto the target only when complete, so a failed build, a full disk or a kill leaves the
  target as it was and no partial file.
- **Private.** Files are created owner-only (0600) and the folders rpdesk creates owner-only (0700)
  on Linux and macOS: they hold names of officers, addresses of problems and crime details. On
  Windows the per-user folders already belong to the user alone.
"""

from __future__ import annotations

import glob
import os
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from rpdesk.errors import UserError

PRIVATE_FILE = 0o600
PRIVATE_DIR = 0o700
SQLITE_MAGIC = b"SQLite format 3\x00"
#: Files SQLite keeps beside a database while it is open.
SQLITE_SIDECARS = ("-wal", "-shm", "-journal")
#: A temporary output file untouched for this long was left by a killed writer.
STALE_PART_SECONDS = 3600


def private_by_default() -> None:
    """Owner-only for everything this process creates (umask 077): the CLI and the GUI call it first.

    It covers what rpdesk does not chmod itself: SQLite's -wal and -shm files, saved column
    mappings, anything a library writes. A no-op on Windows.
    """
    if sys.platform != "win32":
        os.umask(0o077)


def private_dir(path: Path) -> Path:
    """``path`` as a folder, creating it and any missing parent owner-only (existing folders are left alone)."""
    missing = []
    folder = path
    while not folder.exists() and folder != folder.parent:
        missing.append(folder)
        folder = folder.parent
    path.mkdir(parents=True, exist_ok=True)
    if sys.platform != "win32":
        for created in missing:
            os.chmod(created, PRIVATE_DIR)
    return path


def make_private(path: Path) -> None:
    """Owner-only permissions on a file rpdesk wrote (a no-op on Windows)."""
    if sys.platform != "win32" and path.exists():
        os.chmod(path, PRIVATE_FILE)


def shred(path: Path) -> bool:
    """Overwrite a file's bytes with zeros, flush them to the disk, then remove it; True when overwritten.

    For a plain copy of the records once an encrypted one is in place. Best effort: an SSD or a
    journaling or copy-on-write file system may keep the old blocks elsewhere. The file is removed
    even when the overwrite fails (False), since it is never the only copy of anything.
    """
    if not path.exists():
        return False
    try:
        with path.open("r+b") as fh:
            left = path.stat().st_size
            block = bytes(1 << 20)
            while left > 0:
                left -= fh.write(block[: min(left, len(block))])
            fh.flush()
            os.fsync(fh.fileno())
        overwritten = True
    except OSError:
        overwritten = False
    finally:
        path.unlink(missing_ok=True)
    return overwritten


def is_sqlite_file(path: Path) -> bool:
    """Whether ``path`` starts like an SQLite database (a short read; False when it cannot be read)."""
    try:
        with path.open("rb") as fh:
            return fh.read(len(SQLITE_MAGIC)) == SQLITE_MAGIC
    except OSError:
        return False


#: SQLCipher writes whole pages (4096 bytes by default; any page size is a multiple of 512).
PAGE_MULTIPLE = 512
#: 16 random bytes have fewer distinct values than this with a chance below one in 10^12.
SALT_DISTINCT_BYTES = 8
#: Names a database file has; a file of random-looking pages by such a name is taken for an encrypted one.
DATABASE_SUFFIXES = (".sqlite", ".sqlite3", ".db")


def looks_encrypted(path: Path) -> bool:
    """Whether ``path`` could be an SQLCipher database: not plain SQLite, and made of whole pages.

    An encrypted file starts with 16 bytes of random salt, so it cannot be told from other random
    bytes until a key opens it; a text file or a spreadsheet is not a whole number of pages, and a
    zeroed file has no salt, so they are refused as "not a database" straight away.
    """
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(len(SQLITE_MAGIC))
    except OSError:
        return False
    salt_like = len(set(head)) >= SALT_DISTINCT_BYTES
    return size >= 2 * PAGE_MULTIPLE and size % PAGE_MULTIPLE == 0 and head != SQLITE_MAGIC and salt_like


def is_database_file(path: Path) -> bool:
    """Whether ``path`` is an SQLite database, plain or (by its name and bytes) encrypted."""
    return is_sqlite_file(path) or (path.suffix.lower() in DATABASE_SUFFIXES and looks_encrypted(path))


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def guard_output(
    path: Path | str,
    *,
    force: bool = False,
    protect: Iterable[Path] = (),
    database_allowed: bool = False,
) -> Path:
    """Refuse an output path that would destroy data; return it as a Path when it is safe.

    ``protect`` names database files in use (their sidecars are protected with them).
    ``database_allowed`` lets a forced backup replace another SQLite file (an older backup).
    """
    out = Path(path).expanduser()
    for db_file in protect:
        for candidate in (db_file, *(db_file.with_name(db_file.name + s) for s in SQLITE_SIDECARS)):
            if _same_file(out, candidate) or out.resolve() == candidate.resolve():
                raise UserError(f"{out} is the database rpdesk is using; choose another name. Nothing was written.")
    if out.is_dir():
        raise UserError(f"{out} is a folder; give a file name inside it. Nothing was written.")
    if out.name.endswith(SQLITE_SIDECARS) and is_sqlite_file(out.with_name(out.name.rsplit("-", 1)[0])):
        raise UserError(f"{out} belongs to the database beside it; choose another file name. Nothing was written.")
    if out.exists() and is_database_file(out) and not (database_allowed and force):
        how = " (or --force if it is an older backup to replace)" if database_allowed else ""
        raise UserError(
            f"{out} is a database; rpdesk will not write over it. Choose another name{how}. Nothing was written."
        )
    if out.exists() and not force:
        raise UserError(f"{out} already exists; choose another name, or --force to replace it. Nothing was written.")
    if not out.parent.is_dir():
        raise UserError(f"The folder {out.parent} does not exist. Nothing was written.")
    return out


@contextmanager
def write_aside(path: Path) -> Iterator[Path]:
    """A temporary file beside ``path``, renamed onto it (owner-only) only when the block completes.

    Any exception, a full disk included, removes the temporary file and leaves ``path`` untouched.
    A temporary file left by a killed writer of the same target is removed first. The block may
    :func:`land` the file itself at the moment it chooses (a document just before its record commits).
    """
    _remove_stale_parts(path)
    try:
        fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    except OSError as exc:
        raise OSError(exc.errno, exc.strerror, str(path)) from None  # name the file the user asked for
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        if tmp.exists():
            land(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        if exc.filename == str(tmp):
            raise OSError(exc.errno, exc.strerror, str(path)) from None
        raise
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def land(aside: Path, path: Path) -> None:
    """Move a complete temporary file onto ``path``: durable first, owner-only, in one rename."""
    _flush_to_disk(aside)
    make_private(aside)
    os.replace(aside, path)


def _remove_stale_parts(path: Path) -> None:
    """Delete ``path``'s temporary files older than :data:`STALE_PART_SECONDS` (their writer was killed).

    Young ones may belong to another process writing the same target right now, and are left alone.
    """
    now = time.time()
    for part in path.parent.glob(f".{glob.escape(path.name)}.*.part"):
        try:
            if now - part.stat().st_mtime > STALE_PART_SECONDS:
                part.unlink()
        except OSError:
            continue  # gone already, or not ours to remove


def _flush_to_disk(path: Path) -> None:
    """Make the file's content durable before it replaces anything (a crash then leaves old or new, not empty)."""
    mode = os.O_RDONLY if sys.platform != "win32" else os.O_RDWR
    fd = os.open(path, mode)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
