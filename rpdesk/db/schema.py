"""The schema revisions this build knows, oldest first.

Kept as plain data so that opening a database can tell "current", "older" and "newer" without
importing Alembic (about a second at start-up). A test checks it against the migration scripts.
"""

from __future__ import annotations

REVISIONS: tuple[str, ...] = (
    "0001_initial",
    "0002_answer_issue_index",
    "0003_place",
    "0004_no_duplicates",
    "0005_official_contacts",
    "0006_priority_public_reason",
    "0007_ward_access",
    "0008_audit_chain",
    "0009_answer_tallies",
    "0010_absent",
    "0011_ward_access_more",
)
HEAD: str = REVISIONS[-1]
