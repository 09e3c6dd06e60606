"""Databases at an older schema revision, with rows in them, as an older rpdesk would have left them."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine

from rpdesk.db import schema

OLD_WARD = (
    "INSERT INTO ward (id, code, name, language, created_at, version) "
    "VALUES (1, 'E05000099', 'Old Ward', 'en', '2025-01-01', 1)"
)


def database_at(url: str, revision: str, *statements: str) -> None:
    """Migrate the empty database at ``url`` to ``revision`` only, then run ``statements`` in the same transaction."""
    cfg = Config()
    cfg.set_main_option("script_location", str(Path(schema.__file__).with_name("migrations")))
    engine = create_engine(url)
    try:
        with engine.begin() as con:
            cfg.attributes["connection"] = con
            command.upgrade(cfg, revision)
            for statement in statements:
                con.exec_driver_sql(statement)
    finally:
        engine.dispose()
