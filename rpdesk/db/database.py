"""Opening a ward database safely: refuse what is not ours, back up before upgrading, then connect.

Order matters for "no data lost": every check before the first write is read-only, so a corrupt
file, a file that is not a database, or a database written by a newer rpdesk is refused and left
byte-for-byte as it was. Only a recognised older schema is backed up and then upgraded.

Schema work is atomic on both backends. SQLite's Python driver would run DDL outside any
transaction, so for schema work rpdesk takes over transaction control (``BEGIN
IMMEDIATE`` issued from SQLAlchemy's ``begin`` event, the driver's own handling off): an upgrade
killed half-way is rolled back by SQLite on the next open, and the pre-upgrade backup has one
name per target revision, so a retry replaces it instead of adding another. A new SQLite database
is built under a temporary name beside the target and moved into place only when complete; a
build left behind by a killed process is removed on the next open. On PostgreSQL the whole
upgrade is one transaction under an advisory lock.

Imports queue for writing (SQLite's write lock, a PostgreSQL advisory lock per ward: see
:mod:`rpdesk.services.imports`), and unique keys behind that (migration 0004) make the database
itself refuse a doubled import.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import time
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
from sqlalchemy.pool import QueuePool

from rpdesk.db import encryption, schema
from rpdesk.db.changelog import publish_committed, record_changes, record_statement
from rpdesk.db.models import Base, utcnow
from rpdesk.errors import ConflictError, DatabaseMissing, DatabaseRefused, KeyMissing, UserError
from rpdesk.outputs import (
    SQLITE_SIDECARS,
    STALE_PART_SECONDS,
    guard_output,
    make_private,
    private_dir,
    shred,
    write_aside,
)
from rpdesk.paths import data_dir

SQLITE_MAGIC = b"SQLite format 3\x00"
#: A new SQLite database is built under this name beside its target (``{name}`` then the builder's pid).
BUILD_MARK = ".new-"
#: After a build's process id: the plain original kept under a second name while `db encrypt` replaces it.
PLAIN_MARK = "-plain"
#: The advisory lock key under which PostgreSQL schema work runs (one upgrade at a time).
SCHEMA_LOCK = 7_214_001
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


def _read_only(path: Path, key: str | None) -> Any:
    """A connection that cannot change the file or leave -wal/-shm files beside it.

    ``immutable`` skips locking; when a -wal file shows the database is in use or was not closed
    cleanly, plain read-only mode is used instead so that its committed pages are seen.
    """
    in_use = path.with_name(path.name + "-wal").exists()
    return encryption.connect(path, key, read_only=True, immutable=not in_use)


def _abandoned_creation(con: Any, tables: set[str]) -> bool:
    """Only empty rpdesk tables and no revision: a creation by an older rpdesk killed half-way, safe to redo."""
    ours = set(Base.metadata.tables) | {"alembic_version"}
    if not tables or not tables <= ours:
        return False
    return all(con.execute(f'SELECT 1 FROM "{t}" LIMIT 1').fetchone() is None for t in tables)


def _inspect_sqlite_file(path: Path, *, full_check: bool | None, key: str | None = None) -> SchemaStatus:
    """The checks of :func:`inspect_schema` on a file; ``key`` opens an encrypted one (a wrong key is refused)."""
    if not path.exists() or path.stat().st_size == 0:
        return SchemaStatus(SchemaState.EMPTY, None)
    if full_check is None:
        full_check = path.stat().st_size <= QUICK_CHECK_ON_OPEN_BYTES
    if path.is_dir():
        raise DatabaseRefused(f"{path} is a folder, not a database file.")
    with path.open("rb") as fh:
        head = fh.read(len(SQLITE_MAGIC))
    if head == SQLITE_MAGIC:
        key = None  # a plain file: a key given for it has nothing to open
    elif key is None and encryption.looks_encrypted(path):
        raise KeyMissing(encryption.missing_key_message(path))
    elif key is None:
        raise DatabaseRefused(
            f"{path} is not an SQLite database (its first bytes are {head[:16]!r}). rpdesk has not changed it."
        )
    try:
        con = _read_only(path, key)
        try:
            tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            if full_check:
                result = con.execute("PRAGMA quick_check").fetchone()[0]
                if result != "ok":
                    raise sqlite3.DatabaseError(result)  # reported below like the driver's own
            revision = None
            if "alembic_version" in tables:
                row = con.execute("SELECT version_num FROM alembic_version").fetchone()
                revision = row[0] if row else None
            if revision is None and _abandoned_creation(con, tables):
                return SchemaStatus(SchemaState.EMPTY, None)
        finally:
            con.close()
    except Exception as exc:
        if not encryption.is_driver_error(exc):
            raise
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
        from rpdesk.db.failures import explain

        found = explain(exc, describe(engine.url))  # server unreachable, refused login: one plain line
        raise found or DatabaseRefused(f"Cannot read the database at {describe(engine.url)}.") from exc
    return _classify(tables, revision, describe(engine.url))


def inspect_schema(url: URL, *, full_check: bool | None = None) -> SchemaStatus:
    """Where a database stands against this build's schema, without writing anything.

    ``full_check`` None means: check every page of files small enough to do so quickly.
    """
    path = sqlite_path(url)
    if path is not None:
        return _inspect_sqlite_file(path, full_check=full_check, key=encryption.url_key(url))
    engine = create_engine(url)
    try:
        return _inspect_engine(engine)
    finally:
        engine.dispose()


# --- engine and sessions -----------------------------------------------------------------------


def _sqlite_writable(path: Path) -> bool:
    """Whether SQLite can write the file and the -wal/-shm files beside it (a read-only mount or file: no)."""
    folder = path.parent if path.parent.exists() else Path.cwd()
    if hasattr(os, "statvfs") and os.statvfs(folder).f_flag & getattr(os, "ST_RDONLY", 1):
        return False
    if path.exists() and not os.access(path, os.W_OK):
        return False
    return os.access(folder, os.W_OK)


def _sqlite_setup(read_only: bool) -> Any:
    """The connect hook: foreign keys, WAL and a busy wait on every SQLite connection."""

    def setup(dbapi_connection: Any, _record: Any) -> None:
        cur = dbapi_connection.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        if not read_only and cur.execute("PRAGMA database_list").fetchone()[2]:  # a file, not :memory:
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    return setup


def _begin(conn: Any) -> None:
    """Start an SQLite transaction: ``BEGIN IMMEDIATE`` under rpdesk's control when asked, else the driver's way.

    The driver's way (``BEGIN`` before the first write, reads outside it) lets an edit read, then
    write, while others commit in between; the row versions catch a stale edit. Schema work asks
    for ``rpdesk_immediate``: the driver's own transaction handling is switched off for that
    transaction, so DDL is transactional too and the write lock is held from the start.
    """
    driver = conn.connection.driver_connection
    if conn.get_execution_options().get("rpdesk_immediate", False):
        driver.isolation_level = None
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    else:
        driver.isolation_level = ""  # no transaction is open here, so switching back commits nothing


def make_engine(url: URL) -> Engine:
    """An engine with rpdesk's connection settings (SQLite: own transactions, foreign keys, WAL, busy timeout).

    A read-only SQLite file or folder is opened read-only, so reading it still works and a write is
    refused by SQLite itself with a message rpdesk can explain.
    """
    if url.get_backend_name() == "sqlite":
        path = sqlite_path(url)
        read_only = path is not None and not _sqlite_writable(path)
        if path is not None and read_only:
            immutable = "&immutable=1" if not os.access(path.parent, os.W_OK) else ""
            url = url.set(database=f"file:{quote(str(path))}?mode=ro{immutable}", query={"uri": "true"})
        options: dict[str, Any] = {}
        if encryption.is_encrypted_url(url):
            encryption.cipher_module()  # SQLCipher's stderr log off before the first connection
            options["poolclass"] = QueuePool  # the dialect's default keeps one connection per thread
        engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000}, **options)
        event.listen(engine, "connect", _sqlite_setup(read_only))
        event.listen(engine, "begin", _begin)
        return engine
    if url.get_backend_name() == "postgresql" and url.get_driver_name() in ("", "psycopg2"):
        url = url.set(drivername="postgresql+psycopg")
    return create_engine(url, pool_pre_ping=True)


class Database:
    """An open ward database: the engine plus the one sessionmaker every unit of work uses."""

    def __init__(self, engine: Engine, url: URL | None = None) -> None:
        self.engine = engine
        self.url = url or engine.url
        self.sessions = sessionmaker(engine, expire_on_commit=False)
        event.listen(self.sessions, "after_flush", record_changes)
        event.listen(self.sessions, "do_orm_execute", record_statement)
        event.listen(self.sessions, "after_commit", publish_committed)

    @property
    def label(self) -> str:
        return describe(self.url)

    @property
    def encrypted(self) -> bool:
        """Whether this is an encrypted (SQLCipher) file."""
        return encryption.is_encrypted_url(self.url)

    @property
    def is_sqlite(self) -> bool:
        return self.url.get_backend_name() == "sqlite"

    @property
    def file(self) -> Path | None:
        """The SQLite file, or None for a server database."""
        return sqlite_path(self.url)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One unit of work in one transaction: committed on success, rolled back on any error.

        A stale edit (somebody else saved the row first) becomes :class:`ConflictError`; so does a
        unique key refusing a row somebody else wrote at the same moment.
        """
        from sqlalchemy.exc import IntegrityError

        with self.sessions() as s:
            try:
                with s.begin():
                    yield s
            except StaleDataError as exc:
                raise ConflictError(
                    "Somebody else changed this record after you opened it, so your change was not saved "
                    "and nothing was lost. Reload it to see their change, then make yours again."
                ) from exc
            except IntegrityError as exc:
                raise ConflictError(
                    "Somebody else saved the same thing at the same moment, so this change was not saved "
                    "and nothing was written. Reload to see what is held now."
                ) from exc

    def dispose(self) -> None:
        self.engine.dispose()


