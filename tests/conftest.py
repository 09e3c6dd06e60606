"""Shared fixtures: Qt offscreen, fresh SQLite files and a real PostgreSQL server per test session."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before any QApplication exists

import itertools
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from rpdesk.db.database import Database, open_database
from tests.support.postgres import PostgresServer

_pg_server: PostgresServer | None = None
_pg_skip_reason: str | None = None
_counter = itertools.count()

ROOT = Path(__file__).parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        path = Path(str(item.fspath)).resolve()
        if ROOT / "gui" in path.parents:
            item.add_marker(pytest.mark.gui)


@pytest.fixture(autouse=True)
def _isolated_user_folders(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads or writes the real per-user data, config or machine settings."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("RPDESK_MACHINE_SETTINGS", str(home / "machine-settings.json"))
    monkeypatch.delenv("RPDESK_DB", raising=False)
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")  # never the machine's keyring
    monkeypatch.delenv("RPDESK_DB_KEY", raising=False)
    monkeypatch.delenv("RPDESK_DB_KEY_FILE", raising=False)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """The session's PostgreSQL server; the tests that need it skip (with the reason) where none can start."""
    global _pg_server, _pg_skip_reason
    if _pg_server is None and _pg_skip_reason is None:
        try:
            _pg_server = PostgresServer.start()
        except (FileNotFoundError, KeyError) as exc:
            _pg_skip_reason = f"PostgreSQL not available: {exc}"
    if _pg_server is None:
        pytest.skip(_pg_skip_reason or "PostgreSQL not available")
    yield _pg_server


def pytest_sessionfinish(session: pytest.Session) -> None:
    global _pg_server
    if _pg_server is not None:
        _pg_server.stop()
        _pg_server = None


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if _pg_skip_reason:
        terminalreporter.write_line(f"NOTE: PostgreSQL tests were skipped: {_pg_skip_reason}", yellow=True)


def new_postgres_url(server: PostgresServer) -> str:
    name = f"t{os.getpid()}_{next(_counter)}"
    engine = create_engine(server.admin_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as con:
        con.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return server.url(name)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A URL of a new, empty database on each backend: an SQLite file, and a PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'ward.sqlite'}"
    server = request.getfixturevalue("postgres_server")
    return new_postgres_url(server)


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    """An open, migrated, catalogue-seeded database on each backend."""
    database = open_database(db_url)
    yield database
    database.dispose()


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small demo database built once per session (2 wards, 2 years, fixed 'today')."""
    import datetime as dt

    from rpdesk.demo import build_demo

    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    database = open_database(f"sqlite:///{path}")
    build_demo(database, wards=2, years=2, seed=7, today=dt.date(2026, 10, 31))
    with database.engine.connect() as con:
        con.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    database.dispose()
    return path


@pytest.fixture
def demo_db(demo_template: Path, tmp_path: Path) -> Iterator[Database]:
    """A private copy of the demo database (SQLite), for tests that read or change realistic data."""
    path = tmp_path / "demo.sqlite"
    shutil.copyfile(demo_template, path)
    database = open_database(f"sqlite:///{path}")
    yield database
    database.dispose()
