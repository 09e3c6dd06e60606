"""Real exports still import through rpdesk-cli: an MS-Forms-like workbook whose completion times are
date-time cells, mapped to the canonical survey layout by a saved column mapping; form answer wordings."""

from __future__ import annotations

import datetime as dt
import json

import openpyxl

from rpdesk.paths import resources_dir

WARD = "E05001234"
SAMPLES = resources_dir() / "samples"


def test_an_ms_forms_workbook_with_completion_times_imports_through_its_mapping(cli, tmp_path):
    db = f"sqlite:///{tmp_path / 'ward.sqlite'}"
    assert cli("--db", db, "db", "init").returncode == 0
    assert cli("--db", db, "wards", "add", "--code", WARD, "--name", "Sample Ward").returncode == 0
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["ID", "Start time", "Completion time", "Email", "Name", "Litter?", "Has it changed what you do?"])
    for i, done in enumerate([dt.datetime(2026, 9, 1, 10, 15), dt.datetime(2026, 9, 2, 18, 40, 12)], start=1):
        sheet.append([i, done - dt.timedelta(minutes=4), done, "anonymous", None, "A fairly big problem", "Yes"])
    book.save(tmp_path / "forms.xlsx")
    mapping = {
        "format": "rpdesk-column-mapping",
        "version": 1,
        "kind": "surveys",
        "columns": {
            "ID": "respondent",
            "Start time": None,
            "Completion time": "date",
            "Email": None,
            "Name": None,
            "Litter?": "litter_problem",
            "Has it changed what you do?": "litter_effect",
        },
    }
    (tmp_path / "forms.mapping.json").write_text(json.dumps(mapping), encoding="utf-8")
    result = cli(
        "--db",
        db,
        "import",
        "surveys",
        str(tmp_path / "forms.xlsx"),
        "--ward",
        WARD,
        "--round",
        "Autumn 2026",
        "--mapping",
        str(tmp_path / "forms.mapping.json"),
    )
    assert result.returncode == 0, result.stderr
    signals = json.loads(
        cli("--db", db, "signals", "--ward", WARD, "--round", "Autumn 2026", "--format", "json").stdout
    )
    litter = next(s for s in signals if s["issue"] == "litter")
    assert (litter["respondents"], litter["prevalence"]) == (2, 1.0)  # both said "a fairly big problem"


def test_the_cli_reads_close_answer_wording_and_groups_a_repeated_refusal(cli, tmp_path):
    """The sample export with only its columns mapped: its answer wordings are read by the importer's own
    rule; an answer no rule can place is refused as one line for all its cells, and nothing is written."""
    db = f"sqlite:///{tmp_path / 'ward.sqlite'}"
    assert cli("--db", db, "db", "init").returncode == 0
    assert cli("--db", db, "wards", "add", "--code", WARD, "--name", "Sample Ward").returncode == 0
    shipped = json.loads((SAMPLES / "survey_form_export.mapping.json").read_text(encoding="utf-8"))
    columns_only = {**shipped, "values": {}}
    mapping = tmp_path / "columns.json"
    mapping.write_text(json.dumps(columns_only), encoding="utf-8")
    export = SAMPLES / "survey_form_export.csv"
    args = ["--db", db, "import", "surveys", str(export), "--ward", WARD, "--mapping", str(mapping)]
    result = cli(*args, "--round", "Online")
    assert result.returncode == 0, result.stderr

    text = export.read_text(encoding="utf-8").replace("A small problem", "Big problem")
    (tmp_path / "big.csv").write_text(text, encoding="utf-8")
    args[4] = str(tmp_path / "big.csv")
    refused = cli(*args, "--round", "Big")
    assert refused.returncode == 3
    lines = [line for line in refused.stderr.splitlines() if "'Big problem'" in line]
    assert len(lines) == 1 and " cells in 4 columns " in lines[0], refused.stderr
    assert '"Not a problem at all" to "A very big problem"' in lines[0]