# --- backup and upgrade ------------------------------------------------------------------------


def _stamp() -> str:
    return utcnow().strftime("%Y%m%d-%H%M%S")


def backup_sqlite(path: Path, dest: Path | None = None, *, tag: str = "backup", key: str | None = None) -> Path:
    """A consistent, owner-only copy of an SQLite file (the online backup API, so WAL content is included).

    Written aside and renamed, so a full disk or a kill leaves no partial backup. The copy of an
    encrypted database (``key``) is encrypted with the same key.
    """
    target = dest or path.with_name(f"{path.stem}.{tag}{path.suffix or '.sqlite'}")
    private_dir(target.parent)
    with write_aside(target) as tmp:
        src = encryption.connect(path, key, read_only=True)
        try:
            out = encryption.connect(tmp, key)
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
    target = dest or data_dir() / f"{url.database}.{tag}.sql"
    private_dir(target.parent)
    dsn = url.set(drivername="postgresql").render_as_string(hide_password=False)
    with write_aside(target) as tmp:
        result = subprocess.run([pg_dump, "--no-owner", "-f", str(tmp), dsn], capture_output=True, text=True)
        if result.returncode != 0:
            raise UserError(f"pg_dump could not back up {describe(url)}: {result.stderr.strip()}")
    return target


def backup(url: URL, dest: Path | None = None, *, tag: str | None = None, force: bool = False) -> Path:
    """Back up any supported database beside itself (SQLite) or into the data folder (server).

    ``dest`` is checked like every output (never the database itself, never over another file
    unless ``force``). Without ``dest`` the name carries ``tag``, by default a time stamp.
    """
    path = sqlite_path(url)
    if dest is not None:
        dest = guard_output(dest, force=force, protect=[path] if path else [], database_allowed=True)
    tag = tag or f"backup-{_stamp()}"
    if path is not None:
        if not path.exists():
            raise UserError(f"There is no database at {path} to back up.")
        key = encryption.url_key(url)
        _inspect_sqlite_file(path, full_check=True, key=key)
        return backup_sqlite(path, dest, tag=tag, key=key)
    return backup_server(url, dest, tag=tag)


