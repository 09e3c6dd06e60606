"""Record tables, Qt-free: pages of plain tuples, keyset and offset paging, filter, count, export."""

from __future__ import annotations

import csv

from sqlalchemy import func, select

from rpdesk.db import models as m
from rpdesk.progress import never_cancel, no_progress
from rpdesk.services.record_tables import Order
from rpdesk.services.ward_tables import NEWEST_FIRST, abstractions_table, responses_table


def _first_round(database) -> int:
    with database.session() as s:
        return int(s.scalar(select(func.min(m.SurveyResponse.round_id))))


def test_pages_by_key_reach_every_row_once_in_order_as_plain_tuples(demo_db):
    source = responses_table(demo_db, _first_round(demo_db))
    first = source.page(source.default_order, "", 10)
    assert (
        source.count("") > 20 and len(first) == 10 and all(type(r) is tuple for r in first)
    )  # plain values, never ORM rows
    rows = list(first)
    while page := source.page(source.default_order, "", 10, after=rows[-1]):
        rows += page
    keys = [r[0] for r in rows]
    assert keys == sorted(keys) and len(keys) == len(set(keys)) == source.count("")
    newest = source.page(Order(descending=True), "", 5)
    assert [r[0] for r in newest] == keys[::-1][:5]


def test_a_column_order_pages_by_offset_and_a_filter_narrows_rows_and_count(demo_db):
    source = abstractions_table(demo_db, 1)
    assert source.default_order == NEWEST_FIRST
    first, second = source.page(NEWEST_FIRST, "", 30), source.page(NEWEST_FIRST, "", 30, start=30)
    days = [r[1] for r in first + second]
    assert days == sorted(days, reverse=True) and not {r[0] for r in first} & {r[0] for r in second}
    collar = first[0][2]
    matching = source.page(NEWEST_FIRST, collar.lower(), 10_000)
    assert 0 < len(matching) == source.count(collar.lower()) < source.count("")
    assert {r[2] for r in matching} == {collar}
    assert source.count("no such thing at all") == 0


def test_the_export_writes_every_matching_row_as_the_cells_read(demo_db, tmp_path):
    source = abstractions_table(demo_db, 1)
    collar = source.page(NEWEST_FIRST, "", 1)[0][2]
    path = tmp_path / "abstractions.csv"
    written = source.export_csv(path, NEWEST_FIRST, collar, no_progress, never_cancel, marking="OFFICIAL")
    with path.open(encoding="utf-8-sig") as fh:
        rows = list(csv.reader(fh))
    assert written == source.count(collar) and len(rows) == written + 3  # marking, headings, rows, marking
    assert rows[0] == rows[-1] == ["OFFICIAL"] and rows[1][:3] == ["Date", "Officer", "Name"]
    first = source.page(NEWEST_FIRST, collar, 1)[0]
    assert rows[2] == source.cells(first) and rows[2][0] == f"{first[1]:%d %b %Y}"
