"""Review and disposal: what is past its retention period is listed, then removed so no trace of it is
left in the database file; what is younger than its period is untouched."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from sqlalchemy import select

from rpdesk.db.database import Database
from rpdesk.db.models import (
    Abstraction,
    AuditVisit,
    ChangeLog,
    DutyRecord,
    Officer,
    Posting,
    SurveyResponse,
    SurveyRound,
    Ward,
)
from rpdesk.domain.vocabulary import AbstractionReason, OfficerRole
from rpdesk.services import audit, retention
from rpdesk.settings import Settings

TODAY = dt.date(2026, 11, 28)
OLD = dt.date(2023, 1, 10)  # before every default period
YOUNG = dt.date(2025, 12, 1)  # inside every default period (24 months: kept from 2024-11-01)
GONE = "ZEBRA-OLDCOMMENT the man at number 7 deals from his van"
KEPT = "QUOKKA-NEWCOMMENT lights out on Mill Lane"
OLD_NOTE = "HERON-OLDEVA needles behind the garages"
OLD_ABSTRACTION = "OTTER-OLDNOTE court, Smith trial"
LEAVER = "Pat Leaver-Gannet"


def _ward(s, code: str, name: str) -> Ward:
    ward = Ward(code=code, name=name)
    s.add(ward)
    s.flush()
    return ward


def _fill(db: Database) -> None:
    """Two wards: old and young comments, an old EVA note, an officer who left long ago with a noted abstraction."""
    with db.session() as s:
        north, south = _ward(s, "E05000001", "Northgate"), _ward(s, "E05000002", "Southgate")
        for ward in (north, south):
            rnd = SurveyRound(ward_id=ward.id, name="Door-step 2023")
            s.add(rnd)
            s.flush()
            s.add_all(
                [
                    SurveyResponse(
                        round_id=rnd.id, respondent=f"{ward.code}-1", date=OLD, comments=f"{GONE} {ward.code}"
                    ),
                    SurveyResponse(
                        round_id=rnd.id,
                        respondent=f"{ward.code}-2",
                        date=OLD + dt.timedelta(days=40),
                        comments=f"{GONE} again {ward.code}",
                    ),
                    SurveyResponse(round_id=rnd.id, respondent=f"{ward.code}-3", date=YOUNG, comments=KEPT),
                ]
            )
        s.add(AuditVisit(ward_id=north.id, date=OLD, auditors="PCSO Lane", notes=OLD_NOTE))
        s.add(AuditVisit(ward_id=north.id, date=YOUNG, auditors="PCSO Lane", notes="kept visit note"))
        leaver = Officer(collar="PC909", name=LEAVER, role=OfficerRole.PC, email="leaver@example.police.uk")
        stayer = Officer(collar="PC101", name="Sam Stayer", role=OfficerRole.PC)
        s.add_all([leaver, stayer])
        s.flush()
        s.add(Posting(officer_id=leaver.id, ward_id=north.id, start_date=dt.date(2020, 1, 1), end_date=OLD))
        s.add(Posting(officer_id=stayer.id, ward_id=north.id, start_date=dt.date(2020, 1, 1)))
        duty = DutyRecord(officer_id=leaver.id, ward_id=north.id, date=dt.date(2022, 6, 1), rostered_hours=8)
        s.add(duty)
        s.flush()
        s.add(Abstraction(duty_id=duty.id, hours=3, reason=AbstractionReason.SCENE_GUARD, note=OLD_ABSTRACTION))


def _state(db: Database) -> dict[str, object]:
    with db.session() as s:
        return {
            "comments": sorted(c for c in s.scalars(select(SurveyResponse.comments)) if c),
            "notes": sorted(n for n in s.scalars(select(AuditVisit.notes)) if n),
            "abstraction": list(s.scalars(select(Abstraction.note))),
            "hours": list(s.scalars(select(Abstraction.hours))),
            "officers": sorted(tuple(r) for r in s.execute(select(Officer.collar, Officer.name, Officer.email))),
        }


def test_review_lists_exactly_what_apply_removes_and_nothing_younger_is_touched(db):
    _fill(db)
    settings = Settings.load()
    with db.session() as s:
        due = [g.as_row() for g in retention.review(s, settings, TODAY)]
    assert [(r["kind"], r["ward"], r["count"], r["oldest"]) for r in due] == [
        ("survey_comments", "E05000001", 2, OLD.isoformat()),
        ("survey_comments", "E05000002", 2, OLD.isoformat()),
        ("eva_notes", "E05000001", 1, OLD.isoformat()),
        ("abstraction_notes", "E05000001", 1, "2022-06-01"),
        ("former_officers", "E05000001", 1, OLD.isoformat()),
    ]

    done = retention.apply(db, settings, TODAY)

    assert [g.as_row() for g in done.groups] == due
    after = _state(db)
    assert after["comments"] == [KEPT, KEPT]
    assert after["notes"] == ["kept visit note"]
    assert after["abstraction"] == [None] and after["hours"] == [3]  # the hours still count for the ring-fence
    collars = [c for c, _n, _e in after["officers"]]  # type: ignore[attr-defined]
    assert "PC101" in collars and "PC909" not in collars
    assert (retention.FORMER_OFFICER, None) in [(n, e) for _c, n, e in after["officers"]]  # type: ignore[attr-defined]
    with db.session() as s:
        log = s.execute(select(ChangeLog.table_name, ChangeLog.operation, ChangeLog.changes)).all()
        assert retention.review(s, settings, TODAY) == []  # nothing left due; a second apply changes nothing
    text = " ".join(c for _t, _o, c in log)
    assert GONE not in text and OLD_NOTE not in text and OLD_ABSTRACTION not in text and LEAVER not in text
    assert KEPT in text  # the young comment's own insert entry is untouched
    erased = {t: json.loads(c) for t, o, c in log if o == retention.ERASE}
    assert erased["survey_response"]["wards"] == {"E05000001": 2, "E05000002": 2}
    assert set(erased) == {"survey_response", "audit_visit", "abstraction", "officer"}
    _assert_verify_accepts_only_the_recorded_redactions(db)


def test_a_shorter_period_makes_younger_records_due_and_the_change_log_loses_old_values(db):
    _fill(db)
    settings = Settings.load()
    settings.values["retention_survey_comments_months"] = 6
    settings.values["retention_change_log_months"] = 1
    later = TODAY + dt.timedelta(days=70)  # the change-log entries written today are now over a month old
    with db.session() as s:
        due = {(g.kind, g.ward): g.count for g in retention.review(s, settings, later)}
    assert due[("survey_comments", "E05000001")] == 3
    assert due[("change_log_values", None)] > 0
    retention.apply(db, settings, later)
    with db.session() as s:
        assert not [c for c in s.scalars(select(SurveyResponse.comments)) if c]
        kept = [c for o, c in s.execute(select(ChangeLog.operation, ChangeLog.changes)) if o != retention.ERASE]
    assert kept and set(kept) == {"{}"}
    _assert_verify_accepts_only_the_recorded_redactions(db)


def _assert_verify_accepts_only_the_recorded_redactions(db: Database) -> None:
    """The chain still verifies after disposal; the same kind of edit made by hand afterwards is tampering."""
    with db.session() as s:
        assert audit.verify(s).ok
        s.add(Ward(code="E05000009", name="Later Ward"))  # an entry written after the disposal
    with db.session() as s:
        later = s.scalar(select(ChangeLog.id).order_by(ChangeLog.seq.desc()).limit(1))
    for forged in ('{"name": "[removed]"}', "{}"):
        with db.engine.begin() as con:
            con.exec_driver_sql(f"UPDATE change_log SET changes = '{forged}' WHERE id = {later}")
        with db.session() as s:
            verdict = audit.verify(s)
        assert verdict.entry_id == later and "changed" in (verdict.problem or "")


def test_applied_disposal_leaves_no_trace_in_the_sqlite_file_or_its_wal(tmp_path: Path):
    from rpdesk.db.database import open_database

    path = tmp_path / "ward.sqlite"
    db = open_database(f"sqlite:///{path}")
    try:
        _fill(db)
        sidecars = [path, path.with_name(path.name + "-wal")]
        before = b"".join(p.read_bytes() for p in sidecars if p.exists())
        assert GONE.encode() in before and LEAVER.encode() in before  # the check below can fail
        retention.apply(db, Settings.load(), TODAY)
        after = b"".join(p.read_bytes() for p in sidecars if p.exists())
    finally:
        db.dispose()
    for gone in (GONE, OLD_NOTE, OLD_ABSTRACTION, LEAVER):
        assert gone.encode() not in after, gone
    assert KEPT.encode() in after


@pytest.mark.postgres
def test_on_postgresql_the_old_row_versions_are_rewritten_away(postgres_server):
    from rpdesk.db.database import open_database
    from tests.conftest import new_postgres_url

    db = open_database(new_postgres_url(postgres_server))
    try:
        _fill(db)
        done = retention.apply(db, Settings.load(), TODAY)
        assert "VACUUM FULL" in done.cleaned and "ask the database owner" not in done.cleaned
        with db.engine.connect() as con:
            files = [con.exec_driver_sql(f"SELECT pg_relation_filepath('{t}')").scalar() for t in ("survey_response",)]
            data_dir = con.exec_driver_sql("SHOW data_directory").scalar()
            con.exec_driver_sql("CHECKPOINT")
    finally:
        db.dispose()
    content = b"".join((Path(str(data_dir)) / str(f)).read_bytes() for f in files)
    assert KEPT.encode() in content and GONE.encode() not in content