def _upgrade(connection: Any) -> None:
    from alembic import command  # imported here: about a second, needed only when a change is due
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(Path(__file__).with_name("migrations")))
    cfg.attributes["connection"] = connection
    command.upgrade(cfg, "head")


def run_migrations(engine: Engine) -> None:
    """Bring the schema to this build's head and seed the catalogue, all in one transaction.

    SQLite: under ``BEGIN IMMEDIATE`` (see the module docstring). PostgreSQL: under an advisory
    lock, so a second rpdesk opening the same new database waits and then finds it done.
    """
    db = Database(engine)
    with engine.connect() as connection:
        connection.execution_options(rpdesk_immediate=True)
        with connection.begin():
            if connection.dialect.name == "postgresql":
                connection.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": SCHEMA_LOCK})
            _upgrade(connection)
            seed_catalogue(db, connection)


def seed_catalogue(db: Database, connection: Any) -> None:
    """Put the default issue catalogue and partner list into a new database (in the caller's transaction)."""
    from rpdesk.db.catalogue import ensure_default_catalogue

    with db.sessions(bind=connection) as s:
        ensure_default_catalogue(s)
        s.flush()


def _build_pid(path: Path, target: Path) -> int | None:
    tail = path.name[len(f".{target.name}{BUILD_MARK}") :]
    digits = tail.split("-", 1)[0]
    return int(digits) if digits.isdigit() else None


def _process_alive(pid: int, leftover: Path) -> bool:
    if sys.platform == "win32":  # no cheap, safe check of a process there: an hour-old build is abandoned
        return time.time() - leftover.stat().st_mtime < STALE_PART_SECONDS
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _remove_sqlite_files(path: Path) -> None:
    for p in (path, *(path.with_name(path.name + s) for s in SQLITE_SIDECARS)):
        p.unlink(missing_ok=True)


