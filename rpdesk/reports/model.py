"""The data each document prints: plain frozen dataclasses, never ORM objects or sessions.

:mod:`rpdesk.services.report_data` fills them from the database; tests and the benchmark can build
them by hand. Shares are 0..1; dates are calendar dates; every string is user text that the
document builders escape.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from rpdesk.reports.map_model import PaperMap


@dataclass(frozen=True)
class WardHeading:
    code: str
    name: str
    neighbourhood: str | None


@dataclass(frozen=True)
class MeetingInfo:
    id: int
    kind: str
    date: dt.date
    start_time: str | None
    venue: str | None


@dataclass(frozen=True)
class SignalRow:
    """One ranked signal and the evidence behind its rank (a sergeant must be able to explain it)."""

    rank: int
    issue: str
    label: str
    label_cy: str | None
    kind: str
    score: float
    respondents: int
    prevalence: float | None
    prevalence_low: float | None
    prevalence_high: float | None
    effect: float | None
    audit_per_walk: float | None  # severity-weighted EVA observations per walk; None: no walk in the period
    recorded: int | None  # None: no police.uk crime type matches the issue ("n/a", not zero)
    recorded_previous: int | None = None  # the same months a year before
    recorded_p: float | None = None  # exact test of the two counts
    flags: tuple[str, ...] = ()  # in words, e.g. "may swap with Fly-tipping"
    movement: int | None = None  # places moved up since the last snapshot; None when new or unknown
    swaps_with: tuple[str, ...] = ()  # issue codes whose 95% intervals overlap this one's


@dataclass(frozen=True)
class ActionRow:
    """A partner action as the tasking pack and card show it."""

    title: str
    owner: str
    partner: str | None
    due: dt.date | None
    status: str
    rag: str  # red, amber, green or grey
    overdue: bool
    epic: str | None
    priority: str | None
    outcome: str | None
    control_signal: str | None
    public: bool
    completed_on: dt.date | None = None


@dataclass(frozen=True)
class ActivityRow:
    """A count of reassurance work (or recorded crime) this period, the previous one and the year."""

    measure: str
    this_period: float | None
    previous_period: float | None
    last_12_months: float | None
    places: int = 0
    note: str = ""  # which months or days a figure covers when that is not plain from the period


@dataclass(frozen=True)
class ConfidenceItem:
    label: str
    share: float | None
    low: float | None
    high: float | None


@dataclass(frozen=True)
class ConfidenceRound:
    name: str
    end_date: dt.date
    respondents: int
    items: tuple[ConfidenceItem, ...]


@dataclass(frozen=True)
class MonthCount:
    month: dt.date
    count: int


@dataclass(frozen=True)
class ReassuranceGap:
    rounds: tuple[ConfidenceRound, ...]
    crime_by_month: tuple[MonthCount, ...]
    headline: str  # what the two series say together, each with its test and p-value
    claimed: bool = False  # crime fell beyond chance and confidence did not rise beyond chance


@dataclass(frozen=True)
class PriorityRow:
    label: str
    wording: str | None
    evidence_rank: int | None
    adopted_on: dt.date
    adopted_by: str
    justification: str | None
    departure: bool  # adopted from outside the evidence top N
    assessment: str  # did prevalence move beyond chance, in words
    adopted_rank: int | None = None  # its rank in the ranking it was adopted from (evidence_rank: this document's)
    verdict: str | None = None  # "improved", "worse", "no clear change", "review: not moving", …


@dataclass(frozen=True)
class PassedOverRow:
    label: str
    evidence_rank: int | None  # its rank in this document's ranking (None: not in it)
    decided_on: dt.date
    decided_by: str
    justification: str
    rank_when_decided: int | None = None


@dataclass(frozen=True)
class AssumptionCheck:
    expected: tuple[str, ...]
    evidence: tuple[str, ...]
    summary: str


@dataclass(frozen=True)
class EvaRow:
    partner: str
    location: str
    issue: str
    severity: int
    count: int
    seen_on: dt.date
    status: str
    reference: str | None


@dataclass(frozen=True)
class OfficerTime:
    officer: str
    role: str
    rostered_hours: float
    abstracted_hours: float
    ring_fence: float | None
    below_target: bool


@dataclass(frozen=True)
class ReasonHours:
    reason: str
    hours: float
    share: float


@dataclass(frozen=True)
class MonthShare:
    """The ward's ring-fence in one calendar month (``month`` is its first day; None: no duty recorded)."""

    month: dt.date
    rostered_hours: float
    abstracted_hours: float
    share: float | None
    below_target: bool


