"""What an EVA walk and a finding seen on it must say before they are saved: one place for the service and the forms.

A walk is recorded once it has been walked, with who walked it (police, PCSOs, partners and
residents: the audit is only as good as its walkers). A finding says where it was seen, how severe
(1 = minor to 5 = severe) and how many; its status tells its life: a finding referred to a partner
names the partner, and only a resolved finding has the date it was put right (which it needs).

Each function returns every problem as a :class:`~rpdesk.errors.FieldProblem` (the field's argument
name, as in the service's values, and the words a user reads).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from rpdesk.domain.dates import future_problem
from rpdesk.domain.vocabulary import ObservationStatus
from rpdesk.errors import FieldProblem

SEVERITIES = range(1, 6)


def walk_problems(*, day: dt.date, auditors: str, today: dt.date) -> list[FieldProblem]:
    """Every rule a new walk breaks (empty when it can be saved)."""
    out = [] if auditors.strip() else [FieldProblem("auditors", "Say who walked the audit (auditors).")]
    late = future_problem("date", day, today=today, what="The walk's date")
    return out + ([late] if late else [])


def finding_problems(values: Mapping[str, Any]) -> list[FieldProblem]:
    """Every rule a finding breaks, from its values as the service takes them (a field left out is not checked).

    Status rules read a missing ``status`` as open (a new finding's default) and a missing partner
    or resolved date as none: an edit passes the finding's values merged with its changes.
    """
    out = []
    if "issue" in values and not values["issue"]:
        out.append(FieldProblem("issue", "Choose the issue seen."))
    if "location" in values and not str(values["location"] or "").strip():
        out.append(FieldProblem("location", "Say where it was seen (location)."))
    if "severity" in values and values["severity"] not in SEVERITIES:
        text = f"Severity {values['severity']!r} is not allowed: expected a whole number from 1 to 5."
        out.append(FieldProblem("severity", text))
    if "count" in values and (not isinstance(values["count"], int) or values["count"] < 1):
        text = f"Count {values['count']!r} is not allowed: expected a whole number of at least 1."
        out.append(FieldProblem("count", text))
    return out + _status_problems(values)


def _status_problems(values: Mapping[str, Any]) -> list[FieldProblem]:
    status = values.get("status") or ObservationStatus.OPEN
    resolved_on = values.get("resolved_on")
    if status == ObservationStatus.RESOLVED and resolved_on is None:
        return [FieldProblem("resolved_on", "A resolved observation needs the date it was put right.")]
    if status != ObservationStatus.RESOLVED and resolved_on is not None:
        return [FieldProblem("resolved_on", "Only a resolved observation has a resolved date.")]
    if status == ObservationStatus.REFERRED and not values.get("partner"):
        return [FieldProblem("partner", "Say which partner it was referred to.")]
    return []
