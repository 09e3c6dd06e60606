"""The maps documents print, prepared from the same ward map the Map page draws.

- Tasking pack (restricted): one map per active priority over the six whole police.uk months up
  to the as-at date: the ward, its streets, the hotspot cells of the priority's issue (the five
  busiest numbered, persistent ones outlined), the priority's places and its actions' places, with
  a key naming each numbered cell.
- Response-team card (restricted): the ward's five busiest cells over all issues, as lines naming
  the street, and a small map numbering them.
- Community briefing (public): "where we worked" as *areas* only: the 400 m hexagons holding the
  places of actions flagged public. No crime point, EVA finding or address reaches it.

A ward without a boundary or any located record gets no map (the documents say how to add one).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from rpdesk.db.models import RecordPlace, Ward
from rpdesk.domain import geo
from rpdesk.reports.map_model import PUBLIC_AREA_M, PaperCell, PaperMap, PaperPlace, Ring
from rpdesk.services.hotspots import HotspotCell, Hotspots
from rpdesk.services.ward_map import WardMap, default_period, load_ward_map
from rpdesk.settings import Settings

NUMBERED = 5
NO_GEOGRAPHY = "No map: the ward has no boundary yet ('rpdesk-cli wards boundary --ward CODE FILE')."


def _ring(a: Any) -> Ring:
    return tuple((round(float(x), 1), round(float(y), 1)) for x, y in a)


def _base(data: WardMap, title: str) -> PaperMap | None:
    extent = data.extent()
    if extent is None or data.boundary is None:
        return None
    return PaperMap(
        title=title,
        extent=(extent.min_x, extent.min_y, extent.max_x, extent.max_y),
        boundary=tuple(_ring(r) for poly in data.boundary.polygons for r in poly[:1]),
        lsoas=tuple(_ring(r) for a in data.lsoas for poly in a.polygons for r in poly[:1]),
        streets=tuple(_ring(line) for s in data.streets for line in s.lines),
    )


def _cells(hotspots: Hotspots) -> tuple[PaperCell, ...]:
    most = max((c.count for c in hotspots.cells), default=0)
    return tuple(
        PaperCell(
            _ring(hotspots.corners(c)),
            c.count / most if most else 0.0,
            c.persistent,
            str(c.rank) if c.rank <= NUMBERED else "",
        )
        for c in hotspots.cells
    )


def describe(cell: HotspotCell, months: str) -> str:
    """One numbered cell in words: where, how many, and whether it lasts."""
    what = cell.records()
    lasting = f"; persistent (a top cell in {cell.months_top} of {cell.months} months)" if cell.persistent else ""
    return f"{cell.rank}. {cell.place or 'Unnamed place'}: {what} in {months}{lasting}."


def _months(data: WardMap) -> str:
    return f"{data.start:%b %Y}–{data.end:%b %Y}"


def _notes(data: WardMap) -> tuple[str, ...]:
    return (f"Hexagons {data.hotspots.cell_m:g} m across, darker = more records. {data.caveat}",)


def tasking_maps(
    session: Session, ward: Ward, priorities: Sequence[Any], as_at: dt.date, settings: Settings
) -> tuple[PaperMap, ...]:
    """One map per priority (``priorities``: objects with ``id``, ``issue`` and ``label``)."""
    start, end = default_period(session, ward.id, as_at)
    out = []
    for n, priority in enumerate(priorities, start=1):
        data = load_ward_map(session, ward.id, start, end, issue=priority.issue, settings=settings)
        paper = _base(data, f"Map {n}: {priority.label} — where, {_months(data)}")
        if paper is None:
            continue
        mine = [p for p in data.places_of(priority.id) if p.active]
        places = tuple(
            PaperPlace(p.x, p.y, p.radius, p.name if p.record == "priority" else f"A{p.record_id}", p.record)
            for p in mine
        )
        key = [describe(c, _months(data)) for c in data.hotspots.cells[:NUMBERED]]
        if not data.hotspots.cells:
            key.append("No crime of this issue's types and no EVA finding with a location in these months.")
        key += [f"Place of the priority: {p.name}." for p in mine if p.record == "priority"]
        key += [f"A{p.record_id}: {p.title.split(': ', 1)[-1]} — at {p.name}." for p in mine if p.record == "action"]
        if not mine:
            key.append("The priority has no place yet: give it one on the Map page or with 'rpdesk-cli places add'.")
        out.append(replace(paper, cells=_cells(data.hotspots), places=places, key=tuple(key), notes=_notes(data)))
    return tuple(out)


def card_hotspots(
    session: Session, ward: Ward, as_at: dt.date, settings: Settings
) -> tuple[tuple[str, ...], PaperMap | None]:
    """The ward's busiest cells over all issues as lines, and a small map numbering them."""
    start, end = default_period(session, ward.id, as_at)
    data = load_ward_map(session, ward.id, start, end, settings=settings)
    lines = tuple(describe(c, _months(data)) for c in data.hotspots.cells[:NUMBERED])
    paper = _base(data, f"Hotspots, {_months(data)}")
    if paper is None:
        return lines, None
    top = Hotspots(data.hotspots.ward, None, start, end, data.hotspots.cell_m, data.hotspots.cells[:NUMBERED])
    return lines, replace(paper, cells=_cells(top), notes=_notes(data))


def where_we_worked(
    session: Session, ward: Ward, action_ids: Sequence[int], as_at: dt.date, settings: Settings
) -> PaperMap | None:
    """Public areas (400 m hexagons) holding the places of the given public actions; None if none has a place."""
    points = session.execute(
        select(RecordPlace.easting, RecordPlace.northing).where(
            RecordPlace.ward_id == ward.id, RecordPlace.action_id.in_(list(action_ids))
        )
    ).all()
    if not points:
        return None
    start, end = default_period(session, ward.id, as_at)
    data = load_ward_map(session, ward.id, start, end, settings=settings)
    paper = _base(data, "")  # the briefing titles it in the reader's language
    if paper is None:
        return None
    grid = geo.HexGrid(PUBLIC_AREA_M)
    q, r = grid.cells([p[0] for p in points], [p[1] for p in points])
    cells = tuple(
        PaperCell(_ring(grid.corners(a, b)), 0.45) for a, b in sorted(set(zip(q.tolist(), r.tolist(), strict=True)))
    )
    return replace(paper, cells=cells)
