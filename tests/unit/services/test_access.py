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
from rpdesk.services import access, audit
from rpdesk.services.imports import import_surveys
from rpdesk.services.signals import rank_signals
from rpdesk.settings import Settings
from tests.conftest import new_postgres_url
from tests.support.schema import database_at
from tests.unit.services.test_tallies import SAMPLES

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


def _tallied_wards(con) -> list[int]:
    """The wards whose answer tallies the connection sees, read through the tallies' own round ids."""
    rounds = "SELECT round_id FROM answer_tally UNION SELECT round_id FROM response_tally"
    rows = con.execute(text(f"SELECT DISTINCT r.ward_id FROM ({rounds}) t JOIN survey_round r ON r.id = t.round_id"))
    return sorted(rows.scalars())


def _ranked(session) -> list[tuple[str, int, float]]:
    ranking = rank_signals(session, A, round_name="Autumn 2026", settings=Settings())
    return [(r.issue, r.respondents, r.score) for r in ranking.signals]


def _logged_wards(con) -> list[int | None]:
    return sorted(con.execute(text("SELECT DISTINCT ward_id FROM change_log")).scalars(), key=lambda w: w or 0)


def test_tallies_and_the_s62_log_are_read_by_ward_and_an_officer_still_imports_and_ranks(shared):
    db, url = shared
    with db.session() as s:
        for code in (A, B):
            import_surveys(s, SAMPLES / "survey_canonical.csv", code, "Autumn 2026")
        a, b = (s.query(Ward.id).filter(Ward.code == code).scalar() for code in (A, B))
        round_a = s.query(SurveyRound.id).filter(SurveyRound.ward_id == a, SurveyRound.name == "Autumn 2026").scalar()
        owners = _ranked(s)
    officer_a = _login(db, url, "officer", [A])
    supervisor = _login(db, url, "supervisor", [])
    with officer_a.connect() as con:
        assert _tallied_wards(con) == [a]
        assert con.execute(text("SELECT DISTINCT round_id FROM answer_tally")).scalars().all() == [round_a]
        assert _logged_wards(con) == [a]  # not ward B's entries, nor the owner's entries with no ward
        other_rounds = text("UPDATE answer_tally SET answered = 0 WHERE round_id <> :r")
        assert con.execute(other_rounds, {"r": round_a}).rowcount == 0
        con.rollback()
        planted = "INSERT INTO change_log (seq, at, os_user, db_role, activity, table_name, ward_id, operation, "
        planted += "changes, changes_sha256, prev_hash, hash) VALUES (999, now(), 'x', :role, 'collection', 'ward', "
        planted += ":w, 'insert', '{}', 'x', 'x', 'x')"
        for role, ward in (("current_user", b), ("'someone_else'", a), ("'someone_else'", None)):
            with pytest.raises(DBAPIError, match="row-level security"):
                con.execute(text(planted.replace(":role", role)), {"w": ward})
            con.rollback()
    officer_a.dispose()

    as_officer = open_database(make_url(url).set(username=officer_a.url.username), create=False)
    with as_officer.session() as s:  # re-importing rewrites ward A's responses, tallies and log entries
        import_surveys(s, SAMPLES / "survey_canonical.csv", A, "Autumn 2026", replace=True)
    with as_officer.session() as s:
        assert _ranked(s) == owners  # the officer's tallies give the ranking the owner saw
        with pytest.raises(UserError, match="verify it as a supervisor or administrator"):
            audit.verify(s)
    as_officer.dispose()

    with supervisor.connect() as con:
        assert _tallied_wards(con) == sorted([a, b])
        assert {a, b, None} <= set(_logged_wards(con))
    supervisor.dispose()
    as_supervisor = open_database(make_url(url).set(username=supervisor.url.username), create=False)
    with as_supervisor.session() as s:  # the officer's appends continued the one chain
        verdict = audit.verify(s)
        assert verdict.ok and verdict.checked == s.execute(text("SELECT count(*) FROM change_log")).scalar_one()
        logged_by_officer = "SELECT count(*) FROM change_log WHERE db_role = :r AND ward_id = :w"
        assert s.execute(text(logged_by_officer), {"r": officer_a.url.username, "w": a}).scalar_one() >= 1
    as_supervisor.dispose()


def test_a_login_granted_before_the_upgrade_reaches_the_tallies_and_the_chain_head_after_it(
    postgres_server, tmp_path, monkeypatch
):
    url = new_postgres_url(postgres_server)
    name = f"officer_{os.getpid()}_{next(_names)}"
    database_at(  # granted at 0007, before the chain head (0008) and the tallies (0009) existed
        url,
        "0007_ward_access",
        f"CREATE ROLE {name} LOGIN",
        f"INSERT INTO access_role (login, role) VALUES ('{name}', 'officer')",
        f"GRANT USAGE ON SCHEMA public TO {name}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {name}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {name}",
    )
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))  # the upgrade's backup
    db = open_database(url)
    with db.session() as s:
        s.add(Ward(code=A, name="Ward A"))
        s.flush()
        s.execute(text("INSERT INTO access_grant (login, ward_id) SELECT :n, id FROM ward"), {"n": name})
    db.dispose()
    as_officer = open_database(make_url(url).set(username=name), create=False)
    with as_officer.session() as s:
        import_surveys(s, SAMPLES / "survey_canonical.csv", A, "Autumn 2026")
    with as_officer.session() as s:
        assert s.execute(text("SELECT sum(respondents) FROM response_tally")).scalar_one() == 60
        assert s.execute(text("SELECT seq FROM audit_head")).scalar_one() >= 1
    as_officer.dispose()
