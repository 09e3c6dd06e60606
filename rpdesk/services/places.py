"""Where records are: EVA findings and police.uk crimes as points, and the places of priorities and actions.

All points come back in BNG metres beside the record ids, as numpy arrays, so the Map page can draw
100,000 of them and the hotspot grid can count them without a Python loop per record.

police.uk points are *snap points*: each crime is moved to the centre of a nearby street, a public
place or a point of interest before publication, so crimes pile up on snap points and can appear
where none happened. Every map and hotspot list says so (:data:`CRIME_CAVEAT`).

A priority or action can be given places: a street of the ward's street layer (the place is the
middle of its longest stretch), a named place pinned at a point ("the underpass"), or a bare point
picked on the map. A place must lie within a kilometre of the ward's boundary, to catch a
grid reference typed with its digits swapped.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sqlalchemy import select
from sqlalchemy.orm import Session

from rpdesk.db.models import (
    AuditObservation,
    AuditVisit,
    CrimeRecord,
    Issue,
    IssueCrimeType,
    PartnerAction,
    Priority,
    RecordPlace,
    Ward,
)
from rpdesk.domain import geo
from rpdesk.domain.vocabulary import ActionStatus, PlaceKind
from rpdesk.errors import UserError
from rpdesk.services.geography import Street, ward_boundary, ward_streets
from rpdesk.services.wards import get_ward

CRIME_CAVEAT = (
    "police.uk locations are approximate: each crime is moved to a nearby 'snap point' (the middle of a "
    "street, a public place or a point of interest) before publication, so crimes cluster on snap "
    "points and some appear where none happened."
)
#: How far outside the ward's boundary box a place may be before it is taken for a typing mistake.
PLACE_MARGIN_M = 1000.0
DEFAULT_RADIUS_M = 100.0


@dataclass(frozen=True)
class Points:
    """Records as points (BNG metres), parallel arrays; ``label`` is what a click shows."""

    ids: NDArray[np.int64]
    x: geo.Array
    y: geo.Array
    kind: list[str]  # crime type, or issue code for EVA findings
    label: list[str]
    when: list[dt.date]
    weight: NDArray[np.int64] = field(default_factory=lambda: np.zeros(0, dtype=np.int64))

    def __len__(self) -> int:
        return len(self.ids)

    def take(self, mask: NDArray[np.bool_]) -> Points:
        """The points where ``mask`` is true."""
        keep = np.flatnonzero(mask).tolist()
        return Points(
            self.ids[mask],
            self.x[mask],
            self.y[mask],
            [self.kind[i] for i in keep],
            [self.label[i] for i in keep],
            [self.when[i] for i in keep],
            self.weight[mask],
        )


def _points(rows: list[tuple[Any, ...]], x: geo.Array, y: geo.Array) -> Points:
    return Points(
        np.array([r[0] for r in rows], dtype=np.int64),
        x,
        y,
        [r[1] for r in rows],
        [r[2] for r in rows],
        [r[3] for r in rows],
        np.array([r[4] for r in rows], dtype=np.int64),
    )


def crime_types_of(session: Session, issue_code: str) -> list[str]:
    """The police.uk crime types counted for an issue (none for purely physical signals)."""
    issue = session.scalar(select(Issue).where(Issue.code == issue_code))
    if issue is None:
        codes = ", ".join(session.scalars(select(Issue.code).order_by(Issue.code)))
        raise UserError(f"There is no issue '{issue_code}'. Issues: {codes}.")
    return list(session.scalars(select(IssueCrimeType.crime_type).where(IssueCrimeType.issue_id == issue.id)))


def crime_points(
    session: Session, ward_id: int, first: dt.date, last: dt.date, crime_types: list[str] | None = None
) -> Points:
    """The ward's police.uk crimes with a point, in the months ``first``..``last`` (first days of months)."""
    stmt = select(
        CrimeRecord.id,
        CrimeRecord.crime_type,
        CrimeRecord.location,
        CrimeRecord.month,
        CrimeRecord.longitude,
        CrimeRecord.latitude,
    ).where(
        CrimeRecord.ward_id == ward_id,
        CrimeRecord.month.between(first, last),
        CrimeRecord.longitude.is_not(None),
        CrimeRecord.latitude.is_not(None),
    )
    if crime_types is not None:
        stmt = stmt.where(CrimeRecord.crime_type.in_(crime_types))
    raw = session.execute(stmt.order_by(CrimeRecord.id)).all()
    x, y = geo.to_bng([r[4] for r in raw], [r[5] for r in raw])
    rows = [(r[0], r[1], f"{r[1]}, {r[2] or 'no location'} ({r[3]:%b %Y})", r[3], 1) for r in raw]
    return _points(rows, np.atleast_1d(x), np.atleast_1d(y))


