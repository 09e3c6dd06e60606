"""Known answers for the statistics, worked by hand or from published tables."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from rpdesk.domain.stats import (
    average_ranks,
    format_p,
    mean_interval,
    poisson_counts_test,
    spearman,
    two_proportion_test,
    wilson_interval,
)


def test_wilson_interval_known_values():
    low, high = wilson_interval(5, 10)
    assert low == pytest.approx(0.2366, abs=1e-4)
    assert high == pytest.approx(0.7634, abs=1e-4)
    assert wilson_interval(0, 10) == (0.0, pytest.approx(0.2775, abs=1e-4))
    assert wilson_interval(10, 10) == (pytest.approx(0.7225, abs=1e-4), 1.0)


def test_wilson_interval_without_data_is_the_whole_range():
    assert wilson_interval(0, 0) == (0.0, 1.0)


@given(st.integers(0, 200), st.integers(1, 200))
def test_one_more_success_never_lowers_the_interval(k, n):
    k = min(k, n)
    low, high = wilson_interval(k, n)
    low2, high2 = wilson_interval(k + 1, n + 1)
    assert 0 <= low <= k / n <= high <= 1
    assert low2 >= low - 1e-12 and high2 >= high - 1e-12


def test_two_proportion_test_known_answer():
    # 30% of 100 before, 20% of 100 after: pooled 0.25, SE 0.06124, z = -1.633, p = 0.1025.
    result = two_proportion_test(30, 100, 20, 100)
    assert result is not None
    assert result.change == pytest.approx(-0.10)
    assert result.z == pytest.approx(-1.633, abs=1e-3)
    assert result.p_value == pytest.approx(0.1025, abs=1e-3)
    assert not result.beyond_chance()
    big = two_proportion_test(60, 200, 30, 200)
    assert big is not None and big.beyond_chance()


def test_two_proportion_test_without_variation_or_data():
    same = two_proportion_test(0, 50, 0, 40)
    assert same is not None and same.p_value == 1.0 and same.z == 0.0
    assert two_proportion_test(3, 0, 1, 10) is None


def test_spearman_with_ties_matches_hand_count_and_pandas_ranks():
    x, y = [1, 2, 3, 4, 5], [5, 6, 7, 8, 7]
    assert average_ranks(y) == [1, 2, 3.5, 5, 3.5]
    assert spearman(x, y) == pytest.approx(8 / 95**0.5)
    assert spearman(x, y) == pytest.approx(pd.Series(x).rank().corr(pd.Series(y).rank()))
    assert spearman([1, 2, 3], [3, 2, 1]) == pytest.approx(-1)
    assert spearman([1, 1, 1], [1, 2, 3]) is None


def test_mean_interval_from_sums():
    values = [1, 2, 3, 4, 5]
    result = mean_interval(len(values), sum(values), sum(v * v for v in values))
    assert result is not None
    assert result.mean == 3
    # sd = 1.5811, SE = 0.7071, half-width = 1.386
    assert result.high - result.mean == pytest.approx(1.386, abs=1e-3)
    assert mean_interval(0, 0, 0) is None


def test_exact_test_of_two_counts_known_answers():
    # Values as R's binom.test / poisson.test give them.
    assert poisson_counts_test(120, 118).p_value == pytest.approx(0.948335, abs=1e-6)
    assert poisson_counts_test(120, 60).p_value == pytest.approx(9.144586e-06, rel=1e-6)
    assert poisson_counts_test(10, 30).p_value == pytest.approx(0.0022214, abs=1e-7)  # binom.test(10, 40)
    assert poisson_counts_test(10, 0).p_value == pytest.approx(2 / 2**10)
    # unequal exposure: 7 in 1 month against 13 in 3 months, p0 = 1/4
    assert poisson_counts_test(7, 13, 1, 3).p_value == pytest.approx(0.305478, abs=1e-6)
    assert poisson_counts_test(0, 0).p_value == 1.0


def test_exact_test_handles_counts_in_the_thousands():
    test = poisson_counts_test(3000, 2900)
    assert test.p_value == pytest.approx(0.197439, abs=1e-5)
    assert not test.fell() and test.change == -100


def test_a_fall_beyond_chance_is_a_fall():
    assert poisson_counts_test(120, 60).fell() and not poisson_counts_test(120, 60).rose()
    assert not poisson_counts_test(120, 118).fell()
    assert poisson_counts_test(60, 120).rose()


@given(st.integers(0, 200), st.integers(0, 200))
def test_exact_test_is_symmetric_with_equal_exposures(a, b):
    assert poisson_counts_test(a, b).p_value == pytest.approx(poisson_counts_test(b, a).p_value)
    assert 0 < poisson_counts_test(a, b).p_value <= 1


def test_p_values_are_never_printed_as_zero():
    assert format_p(9e-6) == "p < 0.001"
    assert format_p(0.0) == "p < 0.001"
    assert format_p(0.0421) == "p = 0.042"
    assert format_p(1.0) == "p = 1.000"
