"""Reassurance activity counts: each kind of work counted in its period, beside recorded crime."""

from __future__ import annotations

import datetime as dt

from rpdesk.db import models as m
from rpdesk.domain.vocabulary import ActionStatus, MeetingKind
from rpdesk.services.activity import activity_rows
from rpdesk.services.periods import frame
from rpdesk.services.wards import add_ward, get_ward

DAY = dt.date(2026, 9, 15)


def test_each_kind_of_work_is_counted_in_its_own_period(db):
    with db.session() as s:
        ward_id = add_ward(s, "E05000030", "Harewood").id
        rnd = m.SurveyRound(ward_id=ward_id, name="Autumn 2026")
        s.add(rnd)
        s.flush()
        s.add_all(
            [
                m.AuditVisit(ward_id=ward_id, date=DAY, auditors="PCSO Lee"),
                m.AuditVisit(ward_id=ward_id, date=DAY - dt.timedelta(days=40), auditors="PCSO Lee"),  # before
                m.SurveyResponse(round_id=rnd.id, respondent="A1", date=DAY),
                m.SurveyResponse(round_id=rnd.id, respondent="A2", date=DAY),
                m.Meeting(ward_id=ward_id, kind=MeetingKind.COMMUNITY, date=DAY),
                m.Meeting(ward_id=ward_id, kind=MeetingKind.TCG, date=DAY),  # not a community meeting
                m.PartnerAction(
                    ward_id=ward_id,
                    title="Clear the lane",
                    owner="PC Shah",
                    status=ActionStatus.DONE,
                    created_on=DAY,
                    completed_on=DAY,
                ),
                m.PartnerAction(
                    ward_id=ward_id, title="Fix the lamp", owner="PC Shah", status=ActionStatus.OPEN, created_on=DAY
                ),
                m.CrimeRecord(ward_id=ward_id, month=dt.date(2026, 9, 1), crime_type="Burglary"),
                m.CrimeRecord(ward_id=ward_id, month=dt.date(2026, 9, 1), crime_type="Drugs"),
            ]
        )
    with db.session() as s:
        ward = get_ward(s, "E05000030")
        # the TCG on 15 Sep starts a period; as at 30 Sep it is a part period holding September's crime
        rows = {r.measure: r for r in activity_rows(s, ward, frame(s, ward, dt.date(2026, 9, 30)))}
    assert rows["EVAs walked"].this_period == 1 and rows["EVAs walked"].previous_period == 0
    assert rows["Residents heard (survey responses)"].this_period == 2
    assert rows["Community meetings held"].this_period == 1
    assert rows["Partner actions completed"].this_period == 1
    assert rows["Hours on ward duty"].this_period == 0
    assert rows["Recorded crime and ASB (police.uk)"].this_period == 2
    assert rows["EVAs walked"].last_12_months == 2
