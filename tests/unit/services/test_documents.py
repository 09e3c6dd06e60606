"""Where the desktop app keeps a meeting's documents: one file per ward, meeting, kind, language and print size."""

from __future__ import annotations

import datetime as dt
import os

from rpdesk.paths import data_dir
from rpdesk.services.documents import document_path, documents_folder

DAY = dt.date(2026, 11, 10)


def test_each_version_of_a_meetings_document_has_its_own_file_in_the_private_documents_folder():
    assert document_path("E05000123", DAY, "tasking").name == "tasking-E05000123-2026-11-10.pdf"
    assert document_path("E05000123", DAY, "tasking", lang="cy").name == "tasking-E05000123-2026-11-10.pdf"
    welsh_large = document_path("E05000123", DAY, "briefing", lang="cy", large_print=True)
    assert welsh_large.name == "briefing-E05000123-2026-11-10-cy-large-print.pdf"
    assert document_path("E05000123", DAY, "briefing", lang="en") != document_path(
        "E05000123", DAY, "briefing", lang="cy"
    )
    folder = documents_folder()
    assert welsh_large.parent == folder == data_dir() / "documents" and folder.is_dir()
    if os.name == "posix":
        assert folder.stat().st_mode & 0o077 == 0  # owner-only: documents may carry restricted data
