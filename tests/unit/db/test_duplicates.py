"""The database refuses a doubled import itself, and an upgrade removes the doubles an older one holds."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from rpdesk.db import models as m
from rpdesk.db import schema
from rpdesk.db.database import open_database
from rpdesk.domain.vocabulary import ImportKind
from rpdesk.errors import ConflictError
from rpdesk.services.wards import add_ward
from tests.support.schema import OLD_WARD, database_at

BEFORE = schema.REVISIONS[schema.REVISIONS.index("0004_no_duplicates") - 1]  # the revision before the keys


def _batch(ward_id: int, sha: str, kind: ImportKind = ImportKind.CRIMES) -> m.ImportBatch:
    return m.ImportBatch(ward_id=ward_id, kind=kind, file_name="f.csv", sha256=sha, rows=0, imported_by="t")


def test_same_file_twice_in_a_ward_is_refused_by_the_database(db):
    with db.session() as s:
        ward_id = add_ward(s, "E05000001", "One").id
        s.add(_batch(ward_id, "a" * 64))
    with pytest.raises(ConflictError, match="same moment"), db.session() as s:
        s.add(_batch(ward_id, "a" * 64))
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(m.ImportBatch)) == 1
        s.add(_batch(ward_id, "a" * 64, ImportKind.AUDITS))  # another kind: a different import
        s.add(_batch(ward_id, "d" * 64, ImportKind.DUTY))
        s.add(_batch(ward_id, "d" * 64, ImportKind.DUTY))  # rosters are guarded per officer-day instead


def test_a_month_from_two_imports_is_refused_by_the_database(db):
    with db.session() as s:
        ward_id = add_ward(s, "E05000001", "One").id
        s.add(m.CrimeMonth(ward_id=ward_id, month=dt.date(2026, 9, 1)))
    with pytest.raises(IntegrityError), db.sessions() as s, s.begin():
        s.add(m.CrimeMonth(ward_id=ward_id, month=dt.date(2026, 9, 1)))


def _at_previous_revision(url: str) -> None:
    batches = [(1, "a" * 64, 3), (2, "a" * 64, 3), (3, "b" * 64, 2)]  # 1 and 2: one file imported twice
    rows = [(1, "2026-08-01"), (1, "2026-08-01"), (1, "2026-09-01")]  # batch 1: August x2, September
    rows += [(2, "2026-08-01"), (2, "2026-08-01"), (2, "2026-09-01")]  # batch 2: the same again
    rows += [(3, "2026-09-01"), (3, "2026-10-01")]  # batch 3: another file, September again and October
    database_at(
        url,
        BEFORE,
        OLD_WARD,
        *(
            "INSERT INTO import_batch (id, ward_id, kind, file_name, sha256, rows, imported_at, imported_by) "
            f"VALUES ({batch_id}, 1, 'crimes', 'f{batch_id}.csv', '{sha}', {n}, '2026-01-01', 't')"
            for batch_id, sha, n in batches
        ),
        *(
            "INSERT INTO crime_record (ward_id, import_id, month, crime_type) "
            f"VALUES (1, {batch_id}, '{month}', 'Burglary')"
            for batch_id, month in rows
        ),
    )


def test_upgrade_keeps_the_first_import_of_a_doubled_file_and_month(db_url, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))  # where a PostgreSQL backup goes
    _at_previous_revision(db_url)
    database = open_database(db_url)
    try:
        with database.session() as s:
            batches = {b.id: b.rows for b in s.scalars(select(m.ImportBatch))}
            assert batches == {1: 3, 3: 1}  # the second copy of file 'a' removed; 'b' lost its September row
            by_month = s.execute(
                select(m.CrimeRecord.month, m.CrimeRecord.import_id, func.count())
                .group_by(m.CrimeRecord.month, m.CrimeRecord.import_id)
                .order_by(m.CrimeRecord.month)
            ).all()
            assert [(d.month, i, n) for d, i, n in by_month] == [(8, 1, 2), (9, 1, 1), (10, 3, 1)]
            months = s.execute(select(m.CrimeMonth.month, m.CrimeMonth.import_id).order_by(m.CrimeMonth.month)).all()
            assert [(d.month, i) for d, i in months] == [(8, 1), (9, 1), (10, 3)]
    finally:
        database.dispose()
