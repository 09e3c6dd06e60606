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
    with pytest.raises(InputRejected, match="not an e-mail address or phone number"):
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
