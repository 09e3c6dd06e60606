"""The malformed-file corpus (tests/support/malformed.py), each file fed to its importer directly.

Every file is refused whole with InputRejected naming the file, and the row and column where the
fault has one; in bounded time; with a message of readable length (a 10 MB cell is not echoed).
The CLI side (exit 3, no traceback, nothing written, memory) is tests/e2e/test_cli_malformed.py.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rpdesk.errors import InputRejected, UserError
from rpdesk.importers.audits import parse_audits
from rpdesk.importers.crimes import parse_crimes
from rpdesk.importers.duty import read_roster
from rpdesk.importers.reading import read_table
from rpdesk.importers.surveys import parse_survey
from tests.support.malformed import CORPUS, KINDS, Case, rows, to_csv, to_xlsx

CPU_SECONDS = 5.0  # CPU time, which a loaded machine does not stretch as it does wall time


def import_directly(kind: str, path: Path) -> object:
    """The importer of ``kind`` as the import services call it, against a fixed small catalogue."""
    if kind == "duty":
        return read_roster(path, {"PC101": 1, "PC102": 2}, {"E05000001": 1})
    table = read_table(path)
    if kind == "surveys":
        return parse_survey(table, ["litter", "graffiti"])
    if kind == "audits":
        return parse_audits(table, {"litter": "litter", "Rubbish or litter lying around": "litter"}, ["Council"])
    return parse_crimes(table, ["E01014001"])


@pytest.mark.parametrize("kind", KINDS)
def test_the_corpus_base_files_import(tmp_path, kind):
    """Each family breaks one thing in a file that is otherwise valid: prove the valid one imports."""
    path = tmp_path / f"{kind}.csv"
    path.write_text(to_csv(rows(kind, 5)), encoding="utf-8")
    assert import_directly(kind, path) is not None


@pytest.mark.parametrize("case", CORPUS, ids=lambda c: c.id)
def test_every_malformed_file_is_refused_naming_where(tmp_path, case: Case):
    path = case.write(tmp_path)
    started = time.process_time()
    with pytest.raises(InputRejected) as caught:
        import_directly(case.kind, path)
    took = time.process_time() - started
    message = str(caught.value)
    first = caught.value.problems[0]
    assert first.file == path.name
    assert case.says in message, message[:2000]
    if case.row is not None:
        assert first.row == case.row, message[:2000]
    if case.column is not None:
        assert first.column == case.column, message[:2000]
    assert len(message) < 2000, "values in messages are cut to a readable length"
    assert took < CPU_SECONDS, f"{case.id} took {took:.1f} s of CPU"


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    kind=st.sampled_from(KINDS),
    xlsx=st.booleans(),
    edits=st.lists(
        st.tuples(
            st.floats(0, 1), st.sampled_from(["insert", "delete", "cut", "flip"]), st.binary(min_size=1, max_size=4)
        ),
        min_size=1,
        max_size=4,
    ),
)
def test_any_damaged_file_is_imported_or_refused_never_a_traceback(tmp_path, kind, xlsx, edits):
    """Random damage to a valid file (bytes inserted, deleted or flipped, the file cut short, deflate
    streams broken): the importer reads it or refuses it with a message, never with another exception."""
    data = bytearray(to_xlsx(rows(kind, 4)) if xlsx else to_csv(rows(kind, 4)).encode())
    for where, edit, payload in edits:
        at = int(where * len(data))
        if edit == "insert":
            data[at:at] = payload
        elif edit == "delete":
            del data[at : at + len(payload) * 5]
        elif edit == "cut":
            del data[at:]
        else:
            data[at : at + 1] = payload[:1]
    path = tmp_path / ("damaged.xlsx" if xlsx else "damaged.csv")
    path.write_bytes(bytes(data))
    try:
        import_directly(kind, path)
    except UserError as exc:
        assert path.name in str(exc)
