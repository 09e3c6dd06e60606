"""Plane geometry and grid conversion against answers worked out by hand or published by the OS."""

from __future__ import annotations

import math

import numpy as np
import pytest

from rpdesk.domain import geo
from tests.support.geodata import WARD_E0, WARD_N0, ward_polygon

# Ordnance Survey OSTN15 test points (OSTN15_TestInput/Output_ETRStoOSGB): ETRS89 latitude and
# longitude with the National Grid easting and northing the OS publishes for them. ETRS89 and
# WGS84 agree to well under a metre, far inside the 5 m rpdesk needs.
OS_POINTS = [
    ("TP10 Carmarthenshire", 51.858908964, -4.3085247696, 241124.584, 220332.641),
    ("TP20 Leeds", 53.8002151963, -1.66379168242, 422242.186, 433818.701),
    ("TP07 Kent", 51.3744702555, 1.44454730409, 639821.835, 169565.858),
    ("TP01 Scilly", 49.9222639373, -6.29977752014, 91492.146, 11318.804),
]


@pytest.mark.parametrize(("name", "lat", "lon", "east", "north"), OS_POINTS)
def test_wgs84_to_bng_within_5_m_of_the_os_published_point(name, lat, lon, east, north):
    x, y = geo.to_bng(lon, lat)
    assert math.hypot(float(x) - east, float(y) - north) < 5.0, name


@pytest.mark.parametrize(("name", "lat", "lon", "east", "north"), OS_POINTS)
def test_bng_to_wgs84_within_5_m_of_the_os_published_point(name, lat, lon, east, north):
    lon2, lat2 = geo.to_wgs84(east, north)
    metres_north = (float(lat2) - lat) * 111_320
    metres_east = (float(lon2) - lon) * 111_320 * math.cos(math.radians(lat))
    assert math.hypot(metres_north, metres_east) < 5.0, name


def test_points_inside_and_outside_a_boundary_with_a_hole():
    shape = geo.polygons_of({"type": "Polygon", "coordinates": ward_polygon()})
    points = {
        "centre of the park (the hole)": (WARD_E0 + 1000, WARD_N0 + 1000, False),
        "just inside the west edge": (WARD_E0 + 1, WARD_N0 + 1000, True),
        "just outside the west edge": (WARD_E0 - 1, WARD_N0 + 1000, False),
        "beside the park": (WARD_E0 + 880, WARD_N0 + 1000, True),
        "north-east corner inside": (WARD_E0 + 1999, WARD_N0 + 1999, True),
        "far away": (WARD_E0 + 50_000, WARD_N0, False),
    }
    xs = [p[0] for p in points.values()]
    ys = [p[1] for p in points.values()]
    got = geo.contains(shape, xs, ys)
    assert dict(zip(points, got.tolist(), strict=True)) == {k: v[2] for k, v in points.items()}


def test_contains_agrees_with_a_brute_force_count_on_a_jagged_shape():
    rng = np.random.default_rng(3)
    angles = np.sort(rng.uniform(0, 2 * np.pi, 40))
    radii = rng.uniform(300, 1000, 40)
    ring = np.column_stack([radii * np.cos(angles), radii * np.sin(angles)])
    ring = np.vstack([ring, ring[:1]])
    px, py = rng.uniform(-1100, 1100, 2000), rng.uniform(-1100, 1100, 2000)
    got = geo.contains([[ring]], px, py)
    # brute force: winding by summing angles
    vx, vy = ring[:, 0][None, :] - px[:, None], ring[:, 1][None, :] - py[:, None]
    turn = np.arctan2(vx[:, :-1] * vy[:, 1:] - vy[:, :-1] * vx[:, 1:], vx[:, :-1] * vx[:, 1:] + vy[:, :-1] * vy[:, 1:])
    expected = np.abs(turn.sum(axis=1)) > np.pi
    assert (got == expected).all()
    assert 200 < got.sum() < 1800


def test_area_of_the_ward_subtracts_its_hole():
    shape = geo.polygons_of({"type": "Polygon", "coordinates": ward_polygon()})
    assert geo.area(shape) == pytest.approx(2000 * 2000 - 200 * 200)


def test_hex_grid_cells_are_the_nearest_centre():
    grid = geo.HexGrid(200)
    rng = np.random.default_rng(1)
    x, y = rng.uniform(358_000, 360_000, 5000), rng.uniform(172_000, 174_000, 5000)
    q, r = grid.cells(x, y)
    cx, cy = grid.centre(q, r)
    own = np.hypot(cx - x, cy - y)
    # the six neighbours' centres are never nearer than the cell's own
    for dq, dr in ((1, 0), (-1, 0), (0, 1), (0, -1), (1, -1), (-1, 1)):
        nx, ny = grid.centre(q + dq, r + dr)
        assert (own <= np.hypot(nx - x, ny - y) + 1e-6).all()
    assert own.max() <= grid.size + 1e-6


def test_hex_cell_is_200_m_across_the_flats_and_its_id_round_trips():
    grid = geo.HexGrid(200)
    corners = grid.corners(5, -3)
    assert corners[:, 0].max() - corners[:, 0].min() == pytest.approx(200)
    assert grid.parse(grid.cell_id(5, -3)) == (5, -3)
    cx, cy = grid.centre(5, -3)
    assert grid.cells([cx], [cy]) == (np.array([5]), np.array([-3]))


def test_distance_to_lines():
    line = np.array([[0.0, 0.0], [100.0, 0.0]])
    assert geo.distance_to_lines([line], 50, 30) == pytest.approx(30)
    assert geo.distance_to_lines([line], 130, 40) == pytest.approx(50)
