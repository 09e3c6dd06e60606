"""One ward, one as-at date: the dashboard, the pack, the card and ``rpdesk-cli status`` agree.

A partner reading the pack line by line must find the same overdue count, the same ranks and the
same recorded-crime counts wherever they look, and on the priorities page the rank of the ranking
the rest of the pack uses (issue 11).
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from rpdesk.db.database import open_database
from rpdesk.domain.periods import month_range
from rpdesk.services import periods
from rpdesk.services.activity import CRIME_MEASURE
from rpdesk.services.dashboard_view import dashboard_data
from rpdesk.services.documents import build_document
from rpdesk.services.report_data import card_data, tasking_data
from rpdesk.services.wards import get_ward
from rpdesk.settings import Settings
from tests.unit.reports.pdfcheck import page_texts

TODAY = dt.date(2026, 11, 27)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    from tests.e2e.conftest import demo_ward

    return demo_ward(tmp_path_factory.mktemp("consistency"), years=2, today=TODAY.isoformat())


def _crime(rows):
    return next((r.this_period, r.previous_period, r.last_12_months) for r in rows if r.measure == CRIME_MEASURE)


def test_every_view_gives_the_same_figures_for_one_ward_and_date(demo, cli):
    url, code = demo
    settings = Settings.load()
    db = open_database(url)
    try:
        with db.session() as s:
            board = dashboard_data(s, code, settings, today=TODAY)
            now = dt.datetime.combine(TODAY, dt.time(9, 0))
            pack = tasking_data(s, code, settings=settings, now=now)  # the next TCG, prepared today
            card = card_data(s, code, settings=settings, now=now)
            ranking = periods.ranking_at(s, get_ward(s, code), TODAY, settings)
    finally:
        db.dispose()
    result = cli("status", "--db", url, "--ward", code, "--as-at", TODAY.isoformat(), "--format", "json")
    assert result.returncode == 0, result.stderr
    status = json.loads(result.stdout)

    # one as-at date and one period, never running past it
    assert pack.meeting.date > TODAY
    assert board.as_at.date == pack.as_at.date == card.as_at.date == TODAY
    assert status["as_at"] == TODAY.isoformat()
    assert (board.period_start, board.period_end) == (pack.period_start, pack.period_end)
    assert status["period_start"] == pack.period_start.isoformat() and pack.period_end <= TODAY
    assert status["period"] == pack.as_at.period == board.as_at.period

    # the same overdue count, past due at the as-at date, and labelled so
    overdue = sum(a.overdue for a in card.actions)
    assert board.overdue_actions == pack.overdue_actions == status["overdue_actions"] == overdue
    assert board.open_actions == pack.open_actions == status["open_actions"] == len(card.actions)
    assert pack.as_at.overdue == status["overdue_label"] == "Overdue at 27/11/2026"
    assert all(a.due is not None and a.due < TODAY for a in pack.actions if a.overdue)

    # one ranking: pack, card, dashboard and CLI rank every issue alike
    assert ranking is not None
    ranks = {s.issue: s.rank for s in ranking.signals}
    assert {r["issue"]: r["rank"] for r in status["ranks"]} == ranks
    assert all(ranks[r.issue] == r.rank for r in (*pack.signals, *card.signals))
    assert [b.label for b in board.signals] == [s.label for s in ranking.signals if s.prevalence is not None][:6]
    assert pack.priorities, "the demo ward has priorities in force"
    labels = {s.label: s.rank for s in ranking.signals}
    for p in (*pack.priorities, *card.priorities):
        assert p.evidence_rank == labels.get(p.label)  # the rank in this document's ranking
    assert pack.as_at.ranking == card.as_at.ranking == status["ranking"]
    assert ranking.round_name in pack.as_at.ranking

    # the same recorded-crime counts, in whole police.uk months
    cli_crime = next(
        (r["this_period"], r["previous_period"], r["last_12_months"])
        for r in status["activity"]
        if r["measure"] == CRIME_MEASURE
    )
    assert _crime(pack.activity) == cli_crime
    board_crime = next((r.this_period, r.previous_period) for r in board.activity if r.measure == CRIME_MEASURE)
    assert board_crime == cli_crime[:2]
    assert cli_crime[2] is not None and cli_crime[2] > 0
    assert pack.as_at.crime_held == status["crime_held"]


def test_the_pack_never_counts_a_month_twice_nor_one_not_yet_ended(demo):
    """Consecutive TCG periods of the demo: each police.uk month in at most one, none after the as-at date."""
    url, code = demo
    db = open_database(url)
    try:
        with db.session() as s:
            ward = get_ward(s, code)
            meetings = [d for d in periods.tcg_dates(s, ward) if d <= TODAY]
            seen: list[dt.date] = []
            for meeting in meetings[1:]:
                fr = periods.frame(s, ward, TODAY, meeting=meeting)
                seen.extend(fr.period.months())
                assert all(m.replace(day=28) <= TODAY for m in fr.period.months())
    finally:
        db.dispose()
    assert len(seen) == len(set(seen))
    assert seen == list(month_range(seen[0], seen[-1]))  # and none is skipped


def test_every_document_states_its_as_at_date_period_and_ranking(demo, tmp_path):
    url, code = demo
    now = dt.datetime.combine(TODAY, dt.time(9, 0))
    db = open_database(url)
    try:
        texts = {}
        for kind in ("tasking", "card", "briefing"):
            info = build_document(db, kind, code, None, tmp_path / f"{kind}.pdf", now=now, settings=Settings())
            texts[kind] = " ".join(" ".join(page.split()) for page in page_texts(info.path))
    finally:
        db.dispose()
    pack = texts["tasking"]
    assert "As at Fri 27 Nov 2026: police.uk data held to Sep 2026" in pack
    assert "part period: to the as-at date" in pack  # the next TCG is after today
    assert "past due at Fri 27 Nov 2026" in pack
    assert pack.count("ranking of survey round Autumn 2026") >= 2  # on the cover and the priorities page
    assert "figures as at Fri 27 Nov 2026" in texts["card"]
    assert "Figures as at Friday 27 November 2026" in texts["briefing"]
