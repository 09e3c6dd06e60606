"""The rules an EVA walk and a finding must meet, as the service and the EVA forms both ask them."""

from __future__ import annotations

import datetime as dt

import pytest

from rpdesk.domain.eva_rules import finding_problems, walk_problems

TODAY = dt.date(2026, 10, 15)
FINDING = {"issue": "litter", "location": "Canal Walk", "severity": 3, "count": 1, "status": "open"}


def _fields(problems):
    return [p.field for p in problems]


def test_a_walk_needs_its_walkers_and_is_recorded_once_walked():
    assert walk_problems(day=TODAY, auditors="PCSO Lee", today=TODAY) == []
    found = walk_problems(day=TODAY + dt.timedelta(days=1), auditors="  ", today=TODAY)
    assert [(p.field, p.text) for p in found] == [
        ("auditors", "Say who walked the audit (auditors)."),
        ("date", "The walk's date (16/10/2026) is in the future: record it once it has happened."),
    ]


@pytest.mark.parametrize(
    ("change", "fields"),
    [
        ({}, []),
        ({"issue": None, "location": " ", "severity": 6, "count": 0}, ["issue", "location", "severity", "count"]),
        ({"status": "resolved"}, ["resolved_on"]),
        ({"status": "resolved", "resolved_on": TODAY}, []),
        ({"resolved_on": TODAY}, ["resolved_on"]),
        ({"status": "referred"}, ["partner"]),
        ({"status": "referred", "partner": "Highways"}, []),
    ],
)
def test_a_finding_s_status_decides_its_partner_and_resolved_date(change, fields):
    assert _fields(finding_problems({**FINDING, **change})) == fields


def test_a_field_left_out_is_not_checked_and_a_missing_status_is_open():
    assert finding_problems({"severity": 2}) == []
    assert _fields(finding_problems({"resolved_on": TODAY})) == ["resolved_on"]
