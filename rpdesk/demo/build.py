"""Putting a demo ward together, one transaction per ward."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from sqlalchemy import select

from rpdesk.db import models as m
from rpdesk.db.changelog import log_bulk, os_user
from rpdesk.db.database import Database
from rpdesk.demo.actions import add_priorities_and_actions
from rpdesk.demo.audits import add_audits
from rpdesk.demo.crime import add_crimes
from rpdesk.demo.geography import add_geography
from rpdesk.demo.history import WardHistory
from rpdesk.demo.names import FIRST, LAST, PLACES, lsoa_codes, ward_code
from rpdesk.demo.officers import add_duty, add_officers
from rpdesk.demo.surveys import add_surveys
from rpdesk.domain.vocabulary import OfficerRole
from rpdesk.progress import ProgressFn, no_progress, sub_progress


@dataclass(frozen=True)
class DemoSummary:
    """How much a demo run wrote."""

    wards: int
    respondents: int
    answers: int
    observations: int
    crimes: int
    duty_records: int
    abstractions: int
    actions: int


def _authorisers(rng: random.Random, sergeant: str) -> list[str]:
    """Who else authorises abstractions when the ward's sergeant is off: two other sergeants, the duty inspector."""
    others: list[str] = []
    while len(others) < 3:
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        if name != sergeant and name not in others:
            others.append(name)
    return [f"PS {others[0]}", f"PS {others[1]}", f"Insp {others[2]}"]


def build_demo(
    db: Database,
    *,
    wards: int = 3,
    years: int = 3,
    seed: int = 1,
    today: dt.date | None = None,
    progress: ProgressFn = no_progress,
) -> DemoSummary:
    """Add ``wards`` demo wards with ``years`` of history ending ``today`` (default: the real today).

    Each ward is written in its own transaction, so an interrupted run leaves whole wards only.
    """
    end = today or dt.date.today()
    start = dt.date(end.year - years, end.month, 1)
    totals = dict.fromkeys(("respondents", "answers", "observations", "crimes", "duty", "abstractions", "actions"), 0)
    with db.session() as s:
        taken = set(s.scalars(select(m.Ward.code)))
    sergeants: dict[str, int] = {}
    for index in range(wards):
        ward_rng = random.Random(f"{seed}-{index}")
        name = PLACES[index % len(PLACES)] + ("" if index < len(PLACES) else f" {index // len(PLACES) + 1}")
        code = ward_code(index, seed)
        if code in taken:
            continue
        neighbourhood = f"{PLACES[(index // 3) * 3 % len(PLACES)]} Neighbourhood Team"
        with db.session() as s:
            issues = list(s.scalars(select(m.Issue).where(m.Issue.active).order_by(m.Issue.id)))
            partners = {n: i for n, i in s.execute(select(m.PartnerAgency.name, m.PartnerAgency.id))}
            ward = m.Ward(
                code=code,
                name=name,
                neighbourhood=neighbourhood,
                language="both" if name.startswith(("Y", "Tre", "Aber")) else "en",
            )
            lsoas = lsoa_codes(ward_rng, ward_rng.randint(4, 6))
            ward.lsoas = [m.WardLsoa(lsoa_code=c) for c in lsoas]
            s.add(ward)
            s.flush()
            history = WardHistory(s, ward_rng, issues, partners, start, end, story=index % 3)
            sergeant = s.get(m.Officer, sergeants[neighbourhood]) if neighbourhood in sergeants else None
            if sergeant is None:
                sergeant = m.Officer(
                    collar=f"PS{seed % 10}{index:03d}",
                    role=OfficerRole.SERGEANT,
                    ring_fenced=False,
                    name=f"{ward_rng.choice(FIRST)} {ward_rng.choice(LAST)}",
                    email=f"{neighbourhood.split()[0].lower()}.snt@demo.police.uk",
                    phone=f"01632 960{index:03d}",  # Ofcom's range for drama: never a real line
                )
                s.add(sergeant)
                s.flush()
                sergeants[neighbourhood] = sergeant.id
            team = add_officers(history, ward, index, seed, sergeant)
            names = [f"PS {sergeant.name}", *(f"{o.role.value} {o.name}" for o in team)]
            step = 1 / max(1, wards)
            add_surveys(history, ward, sub_progress(progress, index * step, (index + 0.5) * step))
            obs = add_audits(history, ward, names)
            add_crimes(history, ward, lsoas)
            add_priorities_and_actions(history, ward, obs, names)
            add_geography(history, ward, index)
            add_duty(history, ward, team, [f"PS {sergeant.name}", *_authorisers(ward_rng, sergeant.name)])
            summary = {"seed": seed, "years": years, "by": os_user(), **history.summary}
            log_bulk(s, "ward", ward.id, "demo", summary, ward_id=ward.id)
            for k, v in history.summary.items():
                totals[k] += v
        progress((index + 1) * step, f"{name} done")
    return DemoSummary(
        wards=wards,
        respondents=totals["respondents"],
        answers=totals["answers"],
        observations=totals["observations"],
        crimes=totals["crimes"],
        duty_records=totals["duty"],
        abstractions=totals["abstractions"],
        actions=totals["actions"],
    )
