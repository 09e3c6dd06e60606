"""Ward-scoped access enforced by PostgreSQL: with two real login roles, ward A's officer cannot read
ward B's survey comments nor change its actions, even with raw SQL; a supervisor reads every ward."""

from __future__ import annotations

import datetime as dt
import itertools
import os
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError

from rpdesk.db.database import Database, open_database
from rpdesk.db.failures import explain
from rpdesk.db.models import PartnerAction, SurveyResponse, SurveyRound, Ward
from rpdesk.errors import UserError
from rpdesk.services import access
from tests.conftest import new_postgres_url

pytestmark = pytest.mark.postgres

A, B = "E05000001", "E05000002"
_names = itertools.count()


@pytest.fixture
def shared(postgres_server) -> Iterator[tuple[Database, str]]:
    """A shared database (owned by the test's superuser) with a comment and an action in each of two wards."""
    url = new_postgres_url(postgres_server)
    db = open_database(url)
    with db.session() as s:
        for code in (A, B):
            ward = Ward(code=code, name=f"Ward {code[-1]}")
            s.add(ward)
            s.flush()
            rnd = SurveyRound(ward_id=ward.id, name="Door-step")
            s.add(rnd)
            s.flush()
            s.add(
                SurveyResponse(round_id=rnd.id, respondent="r1", date=dt.date(2026, 5, 1), comments=f"comment {code}")
            )
            s.add(PartnerAction(ward_id=ward.id, title=f"action {code}", owner="PCSO", created_on=dt.date(2026, 5, 2)))
    yield db, url
    db.dispose()


def _login(db: Database, url: str, role: str, wards: list[str]) -> Engine:
    """A new PostgreSQL login role granted ``role`` on ``wards``, and an engine connecting as it."""
    name = f"{role}_{os.getpid()}_{next(_names)}"
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as con:
        con.execute(text(f"CREATE ROLE {name} LOGIN"))
    with db.session() as s:
        access.grant(s, name, role, wards)
    return create_engine(make_url(url).set(username=name))


def test_an_officer_reads_and_changes_only_the_wards_granted_even_with_raw_sql(shared):
    db, url = shared
    officer_a = _login(db, url, "officer", [A])
    with db.session() as s:
        ward_b = s.query(Ward.id).filter(Ward.code == B).scalar()
    with officer_a.connect() as con:
        assert con.execute(text("SELECT comments FROM survey_response")).scalars().all() == [f"comment {A}"]
        assert con.execute(text("SELECT code FROM ward")).scalars().all() == [A]
        changed = con.execute(text("UPDATE partner_action SET title = 'hijacked'"))
        assert changed.rowcount == 1  # ward A's action only
        con.commit()
        with pytest.raises(DBAPIError) as refused:
            con.execute(
                text(
                    "INSERT INTO partner_action (ward_id, title, owner, created_on, status, public, version) "
                    "VALUES (:w, 'planted', 'x', '2026-06-01', 'open', false, 1)"
                ),
                {"w": ward_b},
            )
        con.rollback()
        with pytest.raises(DBAPIError):
            con.execute(text("INSERT INTO access_grant (login, ward_id) VALUES (current_user, :w)"), {"w": ward_b})
        con.rollback()
    officer_a.dispose()
    message = explain(refused.value, "the shared database")
    assert isinstance(message, UserError) and "not among the wards granted" in str(message)
    with db.engine.connect() as con:  # as the owner: ward B's action untouched, nothing planted
        titles = dict(
            con.execute(text("SELECT w.code, a.title FROM partner_action a JOIN ward w ON w.id = a.ward_id")).all()
        )
    assert titles == {A: "hijacked", B: f"action {B}"}


def test_a_supervisor_reads_every_ward_but_writes_only_its_own(shared):
    db, url = shared
    supervisor = _login(db, url, "supervisor", [B])
    with supervisor.connect() as con:
        assert sorted(con.execute(text("SELECT comments FROM survey_response")).scalars()) == [
            f"comment {A}",
            f"comment {B}",
        ]
        assert con.execute(text("UPDATE partner_action SET title = 'edited'")).rowcount == 1
        con.commit()
    supervisor.dispose()
    with db.engine.connect() as con:
        titles = dict(
            con.execute(text("SELECT w.code, a.title FROM partner_action a JOIN ward w ON w.id = a.ward_id")).all()
        )
    assert titles == {A: f"action {A}", B: "edited"}


def test_revoking_takes_the_ward_away_and_list_shows_the_grants(shared):
    db, url = shared
    officer = _login(db, url, "officer", [A, B])
    with db.session() as s:
        listed = {a.login: a for a in access.list_access(s)}
        login = next(iter(listed))
        assert listed[login].wards == (A, B) and listed[login].role == "officer"
        access.revoke(s, login, [B])
    with officer.connect() as con:
        assert con.execute(text("SELECT comments FROM survey_response")).scalars().all() == [f"comment {A}"]
    with db.session() as s:
        assert access.revoke(s, login, []) is None
    with officer.connect() as con, pytest.raises(DBAPIError, match="permission denied"):
        con.execute(text("SELECT comments FROM survey_response"))
    officer.dispose()
    with db.session() as s, pytest.raises(UserError, match="no database login 'nobody_here'"):
        access.grant(s, "nobody_here", "officer", [A])
