"""Import use cases on both backends: all or nothing, duplicate files, --replace, the change log."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from rpdesk.db import models as m
from rpdesk.errors import InputRejected, UnusualDates, UserError
from rpdesk.importers.mapping import load_mapping
from rpdesk.services.imports import import_audits, import_crimes, import_surveys
from rpdesk.services.signals import rank_signals
from rpdesk.settings import Settings
from tests.unit.services.signal_data import WARD, make_ward

SAMPLES = Path(__file__).parents[3] / "resources" / "samples"
SAMPLE_LSOAS = ["E01014001", "E01014002"]
TABLES = (
    m.SurveyRound,
    m.SurveyResponse,
    m.SurveyAnswer,
    m.ImportBatch,
    m.ChangeLog,
    m.AuditVisit,
    m.AuditObservation,
    m.CrimeRecord,
)
SETTINGS = Settings.with_values(
    {
        "weight_prevalence": 1,
        "weight_effect": 1,
        "weight_audit": 0.5,
        "weight_recorded": 0.5,
        "small_sample": 30,
        "priorities_top_n": 3,
    }
)


@pytest.fixture
def ward(db):
    from rpdesk.services.wards import add_ward

    with db.session() as s:
        add_ward(s, WARD, "Sample Ward", lsoas=SAMPLE_LSOAS)
    return db


def counts(db) -> dict[str, int]:
    with db.session() as s:
        return {t.__tablename__: s.scalar(select(func.count()).select_from(t)) for t in TABLES}


def test_canonical_survey_imports_and_ranks_as_a_hand_count(ward):
    with ward.session() as s:
        result = import_surveys(s, SAMPLES / "survey_canonical.csv", WARD, "Autumn 2026")
    assert (result.rows, result.round_name, result.replaced) == (60, "Autumn 2026", 0)
    import csv

    with (SAMPLES / "survey_canonical.csv").open(encoding="utf-8") as fh:
        cells = [r["litter_problem"].strip().lower() for r in csv.DictReader(fh)]
    big = {"2", "3", "a fairly big problem", "a very big problem"}
    answered = [c for c in cells if c]
    with ward.session() as s:
        litter = rank_signals(s, WARD, round_name="Autumn 2026", settings=SETTINGS).signal("litter")
        rnd = s.scalars(select(m.SurveyRound)).one()
        log = s.scalars(select(m.ChangeLog).where(m.ChangeLog.table_name == "survey_response")).all()
    assert litter.respondents == len(answered)
    assert litter.big_problem == sum(c in big for c in answered)
    assert (str(rnd.start_date), str(rnd.end_date)) == ("2026-09-01", "2026-09-28")
    assert len(log) == 1 and log[0].operation == "import"


def test_same_file_twice_is_refused_unless_replaced(ward):
    with ward.session() as s:
        import_surveys(s, SAMPLES / "survey_canonical.csv", WARD, "Autumn 2026")
    before = counts(ward)
    with pytest.raises(UserError, match=r"already imported.*--replace"), ward.session() as s:
        import_surveys(s, SAMPLES / "survey_canonical.csv", WARD, "Another round")
    assert counts(ward) == before
    with ward.session() as s:
        result = import_surveys(s, SAMPLES / "survey_canonical.csv", WARD, "Autumn 2026", replace=True)
    assert result.replaced == 60
    after = counts(ward)
    assert after["survey_response"] == before["survey_response"]
    assert after["survey_answer"] == before["survey_answer"]


def test_respondents_already_in_the_round_are_refused(ward, tmp_path):
    with ward.session() as s:
        import_surveys(s, SAMPLES / "survey_canonical.csv", WARD, "Autumn 2026")
    text = (SAMPLES / "survey_canonical.csv").read_text(encoding="utf-8").replace("\r\n", "\n")
    (tmp_path / "again.csv").write_text(text, encoding="utf-8")  # same rows, different bytes
    with pytest.raises(InputRejected, match="a key not already in round") as caught, ward.session() as s:
        import_surveys(s, tmp_path / "again.csv", WARD, "Autumn 2026")
    assert len(caught.value.problems) == 60


def test_form_export_with_mapping_leaves_personal_data_out(ward):
    mapping = load_mapping(SAMPLES / "survey_form_export.mapping.json")
    with ward.session() as s:
        result = import_surveys(s, SAMPLES / "survey_form_export.csv", WARD, "Online", mapping=mapping, method="online")
        rnd = s.scalars(select(m.SurveyRound)).one()
    assert result.rows == 30 and rnd.method.value == "online"


def test_eva_and_police_uk_samples(ward):
    with ward.session() as s:
        audits = import_audits(s, SAMPLES / "eva.csv", WARD)
        august = import_crimes(s, SAMPLES / "2026-08-avon-and-somerset-street.csv", WARD)
        crimes = import_crimes(s, SAMPLES / "2026-09-avon-and-somerset-street.csv", WARD)
        visits = s.scalar(select(func.count()).select_from(m.AuditVisit))
    assert audits.rows == 24 and visits == 5
    assert august.rows + august.skipped == 40 and crimes.rows + crimes.skipped == 40 and crimes.skipped > 0
    assert any("outside the ward" in n for n in crimes.notes)
    with ward.session() as s:
        again = import_crimes(s, SAMPLES / "2026-09-avon-and-somerset-street.csv", WARD, replace=True)
        held = s.scalar(select(func.count()).select_from(m.CrimeRecord))
    assert again.replaced == crimes.rows and held == august.rows + crimes.rows


def test_ward_without_lsoas_cannot_take_police_uk_rows(db):
    with db.session() as s:
        make_ward(s, "E05000009")
        s.execute(m.WardLsoa.__table__.delete())
    with pytest.raises(UserError, match="no LSOA codes"), db.session() as s:
        import_crimes(s, SAMPLES / "2026-09-avon-and-somerset-street.csv", "E05000009")


SURVEY_HEAD = "respondent,date,litter_problem,litter_effect\n"
CRIME_HEAD = (
    "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,"
    "Last outcome category,Context\n"
)
EVA_HEAD = "date,officer,category,location,severity,count,status\n"

#: name -> (kind, file bytes, [(row, column)] every one of which must be named)
BAD_FILES: dict[str, tuple[str, bytes, list[tuple[int | None, str | None]]]] = {
    "empty": ("surveys", b"", [(None, None)]),
    "header-only": ("surveys", SURVEY_HEAD.encode(), [(None, None)]),
    "binary": ("surveys", b"\x00\x01\x02\x03" * 50, [(None, None)]),
    "unknown-issue-column": (
        "surveys",
        b"respondent,date,graffitti_problem\nr1,2026-09-01,1\n",
        [(1, "graffitti_problem")],
    ),
    "no-issue-columns": ("surveys", b"respondent,date\nr1,2026-09-01\n", [(1, None)]),
    "missing-date-column": ("surveys", b"respondent,litter_problem\nr1,1\n", [(1, "date")]),
    "duplicate-keys": (
        "surveys",
        (SURVEY_HEAD + "r1,2026-09-01,1,yes\nr1,2026-09-02,2,no\n").encode(),
        [(3, "respondent")],
    ),
    "impossible-date": ("surveys", (SURVEY_HEAD + "r1,31/02/2026,1,yes\nr2,2026-09-01,2,no\n").encode(), [(2, "date")]),
    "out-of-range": (
        "surveys",
        (SURVEY_HEAD + "r1,2026-09-01,4,yes\nr2,2026-09-01,-1,perhaps\n").encode(),
        [(2, "litter_problem"), (3, "litter_problem"), (3, "litter_effect")],
    ),
    "bad-row-late-in-file": (
        "surveys",
        (SURVEY_HEAD + "".join(f"r{i},2026-09-01,1,no\n" for i in range(500)) + "r999,2026-09-01,big,no\n").encode(),
        [(502, "litter_problem")],
    ),
    "ragged-row": ("surveys", (SURVEY_HEAD + "r1,2026-09-01,1,yes,extra,more\n").encode(), [(None, None)]),
    "email-as-key": ("surveys", (SURVEY_HEAD + "someone@example.org,2026-09-01,1,yes\n").encode(), [(2, "respondent")]),
    "crimes-wrong-header": ("crimes", b"Month,Crime type\n2026-09,Burglary\n", [(1, None)]),
    "crimes-bad-rows": (
        "crimes",
        (
            CRIME_HEAD + ",2026-9x,F,F,,,X,E01014001,B,Burglary,,\n,2026-09,F,F,,,X,E01014001,B,Pickpocketing,,\n"
        ).encode(),
        [(2, "Month"), (3, "Crime type")],
    ),
    "eva-bad-rows": (
        "audits",
        (EVA_HEAD + "2026-09-01,PC 1,litter,Lane,0,1,open\n2026-09-01,PC 1,unicorns,Lane,3,0,lost\n").encode(),
        [(2, "severity"), (3, "category"), (3, "count"), (3, "status")],
    ),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_files_are_refused_whole_and_change_nothing(ward, tmp_path, name):
    kind, data, expected = BAD_FILES[name]
    path = tmp_path / f"{name}.csv"
    path.write_bytes(data)
    before = counts(ward)
    run = {
        "surveys": lambda s: import_surveys(s, path, WARD, "Round"),
        "audits": lambda s: import_audits(s, path, WARD),
        "crimes": lambda s: import_crimes(s, path, WARD),
    }[kind]
    with pytest.raises(InputRejected) as caught, ward.session() as s:
        run(s)
    found = {(p.row, p.column) for p in caught.value.problems}
    for row, column in expected:
        if row is None:
            assert caught.value.problems, name
        else:
            assert (row, column) in found, (name, found)
    assert all(p.file == path.name for p in caught.value.problems)
    assert counts(ward) == before


def test_cancelling_an_import_writes_nothing(ward):
    from rpdesk.errors import Cancelled

    calls = []

    def check() -> None:
        calls.append(1)
        if len(calls) == 2:  # after the respondents are written, before the answers
            raise Cancelled

    before = counts(ward)
    with pytest.raises(Cancelled), ward.session() as s:
        import_surveys(s, SAMPLES / "survey_canonical.csv", WARD, "Autumn 2026", check=check)
    assert counts(ward) == before


def test_police_uk_months_already_held_are_refused(ward, tmp_path):
    with ward.session() as s:
        import_crimes(s, SAMPLES / "2026-09-avon-and-somerset-street.csv", WARD)
    september = (SAMPLES / "2026-09-avon-and-somerset-street.csv").read_text(encoding="utf-8").splitlines()
    (tmp_path / "2026-09-street.csv").write_text(
        "\n".join(september[:-1]) + "\n", encoding="utf-8"
    )  # not the same file
    before = counts(ward)
    with (
        pytest.raises(UserError, match=r"already holds police\.uk rows for 2026-09 from 2026-09-avon"),
        ward.session() as s,
    ):
        import_crimes(s, tmp_path / "2026-09-street.csv", WARD)
    assert counts(ward) == before


def _sample_with(tmp_path: Path, dates: dict[int, str], *, first: int = 2, last: int = 61, key: str = "AUT26-") -> Path:
    """Spreadsheet rows ``first``..``last`` of the canonical sample (header kept), ``dates`` retyping some
    rows' dates and ``key`` replacing the respondents' prefix (a later batch of the same round)."""
    import csv

    with (SAMPLES / "survey_canonical.csv").open(encoding="utf-8", newline="") as f:
        records = list(csv.reader(f))
    for row, date in dates.items():
        records[row - 1][1] = date
    chosen = [records[0], *records[first - 1 : last]]
    for record in chosen[1:]:
        record[0] = record[0].replace("AUT26-", key)
    path = tmp_path / "survey_slipped.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(chosen)
    return path


def test_a_date_slipped_by_months_is_refused_naming_the_row_unless_accepted(ward, tmp_path):
    path = _sample_with(tmp_path, {18: "28/02/2026"})
    before = counts(ward)
    with pytest.raises(UnusualDates) as caught, ward.session() as s:
        import_surveys(s, path, WARD, "Autumn 2026")
    text = str(caught.value)
    assert "survey_slipped.csv, row 18: 28/02/2026 is" in text and "days from the file's middle date" in text
    assert "Nothing was written" in text and "--accept-dates" in text
    assert counts(ward) == before
    with ward.session() as s:
        assert import_surveys(s, path, WARD, "Autumn 2026", accept_dates=True).rows == 60
        rnd = s.scalars(select(m.SurveyRound)).one()
        assert (rnd.start_date.isoformat(), rnd.end_date.isoformat()) == ("2026-02-28", "2026-09-28")


def test_a_file_far_outside_the_round_it_goes_into_is_refused_and_a_late_batch_is_not(ward, tmp_path):
    with ward.session() as s:
        import_surveys(s, SAMPLES / "survey_canonical.csv", WARD, "Autumn 2026")
    spring = _sample_with(tmp_path, dict.fromkeys(range(2, 7), "03/04/2027"), last=6, key="SPR27-")
    outside = r"row 2, 3, 4, 5, 6: 03/04/2027 is 187 days outside round Autumn 2026"
    with pytest.raises(UnusualDates, match=outside), ward.session() as s:
        import_surveys(s, spring, WARD, "Autumn 2026")
    october = _sample_with(tmp_path, dict.fromkeys(range(2, 7), "05/10/2026"), last=6, key="OCT26-")
    with ward.session() as s:
        assert import_surveys(s, october, WARD, "Autumn 2026").rows == 5  # a late batch widens the round a little
