"""What a partner action must say before it is saved, in one place for the service and the action form.

An action names what will be done (its title) and who will see it done (its owner). Its dates plan
the work: a review falls on or before the due date (reviewing after the deadline is too late to
change course), and nothing falls due before the action was raised. A public action may be read by
residents in a community briefing, so it says what they will see change (its control signal).

:func:`action_problems` returns every problem as a :class:`~rpdesk.errors.FieldProblem` (the field's
argument name and the words a user reads); a field passed as None is not checked, so an edit checks
only what it changes plus the cross-field rules on the merged record.
"""

from __future__ import annotations

import datetime as dt

from rpdesk.domain.dates import shown
from rpdesk.errors import FieldProblem

#: The longest title the database keeps.
TITLE_MAX = 300


def action_problems(
    *,
    title: str | None = None,
    owner: str | None = None,
    due: dt.date | None = None,
    review: dt.date | None = None,
    created: dt.date | None = None,
    public: bool = False,
    control_signal: str | None = None,
) -> list[FieldProblem]:
    """Every rule an action breaks as given (empty when it can be saved)."""
    out = []
    if title is not None and not title.strip():
        out.append(FieldProblem("title", "An action needs a title saying what will be done."))
    if title is not None and len(title) > TITLE_MAX:
        out.append(
            FieldProblem("title", f"An action title may be at most {TITLE_MAX} characters (this one has {len(title)}).")
        )
    if owner is not None and not owner.strip():
        out.append(FieldProblem("owner", "An action needs an owner: who will see it done."))
    if due is not None and review is not None and review > due:
        out.append(
            FieldProblem("review_date", f"The review date ({shown(review)}) is after the due date ({shown(due)}).")
        )
    if due is not None and created is not None and due < created:
        text = f"The due date ({shown(due)}) is before the action was created ({shown(created)})."
        out.append(FieldProblem("due_date", text))
    if public and not (control_signal and control_signal.strip()):
        out.append(FieldProblem("control_signal", "A public action needs the control signal residents will see."))
    return out
