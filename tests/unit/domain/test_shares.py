"""Shares typed as shown: "80%", "80" and 0.8 are the same target."""

from __future__ import annotations

import pytest

from rpdesk.domain.shares import ShareError, parse_share, shown_share


@pytest.mark.parametrize("value", ["80%", "80 %", " 80% ", "80", "0.8", ".8", 80, 0.8, 80.0])
def test_eighty_per_cent_typed_any_way_is_the_fraction(value):
    assert parse_share(value) == pytest.approx(0.8)


def test_one_is_the_whole_and_one_per_cent_needs_its_sign():
    assert parse_share("1") == 1.0
    assert parse_share("1%") == pytest.approx(0.01)
    assert parse_share("100%") == 1.0


@pytest.mark.parametrize("value", ["eighty", "80%%", "-5", "", "8 0", float("nan"), -0.1])
def test_what_is_not_a_share_says_what_was_expected(value):
    with pytest.raises(ShareError, match="a percentage such as 80%"):
        parse_share(value)


def test_a_share_is_shown_as_the_percentage_it_is_typed_as():
    assert shown_share(0.8) == "80%"
    assert shown_share(0.825) == "82.5%"
    assert shown_share(0.07) == "7%"
    assert parse_share(shown_share(0.825)) == pytest.approx(0.825)
