"""The survey importer on its own: the canonical layout, labels, blanks, anonymity, row order."""

from __future__ import annotations

import csv
import io
import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rpdesk.domain.catalogue import DEFAULT_ISSUES
from rpdesk.errors import InputRejected
from rpdesk.importers.reading import parse_date, read_table
from rpdesk.importers.surveys import looks_personal, parse_survey

CODES = [i.code for i in DEFAULT_ISSUES]
SAMPLES = Path(__file__).parents[3] / "resources" / "samples"


def table_of(tmp_path: Path, text: str, name: str = "s.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return read_table(path)


def test_canonical_sample_parses_with_labels_and_blanks():
    parsed = parse_survey(read_table(SAMPLES / "survey_canonical.csv"), CODES)
    assert len(parsed.respondents) == 60
    assert set(parsed.answers) == {"litter", "youths_hanging_around", "drugs", "drunk_rowdy", "speeding", "dog_fouling"}
    problems, effects = parsed.answers["litter"]
    assert set(problems) <= {0, 1, 2, 3, None} and set(effects) <= {True, False, None}
    assert parsed.row_numbers[:3] == (2, 3, 4)
    assert parsed.left_out == ()


def test_any_case_headers_labels_uk_dates_and_not_answered(tmp_path):
    parsed = parse_survey(
        table_of(
            tmp_path,
            "Respondent,DATE,Litter_Problem,litter_effect,Conf Good Job,safe_after_dark\n"
            "r1,01/09/2026,A VERY BIG PROBLEM,Yes,excellent,Don't know\n"
            "r2,2026-09-02,,,,fairly safe\n",
        ),
        CODES,
    )
    assert parsed.answers["litter"] == ([3, None], [True, None])
    assert parsed.respondents["conf_good_job"].tolist() == [5, None]
    assert parsed.respondents["safe_after_dark"].tolist() == [None, 3]
    assert str(parsed.first_date) == "2026-09-01" and str(parsed.last_date) == "2026-09-02"


def test_personal_columns_are_left_out_and_personal_keys_refused(tmp_path):
    parsed = parse_survey(
        table_of(
            tmp_path,
            "respondent,date,litter_problem,Full Name,E-mail,Postcode\n"
            "r1,2026-09-01,1,Ann Smith,ann@example.org,BS1 1AA\n",
        ),
        CODES,
    )
    assert parsed.left_out == ("full_name", "e-mail", "postcode")
    assert "Ann Smith" not in parsed.respondents.to_string()
    with pytest.raises(InputRejected, match="not a name, e-mail address or phone number"):
        parse_survey(table_of(tmp_path, "respondent,date,litter_problem\nann@example.org,2026-09-01,1\n"), CODES)
    assert looks_personal("phone_number") and not looks_personal("street") and not looks_personal("litter_problem")


def test_all_problems_are_listed_by_row(tmp_path):
    with pytest.raises(InputRejected) as caught:
        parse_survey(
            table_of(
                tmp_path,
                "respondent,date,litter_problem,litter_effect\nr1,2026-02-30,5,maybe\nr1,2026-09-01,2,yes\n,,1,no\n",
            ),
            CODES,
        )
    found = [(p.row, p.column) for p in caught.value.problems]
    assert found == [
        (2, "date"),
        (2, "litter_problem"),
        (2, "litter_effect"),
        (3, "respondent"),
        (4, "respondent"),
        (4, "date"),
    ]


def _csv(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out).writerows([["respondent", "date", "litter_problem", "litter_effect"], *rows])
    return out.getvalue()


answers = st.lists(
    st.tuples(
        st.sampled_from(["", "0", "1", "2", "3", "A VERY BIG PROBLEM", "not a problem at all"]),
        st.sampled_from(["", "yes", "No"]),
    ),
    min_size=1,
    max_size=25,
)


@settings(max_examples=30, deadline=None)
@given(answers, st.randoms(use_true_random=False))
def test_row_order_does_not_change_the_counts(tmp_path_factory, rows, rnd: random.Random):
    tmp = tmp_path_factory.mktemp("order")
    records = [[f"r{i}", "2026-09-01", p, e] for i, (p, e) in enumerate(rows)]
    shuffled = list(records)
    rnd.shuffle(shuffled)

    def counts(recs: list[list[str]]) -> tuple[int, int, int]:
        parsed = parse_survey(table_of(tmp, _csv(recs)), CODES)
        problem, effect = parsed.answers["litter"]
        answered = [p for p in problem if p is not None]
        return len(answered), sum(p >= 2 for p in answered), sum(e is True for e in effect)

    assert counts(records) == counts(shuffled)


def test_an_xlsx_copy_gives_the_same_answers_as_the_csv(tmp_path):
    import pandas as pd

    frame = pd.read_csv(SAMPLES / "survey_canonical.csv", dtype=str, keep_default_na=False)
    frame["date"] = pd.to_datetime([parse_date(d) for d in frame["date"]])  # Excel holds real dates
    frame.to_excel(tmp_path / "survey.xlsx", index=False)
    from_xlsx = parse_survey(read_table(tmp_path / "survey.xlsx"), CODES)
    from_csv = parse_survey(read_table(SAMPLES / "survey_canonical.csv"), CODES)
    assert from_xlsx.answers == from_csv.answers
    assert from_xlsx.respondents["date"].tolist() == from_csv.respondents["date"].tolist()


def test_streets_with_house_numbers_or_postcodes_are_refused(tmp_path):
    text = (
        "respondent,date,street,litter_problem\n"
        "r1,2026-09-01,High Street,1\nr2,2026-09-01,12 High Street,1\n"
        "r3,2026-09-01,Church Lane BS1 4DJ,1\nr4,2026-09-01,1st Avenue,1\n"
    )
    with pytest.raises(InputRejected) as caught:
        parse_survey(table_of(tmp_path, text), CODES)
    assert [(p.row, p.column) for p in caught.value.problems] == [(3, "street"), (4, "street")]
    assert "respondents stay anonymous" in str(caught.value)


def test_keys_that_are_names_and_streets_with_a_flat_or_house_number_anywhere_are_refused(tmp_path):
    text = (
        "respondent,date,street,age_band,litter_problem\n"
        "R001,2026-09-01,Rose Court,65+,1\n"
        "John Smith,2026-09-01,Rose Court no. 12,35-44,1\n"
        "Mary-Jane O'Neil 3,2026-09-01,Flat B Rose Court,01/02/1980,1\n"
        "AUT26-004,2026-09-01,A38 Bristol Road,16 to 24,1\n"
    )
    with pytest.raises(InputRejected) as caught:
        parse_survey(table_of(tmp_path, text), CODES)
    found = [(p.row, p.column, p.value) for p in caught.value.problems]
    assert found == [
        (3, "respondent", "John Smith"),
        (3, "street", "Rose Court no. 12"),
        (4, "respondent", "Mary-Jane O'Neil 3"),
        (4, "street", "Flat B Rose Court"),
        (4, "age_band", "01/02/1980"),
    ]


def test_age_bands_are_read_in_their_usual_spellings(tmp_path):
    text = "respondent,date,age_band,litter_problem\nR1,2026-09-01,25 – 34,1\nR2,2026-09-01,75 and over,1\n"
    text += "R3,2026-09-01,Prefer not to say,1\nR4,2026-09-01,,1\n"
    parsed = parse_survey(table_of(tmp_path, text), CODES)
    assert parsed.respondents["age_band"].tolist() == ["25-34", "75+", None, None]


def test_contact_details_in_comments_are_masked_with_a_note(tmp_path):
    text = (
        "respondent,date,litter_problem,comments\n"
        'R1,2026-09-01,1,"Ring me on 07700 900123 or +44 (0)117 496 0000, or jo.b@example.org"\n'
        "R2,2026-09-01,1,Bins collected on 01/09/2026 at 10:15 (ref 12345678)\n"
        "R3,2026-09-01,1,\n"
    )
    parsed = parse_survey(table_of(tmp_path, text), CODES)
    comments = parsed.respondents["comments"].tolist()
    assert comments[0] == ("Ring me on [phone number removed] or [phone number removed], or [e-mail address removed]")
    assert comments[1:] == ["Bins collected on 01/09/2026 at 10:15 (ref 12345678)", None]
    assert parsed.notes == (
        "Comments: 2 phone number(s) and 1 e-mail address(es) were masked in 1 comment(s) (row(s) 2): "
        "respondents stay anonymous.",
    )


def test_an_ms_forms_like_workbook_with_completion_times_imports_through_a_mapping(tmp_path):
    """Online form tools export when each form was completed as a date-time cell: it is read as its day."""
    import datetime as dt

    import openpyxl

    from rpdesk.importers.mapping import ColumnMapping, apply_mapping

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["ID", "Start time", "Completion time", "Email", "Name", "Litter?", "Changed what you do?"])
    sheet.append([1, dt.datetime(2026, 9, 1, 10, 2), dt.datetime(2026, 9, 1, 10, 15), "anonymous", None, "2", "Yes"])
    sheet.append([2, dt.datetime(2026, 9, 2, 23, 50), dt.datetime(2026, 9, 3, 0, 5, 7), "anonymous", None, "0", "No"])
    book.save(tmp_path / "forms.xlsx")
    mapping = ColumnMapping(
        "surveys",
        {
            "ID": "respondent",
            "Start time": None,
            "Completion time": "date",
            "Email": None,
            "Name": None,
            "Litter?": "litter_problem",
            "Changed what you do?": "litter_effect",
        },
    )
    parsed = parse_survey(apply_mapping(read_table(tmp_path / "forms.xlsx"), mapping), CODES)
    assert parsed.respondents["date"].tolist() == [dt.date(2026, 9, 1), dt.date(2026, 9, 3)]
    assert parsed.answers["litter"] == ([2, 0], [True, False])
