"""Everything one ward's map shows, gathered once for the Map page and for the maps on paper.

One function, :func:`load_ward_map`, reads the boundary, LSOAs, streets, the period's crimes and
EVA findings (of one issue, or all), the hotspot cells and the places of the ward's active
priorities and their actions. The Map page draws it with Qt, the tasking pack with reportlab, so
a hotspot shown on screen and on paper is the same cell from the same count.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from rpdesk.db.models import Issue, PartnerAction, Priority, RecordPlace, Ward
from rpdesk.domain import geo
from rpdesk.domain.vocabulary import ActionStatus, AreaKind
from rpdesk.services.geography import (
    Area,
    Street,
    Tile,
    basemap_tiles,
    basemaps,
    ward_areas,
    ward_boundary,
    ward_streets,
)
from rpdesk.services.hotspots import Hotspots, find_hotspots
from rpdesk.services.places import CRIME_CAVEAT, Points, crime_points, crime_types_of, eva_points
from rpdesk.services.signals import month_start
from rpdesk.settings import Settings


@dataclass(frozen=True)
class MapPlace:
    """A place of a priority or an action, with what to say when it is clicked."""

    record: str  # "priority" or "action"
    record_id: int
    priority_id: int | None  # the priority it serves (its own id for a priority)
    title: str
    name: str
    x: float
    y: float
    radius: float
    active: bool


@dataclass(frozen=True)
class StreetView:
    """Residents' view of the map's issue on one street: from the latest survey round, small streets left out."""

    street: str
    respondents: int
    prevalence: float
    lines: list[geo.Array]


@dataclass(frozen=True)
class WardMap:
    ward_id: int
    ward_code: str
    ward_name: str
    start: dt.date
    end: dt.date
    issue: str | None
    boundary: Area | None
    lsoas: list[Area]
    streets: list[Street]
    crimes: Points
    eva: Points
    hotspots: Hotspots
    places: list[MapPlace]
    basemaps: list[tuple[str, str]]
    caveat: str = CRIME_CAVEAT
    streets_round: str | None = None
    residents: list[StreetView] = field(default_factory=list)
    #: How many streets were pooled (too few respondents each) and so are not drawn.
    residents_pooled: int = 0
    #: Raster basemap tiles over the ward (from the first basemap layer that covers it).
    tiles: list[Tile] = field(default_factory=list)

    def extent(self) -> geo.Box | None:
        """What the map should show: the boundary, else everything drawn."""
        if self.boundary is not None:
            return self.boundary.box.grown(100)
        xs = [*self.crimes.x.tolist(), *self.eva.x.tolist(), *(p.x for p in self.places)]
        ys = [*self.crimes.y.tolist(), *self.eva.y.tolist(), *(p.y for p in self.places)]
        if not xs:
            return None
        return geo.Box(min(xs), min(ys), max(xs), max(ys)).grown(100)

    def places_of(self, priority_id: int) -> list[MapPlace]:
        return [p for p in self.places if p.priority_id == priority_id]


def default_period(session: Session, ward_id: int, as_at: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The six whole months up to the ward's latest police.uk month by ``as_at`` (or up to ``as_at``'s month)."""
    from sqlalchemy import func

    from rpdesk.db.models import CrimeRecord
    from rpdesk.services.signals import add_months

    query = select(func.max(CrimeRecord.month)).where(CrimeRecord.ward_id == ward_id)
    if as_at is not None:
        query = query.where(CrimeRecord.month <= as_at)
    last = month_start(session.scalar(query) or as_at or dt.date.today())
    return add_months(last, -5), add_months(last, 1) - dt.timedelta(days=1)


