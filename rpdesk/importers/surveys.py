"""Resident survey answers in the canonical layout (README, "Imports").

One row per anonymous respondent: ``respondent``, ``date``, optional ``street`` and ``age_band``,
``C_problem`` (0-3 or the CSEW labels) and ``C_effect`` (yes/no) for each issue code C asked, the
optional confidence items and ``comments``. Headers match without regard to case or spacing.
Blank (or "don't know") means not answered.

Respondents stay anonymous: columns whose names say they hold personal data (name, e-mail, phone,
address, postcode) are left out with a note, and the standard columns are held to the rules of
:mod:`rpdesk.importers.anonymity` (keys are codes, streets have no house number, age bands come
from the list, contact details in comments are masked with a note).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

import pandas as pd

from rpdesk.errors import InputRejected, Problem
from rpdesk.importers.anonymity import NAME_EXPECTED, age_band, key_problem, mask_contacts, street_problem
from rpdesk.importers.reading import (
    HEADER_ROW,
    CellError,
    Parser,
    TextTable,
    normalise_headers,
    parse_column,
    parse_date,
    parse_yes_no,
    require_columns,
    scale_parser,
    text_parser,
)

PROBLEM_LABELS = {
    "Not a problem at all": 0,
    "Not a problem": 0,
    "Not a very big problem": 1,
    "Not very big problem": 1,
    "A fairly big problem": 2,
    "Fairly big problem": 2,
    "A very big problem": 3,
    "Very big problem": 3,
}
GOOD_JOB_LABELS = {"Very poor": 1, "Poor": 2, "Fair": 3, "Good": 4, "Excellent": 5}
AGREE_LABELS = {
    "Strongly disagree": 1,
    "Tend to disagree": 2,
    "Disagree": 2,
    "Neither agree nor disagree": 3,
    "Tend to agree": 4,
    "Agree": 4,
    "Strongly agree": 5,
}
SAFE_LABELS = {"Very unsafe": 1, "Fairly unsafe": 2, "A bit unsafe": 2, "Fairly safe": 3, "Very safe": 4}
NOT_ANSWERED = frozenset({"don't know", "don’t know", "dont know", "n/a", "na", "prefer not to say", "no answer"})


def _or_not_answered(parser: Parser) -> Parser:
    def parse(text: str) -> Any:
        return None if text.casefold() in NOT_ANSWERED else parser(text)

    return parse


def _street(text: str) -> str:
    """A street name only: a house or flat number or a postcode would make it an address."""
    problem = street_problem(text)
    if problem:
        raise CellError(problem)
    return text_parser(120)(text)  # type: ignore[no-any-return]


def _age_band(text: str) -> str | None:
    try:
        return age_band(text)
    except ValueError as exc:
        raise CellError(str(exc)) from None


def _yes_no(text: str) -> bool:
    """Yes/no, also in the words of the effect question's usual answer options."""
    try:
        return parse_yes_no(text)
    except CellError:
        raise CellError("yes or no (or blank if not answered)") from None


#: The respondent-level columns after the key and date: name -> (parser, database column).
RESPONDENT_FIELDS: dict[str, Parser] = {
    "street": _street,
    "age_band": _age_band,
    "conf_good_job": _or_not_answered(scale_parser(1, 5, GOOD_JOB_LABELS)),
    "conf_understand": _or_not_answered(scale_parser(1, 5, AGREE_LABELS)),
    "conf_dealing": _or_not_answered(scale_parser(1, 5, AGREE_LABELS)),
    "safe_after_dark": _or_not_answered(scale_parser(1, 4, SAFE_LABELS)),
    "knows_contact": _or_not_answered(_yes_no),
    "comments": text_parser(4000),
}
PROBLEM_PARSER = _or_not_answered(scale_parser(0, 3, PROBLEM_LABELS))
#: What each respondent-level column holds, as a person picks it in the import wizard.
FIELD_LABELS: dict[str, str] = {
    "respondent": "Respondent key (an anonymous code)",
    "date": "Date answered",
    "street": "Street (no house number)",
    "age_band": "Age band",
    "conf_good_job": "How good a job the police are doing (1-5)",
    "conf_understand": "Police understand local issues (agree 1-5)",
    "conf_dealing": "Police deal with what matters (agree 1-5)",
    "safe_after_dark": "How safe walking alone after dark (1-4)",
    "knows_contact": "Knows how to contact the local team (yes/no)",
    "comments": "Comments",
}
ISSUE_PARTS = {"problem": "how big a problem", "effect": "changed what they feel or do"}
EFFECT_PARSER = _or_not_answered(_yes_no)

PERSONAL_WORDS = frozenset(
    {
        "name",
        "names",
        "firstname",
        "forename",
        "surname",
        "fullname",
        "email",
        "phone",
        "telephone",
        "tel",
        "mobile",
        "address",
        "postcode",
        "zip",
        "dob",
        "birth",
    }
)


@dataclass(frozen=True)
class SurveyRows:
    """A survey file checked whole: respondent rows and, per issue code, the answers in the same order."""

    name: str
    sha256: str
    respondents: pd.DataFrame  # columns: respondent, date and RESPONDENT_FIELDS (None = blank)
    answers: dict[str, tuple[list[int | None], list[bool | None]]]  # code -> (problem, effect) per row
    left_out: tuple[str, ...]  # personal-data columns that were not read
    row_numbers: tuple[int, ...]  # each respondent's row in the file, for messages
    masked_note: str | None = None  # how many contact details were masked in comments, if any

    @property
    def notes(self) -> tuple[str, ...]:
        """What the import left out or changed to keep respondents anonymous, for the user to read."""
        left = tuple(
            f"Column '{c}' looks like personal data and was not imported: respondents stay anonymous."
            for c in self.left_out
        )
        return left + ((self.masked_note,) if self.masked_note else ())

    @property
    def first_date(self) -> dt.date:
        return min(self.respondents["date"])  # type: ignore[no-any-return]

    @property
    def last_date(self) -> dt.date:
        return max(self.respondents["date"])  # type: ignore[no-any-return]