def eva_points(session: Session, ward_id: int, start: dt.date, end: dt.date, issue_code: str | None = None) -> Points:
    """EVA findings with a grid reference or a latitude/longitude, on walks in ``start``..``end``."""
    stmt = (
        select(
            AuditObservation.id,
            Issue.code,
            AuditObservation.location,
            AuditVisit.date,
            AuditObservation.count,
            AuditObservation.severity,
            AuditObservation.easting,
            AuditObservation.northing,
            AuditObservation.longitude,
            AuditObservation.latitude,
        )
        .join(AuditVisit, AuditVisit.id == AuditObservation.visit_id)
        .join(Issue, Issue.id == AuditObservation.issue_id)
        .where(AuditVisit.ward_id == ward_id, AuditVisit.date.between(start, end))
        .where(
            (AuditObservation.easting.is_not(None) & AuditObservation.northing.is_not(None))
            | (AuditObservation.longitude.is_not(None) & AuditObservation.latitude.is_not(None))
        )
        .order_by(AuditObservation.id)
    )
    if issue_code is not None:
        stmt = stmt.where(Issue.code == issue_code)
    raw = session.execute(stmt).all()
    has_grid = np.array([r[6] is not None for r in raw], dtype=bool)
    gx, gy = geo.to_bng([r[8] if r[8] is not None else 0.0 for r in raw], [r[9] or 0.0 for r in raw])
    x = np.where(has_grid, [r[6] or 0.0 for r in raw], np.atleast_1d(gx)).astype(float)
    y = np.where(has_grid, [r[7] or 0.0 for r in raw], np.atleast_1d(gy)).astype(float)
    rows = [
        (r[0], r[1], f"EVA {r[3]:%d %b %Y}: {r[1]} at {r[2]} (severity {r[5]}, {r[4]} seen)", r[3], r[4]) for r in raw
    ]
    return _points(rows, x, y)


# --- places of priorities and actions ----------------------------------------------------------


@dataclass(frozen=True)
class PlaceInfo:
    id: int
    record: str  # "priority 3" or "action 12"
    kind: str
    name: str
    easting: float
    northing: float
    latitude: float
    longitude: float
    radius_m: float


def find_street(streets: list[Street], name: str) -> Street | None:
    """The longest road of that name (any case, ignoring extra spaces), or None."""
    wanted = " ".join(name.lower().split())
    named = [s for s in streets if s.name and " ".join(s.name.lower().split()) == wanted]
    return max(named, key=_length, default=None)


def _length(street: Street) -> float:
    return sum(float(np.hypot(*np.diff(line, axis=0).T).sum()) for line in street.lines)


