"""Who is doing something, as the operating system and the database know it (never as the environment claims).

The s.62 log must establish, so far as possible, the identity of whoever consulted or disclosed
personal data. ``getpass.getuser()`` reads ``LOGNAME``/``USER``/``USERNAME`` first, which anyone can
set; so rpdesk asks the operating system's account API instead: the password database for the
process's real user id on Linux and macOS, ``GetUserNameExW`` (``DOMAIN\\user``, else the plain
``GetUserNameW``) on Windows. On PostgreSQL the database role (``current_user``) is recorded as
well: it is the identity the server itself authenticated.
"""

from __future__ import annotations

import sys
from functools import cache

from sqlalchemy import Connection, text

#: Said when the operating system has no name for the account (a container's bare uid).
UNKNOWN = "unknown"
_NAME_SAM_COMPATIBLE = 2  # EXTENDED_NAME_FORMAT: DOMAIN\user
_BUFFER = 257


def _windows_user() -> str:
    import ctypes
    from ctypes import wintypes

    size = wintypes.DWORD(_BUFFER)
    buffer = ctypes.create_unicode_buffer(_BUFFER)
    secur32 = ctypes.WinDLL("secur32")  # type: ignore[attr-defined,unused-ignore]
    if secur32.GetUserNameExW(_NAME_SAM_COMPATIBLE, buffer, ctypes.byref(size)):
        return str(buffer.value)
    size = wintypes.DWORD(_BUFFER)
    advapi32 = ctypes.WinDLL("advapi32")  # type: ignore[attr-defined,unused-ignore]
    if advapi32.GetUserNameW(buffer, ctypes.byref(size)):
        return str(buffer.value)
    return UNKNOWN


def _posix_user() -> str:
    import os
    import pwd

    uid = os.getuid()
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:  # a uid with no account (some containers): the number is still an identity
        return f"uid {uid}"


@cache
def os_user() -> str:
    """The signed-in account's name from the operating system (cached: it cannot change in a process)."""
    try:
        return _windows_user() if sys.platform == "win32" else _posix_user()
    except OSError:
        return UNKNOWN


def db_role(connection: Connection) -> str | None:
    """The database role a PostgreSQL connection is authenticated as (None on SQLite, which has none).

    Kept in the connection's ``info`` so each pooled connection asks the server once.
    """
    if connection.dialect.name != "postgresql":
        return None
    info = connection.info
    if "rpdesk_role" not in info:
        info["rpdesk_role"] = connection.execute(text("SELECT current_user")).scalar_one()
    role: str = info["rpdesk_role"]
    return role
