"""Signals & Priorities through the page: the assumption check before the reveal, the breakdown, adopting priorities."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from rpdesk.db.models import ExpectedSignalSet, Priority, RankingSnapshot
from rpdesk.services import signals_view
from rpdesk.services.signals import rank_signals
from rpdesk.services.wards import list_wards
from tests.gui.conftest import wait_idle

from rpdesk.gui.pages.signals.page import SignalsPage
from rpdesk.gui.pages.signals.priorities import AdoptDialog

WAIT = 30_000


@pytest.fixture
def page(qtbot, ctx):
    with ctx.database.session() as s:
        ward = list_wards(s)[0]
    page = SignalsPage(ctx)
    qtbot.addWidget(page)
    page.resize(1200, 800)
    page.show()
    with qtbot.waitSignal(page.view_loaded, timeout=WAIT):
        page.set_ward(ward)
    return page


def test_the_ranking_stays_hidden_until_expected_signals_are_recorded_then_they_are_compared(qtbot, page, ctx):
    assert page.stack.currentWidget() is page.gate
    assert page.ranking_model.rowCount() == 0 and not page.adopt_button.isEnabled()
    evidence = page.view.ranking
    page.gate.record_button.click()
    assert "at least one" in page.gate.problem.text()  # nothing chosen: refused, still hidden
    assert page.stack.currentWidget() is page.gate

    expected = [evidence.signals[0].issue, evidence.signals[-1].issue]
    for box, code in zip(page.gate.slots, expected, strict=False):
        box.setCurrentIndex(box.findData(code))
    with qtbot.waitSignal(page.view_loaded, timeout=WAIT):
        page.gate.record_button.click()
    wait_idle(qtbot, page)
    assert page.stack.currentIndex() == 2 and page.ranking_model.rowCount() == len(evidence.signals)
    comparison = page.view.comparison
    assert comparison is not None and comparison.expected == tuple(expected)
    assert comparison.overlap == (evidence.signals[0].issue,)
    assert "1 of the 2 expected" in page.check.summary.text() and "Spearman" in page.check.summary.text()
    assert page.check.model.rowCount() == len(evidence.signals)
    with ctx.database.session() as s:
        assert s.scalars(select(ExpectedSignalSet)).one().comparison_json is None  # showing it wrote nothing
    assert page.check.keep_button.isEnabled()
    page.check.keep_button.click()
    wait_idle(qtbot, page)
    with ctx.database.session() as s:
        assert s.scalars(select(ExpectedSignalSet)).one().comparison_json is not None
    assert "Kept" in page.check.summary.text() and not page.check.keep_button.isEnabled()


def test_skipping_reveals_the_ranking_with_the_breakdown_behind_the_selected_row(qtbot, page):
    page.gate.skip_button.click()
    assert page.stack.currentIndex() == 2
    page.ranking_table.view.selectRow(1)
    second = page.view.ranking.signals[1]
    assert page.breakdown.title.text() == f"2. {second.label}"
    assert page.breakdown.explanation.text() == second.explanation
    assert f"{second.score:.3f}" in page.breakdown.contributions.text()
    assert page.check.model.rowCount() == 0 and "No expectation" in page.check.summary.text()


def test_snapshot_keeps_the_ranking(qtbot, page, ctx):
    page.gate.skip_button.click()
    with qtbot.waitSignal(page.snapshot_saved, timeout=WAIT) as saved:
        page.snapshot_button.click()
    with ctx.database.session() as s:
        row = s.get(RankingSnapshot, saved.args[0].id)
        assert row is not None
    assert "Snapshot" in page.summary.text()


def test_adopting_a_departure_needs_a_reason_keeps_it_and_the_page_ranks_once(qtbot, page, ctx, monkeypatch):
    page.gate.skip_button.click()
    ranking = page.view.ranking
    top = [s.issue for s in ranking.top()]
    outsider = ranking.signals[ranking.top_n].issue
    dialog = AdoptDialog(ctx, ranking)
    qtbot.addWidget(dialog)
    assert [code for code, tick in dialog.ticks.items() if tick.isChecked()] == top
    assert not dialog.reasons  # the evidence top N: no departure, no reason needed

    dialog.ticks[top[-1]].setChecked(False)  # pass one over ...
    dialog.ticks[outsider].setChecked(True)  # ... and adopt one from outside the top N
    assert set(dialog.reasons) == {top[-1], outsider}
    dialog.reasons[outsider].setPlainText("Residents at the PACT meeting raised it twice")
    dialog.save_button.click()
    assert "A written reason is needed" in dialog.problem.text()
    with ctx.database.session() as s:
        before = {p.id for p in s.scalars(select(Priority))}

    dialog.reasons[top[-1]].setPlainText("The council has already scheduled the work")
    assert set(dialog.public_reasons) == {outsider}  # only an adoption is explained to the public
    dialog.public_reasons[outsider].setText("Raised twice at the PACT meeting")
    rankings = []
    monkeypatch.setattr(signals_view, "rank_signals", lambda *a, **k: rankings.append(1) or rank_signals(*a, **k))
    with (
        qtbot.waitSignal(dialog.adopted, timeout=WAIT) as done,
        qtbot.waitSignal(page.view_loaded, timeout=WAIT),  # the adoption's change set reloads the page
    ):
        dialog.save_button.click()
    wait_idle(qtbot, page)
    assert rankings == [1]  # one adoption, one ranking (it used to rank twice)
    result = done.args[0]
    assert {p.issue for p in result.adopted} == {*top[:-1], outsider}
    assert [(p.justification, p.public_reason) for p in result.adopted if p.issue == outsider] == [
        ("Residents at the PACT meeting raised it twice", "Raised twice at the PACT meeting")
    ]
    assert [(p.issue, p.justification) for p in result.passed_over] == [
        (top[-1], "The council has already scheduled the work")
    ]
    with ctx.database.session() as s:
        assert {p.id for p in s.scalars(select(Priority))} != before
    shown = {
        page.priorities.priority_model.record(r).issue: page.priorities.priority_model.record(r)
        for r in range(page.priorities.priority_model.rowCount())
    }
    assert shown[outsider].justification == "Residents at the PACT meeting raised it twice"
    assert shown[outsider].departure
    passed = [page.priorities.passed_model.record(r).issue for r in range(page.priorities.passed_model.rowCount())]
    assert top[-1] in passed


def test_more_than_n_ticked_is_refused(qtbot, page, ctx):
    page.gate.skip_button.click()
    ranking = page.view.ranking
    dialog = AdoptDialog(ctx, ranking)
    qtbot.addWidget(dialog)
    for s in ranking.signals[: ranking.top_n + 1]:
        dialog.ticks[s.issue].setChecked(True)
    dialog.reasons[ranking.signals[ranking.top_n].issue].setPlainText("a reason")
    dialog.save_button.click()
    assert f"at most {ranking.top_n}" in dialog.problem.text()


def test_past_priorities_are_assessed_and_a_period_is_gated_like_a_round(qtbot, page):
    page.gate.skip_button.click()
    model = page.assessment.model
    verdicts = {model.record(r).verdict for r in range(model.rowCount())}
    assert model.rowCount() >= 1 and verdicts  # closed priorities included: did the work move anything?
    assert page.assessment.text.text() == model.record(0).explanation

    ranking = page.view.ranking
    period = page.scope_box.findData("")
    page.scope_box.setCurrentIndex(period)
    page.scope_box.activated.emit(period)
    assert page.rank_button.isVisible()
    page.start_edit.edit.setText("31/02/2026")  # typed wrongly: said, nothing ranked on the old dates
    page.rank_button.click()
    assert page.stack.currentWidget() is page.message
    assert "Period from: '31/02/2026' is not a day of the calendar" in page.message.text()
    page.start_edit.set_date(ranking.period_start)
    page.end_edit.set_date(ranking.period_end)
    with qtbot.waitSignal(page.view_loaded, timeout=WAIT) as loaded:
        page.rank_button.click()
    view = loaded.args[0]
    assert view.ranking.round_name is None and view.ranking.period_start == ranking.period_start
    assert page.stack.currentWidget() is page.gate  # a new scope is a new first look


def test_snapshot_mode_shows_the_ranking_without_the_gate(qtbot, ctx, qapp):
    with ctx.database.session() as s:
        ward = list_wards(s)[0]
    qapp.setProperty("rpdesk_snapshot", True)
    try:
        page = SignalsPage(ctx)
        qtbot.addWidget(page)
        with qtbot.waitSignal(page.view_loaded, timeout=WAIT):
            page.set_ward(ward)
    finally:
        qapp.setProperty("rpdesk_snapshot", None)
    assert page.stack.currentIndex() == 2 and page.ranking_model.rowCount() == len(page.view.ranking.signals)


def test_the_table_shows_kind_na_and_who_each_signal_may_swap_with(qtbot, page, tmp_path):
    page.gate.skip_button.click()
    model = page.ranking_model
    columns = {model.headerData(c, Qt.Orientation.Horizontal): c for c in range(model.columnCount())}
    cells = {
        model.index(r, columns["Signal"]).data(): {t: model.index(r, c).data() for t, c in columns.items()}
        for r in range(model.rowCount())
    }
    litter = cells["Rubbish or litter lying around"]
    assert litter["Kind"] == "physical disorder"
    assert litter["Recorded"] == "n/a" and litter["A year before"] == "n/a"  # no police.uk crime type
    burglary = cells["Burglary"]
    assert burglary["Kind"] == "signal crime" and burglary["Recorded"].isdigit() and burglary["Test"].startswith("p ")
    ranking = page.view.ranking
    swapping = next(s for s in ranking.signals if s.swaps_with)
    other = ranking.signal(swapping.swaps_with[0]).label
    assert f"may swap with {other}" in cells[swapping.label]["Flags"]
    page.grab().save(str(tmp_path / "signals.png"))
