"""The Signals page's rules, Qt-free: the comparison's words, what an adoption needs, the default period."""

from __future__ import annotations

import datetime as dt

import pytest

from rpdesk.services.dashboard_view import signal_bars
from rpdesk.services.expectations import compare
from rpdesk.services.signals import rank_signals
from rpdesk.services.signals_view import adoption_problems, adoption_reasons, default_period, expectation_lines
from rpdesk.settings import Settings
from tests.unit.services.signal_data import WARD, add_round, make_ward, ratings

SETTINGS = Settings.with_values(
    {"weight_prevalence": 1, "weight_effect": 0, "weight_audit": 0, "weight_recorded": 0, "priorities_top_n": 3}
)


@pytest.fixture
def ranking(db):
    """Litter 1, drugs 2, speeding 3, parking 4, dog fouling 5; the evidence top 3 are the first three."""
    with db.session() as s:
        wid = make_ward(s)
        shares = {"litter": 60, "drugs": 40, "speeding": 30, "parking": 20, "dog_fouling": 10}
        add_round(s, wid, "Spring 2026", dt.date(2026, 3, 1), {c: ratings(100, n) for c, n in shares.items()})
    with db.session() as s:
        return rank_signals(s, WARD, round_name="Spring 2026", settings=SETTINGS)


def test_each_signal_says_how_it_matched_the_teams_list(ranking):
    lines = expectation_lines(compare(1, ["speeding", "litter"], ranking))
    label = {s.issue: s.label for s in ranking.signals}
    assert [(x.evidence_rank, x.label, x.expected_position, x.matched) for x in lines][:4] == [
        (1, label["litter"], 2, "expected, in the evidence top 2"),
        (2, label["drugs"], None, "in the top 2, not expected"),
        (3, label["speeding"], 1, "expected, not in the top 2"),
        (4, label["parking"], None, ""),
    ]
    assert [x.id for x in lines] == [s.rank for s in ranking.signals]  # every ranked issue, keyed by its rank


def test_an_adoption_needs_a_choice_within_the_top_n_and_a_reason_per_departure(ranking):
    nothing = adoption_problems(ranking, [], {})
    assert nothing[0] == "Tick at least one signal to adopt." and len(nothing) == 1 + 3  # and each top 3 passed over
    too_many = adoption_problems(ranking, ["litter", "drugs", "speeding", "parking"], {"parking": "asked"})
    assert too_many == ["Adopt at most 3 priorities (ticked: 4)."]
    departing = ["litter", "drugs", "parking"]  # adopts parking (rank 4), passes speeding (rank 3) over
    missing = adoption_problems(ranking, departing, {"parking": "  "})  # blank is no reason
    assert len(missing) == 2 and all(p.endswith("A written reason is needed.") for p in missing)
    assert any("Why adopt" in p and "rank 4" in p for p in missing)
    assert any("Why pass over" in p and "rank 3" in p for p in missing)
    assert adoption_problems(ranking, departing, {"parking": "panel asked", "speeding": "in hand"}) == []
    assert adoption_problems(ranking, ["litter", "drugs", "speeding"], {}) == []


def test_a_reason_justifies_an_adoption_or_explains_a_pass_over():
    reasons = adoption_reasons(["litter", "parking"], {"parking": " panel asked ", "speeding": "in hand\n"})
    assert reasons.justifications == {"parking": "panel asked"}
    assert reasons.passed_over == {"speeding": "in hand"}


def test_the_default_period_is_the_last_ninety_days():
    assert default_period(dt.date(2026, 6, 30)) == (dt.date(2026, 4, 1), dt.date(2026, 6, 30))


def test_the_chart_bars_are_the_best_signals_best_first(ranking):
    bars = signal_bars(ranking, 3)
    assert [b.label for b in bars] == [s.label for s in ranking.signals[:3]]
    assert [b.prevalence for b in bars] == pytest.approx([0.6, 0.4, 0.3])