def street_point(street: Street) -> tuple[float, float, float]:
    """(x, y, half length): the middle vertex of the street's longest line, and how far it reaches."""
    line = max(street.lines, key=lambda ln: float(np.hypot(*np.diff(ln, axis=0).T).sum()))
    if len(line) == 2:
        mid = line.mean(axis=0)
        return float(mid[0]), float(mid[1]), _length(street) / 2
    x, y = line[len(line) // 2]
    return float(x), float(y), _length(street) / 2


def _check_near_ward(session: Session, ward: Ward, x: float, y: float) -> None:
    boundary = ward_boundary(session, ward.id)
    if boundary is None:
        if not geo.in_bng_bounds(x, y):
            raise UserError(f"Easting {x:.0f}, northing {y:.0f} is not a place in Great Britain.")
        return
    box = boundary.box.grown(PLACE_MARGIN_M)
    if not (box.min_x <= x <= box.max_x and box.min_y <= y <= box.max_y):
        raise UserError(
            f"Easting {x:.0f}, northing {y:.0f} is more than {PLACE_MARGIN_M / 1000:g} km from ward {ward.code}: "
            "check the grid reference (easting first, then northing)."
        )


def _record(session: Session, ward: Ward, priority_id: int | None, action_id: int | None) -> tuple[str, str]:
    """Check the record belongs to the ward; return (column, label)."""
    if (priority_id is None) == (action_id is None):
        raise UserError("Give a place to one record: a priority or an action.")
    if priority_id is not None:
        found = session.scalar(select(Priority.ward_id).where(Priority.id == priority_id))
        column, label = "priority_id", f"priority {priority_id}"
    else:
        found = session.scalar(select(PartnerAction.ward_id).where(PartnerAction.id == action_id))
        column, label = "action_id", f"action {action_id}"
    if found != ward.id:
        raise UserError(f"Ward {ward.code} has no {label}.")
    return column, label


def add_place(
    session: Session,
    ward_code: str,
    *,
    priority_id: int | None = None,
    action_id: int | None = None,
    street: str | None = None,
    name: str | None = None,
    point: tuple[float, float] | None = None,
    radius_m: float | None = None,
) -> PlaceInfo:
    """Give a priority or an action a place: a street (by name), or a named place or bare point at ``point`` (BNG)."""
    ward = get_ward(session, ward_code)
    column, _label = _record(session, ward, priority_id, action_id)
    if radius_m is not None and not 0 < radius_m <= 2000:
        raise UserError(f"A place's radius must be between 1 and 2000 metres (got {radius_m:g}).")
    if street:
        found = find_street(ward_streets(session, ward.id), street)
        if found is None:
            raise UserError(
                f"Ward {ward.code}'s street layers have no road called '{street}'. Add a street layer "
                "('rpdesk-cli layers add --kind streets'), or give the place as a point."
            )
        x, y, reach = street_point(found)
        kind, label, radius = PlaceKind.STREET, found.name or street, radius_m or max(DEFAULT_RADIUS_M, reach)
    elif point is not None:
        x, y = point
        kind = PlaceKind.NAMED if name and name.strip() else PlaceKind.POINT
        label, radius = (name or "").strip() or f"Point {x:.0f} {y:.0f}", radius_m or DEFAULT_RADIUS_M
    else:
        raise UserError("Say where: a street name, or a point (with a name for a named place).")
    _check_near_ward(session, ward, x, y)
    place = RecordPlace(ward_id=ward.id, kind=kind, name=label[:200], easting=x, northing=y, radius_m=radius)
    setattr(place, column, priority_id if column == "priority_id" else action_id)
    session.add(place)
    session.flush()
    return _info(place)


def _info(place: RecordPlace) -> PlaceInfo:
    lon, lat = geo.to_wgs84(place.easting, place.northing)
    record = f"priority {place.priority_id}" if place.priority_id is not None else f"action {place.action_id}"
    return PlaceInfo(
        place.id,
        record,
        place.kind.value,
        place.name,
        round(place.easting, 1),
        round(place.northing, 1),
        round(float(lat), 6),
        round(float(lon), 6),
        place.radius_m,
    )


def list_places(
    session: Session, ward_id: int, *, priority_ids: list[int] | None = None, action_ids: list[int] | None = None
) -> list[PlaceInfo]:
    """The ward's places of priorities and actions (optionally only those of some records), oldest first."""
    stmt = select(RecordPlace).where(RecordPlace.ward_id == ward_id).order_by(RecordPlace.id)
    if priority_ids is not None or action_ids is not None:
        stmt = stmt.where(RecordPlace.priority_id.in_(priority_ids or []) | RecordPlace.action_id.in_(action_ids or []))
    return [_info(p) for p in session.scalars(stmt)]


def remove_place(session: Session, ward_code: str, place_id: int) -> PlaceInfo:
    ward = get_ward(session, ward_code)
    place = session.get(RecordPlace, place_id)
    if place is None or place.ward_id != ward.id:
        raise UserError(f"Ward {ward.code} has no place {place_id}. 'rpdesk-cli places list' shows them.")
    info = _info(place)
    session.delete(place)
    session.flush()
    return info


def lat_lon_point(lat: float, lon: float) -> tuple[float, float]:
    """A latitude/longitude typed by a user, as BNG metres (checked to be degrees first)."""
    if not (-90 <= lat <= 90 and -180 <= lon <= 180) or math.isnan(lat + lon):
        raise UserError(f"Latitude {lat} and longitude {lon} are not degrees.")
    x, y = geo.to_bng(lon, lat)
    return float(x), float(y)


@dataclass(frozen=True)
class PlaceTarget:
    """A record a place can be given to: an active priority, or an action not yet done or cancelled."""

    label: str
    priority_id: int | None
    action_id: int | None


def place_targets(session: Session, ward_id: int) -> list[PlaceTarget]:
    priorities = session.execute(
        select(Priority.id, Priority.wording, Issue.label)
        .join(Issue, Issue.id == Priority.issue_id)
        .where(Priority.ward_id == ward_id, Priority.status == "active")
        .order_by(Priority.evidence_rank, Priority.id)
    )
    out = [PlaceTarget(f"Priority: {wording or label}", pid, None) for pid, wording, label in priorities]
    actions = session.execute(
        select(PartnerAction.id, PartnerAction.title)
        .where(
            PartnerAction.ward_id == ward_id,
            PartnerAction.status.not_in([ActionStatus.DONE, ActionStatus.CANCELLED]),
        )
        .order_by(PartnerAction.id)
    )
    out += [PlaceTarget(f"Action {aid}: {title}", None, aid) for aid, title in actions]
    return out
