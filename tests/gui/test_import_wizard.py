"""The import wizard driven through its pages: preview, column and answer matching, every problem listed
(grouped), import, cancel; real form exports (the sample CSV, an MS-Forms-like workbook) with no mapping file."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import func, select

from rpdesk.db.models import DutyRecord, Officer, SurveyResponse, SurveyRound
from rpdesk.domain.vocabulary import SURVEY_METHOD_LABELS
from rpdesk.errors import Cancelled, InputRejected, UnusualDates, UserError
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


def to_answers(qtbot, wizard: ImportWizard) -> None:
    """Next through the preview and the column matching to the answer matching."""
    with qtbot.waitSignal(wizard.preview_loaded, timeout=WAIT):
        wizard.next()
    with qtbot.waitSignal(wizard.mapping_ready, timeout=WAIT):
        wizard.next()
    with qtbot.waitSignal(wizard.answers_ready, timeout=WAIT):
        wizard.next()


def check(qtbot, wizard: ImportWizard) -> object:
    with qtbot.waitSignal(wizard.checked, timeout=WAIT) as blocker:
        wizard.next()
    return blocker.args[0]


def to_check(qtbot, wizard: ImportWizard) -> object:
    """Next through preview, columns and answers to the check; return what the check found."""
    to_answers(qtbot, wizard)
    return check(qtbot, wizard)


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
    with qtbot.waitSignal(wizard.answers_ready, timeout=WAIT):
        wizard.next()
    assert wizard.answers_page.table.rowCount() == 0  # a canonical file has nothing to match
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


def combo_texts(wizard: ImportWizard) -> dict[str, tuple[object, str]]:
    return {h: (c.currentData(), c.currentText()) for h, c in wizard.mapping_page.combos.items()}


def answers(wizard: ImportWizard) -> dict[str, tuple[object, str]]:
    page = wizard.answers_page
    return {
        m.text: (c.currentData(), page.table.item(r, 3).text())
        for r, (m, c) in enumerate(zip(page.matches, page.combos, strict=True))
    }


def test_the_sample_form_export_imports_without_editing_it_or_loading_a_mapping(qtbot, ctx, ward, tmp_path):
    export = SAMPLES / "survey_form_export.csv"
    before = export.read_bytes()
    wizard = open_wizard(qtbot, ctx, ward, export)
    to_answers(qtbot, wizard)
    matched = combo_texts(wizard)
    litter = "How much of a problem is: Rubbish or litter lying around?"
    assert matched[litter] == ("litter_problem", "Rubbish or litter lying around: how big a problem")
    assert matched["Response ID"][0] == "respondent" and matched["Date submitted"][0] == "date"
    assert matched["Timestamp"][0] is None and matched["Email address (optional)"][0] is None
    assert "" not in {data for data, _ in matched.values()}  # every column placed from its heading
    combo = wizard.mapping_page.combos[litter]
    assert all("_" not in combo.itemText(i) for i in range(combo.count()))  # labels, never codes
    found = answers(wizard)
    assert found == {
        "Quite a big problem": ("2", "close wording"),
        "A small problem": ("1", "close wording"),
    }
    assert "4 columns" in wizard.answers_page.table.item(0, 1).text()
    outcome = check(qtbot, wizard)
    assert isinstance(outcome, Outcome) and outcome.rows == 30, wizard.check_page.status.text()
    with qtbot.waitSignal(wizard.imported, timeout=WAIT):
        wizard.next()
    assert responses(ctx, "Wizard round") == 30
    assert export.read_bytes() == before

    later = open_wizard(qtbot, ctx, ward, export, "Next round")
    with qtbot.waitSignal(later.preview_loaded, timeout=WAIT):
        later.next()
    with qtbot.waitSignal(later.mapping_ready, timeout=WAIT):
        later.next()
    assert "saved" in later.mapping_page.status.text()
    assert combo_texts(later) == matched
    with qtbot.waitSignal(later.answers_ready, timeout=WAIT):
        later.next()
    assert answers(later) == {"Quite a big problem": ("2", "saved mapping"), "A small problem": ("1", "saved mapping")}


def test_an_unmatched_answer_is_refused_grouped_then_matched_and_the_saved_mapping_round_trips(
    qtbot, ctx, ward, tmp_path
):
    export = tmp_path / "export.csv"
    rows = [f"R{i},0{1 + i % 9}/10/2026,Big problem,Big problem,Yes" for i in range(1, 31)]
    rows += ["R40,05/10/2026,Fairly big problem,Not a problem,Sometimes"]
    export.write_text(
        "Response ID,Date submitted,Rubbish or litter lying around?,Speeding or dangerous driving?,"
        "Litter: has this changed what you do?\n" + "\n".join(rows) + "\n",
        encoding="utf-8",
    )
    wizard = open_wizard(qtbot, ctx, ward, export)
    to_answers(qtbot, wizard)
    assert answers(wizard) == {"Big problem": (None, "not matched"), "Sometimes": (None, "not matched")}
    assert "2 not matched" in wizard.answers_page.status.text()
    refused = check(qtbot, wizard)
    assert isinstance(refused, InputRejected) and len(refused.problems) == 61
    table = wizard.check_page.problems
    assert table.rowCount() == 2  # 60 cells of 'Big problem' in two columns are one line
    assert table.item(0, 0).text() == "2-31 (60 cells)"
    assert table.item(0, 1).text() == "Rubbish or litter lying around?\nSpeeding or dangerous driving?"  # the file's
    assert table.item(0, 2).text() == "Big problem" and "\n" not in table.item(0, 3).text()
    assert "60 cells in 2 columns" in str(refused)  # the CLI's message groups them the same way

    wizard.back()
    page = wizard.answers_page
    with qtbot.waitSignal(wizard.answers_ready, timeout=WAIT):
        wizard.back()
        wizard.next()
    big = [m.text for m in page.matches].index("Big problem")
    page.combos[big].setCurrentIndex(page.combos[big].findText("A very big problem"))
    sometimes = [m.text for m in page.matches].index("Sometimes")
    page.combos[sometimes].setCurrentIndex(page.combos[sometimes].findData(""))
    assert page.table.item(big, 3).text() == "your choice"
    with qtbot.waitSignal(wizard.answers_ready, timeout=WAIT):
        wizard.back()
        wizard.next()
    assert answers(wizard)["Big problem"] == ("3", "your choice")  # kept when going back to the columns
    saved = tmp_path / "export.mapping.json"
    page.save_file(saved)
    assert isinstance(check(qtbot, wizard), Outcome), wizard.check_page.status.text()

    mapping = json.loads(saved.read_text(encoding="utf-8"))
    assert mapping["format"] == "rpdesk-column-mapping" and mapping["version"] == 1
    assert mapping["values"]["speeding_problem"] == {"Big problem": "3"}
    assert mapping["values"]["litter_effect"] == {"Sometimes": ""}

    reloaded = open_wizard(qtbot, ctx, ward, export, "Reloaded round")
    with qtbot.waitSignal(reloaded.preview_loaded, timeout=WAIT):
        reloaded.next()
    with qtbot.waitSignal(reloaded.mapping_ready, timeout=WAIT):
        reloaded.next()
    for combo in reloaded.mapping_page.combos.values():
        combo.setCurrentIndex(1)  # forget the matching, then load it from the file
    reloaded.mapping_page.load_file(saved)
    assert reloaded.mapping_page.combos["Response ID"].currentData() == "respondent"
    with qtbot.waitSignal(reloaded.answers_ready, timeout=WAIT):
        reloaded.next()
    assert answers(reloaded) == {"Big problem": ("3", "saved mapping"), "Sometimes": ("", "saved mapping")}

    db = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    cli = [sys.executable, "-m", "rpdesk.cli", "--db", db]
    assert subprocess.run([*cli, "db", "init"], capture_output=True).returncode == 0
    assert (
        subprocess.run([*cli, "wards", "add", "--code", "E05009999", "--name", "CLI"], capture_output=True).returncode
        == 0
    )
    args = ["import", "surveys", str(export), "--ward", "E05009999", "--round", "CLI", "--mapping", str(saved)]
    result = subprocess.run([*cli, *args], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "31" in result.stdout


def test_an_ms_forms_workbook_imports_through_the_wizard_and_names_and_emails_are_never_stored(
    qtbot, ctx, ward, tmp_path
):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(
        [
            "ID",
            "Start time",
            "Completion time",
            "Email",
            "Name",
            "How much of a problem is litter?",
            "Has it changed how you feel or what you do?",
            "How good a job are the police doing in this area?",
        ]
    )
    answers_given = ["Quite a big problem", "A small problem", "Not a problem at all"]
    for i in range(1, 13):
        done = dt.datetime(2026, 9, i, 10, 15, 30)
        sheet.append(
            [
                i,
                done - dt.timedelta(minutes=4),
                done,
                f"resident{i}@example.org",
                f"Jane Smith{i}",
                answers_given[i % 3],
                "Yes" if i % 2 else "No",
                "Good",
            ]
        )
    path = tmp_path / "Ward survey(1-12).xlsx"
    book.save(path)
    wizard = open_wizard(qtbot, ctx, ward, path, "Forms round")
    to_answers(qtbot, wizard)
    matched = combo_texts(wizard)
    assert {h: d for h, (d, _t) in matched.items()} == {
        "ID": "respondent",
        "Start time": None,
        "Completion time": "date",
        "Email": None,
        "Name": None,
        "How much of a problem is litter?": "litter_problem",
        "Has it changed how you feel or what you do?": "litter_effect",
        "How good a job are the police doing in this area?": "conf_good_job",
    }
    assert "personal details or other times: Start time, Email, Name." in wizard.mapping_page.status.text()
    outcome = check(qtbot, wizard)
    assert isinstance(outcome, Outcome) and outcome.rows == 12, wizard.check_page.status.text()
    with qtbot.waitSignal(wizard.imported, timeout=WAIT):
        wizard.next()
    with ctx.database.session() as s:
        stored = s.scalars(select(SurveyResponse).join(SurveyRound).where(SurveyRound.name == "Forms round")).all()
        assert len(stored) == 12
        assert {r.date for r in stored} == {dt.date(2026, 9, i) for i in range(1, 13)}
        cells = [str(getattr(r, c.key)) for r in stored for c in SurveyResponse.__table__.columns]
    assert not [c for c in cells if "example.org" in c or "Smith" in c]
    saved = json.loads(next((Path(os.environ["XDG_CONFIG_HOME"])).rglob("surveys-*.json")).read_text())
    assert saved["columns"]["Email"] is None and saved["columns"]["Name"] is None


def test_a_date_slipped_by_months_asks_in_the_check_and_imports_once_the_user_says_it_is_right(
    qtbot, ctx, ward, tmp_path
):
    import csv

    with (SAMPLES / "survey_canonical.csv").open(encoding="utf-8", newline="") as f:
        records = list(csv.reader(f))
    records[17][1] = "28/02/2026"  # spreadsheet row 18: a date "fixed" to February in a September round
    path = tmp_path / "slipped.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(records)
    wizard = open_wizard(qtbot, ctx, ward, path, "Slipped round")
    refused = to_check(qtbot, wizard)
    assert isinstance(refused, UnusualDates)
    page = wizard.check_page
    assert "slipped.csv, row 18: 28/02/2026 is" in page.status.text()
    assert page.accept_dates.isVisible() and not page.accept_dates.isChecked()
    assert not wizard.button(ImportWizard.WizardButton.NextButton).isEnabled()
    with qtbot.waitSignal(wizard.checked, timeout=WAIT) as again:
        page.accept_dates.setChecked(True)
    assert isinstance(again.args[0], Outcome) and again.args[0].rows == 60
    with qtbot.waitSignal(wizard.imported, timeout=WAIT):
        wizard.next()
    assert responses(ctx, "Slipped round") == 60


def test_eva_findings_are_matched_by_their_own_names_and_skip_the_answers(qtbot, ctx, ward):
    wizard = ImportWizard(ctx, ward)
    qtbot.addWidget(wizard)
    wizard.show()
    page = wizard.choose_page
    page.kind.setCurrentIndex(page.kind.findData("audits"))
    page.path.setText(str(SAMPLES / "eva.csv"))
    with qtbot.waitSignal(wizard.preview_loaded, timeout=WAIT):
        wizard.next()
    with qtbot.waitSignal(wizard.mapping_ready, timeout=WAIT):
        wizard.next()
    combos = wizard.mapping_page.combos
    assert combos["severity"].currentData() == "severity" and combos["severity"].currentText() == "Severity"
    outcome = check(qtbot, wizard)  # straight from the columns to the check: EVA has no answer scales
    assert wizard.currentId() == ImportWizard.CHECK
    assert isinstance(outcome, Outcome), wizard.check_page.status.text()


def test_the_survey_methods_offered_are_the_vocabulary_s_as_every_table_names_them(qtbot, ctx, ward):
    wizard = ImportWizard(ctx, ward)
    qtbot.addWidget(wizard)
    method = wizard.choose_page.method
    offered = [(method.itemText(i), method.itemData(i)) for i in range(method.count())]
    assert offered == [(label, m.value) for m, label in SURVEY_METHOD_LABELS.items()]
    assert ("KIN", "kin") in offered and ("Door", "door") in offered
