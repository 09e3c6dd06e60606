"""Demo geography: a boundary, LSOAs and streets for each demo ward, and records put on them.

Each demo ward is a rounded shape about 2.4 km across, laid out on a row of wards in British
National Grid metres west of Bristol, cut into its LSOAs like slices of a cake, with a street
network named from the demo's street names. police.uk-style crimes are moved to *snap points*
along those streets (as police.uk does), with a few of them busy month after month, so the hotspot
grid has persistent hotspots to find; EVA findings sit a few metres off a street with the street's
name in their location; priorities and some of their actions are given the busiest places.

It draws on its own random stream (seeded by the ward code), so adding it changed nothing else the
demo writes.
"""

from __future__ import annotations

import itertools
import json
import math
import random
from dataclasses import dataclass

import numpy as np
from sqlalchemy import Table, bindparam, insert, select, update

from rpdesk.db import models as m
from rpdesk.demo.history import WardHistory
from rpdesk.demo.names import STREETS
from rpdesk.domain import geo
from rpdesk.domain.vocabulary import AreaKind, LayerKind, PlaceKind
from rpdesk.services.geography import box_columns

RADIUS_M = 1200.0
SPACING_M = 3000.0
ORIGIN = (345_000.0, 171_500.0)
SNAP_EVERY_M = 110.0


