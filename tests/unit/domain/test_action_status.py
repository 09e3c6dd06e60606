"""Status-flow rules of partner actions, and overdue / due soon."""

from __future__ import annotations

import datetime as dt

import pytest

from rpdesk.domain.action_status import (
    StatusRuleBroken,
    allowed_next,
    check_transition,
    is_due_soon,
    is_overdue,
    parse_status,
    transition_problem,
)
from rpdesk.domain.vocabulary import ActionStatus as S
from rpdesk.errors import UserError

TODAY = dt.date(2026, 10, 15)


@pytest.mark.parametrize("current", [S.OPEN, S.IN_PROGRESS, S.BLOCKED])
def test_active_actions_may_move_anywhere_else(current):
    assert allowed_next(current) == set(S) - {current}


@pytest.mark.parametrize("current", [S.DONE, S.CANCELLED])
def test_final_actions_only_reopen(current):
    assert allowed_next(current) == {S.OPEN, S.IN_PROGRESS}
    other = S.CANCELLED if current is S.DONE else S.DONE
    with pytest.raises(StatusRuleBroken, match="final"):
        check_transition(current, other, note="changed my mind", outcome="x")


def test_reopening_needs_a_note():
    with pytest.raises(StatusRuleBroken, match="note"):
        check_transition(S.DONE, S.OPEN)
    check_transition(S.DONE, S.OPEN, note="graffiti is back")


def test_done_needs_an_outcome():
    with pytest.raises(StatusRuleBroken, match="outcome"):
        check_transition(S.IN_PROGRESS, S.DONE, outcome="  ")
    check_transition(S.IN_PROGRESS, S.DONE, outcome="Wall cleaned")


@pytest.mark.parametrize("new", [S.BLOCKED, S.CANCELLED])
def test_blocking_and_cancelling_need_a_note(new):
    with pytest.raises(StatusRuleBroken):
        check_transition(S.OPEN, new)
    check_transition(S.OPEN, new, note="waiting for council funding")


def test_no_change_is_refused():
    with pytest.raises(StatusRuleBroken, match="already"):
        check_transition(S.OPEN, S.OPEN)


def test_rule_breaks_are_user_errors():
    assert issubclass(StatusRuleBroken, UserError)


def test_overdue_is_active_and_past_due():
    yesterday = TODAY - dt.timedelta(days=1)
    assert is_overdue(S.OPEN, yesterday, TODAY)
    assert is_overdue(S.BLOCKED, yesterday, TODAY)
    assert not is_overdue(S.OPEN, TODAY, TODAY)  # due today is not yet overdue
    assert not is_overdue(S.DONE, yesterday, TODAY)
    assert not is_overdue(S.CANCELLED, yesterday, TODAY)
    assert not is_overdue(S.OPEN, None, TODAY)


def test_due_soon_window_is_inclusive():
    assert is_due_soon(S.OPEN, TODAY, TODAY, 14)
    assert is_due_soon(S.IN_PROGRESS, TODAY + dt.timedelta(days=14), TODAY, 14)
    assert not is_due_soon(S.OPEN, TODAY + dt.timedelta(days=15), TODAY, 14)
    assert not is_due_soon(S.OPEN, TODAY - dt.timedelta(days=1), TODAY, 14)
    assert not is_due_soon(S.DONE, TODAY, TODAY, 14)


def test_status_words():
    assert parse_status("In progress") is S.IN_PROGRESS
    assert parse_status("in-progress") is S.IN_PROGRESS
    assert parse_status("DONE") is S.DONE
    with pytest.raises(UserError, match="open, in_progress"):
        parse_status("finished")


@pytest.mark.parametrize(
    ("current", "new", "field"),
    [
        (S.OPEN, S.BLOCKED, "note"),
        (S.DONE, S.OPEN, "note"),
        (S.OPEN, S.DONE, "outcome"),
        (S.DONE, S.CANCELLED, "status"),
    ],
)
def test_a_broken_status_rule_names_the_field_to_fill(current, new, field):
    problem = transition_problem(current, new)
    assert problem is not None and problem.field == field
    with pytest.raises(StatusRuleBroken) as refused:
        check_transition(current, new)
    assert refused.value.problems == (problem,)
    assert transition_problem(S.OPEN, S.BLOCKED, note="waiting for the council") is None
