"""Which database rpdesk opens: decided here, once, for the desktop app and ``rpdesk-cli`` alike.

The order, first found wins:

1. ``--db`` on the command line (the desktop app's ``--demo`` is a ``--db`` naming the demo file);
2. the ``RPDESK_DB`` environment variable;
3. the ``database_url`` setting: the user's own settings over the machine-wide file IT deploys,
   unless IT locked it there (then the machine file's value holds);
4. the per-user default file, ``rpdesk.sqlite`` in the data folder (``rpdesk-cli db where``).

``--db`` and ``RPDESK_DB`` take a SQLAlchemy URL or a plain file path (``ward.sqlite``,
``~/wards/north.sqlite``), which means an SQLite file; a relative path is taken from the current
folder and shown in full, so a message never leaves a doubt about which file was meant.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from rpdesk.paths import default_database_path

if TYPE_CHECKING:
    from rpdesk.settings import Settings

URL_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
ENV_VAR = "RPDESK_DB"


@dataclass(frozen=True)
class DatabaseChoice:
    """The database to open, and why this one: what a user needs to see when it is not the one they meant."""

    url: str
    reason: str
    #: which rule chose it: "option", "environment", "setting" or "default"
    source: str

    @property
    def path(self) -> Path | None:
        """The SQLite file, or None for a database server."""
        from sqlalchemy import make_url

        from rpdesk.db.database import sqlite_path

        return sqlite_path(make_url(self.url))

    @property
    def encrypted(self) -> bool:
        """Whether the chosen file is an encrypted (SQLCipher) database, as far as can be told without its key."""
        from rpdesk.db.encryption import looks_encrypted

        path = self.path
        return path is not None and looks_encrypted(path)

    @property
    def label(self) -> str:
        """The file for SQLite, the URL without its password for a server."""
        from sqlalchemy import make_url

        from rpdesk.db.database import describe

        return describe(make_url(self.url))


def as_url(text: str) -> str:
    """A URL as given, or a plain file path (``ward.sqlite``) as the URL of that SQLite file, made absolute."""
    text = text.strip()
    if URL_SCHEME.match(text):
        return text
    return f"sqlite:///{Path(text).expanduser().absolute()}"


def resolve_database(
    option: str | None = None,
    *,
    settings: Settings | None = None,
    environ: Mapping[str, str] | None = None,
) -> DatabaseChoice:
    """The database both programs open for the same command line, environment and settings.

    ``settings`` are read from their files only when neither ``option`` nor ``RPDESK_DB`` decides,
    so a broken settings file never stands between ``--db`` and its database.
    """
    env = os.environ if environ is None else environ
    if option and option.strip():
        return DatabaseChoice(as_url(option), "named by --db", "option")
    if env.get(ENV_VAR, "").strip():
        return DatabaseChoice(as_url(env[ENV_VAR]), f"named by the {ENV_VAR} environment variable", "environment")
    if settings is None:
        from rpdesk.settings import Settings

        settings = Settings.load()
    configured = settings.database_url.strip()
    if configured:
        return DatabaseChoice(configured, f"the database_url setting, {settings.origin('database_url')}", "setting")
    return DatabaseChoice(
        f"sqlite:///{default_database_path()}", "the per-user default (nothing else names one)", "default"
    )
