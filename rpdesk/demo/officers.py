"""Ward officers and their postings; duty days with leave, sickness and abstractions."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from rpdesk.db import models as m
from rpdesk.db.bulk import bulk_insert
from rpdesk.demo.history import WardHistory
from rpdesk.demo.names import ABSTRACTION_WEIGHTS, FIRST, LAST
from rpdesk.domain.ringfence import minimised
from rpdesk.domain.vocabulary import AbsenceKind, AbstractionReason, OfficerRole


def _unique_name(first: str, last: str, taken: set[str]) -> str:
    """``first last``, moving along the surname list (no extra random draws) if the team has one already."""
    name, shift = f"{first} {last}", 0
    while name in taken:
        shift += 1
        name = f"{first} {LAST[(LAST.index(last) + shift) % len(LAST)]}"
    taken.add(name)
    return name


def add_officers(h: WardHistory, ward: m.Ward, index: int, seed: int, sergeant: m.Officer | None) -> list[m.Officer]:
    rng = h.rng
    team: list[m.Officer] = []
    taken = {sergeant.name} if sergeant is not None else set()
    for role, n in ((OfficerRole.PC, 2), (OfficerRole.PCSO, rng.randint(1, 2))):
        for k in range(n):
            prefix = "PC" if role is OfficerRole.PC else "PCSO"
            off = m.Officer(
                collar=f"{prefix}{seed % 10}{index:03d}{k}",
                role=role,
                ring_fenced=True,
                name=_unique_name(rng.choice(FIRST), rng.choice(LAST), taken),
                email=f"{ward.name.lower().replace(' ', '').replace(chr(39), '')}.snt@demo.police.uk",
            )
            off.postings = [m.Posting(ward_id=ward.id, team=ward.neighbourhood, start_date=h.start)]
            team.append(off)
    if sergeant is not None:
        sergeant.postings.append(m.Posting(ward_id=ward.id, team=ward.neighbourhood, start_date=h.start))
    h.session.add_all(team)
    h.session.flush()
    return team


def add_duty(h: WardHistory, ward: m.Ward, team: list[m.Officer], authorisers: list[str]) -> None:
    """Duty days for two years and more; abstractions authorised by the ward's sergeant mostly, else by
    a neighbouring team's sergeant or the duty inspector (``authorisers``, the ward's sergeant first)."""
    rng = h.rng
    duty_rows: list[tuple[object, ...]] = []
    abstraction_plan: list[tuple[int, dt.date, float, str]] = []
    reasons, weights = list(ABSTRACTION_WEIGHTS), list(ABSTRACTION_WEIGHTS.values())
    days = (h.end - h.start).days + 1
    for off in team:
        pressure = rng.uniform(0.04, 0.22)  # some officers are pulled away far more than others
        offset = rng.randrange(7)
        for d in range(days):
            day = h.start + dt.timedelta(days=d)
            if (d + offset) % 7 in (5, 6):
                continue  # rest days are not recorded
            r = rng.random()
            if r < 0.06:
                absence = AbsenceKind.ANNUAL_LEAVE if r < 0.045 else AbsenceKind.SICKNESS
                stored = minimised(absence, keep_reason=False)  # as a force with the default settings keeps it
                duty_rows.append((off.id, ward.id, day, 0.0, stored.value if stored else None, 1))
                continue
            hours = 8.0 if off.role is OfficerRole.PCSO else rng.choice((8.0, 10.0))
            duty_rows.append((off.id, ward.id, day, hours, None, 1))
            if rng.random() < h.abstraction_chance(day, pressure):
                reason = rng.choices(reasons, weights)[0]
                taken = (
                    hours
                    if reason in (AbstractionReason.AID_CENTRAL, AbstractionReason.TRAINING, AbstractionReason.COURT)
                    else float(rng.randint(2, int(hours)))
                )
                abstraction_plan.append((off.id, day, taken, reason.value))
    bulk_insert(
        h.session,
        m.DutyRecord,
        ("officer_id", "ward_id", "date", "rostered_hours", "absence", "version"),
        duty_rows,
    )
    ids = {
        (o, d): i
        for i, o, d in h.session.execute(
            select(m.DutyRecord.id, m.DutyRecord.officer_id, m.DutyRecord.date).where(m.DutyRecord.ward_id == ward.id)
        )
    }
    weights = [5, *([2] * (len(authorisers) - 1))]
    rows = [
        (ids[(o, d)], hours, reason, rng.choices(authorisers, weights)[0], None, 1)
        for o, d, hours, reason in abstraction_plan
    ]
    bulk_insert(h.session, m.Abstraction, ("duty_id", "hours", "reason", "authorised_by", "note", "version"), rows)
    h.summary["duty"] += len(duty_rows)
    h.summary["abstractions"] += len(rows)
