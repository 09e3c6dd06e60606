"""Assessment of priorities: the baseline before the first adoption, same-method rounds, "not moving"."""

from __future__ import annotations

import datetime as dt

import pytest

from rpdesk.db import models as m
from rpdesk.domain.vocabulary import SurveyMethod
from rpdesk.services.assessment import IMPROVED, NO_CLEAR_CHANGE, NOT_MOVING, assess_priorities
from tests.unit.services.signal_data import WARD, add_round, issue_ids, make_ward, ratings

SPRING, AUTUMN, WINTER = dt.date(2026, 3, 1), dt.date(2026, 9, 1), dt.date(2026, 12, 1)


def priority(s, wid: int, code: str, adopted: dt.date, closed: dt.date | None = None) -> None:
    s.add(
        m.Priority(
            ward_id=wid,
            issue_id=issue_ids(s)[code],
            evidence_rank=1,
            period_start=adopted,
            adopted_on=adopted,
            adopted_by="PS 1",
            status="closed" if closed else "active",
            closed_on=closed,
        )
    )
    s.flush()


def rounds(s, wid: int, *, autumn_method: SurveyMethod = SurveyMethod.DOOR, winter: bool = False) -> None:
    add_round(s, wid, "Spring 2026", SPRING, {"litter": ratings(100, 60, 50), "drugs": ratings(100, 40)})
    autumn = add_round(s, wid, "Autumn 2026", AUTUMN, {"litter": ratings(100, 30, 20), "drugs": ratings(100, 42)})
    s.get(m.SurveyRound, autumn).method = autumn_method
    if winter:
        winter_id = add_round(s, wid, "Winter 2026", WINTER, {"litter": ratings(100, 50), "drugs": ratings(100, 41)})
        s.get(m.SurveyRound, winter_id).method = SurveyMethod.ONLINE


def test_a_priority_re_adopted_at_later_meetings_keeps_the_round_before_its_first_adoption(db):
    with db.session() as s:
        wid = make_ward(s)
        rounds(s, wid)
        priority(s, wid, "litter", dt.date(2026, 3, 15), dt.date(2026, 6, 30))
        priority(s, wid, "litter", dt.date(2026, 7, 1), dt.date(2026, 9, 30))
        priority(s, wid, "litter", dt.date(2026, 10, 1))  # re-adopted after the autumn round
        found = assess_priorities(s, WARD)
    (litter,) = found
    assert litter.adopted_on == dt.date(2026, 10, 1) and litter.first_adopted_on == dt.date(2026, 3, 15)
    assert (litter.baseline_round, litter.latest_round) == ("Spring 2026", "Autumn 2026")
    assert litter.verdict == IMPROVED
    assert "(two-proportion test, p < 0.001)" in litter.explanation


def test_a_break_of_more_than_a_quarter_starts_a_new_run(db):
    with db.session() as s:
        wid = make_ward(s)
        rounds(s, wid)
        priority(s, wid, "drugs", dt.date(2025, 1, 10), dt.date(2025, 2, 1))
        priority(s, wid, "drugs", dt.date(2026, 3, 20))
        (drugs,) = assess_priorities(s, WARD)
    assert drugs.first_adopted_on == dt.date(2026, 3, 20)
    assert drugs.baseline_round == "Spring 2026"
    assert drugs.verdict == NO_CLEAR_CHANGE  # one later round, under six months on: not yet "not moving"
    # pooled 0.41 over 200: z = 0.02 / sqrt(0.41 * 0.59 * 0.02) = 0.2875
    assert "no clear change (two-proportion test, p = 0.774)" in drugs.explanation


def test_rounds_of_another_method_are_compared_only_with_a_caveat(db):
    with db.session() as s:
        wid = make_ward(s)
        rounds(s, wid, autumn_method=SurveyMethod.ONLINE)
        priority(s, wid, "litter", dt.date(2026, 3, 20))
        (litter,) = assess_priorities(s, WARD)
    assert litter.latest_round == "Autumn 2026"
    assert litter.caveat == (
        "Spring 2026 (door-step) and Autumn 2026 (online) were gathered by different methods, which reach different "
        "people: read the change with caution."
    )
    assert litter.caveat in litter.explanation


def test_the_latest_round_of_the_same_method_is_preferred(db):
    with db.session() as s:
        wid = make_ward(s)
        rounds(s, wid, winter=True)  # winter is online, autumn door-step like the spring baseline
        priority(s, wid, "litter", dt.date(2026, 3, 20))
        (litter,) = assess_priorities(s, WARD)
    assert (litter.baseline_round, litter.latest_round, litter.caveat) == ("Spring 2026", "Autumn 2026", None)
    assert litter.rounds_since == 2


@pytest.mark.parametrize(
    ("adopted", "winter", "expected"),
    [
        (dt.date(2026, 3, 20), True, NOT_MOVING),  # two later rounds, no change beyond chance
        (dt.date(2026, 3, 1), False, NOT_MOVING),  # one later round, six months after the first adoption
        (dt.date(2026, 3, 20), False, NO_CLEAR_CHANGE),  # one round, five months on: too soon to say
    ],
)
def test_no_change_after_two_rounds_or_six_months_is_flagged_for_review(db, adopted, winter, expected):
    with db.session() as s:
        wid = make_ward(s)
        rounds(s, wid, winter=winter)
        priority(s, wid, "drugs", adopted)
        (drugs,) = assess_priorities(s, WARD)
    assert drugs.verdict == expected
    assert ("Review: not moving" in drugs.explanation) == (expected == NOT_MOVING)


def test_a_priority_older_than_every_round_takes_the_first_round_since_and_says_so(db):
    with db.session() as s:
        wid = make_ward(s)
        rounds(s, wid, winter=True)
        priority(s, wid, "litter", dt.date(2025, 11, 1), dt.date(2026, 4, 30))
        priority(s, wid, "litter", dt.date(2026, 5, 1))
        (litter,) = assess_priorities(s, WARD)
    assert litter.first_adopted_on == dt.date(2025, 11, 1)
    assert (litter.baseline_round, litter.latest_round) == ("Spring 2026", "Autumn 2026")
    assert litter.caveat is not None and "the first round since, is the baseline" in litter.caveat
    assert litter.verdict == IMPROVED
