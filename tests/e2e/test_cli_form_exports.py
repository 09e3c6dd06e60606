"""Real exports still import through rpdesk-cli: an MS-Forms-like workbook whose completion times are
date-time cells, mapped to the canonical survey layout by a saved column mapping."""

from __future__ import annotations

import datetime as dt
import json

import openpyxl

WARD = "E05001234"


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
