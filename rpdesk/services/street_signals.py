"""Signals by street from survey answers, with disclosure control.

A survey's optional ``street`` column says where a respondent lives. Showing an issue's prevalence
for a street with two respondents would all but name them, so a street with fewer than
``street_min_respondents`` (setting, 5) respondents in scope is never shown on its own: such
streets are pooled into one "Other streets" row. If that pool is itself too small, it would still
be revealed by subtracting the shown streets from the ward's total, so the smallest shown streets
join it until it is large enough (secondary suppression); if even the whole ward is too small,
nothing is shown.

Street names are matched ignoring case and spacing; respondents with no street count only in the
ward figures.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from rpdesk.db.models import Issue, SurveyAnswer, SurveyResponse, SurveyRound
from rpdesk.errors import UserError
from rpdesk.services.signals import find_round
from rpdesk.services.wards import get_ward

OTHER_STREETS = "Other streets"


@dataclass(frozen=True)
class StreetSignal:
    """One street (or the pooled rest): respondents who answered the issue and how many rated it 2-3 / said yes."""

    street: str
    streets: int  # how many streets the row stands for (1 unless pooled)
    respondents: int
    big_problem: int
    effect_yes: int
    effect_answered: int

    @property
    def prevalence(self) -> float:
        return self.big_problem / self.respondents if self.respondents else 0.0

    @property
    def effect(self) -> float | None:
        return self.effect_yes / self.effect_answered if self.effect_answered else None

    def row(self) -> dict[str, object]:
        return {
            "street": self.street,
            "streets": self.streets,
            "respondents": self.respondents,
            "prevalence": round(self.prevalence, 3),
            "effect": None if self.effect is None else round(self.effect, 3),
        }


def _key(name: str) -> str:
    return " ".join(name.lower().split())


def street_signals(
    session: Session,
    ward_code: str,
    issue_code: str,
    *,
    round_name: str | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    min_respondents: int = 5,
) -> list[StreetSignal]:
    """Per street, the issue's prevalence among its respondents, best first; small streets pooled (see module)."""
    ward = get_ward(session, ward_code)
    issue_id = session.scalar(select(Issue.id).where(Issue.code == issue_code))
    if issue_id is None:
        raise UserError(f"There is no issue '{issue_code}'.")
    stmt = (
        select(SurveyResponse.street, SurveyAnswer.problem, SurveyAnswer.effect)
        .join(SurveyAnswer, SurveyAnswer.response_id == SurveyResponse.id)
        .join(SurveyRound, SurveyRound.id == SurveyResponse.round_id)
        .where(
            SurveyRound.ward_id == ward.id,
            SurveyAnswer.issue_id == issue_id,
            SurveyAnswer.problem.is_not(None),
            SurveyResponse.street.is_not(None),
        )
    )
    if round_name is not None:
        stmt = stmt.where(SurveyResponse.round_id == find_round(session, ward, round_name).id)
    elif start is not None and end is not None:
        stmt = stmt.where(SurveyResponse.date.between(start, end))
    else:
        raise UserError("Say which survey round, or both the first and the last date of a period.")
    tallies: dict[str, list[int]] = {}
    names: dict[str, str] = {}
    for street, problem, effect in session.execute(stmt):
        if street is None or problem is None or not street.strip():
            continue
        key = _key(street)
        names.setdefault(key, " ".join(street.split()))
        t = tallies.setdefault(key, [0, 0, 0, 0])
        t[0] += 1
        t[1] += problem >= 2
        t[2] += effect is True
        t[3] += effect is not None
    rows = [StreetSignal(names[k], 1, *v) for k, v in tallies.items()]
    return suppress(rows, min_respondents)


def suppress(rows: list[StreetSignal], threshold: int) -> list[StreetSignal]:
    """Pool streets below ``threshold`` respondents, with secondary suppression (see module docstring)."""
    shown = sorted((r for r in rows if r.respondents >= threshold), key=lambda r: (-r.respondents, r.street))
    pooled = [r for r in rows if r.respondents < threshold]
    while pooled and sum(r.respondents for r in pooled) < threshold and shown:
        pooled.append(shown.pop())  # the smallest shown street joins the pool
    if pooled and sum(r.respondents for r in pooled) < threshold:
        return []  # the whole ward is too small to show by street
    result = sorted(shown, key=lambda r: (-r.prevalence, -r.respondents, r.street))
    if pooled:
        result.append(
            StreetSignal(
                OTHER_STREETS,
                len(pooled),
                sum(r.respondents for r in pooled),
                sum(r.big_problem for r in pooled),
                sum(r.effect_yes for r in pooled),
                sum(r.effect_answered for r in pooled),
            )
        )
    return result
