"""Opening a ward database safely: refuse what is not ours, back up before upgrading, then connect.

Order matters for "no data lost": every check before the first write is read-only, so a corrupt
file, a file that is not a database, or a database written by a newer rpdesk is refused and left
byte-for-byte as it was. Only a recognised older schema is backed up and then upgraded.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sqlalchemy import Engine, create_engine, event, inspect, make_url, text
from sqlalchemy.engine import URL
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from rpdesk.db import schema
from rpdesk.db.changelog import record_changes
from rpdesk.db.models import utcnow
from rpdesk.errors import ConflictError, DatabaseRefused, UserError
from rpdesk.paths import data_dir, default_database_url

SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 10_000
#: Files up to this size get a full page check on every open (about 0.1 s per 50 MB); larger ones
#: get it before an upgrade or backup and from ``db check``.
QUICK_CHECK_ON_OPEN_BYTES = 256 * 1024 * 1024


class SchemaState(StrEnum):
    EMPTY = "empty"
    CURRENT = "current"
    OLDER = "older"


@dataclass(frozen=True)
class SchemaStatus:
    state: SchemaState
    revision: str | None


def sqlite_path(url: URL) -> Path | None:
    """The file behind an SQLite URL, or None for other backends and in-memory databases."""
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    return Path(url.database).expanduser()


def describe(url: URL) -> str:
    """A URL as it can be shown to a user: the file for SQLite, no password for servers."""
    path = sqlite_path(url)
    return str(path) if path else url.render_as_string(hide_password=True)


# --- read-only inspection ----------------------------------------------------------------------


def _classify(tables: set[str], revision: str | None, where: str) -> SchemaStatus:
    if not tables:
        return SchemaStatus(SchemaState.EMPTY, None)
    if "alembic_version" not in tables or revision is None:
        raise DatabaseRefused(
            f"{where} is a database but not an rpdesk one (it has no schema revision). "
            "rpdesk has not changed it. Choose another file or a new one."
        )
    if revision not in schema.REVISIONS:
        raise DatabaseRefused(
            f"{where} was written by a newer version of rpdesk (schema {revision}; this version knows up to "
            f"{schema.HEAD}). rpdesk has not changed it. Install the newer rpdesk to open it."
        )
    state = SchemaState.CURRENT if revision == schema.HEAD else SchemaState.OLDER
    return SchemaStatus(state, revision)


def _read_only(path: Path) -> sqlite3.Connection:
    """A connection that cannot change the file or leave -wal/-shm files beside it.

    ``immutable`` skips locking; when a -wal file shows the database is in use or was not closed
    cleanly, plain read-only mode is used instead so that its committed pages are seen.
    """
    in_use = path.with_name(path.name + "-wal").exists()
    mode = "mode=ro" if in_use else "mode=ro&immutable=1"
    return sqlite3.connect(f"file:{quote(str(path))}?{mode}", uri=True)


def _inspect_sqlite_file(path: Path, *, full_check: bool | None) -> SchemaStatus:
    if not path.exists() or path.stat().st_size == 0:
        return SchemaStatus(SchemaState.EMPTY, None)
    if full_check is None:
        full_check = path.stat().st_size <= QUICK_CHECK_ON_OPEN_BYTES
    if path.is_dir():
        raise DatabaseRefused(f"{path} is a folder, not a database file.")
    with path.open("rb") as fh:
        head = fh.read(len(SQLITE_MAGIC))
    if head != SQLITE_MAGIC:
        raise DatabaseRefused(
            f"{path} is not an SQLite database (its first bytes are {head[:16]!r}). rpdesk has not changed it."
        )
    try:
        con = _read_only(path)
        try:
            tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            if full_check:
                result = con.execute("PRAGMA quick_check").fetchone()[0]
                if result != "ok":
                    raise sqlite3.DatabaseError(result)
            revision = None
            if "alembic_version" in tables:
                row = con.execute("SELECT version_num FROM alembic_version").fetchone()
                revision = row[0] if row else None
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        raise DatabaseRefused(
            f"{path} is damaged and cannot be read safely ({exc}). rpdesk has not changed it. "
            "Restore it from a backup (rpdesk keeps them in the same folder)."
        ) from exc
    return _classify(tables, revision, str(path))


def _inspect_engine(engine: Engine) -> SchemaStatus:
    try:
        with engine.connect() as con:
            tables = set(inspect(con).get_table_names())
            revision = None
            if "alembic_version" in tables:
                revision = con.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except SQLAlchemyError as exc:
        raise DatabaseRefused(f"Cannot read the database at {describe(engine.url)}: {exc.args[0]}") from exc
    return _classify(tables, revision, describe(engine.url))


def inspect_schema(url: URL, *, full_check: bool | None = None) -> SchemaStatus:
    """Where a database stands against this build's schema, without writing anything.

    ``full_check`` None means: check every page of files small enough to do so quickly.
    """
    path = sqlite_path(url)
    if path is not None:
        return _inspect_sqlite_file(path, full_check=full_check)
    engine = create_engine(url)
    try:
        return _inspect_engine(engine)
    finally:
        engine.dispose()


# --- engine and sessions -----------------------------------------------------------------------


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cur = dbapi_connection.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    if cur.execute("PRAGMA database_list").fetchone()[2]:  # a file, not :memory:
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def make_engine(url: URL) -> Engine:
    """An engine with rpdesk's connection settings (SQLite: foreign keys, WAL, busy timeout)."""
    if url.get_backend_name() == "sqlite":
        engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    if url.get_backend_name() == "postgresql" and url.get_driver_name() in ("", "psycopg2"):
        url = url.set(drivername="postgresql+psycopg")
    return create_engine(url, pool_pre_ping=True)


