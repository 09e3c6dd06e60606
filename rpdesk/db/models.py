"""The ward database: SQLAlchemy 2 typed declarative models for the whole domain.

Conventions:
- Every table a person edits carries ``version`` (the mapper's version counter), so an edit made
  from a stale copy fails with :class:`sqlalchemy.orm.exc.StaleDataError` instead of overwriting
  somebody else's change (see :mod:`rpdesk.db.editing`).
- Timestamps are naive UTC; dates are calendar dates in the ward's local time.
- Enumerated words are stored as their string values (:mod:`rpdesk.domain.vocabulary`) with a CHECK
  constraint, so the database refuses a word the application would not understand.
- Survey respondents are anonymous keys: no names, addresses or contact details are stored.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Enum,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column, relationship

from rpdesk.domain.vocabulary import (
    AbsenceKind,
    AbstractionReason,
    ActionStatus,
    AreaKind,
    DocumentKind,
    Epic,
    ImportKind,
    IssueKind,
    Language,
    LayerKind,
    MeetingKind,
    ObservationStatus,
    OfficerRole,
    PlaceKind,
    SurveyMethod,
)

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> dt.datetime:
    """Naive UTC now: the one clock every timestamp column uses."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def word(enum: type[StrEnum], name: str) -> Enum:
    """A column type storing an enum's values as strings, with a CHECK constraint named ``name``."""
    return Enum(
        enum,
        name=name,
        native_enum=False,
        create_constraint=True,
        validate_strings=True,
        values_callable=lambda e: [m.value for m in e],
        length=24,
    )


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Versioned:
    """Mixin for editable rows: an optimistic-locking version counter the mapper maintains."""

    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        return {"version_id_col": cls.__table__.c.version}  # type: ignore[attr-defined]


# --- wards and the catalogue -------------------------------------------------------------------


class Ward(Versioned, Base):
    """A ward (ONS code) and the neighbourhood team that serves it."""

    __tablename__ = "ward"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(9), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    neighbourhood: Mapped[str | None] = mapped_column(String(120))
    language: Mapped[Language] = mapped_column(word(Language, "language"), default=Language.ENGLISH)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    lsoas: Mapped[list[WardLsoa]] = relationship(
        back_populates="ward", cascade="all, delete-orphan", order_by="WardLsoa.lsoa_code"
    )


class WardLsoa(Base):
    """An LSOA (2011/2021 census area) that lies in the ward: police.uk rows are kept by these codes."""

    __tablename__ = "ward_lsoa"
    __table_args__ = (UniqueConstraint("ward_id", "lsoa_code"), Index("ix_ward_lsoa_code", "lsoa_code"))

    id: Mapped[int] = mapped_column(primary_key=True)
    ward_id: Mapped[int] = mapped_column(ForeignKey("ward.id", ondelete="CASCADE"))
    lsoa_code: Mapped[str] = mapped_column(String(9))

    ward: Mapped[Ward] = relationship(back_populates="lsoas")