def _places(session: Session, ward_id: int) -> list[MapPlace]:
    rows = session.execute(
        select(RecordPlace, Priority, Issue.label, PartnerAction)
        .outerjoin(PartnerAction, PartnerAction.id == RecordPlace.action_id)
        .outerjoin(Priority, Priority.id == RecordPlace.priority_id)
        .outerjoin(Issue, Issue.id == Priority.issue_id)
        .where(RecordPlace.ward_id == ward_id)
        .order_by(RecordPlace.id)
    )
    out = []
    for place, priority, label, action in rows:
        pid: int | None
        if place.priority_id is not None:
            record, rid, pid = "priority", priority.id, priority.id
            title, active = f"Priority: {priority.wording or label}", priority.status == "active"
        else:
            record, rid, pid = "action", action.id, action.priority_id
            title = f"Action {action.id}: {action.title} ({action.status.value.replace('_', ' ')})"
            active = action.status not in (ActionStatus.DONE, ActionStatus.CANCELLED)
        out.append(MapPlace(record, rid, pid, title, place.name, place.easting, place.northing, place.radius_m, active))
    return out


#: How many of the latest survey rounds are tried for residents' views by street.
ROUNDS_TRIED = 4


def _residents(
    session: Session, ward: Ward, issue: str | None, end: dt.date, streets: list[Street], threshold: int
) -> tuple[str | None, list[StreetView], int]:
    """The issue's prevalence by street in the latest survey round begun by ``end`` that can show a street."""
    from rpdesk.db.models import SurveyRound
    from rpdesk.services.street_signals import OTHER_STREETS, street_signals

    if issue is None:
        return None, [], 0
    names = session.scalars(
        select(SurveyRound.name)
        .where(SurveyRound.ward_id == ward.id, (SurveyRound.start_date <= end) | SurveyRound.start_date.is_(None))
        .order_by(SurveyRound.start_date.desc(), SurveyRound.id.desc())
        .limit(ROUNDS_TRIED)
    ).all()
    # a small round (a KIN panel of twenty) pools every street: the latest round that shows any street
    name, rows = None, []
    for candidate in names:
        rows = street_signals(session, ward.code, issue, round_name=candidate, min_respondents=threshold)
        if any(r.street != OTHER_STREETS for r in rows):
            name = candidate
            break
    if name is None:
        return None, [], 0
    by_name: dict[str, list[geo.Array]] = {}
    for street in streets:
        if street.name:
            by_name.setdefault(" ".join(street.name.lower().split()), []).extend(street.lines)
    views = [
        StreetView(r.street, r.respondents, r.prevalence, by_name.get(" ".join(r.street.lower().split()), []))
        for r in rows
        if r.street != OTHER_STREETS
    ]
    pooled = sum(r.streets for r in rows if r.street == OTHER_STREETS)
    return name, views, pooled


def load_ward_map(
    session: Session,
    ward_id: int,
    start: dt.date,
    end: dt.date,
    *,
    issue: str | None = None,
    settings: Settings,
) -> WardMap:
    """The ward's map for the period (see module docstring); ``issue`` narrows crimes, EVA and hotspots."""
    ward = session.get(Ward, ward_id)
    assert ward is not None
    types = crime_types_of(session, issue) if issue else None
    streets = ward_streets(session, ward.id)
    round_name, residents, pooled = _residents(session, ward, issue, end, streets, settings.street_min_respondents)
    boundary = ward_boundary(session, ward.id)
    layers = basemaps(session, ward.id)
    tiles: list[Tile] = []
    for _name, path in layers:
        if boundary is not None and not tiles:
            tiles = basemap_tiles(path, boundary.box.grown(300))
    return WardMap(
        ward.id,
        ward.code,
        ward.name,
        start,
        end,
        issue,
        boundary,
        ward_areas(session, ward.id, AreaKind.LSOA),
        streets,
        crime_points(session, ward.id, month_start(start), month_start(end), types),
        eva_points(session, ward.id, start, end, issue),
        find_hotspots(session, ward.code, start, end, issue=issue, settings=settings),
        _places(session, ward.id),
        layers,
        streets_round=round_name,
        residents=residents,
        residents_pooled=pooled,
        tiles=tiles,
    )