def ward_centre(index: int) -> tuple[float, float]:
    return ORIGIN[0] + SPACING_M * (index % 6), ORIGIN[1] + SPACING_M * (index // 6)


def _outline(rng: random.Random, cx: float, cy: float) -> geo.Array:
    angles = np.linspace(0, 2 * math.pi, 25)[:-1]
    wobble = np.array([rng.uniform(0.82, 1.0) for _ in angles])
    ring = np.column_stack([cx + RADIUS_M * wobble * np.cos(angles), cy + RADIUS_M * wobble * np.sin(angles)])
    return np.vstack([ring, ring[:1]])


def _slices(outline: geo.Array, cx: float, cy: float, n: int) -> list[geo.Array]:
    """The outline cut into ``n`` sectors from the centre (each a closed ring)."""
    body = outline[:-1]
    cuts = np.linspace(0, len(body), n + 1).astype(int)
    out = []
    for a, b in itertools.pairwise(cuts):
        arc = body[a : b + 1] if b < len(body) else np.vstack([body[a:], body[:1]])
        out.append(np.vstack([[cx, cy], arc, [[cx, cy]]]))
    return out


def _streets(rng: random.Random, outline: geo.Array, cx: float, cy: float) -> list[tuple[str, geo.Array]]:
    """Five roads each way across the ward and a few short closes, kept to the ward."""
    names = list(STREETS)
    rng.shuffle(names)
    shape = [[outline]]
    roads: list[tuple[str, geo.Array]] = []
    offsets = np.linspace(-800, 800, 5)
    for i, off in enumerate(offsets):
        t = np.linspace(-RADIUS_M, RADIUS_M, 13)
        bend = np.array([rng.uniform(-25, 25) for _ in t])
        for j, line in enumerate(
            (np.column_stack([cx + t, cy + off + bend]), np.column_stack([cx + off + bend, cy + t]))
        ):
            inside = geo.contains(shape, line[:, 0], line[:, 1])
            if inside.sum() >= 2:
                roads.append((names[(2 * i + j) % len(names)], line[inside]))
    for k in range(10, len(names)):
        ax, ay = cx + rng.uniform(-700, 700), cy + rng.uniform(-700, 700)
        angle = rng.uniform(0, 2 * math.pi)
        roads.append((names[k], np.array([[ax, ay], [ax + 160 * math.cos(angle), ay + 160 * math.sin(angle)]])))
    return roads


def _snap_points(roads: list[tuple[str, geo.Array]]) -> list[tuple[float, float, str]]:
    points = []
    for name, line in roads:
        for a, b in itertools.pairwise(line):
            steps = max(1, int(np.hypot(*(b - a)) // SNAP_EVERY_M))
            for s in range(steps):
                x, y = a + (b - a) * (s + 0.5) / steps
                points.append((float(x), float(y), name))
    return points


def add_geography(h: WardHistory, ward: m.Ward, index: int) -> None:
    """Boundary, LSOAs, streets; then move the ward's crimes and EVA findings onto them (see module)."""
    rng = random.Random(f"geography-{ward.code}")
    session = h.session
    cx, cy = ward_centre(index)
    outline = _outline(rng, cx, cy)
    lsoas = [x.lsoa_code for x in ward.lsoas]
    areas = [(AreaKind.WARD, ward.code, ward.name, outline)]
    areas += [
        (AreaKind.LSOA, code, f"{ward.name} {i + 1:03d}A", ring)
        for i, (code, ring) in enumerate(zip(lsoas, _slices(outline, cx, cy, len(lsoas)), strict=True))
    ]
    session.execute(
        insert(m.WardArea),
        [
            {
                "ward_id": ward.id,
                "kind": kind,
                "code": code,
                "name": name,
                "source": "demo",
                "geometry": json.dumps(geo.multipolygon([[ring]]), separators=(",", ":")),
                **box_columns(geo.Box.around([ring])),
            }
            for kind, code, name, ring in areas
        ],
    )
    roads = _streets(rng, outline, cx, cy)
    layer = m.MapLayer(
        ward_id=ward.id,
        name="Demo streets",
        kind=LayerKind.STREETS,
        file_name="demo",
        sha256="demo",
        features=len(roads),
        added_by="demo",
    )
    session.add(layer)
    session.flush()
    session.execute(
        insert(m.StreetSegment),
        [
            {
                "layer_id": layer.id,
                "name": name,
                "road_class": "residential",
                "geometry": json.dumps(geo.multiline([line]), separators=(",", ":")),
                **box_columns(geo.Box.around([line])),
            }
            for name, line in roads
        ],
    )
    snaps = _snap_points(roads)
    hot = rng.sample(snaps, 3)
    scatter = Scatter(rng, snaps, hot)
    _move_crimes(h, ward, scatter)
    _move_findings(h, ward, scatter)
    _place_priorities(h, ward, rng, hot)


Snap = tuple[float, float, str]


@dataclass(frozen=True)
class Scatter:
    """Where records land: a share of them on the ward's few busy snap points, the rest anywhere."""

    rng: random.Random
    snaps: list[Snap]
    hot: list[Snap]

    def pick(self, hot_share: float) -> Snap:
        if self.rng.random() < hot_share:
            return self.rng.choices(self.hot, (5, 3, 2))[0]
        return self.rng.choice(self.snaps)


def _move_crimes(h: WardHistory, ward: m.Ward, scatter: Scatter) -> None:
    ids = list(
        h.session.scalars(select(m.CrimeRecord.id).where(m.CrimeRecord.ward_id == ward.id).order_by(m.CrimeRecord.id))
    )
    if not ids:
        return
    chosen = [scatter.pick(0.3) for _ in ids]
    lon, lat = geo.to_wgs84([c[0] for c in chosen], [c[1] for c in chosen])
    rows = [
        {"row_id": i, "lon": round(float(lo), 6), "lat": round(float(la), 6), "where": f"On or near {c[2]}"}
        for i, lo, la, c in zip(ids, np.atleast_1d(lon), np.atleast_1d(lat), chosen, strict=True)
    ]
    table = m.CrimeRecord.__table__
    assert isinstance(table, Table)
    stmt = (
        update(table)
        .where(table.c.id == bindparam("row_id"))
        .values(longitude=bindparam("lon"), latitude=bindparam("lat"), location=bindparam("where"))
    )
    h.session.connection().execute(stmt, rows)


def _move_findings(h: WardHistory, ward: m.Ward, scatter: Scatter) -> None:
    observations = h.session.scalars(
        select(m.AuditObservation)
        .join(m.AuditVisit)
        .where(m.AuditVisit.ward_id == ward.id)
        .order_by(m.AuditObservation.id)
    )
    for obs in observations:
        x, y, street = scatter.pick(0.25)
        rng = scatter.rng
        obs.easting, obs.northing = round(x + rng.uniform(-15, 15)), round(y + rng.uniform(-15, 15))
        obs.location = f"{street}, near no. {rng.randint(1, 120)}"


def _place_priorities(h: WardHistory, ward: m.Ward, rng: random.Random, hot: list[Snap]) -> None:
    """Each priority gets the busiest street; half of its actions a named place there."""
    priorities = list(
        h.session.scalars(select(m.Priority).where(m.Priority.ward_id == ward.id).order_by(m.Priority.id))
    )
    rows = []
    for n, priority in enumerate(priorities):
        x, y, street = hot[n % len(hot)]
        rows.append(
            {
                "ward_id": ward.id,
                "priority_id": priority.id,
                "action_id": None,
                "kind": PlaceKind.STREET,
                "name": street,
                "easting": x,
                "northing": y,
                "radius_m": 150.0,
            }
        )
        actions = h.session.scalars(select(m.PartnerAction.id).where(m.PartnerAction.priority_id == priority.id))
        for action_id in actions:
            if rng.random() < 0.5:
                rows.append(
                    {
                        "ward_id": ward.id,
                        "priority_id": None,
                        "action_id": action_id,
                        "kind": PlaceKind.NAMED,
                        "name": f"{street} (by the shops)",
                        "easting": x + rng.uniform(-60, 60),
                        "northing": y + rng.uniform(-60, 60),
                        "radius_m": 60.0,
                    }
                )
    if rows:
        h.session.execute(insert(m.RecordPlace), rows)
