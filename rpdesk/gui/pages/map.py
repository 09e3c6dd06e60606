"""Map: the ward's boundary, streets, crime, EVA findings, hotspot cells and the places of its priorities.

The map is drawn in British National Grid metres (north up, one metre the same on both axes) with
pyqtgraph on the raster paint path. Layers are toggled on the right, crime type by type; the issue
and period filters reload the map. Clicking a feature shows its record; clicking anywhere else
picks that point, which "Give a place…" can then give to a priority or an action.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QBrush, QColor, QImage, QPixmap, QPolygonF, QTransform
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QGraphicsPathItem,
    QGraphicsPixmapItem,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from rpdesk.domain import geo
from rpdesk.domain.catalogue import POLICE_UK_CRIME_TYPES
from rpdesk.services.ward_map import MapPlace, WardMap, default_period, load_ward_map

from rpdesk.gui.dialogs.form import CHOOSE, FormDialog, choice_box, date_edit, date_of
from rpdesk.gui.flow import FlowLayout
from rpdesk.gui.map_items import DotsItem, LinesItem, ShapesItem, cosmetic_pen, path_of, polygon_of
from rpdesk.gui.pages.base import Page, heading
from rpdesk.gui.theme import quiet_style

#: One colour per police.uk crime type (Tableau 20, darker half first): distinct on a light map.
CRIME_COLOURS = [
    QColor(c)
    for c in (
        *("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2"),
        *("#7f7f7f", "#bcbd22", "#17becf", "#393b79", "#ad494a", "#637939", "#8c6d31"),
    )
]
EVA_COLOUR = QColor("#111111")
PLACE_COLOUR = QColor("#6a1b9a")
#: Hotspot cells: white to deep red by share of the busiest cell.
HEAT = [QColor(255, 245, 235, 150), QColor(253, 190, 133, 170), QColor(253, 141, 60, 180), QColor(217, 71, 1, 190)]
CLICK_PIXELS = 7
#: Streets by residents' view: light (few call it a big problem) to dark purple (most do).
RESIDENTS_LOW, RESIDENTS_HIGH = QColor("#fde0dd"), QColor("#7a0177")


def residents_pen(prevalence: float) -> Any:
    t = max(0.0, min(1.0, prevalence))
    low, high = RESIDENTS_LOW, RESIDENTS_HIGH
    colour = QColor(
        round(low.red() + (high.red() - low.red()) * t),
        round(low.green() + (high.green() - low.green()) * t),
        round(low.blue() + (high.blue() - low.blue()) * t),
    )
    return cosmetic_pen(colour, 6)


def heat_brush(count: int, most: int) -> QBrush:
    share = count / most if most else 0
    return QBrush(HEAT[min(len(HEAT) - 1, int(share * len(HEAT)))])


class MapPage(Page):
    title = "Map"
    tables = frozenset(
        {
            "crime_record",
            "audit_observation",
            "audit_visit",
            "ward_area",
            "map_layer",
            "record_place",
            "priority",
            "partner_action",
        }
    )

    def __init__(self, ctx: Any, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.data: WardMap | None = None
        self.picked: tuple[float, float] | None = None
        self._period_set_for: int | None = None
        self.heading = heading(self.title)
        self.issue = QComboBox()
        self.issue.setAccessibleName("Issue shown")
        self.issue.addItem("All issues", None)
        self.issue.setMinimumContentsLength(26)
        self.issue.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.start = date_edit()
        self.start.setAccessibleName("From")
        self.end = date_edit()
        self.end.setAccessibleName("To")
        self.show_button = QPushButton("&Show")
        self.show_button.clicked.connect(self.refresh)
        self.place_button = QPushButton("Give a &place…")
        self.place_button.setToolTip("Give a priority or an action a street, or the point picked on the map")
        self.place_button.clicked.connect(self.give_place)
        head = FlowLayout()  # wraps rather than push a button past the right edge (large text, 150%)
        head.addWidget(self.heading)
        head.addStretch(1)
        for label, widget in (("Issue", self.issue), ("From", self.start), ("To", self.end)):
            head.addPair(QLabel(label), widget)
        head.addWidget(self.show_button)
        head.addWidget(self.place_button)
        self.boundary_button = QPushButton("&Boundary file…")
        self.boundary_button.setToolTip(
            "Import the ward's boundary, or its LSOAs', from an ONS GeoJSON or GeoPackage file"
        )
        self.boundary_button.clicked.connect(self.import_boundary)
        self.layer_button = QPushButton("Add &layer…")
        self.layer_button.setToolTip("Add a street network (GeoJSON, GeoPackage) or a basemap (MBTiles)")
        self.layer_button.clicked.connect(self.add_layer)
        head.addWidget(self.boundary_button)
        head.addWidget(self.layer_button)

        self.plot = pg.PlotWidget()
        self.plot.setAccessibleName("Ward map")
        self.plot.setAspectLocked(True)
        self.plot.getPlotItem().hideAxis("left")
        self.plot.getPlotItem().hideAxis("bottom")
        self.plot.getPlotItem().setMenuEnabled(False)
        self.plot.getPlotItem().hideButtons()
        self.plot.setBackground("#f4f1ea")
        self.plot.scene().sigMouseClicked.connect(self._clicked)
        self.lsoa_item = QGraphicsPathItem()
        self.lsoa_item.setPen(cosmetic_pen("#9e9e9e", 1, Qt.PenStyle.DashLine))
        self.boundary_item = QGraphicsPathItem()
        self.boundary_item.setPen(cosmetic_pen("#263238", 2.5))
        self.street_item = QGraphicsPathItem()
        self.street_item.setPen(cosmetic_pen("#b0a999", 2))
        self.residents = LinesItem()
        self.cells = ShapesItem()
        self.crimes = DotsItem(7)
        self.eva = DotsItem(9, outline="#ffeb3b")
        self.places = ShapesItem()  # priorities' places
        self.action_places = ShapesItem()
        self.pick_marker = pg.ScatterPlotItem(size=14, symbol="+", pen=pg.mkPen("#000000", width=2), brush=None)
        for item in (
            self.lsoa_item,
            self.street_item,
            self.residents,
            self.cells,
            self.boundary_item,
            self.crimes,
            self.eva,
            self.places,
            self.action_places,
            self.pick_marker,
        ):
            self.plot.addItem(item)
        self.place_labels: list[pg.TextItem] = []
        self.tile_items: list[QGraphicsPixmapItem] = []

        self.layer_boxes: dict[str, QCheckBox] = {}
        side = QVBoxLayout()
        side.addWidget(QLabel("<b>Layers</b>"))
        for key, label, items in (
            ("basemap", "Basemap (MBTiles layer)", ()),
            ("boundary", "Boundary and LSOAs", (self.boundary_item, self.lsoa_item)),
            ("streets", "Streets", (self.street_item,)),
            ("residents", "Residents by street (choose an issue)", (self.residents,)),
            ("cells", "Hotspot cells (bold: persistent)", (self.cells,)),
            ("eva", "EVA findings", (self.eva,)),
            ("places", "Priorities' places (solid)", (self.places,)),
            ("actions", "Actions' places (dashed)", (self.action_places,)),
            ("crime", "Crime (police.uk, approximate)", (self.crimes,)),
        ):
            box = QCheckBox(label)
            box.setChecked(True)
            box.toggled.connect(lambda on, items=items, key=key: self._toggle(key, items, on))
            self.layer_boxes[key] = box
            side.addWidget(box)
        self.crime_types = QListWidget()
        self.crime_types.setAccessibleName("Crime types shown")
        self.crime_types.itemChanged.connect(self._crime_types_changed)
        side.addWidget(self.crime_types, 2)
        side.addWidget(QLabel("<b>Selected</b>"))
        self.details = QLabel("Click a point, a cell or a place for its record.")
        self.details.setAccessibleName("Selected feature")
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.details.setMinimumHeight(120)
        side.addWidget(self.details, 1)
        self.caveat = QLabel()
        self.caveat.setWordWrap(True)
        self.caveat.setStyleSheet(quiet_style())
        side.addWidget(self.caveat)
        panel = QWidget()
        panel.setLayout(side)
        panel.setFixedWidth(300)
        body = QHBoxLayout()
        body.addWidget(self.plot, 1)
        body.addWidget(panel)
        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addLayout(body, 1)
        self.plot.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    # --- loading ---------------------------------------------------------------------------------

    def refresh(self) -> None:
        ward = self.ward
        if ward is None:
            return
        self.heading.setText(f"{self.title} — {ward.name}")
        if self._period_set_for != ward.id:
            self.run(default_period, ward.id, title="Finding the latest month", on_done=self._set_period)
            return
        issue = self.issue.currentData()
        settings = self.ctx.settings
        self.run(
            load_ward_map,
            ward.id,
            date_of(self.start),
            date_of(self.end),
            issue=issue,
            settings=settings,
            title="Drawing the map",
            on_done=self.show_map,
        )
        if self.issue.count() == 1:
            self.run(_issue_choices, title="Loading issues", on_done=self._set_issues)

    def _set_period(self, period: tuple[dt.date, dt.date]) -> None:
        self._period_set_for = self.ward.id if self.ward else None
        for edit, day in zip((self.start, self.end), period, strict=True):
            edit.set_date(day)
        self.refresh()

    def _set_issues(self, issues: list[tuple[str, str]]) -> None:
        for code, label in issues:
            self.issue.addItem(label, code)

    def show_map(self, data: WardMap) -> None:
        """Draw ``data`` (the page's figures come from this one object)."""
        self.data = data
        self._draw_tiles(data)
        self._draw_shapes(data)
        self._draw_points(data)
        self._draw_cells(data)
        self._draw_places(data)
        self._draw_residents(data)
        self.caveat.setText(data.caveat)
        extent = data.extent()
        if extent is not None:
            self.plot.setRange(xRange=(extent.min_x, extent.max_x), yRange=(extent.min_y, extent.max_y), padding=0)

    def _draw_tiles(self, data: WardMap) -> None:
        """Each tile warped onto the grid by its four corners (web tiles are not aligned with BNG)."""
        for item in self.tile_items:
            self.plot.removeItem(item)
        self.tile_items = []
        for tile in data.tiles:
            image = QImage.fromData(tile.image)
            if image.isNull():
                continue
            item = QGraphicsPixmapItem(QPixmap.fromImage(image))
            source = QPolygonF(
                [
                    QPointF(0, 0),
                    QPointF(image.width(), 0),
                    QPointF(image.width(), image.height()),
                    QPointF(0, image.height()),
                ]
            )
            target = QPolygonF([QPointF(x, y) for x, y in tile.corners])
            transform = QTransform()
            if QTransform.quadToQuad(source, target, transform):
                item.setTransform(transform)
                item.setZValue(-10)
                item.setVisible(self.layer_boxes["basemap"].isChecked())
                self.plot.addItem(item)
                self.tile_items.append(item)
        self.layer_boxes["basemap"].setEnabled(bool(self.tile_items))

    def _draw_shapes(self, data: WardMap) -> None:
        rings = [ring for poly in (data.boundary.polygons if data.boundary else []) for ring in poly]
        self.boundary_item.setPath(path_of(rings, closed=True))
        lsoa_rings = [ring for area in data.lsoas for poly in area.polygons for ring in poly]
        self.lsoa_item.setPath(path_of(lsoa_rings, closed=True))
        self.street_item.setPath(path_of([ln for s in data.streets for ln in s.lines], closed=False))

    def _draw_points(self, data: WardMap) -> None:
        types = list(POLICE_UK_CRIME_TYPES)
        extra = sorted(set(data.crimes.kind) - set(types))
        types += extra
        index = {t: i for i, t in enumerate(types)}
        colours = [CRIME_COLOURS[i % len(CRIME_COLOURS)] for i in range(len(types))]
        codes = np.array([index[k] for k in data.crimes.kind], dtype=np.int64)
        self.crimes.set_points(data.crimes.x, data.crimes.y, codes, colours)
        self.crime_types.blockSignals(True)
        self.crime_types.clear()
        counts = np.bincount(codes, minlength=len(types)) if len(codes) else np.zeros(len(types), dtype=int)
        for i, name in enumerate(types):
            item = QListWidgetItem(f"{name} ({counts[i]})")
            item.setData(Qt.ItemDataRole.UserRole, i)
            item.setForeground(QBrush(colours[i].darker(120)))
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            self.crime_types.addItem(item)
        self.crime_types.blockSignals(False)
        self.eva.set_points(data.eva.x, data.eva.y, np.zeros(len(data.eva), dtype=np.int64), [EVA_COLOUR])

    def _draw_residents(self, data: WardMap) -> None:
        self.residents.set_lines(
            [(path_of(v.lines, closed=False), residents_pen(v.prevalence)) for v in data.residents if v.lines]
        )
        box = self.layer_boxes["residents"]
        if data.streets_round:
            pooled = f"; {data.residents_pooled} small streets pooled, not drawn" if data.residents_pooled else ""
            box.setToolTip(f"Survey round {data.streets_round}: darker = more call it a big problem{pooled}")
        else:
            box.setToolTip("Choose an issue to colour the streets by what their residents said about it")

    def _draw_cells(self, data: WardMap) -> None:
        cells = data.hotspots.cells
        most = max((c.count for c in cells), default=0)
        shapes = []
        for cell in cells:
            pen = cosmetic_pen("#7f0000", 3) if cell.persistent else cosmetic_pen("#d0a080", 0.8)
            shapes.append((polygon_of(data.hotspots.corners(cell)), heat_brush(cell.count, most), pen))
        self.cells.set_shapes(shapes)

    def _draw_places(self, data: WardMap) -> None:
        for label in self.place_labels:
            self.plot.removeItem(label)
        self.place_labels = []
        shown = [p for p in data.places if p.active]
        for item, record, style in (
            (self.places, "priority", Qt.PenStyle.SolidLine),
            (self.action_places, "action", Qt.PenStyle.DashLine),
        ):
            pen = cosmetic_pen(PLACE_COLOUR, 2.5, style)
            item.set_shapes(
                [(polygon_of(_circle(p)), QBrush(Qt.BrushStyle.NoBrush), pen) for p in shown if p.record == record]
            )
        for place in shown:
            if place.record == "priority":
                text = pg.TextItem(place.name, color=PLACE_COLOUR, anchor=(0.5, 1.2))
                text.setPos(place.x, place.y + place.radius)
                text.setVisible(self.layer_boxes["places"].isChecked())
                self.plot.addItem(text)
                self.place_labels.append(text)
        self._places_shown = shown

    # --- interaction ---------------------------------------------------------------------------

    def _toggle(self, key: str, items: tuple[Any, ...], on: bool) -> None:
        for item in (*items, *(self.tile_items if key == "basemap" else ())):
            item.setVisible(on)
        if key == "places":
            for label in self.place_labels:
                label.setVisible(on)

    def _crime_types_changed(self, _item: QListWidgetItem) -> None:
        shown = [
            self.crime_types.item(i).checkState() == Qt.CheckState.Checked for i in range(self.crime_types.count())
        ]
        self.crimes.show_colours(shown)

    def _clicked(self, event: Any) -> None:
        if self.data is None or event.button() != Qt.MouseButton.LeftButton:
            return
        point = self.plot.getPlotItem().vb.mapSceneToView(event.scenePos())
        self.select_at(point.x(), point.y())

    def select_at(self, x: float, y: float) -> str:
        """Show the record of the feature at (x, y) in BNG metres; elsewhere, pick the point. Returns the text."""
        data = self.data
        if data is None:
            return ""
        pixel = max(self.plot.getPlotItem().vb.viewPixelSize())
        text = self._feature_text(data, x, y, pixel * CLICK_PIXELS)
        if text is None:
            self.picked = (x, y)
            self.pick_marker.setData([x], [y])
            text = f"Picked easting {x:.0f}, northing {y:.0f}. “Give a place…” gives it to a priority or an action."
        self.details.setText(text)
        return text

    def _feature_text(self, data: WardMap, x: float, y: float, tolerance: float) -> str | None:
        shown = {"priority": self.layer_boxes["places"].isChecked(), "action": self.layer_boxes["actions"].isChecked()}
        for place in self._places_shown:
            if shown[place.record] and np.hypot(place.x - x, place.y - y) <= max(place.radius, tolerance):
                return f"{place.title}\nPlace: {place.name} ({place.radius:.0f} m)"
        if self.layer_boxes["eva"].isChecked():
            i = self.eva.nearest(x, y, tolerance)
            if i is not None:
                return data.eva.label[i]
        if self.layer_boxes["crime"].isChecked():
            i = self.crimes.nearest(x, y, tolerance)
            if i is not None:
                return self._snap_point_text(data, i)
        if self.layer_boxes["residents"].isChecked():
            for view in data.residents:
                if view.lines and geo.distance_to_lines(view.lines, x, y) <= tolerance:
                    return (
                        f"{view.street}: {view.prevalence:.0%} of its {view.respondents} respondents in "
                        f"{data.streets_round} call {self.issue.currentText().lower()} a fairly or very big problem."
                    )
        if self.layer_boxes["cells"].isChecked():
            i = self.cells.index_at(x, y)
            if i is not None:
                c = data.hotspots.cells[i]
                lasting = (
                    f"persistent: top cell in {c.months_top} of {c.months} months"
                    if c.persistent
                    else (f"top cell in {c.months_top} of {c.months} months")
                )
                return (
                    f"Hotspot cell {c.rank} of {len(data.hotspots.cells)}: {c.records()}; {lasting}.\n{c.place or ''}"
                )
        return None

    def import_boundary(self) -> None:
        from rpdesk.services.geography import import_boundary

        path, _ = QFileDialog.getOpenFileName(
            self, "Ward or LSOA boundaries (ONS)", "", "Boundaries (*.geojson *.json *.gpkg);;All files (*)"
        )
        if path and self.ward is not None:
            self.run(import_boundary, self.ward.code, path, title="Importing boundaries", on_done=self._boundary_done)

    def add_layer(self) -> None:
        from rpdesk.services.geography import add_layer

        path, _ = QFileDialog.getOpenFileName(
            self, "Streets or basemap", "", "Map layers (*.geojson *.json *.gpkg *.mbtiles);;All files (*)"
        )
        if path and self.ward is not None:
            kind = "basemap" if path.lower().endswith(".mbtiles") else "streets"
            self.run(add_layer, self.ward.code, path, kind, title="Adding a map layer", on_done=self._layer_done)

    def _boundary_done(self, result: Any) -> None:
        what = "the ward boundary" if result.kind == "ward" else f"{len(result.codes)} LSOA boundaries"
        self.details.setText(f"Imported {what} ({result.area_km2:.2f} km²).")
        self.refresh()  # the page's own write: other pages hear of it from its change set

    def _layer_done(self, info: Any) -> None:
        unit = "roads" if info.kind == "streets" else "tiles"
        self.details.setText(f"Added the {info.kind} layer '{info.name}': {info.features} {unit}.")
        self.refresh()

    def _snap_point_text(self, data: WardMap, i: int) -> str:
        """Every shown crime at the clicked crime's point: police.uk piles them on one snap point."""
        crimes = data.crimes
        here = np.flatnonzero((crimes.x == crimes.x[i]) & (crimes.y == crimes.y[i]) & self.crimes.shown_mask())
        note = "The point is police.uk's approximate snap point."
        if len(here) <= 1:
            return f"{crimes.label[i]}\n{note}"
        by_type = Counter(crimes.kind[j] for j in here)
        kinds = ", ".join(f"{kind} {n}" for kind, n in by_type.most_common())
        where = crimes.label[i].split(", ", 1)[1].rsplit(" (", 1)[0]
        return f"{len(here)} crimes at this point ({where}): {kinds}.\n{note}"

    def give_place(self) -> None:
        if self.ward is None or self.data is None:
            return
        PlaceDialog(self.ctx, self.data, self.picked, self).exec()


def _circle(place: MapPlace, steps: int = 48) -> np.ndarray:
    angles = np.linspace(0, 2 * np.pi, steps)
    return np.column_stack([place.x + place.radius * np.cos(angles), place.y + place.radius * np.sin(angles)])


def _issue_choices(session: Any) -> list[tuple[str, str]]:
    from rpdesk.services.issues import issue_choices

    return [(i.code, i.label) for i in issue_choices(session)]


class PlaceDialog(FormDialog):
    """Give a priority or an action a place: one of the ward's streets, or the point picked on the map."""

    def __init__(self, ctx: Any, data: WardMap, picked: tuple[float, float] | None, parent: QWidget | None = None):
        super().__init__(ctx, "Give a place", parent)
        self.data = data
        self.picked = picked
        self.record = self.add_field("&Record", QComboBox())
        self.record.setPlaceholderText(CHOOSE)  # the user picks what the place is for: none is chosen
        where: list[tuple[str, Any]] = []
        if picked is not None:
            where.append((f"The point picked on the map ({picked[0]:.0f}, {picked[1]:.0f})", None))
        where += [(name, name) for name in sorted({s.name for s in data.streets if s.name})]
        self.where = self.add_field(
            "&Where", choice_box(where), "A street of the ward's street layer, or the picked point"
        )
        self.name = self.add_field("&Name", QLineEdit(), "What the place is called, e.g. 'the underpass'")
        self.radius = self.add_field("Ra&dius (m)", QDoubleSpinBox())
        self.radius.setRange(10, 2000)
        self.radius.setValue(100)
        state = ctx.runner.run(_targets, data.ward_id, title="Loading priorities and actions")
        state.done.connect(self._set_targets)

    def _set_targets(self, targets: list[Any]) -> None:
        for target in targets:
            self.record.addItem(target.label, target)

    def problems(self) -> list[str]:
        out = []
        if self.record.currentData() is None:
            out.append("Choose the priority or action this place is for.")
        if self.where.currentIndex() < 0:
            out.append(
                "Choose where: a street, or the point picked on the map."
                if self.where.count()
                else "Pick a point on the map first, or add a street layer."
            )
        return out

    def save_call(self) -> tuple[Any, tuple[Any, ...], dict[str, Any]]:
        from rpdesk.services.places import add_place

        target = self.record.currentData()
        street = self.where.currentData()
        kwargs: dict[str, Any] = {
            "priority_id": target.priority_id,
            "action_id": target.action_id,
            "name": self.name.text().strip() or None,
            "radius_m": self.radius.value() if street is None else None,
        }
        if street is not None:
            kwargs["street"] = street
        else:
            kwargs["point"] = self.picked
        return add_place, (self.data.ward_code,), kwargs


def _targets(session: Any, ward_id: int) -> list[Any]:
    from rpdesk.services.places import place_targets

    return place_targets(session, ward_id)