class Issue(Versioned, Base):
    """A catalogue entry: something residents may name as a problem, i.e. a candidate signal."""

    __tablename__ = "issue"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    label: Mapped[str] = mapped_column(String(200))
    label_cy: Mapped[str | None] = mapped_column(String(200))
    kind: Mapped[IssueKind] = mapped_column(word(IssueKind, "issue_kind"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    crime_types: Mapped[list[IssueCrimeType]] = relationship(
        back_populates="issue", cascade="all, delete-orphan", order_by="IssueCrimeType.crime_type"
    )


class IssueCrimeType(Base):
    """A police.uk crime type counted as recorded evidence for an issue."""

    __tablename__ = "issue_crime_type"
    __table_args__ = (UniqueConstraint("issue_id", "crime_type"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    issue_id: Mapped[int] = mapped_column(ForeignKey("issue.id", ondelete="CASCADE"))
    crime_type: Mapped[str] = mapped_column(String(60))

    issue: Mapped[Issue] = relationship(back_populates="crime_types")


# --- imports -----------------------------------------------------------------------------------


class ImportBatch(Base):
    """One imported file: its fingerprint lets rpdesk refuse the same file twice (unless replaced)."""

    __tablename__ = "import_batch"
    __table_args__ = (
        # The same file once per ward and kind (two imports at once: the database refuses the second).
        # Rosters are the exception: one file holds several wards' days and is guarded per officer-day.
        Index(
            "uq_import_batch_content",
            "ward_id",
            "kind",
            "sha256",
            unique=True,
            sqlite_where=text("kind <> 'duty'"),
            postgresql_where=text("kind <> 'duty'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    ward_id: Mapped[int] = mapped_column(ForeignKey("ward.id", ondelete="CASCADE"))
    kind: Mapped[ImportKind] = mapped_column(word(ImportKind, "import_kind"))
    file_name: Mapped[str] = mapped_column(String(260))
    sha256: Mapped[str] = mapped_column(String(64))
    rows: Mapped[int] = mapped_column(Integer)
    imported_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    imported_by: Mapped[str] = mapped_column(String(80))
    round_id: Mapped[int | None] = mapped_column(ForeignKey("survey_round.id", ondelete="CASCADE"))


# --- surveys -----------------------------------------------------------------------------------


class SurveyRound(Versioned, Base):
    """A named round of resident survey, KIN questionnaire or NSI interviews in one ward."""

    __tablename__ = "survey_round"
    __table_args__ = (UniqueConstraint("ward_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ward_id: Mapped[int] = mapped_column(ForeignKey("ward.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(120))
    method: Mapped[SurveyMethod] = mapped_column(word(SurveyMethod, "survey_method"), default=SurveyMethod.DOOR)
    start_date: Mapped[dt.date | None] = mapped_column(Date)
    end_date: Mapped[dt.date | None] = mapped_column(Date)

    ward: Mapped[Ward] = relationship()


class SurveyResponse(Base):
    """One anonymous respondent's answers in a round, with the confidence items of the survey."""

    __tablename__ = "survey_response"
    __table_args__ = (
        UniqueConstraint("round_id", "respondent"),
        CheckConstraint("conf_good_job BETWEEN 1 AND 5", name="conf_good_job"),
        CheckConstraint("conf_understand BETWEEN 1 AND 5", name="conf_understand"),
        CheckConstraint("conf_dealing BETWEEN 1 AND 5", name="conf_dealing"),
        CheckConstraint("safe_after_dark BETWEEN 1 AND 4", name="safe_after_dark"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("survey_round.id", ondelete="CASCADE"), index=True)
    import_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id", ondelete="CASCADE"), index=True)
    respondent: Mapped[str] = mapped_column(String(64))
    date: Mapped[dt.date] = mapped_column(Date)
    street: Mapped[str | None] = mapped_column(String(120))
    age_band: Mapped[str | None] = mapped_column(String(20))
    conf_good_job: Mapped[int | None] = mapped_column(SmallInteger)
    conf_understand: Mapped[int | None] = mapped_column(SmallInteger)
    conf_dealing: Mapped[int | None] = mapped_column(SmallInteger)
    safe_after_dark: Mapped[int | None] = mapped_column(SmallInteger)
    knows_contact: Mapped[bool | None] = mapped_column(Boolean)
    comments: Mapped[str | None] = mapped_column(Text)

    answers: Mapped[list[SurveyAnswer]] = relationship(back_populates="response", cascade="all, delete-orphan")


class SurveyAnswer(Base):
    """A respondent's answer on one issue: how big a problem (0-3) and whether it changed them (effect)."""

    __tablename__ = "survey_answer"
    # No index on issue_id: rankings reach a round's answers through the primary key, and the
    # index cost survey imports about 40% of their insert time (migration 0002).
    __table_args__ = (CheckConstraint("problem BETWEEN 0 AND 3", name="problem"),)

    response_id: Mapped[int] = mapped_column(ForeignKey("survey_response.id", ondelete="CASCADE"), primary_key=True)
    issue_id: Mapped[int] = mapped_column(ForeignKey("issue.id"), primary_key=True)
    problem: Mapped[int | None] = mapped_column(SmallInteger)
    effect: Mapped[bool | None] = mapped_column(Boolean)

    response: Mapped[SurveyResponse] = relationship(back_populates="answers")


class ResponseTally(Base):
    """Respondents per survey round and day, kept up to date whenever the round's responses change.

    With :class:`AnswerTally` it lets a ranking read a few hundred summed rows instead of every
    answer, so ranking a round costs the same at 500 or 50,000 respondents
    (:mod:`rpdesk.services.tallies`).
    """

    __tablename__ = "response_tally"

    round_id: Mapped[int] = mapped_column(ForeignKey("survey_round.id", ondelete="CASCADE"), primary_key=True)
    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    respondents: Mapped[int] = mapped_column(Integer)


class AnswerTally(Base):
    """Per survey round, day and issue: the answer counts a ranking needs (see :class:`ResponseTally`)."""

    __tablename__ = "answer_tally"

    round_id: Mapped[int] = mapped_column(ForeignKey("survey_round.id", ondelete="CASCADE"), primary_key=True)
    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    issue_id: Mapped[int] = mapped_column(ForeignKey("issue.id"), primary_key=True)
    answered: Mapped[int] = mapped_column(Integer)  # answered the problem question
    big: Mapped[int] = mapped_column(Integer)  # rated it 2 or 3
    problem_sum: Mapped[int] = mapped_column(Integer)
    effect_answered: Mapped[int] = mapped_column(Integer)
    effect_yes: Mapped[int] = mapped_column(Integer)


# --- environmental visual audits ---------------------------------------------------------------


class PartnerAgency(Versioned, Base):
    """A partner body that owns actions: council street scene, highways, housing provider..."""

    __tablename__ = "partner_agency"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    kind: Mapped[str | None] = mapped_column(String(40))
    contact: Mapped[str | None] = mapped_column(String(200))


class AuditVisit(Versioned, Base):
    """An environmental visual audit (EVA) walk in a ward."""

    __tablename__ = "audit_visit"
    __table_args__ = (Index("ix_audit_visit_ward_date", "ward_id", "date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ward_id: Mapped[int] = mapped_column(ForeignKey("ward.id", ondelete="CASCADE"))
    import_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id", ondelete="CASCADE"), index=True)
    date: Mapped[dt.date] = mapped_column(Date)
    auditors: Mapped[str] = mapped_column(String(200))
    area: Mapped[str | None] = mapped_column(String(200))
    notes: Mapped[str | None] = mapped_column(Text)

    observations: Mapped[list[AuditObservation]] = relationship(back_populates="visit", cascade="all, delete-orphan")


class AuditObservation(Versioned, Base):
    """One visible sign of disorder seen on an EVA, with who should put it right."""

    __tablename__ = "audit_observation"
    __table_args__ = (
        CheckConstraint("severity BETWEEN 1 AND 5", name="severity"),
        CheckConstraint("count >= 1", name="count"),
        CheckConstraint("latitude IS NULL OR latitude BETWEEN -90 AND 90", name="latitude"),
        CheckConstraint("longitude IS NULL OR longitude BETWEEN -180 AND 180", name="longitude"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("audit_visit.id", ondelete="CASCADE"), index=True)
    issue_id: Mapped[int] = mapped_column(ForeignKey("issue.id"), index=True)
    location: Mapped[str] = mapped_column(String(200))
    easting: Mapped[float | None] = mapped_column(Float)
    northing: Mapped[float | None] = mapped_column(Float)
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    severity: Mapped[int] = mapped_column(SmallInteger)
    count: Mapped[int] = mapped_column(Integer, default=1)
    partner_id: Mapped[int | None] = mapped_column(ForeignKey("partner_agency.id"))
    reference: Mapped[str | None] = mapped_column(String(60))
    status: Mapped[ObservationStatus] = mapped_column(
        word(ObservationStatus, "observation_status"), default=ObservationStatus.OPEN
    )
    resolved_on: Mapped[dt.date | None] = mapped_column(Date)

    visit: Mapped[AuditVisit] = relationship(back_populates="observations")
    issue: Mapped[Issue] = relationship()
    partner: Mapped[PartnerAgency | None] = relationship()


# --- recorded crime ----------------------------------------------------------------------------


class CrimeRecord(Base):
    """A police.uk street-level crime row kept for a ward (its LSOA is one of the ward's)."""

    __tablename__ = "crime_record"
    __table_args__ = (Index("ix_crime_record_ward_month", "ward_id", "month", "crime_type"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ward_id: Mapped[int] = mapped_column(ForeignKey("ward.id", ondelete="CASCADE"))
    import_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id", ondelete="CASCADE"), index=True)
    crime_id: Mapped[str | None] = mapped_column(String(64))
    month: Mapped[dt.date] = mapped_column(Date)
    reported_by: Mapped[str | None] = mapped_column(String(80))
    falls_within: Mapped[str | None] = mapped_column(String(80))
    longitude: Mapped[float | None] = mapped_column(Float)
    latitude: Mapped[float | None] = mapped_column(Float)
    location: Mapped[str | None] = mapped_column(String(200))
    lsoa_code: Mapped[str | None] = mapped_column(String(9))
    lsoa_name: Mapped[str | None] = mapped_column(String(120))
    crime_type: Mapped[str] = mapped_column(String(60))
    last_outcome: Mapped[str | None] = mapped_column(String(120))
    context: Mapped[str | None] = mapped_column(Text)


class CrimeMonth(Base):
    """A month of police.uk rows a ward holds, and the import that brought it: one source per month.

    police.uk files overlap (a custom range, then the monthly archive) and ASB rows carry no crime
    ID, so the month is the unit a doubled import can be refused by; the primary key makes the
    database refuse it even when two imports run at once.
    """

    __tablename__ = "crime_month"

    ward_id: Mapped[int] = mapped_column(ForeignKey("ward.id", ondelete="CASCADE"), primary_key=True)
    month: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    import_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id", ondelete="CASCADE"), index=True)


# --- signals, priorities, assumptions ----------------------------------------------------------


class RankingSnapshot(Base):
    """A ranking frozen as it was shown: figures, weights and inputs, so a decision can be replayed."""

    __tablename__ = "ranking_snapshot"

    id: Mapped[int] = mapped_column(primary_key=True)
    ward_id: Mapped[int] = mapped_column(ForeignKey("ward.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    period_start: Mapped[dt.date] = mapped_column(Date)
    period_end: Mapped[dt.date] = mapped_column(Date)
    round_id: Mapped[int | None] = mapped_column(ForeignKey("survey_round.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    created_by: Mapped[str] = mapped_column(String(80))
    weights_json: Mapped[str] = mapped_column(Text)
    inputs_json: Mapped[str] = mapped_column(Text)
    results_json: Mapped[str] = mapped_column(Text)


class Priority(Versioned, Base):
    """A ward priority adopted from a ranking; a departure from the evidence carries its justification."""

    __tablename__ = "priority"
    __table_args__ = (Index("ix_priority_ward", "ward_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ward_id: Mapped[int] = mapped_column(ForeignKey("ward.id", ondelete="CASCADE"))
    issue_id: Mapped[int] = mapped_column(ForeignKey("issue.id"))
    snapshot_id: Mapped[int | None] = mapped_column(ForeignKey("ranking_snapshot.id", ondelete="SET NULL"))
    evidence_rank: Mapped[int | None] = mapped_column(Integer)
    wording: Mapped[str | None] = mapped_column(String(300))
    period_start: Mapped[dt.date] = mapped_column(Date)
    period_end: Mapped[dt.date | None] = mapped_column(Date)
    adopted_on: Mapped[dt.date] = mapped_column(Date)
    adopted_by: Mapped[str] = mapped_column(String(80))
    justification: Mapped[str | None] = mapped_column(Text)
    # what the public briefing says about a priority adopted for reasons other than residents' answers
    # (the justification may carry restricted intelligence; this is written for release)
    public_reason: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(12), default="active")
    closed_on: Mapped[dt.date | None] = mapped_column(Date)

    issue: Mapped[Issue] = relationship()


class PassedOverSignal(Base):
    """A signal inside the evidence top N that the team chose not to adopt, and why."""

    __tablename__ = "passed_over_signal"

    id: Mapped[int] = mapped_column(primary_key=True)
    ward_id: Mapped[int] = mapped_column(ForeignKey("ward.id", ondelete="CASCADE"), index=True)
    issue_id: Mapped[int] = mapped_column(ForeignKey("issue.id"))
    snapshot_id: Mapped[int | None] = mapped_column(ForeignKey("ranking_snapshot.id", ondelete="SET NULL"))
    evidence_rank: Mapped[int] = mapped_column(Integer)
    decided_on: Mapped[dt.date] = mapped_column(Date)
    decided_by: Mapped[str] = mapped_column(String(80))
    justification: Mapped[str] = mapped_column(Text)


class ExpectedSignalSet(Base):
    """What the team assumed the signals were, recorded before it saw the evidence."""

    __tablename__ = "expected_signal_set"

    id: Mapped[int] = mapped_column(primary_key=True)
    ward_id: Mapped[int] = mapped_column(ForeignKey("ward.id", ondelete="CASCADE"), index=True)
    period_start: Mapped[dt.date] = mapped_column(Date)
    period_end: Mapped[dt.date] = mapped_column(Date)
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    recorded_by: Mapped[str] = mapped_column(String(80))
    note: Mapped[str | None] = mapped_column(Text)
    compared_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    comparison_json: Mapped[str | None] = mapped_column(Text)

    signals: Mapped[list[ExpectedSignal]] = relationship(
        back_populates="set", cascade="all, delete-orphan", order_by="ExpectedSignal.position"
    )


class ExpectedSignal(Base):
    __tablename__ = "expected_signal"
    __table_args__ = (UniqueConstraint("set_id", "issue_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    set_id: Mapped[int] = mapped_column(ForeignKey("expected_signal_set.id", ondelete="CASCADE"))
    issue_id: Mapped[int] = mapped_column(ForeignKey("issue.id"))
    position: Mapped[int] = mapped_column(Integer)

    set: Mapped[ExpectedSignalSet] = relationship(back_populates="signals")


# --- partner actions ---------------------------------------------------------------------------


class PartnerAction(Versioned, Base):
    """What a partner or the team promised to do about a signal, and the control signal residents see."""

    __tablename__ = "partner_action"
    __table_args__ = (Index("ix_partner_action_ward_status", "ward_id", "status", "due_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ward_id: Mapped[int] = mapped_column(ForeignKey("ward.id", ondelete="CASCADE"))
    priority_id: Mapped[int | None] = mapped_column(ForeignKey("priority.id", ondelete="SET NULL"))
    observation_id: Mapped[int | None] = mapped_column(ForeignKey("audit_observation.id", ondelete="SET NULL"))
    partner_id: Mapped[int | None] = mapped_column(ForeignKey("partner_agency.id"))
    title: Mapped[str] = mapped_column(String(300))
    owner: Mapped[str] = mapped_column(String(120))
    due_date: Mapped[dt.date | None] = mapped_column(Date)
    review_date: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[ActionStatus] = mapped_column(word(ActionStatus, "action_status"), default=ActionStatus.OPEN)
    epic: Mapped[Epic | None] = mapped_column(word(Epic, "epic"))
    outcome: Mapped[str | None] = mapped_column(Text)
    control_signal: Mapped[str | None] = mapped_column(Text)
    public: Mapped[bool] = mapped_column(Boolean, default=False)
    created_on: Mapped[dt.date] = mapped_column(Date)
    completed_on: Mapped[dt.date | None] = mapped_column(Date)

    partner: Mapped[PartnerAgency | None] = relationship()
    priority: Mapped[Priority | None] = relationship()
    history: Mapped[list[ActionStatusChange]] = relationship(
        back_populates="action", cascade="all, delete-orphan", order_by="ActionStatusChange.id"
    )


class ActionStatusChange(Base):
    """One step in an action's status history."""

    __tablename__ = "action_status_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("partner_action.id", ondelete="CASCADE"), index=True)
    changed_on: Mapped[dt.date] = mapped_column(Date)
    changed_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    changed_by: Mapped[str] = mapped_column(String(80))
    from_status: Mapped[ActionStatus | None] = mapped_column(word(ActionStatus, "from_status"))
    to_status: Mapped[ActionStatus] = mapped_column(word(ActionStatus, "to_status"))
    note: Mapped[str | None] = mapped_column(Text)

    action: Mapped[PartnerAction] = relationship(back_populates="history")


# --- officers, duty and abstraction ------------------------------------------------------------


class Officer(Versioned, Base):
    """A neighbourhood officer; ``ring_fenced`` marks dedicated ward officers whose time is protected.

    ``email`` and ``phone`` are the officer's official contact (a force address, a team landline or
    101), checked on entry by :mod:`rpdesk.domain.contacts`: the only contact details kept, and the
    only ones a document prints.
    """

    __tablename__ = "officer"

    id: Mapped[int] = mapped_column(primary_key=True)
    collar: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    role: Mapped[OfficerRole] = mapped_column(word(OfficerRole, "officer_role"))
    ring_fenced: Mapped[bool] = mapped_column(Boolean, default=True)
    email: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(40))

    postings: Mapped[list[Posting]] = relationship(
        back_populates="officer", cascade="all, delete-orphan", order_by="Posting.start_date"
    )


class Posting(Versioned, Base):
    """An officer's posting to a ward team over a span of dates (open-ended while current)."""

    __tablename__ = "posting"
    __table_args__ = (Index("ix_posting_ward", "ward_id", "start_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    officer_id: Mapped[int] = mapped_column(ForeignKey("officer.id", ondelete="CASCADE"), index=True)
    ward_id: Mapped[int] = mapped_column(ForeignKey("ward.id", ondelete="CASCADE"))
    team: Mapped[str | None] = mapped_column(String(120))
    start_date: Mapped[dt.date] = mapped_column(Date)
    end_date: Mapped[dt.date | None] = mapped_column(Date)

    officer: Mapped[Officer] = relationship(back_populates="postings")
    ward: Mapped[Ward] = relationship()


class DutyRecord(Versioned, Base):
    """An officer-day: rostered hours in a ward, or an absence (leave, sickness, rest day)."""

    __tablename__ = "duty_record"
    __table_args__ = (
        UniqueConstraint("officer_id", "date"),
        Index("ix_duty_record_ward_date", "ward_id", "date"),
        Index("ix_duty_record_date", "date"),
        CheckConstraint("rostered_hours >= 0 AND rostered_hours <= 24", name="rostered_hours"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    officer_id: Mapped[int] = mapped_column(ForeignKey("officer.id", ondelete="CASCADE"))
    ward_id: Mapped[int] = mapped_column(ForeignKey("ward.id", ondelete="CASCADE"))
    import_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id", ondelete="CASCADE"))
    date: Mapped[dt.date] = mapped_column(Date)
    rostered_hours: Mapped[float] = mapped_column(Float)
    absence: Mapped[AbsenceKind | None] = mapped_column(word(AbsenceKind, "absence"))


class Abstraction(Versioned, Base):
    """Hours of an officer-day spent on duty away from ward work, with the reason and who authorised it."""

    __tablename__ = "abstraction"
    __table_args__ = (
        CheckConstraint("hours > 0 AND hours <= 24", name="hours"),
        Index("ix_abstraction_duty", "duty_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    duty_id: Mapped[int] = mapped_column(ForeignKey("duty_record.id", ondelete="CASCADE"))
    hours: Mapped[float] = mapped_column(Float)
    reason: Mapped[AbstractionReason] = mapped_column(word(AbstractionReason, "abstraction_reason"))
    authorised_by: Mapped[str | None] = mapped_column(String(120))
    note: Mapped[str | None] = mapped_column(Text)

    duty: Mapped[DutyRecord] = relationship()


# --- meetings and documents --------------------------------------------------------------------


class Meeting(Versioned, Base):
    """A Tasking and Co-ordination Group meeting or a community (PACT / ward panel) meeting."""

    __tablename__ = "meeting"
    __table_args__ = (Index("ix_meeting_ward_date", "ward_id", "date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ward_id: Mapped[int] = mapped_column(ForeignKey("ward.id", ondelete="CASCADE"))
    kind: Mapped[MeetingKind] = mapped_column(word(MeetingKind, "meeting_kind"))
    date: Mapped[dt.date] = mapped_column(Date)
    start_time: Mapped[str | None] = mapped_column(String(5))
    venue: Mapped[str | None] = mapped_column(String(200))
    notes: Mapped[str | None] = mapped_column(Text)
    attendance: Mapped[int | None] = mapped_column(Integer)


class MeetingDocument(Base):
    """A document generated for a meeting: which, when, by whom, its marking and fingerprint."""

    __tablename__ = "meeting_document"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"), index=True)
    kind: Mapped[DocumentKind] = mapped_column(word(DocumentKind, "document_kind"))
    generated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    generated_by: Mapped[str] = mapped_column(String(80))
    path: Mapped[str] = mapped_column(String(500))
    sha256: Mapped[str] = mapped_column(String(64))
    pages: Mapped[int] = mapped_column(Integer)
    marking: Mapped[str] = mapped_column(String(80))


# --- place: boundaries, context layers, places of priorities and actions -----------------------


class WardArea(Base):
    """A boundary held for a ward (its own, or one of its LSOAs), in BNG metres.

    The shape is GeoJSON-layout text (MultiPolygon, EPSG:27700), with its bounding box in columns so
    a map can find what is in view without reading every shape.
    """

    __tablename__ = "ward_area"
    __table_args__ = (UniqueConstraint("ward_id", "kind", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ward_id: Mapped[int] = mapped_column(ForeignKey("ward.id", ondelete="CASCADE"), index=True)
    kind: Mapped[AreaKind] = mapped_column(word(AreaKind, "area_kind"))
    code: Mapped[str] = mapped_column(String(9))
    name: Mapped[str | None] = mapped_column(String(120))
    source: Mapped[str] = mapped_column(String(260))
    geometry: Mapped[str] = mapped_column(Text)
    min_x: Mapped[float] = mapped_column(Float)
    min_y: Mapped[float] = mapped_column(Float)
    max_x: Mapped[float] = mapped_column(Float)
    max_y: Mapped[float] = mapped_column(Float)


class MapLayer(Base):
    """A context layer of a ward's map: a street network kept in the database, or an MBTiles basemap file."""

    __tablename__ = "map_layer"
    __table_args__ = (UniqueConstraint("ward_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ward_id: Mapped[int] = mapped_column(ForeignKey("ward.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[LayerKind] = mapped_column(word(LayerKind, "layer_kind"))
    file_name: Mapped[str] = mapped_column(String(260))
    #: Basemaps stay in their own file (hundreds of MB of tiles); this is where it was added from.
    path: Mapped[str | None] = mapped_column(String(500))
    sha256: Mapped[str] = mapped_column(String(64))
    features: Mapped[int] = mapped_column(Integer)
    added_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    added_by: Mapped[str] = mapped_column(String(80))

    streets: Mapped[list[StreetSegment]] = relationship(
        back_populates="layer", cascade="all, delete-orphan", passive_deletes=True
    )


class StreetSegment(Base):
    """A named road of a street layer (one or more polylines, BNG metres), cut to the ward's surroundings."""

    __tablename__ = "street_segment"

    id: Mapped[int] = mapped_column(primary_key=True)
    layer_id: Mapped[int] = mapped_column(ForeignKey("map_layer.id", ondelete="CASCADE"), index=True)
    name: Mapped[str | None] = mapped_column(String(200))
    road_class: Mapped[str | None] = mapped_column(String(60))
    geometry: Mapped[str] = mapped_column(Text)
    min_x: Mapped[float] = mapped_column(Float)
    min_y: Mapped[float] = mapped_column(Float)
    max_x: Mapped[float] = mapped_column(Float)
    max_y: Mapped[float] = mapped_column(Float)

    layer: Mapped[MapLayer] = relationship(back_populates="streets")


class RecordPlace(Base):
    """Where a priority or a partner action is about: a street, a named place or a point on the map.

    Kept beside the priority and action tables rather than in them, so a record can have several
    places ("Market Square and the underpass"). The point is in BNG metres; for a street it is a
    point on that street, for a named place where it was pinned; ``radius_m`` is the area meant.
    """

    __tablename__ = "record_place"
    __table_args__ = (
        CheckConstraint("(priority_id IS NULL) <> (action_id IS NULL)", name="one_record"),
        CheckConstraint("radius_m > 0", name="radius_m"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    ward_id: Mapped[int] = mapped_column(ForeignKey("ward.id", ondelete="CASCADE"), index=True)
    priority_id: Mapped[int | None] = mapped_column(ForeignKey("priority.id", ondelete="CASCADE"), index=True)
    action_id: Mapped[int | None] = mapped_column(ForeignKey("partner_action.id", ondelete="CASCADE"), index=True)
    kind: Mapped[PlaceKind] = mapped_column(word(PlaceKind, "place_kind"))
    name: Mapped[str] = mapped_column(String(200))
    easting: Mapped[float] = mapped_column(Float)
    northing: Mapped[float] = mapped_column(Float)
    radius_m: Mapped[float] = mapped_column(Float, default=100.0)


# --- audit trail -------------------------------------------------------------------------------


class AccessRole(Base):
    """A database login's rpdesk role on the shared server (migration 0007 enforces it with row-level security)."""

    __tablename__ = "access_role"
    __table_args__ = (CheckConstraint("role IN ('officer', 'sergeant', 'supervisor', 'administrator')", name="role"),)

    login: Mapped[str] = mapped_column(String(63), primary_key=True)
    role: Mapped[str] = mapped_column(String(20))


class AccessGrant(Base):
    """A ward a login may read and write on the shared server."""

    __tablename__ = "access_grant"

    login: Mapped[str] = mapped_column(ForeignKey("access_role.login", ondelete="CASCADE"), primary_key=True)
    ward_id: Mapped[int] = mapped_column(ForeignKey("ward.id", ondelete="CASCADE"), primary_key=True)


class ChangeLog(Base):
    """The s.62 log: one entry per collection, alteration, consultation, disclosure, combination or erasure.

    Writes (one row per inserted, updated or deleted row, or one per import) and uses (a ward's
    records opened, read or handed out) alike. Each entry is chained to the one before by
    ``hash`` = SHA-256 of its own fields and ``prev_hash`` (see :mod:`rpdesk.db.changelog`), in
    ``seq`` order, so an entry edited, removed or moved is found by ``rpdesk-cli audit verify``.
    The chain covers ``changes`` through ``changes_sha256``, so retention can redact old values
    (the only change the database allows) without breaking it.
    """

    __tablename__ = "change_log"
    __table_args__ = (
        Index("ix_change_log_table_row", "table_name", "row_id"),
        Index("ix_change_log_ward_at", "ward_id", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, unique=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    os_user: Mapped[str] = mapped_column(String(80))
    db_role: Mapped[str | None] = mapped_column(String(80))
    activity: Mapped[str] = mapped_column(String(12))
    table_name: Mapped[str] = mapped_column(String(60))
    row_id: Mapped[int | None] = mapped_column(Integer)
    ward_id: Mapped[int | None] = mapped_column(Integer)  # no foreign key: the log outlives an erased ward
    operation: Mapped[str] = mapped_column(String(10))
    recipient: Mapped[str | None] = mapped_column(String(200))
    changes: Mapped[str] = mapped_column(Text)
    changes_sha256: Mapped[str] = mapped_column(String(64))  # as written; retention may redact ``changes`` later
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditHead(Base):
    """The chain's head: the last entry's ``seq`` and ``hash`` (one row, id 1).

    Every append updates it first, which serialises appenders on both backends (SQLite's write
    lock, PostgreSQL's row lock) so two writers cannot fork the chain; and it lets ``audit verify``
    notice entries removed from the end.
    """

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(Integer)
    hash: Mapped[str] = mapped_column(String(64))