class Database:
    """An open ward database: the engine plus the one sessionmaker every unit of work uses."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.url = engine.url
        self.sessions = sessionmaker(engine, expire_on_commit=False)
        event.listen(self.sessions, "after_flush", record_changes)

    @property
    def label(self) -> str:
        return describe(self.url)

    @property
    def is_sqlite(self) -> bool:
        return self.url.get_backend_name() == "sqlite"

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One unit of work in one transaction: committed on success, rolled back on any error.

        A stale edit (somebody else saved the row first) becomes :class:`ConflictError`.
        """
        with self.sessions() as s:
            try:
                with s.begin():
                    yield s
            except StaleDataError as exc:
                raise ConflictError(
                    "Somebody else changed this record after you opened it, so your change was not saved "
                    "and nothing was lost. Reload it to see their change, then make yours again."
                ) from exc

    def dispose(self) -> None:
        self.engine.dispose()


# --- backup and upgrade ------------------------------------------------------------------------


def _stamp() -> str:
    return utcnow().strftime("%Y%m%d-%H%M%S")


def backup_sqlite(path: Path, dest: Path | None = None, *, tag: str = "backup") -> Path:
    """A consistent copy of an SQLite file (the online backup API, so WAL content is included)."""
    target = dest or path.with_name(f"{path.stem}.{tag}-{_stamp()}{path.suffix or '.sqlite'}")
    target.parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(f"file:{quote(str(path))}?mode=ro", uri=True)
    try:
        out = sqlite3.connect(target)
        try:
            src.backup(out)
        finally:
            out.close()
    finally:
        src.close()
    return target


def backup_server(url: URL, dest: Path | None = None, *, tag: str = "backup") -> Path:
    """A plain-SQL dump of a PostgreSQL database by ``pg_dump`` into the data folder."""
    pg_dump = shutil.which("pg_dump") or next(
        (str(p) for p in sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_dump"), reverse=True)), None
    )
    if pg_dump is None:
        raise UserError(
            "Cannot back up the PostgreSQL database: pg_dump is not installed on this machine. "
            "Ask IT to back it up, then run the upgrade on a machine with pg_dump."
        )
    target = dest or data_dir() / f"{url.database}.{tag}-{_stamp()}.sql"
    target.parent.mkdir(parents=True, exist_ok=True)
    dsn = url.set(drivername="postgresql").render_as_string(hide_password=False)
    result = subprocess.run([pg_dump, "--no-owner", "-f", str(target), dsn], capture_output=True, text=True)
    if result.returncode != 0:
        raise UserError(f"pg_dump could not back up {describe(url)}: {result.stderr.strip()}")
    return target


def backup(url: URL, dest: Path | None = None, *, tag: str = "backup") -> Path:
    """Back up any supported database beside itself (SQLite) or into the data folder (server)."""
    path = sqlite_path(url)
    if path is not None:
        if not path.exists():
            raise UserError(f"There is no database at {path} to back up.")
        _inspect_sqlite_file(path, full_check=True)
        return backup_sqlite(path, dest, tag=tag)
    return backup_server(url, dest, tag=tag)


def run_migrations(engine: Engine) -> None:
    """Bring the schema to this build's head through the Alembic scripts shipped in the package."""
    from alembic import command  # imported here: about a second, needed only when a change is due
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(Path(__file__).with_name("migrations")))
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, "head")


def seed_catalogue(db: Database) -> None:
    """Put the default issue catalogue and partner list into a new database."""
    from rpdesk.services.catalogue import ensure_default_catalogue

    with db.session() as s:
        ensure_default_catalogue(s)


def open_database(url: str | URL | None = None, *, upgrade: bool = True) -> Database:
    """Open (creating if new) the ward database at ``url``; see the module docstring for the order."""
    parsed = make_url(url or default_database_url())
    path = sqlite_path(parsed)
    status = inspect_schema(parsed)
    if status.state is SchemaState.OLDER and not upgrade:
        raise DatabaseRefused(
            f"{describe(parsed)} uses an older schema ({status.revision}); run 'rpdesk-cli db upgrade' first."
        )
    if status.state is SchemaState.OLDER:
        if path is not None:
            _inspect_sqlite_file(path, full_check=True)
        backup(parsed, tag=f"before-{schema.HEAD}")
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
    db = Database(make_engine(parsed))
    if status.state is not SchemaState.CURRENT:
        run_migrations(db.engine)
        seed_catalogue(db)
    return db


def check_database(db: Database) -> list[str]:
    """Problems found by a full read of the database: integrity, schema revision, catalogue."""
    problems: list[str] = []
    path = sqlite_path(db.url)
    if path is not None:
        with db.engine.connect() as con:
            result = con.exec_driver_sql("PRAGMA integrity_check").scalar()
            if result != "ok":
                problems.append(f"integrity check: {result}")
            fk = con.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if fk:
                problems.append(f"{len(fk)} rows refer to rows that do not exist (first: table {fk[0][0]})")
    status = _inspect_engine(db.engine)
    if status.state is not SchemaState.CURRENT:
        problems.append(f"schema is {status.revision}, expected {schema.HEAD}")
    from rpdesk.services.catalogue import catalogue_problems

    with db.session() as s:
        problems.extend(catalogue_problems(s))
    return problems
