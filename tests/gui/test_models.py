"""Table models: Qt's model tester, lazy paging, sorting, filtering, safe CSV export.

The statements are the services' (:mod:`rpdesk.services.record_tables`); these tests hold the Qt
adapter to them: pages fetched as the view scrolls, the count kept apart, sort and filter reloading.
"""

from __future__ import annotations

import csv

from PySide6.QtCore import QModelIndex, Qt

from rpdesk.db.models import Abstraction, DutyRecord, Officer, PartnerAction
from rpdesk.progress import never_cancel, no_progress
from rpdesk.services import actions
from rpdesk.services.record_tables import Column, RecordSource
from rpdesk.services.wards import list_wards

from rpdesk.gui.models.paged import PagedTableModel
from rpdesk.gui.models.records import Field, RecordsModel


def _abstractions(db) -> PagedTableModel:
    return PagedTableModel(
        RecordSource(
            db,
            [
                Column("Date", DutyRecord.date),
                Column("Officer", Officer.collar, searchable=True),
                Column("Hours", Abstraction.hours, numeric=True),
                Column("Note", Abstraction.note, searchable=True),
            ],
            Abstraction.id,
            lambda s: s.join(DutyRecord, DutyRecord.id == Abstraction.duty_id).join(
                Officer, Officer.id == DutyRecord.officer_id
            ),
        )
    )


def test_query_model_passes_the_model_tester(qtmodeltester, demo_db):
    model = _abstractions(demo_db)
    # Qt's tester runs its checks (fetchMore included) from its modelReset handler before it marks the
    # reset finished, so rows fetched there read to it as inserted during a reset; one page holds all
    # the demo's abstractions here, and paging has its own test below.
    model.page_size = 10_000
    model.reload()
    qtmodeltester.check(model)
    model.sort(0, Qt.SortOrder.DescendingOrder)
    qtmodeltester.check(model)


def test_query_model_fetches_lazily_and_reaches_every_row(demo_db):
    model = _abstractions(demo_db)
    model.page_size = 40
    model.reload()
    everything = model.count_rows()
    assert everything > 40
    assert model.rowCount() == 40 and not model.counted  # only the first page is read, nothing counted
    model.set_count(everything, model.generation)
    assert model.total == everything
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())
    keys = [model.key_at(r) for r in range(model.rowCount())]
    assert len(keys) == everything == len(set(keys))
    assert keys == sorted(keys)  # keyset paging kept the order across pages


def test_sorting_and_filtering(demo_db):
    model = _abstractions(demo_db)
    model.sort(2, Qt.SortOrder.DescendingOrder)
    hours = [model.row_tuple(r)[3] for r in range(model.rowCount())]
    assert hours == sorted(hours, reverse=True)
    collar = model.row_tuple(0)[2]
    model.set_filter(collar.lower())
    assert 0 < model.total < 1000
    assert all(model.row_tuple(r)[2] == collar for r in range(model.rowCount()))
    model.set_filter("no such thing at all")
    assert model.total == 0 and model.rowCount() == 0


def test_export_writes_every_matching_row_and_neutralises_formulas(demo_db, tmp_path):
    with demo_db.session() as s:
        ward = list_wards(s)[0]
        actions.add_action(s, ward.code, '=HYPERLINK("http://x")', "PC Jo Turner")
    model = PagedTableModel(
        RecordSource(
            demo_db,
            [Column("Title", PartnerAction.title, searchable=True), Column("Owner", PartnerAction.owner)],
            PartnerAction.id,
            lambda s: s.where(PartnerAction.ward_id == ward.id),
        )
    )
    model.reload()
    path = tmp_path / "actions.csv"
    assert model.export_csv(path, no_progress, never_cancel) == model.total
    with path.open(encoding="utf-8-sig") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == ["Title", "Owner"] and len(rows) == model.total + 1
    assert ['\'=HYPERLINK("http://x")', "PC Jo Turner"] in rows


def test_records_model_passes_the_model_tester(qtmodeltester, demo_db):
    with demo_db.session() as s:
        listed = actions.list_actions(s, ward=list_wards(s)[0].code, due_soon_days=14)
    model = RecordsModel(
        [Field("Title", "title"), Field("Due", "due_date"), Field("Late", "days_overdue", numeric=True)]
    )
    model.set_records(listed)
    qtmodeltester.check(model)
    model.sort(1, Qt.SortOrder.AscendingOrder)
    dues = [model.record(r).due_date for r in range(model.rowCount()) if model.record(r).due_date]
    assert dues == sorted(dues)
    model.set_filter(listed[0].title.split()[0])
    assert 0 < model.total <= len(listed)
