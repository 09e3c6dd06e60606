"""Problems in an input file: one line per problem, and one line for a value refused over and over."""

from __future__ import annotations

import pytest

from rpdesk.errors import FieldProblem, InputRejected, InvalidFields, Problem, group_problems, refuse, row_ranges

EXPECTED = "0 to 3"


def cell(row: int, column: str, value: str = "A small problem", expected: str = EXPECTED) -> Problem:
    return Problem("export.csv", row, column, value, expected)


def test_a_value_repeated_down_several_columns_is_one_group_saying_how_many_cells_where():
    problems = [cell(r, c) for r in range(2, 26) for c in ("litter", "drugs", "speeding")]
    problems.append(cell(27, "litter"))
    groups = group_problems(problems)
    assert len(groups) == 1
    assert groups[0].rows == [*range(2, 26), 27]
    assert groups[0].columns == ["litter", "drugs", "speeding"]
    assert str(groups[0]) == (
        "export.csv: 73 cells in 3 columns ('litter', 'drugs', 'speeding') hold 'A small problem' "
        "(rows 2-25, 27); expected 0 to 3"
    )


def test_different_values_or_reasons_stay_apart_and_a_single_problem_reads_as_before():
    problems = [cell(3, "date", "31/02/2026", "a date"), cell(4, "litter"), cell(5, "litter"), cell(6, "x", "A")]
    groups = group_problems(problems)
    assert [len(g.cells) for g in groups] == [1, 2, 1]
    assert str(groups[0]) == str(problems[0])
    assert str(groups[1]) == "export.csv: 2 cells in column 'litter' hold 'A small problem' (rows 4-5); expected 0 to 3"


def test_blank_required_cells_are_grouped_and_file_level_problems_never_are():
    problems = [cell(2, "date", ""), cell(9, "date", ""), Problem("f", None, None, None, "a header")] * 1
    problems.append(Problem("f", None, None, None, "a header"))
    groups = group_problems(problems)
    assert [len(g.cells) for g in groups] == [2, 1, 1]
    assert "2 cells in column 'date' are blank (rows 2, 9)" in str(groups[0])


def test_long_runs_of_rows_are_cut_saying_how_many_more():
    assert row_ranges([2, 3, 4, 7]) == "2-4, 7"
    assert row_ranges(list(range(2, 40, 2)), limit=3) == "2, 4, 6 and 16 more"


def test_the_cli_message_lists_groups_but_keeps_every_problem():
    problems = [cell(r, "litter") for r in range(2, 72)]
    refused = InputRejected(problems)
    assert len(refused.problems) == 70
    lines = str(refused).splitlines()
    assert lines[0] == "70 problem(s) found; nothing was written:"
    assert lines[1].startswith("export.csv: 70 cells in column 'litter' hold 'A small problem' (rows 2-71)")
    assert len(lines) == 2


def test_a_refused_record_says_every_problem_and_the_cli_adds_the_option_that_sets_each_field():
    problems = [FieldProblem("owner", "An action needs an owner."), FieldProblem("epic", "Choose an EPIC tag")]
    with pytest.raises(InvalidFields) as refused:
        refuse(problems)
    assert str(refused.value) == "An action needs an owner. Choose an EPIC tag"
    assert refused.value.text({"owner": "--owner"}) == "An action needs an owner (--owner). Choose an EPIC tag"
    refuse([])  # nothing wrong: nothing raised


def test_a_heading_lists_the_problems_below_it_and_a_field_of_a_group_takes_the_group_s_option():
    refused = InvalidFields([FieldProblem("passed_over.speeding", "Why pass over Speeding?")], "Nothing was adopted:")
    assert str(refused) == "Nothing was adopted:\n  Why pass over Speeding?"
    assert refused.text({"passed_over": "--pass-over {key}=..."}) == (
        "Nothing was adopted:\n  Why pass over Speeding? (--pass-over speeding=...)"
    )
