"""The rules a partner action must meet before it is saved, as the service and the action form both ask them."""

from __future__ import annotations

import datetime as dt

from rpdesk.domain.action_rules import TITLE_MAX, action_problems

DUE = dt.date(2026, 10, 30)


def _fields(**given):
    return [(p.field, p.text) for p in action_problems(**given)]


def test_a_complete_action_has_no_problem():
    assert _fields(title="Clear the underpass", owner="PC Turner", due=DUE, review=DUE, created=DUE) == []


def test_every_problem_is_named_with_its_field_not_only_the_first():
    found = _fields(
        title=" ",
        owner="",
        due=DUE,
        review=DUE + dt.timedelta(days=1),
        created=DUE + dt.timedelta(days=2),
        public=True,
        control_signal="  ",
    )
    assert [field for field, _text in found] == ["title", "owner", "review_date", "due_date", "control_signal"]
    texts = dict(found)
    assert texts["review_date"] == "The review date (31/10/2026) is after the due date (30/10/2026)."
    assert texts["due_date"] == "The due date (30/10/2026) is before the action was created (01/11/2026)."
    assert "(--" not in " ".join(texts.values()), "the rule's words carry no CLI option"


def test_a_title_longer_than_the_database_keeps_is_refused_with_its_length():
    assert _fields(title="x" * (TITLE_MAX + 1)) == [
        ("title", f"An action title may be at most {TITLE_MAX} characters (this one has {TITLE_MAX + 1}).")
    ]


def test_a_field_not_given_is_not_checked_so_an_edit_checks_what_it_changes():
    assert _fields(due=DUE) == []
    assert _fields(review=DUE + dt.timedelta(days=5)) == []  # no due date: nothing to fall after
    assert _fields(public=True, control_signal="Underpass clean and lit") == []
