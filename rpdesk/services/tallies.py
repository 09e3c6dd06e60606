"""Answer tallies: per survey round, day and issue, the counts a ranking sums.

Every write of a round's responses (an import, a replacement, a paper form, the demo) calls
:func:`refresh_tallies` for the rounds it touched, in the same transaction, so the tallies never
disagree with the answers. A ranking then reads :func:`tallied_counts`: a few hundred rows (days ×
issues) whatever the number of respondents, instead of every answer of the round.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from sqlalchemy import Integer, case, delete, func, insert, select
from sqlalchemy.orm import Session

from rpdesk.db.models import AnswerTally, ResponseTally, SurveyAnswer, SurveyResponse

#: Per issue id: (answered, rated 2-3, sum of ratings, answered effect, effect yes).
AnswerCounts = dict[int, tuple[int, int, int, int, int]]


def refresh_tallies(session: Session, round_ids: Collection[int]) -> None:
    """Recount the tallies of ``round_ids`` from their responses and answers (in the caller's transaction)."""
    ids = sorted(set(round_ids))
    if not ids:
        return
    session.flush()
    session.execute(delete(AnswerTally).where(AnswerTally.round_id.in_(ids)))
    session.execute(delete(ResponseTally).where(ResponseTally.round_id.in_(ids)))
    responses = (
        select(SurveyResponse.round_id, SurveyResponse.date, func.count())
        .where(SurveyResponse.round_id.in_(ids))
        .group_by(SurveyResponse.round_id, SurveyResponse.date)
    )
    session.execute(insert(ResponseTally).from_select(["round_id", "day", "respondents"], responses))
    big = case((SurveyAnswer.problem >= 2, 1), else_=0)
    yes = case((SurveyAnswer.effect.is_(True), 1), else_=0)
    answers = (
        select(
            SurveyResponse.round_id,
            SurveyResponse.date,
            SurveyAnswer.issue_id,
            func.count(SurveyAnswer.problem),
            func.coalesce(func.sum(big), 0),
            func.coalesce(func.sum(SurveyAnswer.problem.cast(Integer)), 0),
            func.count(SurveyAnswer.effect),
            func.coalesce(func.sum(yes), 0),
        )
        .join(SurveyResponse, SurveyResponse.id == SurveyAnswer.response_id)
        .where(SurveyResponse.round_id.in_(ids))
        .group_by(SurveyResponse.round_id, SurveyResponse.date, SurveyAnswer.issue_id)
    )
    columns = ["round_id", "day", "issue_id", "answered", "big", "problem_sum", "effect_answered", "effect_yes"]
    session.execute(insert(AnswerTally).from_select(columns, answers))


def round_days(session: Session, round_id: int) -> tuple[dt.date | None, dt.date | None]:
    """The first and last day the round has responses on."""
    first, last = session.execute(
        select(func.min(ResponseTally.day), func.max(ResponseTally.day)).where(ResponseTally.round_id == round_id)
    ).one()
    return first, last


def tallied_counts(
    session: Session, round_ids: Collection[int], start: dt.date | None = None, end: dt.date | None = None
) -> tuple[int, AnswerCounts]:
    """Respondents, and the answer counts per issue id, of ``round_ids`` (only days ``start``..``end`` if given)."""
    ids = sorted(set(round_ids))
    if not ids:
        return 0, {}
    days = [ResponseTally.round_id.in_(ids)]
    answer_days = [AnswerTally.round_id.in_(ids)]
    if start is not None and end is not None:
        days.append(ResponseTally.day.between(start, end))
        answer_days.append(AnswerTally.day.between(start, end))
    respondents = session.scalar(select(func.coalesce(func.sum(ResponseTally.respondents), 0)).where(*days))
    if not respondents:
        return 0, {}
    sums = [
        func.sum(col)
        for col in (
            AnswerTally.answered,
            AnswerTally.big,
            AnswerTally.problem_sum,
            AnswerTally.effect_answered,
            AnswerTally.effect_yes,
        )
    ]
    stmt = select(AnswerTally.issue_id, *sums).where(*answer_days).group_by(AnswerTally.issue_id)
    counts = {row[0]: tuple(int(v) for v in row[1:]) for row in session.execute(stmt)}
    return int(respondents), counts  # type: ignore[return-value]
