"""Priorities, snapshots, assessment and the assumption check on both backends."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from rpdesk.db import models as m
from rpdesk.errors import UserError
from rpdesk.services.assessment import IMPROVED, NO_CLEAR_CHANGE, NOT_YET, WORSE, assess_priorities
from rpdesk.services.expectations import compare_expected, keep_comparison, list_expected, set_expected
from rpdesk.services.priorities import adopt_priorities, list_passed_over, list_priorities
from rpdesk.services.signals import rank_signals
from rpdesk.services.snapshots import list_snapshots, load_snapshot, save_snapshot
from rpdesk.services.tallies import refresh_tallies
from rpdesk.settings import Settings
from tests.unit.services.signal_data import WARD, add_round, make_ward, ratings

SETTINGS = Settings.with_values(
    {
        "weight_prevalence": 1,
        "weight_effect": 0,
        "weight_audit": 0,
        "weight_recorded": 0,
        "small_sample": 30,
        "priorities_top_n": 3,
    }
)
SPRING, AUTUMN = dt.date(2026, 3, 1), dt.date(2026, 9, 1)


@pytest.fixture
def ward(db):
    with db.session() as s:
        wid = make_ward(s)
        # spring ranks litter 1, drugs 2, speeding 3, parking 4, dog_fouling 5
        add_round(
            s,
            wid,
            "Spring 2026",
            SPRING,
            {
                "litter": ratings(100, 60, 50),
                "drugs": ratings(100, 40, 10),
                "speeding": ratings(100, 30),
                "parking": ratings(100, 20),
                "dog_fouling": ratings(100, 10),
            },
        )
        add_round(
            s,
            wid,
            "Autumn 2026",
            AUTUMN,
            {
                "litter": ratings(100, 30, 20),
                "drugs": ratings(100, 42, 12),
                "speeding": ratings(100, 45),
                "parking": ratings(100, 20),
                "dog_fouling": ratings(100, 10),
            },
        )
    return db


def spring(s):
    return rank_signals(s, WARD, round_name="Spring 2026", settings=SETTINGS)


def test_adopting_the_evidence_top_n_needs_no_justification(ward):
    with ward.session() as s:
        result = adopt_priorities(
            s, WARD, ["litter", "drugs", "speeding"], ranking=spring(s), adopted_on=dt.date(2026, 4, 15)
        )
    assert [(p.issue, p.evidence_rank, p.departure) for p in result.adopted] == [
        ("litter", 1, False),
        ("drugs", 2, False),
        ("speeding", 3, False),
    ]
    assert result.passed_over == () and result.top_n == 3
    with ward.session() as s:
        assert load_snapshot(s, result.snapshot_id).signal("litter").prevalence == 0.6


def test_departures_without_justification_are_refused_together_and_write_nothing(ward):
    with pytest.raises(UserError) as caught, ward.session() as s:
        adopt_priorities(s, WARD, ["litter", "dog_fouling"], ranking=spring(s))
    message = str(caught.value)
    assert "Why adopt Dog fouling (evidence rank 5, outside the top 3" in message
    assert "Why pass over People using or dealing drugs" in message and "A written reason is needed." in message
    assert "--" not in message  # the rule's words: rpdesk-cli adds its options
    fields = [p.field for p in caught.value.problems]
    assert "passed_over.speeding" in fields and "justifications.dog_fouling" in fields
    with ward.session() as s:
        assert s.scalar(select(func.count()).select_from(m.Priority)) == 0
        assert s.scalar(select(func.count()).select_from(m.RankingSnapshot)) == 0


def test_justified_departures_are_kept_and_shown(ward):
    with ward.session() as s:
        result = adopt_priorities(
            s,
            WARD,
            ["litter", "drugs", "dog_fouling"],
            ranking=spring(s),
            justifications={"dog_fouling": "Raised by the school and three PACT meetings"},
            passed_over={"speeding": "Roads policing unit leads; we support"},
        )
    assert result.adopted[2].departure and result.adopted[2].justification.startswith("Raised by the school")
    with ward.session() as s:
        shown = {p.issue: p for p in list_priorities(s, WARD, top_n=3)}
        passed = list_passed_over(s, WARD)
    assert shown["dog_fouling"].justification == "Raised by the school and three PACT meetings"
    assert shown["litter"].justification is None
    assert [(p.issue, p.evidence_rank, p.justification) for p in passed] == [
        ("speeding", 3, "Roads policing unit leads; we support")
    ]


def test_a_new_adoption_continues_readopted_priorities_and_closes_the_rest(ward):
    with ward.session() as s:
        first = adopt_priorities(
            s, WARD, ["litter", "drugs", "speeding"], ranking=spring(s), adopted_on=dt.date(2026, 4, 15)
        )
    with ward.session() as s:
        autumn = rank_signals(s, WARD, round_name="Autumn 2026", settings=SETTINGS)
        second = adopt_priorities(
            s, WARD, ["speeding", "drugs", "litter"], ranking=autumn, adopted_on=dt.date(2026, 10, 20)
        )
        again = adopt_priorities(
            s, WARD, ["speeding", "drugs"], ranking=autumn, passed_over={"litter": "Council has taken it on"}
        )
    assert {p.id for p in second.adopted} == {p.id for p in first.adopted}
    assert all(p.adopted_on == dt.date(2026, 4, 15) for p in second.adopted)
    assert again.closed == ("litter",)
    with ward.session() as s:
        assert {p.issue for p in list_priorities(s, WARD, top_n=3)} == {"speeding", "drugs"}
        assert len(list_priorities(s, WARD, include_closed=True, top_n=3)) == 3


def test_adopting_needs_a_known_issue_and_one_source(ward):
    with ward.session() as s:
        ranking = spring(s)
        with pytest.raises(UserError, match="not in this ranking"):
            adopt_priorities(s, WARD, ["unicorns"], ranking=ranking)
        with pytest.raises(UserError, match="one of them"):
            adopt_priorities(s, WARD, ["litter"])
        with pytest.raises(UserError, match="once"):
            adopt_priorities(s, WARD, ["litter", "litter"], ranking=ranking)


def test_assessment_compares_the_round_before_adoption_with_the_latest(ward):
    with ward.session() as s:
        adopt_priorities(s, WARD, ["litter", "drugs", "speeding"], ranking=spring(s), adopted_on=dt.date(2026, 4, 15))
        found = {a.issue: a for a in assess_priorities(s, WARD)}
    litter = found["litter"]
    assert (litter.baseline_round, litter.latest_round) == ("Spring 2026", "Autumn 2026")
    assert litter.prevalence is not None and litter.effect is not None
    assert (litter.prevalence.before, litter.prevalence.after) == (0.6, 0.3)
    # pooled 0.45 over 200: SE = sqrt(.45*.55*.02) = 0.07036, z = -4.264
    assert litter.prevalence.z == pytest.approx(-4.264, abs=1e-3)
    assert litter.prevalence.beyond_chance and litter.verdict == IMPROVED
    assert (litter.effect.before, litter.effect.after) == (0.5, 0.2)
    assert found["drugs"].verdict == NO_CLEAR_CHANGE
    assert found["speeding"].verdict == WORSE
    assert "Spring 2026" in litter.explanation and "beyond chance" in litter.explanation


def test_assessment_before_any_later_round(ward):
    with ward.session() as s:
        adopt_priorities(s, WARD, ["litter", "drugs", "speeding"], ranking=spring(s), adopted_on=dt.date(2026, 11, 1))
        found = assess_priorities(s, WARD)
    assert {a.verdict for a in found} == {NOT_YET}


def test_snapshots_freeze_the_figures(ward):
    with ward.session() as s:
        ranking = spring(s)
        info = save_snapshot(s, ranking, "PACT March")
    with ward.session() as s:
        s.execute(m.SurveyAnswer.__table__.delete())
        refresh_tallies(s, s.scalars(select(m.SurveyRound.id)).all())  # as every write of answers does
        listed = list_snapshots(s, WARD)
        frozen = load_snapshot(s, info.id)
        now = spring(s)
    assert [x.name for x in listed] == ["PACT March"]
    assert frozen == ranking
    assert now.signal("litter").prevalence is None
    with pytest.raises(UserError, match="no ranking snapshot"), ward.session() as s:
        load_snapshot(s, 999)


def test_comparing_writes_nothing_and_keeping_stores_overlap_and_spearman(ward):
    with ward.session() as s:
        set_expected(s, WARD, ["speeding", "litter"], period_start=SPRING, period_end=SPRING + dt.timedelta(days=30))
    with ward.session() as s:
        result = compare_expected(s, WARD, spring(s))
    assert result.evidence_top == ("litter", "drugs")
    assert result.overlap == ("litter",) and result.overlap_share == 0.5
    assert result.spearman is not None and -1 <= result.spearman <= 1
    with ward.session() as s:
        assert list_expected(s, WARD)[0].compared_at is None
        assert keep_comparison(s, WARD, spring(s)) == result
    with ward.session() as s:
        kept = list_expected(s, WARD)[0]
    assert kept.issues == ("speeding", "litter")
    assert kept.overlap_share == 0.5 and kept.spearman == pytest.approx(result.spearman)
    assert kept.compared_at is not None
    assert not kept.after_evidence


def test_expectations_recorded_after_a_saved_ranking_are_marked(ward):
    with ward.session() as s:
        info = save_snapshot(s, spring(s))
        row = s.get(m.RankingSnapshot, info.id)
        row.created_at -= dt.timedelta(minutes=1)
        late = set_expected(s, WARD, ["litter"], period_start=SPRING, period_end=SPRING + dt.timedelta(days=10))
        other = set_expected(s, WARD, ["litter"], period_start=AUTUMN, period_end=AUTUMN + dt.timedelta(days=10))
    assert late.after_evidence and not other.after_evidence


def test_expected_sets_are_checked(ward):
    with ward.session() as s:
        with pytest.raises(UserError, match="unicorns"):
            set_expected(s, WARD, ["unicorns"], period_start=SPRING, period_end=SPRING)
        with pytest.raises(UserError, match="at least one"):
            set_expected(s, WARD, [], period_start=SPRING, period_end=SPRING)
        with pytest.raises(UserError, match="No expected signals"):
            compare_expected(s, WARD, spring(s))
