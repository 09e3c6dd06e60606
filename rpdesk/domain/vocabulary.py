"""The fixed words of the domain, as enums shared by the database, importers, reports and GUI.

Values are the strings stored in the database and accepted in import files, so they never change
once released; labels are what people read.
"""

from __future__ import annotations

from enum import StrEnum


class IssueKind(StrEnum):
    """Signal crimes perspective: a crime, a social disorder (behaviour) or a physical one (conditions)."""

    CRIME = "crime"
    SOCIAL = "social"
    PHYSICAL = "physical"


class SurveyMethod(StrEnum):
    """How a round's answers were gathered; sources are kept apart so they can be weighed separately."""

    DOOR = "door"
    POSTAL = "postal"
    ONLINE = "online"
    STREET = "street"
    TELEPHONE = "telephone"
    KIN = "kin"
    NSI = "nsi"


class ObservationStatus(StrEnum):
    """Life of an EVA finding, from seen on the walk to put right (or not)."""

    OPEN = "open"
    REFERRED = "referred"
    RESOLVED = "resolved"
    NO_ACTION = "no_action"


class ActionStatus(StrEnum):
    """Partner action status; done and cancelled are final."""

    OPEN = "open"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    BLOCKED = "blocked"
    CANCELLED = "cancelled"


class Epic(StrEnum):
    """Met Safer Neighbourhoods' action taxonomy: enforcement, prevention, intelligence, communication."""

    ENFORCEMENT = "enforcement"
    PREVENTION = "prevention"
    INTELLIGENCE = "intelligence"
    COMMUNICATION = "communication"


class OfficerRole(StrEnum):
    PC = "PC"
    PCSO = "PCSO"
    SERGEANT = "Sergeant"
    SPECIAL = "Special"


class AbstractionReason(StrEnum):
    """On duty but taken away from ward work. Absences are not abstractions."""

    RESPONSE_COVER = "response_cover"
    CUSTODY_CONSTANT = "custody_constant"
    SCENE_GUARD = "scene_guard"
    ESCORT_HOSPITAL = "escort_hospital"
    AID_LOCAL = "aid_local"
    AID_CENTRAL = "aid_central"
    EVENTS = "events"
    MAJOR_INCIDENT = "major_incident"
    TRAINING = "training"
    COURT = "court"
    CONTROL_ROOM = "control_room"
    OTHER = "other"


class AbsenceKind(StrEnum):
    """Leave, sickness and rest days: the officer is not on duty, so the hours are not rostered ward time.

    ``ABSENT`` is an absence whose reason is not recorded: the default (minimisation, DPA 2018 Part 3),
    see :func:`rpdesk.domain.ringfence.minimised`.
    """

    ABSENT = "absent"
    ANNUAL_LEAVE = "annual_leave"
    SICKNESS = "sickness"
    REST_DAY = "rest_day"
    OTHER_ABSENCE = "other_absence"


class MeetingKind(StrEnum):
    TCG = "tcg"
    COMMUNITY = "community"


class DocumentKind(StrEnum):
    TASKING = "tasking"
    BRIEFING = "briefing"
    CARD = "card"


class Language(StrEnum):
    ENGLISH = "en"
    WELSH = "cy"
    BOTH = "both"


class ImportKind(StrEnum):
    SURVEYS = "surveys"
    AUDITS = "audits"
    CRIMES = "crimes"
    DUTY = "duty"


class AreaKind(StrEnum):
    """A boundary held for a ward: the ward itself or one of its LSOAs."""

    WARD = "ward"
    LSOA = "lsoa"


class LayerKind(StrEnum):
    """A context layer drawn under the ward's records: a street network or a raster basemap."""

    STREETS = "streets"
    BASEMAP = "basemap"


class PlaceKind(StrEnum):
    """What a priority's or action's place is: a street, a named place (the underpass) or a map point."""

    STREET = "street"
    NAMED = "named"
    POINT = "point"


ABSTRACTION_REASON_LABELS: dict[AbstractionReason, str] = {
    AbstractionReason.RESPONSE_COVER: "Response cover",
    AbstractionReason.CUSTODY_CONSTANT: "Custody / constant watch",
    AbstractionReason.SCENE_GUARD: "Scene guard / cordon",
    AbstractionReason.ESCORT_HOSPITAL: "Prisoner escort / hospital guard",
    AbstractionReason.AID_LOCAL: "Aid (local)",
    AbstractionReason.AID_CENTRAL: "Aid (central)",
    AbstractionReason.EVENTS: "Events",
    AbstractionReason.MAJOR_INCIDENT: "Major incident",
    AbstractionReason.TRAINING: "Training",
    AbstractionReason.COURT: "Court",
    AbstractionReason.CONTROL_ROOM: "Control room",
    AbstractionReason.OTHER: "Other",
}

#: A survey method as a table or a form shows it (KIN and NSI are initials).
SURVEY_METHOD_LABELS: dict[SurveyMethod, str] = {
    m: m.value.upper() if m in (SurveyMethod.KIN, SurveyMethod.NSI) else m.value.capitalize() for m in SurveyMethod
}
#: A survey method as a sentence names it ("the door-step rounds"); the others read as their code.
SURVEY_METHOD_WORDS: dict[SurveyMethod, str] = {SurveyMethod.DOOR: "door-step", SurveyMethod.KIN: "KIN"}

ACTION_STATUS_LABELS: dict[ActionStatus, str] = {
    ActionStatus.OPEN: "Open",
    ActionStatus.IN_PROGRESS: "In progress",
    ActionStatus.DONE: "Done",
    ActionStatus.BLOCKED: "Blocked",
    ActionStatus.CANCELLED: "Cancelled",
}

#: The age bands of the canonical survey layout (the CSEW's, from 16), as the paper form offers them.
AGE_BANDS: tuple[str, ...] = ("16-24", "25-34", "35-44", "45-54", "55-64", "65-74", "75+")