def _remove_abandoned_builds(target: Path) -> None:
    """Delete new-database builds beside ``target`` whose builder was killed (its process is gone).

    A ``db encrypt`` killed after its rename leaves the plain original under a second name: its
    bytes are overwritten first (see :mod:`rpdesk.db.conversion`).
    """
    if not target.parent.is_dir():
        return
    for leftover in target.parent.glob(f".{target.name}{BUILD_MARK}*"):
        pid = _build_pid(leftover, target)
        if pid is None or leftover.name.endswith(SQLITE_SIDECARS) or _process_alive(pid, leftover):
            continue
        if leftover.name.endswith(PLAIN_MARK) and not (target.exists() and os.path.samefile(leftover, target)):
            shred(leftover)  # a killed `db encrypt`'s plain original, no longer the database: overwrite it
        _remove_sqlite_files(leftover)


def _create_sqlite(url: URL, path: Path) -> None:
    """Build a new database beside ``path`` and move it into place only when complete.

    When another process created the database meanwhile, theirs is kept and this build discarded.
    """
    private_dir(path.parent)
    build = path.with_name(f".{path.name}{BUILD_MARK}{os.getpid()}")
    _remove_sqlite_files(build)
    try:
        engine = make_engine(url.set(database=str(build)))
        try:
            run_migrations(engine)
        finally:
            engine.dispose()  # the last connection checkpoints and removes the -wal file
        make_private(build)
        if path.exists():
            for stale in SQLITE_SIDECARS:  # a killed creation's -wal must never be replayed into the new file
                path.with_name(path.name + stale).unlink(missing_ok=True)
            os.replace(build, path)  # an empty file, or only the empty tables of a killed creation
        else:
            try:
                os.link(build, path)  # fails if somebody else's database landed first
            except FileExistsError:
                pass
            except OSError:
                os.replace(build, path)  # a file system without hard links (FAT on a USB stick)
    finally:
        _remove_sqlite_files(build)


def open_database(
    url: str | URL | None = None,
    *,
    upgrade: bool = True,
    create: bool = True,
    key: str | None = None,
    ask_key: encryption.AskKey | None = None,
    encrypt: bool | None = None,
) -> Database:
    """Open the ward database at ``url`` (default: :func:`rpdesk.db.location.resolve_database`).

    ``create=False`` (every command except ``db init`` and ``demo``) refuses a database that does not
    exist yet, or holds nothing, instead of creating it: a mistyped path must not leave an empty
    database, or folders, behind. See the module docstring for the order of the checks.

    An encrypted SQLite file opens with ``key``, else the key its URL carries, the environment's or
    the keyring's, else what ``ask_key`` returns (:func:`rpdesk.db.encryption.with_key`); a new
    one is encrypted when ``encrypt`` says so (None: in portable mode, or when a key is given).
    """
    from rpdesk.db.location import resolve_database

    parsed = make_url(url or resolve_database().url)
    path = sqlite_path(parsed)
    if path is not None:
        _remove_abandoned_builds(path)
        parsed = encryption.with_key(parsed, path, key=key, ask=ask_key, create=create, encrypt=encrypt)
    status = inspect_schema(parsed)
    if status.state is SchemaState.EMPTY and not create:
        raise DatabaseMissing(missing_message(parsed, path))
    if status.state is SchemaState.OLDER and not upgrade:
        raise DatabaseRefused(
            f"{describe(parsed)} uses an older schema ({status.revision}); run 'rpdesk-cli db upgrade' first."
        )
    if status.state is SchemaState.OLDER:
        if path is not None:
            _inspect_sqlite_file(path, full_check=True, key=encryption.url_key(parsed))
        backup(parsed, tag=f"before-{schema.HEAD}")
    if path is not None and status.state is SchemaState.EMPTY:
        _create_sqlite(parsed, path)
        status = inspect_schema(parsed, full_check=False)
    db = Database(make_engine(parsed), parsed)
    if status.state is not SchemaState.CURRENT:
        run_migrations(db.engine)
    return db


def missing_message(url: URL | str, path: Path | None) -> str:
    """What to say about a database that does not exist or holds nothing, and how to make one.

    ``url`` may be given as text (the GUI names it so, and leaves SQLAlchemy to the database layer).
    """
    make = "Create one with 'rpdesk-cli db init' (or 'rpdesk-cli demo' for demo wards), or name another with --db."
    if path is None:
        return f"The database {describe(make_url(url))} holds no rpdesk data yet. {make}"
    if path.exists():
        return f"{path} is an empty file, not an rpdesk database. {make}"
    return f"There is no database at {path}. {make}"


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
    from rpdesk.db.catalogue import catalogue_problems

    with db.session() as s:
        problems.extend(catalogue_problems(s))
    return problems
