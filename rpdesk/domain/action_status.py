"""Status-flow rules of a partner action, and when an action is overdue or due soon.

The rules, chosen so that the tracker tells residents and the tasking group the truth:

- **Active** statuses are open, in progress and blocked. From any active status an action may move
  to any other status.
- **Blocked** needs a note saying what it is waiting for (a partner, funding, a decision), so the
  tasking group can unblock it.
- **Done** needs an outcome (what was done): done actions feed the "we did" part of community
  briefings, and an outcome-less "done" tells residents nothing.
- **Cancelled** needs a note saying why, so a dropped promise is explained rather than vanished.
- **Done and cancelled are final.** The only way out is a *reopen* (back to open or in progress)
  with a note saying why; a final action cannot jump straight to the other final status.
- A "change" to the status it already has is refused, so the history holds only real changes.
- Overdue: active, with a due date before today. Due soon: active, due today or within the
  ``due_soon_days`` setting. Done and cancelled actions are never overdue.
"""

from __future__ import annotations

import datetime as dt

from rpdesk.domain.vocabulary import ACTION_STATUS_LABELS, ActionStatus
from rpdesk.errors import FieldProblem, InvalidFields, UserError

ACTIVE: frozenset[ActionStatus] = frozenset({ActionStatus.OPEN, ActionStatus.IN_PROGRESS, ActionStatus.BLOCKED})
FINAL: frozenset[ActionStatus] = frozenset({ActionStatus.DONE, ActionStatus.CANCELLED})
REOPEN_TO: frozenset[ActionStatus] = frozenset({ActionStatus.OPEN, ActionStatus.IN_PROGRESS})


class StatusRuleBroken(InvalidFields):
    """A status change the rules do not allow; the message says which rule and what to do."""


def _label(status: ActionStatus) -> str:
    return ACTION_STATUS_LABELS[status].lower()


def allowed_next(current: ActionStatus) -> frozenset[ActionStatus]:
    """The statuses an action in ``current`` may move to (notes and outcomes permitting)."""
    if current in FINAL:
        return REOPEN_TO
    return frozenset(ActionStatus) - {current}


def is_reopen(current: ActionStatus, new: ActionStatus) -> bool:
    return current in FINAL and new in REOPEN_TO


def transition_problem(
    current: ActionStatus, new: ActionStatus, *, note: str | None = None, outcome: str | None = None
) -> FieldProblem | None:
    """The rule ``current -> new`` breaks with this note and outcome, naming the field to fill (None: allowed).

    ``outcome`` is the action's outcome text after the change (a done action needs one).
    """
    has_note = bool(note and note.strip())
    if new == current:
        return FieldProblem("status", f"The action is already {_label(current)}.")
    if new not in allowed_next(current):
        return FieldProblem(
            "status",
            f"A {_label(current)} action is final: reopen it (to open or in progress, with a note saying why) "
            f"before marking it {_label(new)}.",
        )
    if is_reopen(current, new) and not has_note:
        return FieldProblem("note", f"Reopening a {_label(current)} action needs a note saying why.")
    if new is ActionStatus.BLOCKED and not has_note:
        return FieldProblem("note", "A blocked action needs a note saying what it is waiting for.")
    if new is ActionStatus.CANCELLED and not has_note:
        return FieldProblem("note", "Cancelling an action needs a note saying why.")
    if new is ActionStatus.DONE and not (outcome and outcome.strip()):
        return FieldProblem("outcome", "A done action needs an outcome saying what was done (residents will read it).")
    return None


def check_transition(
    current: ActionStatus, new: ActionStatus, *, note: str | None = None, outcome: str | None = None
) -> None:
    """Raise :class:`StatusRuleBroken` unless ``current -> new`` is allowed (:func:`transition_problem`)."""
    problem = transition_problem(current, new, note=note, outcome=outcome)
    if problem is not None:
        raise StatusRuleBroken([problem])


def is_overdue(status: ActionStatus, due: dt.date | None, today: dt.date) -> bool:
    """Active and past its due date."""
    return status in ACTIVE and due is not None and due < today


def is_due_soon(status: ActionStatus, due: dt.date | None, today: dt.date, days: int) -> bool:
    """Active and due from today to ``days`` days ahead (inclusive)."""
    return status in ACTIVE and due is not None and today <= due <= today + dt.timedelta(days=days)


def parse_status(text: str) -> ActionStatus:
    """A status from its code or label in any case ("in progress", "in_progress"); UserError lists them."""
    folded = "_".join(text.strip().casefold().replace("-", " ").split())
    for status in ActionStatus:
        if folded in (status.value, "_".join(ACTION_STATUS_LABELS[status].casefold().split())):
            return status
    raise UserError(f"'{text}' is not an action status. Valid statuses: {', '.join(s.value for s in ActionStatus)}.")
