"""Opening databases: new, current, corrupt, foreign, newer; backups; the schema matches the migrations."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import func, select

from rpdesk.db import schema
from rpdesk.db.database import backup, check_database, open_database
from rpdesk.db.models import Base, Issue, PartnerAgency, Ward
from rpdesk.domain.catalogue import DEFAULT_ISSUES
from rpdesk.errors import DatabaseRefused


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_new_database_is_migrated_and_seeded(db):
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(Issue)) == len(DEFAULT_ISSUES)
        drugs = s.scalar(select(Issue).where(Issue.code == "drugs"))
        assert [c.crime_type for c in drugs.crime_types] == ["Drugs"]
        assert s.scalar(select(func.count()).select_from(PartnerAgency)) > 0
    assert check_database(db) == []


def test_schema_from_migrations_matches_models(db):
    with db.engine.connect() as con:
        diffs = compare_metadata(MigrationContext.configure(con, opts={"compare_type": True}), Base.metadata)
    assert diffs == []


def test_known_revisions_match_migration_scripts():
    cfg = Config()
    cfg.set_main_option("script_location", str(Path(schema.__file__).with_name("migrations")))
    scripts = ScriptDirectory.from_config(cfg)
    chain = [rev.revision for rev in reversed(list(scripts.walk_revisions()))]
    assert tuple(chain) == schema.REVISIONS
    assert scripts.get_current_head() == schema.HEAD


def test_sqlite_connection_settings(tmp_path):
    database = open_database(f"sqlite:///{tmp_path / 'w.sqlite'}")
    with database.engine.connect() as con:
        assert con.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert con.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert con.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
    database.dispose()


def test_reopening_a_current_database_changes_nothing_and_makes_no_backup(tmp_path):
    path = tmp_path / "w.sqlite"
    open_database(f"sqlite:///{path}").dispose()
    open_database(f"sqlite:///{path}").dispose()
    assert not list(tmp_path.glob("*backup*")) and not list(tmp_path.glob("*before*"))


@pytest.mark.parametrize(
    "content",
    [b"Name,Date\nAlice,2026-01-01\n", b"\x00" * 4096, b"PK\x03\x04 an xlsx really" + bytes(range(256))],
    ids=["csv", "zeros", "zip"],
)
def test_non_database_file_is_refused_and_untouched(tmp_path, content):
    path = tmp_path / "notes.sqlite"
    path.write_bytes(content)
    before = digest(path)
    with pytest.raises(DatabaseRefused, match="not an SQLite database"):
        open_database(f"sqlite:///{path}")
    assert digest(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.sqlite"]


def _corrupt(path: Path) -> None:
    data = bytearray(path.read_bytes())
    page = 4096
    for offset in range(page * 2, len(data), page * 3):  # scramble pages after the schema page
        data[offset : offset + 600] = bytes((i * 37) % 256 for i in range(600))
    path.write_bytes(bytes(data))


def test_corrupt_database_is_refused_and_untouched(demo_template, tmp_path):
    path = tmp_path / "ward.sqlite"
    path.write_bytes(demo_template.read_bytes())
    _corrupt(path)
    before = digest(path)
    with pytest.raises(DatabaseRefused, match="damaged"):
        open_database(f"sqlite:///{path}")
    assert digest(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ward.sqlite"]


def test_database_from_newer_rpdesk_is_refused_and_untouched(tmp_path):
    path = tmp_path / "w.sqlite"
    open_database(f"sqlite:///{path}").dispose()
    con = sqlite3.connect(path)
    con.execute("PRAGMA journal_mode=DELETE")
    con.execute("UPDATE alembic_version SET version_num='9999_future'")
    con.commit()
    con.close()
    before = digest(path)
    with pytest.raises(DatabaseRefused, match="newer version of rpdesk"):
        open_database(f"sqlite:///{path}")
    assert digest(path) == before


def test_other_applications_database_is_refused(tmp_path):
    path = tmp_path / "other.sqlite"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE contacts (id INTEGER PRIMARY KEY, name TEXT)")
    con.commit()
    con.close()
    before = digest(path)
    with pytest.raises(DatabaseRefused, match="not an rpdesk one"):
        open_database(f"sqlite:///{path}")
    assert digest(path) == before


def test_backup_is_a_complete_copy(demo_db, tmp_path):
    target = backup(demo_db.url, tmp_path / "copy.sqlite")
    copy = open_database(f"sqlite:///{target}")
    with demo_db.session() as a, copy.session() as b:
        assert a.scalar(select(func.count()).select_from(Issue)) == b.scalar(select(func.count()).select_from(Issue))
    assert check_database(copy) == []
    copy.dispose()


def _dump(path: Path) -> list[str]:
    con = sqlite3.connect(path)
    try:
        return list(con.iterdump())
    finally:
        con.close()


def test_older_database_is_backed_up_then_upgraded(tmp_path):
    """A database at the previous revision, with data, is copied beside itself and then upgraded."""
    from alembic import command
    from sqlalchemy import create_engine

    path = tmp_path / "old.sqlite"
    cfg = Config()
    cfg.set_main_option("script_location", str(Path(schema.__file__).with_name("migrations")))
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as con:
        cfg.attributes["connection"] = con
        command.upgrade(cfg, schema.REVISIONS[-2])
        con.exec_driver_sql(
            "INSERT INTO ward (code, name, language, created_at, version) "
            "VALUES ('E05000099', 'Old Ward', 'en', '2025-01-01', 1)"
        )
    engine.dispose()
    before = _dump(path)
    database = open_database(f"sqlite:///{path}")
    backups = list(tmp_path.glob(f"old.before-{schema.HEAD}.sqlite"))
    assert len(backups) == 1
    assert _dump(backups[0]) == before  # the backup holds the old schema and data exactly
    assert check_database(database) == []
    with database.session() as s:
        assert s.scalar(select(Ward.name)) == "Old Ward"
    database.dispose()


@pytest.mark.postgres
def test_older_postgres_database_is_upgraded_in_place(postgres_server, tmp_path, monkeypatch):
    from alembic import command
    from sqlalchemy import create_engine, text

    from tests.conftest import new_postgres_url

    url = new_postgres_url(postgres_server)
    cfg = Config()
    cfg.set_main_option("script_location", str(Path(schema.__file__).with_name("migrations")))
    engine = create_engine(url)
    with engine.begin() as con:
        cfg.attributes["connection"] = con
        command.upgrade(cfg, schema.REVISIONS[-2])
    engine.dispose()
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    database = open_database(url)
    assert list(tmp_path.rglob(f"*.before-{schema.HEAD}.sql"))  # pg_dump wrote a backup first
    with database.engine.connect() as con:
        assert con.execute(text("SELECT version_num FROM alembic_version")).scalar() == schema.HEAD
    database.dispose()
