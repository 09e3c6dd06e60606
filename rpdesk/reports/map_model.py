"""What a map on paper shows, as plain data (BNG metres), so documents can be built and tested without a database.

A :class:`PaperMap` is prepared by :mod:`rpdesk.services.report_maps` from the same ward map the
Map page draws, and drawn by :mod:`rpdesk.reports.maps`. Public documents only ever get areas
(:attr:`PaperMap.cells` of a coarse grid, or nothing): no crime point, no finding, no household.
"""

from __future__ import annotations

from dataclasses import dataclass, field

Ring = tuple[tuple[float, float], ...]

#: Public maps show areas on a hexagon grid this coarse (metres across), so no area narrows down to a house.
PUBLIC_AREA_M = 400.0


@dataclass(frozen=True)
class PaperCell:
    """A hexagon to shade: ``shade`` 0-1 of the darkest; ``label`` is printed in it (a number, or '')."""

    corners: Ring
    shade: float
    persistent: bool = False
    label: str = ""


@dataclass(frozen=True)
class PaperPlace:
    """A place outlined on the map: a priority's (solid), an action's (dashed) or a marker with a label."""

    x: float
    y: float
    radius: float
    label: str
    kind: str  # "priority" or "action"


@dataclass(frozen=True)
class PaperMap:
    title: str
    extent: tuple[float, float, float, float]  # min x, min y, max x, max y (BNG metres)
    boundary: tuple[Ring, ...]
    lsoas: tuple[Ring, ...]
    streets: tuple[Ring, ...]
    cells: tuple[PaperCell, ...] = ()
    places: tuple[PaperPlace, ...] = ()
    #: Lines printed under the map: the numbered cells' places and counts, or what the areas mean.
    key: tuple[str, ...] = ()
    notes: tuple[str, ...] = field(default=())
