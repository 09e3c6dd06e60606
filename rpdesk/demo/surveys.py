"""Survey rounds: spring and autumn, 150-300 anonymous respondents each, answers drawn from the profile."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from rpdesk.db import models as m
from rpdesk.db.bulk import bulk_insert
from rpdesk.demo.history import WardHistory
from rpdesk.demo.names import STREETS
from rpdesk.domain.vocabulary import SurveyMethod
from rpdesk.importers.anonymity import AGE_BANDS
from rpdesk.progress import ProgressFn


def add_surveys(h: WardHistory, ward: m.Ward, progress: ProgressFn) -> None:
    rng, rounds = h.rng, []
    d = dt.date(h.start.year, 3, 1)
    while d <= h.end:
        if d >= h.start:
            rounds.append(d)
        d = dt.date(d.year, 9, 1) if d.month == 3 else dt.date(d.year + 1, 3, 1)
    for k, rstart in enumerate(rounds):
        season = "Spring" if rstart.month == 3 else "Autumn"
        rnd = m.SurveyRound(
            ward_id=ward.id,
            name=f"{season} {rstart.year}",
            method=rng.choice([SurveyMethod.DOOR, SurveyMethod.DOOR, SurveyMethod.ONLINE, SurveyMethod.KIN]),
            start_date=rstart,
            end_date=rstart + dt.timedelta(days=41),
        )
        h.session.add(rnd)
        h.session.flush()
        n = rng.randint(150, 300)
        resp_rows: list[tuple[object, ...]] = []
        level = sum(h.prevalence(i.code, rstart) for i in h.issues) / len(h.issues)
        for r in range(n):
            day = rstart + dt.timedelta(days=rng.randrange(42))
            conf = max(1, min(5, round(rng.gauss(3.6 - 2.5 * level, 0.9))))
            resp_rows.append(
                (
                    rnd.id,
                    f"R{rstart:%y%m}-{r + 1:04d}",
                    day,
                    rng.choice(STREETS) if rng.random() < 0.7 else None,
                    rng.choice(AGE_BANDS),
                    conf,
                    max(1, min(5, conf + rng.choice((-1, 0, 0, 1)))),
                    max(1, min(5, conf + rng.choice((-1, 0, 1)))),
                    max(1, min(4, round(rng.gauss(3.1 - 2 * level, 0.8)))),
                    rng.random() < 0.35,
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
        h.summary["respondents"] += n
        h.summary["answers"] += len(answers)
        progress((k + 1) / len(rounds), f"{ward.name}: survey {rnd.name}")
