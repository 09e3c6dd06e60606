"""Survey rounds: door-step each spring and autumn, KIN each January and July; answers drawn from the profile."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from rpdesk.db import models as m
from rpdesk.db.bulk import bulk_insert
from rpdesk.demo.history import WardHistory
from rpdesk.demo.names import STREETS
from rpdesk.domain.vocabulary import AGE_BANDS, SurveyMethod
from rpdesk.progress import ProgressFn
from rpdesk.services.tallies import refresh_tallies

#: A survey round of the demo: its name, method, first day, how many days it runs and its size.
Plan = tuple[str, SurveyMethod, dt.date, int, int]


def _plan(h: WardHistory) -> list[Plan]:
    """Door-step rounds each spring and autumn (150-300 residents over six weeks) and, between them,
    Key Individual Network rounds each January and July (15-30 key individuals over two weeks).

    Only rounds begun by today; a round still running has answers up to today only.
    """
    rng, plans = h.rng, []
    for year in range(h.start.year, h.end.year + 1):
        for month, name, method, days, size in (
            (1, "KIN January", SurveyMethod.KIN, 14, (15, 30)),
            (3, "Spring", SurveyMethod.DOOR, 42, (150, 300)),
            (7, "KIN July", SurveyMethod.KIN, 14, (15, 30)),
            (9, "Autumn", SurveyMethod.DOOR, 42, (150, 300)),
        ):
            first = dt.date(year, month, 1)
            if h.start <= first <= h.end:
                plans.append((f"{name} {year}", method, first, days, rng.randint(*size)))
    return plans


def add_surveys(h: WardHistory, ward: m.Ward, progress: ProgressFn) -> None:
    rng = h.rng
    plans = _plan(h)
    for k, (name, method, rstart, days, n) in enumerate(plans):
        rnd = m.SurveyRound(
            ward_id=ward.id,
            name=name,
            method=method,
            start_date=rstart,
            end_date=rstart + dt.timedelta(days=days - 1),
        )
        h.session.add(rnd)
        h.session.flush()
        kin = method is SurveyMethod.KIN  # key individuals are asked about signals, not the confidence items
        resp_rows: list[tuple[object, ...]] = []
        level = sum(h.prevalence(i.code, h.start) for i in h.issues) / len(h.issues)
        for r in range(n):
            day = min(h.end, rstart + dt.timedelta(days=rng.randrange(days)))
            conf = max(1, min(5, round(rng.gauss(3.6 - 2.5 * level + h.confidence_lift(rstart), 0.9))))
            resp_rows.append(
                (
                    rnd.id,
                    f"R{rstart:%y%m}-{r + 1:04d}",
                    day,
                    rng.choice(STREETS) if rng.random() < 0.7 else None,
                    rng.choice(AGE_BANDS),
                    *(
                        (None,) * 4
                        if kin
                        else (
                            conf,
                            max(1, min(5, conf + rng.choice((-1, 0, 0, 1)))),
                            max(1, min(5, conf + rng.choice((-1, 0, 1)))),
                            max(1, min(4, round(rng.gauss(3.1 - 2 * level + h.confidence_lift(rstart) / 2, 0.8)))),
                        )
                    ),
                    None if kin else rng.random() < 0.35,
                    None,
                )
            )
        bulk_insert(
            h.session,
            m.SurveyResponse,
            (
                "round_id",
                "respondent",
                "date",
                "street",
                "age_band",
                "conf_good_job",
                "conf_understand",
                "conf_dealing",
                "safe_after_dark",
                "knows_contact",
                "comments",
            ),
            resp_rows,
        )
        ids = (
            h.session.execute(
                select(m.SurveyResponse.id).where(m.SurveyResponse.round_id == rnd.id).order_by(m.SurveyResponse.id)
            )
            .scalars()
            .all()
        )
        answers = []
        for rid in ids:
            for issue in h.issues:
                if rng.random() < 0.04:
                    continue  # not answered
                p = h.prevalence(issue.code, rstart)
                big = rng.random() < p
                problem = rng.choice((2, 2, 3)) if big else rng.choice((0, 0, 1, 1, 1))
                effect_p = 0.65 if big else 0.08
                effect = None if rng.random() < 0.05 else rng.random() < effect_p
                answers.append((rid, issue.id, problem, effect))
        bulk_insert(h.session, m.SurveyAnswer, ("response_id", "issue_id", "problem", "effect"), answers)
        refresh_tallies(h.session, [rnd.id])
        h.summary["respondents"] += n
        h.summary["answers"] += len(answers)
        progress((k + 1) / len(plans), f"{ward.name}: survey {rnd.name}")