@dataclass(frozen=True)
class Abstractions:
    target: float
    team_ring_fence: float | None
    officers: tuple[OfficerTime, ...]
    reasons: tuple[ReasonHours, ...]
    trend: tuple[MonthShare, ...] = ()  # the 12 months to the period's end, oldest first


@dataclass(frozen=True)
class RoundSize:
    name: str
    method: str
    start: dt.date | None
    end: dt.date | None
    respondents: int


@dataclass(frozen=True)
class TeamMember:
    """An officer as a public document may show them: name, role and official contact only."""

    name: str
    role: str
    contact: str | None


@dataclass(frozen=True)
class AsAt:
    """What every document states about when its figures are from (:mod:`rpdesk.domain.periods`).

    ``period`` names the period and says when it is a part period; ``crime_held`` names the latest
    police.uk month held; ``ranking`` names the one ranking every page of the document uses;
    ``overdue`` is the label beside the overdue count ("Overdue at 27/11/2026").
    """

    date: dt.date
    period: str
    period_part: bool
    crime_held: str
    ranking: str
    overdue: str


@dataclass(frozen=True)
class TaskingData:
    ward: WardHeading
    meeting: MeetingInfo
    period_start: dt.date
    period_end: dt.date
    prepared_by: str
    generated_at: dt.datetime
    signals: tuple[SignalRow, ...]
    signals_note: str
    open_actions: int
    overdue_actions: int
    activity: tuple[ActivityRow, ...]
    actions: tuple[ActionRow, ...]
    gap: ReassuranceGap
    priorities: tuple[PriorityRow, ...]
    passed_over: tuple[PassedOverRow, ...]
    assumption: AssumptionCheck | None
    eva: tuple[EvaRow, ...]
    abstractions: Abstractions
    rounds: tuple[RoundSize, ...]
    method: tuple[str, ...]
    caveats: tuple[str, ...]
    top_n: int = 3
    as_at: AsAt | None = None
    maps: tuple[PaperMap, ...] = ()  # one per priority (rpdesk.services.report_maps)


@dataclass(frozen=True)
class PublicAction:
    """An action a public document may show: only actions flagged public reach this type.

    ``completed_on`` is set for a finished action (then ``outcome`` says what came of it); an
    action without it is in progress. Blocked and cancelled actions never become one.
    """

    title: str
    control_signal: str | None
    partner: str | None
    completed_on: dt.date | None
    priority: str | None
    outcome: str | None = None


@dataclass(frozen=True)
class PublicPriority:
    """A signal or priority as the public briefing names it.

    Under "You told us" it is a signal in the evidence top N, with the share of residents who
    called it a fairly or very big problem (``prevalence``) and whether the team adopted it; under
    "We are also working on" it is a priority adopted for other reasons, with its ``public_reason``.
    """

    label: str
    label_cy: str | None
    wording: str | None
    prevalence: float | None = None
    adopted: bool = True
    public_reason: str | None = None


@dataclass(frozen=True)
class BriefingData:
    ward: WardHeading
    meeting: MeetingInfo
    generated_at: dt.datetime
    team: tuple[TeamMember, ...]
    residents_heard: int
    told_us: tuple[PublicPriority, ...]
    we_did: tuple[PublicAction, ...]
    next_steps: tuple[PublicAction, ...]
    next_meeting: MeetingInfo | None
    as_at: AsAt | None = None
    areas: PaperMap | None = None  # 'where we worked': public areas only
    also_working_on: tuple[PublicPriority, ...] = ()  # priorities adopted from outside the evidence top N


@dataclass(frozen=True)
class CardData:
    ward: WardHeading
    meeting: MeetingInfo
    generated_at: dt.datetime
    signals: tuple[SignalRow, ...]
    priorities: tuple[PriorityRow, ...]
    actions: tuple[ActionRow, ...]
    told_residents: tuple[PublicAction, ...]
    team: tuple[TeamMember, ...]
    notes: tuple[str, ...] = field(default=())
    as_at: AsAt | None = None
    hotspots: tuple[str, ...] = ()  # the busiest cells in words
    hotspot_map: PaperMap | None = None
    valid_until: dt.date | None = None  # the next tasking meeting, which replaces the card
    streets: tuple[str, ...] = ()  # where the priorities and their actions are
