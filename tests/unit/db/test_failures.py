"""Environment failures read as one plain line, without SQL or data; bugs are left as bugs."""

from __future__ import annotations

import errno
import sqlite3

import pytest
from sqlalchemy.exc import IntegrityError, OperationalError

from rpdesk.db.failures import EnvironmentFailure, explain

ROW = ("Jane Smith", "07700 900123")  # parameters that must never reach a message


def _wrapped(orig: BaseException) -> OperationalError:
    return OperationalError("INSERT INTO survey_response VALUES (?, ?)", ROW, orig)


@pytest.mark.parametrize(
    ("orig", "words"),
    [
        (sqlite3.OperationalError("database is locked"), "busy"),
        (sqlite3.OperationalError("database or disk is full"), "full"),
        (sqlite3.OperationalError("attempt to write a readonly database"), "read-only"),
        (sqlite3.OperationalError("unable to open database file"), "cannot be opened"),
        (Exception("server closed the connection unexpectedly\nThis probably means..."), "stopped answering"),
        (Exception('connection to server at "db", port 5432 failed: Connection refused'), "could not be reached"),
    ],
)
def test_database_failures_are_one_line_without_sql_or_data(orig, words):
    message = explain(_wrapped(orig), "ward.sqlite")
    assert isinstance(message, EnvironmentFailure)
    text = str(message)
    assert words in text and "\n" not in text
    assert "INSERT" not in text and all(v not in text for v in ROW)


def test_a_unique_key_refusal_reads_as_already_held():
    exc = IntegrityError("INSERT INTO import_batch ...", ROW, Exception("duplicate key\nDETAIL: Key (sha256)=(x)"))
    text = str(explain(exc))
    assert "already held" in text and "DETAIL" not in text and "Jane" not in text


@pytest.mark.parametrize(
    ("code", "words"), [(errno.ENOSPC, "disk is full"), (errno.EROFS, "read-only"), (errno.EACCES, "Permission")]
)
def test_file_system_failures_name_the_file(code, words):
    text = str(explain(OSError(code, "os text", "/data/pack.pdf")))
    assert words in text and "/data/pack.pdf" in text


def test_bugs_are_not_dressed_up_as_messages():
    assert explain(ValueError("a bug")) is None
    assert explain(KeyError("x")) is None
