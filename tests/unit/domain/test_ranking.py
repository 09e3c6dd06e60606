"""The ranking maths on small, hand-computed data, and the invariants a sergeant relies on."""

from __future__ import annotations

import random
from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rpdesk.domain.ranking import IssueEvidence, RankedSignal, Weights, rank_issues


def ev(code: str, **counts: float) -> IssueEvidence:
    return IssueEvidence(issue=code, label=code.title(), kind="social", **counts)  # type: ignore[arg-type]


HAND = [
    # prevalence 6/10, effect 3/10, EVA 4 over 2 walks = 2 per walk -> 2/7, recorded 10 in 2 months = 5 a month -> 0.5
    ev(
        "litter",
        respondents=10,
        big_problem=6,
        problem_total=18,
        effect_answered=10,
        effect_yes=3,
        audit=4,
        audit_observations=2,
        audit_walks=2,
        recorded=10,
        recorded_previous=4,
        months=2,
    ),
    # prevalence 2/10, effect 1/5, EVA 8 over 2 walks = 4 per walk -> 4/9, no crime type mapped
    ev(
        "drugs",
        respondents=10,
        big_problem=2,
        problem_total=9,
        effect_answered=5,
        effect_yes=1,
        audit=8,
        audit_observations=3,
        audit_walks=2,
    ),
    ev("parking"),
]


def test_known_answer_scores_and_contributions():
    ranked = rank_issues(HAND, Weights(1, 1, 0.5, 0.5), small_sample=30)
    assert [r.issue for r in ranked] == ["litter", "drugs", "parking"]
    litter, drugs, parking = ranked
    # (1*0.6 + 1*0.3 + 0.5*(2/7) + 0.5*0.5) / 3
    assert litter.score == pytest.approx((0.9 + 1 / 7 + 0.25) / 3)
    # recorded is n/a, so it is left out of the weights: (0.2 + 0.2 + 0.5*4/9) / 2.5
    assert drugs.score == pytest.approx((0.4 + 2 / 9) / 2.5)
    assert parking.score == 0 and parking.prevalence is None and "no_answers" in parking.flags
    assert sum(c.points for c in litter.contributions) == pytest.approx(litter.score)
    assert {c.component: c.measure for c in litter.contributions} == pytest.approx(
        {"prevalence": 0.6, "effect": 0.3, "audit": 2 / 7, "recorded": 0.5}
    )
    assert litter.audit_per_walk == 2 and drugs.audit_per_walk == 4
    assert litter.mean_problem == pytest.approx(1.8)
    assert litter.recorded_change == 6
    # binomial(14, 0.5): 4 or fewer either way, 2 x (1 + 14 + 91 + 364 + 1001) / 2**14
    assert litter.recorded_p == pytest.approx(2 * 1471 / 2**14)
    assert drugs.recorded is None and drugs.recorded_change is None and drugs.recorded_p is None
    assert drugs.as_dict()["recorded"] is None
    assert "small_sample" in litter.flags
    assert "60% of 10 respondents" in litter.explanation
    assert litter.explanation.startswith("Rank 1 of 3, social disorder:")
    assert "10 recorded incident(s) against 4 in the same months a year before (no clear change" in litter.explanation
    assert "recorded crime n/a" in drugs.explanation


def sergeants_ward(**drugs_police: float) -> list[IssueEvidence]:
    """Fly-tipping: 98 of 200 call it a big problem (interval 42-56%), no crime type, nothing on EVA.
    Drugs: 52 of 200 (20-33%), with one EVA observation and a few recorded crimes. Litter in between."""
    return [
        IssueEvidence("fly_tipping", "Fly-tipping", "physical", 200, 98, 250, 200, 60, audit_walks=4, recorded=None),
        IssueEvidence("litter", "Litter", "physical", 200, 80, 220, 200, 40, audit_walks=4, recorded=None),
        IssueEvidence(
            "drugs",
            "Drugs",
            "social",
            200,
            52,
            150,
            200,
            50,
            **{"audit": 3.0, "audit_observations": 1, "audit_walks": 4, "recorded": 6, "recorded_previous": 2}
            | drugs_police,  # type: ignore[arg-type]
        ),
    ]


def test_one_eva_observation_and_a_few_crimes_do_not_lift_drugs_over_fly_tipping():
    ranked = {r.issue: r for r in rank_issues(sergeants_ward(), Weights(1, 1, 0.5, 0.5))}
    assert ranked["fly_tipping"].rank < ranked["drugs"].rank
    assert ranked["litter"].rank < ranked["drugs"].rank  # 40% (33-47%) lies wholly above 26% (20-33%)
    # however heavily a force weights police-held evidence
    heavy = {r.issue: r for r in rank_issues(sergeants_ward(audit=400.0, recorded=900), Weights(0, 0, 10, 10))}
    assert heavy["fly_tipping"].rank < heavy["drugs"].rank
    assert heavy["drugs"].score > heavy["fly_tipping"].score  # the score alone would have put drugs first
    assert ranked["fly_tipping"].recorded is None and "n/a" in ranked["fly_tipping"].explanation
    assert ranked["fly_tipping"].kind_words == "physical disorder"


def test_police_evidence_orders_issues_residents_cannot_tell_apart():
    close = [
        ev("a", respondents=100, big_problem=42, effect_answered=100, effect_yes=20, audit_walks=2),
        ev("b", respondents=100, big_problem=40, effect_answered=100, effect_yes=20, audit=10, audit_walks=2),
    ]
    ranked = rank_issues(close, Weights(1, 1, 0.5, 0.5))
    assert [r.issue for r in ranked] == ["b", "a"]
    assert "EVA and recorded crime place it above A" in ranked[0].explanation


