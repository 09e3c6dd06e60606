"""police.uk and EVA importers on their own."""

from __future__ import annotations

from pathlib import Path

import pytest

from rpdesk.domain.catalogue import DEFAULT_ISSUES, DEFAULT_PARTNERS
from rpdesk.domain.vocabulary import ObservationStatus
from rpdesk.errors import InputRejected
from rpdesk.importers.audits import parse_audits
from rpdesk.importers.crimes import HEADER, parse_crimes
from rpdesk.importers.reading import read_table

SAMPLES = Path(__file__).parents[3] / "resources" / "samples"
ISSUES = {i.code: i.code for i in DEFAULT_ISSUES} | {i.label: i.code for i in DEFAULT_ISSUES}
PARTNERS = [name for name, _ in DEFAULT_PARTNERS]


@pytest.mark.parametrize("month", ["2026-08", "2026-09"])
def test_police_uk_samples_keep_the_wards_lsoas_and_count_the_rest(month):
    """Each sample file holds the one month its name says, as police.uk publishes them."""
    parsed = parse_crimes(read_table(SAMPLES / f"{month}-avon-and-somerset-street.csv"), ["e01014001", "E01014002"])
    assert len(parsed.rows) + parsed.outside == 40
    assert parsed.outside > 0
    assert {r[7] for r in parsed.rows} == {"E01014001", "E01014002"}
    assert str(parsed.first_month) == str(parsed.last_month) == f"{month}-01"


def test_legacy_crime_type_names_become_current_ones(tmp_path):
    body = ",2012-01,F,F,-2.5,51.4,On or near X,E01014001,B 001A,Violent crime,,\n"
    (tmp_path / "c.csv").write_text(",".join(HEADER) + "\n" + body, encoding="utf-8")
    parsed = parse_crimes(read_table(tmp_path / "c.csv"), ["E01014001"])
    assert parsed.rows[0][9] == "Violence and sexual offences"


def test_old_easting_northing_format_and_unknown_types_are_refused(tmp_path):
    (tmp_path / "old.csv").write_text(
        "Month,Reported by,Falls within,Easting,Northing,Location,Crime type,Context\n2011-01,F,F,1,2,X,Burglary,\n",
        encoding="utf-8",
    )
    with pytest.raises(InputRejected, match="2011-2012 format"):
        parse_crimes(read_table(tmp_path / "old.csv"), ["E01014001"])
    (tmp_path / "c.csv").write_text(
        ",".join(HEADER) + "\n,2026-13,F,F,,,X,E01014001,B,Jaywalking,,\n", encoding="utf-8"
    )
    with pytest.raises(InputRejected) as caught:
        parse_crimes(read_table(tmp_path / "c.csv"), ["E01014001"])
    assert sorted((p.row, p.column) for p in caught.value.problems) == [(2, "Crime type"), (2, "Month")]


def test_eva_sample_parses():
    parsed = parse_audits(read_table(SAMPLES / "eva.csv"), ISSUES, PARTNERS)
    assert len(parsed.rows) == 24
    assert all(1 <= r.severity <= 5 and r.count >= 1 for r in parsed.rows)
    assert {r.status for r in parsed.rows} <= set(ObservationStatus)


def test_eva_by_label_with_defaults_and_problems(tmp_path):
    (tmp_path / "e.csv").write_text(
        "Date,Officer,Category,Location,Severity,Easting,Northing,Partner\n"
        "2026-09-01,PC 1,Fly-tipping,Back lane,3,,,highways\n"
        "2026-09-01,PC 1,potholes,Back lane,6,351000,,Nobody\n",
        encoding="utf-8",
    )
    with pytest.raises(InputRejected) as caught:
        parse_audits(read_table(tmp_path / "e.csv"), ISSUES, PARTNERS)
    assert sorted((p.row, p.column) for p in caught.value.problems) == [
        (3, "category"),
        (3, "easting/northing"),
        (3, "partner"),
        (3, "severity"),
    ]
    (tmp_path / "ok.csv").write_text(
        "date,officer,category,location,severity\n2026-09-01,PC 1,Fly-tipping,Lane,3\n", encoding="utf-8"
    )
    row = parse_audits(read_table(tmp_path / "ok.csv"), ISSUES, PARTNERS).rows[0]
    assert (row.issue, row.count, row.status, row.partner) == ("fly_tipping", 1, ObservationStatus.OPEN, None)
