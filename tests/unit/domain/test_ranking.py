"""The ranking maths on small, hand-computed data, and the invariants a sergeant relies on."""

from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rpdesk.domain.ranking import IssueEvidence, RankedSignal, Weights, rank_issues


def ev(code: str, **counts: float) -> IssueEvidence:
    return IssueEvidence(issue=code, label=code.title(), kind="social", **counts)  # type: ignore[arg-type]


HAND = [
    # prevalence 6/10, effect 3/10, audit 4 of max 8, recorded 10 of max 10
    ev(
        "litter",
        respondents=10,
        big_problem=6,
        problem_total=18,
        effect_answered=10,
        effect_yes=3,
        audit=4,
        audit_observations=2,
        recorded=10,
        recorded_previous=4,
    ),
    # prevalence 2/10, effect 1/5, audit 8/8, recorded 0
    ev(
        "drugs",
        respondents=10,
        big_problem=2,
        problem_total=9,
        effect_answered=5,
        effect_yes=1,
        audit=8,
        audit_observations=3,
    ),
    ev("parking"),
]


def test_known_answer_scores_and_contributions():
    ranked = rank_issues(HAND, Weights(1, 1, 0.5, 0.5), small_sample=30)
    assert [r.issue for r in ranked] == ["litter", "drugs", "parking"]
    litter, drugs, parking = ranked
    # (1*0.6 + 1*0.3 + 0.5*0.5 + 0.5*1.0) / 3 = 1.65 / 3
    assert litter.score == pytest.approx(0.55)
    # (0.2 + 0.2 + 0.5 + 0) / 3
    assert drugs.score == pytest.approx(0.3)
    assert parking.score == 0 and parking.prevalence is None and "no_answers" in parking.flags
    assert sum(c.points for c in litter.contributions) == pytest.approx(litter.score)
    assert {c.component: c.measure for c in litter.contributions} == pytest.approx(
        {"prevalence": 0.6, "effect": 0.3, "audit": 0.5, "recorded": 1.0}
    )
    assert litter.mean_problem == pytest.approx(1.8)
    assert litter.recorded_change == 6
    assert "small_sample" in litter.flags
    assert "60% of 10 respondents" in litter.explanation
    assert litter.explanation.startswith("Rank 1 of 3 (score 0.55)")


def test_weights_change_the_order():
    ranked = rank_issues(HAND, Weights(prevalence=0, effect=0, audit=1, recorded=0))
    assert ranked[0].issue == "drugs"


def test_overlapping_intervals_are_flagged_on_both_neighbours():
    ranked = rank_issues(
        [
            ev("a", respondents=100, big_problem=50),
            ev("b", respondents=100, big_problem=45),
            ev("c", respondents=100, big_problem=5),
        ],
        small_sample=30,
    )
    a, b, c = ranked
    assert a.flags == ("overlaps_below",)
    assert b.flags == ("overlaps_above",)
    assert c.flags == ()
    assert "overlaps rank 2" in a.explanation


def test_negative_weights_are_refused():
    with pytest.raises(ValueError):
        rank_issues(HAND, Weights(-1, 1, 1, 1))


def test_round_trip_through_dict():
    for signal in rank_issues(HAND):
        assert RankedSignal.from_dict(signal.as_dict()) == signal


evidence_lists = st.lists(
    st.builds(
        lambda code, n, k, e, a, r: ev(
            code,
            respondents=n,
            big_problem=min(k, n),
            problem_total=min(k, n) * 2,
            effect_answered=n,
            effect_yes=min(e, n),
            audit=a,
            recorded=r,
        ),
        st.text("abcdefgh", min_size=1, max_size=4),
        st.integers(0, 60),
        st.integers(0, 60),
        st.integers(0, 60),
        st.integers(0, 20),
        st.integers(0, 30),
    ),
    min_size=1,
    max_size=8,
    unique_by=lambda e: e.issue,
)


@given(evidence_lists, st.randoms(use_true_random=False))
def test_order_of_inputs_does_not_matter(items, rnd: random.Random):
    shuffled = list(items)
    rnd.shuffle(shuffled)
    assert rank_issues(items) == rank_issues(shuffled)


@given(evidence_lists, st.data())
def test_a_respondent_rating_an_issue_3_never_lowers_its_prevalence_or_rank(items, data):
    target = data.draw(st.sampled_from(items))
    before = {r.issue: r for r in rank_issues(items)}[target.issue]
    bumped = [
        ev(
            e.issue,
            respondents=e.respondents + 1,
            big_problem=e.big_problem + 1,
            problem_total=e.problem_total + 3,
            effect_answered=e.effect_answered,
            effect_yes=e.effect_yes,
            audit=e.audit,
            recorded=e.recorded,
        )
        if e.issue == target.issue
        else e
        for e in items
    ]
    after = {r.issue: r for r in rank_issues(bumped)}[target.issue]
    assert (after.prevalence or 0) >= (before.prevalence or 0)
    assert after.prevalence_low >= before.prevalence_low - 1e-12
    assert after.rank <= before.rank
