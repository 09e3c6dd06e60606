"""Small hand-made ward evidence for the signals service tests (not a test module)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from rpdesk.db import models as m
from rpdesk.services.tallies import refresh_tallies
from rpdesk.services.wards import add_ward

WARD = "E05000001"
LSOAS = ("E01000001", "E01000002")


def make_ward(session: Session, code: str = WARD) -> int:
    return add_ward(session, code, "Test Ward", lsoas=list(LSOAS)).id


def issue_ids(session: Session) -> dict[str, int]:
    return {code: id_ for code, id_ in session.execute(select(m.Issue.code, m.Issue.id))}


def add_round(
    session: Session,
    ward_id: int,
    name: str,
    start: dt.date,
    answers: dict[str, Sequence[tuple[int | None, bool | None]]],
    *,
    days: int = 30,
    confidence: Sequence[int] = (),
) -> int:
    """A round whose respondent i answered ``answers[code][i]`` = (problem, effect) for each issue.

    All lists must be equally long (one entry per respondent); ``confidence[i]`` is conf_good_job.
    """
    ids = issue_ids(session)
    rnd = m.SurveyRound(ward_id=ward_id, name=name, start_date=start, end_date=start + dt.timedelta(days=days))
    session.add(rnd)
    session.flush()
    count = max((len(v) for v in answers.values()), default=len(confidence))
    for i in range(count):
        response = m.SurveyResponse(
            round_id=rnd.id,
            respondent=f"{name}-{i}",
            date=start + dt.timedelta(days=i % days),
            conf_good_job=confidence[i] if i < len(confidence) else None,
        )
        response.answers = [
            m.SurveyAnswer(issue_id=ids[code], problem=values[i][0], effect=values[i][1])
            for code, values in answers.items()
            if values[i] != (None, None)
        ]
        session.add(response)
    session.flush()
    refresh_tallies(session, [rnd.id])  # as every import does
    return rnd.id


def add_audit(session: Session, ward_id: int, day: dt.date, observations: Sequence[tuple[str, int, int]]) -> None:
    """An EVA walk on ``day`` with (issue code, severity, count) observations."""
    ids = issue_ids(session)
    visit = m.AuditVisit(ward_id=ward_id, date=day, auditors="PC 1")
    visit.observations = [
        m.AuditObservation(issue_id=ids[c], location="High St", severity=s, count=n) for c, s, n in observations
    ]
    session.add(visit)
    session.flush()


def add_crimes(session: Session, ward_id: int, month: dt.date, crime_type: str, n: int) -> None:
    for _ in range(n):
        session.add(m.CrimeRecord(ward_id=ward_id, month=month, crime_type=crime_type, lsoa_code=LSOAS[0]))
    session.flush()


def ratings(n: int, big: int, effect_yes: int = 0) -> list[tuple[int | None, bool | None]]:
    """``n`` answers of which the first ``big`` rate the issue 3 (the rest 0) and ``effect_yes`` say yes."""
    return [(3 if i < big else 0, i < effect_yes) for i in range(n)]
