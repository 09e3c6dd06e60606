"""The import wizard driven through its pages: preview, column matching, every problem listed, import, cancel."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

import pytest
from sqlalchemy import func, select

from rpdesk.db.models import DutyRecord, Officer, SurveyResponse, SurveyRound
from rpdesk.errors import Cancelled, InputRejected, UserError
from rpdesk.paths import resources_dir
from rpdesk.services.wards import list_wards

from rpdesk.gui.dialogs.import_wizard import ImportWizard, Outcome

SAMPLES = resources_dir() / "samples"
WAIT = 30_000


@pytest.fixture
def ward(ctx):
    with ctx.database.session() as s:
        return list_wards(s)[0]


def responses(ctx, round_name: str | None = None) -> int:
    with ctx.database.session() as s:
        stmt = select(func.count()).select_from(SurveyResponse)
        if round_name is not None:
            stmt = stmt.join(SurveyRound, SurveyRound.id == SurveyResponse.round_id).where(
                SurveyRound.name == round_name
            )
        return int(s.scalar(stmt) or 0)


def open_wizard(qtbot, ctx, ward, path: Path, round_name: str = "Wizard round") -> ImportWizard:
    wizard = ImportWizard(ctx, ward)
    qtbot.addWidget(wizard)
    wizard.show()
    page = wizard.choose_page
    page.kind.setCurrentIndex(page.kind.findData("surveys"))
    page.path.setText(str(path))
    page.round_name.setText(round_name)
    page.method.setCurrentIndex(page.method.findData("online"))
    assert wizard.button(ImportWizard.WizardButton.NextButton).isEnabled()
    return wizard


def to_check(qtbot, wizard: ImportWizard) -> object:
    """Next through preview and columns to the check; return what the check found."""
    with qtbot.waitSignal(wizard.preview_loaded, timeout=WAIT):
        wizard.next()
    with qtbot.waitSignal(wizard.mapping_ready, timeout=WAIT):
        wizard.next()
    with qtbot.waitSignal(wizard.checked, timeout=WAIT) as blocker:
        wizard.next()
    return blocker.args[0]


def test_a_canonical_survey_is_previewed_checked_and_imported(qtbot, ctx, ward):
    wizard = open_wizard(qtbot, ctx, ward, SAMPLES / "survey_canonical.csv")
    with qtbot.waitSignal(wizard.preview_loaded, timeout=WAIT) as shown:
        wizard.next()
    preview = shown.args[0]
    assert wizard.preview_page.table.rowCount() == min(50, preview.total)
    assert wizard.preview_page.table.horizontalHeaderItem(0).text() == "respondent"
    with qtbot.waitSignal(wizard.mapping_ready, timeout=WAIT):
        wizard.next()
    assert wizard.mapping_page.combos["litter_problem"].currentData() == "litter_problem"
    with qtbot.waitSignal(wizard.checked, timeout=WAIT) as check:
        wizard.next()
    assert isinstance(check.args[0], Outcome) and check.args[0].rows == preview.total
    assert responses(ctx, "Wizard round") == 0  # the check wrote nothing
    with qtbot.waitSignal(wizard.imported, timeout=WAIT) as done:
        wizard.next()
    assert done.args[0].rows == preview.total
    assert responses(ctx, "Wizard round") == preview.total
    assert "Imported" in wizard.import_page.status.text()

    again = open_wizard(qtbot, ctx, ward, SAMPLES / "survey_canonical.csv", "Another round")
    refused = to_check(qtbot, again)
    assert isinstance(refused, UserError) and "already imported" in str(refused)
    assert "Replace the earlier import" in again.check_page.status.text()
    assert not again.button(ImportWizard.WizardButton.NextButton).isEnabled()


def test_a_bad_file_shows_every_problem_by_row_and_column_and_writes_nothing(qtbot, ctx, ward, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "respondent,date,litter_problem,litter_effect\n"
        "A1,2026-09-01,2,yes\n"
        "A2,31/02/2026,2,no\n"
        "A3,2026-09-03,enormous" + "!" * 20_000 + ",no\n"
        "A1,2026-09-04,1,perhaps\n",
        encoding="utf-8",
    )
    before = responses(ctx)
    wizard = open_wizard(qtbot, ctx, ward, bad)
    found = to_check(qtbot, wizard)
    assert isinstance(found, InputRejected)
    table = wizard.check_page.problems
    shown = {(table.item(r, 0).text(), table.item(r, 1).text()) for r in range(table.rowCount())}
    assert table.rowCount() == len(found.problems) >= 4
    assert {("3", "date"), ("4", "litter_problem"), ("5", "respondent"), ("5", "litter_effect")} <= shown
    values = [table.item(r, 2).text() for r in range(table.rowCount())]
    assert "enormous!!!" in "".join(values) and max(map(len, values)) < 200  # a long value is cut, not shown whole
    assert not wizard.button(ImportWizard.WizardButton.NextButton).isEnabled()
    assert responses(ctx) == before


def test_a_form_export_is_matched_once_and_matched_again_next_time(qtbot, ctx, ward):
    export = SAMPLES / "survey_form_export.csv"
    wizard = open_wizard(qtbot, ctx, ward, export)
    with qtbot.waitSignal(wizard.preview_loaded, timeout=WAIT):
        wizard.next()
    with qtbot.waitSignal(wizard.mapping_ready, timeout=WAIT):
        wizard.next()
    combos = wizard.mapping_page.combos
    assert combos["Response ID"].currentData() == ""  # not known yet: kept as it is, and the check would say so
    wizard.mapping_page.load_file(SAMPLES / "survey_form_export.mapping.json")
    assert combos["Response ID"].currentData() == "respondent"
    combos["Timestamp"].setCurrentIndex(combos["Timestamp"].findData(None))
    with qtbot.waitSignal(wizard.checked, timeout=WAIT) as check:
        wizard.next()
    assert isinstance(check.args[0], Outcome), wizard.check_page.status.text()
    with qtbot.waitSignal(wizard.imported, timeout=WAIT):
        wizard.next()
    assert responses(ctx, "Wizard round") == check.args[0].rows > 0

    later = open_wizard(qtbot, ctx, ward, export, "Next round")
    with qtbot.waitSignal(later.preview_loaded, timeout=WAIT):
        later.next()
    with qtbot.waitSignal(later.mapping_ready, timeout=WAIT):
        later.next()
    matched = later.mapping_page.combos
    assert matched["Response ID"].currentData() == "respondent"
    assert matched["Timestamp"].currentData() is None
    assert "saved" in later.mapping_page.status.text()


def test_cancelling_the_import_leaves_nothing(qtbot, ctx, ward):
    wizard = open_wizard(qtbot, ctx, ward, SAMPLES / "survey_canonical.csv", "Cancelled round")
    assert isinstance(to_check(qtbot, wizard), Outcome)
    release = threading.Event()
    ctx.runner.submit(lambda _p, _c: release.wait(WAIT / 1000), title="Holding the database thread")
    wizard.next()  # the import is queued behind the held task
    assert wizard.import_page.running
    with qtbot.waitSignal(wizard.import_failed, timeout=WAIT) as failed:
        wizard.import_page.cancel_button.click()
        release.set()
    assert isinstance(failed.args[0], Cancelled)
    assert "Nothing was imported" in wizard.import_page.status.text()
    assert wizard.button(ImportWizard.WizardButton.FinishButton).isEnabled()  # the user can close the wizard
    assert responses(ctx, "Cancelled round") == 0
    with ctx.database.session() as s:
        assert s.scalar(select(SurveyRound.id).where(SurveyRound.name == "Cancelled round")) is None


def test_a_duty_roster_skips_column_matching_and_is_imported(qtbot, ctx, ward, tmp_path):
    with ctx.database.session() as s:
        collar = s.scalars(select(Officer.collar).order_by(Officer.id)).first()
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "date,officer,ward,rostered_hours,abstracted_hours,reason\n"
        f"2027-01-04,{collar},{ward.code},8,0,\n"
        f"2027-01-05,{collar},{ward.code},8,3,response_cover\n",
        encoding="utf-8",
    )
    wizard = ImportWizard(ctx, ward)
    qtbot.addWidget(wizard)
    wizard.show()
    page = wizard.choose_page
    page.kind.setCurrentIndex(page.kind.findData("duty"))
    page.path.setText(str(roster))
    assert not page.round_name.isEnabled()
    with qtbot.waitSignal(wizard.preview_loaded, timeout=WAIT):
        wizard.next()
    with qtbot.waitSignal(wizard.checked, timeout=WAIT) as check:
        wizard.next()  # straight to the check: a roster has a fixed layout
    assert wizard.currentId() == ImportWizard.CHECK and isinstance(check.args[0], Outcome)
    with qtbot.waitSignal(wizard.imported, timeout=WAIT) as done:
        wizard.next()
    assert done.args[0].rows == 2 and "1 abstractions" in done.args[0].summary
    with ctx.database.session() as s:
        days = s.scalars(select(DutyRecord).where(DutyRecord.date >= dt.date(2027, 1, 4))).all()
    assert len(days) == 2
