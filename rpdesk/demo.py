"""Deterministic demo wards: the same seed always gives the same database.

Used to show the app, as the test fixture and as the benchmark generator, so its data has the
structure real wards have: each ward has a few strong signals that residents feel (high
prevalence *and* effect), they shift over time (a priority worked on falls, a new one rises),
EVA walks find the physical ones, police.uk-style crime follows the crime ones, partner actions sit
in every status, and ring-fenced officers lose some hours to abstractions.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from rpdesk.db import models as m
from rpdesk.db.bulk import bulk_insert
from rpdesk.db.changelog import log_bulk, os_user
from rpdesk.db.database import Database
from rpdesk.domain.catalogue import POLICE_UK_CRIME_TYPES
from rpdesk.domain.vocabulary import (
    AbsenceKind,
    AbstractionReason,
    ActionStatus,
    Epic,
    IssueKind,
    MeetingKind,
    ObservationStatus,
    OfficerRole,
    SurveyMethod,
)
from rpdesk.progress import ProgressFn, no_progress, sub_progress

PLACES = (
    "Ashfield",
    "Brookside",
    "Castle Vale",
    "Denby Park",
    "Eastgate",
    "Fairholme",
    "Glebe Farm",
    "Hollins",
    "Ivy Bank",
    "Kingsmead",
    "Larkrise",
    "Millbrook",
    "Northwood",
    "Oakenshaw",
    "Parkside",
    "Queensbury",
    "Riverside",
    "St Anne's",
    "Thornbury",
    "Upton",
    "Valley Road",
    "Westfield",
    "Yewtree",
    "Abbey Hey",
    "Beechwood",
    "Cliftonville",
    "Dale End",
    "Elm Grove",
    "Fenham",
    "Greenbank",
    "Harewood",
    "Ingleby",
    "Jubilee",
    "Kirkstall",
    "Longford",
    "Moorside",
    "Newlands",
    "Old Town",
    "Priory",
    "Redhill",
    "Southmead",
    "Tanyard",
    "Underhill",
    "Victoria",
    "Wharfedale",
    "Whitchurch",
    "Woodhouse",
    "Ynysybwl",
    "Aberaman",
    "Trefechan",
)
STREETS = (
    "High Street",
    "Station Road",
    "Church Lane",
    "Mill Street",
    "Victoria Road",
    "Park Avenue",
    "Harlech Close",
    "Queens Road",
    "Chapel Street",
    "New Road",
    "Green Lane",
    "Albert Terrace",
    "The Crescent",
    "Orchard Way",
    "Brook Street",
    "School Lane",
    "Market Square",
    "Canal Walk",
    "Heol y Parc",
    "Maes y Coed",
)
FIRST = (
    "Sam",
    "Alex",
    "Jo",
    "Chris",
    "Priya",
    "Tom",
    "Aisha",
    "Rhys",
    "Megan",
    "Daniel",
    "Hannah",
    "Imran",
    "Gareth",
    "Lucy",
    "Owen",
    "Sian",
    "Kate",
    "Ravi",
    "Ffion",
    "Liam",
)
LAST = (
    "Morgan",
    "Patel",
    "Jones",
    "Hughes",
    "Khan",
    "Evans",
    "Smith",
    "Clarke",
    "Davies",
    "Ahmed",
    "Walsh",
    "Price",
    "Turner",
    "Lewis",
    "Roberts",
    "Bennett",
    "Shah",
    "Wright",
    "Powell",
    "Griffiths",
)
AGE_BANDS = ("16-24", "25-34", "35-44", "45-54", "55-64", "65-74", "75+")
ABSTRACTION_WEIGHTS = {
    AbstractionReason.RESPONSE_COVER: 30,
    AbstractionReason.CUSTODY_CONSTANT: 6,
    AbstractionReason.SCENE_GUARD: 8,
    AbstractionReason.ESCORT_HOSPITAL: 6,
    AbstractionReason.AID_LOCAL: 8,
    AbstractionReason.AID_CENTRAL: 5,
    AbstractionReason.EVENTS: 7,
    AbstractionReason.MAJOR_INCIDENT: 2,
    AbstractionReason.TRAINING: 12,
    AbstractionReason.COURT: 8,
    AbstractionReason.CONTROL_ROOM: 4,
    AbstractionReason.OTHER: 4,
}
ACTION_IDEAS = {
    "litter": ("Council street scene", "Deep clean of the precinct and extra bins", "Clean precinct, new bins"),
    "fly_tipping": ("Council street scene", "Clear dumped waste and fit a camera at the lane", "Lane cleared"),
    "vandalism_graffiti": (
        "Council street scene",
        "Remove graffiti within 48 hours of report",
        "Graffiti-free shop shutters",
    ),
    "street_lighting": ("Street lighting", "Repair and upgrade lamps on the footpath", "Lit footpath"),
    "youths_hanging_around": (
        "Youth service",
        "Friday evening youth club at the community centre",
        "Youth club open Fridays",
    ),
    "drunk_rowdy": ("Licensing", "Licensing visits to late-opening premises", "Quieter evenings by the shops"),
    "drugs": ("Housing provider", "Joint visits and closure warning for problem address", "Closure notice posted"),
    "speeding": ("Highways", "Speed survey and community speed watch", "Speed watch sessions"),
    "parking": ("Highways", "Parking enforcement near the school at drop-off", "Enforcement patrols"),
    "noisy_neighbours": ("Environmental health", "Noise abatement visits", "Noise warnings served"),
    "abandoned_cars": ("Council street scene", "Remove abandoned vehicles", "Vehicles removed"),
    "dog_fouling": ("Council street scene", "Dog warden patrols and signs", "New signs and bins"),
    "asb_general": ("Housing provider", "Acceptable behaviour contracts for repeat callers", "ABCs in place"),
    "burglary": ("Fire and rescue service", "Home security and safety visits on the estate", "Crime prevention visits"),
    "vehicle_crime": ("Highways", "Lighting and signage in the car park", "Car park signs"),
    "violence": ("Licensing", "Night-time economy patrol plan", "Visible patrols at closing time"),
    "robbery": ("Youth service", "Route-to-school patrols and mentoring", "Patrols on school routes"),
}


@dataclass(frozen=True)
class DemoSummary:
    wards: int
    respondents: int
    answers: int
    observations: int
    crimes: int
    duty_records: int
    abstractions: int
    actions: int


def ward_code(index: int, seed: int) -> str:
    """An ONS-style ward code (E05 + 6 digits), stable for a seed."""
    return f"E05{(10_000 + seed * 7919 + index * 104_729) % 1_000_000:06d}"


def _lsoa_codes(rng: random.Random, n: int) -> list[str]:
    return [f"E01{rng.randrange(0, 1_000_000):06d}" for _ in range(n)]


def _months(start: dt.date, end: dt.date) -> list[dt.date]:
    out, d = [], start.replace(day=1)
    while d <= end:
        out.append(d)
        d = (d.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return out


class _WardBuilder:
    """Builds one ward's history; the ward's latent signal profile drives every table."""

    def __init__(
        self,
        session: Session,
        rng: random.Random,
        issues: Sequence[m.Issue],
        partners: dict[str, int],
        start: dt.date,
        end: dt.date,
    ) -> None:
        self.s, self.rng, self.issues, self.partners = session, rng, issues, partners
        self.start, self.end = start, end
        codes = [i.code for i in issues]
        hot = rng.sample(codes, 4)
        self.base = {c: rng.uniform(0.05, 0.25) for c in codes}
        for i, c in enumerate(hot[:3]):
            self.base[c] = rng.uniform(0.45, 0.7) - 0.06 * i
        self.fading, self.rising = hot[0], hot[3]
        self.summary = dict.fromkeys(
            ("respondents", "answers", "observations", "crimes", "duty", "abstractions", "actions"), 0
        )

    def prevalence(self, code: str, when: dt.date) -> float:
        """The true share seeing ``code`` as a fairly/very big problem at ``when``: a fading and a rising one."""
        t = (when - self.start).days / max(1, (self.end - self.start).days)
        p = self.base[code]
        if code == self.fading:
            p *= 1 - 0.55 * t
        elif code == self.rising:
            p = p + 0.4 * t
        return min(0.9, p)

    # -- surveys --------------------------------------------------------------------------------
    def surveys(self, ward: m.Ward, progress: ProgressFn) -> None:
        rng, rounds = self.rng, []
        d = dt.date(self.start.year, 3, 1)
        while d <= self.end:
            if d >= self.start:
                rounds.append(d)
            d = dt.date(d.year, 9, 1) if d.month == 3 else dt.date(d.year + 1, 3, 1)
        for k, rstart in enumerate(rounds):
            season = "Spring" if rstart.month == 3 else "Autumn"
            rnd = m.SurveyRound(
                ward_id=ward.id,
                name=f"{season} {rstart.year}",
                method=rng.choice([SurveyMethod.DOOR, SurveyMethod.DOOR, SurveyMethod.ONLINE, SurveyMethod.KIN]),
                start_date=rstart,
                end_date=rstart + dt.timedelta(days=41),
            )
            self.s.add(rnd)
            self.s.flush()
            n = rng.randint(150, 300)
            resp_rows: list[tuple[object, ...]] = []
            level = sum(self.prevalence(i.code, rstart) for i in self.issues) / len(self.issues)
            for r in range(n):
                day = rstart + dt.timedelta(days=rng.randrange(42))
                conf = max(1, min(5, round(rng.gauss(3.6 - 2.5 * level, 0.9))))
                resp_rows.append(
                    (
                        rnd.id,
                        f"R{rstart:%y%m}-{r + 1:04d}",
                        day,
                        rng.choice(STREETS) if rng.random() < 0.7 else None,
                        rng.choice(AGE_BANDS),
                        conf,
                        max(1, min(5, conf + rng.choice((-1, 0, 0, 1)))),
                        max(1, min(5, conf + rng.choice((-1, 0, 1)))),
                        max(1, min(4, round(rng.gauss(3.1 - 2 * level, 0.8)))),
                        rng.random() < 0.35,
                        None,
                    )
                )
            bulk_insert(
                self.s,
                m.SurveyResponse,
                (
                    "round_id",
                    "respondent",
                    "date",
                    "street",
                    "age_band",
                    "conf_good_job",
                    "conf_understand",
                    "conf_dealing",
                    "safe_after_dark",
                    "knows_contact",
                    "comments",
                ),
                resp_rows,
            )
            ids = (
                self.s.execute(
                    select(m.SurveyResponse.id).where(m.SurveyResponse.round_id == rnd.id).order_by(m.SurveyResponse.id)
                )
                .scalars()
                .all()
            )
            answers = []
            for rid in ids:
                for issue in self.issues:
                    if rng.random() < 0.04:
                        continue  # not answered
                    p = self.prevalence(issue.code, rstart)
                    big = rng.random() < p
                    problem = rng.choice((2, 2, 3)) if big else rng.choice((0, 0, 1, 1, 1))
                    effect_p = 0.65 if big else 0.08
                    effect = None if rng.random() < 0.05 else rng.random() < effect_p
                    answers.append((rid, issue.id, problem, effect))
            bulk_insert(self.s, m.SurveyAnswer, ("response_id", "issue_id", "problem", "effect"), answers)
            self.summary["respondents"] += n
            self.summary["answers"] += len(answers)
            progress((k + 1) / len(rounds), f"{ward.name}: survey {rnd.name}")

    # -- EVA ------------------------------------------------------------------------------------
    def audits(self, ward: m.Ward, officers: list[str]) -> list[int]:
        rng = self.rng
        physical = [
            i
            for i in self.issues
            if i.kind is IssueKind.PHYSICAL or i.code in ("youths_hanging_around", "drugs", "drunk_rowdy")
        ]
        obs_ids: list[int] = []
        for month in _months(self.start, self.end):
            if rng.random() < 0.35:
                continue
            visit = m.AuditVisit(
                ward_id=ward.id,
                date=month + dt.timedelta(days=rng.randrange(27)),
                auditors=", ".join(rng.sample(officers, min(2, len(officers)))) + ", resident rep",
                area=rng.choice(STREETS),
            )
            self.s.add(visit)
            weights = [self.prevalence(i.code, month) + 0.02 for i in physical]
            for _ in range(rng.randint(3, 9)):
                issue = rng.choices(physical, weights)[0]
                age = (self.end - visit.date).days
                status = (
                    ObservationStatus.RESOLVED
                    if age > 120 and rng.random() < 0.8
                    else rng.choice(
                        [
                            ObservationStatus.OPEN,
                            ObservationStatus.REFERRED,
                            ObservationStatus.RESOLVED,
                            ObservationStatus.NO_ACTION,
                        ]
                    )
                )
                partner = ACTION_IDEAS.get(issue.code, ("Council street scene",))[0]
                visit.observations.append(
                    m.AuditObservation(
                        issue_id=issue.id,
                        location=f"{rng.choice(STREETS)}, near no. {rng.randint(1, 120)}",
                        easting=round(rng.uniform(350000, 352000)),
                        northing=round(rng.uniform(170000, 172000)),
                        severity=rng.choices((1, 2, 3, 4, 5), (2, 4, 5, 3, 1))[0],
                        count=rng.randint(1, 4),
                        partner_id=self.partners.get(partner),
                        reference=f"CRM-{rng.randint(100000, 999999)}",
                        status=status,
                        resolved_on=(
                            visit.date + dt.timedelta(days=rng.randint(3, 40))
                            if status is ObservationStatus.RESOLVED
                            else None
                        ),
                    )
                )
            self.summary["observations"] += len(visit.observations)
        self.s.flush()
        obs_ids = list(
            self.s.scalars(select(m.AuditObservation.id).join(m.AuditVisit).where(m.AuditVisit.ward_id == ward.id))
        )
        return obs_ids

    # -- police.uk crime ------------------------------------------------------------------------
    def crimes(self, ward: m.Ward, lsoas: list[str]) -> None:
        rng = self.rng
        by_type = {
            t: [i.code for i in self.issues if t in {c.crime_type for c in i.crime_types}]
            for t in POLICE_UK_CRIME_TYPES
        }
        rows: list[tuple[object, ...]] = []
        for month in _months(self.start, self.end):
            for ctype in POLICE_UK_CRIME_TYPES:
                mapped = by_type[ctype]
                rate = 2.0 + (25 * max(self.prevalence(c, month) for c in mapped) if mapped else 0)
                if ctype == "Anti-social behaviour":
                    rate *= 1.8 if month.month in (6, 7, 8) else 1.0
                for _ in range(_poisson(rng, rate)):
                    lsoa = rng.choice(lsoas)
                    asb = ctype == "Anti-social behaviour"
                    rows.append(
                        (
                            ward.id,
                            None
                            if asb
                            else hashlib.sha256(f"{ward.code}{len(rows)}{rng.random()}".encode()).hexdigest(),
                            month,
                            "Demo Constabulary",
                            "Demo Constabulary",
                            round(-2.6 + rng.uniform(-0.02, 0.02), 6),
                            round(51.45 + rng.uniform(-0.02, 0.02), 6),
                            f"On or near {rng.choice(STREETS)}",
                            lsoa,
                            f"{ward.name} {lsoas.index(lsoa) + 1:03d}A",
                            ctype,
                            None
                            if asb
                            else rng.choice(
                                (
                                    "Investigation complete; no suspect identified",
                                    "Unable to prosecute suspect",
                                    "Under investigation",
                                    "Local resolution",
                                )
                            ),
                            None,
                        )
                    )
        bulk_insert(
            self.s,
            m.CrimeRecord,
            (
                "ward_id",
                "crime_id",
                "month",
                "reported_by",
                "falls_within",
                "longitude",
                "latitude",
                "location",
                "lsoa_code",
                "lsoa_name",
                "crime_type",
                "last_outcome",
                "context",
            ),
            rows,
        )
        self.summary["crimes"] += len(rows)

    # -- priorities, actions, meetings ----------------------------------------------------------
    def priorities_and_actions(self, ward: m.Ward, obs_ids: list[int], officer_names: list[str]) -> None:
        rng, today = self.rng, self.end
        by_code = {i.code: i for i in self.issues}
        period = self.start
        while period <= self.end:
            top = sorted(by_code, key=lambda c: -self.prevalence(c, period))[:3]
            period_end = min(self.end, period + dt.timedelta(days=181))
            for rank, code in enumerate(top, 1):
                pr = m.Priority(
                    ward_id=ward.id,
                    issue_id=by_code[code].id,
                    evidence_rank=rank,
                    wording=by_code[code].label,
                    period_start=period,
                    period_end=None if period_end >= self.end else period_end,
                    adopted_on=period,
                    adopted_by=officer_names[0],
                    status="active" if period_end >= self.end else "closed",
                    closed_on=None if period_end >= self.end else period_end,
                )
                self.s.add(pr)
                self.s.flush()
                for _ in range(rng.randint(1, 3)):
                    self._action(ward, pr, code, obs_ids, officer_names, period, today)
            period = period_end + dt.timedelta(days=1)
        for month in _months(self.start, self.end + dt.timedelta(days=40)):
            self.s.add(
                m.Meeting(
                    ward_id=ward.id,
                    kind=MeetingKind.TCG,
                    date=month + dt.timedelta(days=9),
                    start_time="10:00",
                    venue="Police station, briefing room",
                )
            )
            if month.month % 3 == 1:
                self.s.add(
                    m.Meeting(
                        ward_id=ward.id,
                        kind=MeetingKind.COMMUNITY,
                        date=month + dt.timedelta(days=16),
                        start_time="19:00",
                        venue=f"{ward.name} Community Centre",
                        attendance=rng.randint(8, 40) if month <= self.end else None,
                    )
                )

    def _action(
        self,
        ward: m.Ward,
        pr: m.Priority,
        code: str,
        obs_ids: list[int],
        names: list[str],
        period: dt.date,
        today: dt.date,
    ) -> None:
        rng = self.rng
        partner, title, signal = ACTION_IDEAS.get(code, ("Council street scene", "Joint patrols", "Patrols"))
        created = period + dt.timedelta(days=rng.randrange(30))
        due = created + dt.timedelta(days=rng.randint(14, 90))
        if due < today - dt.timedelta(days=30):
            status = rng.choices([ActionStatus.DONE, ActionStatus.CANCELLED, ActionStatus.BLOCKED], (85, 8, 7))[0]
        else:
            status = rng.choice(list(ActionStatus))
        action = m.PartnerAction(
            ward_id=ward.id,
            priority_id=pr.id,
            observation_id=rng.choice(obs_ids) if obs_ids and rng.random() < 0.3 else None,
            partner_id=self.partners.get(partner),
            title=title,
            owner=rng.choice(names),
            due_date=due,
            review_date=due - dt.timedelta(days=7),
            status=status,
            epic=rng.choice(list(Epic)),
            control_signal=signal,
            public=rng.random() < 0.7,
            created_on=created,
        )
        action.history.append(
            m.ActionStatusChange(
                changed_on=created, changed_by=action.owner, from_status=None, to_status=ActionStatus.OPEN
            )
        )
        if status is not ActionStatus.OPEN:
            when = min(today, created + dt.timedelta(days=rng.randint(3, 60)))
            action.history.append(
                m.ActionStatusChange(
                    changed_on=when, changed_by=action.owner, from_status=ActionStatus.OPEN, to_status=status
                )
            )
            if status is ActionStatus.DONE:
                action.completed_on = when
                action.outcome = f"Completed: {signal.lower()}."
            elif status is ActionStatus.BLOCKED:
                action.outcome = "Waiting for partner funding decision."
        self.s.add(action)
        self.summary["actions"] += 1

    # -- officers, duty, abstractions -----------------------------------------------------------
    def officers(self, ward: m.Ward, index: int, seed: int, sergeant: m.Officer | None) -> list[m.Officer]:
        rng = self.rng
        team: list[m.Officer] = []
        for role, n in ((OfficerRole.PC, 2), (OfficerRole.PCSO, rng.randint(1, 2))):
            for k in range(n):
                prefix = "PC" if role is OfficerRole.PC else "PCSO"
                off = m.Officer(
                    collar=f"{prefix}{seed % 10}{index:03d}{k}",
                    role=role,
                    ring_fenced=True,
                    name=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                    contact=f"{ward.name.lower().replace(' ', '').replace(chr(39), '')}.snt@demo.police.uk",
                )
                off.postings = [m.Posting(ward_id=ward.id, team=ward.neighbourhood, start_date=self.start)]
                team.append(off)
        if sergeant is not None:
            sergeant.postings.append(m.Posting(ward_id=ward.id, team=ward.neighbourhood, start_date=self.start))
        self.s.add_all(team)
        self.s.flush()
        return team

    def duty(self, ward: m.Ward, team: list[m.Officer], sergeant_name: str) -> None:
        rng = self.rng
        duty_rows: list[tuple[object, ...]] = []
        abstraction_plan: list[tuple[int, dt.date, float, str]] = []
        reasons, weights = list(ABSTRACTION_WEIGHTS), list(ABSTRACTION_WEIGHTS.values())
        days = (self.end - self.start).days + 1
        for off in team:
            pressure = rng.uniform(0.04, 0.22)  # some officers are pulled away far more than others
            offset = rng.randrange(7)
            for d in range(days):
                day = self.start + dt.timedelta(days=d)
                if (d + offset) % 7 in (5, 6):
                    continue  # rest days are not recorded
                r = rng.random()
                if r < 0.06:
                    absence = AbsenceKind.ANNUAL_LEAVE if r < 0.045 else AbsenceKind.SICKNESS
                    duty_rows.append((off.id, ward.id, day, 0.0, absence.value, 1))
                    continue
                hours = 8.0 if off.role is OfficerRole.PCSO else rng.choice((8.0, 10.0))
                duty_rows.append((off.id, ward.id, day, hours, None, 1))
                if rng.random() < pressure:
                    reason = rng.choices(reasons, weights)[0]
                    taken = (
                        hours
                        if reason
                        in (AbstractionReason.AID_CENTRAL, AbstractionReason.TRAINING, AbstractionReason.COURT)
                        else float(rng.randint(2, int(hours)))
                    )
                    abstraction_plan.append((off.id, day, taken, reason.value))
        bulk_insert(
            self.s,
            m.DutyRecord,
            ("officer_id", "ward_id", "date", "rostered_hours", "absence", "version"),
            duty_rows,
        )
        ids = {
            (o, d): i
            for i, o, d in self.s.execute(
                select(m.DutyRecord.id, m.DutyRecord.officer_id, m.DutyRecord.date).where(
                    m.DutyRecord.ward_id == ward.id
                )
            )
        }
        rows = [(ids[(o, d)], h, reason, sergeant_name, None, 1) for o, d, h, reason in abstraction_plan]
        bulk_insert(self.s, m.Abstraction, ("duty_id", "hours", "reason", "authorised_by", "note", "version"), rows)
        self.summary["duty"] += len(duty_rows)
        self.summary["abstractions"] += len(rows)


def _poisson(rng: random.Random, lam: float) -> int:
    """Knuth's method is slow for large rates; a rounded normal is fine for counts above 30."""
    if lam > 30:
        return max(0, round(rng.gauss(lam, lam**0.5)))
    limit, k, p = 2.718281828459045 ** (-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


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
            lsoas = _lsoa_codes(ward_rng, ward_rng.randint(4, 6))
            ward.lsoas = [m.WardLsoa(lsoa_code=c) for c in lsoas]
            s.add(ward)
            s.flush()
            builder = _WardBuilder(s, ward_rng, issues, partners, start, end)
            sergeant = s.get(m.Officer, sergeants[neighbourhood]) if neighbourhood in sergeants else None
            if sergeant is None:
                sergeant = m.Officer(
                    collar=f"PS{seed % 10}{index:03d}",
                    role=OfficerRole.SERGEANT,
                    ring_fenced=False,
                    name=f"{ward_rng.choice(FIRST)} {ward_rng.choice(LAST)}",
                    contact=f"{neighbourhood.split()[0].lower()}.snt@demo.police.uk",
                )
                s.add(sergeant)
                s.flush()
                sergeants[neighbourhood] = sergeant.id
            team = builder.officers(ward, index, seed, sergeant)
            names = [f"PS {sergeant.name}", *(f"{o.role.value} {o.name}" for o in team)]
            step = 1 / max(1, wards)
            builder.surveys(ward, sub_progress(progress, index * step, (index + 0.5) * step))
            obs = builder.audits(ward, names)
            builder.crimes(ward, lsoas)
            builder.priorities_and_actions(ward, obs, names)
            builder.duty(ward, team, f"PS {sergeant.name}")
            log_bulk(s, "ward", ward.id, "demo", {"seed": seed, "years": years, "by": os_user(), **builder.summary})
            for k, v in builder.summary.items():
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