def looks_personal(column: str) -> bool:
    """Whether a (normalised) column name says it holds personal details."""
    words = set(re.split(r"[_\-\s]+", column))
    compact = re.sub(r"[_\-\s]+", "", column)
    return bool(words & PERSONAL_WORDS) or "email" in compact or "dateofbirth" in compact


def _classify_columns(
    table: TextTable, issue_codes: Collection[str], problems: list[Problem]
) -> tuple[dict[str, tuple[str | None, str | None]], list[str]]:
    """Issue code -> (problem column, effect column); and the personal-data columns to leave out."""
    known = {"respondent", "date", *RESPONDENT_FIELDS}
    issues: dict[str, tuple[str | None, str | None]] = {}
    personal = []
    codes = {c.casefold(): c for c in issue_codes}
    for column in table.frame.columns:
        match = re.fullmatch(r"(.+)_(problem|effect)", column)
        if column in known:
            continue
        if match and match[1] in codes:
            code = codes[match[1]]
            problem, effect = issues.get(code, (None, None))
            issues[code] = (column, effect) if match[2] == "problem" else (problem, column)
        elif looks_personal(column):
            personal.append(column)
        elif match:
            problems.append(
                Problem(
                    table.name,
                    HEADER_ROW,
                    column,
                    column,
                    f"an issue code of the catalogue before _{match[2]} ('{match[1]}' is not one; "
                    "'rpdesk-cli signals' lists the codes)",
                )
            )
        else:
            problems.append(
                Problem(
                    table.name,
                    HEADER_ROW,
                    column,
                    column,
                    "a column of the canonical survey layout (respondent, date, street, age_band, C_problem, "
                    "C_effect, conf_good_job, conf_understand, conf_dealing, safe_after_dark, knows_contact, "
                    "comments), or a column mapping that renames or leaves it out",
                )
            )
    if not issues and not problems:
        problems.append(
            Problem(table.name, HEADER_ROW, None, None, "at least one C_problem column (C = an issue code)")
        )
    return issues, personal


def _respondent_keys(table: TextTable, problems: list[Problem]) -> pd.Series:
    keys = table.frame["respondent"]
    first_row: dict[str, int] = {}
    for index, key in keys.items():
        row = table.row_number(int(str(index)))
        if not key:
            problems.append(Problem(table.name, row, "respondent", "", "an anonymous respondent key (it is required)"))
        elif key in first_row:
            problems.append(
                Problem(
                    table.name, row, "respondent", key, f"a key used once in the file (row {first_row[key]} has it)"
                )
            )
        elif key_problem(key):
            problems.append(Problem(table.name, row, "respondent", key, NAME_EXPECTED))
        else:
            first_row[key] = row
    return keys


def parse_survey(table: TextTable, issue_codes: Collection[str]) -> SurveyRows:
    """Check a survey table whole; return its rows or raise InputRejected listing every problem."""
    table = normalise_headers(table)
    frame = table.frame
    table = TextTable(table.name, frame[(frame != "").any(axis=1)], table.sha256)  # drop rows with no cell at all
    problems = require_columns(table, ["respondent", "date"])
    issues, personal = _classify_columns(table, issue_codes, problems)
    if any(p.row == HEADER_ROW and p.value is None for p in problems):
        raise InputRejected(problems)  # without a key, a date or any issue column the rows cannot be read
    out = pd.DataFrame(index=table.frame.index)
    out["respondent"] = _respondent_keys(table, problems)
    out["date"] = parse_column(table, "date", parse_date, problems, required=True)
    for column, parser in RESPONDENT_FIELDS.items():
        out[column] = parse_column(table, column, parser, problems) if column in table.frame.columns else None
    answers: dict[str, tuple[list[int | None], list[bool | None]]] = {}
    blank: list[Any] = [None] * len(table.frame)
    for code, (problem_col, effect_col) in issues.items():
        problem: list[Any] = (
            parse_column(table, problem_col, PROBLEM_PARSER, problems).tolist() if problem_col else blank
        )
        effect: list[Any] = parse_column(table, effect_col, EFFECT_PARSER, problems).tolist() if effect_col else blank
        answers[code] = (problem, effect)
    if problems:
        raise InputRejected(sorted(problems, key=lambda p: p.row or 0))
    rows = tuple(table.row_number(int(i)) for i in out.index)
    note = _mask_comments(out, rows)
    return SurveyRows(table.name, table.sha256, out.reset_index(drop=True), answers, tuple(personal), rows, note)


def _mask_comments(out: pd.DataFrame, rows: tuple[int, ...]) -> str | None:
    """Mask phone numbers and e-mail addresses in ``out``'s comments in place; the note saying how many."""
    phones = emails = 0
    where: list[int] = []
    masked: list[str | None] = []
    for row, text in zip(rows, out["comments"], strict=True):
        if text is None:
            masked.append(None)
            continue
        found = mask_contacts(text)
        if found.phones or found.emails:
            phones, emails = phones + found.phones, emails + found.emails
            where.append(row)
        masked.append(found.text)
    if not where:
        return None
    out["comments"] = pd.Series(masked, index=out.index, dtype=object)
    shown = ", ".join(str(r) for r in where[:10]) + (", ..." if len(where) > 10 else "")
    return (
        f"Comments: {phones} phone number(s) and {emails} e-mail address(es) were masked in {len(where)} "
        f"comment(s) (row(s) {shown}): respondents stay anonymous."
    )