def test_an_issue_with_no_crime_type_is_not_marked_down_for_it():
    mapped = ev("m", respondents=100, big_problem=30, effect_answered=100, effect_yes=30, recorded=0)
    unmapped = ev("u", respondents=100, big_problem=30, effect_answered=100, effect_yes=30)
    ranked = {r.issue: r for r in rank_issues([mapped, unmapped])}
    assert ranked["u"].score == pytest.approx(0.3)  # the mean of prevalence and effect alone
    assert ranked["m"].score < ranked["u"].score  # zero recorded is evidence; no crime type is not
    assert {c.component: c.measure for c in ranked["u"].contributions}["recorded"] is None


def test_a_single_observation_does_not_score_full_marks():
    one = rank_issues([ev("a", respondents=10, big_problem=1, audit=1, audit_observations=1, audit_walks=10)])[0]
    assert {c.component: c.measure for c in one.contributions}["audit"] == pytest.approx(0.1 / 5.1)


def test_every_issue_it_could_swap_with_is_named_not_only_neighbours():
    ranked = rank_issues(
        [
            ev("a", respondents=100, big_problem=50),
            ev("b", respondents=100, big_problem=46),
            ev("c", respondents=100, big_problem=44),
            ev("d", respondents=100, big_problem=5),
        ],
        small_sample=30,
    )
    a, _, c, d = ranked
    assert a.swaps_with == ("b", "c") and a.flags == ("may_swap",)
    assert a.flag_text == ("may swap with B and C",)
    assert c.swaps_with == ("a", "b")
    assert d.flags == () and d.swaps_with == ()
    assert "It may swap with B and C" in a.explanation


def test_weights_change_the_order_only_where_intervals_overlap():
    ranked = rank_issues(
        [
            ev("a", respondents=100, big_problem=50, audit_walks=1),
            ev("b", respondents=100, big_problem=45, audit=5, audit_walks=1),
            ev("c", respondents=100, big_problem=5, audit=50, audit_walks=1),
        ],
        Weights(prevalence=0, effect=0, audit=1, recorded=0),
    )
    assert [r.issue for r in ranked] == ["b", "a", "c"]


def test_negative_weights_are_refused():
    with pytest.raises(ValueError):
        rank_issues(HAND, Weights(-1, 1, 1, 1))


def test_round_trip_through_dict():
    for signal in rank_issues(HAND):
        assert RankedSignal.from_dict(signal.as_dict()) == signal


def test_a_snapshot_saved_by_an_older_rpdesk_still_loads():
    old = {
        "issue": "litter",
        "label": "Litter",
        "kind": "physical",
        "rank": 1,
        "score": 0.5,
        "respondents": 10,
        "big_problem": 5,
        "prevalence": 0.5,
        "prevalence_low": 0.2,
        "prevalence_high": 0.8,
        "mean_problem": 1.5,
        "effect": None,
        "effect_answered": 0,
        "effect_yes": 0,
        "audit": 2.0,
        "audit_observations": 1,
        "recorded": 0,
        "recorded_previous": 0,
        "recorded_change": 0,
        "flags": ["overlaps_below"],
        "contributions": [{"component": "prevalence", "measure": 0.5, "weight": 1.0, "points": 0.25}],
        "explanation": "Rank 1 of 2.",
    }
    signal = RankedSignal.from_dict(old)
    assert signal.rank == 1 and signal.audit_per_walk is None and signal.swaps_with == ()


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
            audit_walks=3,
            recorded=r,
            recorded_previous=r,
        ),
        st.text("abcdefgh", min_size=1, max_size=4),
        st.integers(0, 60),
        st.integers(0, 60),
        st.integers(0, 60),
        st.integers(0, 20),
        st.one_of(st.none(), st.integers(0, 30)),
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
            audit_walks=e.audit_walks,
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


weights = st.builds(Weights, *(st.floats(0, 10, allow_nan=False) for _ in range(4)))


@given(evidence_lists, weights)
def test_an_issue_residents_clearly_rate_higher_always_ranks_higher(items, w):
    ranked = rank_issues(items, w)
    for a in ranked:
        for b in ranked:
            if a.respondents and b.respondents and a.prevalence_low > b.prevalence_high:
                assert a.rank < b.rank, (a.explanation, b.explanation)


@given(evidence_lists, weights, st.data())
def test_adding_eva_observations_or_recorded_crimes_never_lifts_an_issue_over_a_clearly_higher_one(items, w, data):
    target = data.draw(st.sampled_from(items))
    extra_audit = data.draw(st.floats(0, 1000, allow_nan=False))
    extra_recorded = data.draw(st.integers(0, 1000))
    boosted = [
        replace(
            e,
            audit=e.audit + extra_audit,
            audit_observations=e.audit_observations + 1,
            recorded=(e.recorded or 0) + extra_recorded,
        )
        if e.issue == target.issue
        else e
        for e in items
    ]
    before = {r.issue: r for r in rank_issues(items, w)}
    after = {r.issue: r for r in rank_issues(boosted, w)}
    b = after[target.issue]
    for a in after.values():
        if a.respondents and b.respondents and a.prevalence_low > b.prevalence_high:
            assert a.rank < b.rank
            assert before[a.issue].rank < before[target.issue].rank
