"""Hotspots: where recorded crime and EVA findings concentrate, on a regular grid of hexagons.

Counting: every police.uk crime of the period's whole months (of the issue's crime types when an
issue is given) and every EVA finding on walks in the period (of that issue; a finding of several
items counts that many) falls in one hexagon of the ward's grid (``hotspot_cell_m`` metres across,
setting, 200; see :class:`rpdesk.domain.geo.HexGrid`). Cells are ranked by count, best first.

*Persistent*: month by month over the ``hotspot_recent_months`` (setting, 6) months ending with the
period's last month, a cell is "top" in a month when its count is at least the
``hotspot_top_cells``-th (setting, 5) highest count of that month (ties stay in) and at least two
(in a quiet month, one record is not a hotspot). A cell is
persistent when it was top in more than half of the months that had any records, and at least
three months had records (one busy month is not persistence).

Each cell says what is there: the police.uk location most often recorded in it ("On or near
Market Square"), else the nearest named road of the ward's street layer. police.uk points are
approximate (:data:`rpdesk.services.places.CRIME_CAVEAT`). Once the ward has a boundary, records
more than a kilometre outside it (a mistyped grid reference) are left out and counted as such.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Any

import numpy as np
from sqlalchemy.orm import Session

from rpdesk.domain import geo
from rpdesk.errors import UserError
from rpdesk.services.geography import Street, ward_boundary, ward_streets
from rpdesk.services.places import CRIME_CAVEAT, PLACE_MARGIN_M, Points, crime_points, crime_types_of, eva_points
from rpdesk.services.signals import add_months, month_start
from rpdesk.services.wards import get_ward
from rpdesk.settings import Settings

MIN_MONTHS_FOR_PERSISTENCE = 3
#: A cell with a single record in a month is not a top cell of it, however few records the month has.
MIN_TOP_COUNT = 2


@dataclass(frozen=True)
class HotspotCell:
    rank: int
    cell: str
    easting: float
    northing: float
    lat: float
    lon: float
    count: int
    crimes: int
    eva: int
    persistent: bool
    months_top: int
    months: int
    place: str | None

    def records(self) -> str:
        """What the cell holds in words, e.g. '20 crime(s) and 3 EVA item(s)'."""
        parts = (f"{self.crimes} crime(s)" if self.crimes else "", f"{self.eva} EVA item(s)" if self.eva else "")
        return " and ".join(p for p in parts if p) or "no records"

    def row(self) -> dict[str, Any]:
        return {
            "rank": self.rank,
            "cell": self.cell,
            "lat": self.lat,
            "lon": self.lon,
            "easting": self.easting,
            "northing": self.northing,
            "count": self.count,
            "crimes": self.crimes,
            "eva": self.eva,
            "persistent": self.persistent,
            "months_top": self.months_top,
            "months": self.months,
            "place": self.place,
        }


@dataclass(frozen=True)
class Hotspots:
    ward: str
    issue: str | None
    start: dt.date
    end: dt.date
    cell_m: float
    cells: list[HotspotCell]
    caveat: str = CRIME_CAVEAT
    #: Records of the period more than a kilometre outside the ward's boundary, not counted.
    left_out: int = 0

    def corners(self, cell: HotspotCell) -> geo.Array:
        grid = geo.HexGrid(self.cell_m)
        return grid.corners(*grid.parse(cell.cell))


def _gather(
    session: Session, ward_id: int, issue: str | None, start: dt.date, end: dt.date, near: geo.Box | None
) -> tuple[Points, Points, int]:
    """(crimes, EVA findings, how many were left out): records beyond ``near`` are left out.

    ``near`` is the ward's boundary box grown by a kilometre: a finding there is a grid reference
    typed wrongly, not a hotspot of this ward.
    """
    types = crime_types_of(session, issue) if issue else None
    crimes = crime_points(session, ward_id, month_start(start), month_start(end), types)
    eva = eva_points(session, ward_id, start, end, issue)
    if near is None:
        return crimes, eva, 0
    kept = [
        p.take((p.x >= near.min_x) & (p.x <= near.max_x) & (p.y >= near.min_y) & (p.y <= near.max_y))
        for p in (crimes, eva)
    ]
    return kept[0], kept[1], len(crimes) + len(eva) - len(kept[0]) - len(kept[1])


def _counts(grid: geo.HexGrid, crimes: Points, eva: Points) -> dict[tuple[int, int], list[int]]:
    """Per cell (q, r): [crimes, EVA items]."""
    out: dict[tuple[int, int], list[int]] = {}
    for slot, points, weights in ((0, crimes, None), (1, eva, eva.weight)):
        if not len(points):
            continue
        q, r = grid.cells(points.x, points.y)
        keys, inverse = np.unique(np.column_stack([q, r]), axis=0, return_inverse=True)
        sums = np.bincount(inverse.ravel(), weights=weights, minlength=len(keys))
        for (kq, kr), n in zip(keys.tolist(), sums.tolist(), strict=True):
            out.setdefault((kq, kr), [0, 0])[slot] += int(n)
    return out


def _top(counts: dict[tuple[int, int], int], n: int) -> set[tuple[int, int]]:
    """The month's top cells: at least the n-th highest count (ties stay in), and never a lone record."""
    positive = sorted((c for c in counts.values() if c > 0), reverse=True)
    if not positive:
        return set()
    floor = max(MIN_TOP_COUNT, positive[min(n, len(positive)) - 1])
    return {k for k, c in counts.items() if c >= floor}


