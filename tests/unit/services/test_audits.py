"""EVA walks and findings entered by hand: validation in words, edits that detect a concurrent change."""

from __future__ import annotations

import datetime as dt

import pytest

from rpdesk.errors import ConflictError, UserError
from rpdesk.services.audits import add_observation, add_visit, choices, get_observation, update_observation
from rpdesk.services.wards import add_ward

FINDING = {
    "issue": "fly_tipping",
    "location": "Canal Walk, by the bridge",
    "severity": 4,
    "count": 2,
    "partner": "Council street scene",
    "reference": "CRM-1",
    "status": "referred",
}


@pytest.fixture
def visit(db):
    with db.session() as s:
        ward = add_ward(s, "E05000010", "Eastgate")
        return add_visit(s, ward.id, dt.date(2026, 9, 3), "PCSO Lee, resident rep", "Canal Walk", None)


def test_finding_is_saved_with_issue_and_partner(db, visit):
    with db.session() as s:
        oid = add_observation(s, visit, dict(FINDING))
    with db.session() as s:
        info = get_observation(s, oid)
    assert (info.issue, info.partner, info.severity, info.count, info.status) == (
        "fly_tipping",
        "Council street scene",
        4,
        2,
        "referred",
    )
    with db.session() as s:
        offered = choices(s)
    assert ("fly_tipping", "Fly-tipping") in offered.issues and "Highways" in offered.partners


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"severity": 6}, "expected a whole number from 1 to 5"),
        ({"count": 0}, "at least 1"),
        ({"location": "  "}, "where it was seen"),
        ({"issue": "unicorns"}, "no issue 'unicorns'"),
    ],
)
def test_bad_finding_is_refused_in_words(db, visit, change, message):
    with pytest.raises(UserError, match=message), db.session() as s:
        add_observation(s, visit, {**FINDING, **change})


def test_walk_needs_auditors(db):
    with db.session() as s:
        ward = add_ward(s, "E05000011", "Fenham")
    with pytest.raises(UserError, match="who walked"), db.session() as s:
        add_visit(s, ward.id, dt.date(2026, 9, 3), " ", None, None)


def test_edit_from_a_stale_copy_is_a_conflict(db, visit):
    with db.session() as s:
        oid = add_observation(s, visit, dict(FINDING))
        version = get_observation(s, oid).version
    with db.session() as s:
        update_observation(s, oid, version, {"status": "resolved", "resolved_on": dt.date(2026, 9, 20)})
    with pytest.raises(ConflictError), db.session() as s:
        update_observation(s, oid, version, {"severity": 2})
    with db.session() as s:
        info = get_observation(s, oid)
    assert (info.status, info.severity) == ("resolved", 4)


def test_a_walk_in_the_future_is_refused(db):
    with db.session() as s:
        ward = add_ward(s, "E05000012", "Heaton")
    with pytest.raises(UserError, match="in the future"), db.session() as s:
        add_visit(s, ward.id, dt.date(2026, 9, 4), "PCSO Lee", None, None, today=dt.date(2026, 9, 3))


def test_an_edit_is_checked_on_the_finding_as_it_would_be_after_it(db, visit):
    with db.session() as s:
        oid = add_observation(s, visit, dict(FINDING))
        version = get_observation(s, oid).version
    with pytest.raises(UserError, match="needs the date it was put right"), db.session() as s:
        update_observation(s, oid, version, {"status": "resolved"})
    with pytest.raises(UserError, match="which partner"), db.session() as s:
        update_observation(s, oid, version, {"partner": None})  # it stays referred
    with db.session() as s:
        assert get_observation(s, oid).version == version  # nothing written
