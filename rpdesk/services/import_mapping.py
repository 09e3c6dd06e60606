"""Column mappings for the import wizard and the CLI: what a file's column can become, and mappings
saved per form so the next export of the same form arrives already matched.

Online form tools export one column per question, headed with the question text; a
:class:`ColumnMapping` (the importers' value type and JSON file format, re-exported here so the GUI
reaches it through a service) renames those columns to the canonical layout. Mappings are saved per
set of headers in the per-user configuration folder.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy.orm import Session

from rpdesk.errors import UserError
from rpdesk.importers.mapping import ColumnMapping, header_key, load_mapping, save_mapping
from rpdesk.paths import config_dir

__all__ = [
    "ColumnMapping",
    "header_key",
    "load_mapping",
    "mapping_path",
    "mapping_targets",
    "save_mapping",
    "saved_mapping",
]


def mapping_targets(session: Session, kind: str) -> list[str]:
    """The canonical columns a file's column can become, for ``kind``."""
    if kind == "audits":
        from rpdesk.importers.audits import OPTIONAL, REQUIRED

        return [*REQUIRED, *OPTIONAL]
    from rpdesk.importers.surveys import RESPONDENT_FIELDS
    from rpdesk.services.issues import issue_choices

    codes = sorted(i.code for i in issue_choices(session))
    issues = [f"{code}_{part}" for code in codes for part in ("problem", "effect")]
    return ["respondent", "date", *issues, *RESPONDENT_FIELDS]


def mapping_path(kind: str, headers: Sequence[str]) -> Path:
    """Where the mapping for this exact set of headers is kept (headers compared as the importer does)."""
    digest = hashlib.sha256("\n".join(sorted(header_key(h) for h in headers)).encode()).hexdigest()[:16]
    return config_dir() / "mappings" / f"{kind}-{digest}.json"


def saved_mapping(kind: str, headers: Sequence[str]) -> ColumnMapping | None:
    path = mapping_path(kind, headers)
    if not path.is_file():
        return None
    try:
        return load_mapping(path)
    except UserError:
        return None  # a damaged saved mapping is simply not offered