def _persistence(
    session: Session,
    ward_id: int,
    issue: str | None,
    end: dt.date,
    grid: geo.HexGrid,
    months: int,
    top_n: int,
    near: geo.Box | None,
) -> tuple[Counter[tuple[int, int]], int]:
    """(times each cell was top, months with any records) over the recent months (read once, split by month)."""
    last = month_start(end)
    first = add_months(last, -(months - 1))
    crimes, eva, _ = _gather(session, ward_id, issue, first, add_months(last, 1) - dt.timedelta(days=1), near)
    crime_month = np.array([month_start(d).toordinal() for d in crimes.when], dtype=np.int64)
    eva_month = np.array([month_start(d).toordinal() for d in eva.when], dtype=np.int64)
    times: Counter[tuple[int, int]] = Counter()
    with_data = 0
    for back in range(months):
        month = add_months(last, -back).toordinal()
        counts = _counts(grid, crimes.take(crime_month == month), eva.take(eva_month == month))
        if counts:
            with_data += 1
            times.update(_top({k: sum(v) for k, v in counts.items()}, top_n))
    return times, with_data


def _place(cell_crimes: list[str], streets: list[Street], x: float, y: float, reach: float) -> str | None:
    if cell_crimes:
        location, _n = Counter(cell_crimes).most_common(1)[0]
        return location
    named = [s for s in streets if s.name and s.box.grown(reach).overlaps(geo.Box(x, y, x, y))]
    best = min(named, key=lambda s: geo.distance_to_lines(s.lines, x, y), default=None)
    return best.name if best is not None and geo.distance_to_lines(best.lines, x, y) <= reach else None


def find_hotspots(
    session: Session,
    ward_code: str,
    start: dt.date,
    end: dt.date,
    *,
    issue: str | None = None,
    settings: Settings,
) -> Hotspots:
    """The ward's grid cells with records in the period, best first (see module docstring)."""
    if end < start:
        raise UserError(f"The period ends ({end}) before it starts ({start}).")
    ward = get_ward(session, ward_code)
    grid = geo.HexGrid(settings.hotspot_cell_m)
    boundary = ward_boundary(session, ward.id)
    near = boundary.box.grown(PLACE_MARGIN_M) if boundary is not None else None
    crimes, eva, left_out = _gather(session, ward.id, issue, start, end, near)
    counts = _counts(grid, crimes, eva)
    months, top_n = settings.hotspot_recent_months, settings.hotspot_top_cells
    times, with_data = _persistence(session, ward.id, issue, end, grid, months, top_n, near)
    locations: dict[tuple[int, int], list[str]] = {}
    if len(crimes):
        q, r = grid.cells(crimes.x, crimes.y)
        for key, label in zip(zip(q.tolist(), r.tolist(), strict=True), crimes.label, strict=True):
            locations.setdefault(key, []).append(label.split(", ", 1)[1].rsplit(" (", 1)[0])
    streets = ward_streets(session, ward.id)
    keys = sorted(counts, key=lambda k: (-sum(counts[k]), -times[k], k))
    qs = np.array([k[0] for k in keys], dtype=float)
    rs = np.array([k[1] for k in keys], dtype=float)
    cx, cy = grid.centre(qs, rs)
    lon, lat = geo.to_wgs84(cx, cy)
    cells = []
    for i, key in enumerate(keys):
        x, y = float(cx[i]), float(cy[i])
        persistent = with_data >= MIN_MONTHS_FOR_PERSISTENCE and times[key] * 2 > with_data
        cells.append(
            HotspotCell(
                i + 1,
                grid.cell_id(*key),
                round(x, 1),
                round(y, 1),
                round(float(np.atleast_1d(lat)[i]), 6),
                round(float(np.atleast_1d(lon)[i]), 6),
                sum(counts[key]),
                counts[key][0],
                counts[key][1],
                persistent,
                times[key],
                with_data,
                _place(locations.get(key, []), streets, x, y, grid.width),
            )
        )
    return Hotspots(ward.code, issue, start, end, grid.width, cells, left_out=left_out)
