"""What went wrong around the data, said in one line: busy, full, read-only, unreachable.

A locked database, a full disk, a read-only file or folder, a PostgreSQL server that went away:
none is a bug in rpdesk, and none should reach the user as a traceback. :func:`explain` turns such
an exception into an :class:`EnvironmentFailure` (a :class:`~rpdesk.errors.UserError`, so the CLI
exits 3 and the GUI shows a message) saying what happened and what to do. The text never carries
SQL statements or their parameters (which can be rows of data): only the driver's first line.

Every write is one transaction, so each message can truthfully say that nothing was written.
"""

from __future__ import annotations

import errno

from sqlalchemy.exc import DBAPIError, IntegrityError

from rpdesk.db.encryption import is_driver_error
from rpdesk.errors import UserError


class EnvironmentFailure(UserError):
    """The machine, the disk, the file or the server stopped rpdesk; the data are as they were."""


#: SQLite's messages (lower case) and what they mean for the user; ``{where}`` is the database.
_SQLITE = (
    (
        ("database is locked", "database table is locked", "database schema is locked"),
        "{where} is busy: another rpdesk (or another program) is writing to it. Nothing was written. "
        "Wait for that to finish, or close the other program, then try again.",
    ),
    (
        ("database or disk is full",),
        "The disk holding {where} is full. Nothing was written. Free some space, then try again.",
    ),
    (
        ("readonly database", "read-only"),
        "{where} is read-only here (the file, its folder or the drive), so it can be read but not changed. "
        "Nothing was written. Copy it somewhere you can write, or ask IT for write access.",
    ),
    (
        ("unable to open database file",),
        "{where} cannot be opened: its folder is missing or cannot be written to. Nothing was written.",
    ),
    (
        ("disk i/o error",),
        "The disk holding {where} failed to read or write (it may be full or removed). Nothing was written; "
        "check the drive, then try again.",
    ),
)

_OS = {
    errno.ENOSPC: "The disk is full ({name}). Nothing was written. Free some space, then try again.",
    errno.EDQUOT: "Your disk quota is used up ({name}). Nothing was written. Free some space, then try again.",
    errno.EROFS: "{name} is on a read-only drive. Nothing was written. Choose a place you can write to.",
    errno.EACCES: "Permission denied: {name}. Nothing was written. Choose a place you can write to.",
    errno.EPERM: "Not permitted: {name}. Nothing was written. Choose a place you can write to.",
    errno.ENOENT: "There is no such file or folder: {name}. Nothing was written.",
}

_SERVER_GONE = (
    "server closed the connection",
    "terminating connection",
    "connection refused",
    "could not connect",
    "connection is closed",
    "connection timed out",
    "consuming input failed",
    "lost synchronization",
    "the connection is lost",
    "no connection to the server",
)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _sqlite(exc: BaseException, where: str) -> EnvironmentFailure | None:
    text = str(exc).lower()
    for needles, message in _SQLITE:
        if any(n in text for n in needles):
            return EnvironmentFailure(message.format(where=where))
    return None


def _server(orig: BaseException, where: str) -> EnvironmentFailure | None:
    text = str(orig).lower()
    if any(n in text for n in _SERVER_GONE):
        return EnvironmentFailure(
            f"The database server for {where} stopped answering or could not be reached. Nothing was written "
            "(the transaction was rolled back). Check the network or ask IT whether the server is up, then try again."
        )
    if "row-level security" in text:
        return EnvironmentFailure(
            f"{where} refused the change: your database login may not change records of that ward (it is not "
            "among the wards granted to it). Nothing was written. 'rpdesk-cli access list' shows the grants; "
            "an administrator can change them."
        )
    if "permission denied for" in text:
        return EnvironmentFailure(
            f"{where} refused the operation: your database login has no permission for it "
            f"({_first_line(orig)}). Nothing was written. Ask an administrator ('rpdesk-cli access list')."
        )
    if "no space left" in text or "disk full" in text:
        return EnvironmentFailure(f"The database server for {where} has run out of disk space. Nothing was written.")
    return None


def explain(exc: BaseException, where: str = "the database") -> UserError | None:
    """A one-line message for an environment failure, or None when ``exc`` is something else (a bug)."""
    if isinstance(exc, IntegrityError):
        return EnvironmentFailure(
            "Somebody else saved the same thing at the same moment (for an import: the same file or the same "
            "months), so it is already held. Nothing was written."
        )
    orig = exc.orig if isinstance(exc, DBAPIError) else exc
    if orig is not None and is_driver_error(orig):  # sqlite3's or SQLCipher's (an encrypted file)
        found = _sqlite(orig, where)
        if found:
            return found
    elif isinstance(exc, DBAPIError) and orig is not None:
        found = _server(orig, where)
        if found:
            return found
    if isinstance(orig, OSError) and orig.errno in _OS:
        return EnvironmentFailure(_OS[orig.errno].format(name=orig.filename or where))
    if isinstance(exc, DBAPIError):
        return EnvironmentFailure(f"{where} refused the operation ({_first_line(orig or exc)}). Nothing was written.")
    return None
