"""Column mappings for the import wizard and the CLI: what a file's column can become, and mappings
saved per form so the next export of the same form arrives already matched.

Online form tools export one column per question, headed with the question text; a
:class:`ColumnMapping` (the importers' value type and JSON file format, re-exported here so the GUI
reaches it through a service) renames those columns to the canonical layout. Mappings are saved per
set of headers in the per-user configuration folder. What the wizard proposes for a column
(:mod:`rpdesk.importers.questions`) and for an answer (:mod:`rpdesk.importers.answer_scales`) is
decided there; this module gives it the catalogue and keeps the files.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from rpdesk.errors import UserError
from rpdesk.importers.answer_scales import AnswerToMatch, answer_values, answers_to_match
from rpdesk.importers.mapping import ColumnMapping, header_key, load_mapping, save_mapping
from rpdesk.importers.questions import Issue, propose_columns
from rpdesk.paths import config_dir

__all__ = [
    "KEEP",
    "AnswerToMatch",
    "ColumnMapping",
    "Target",
    "Targets",
    "answer_values",
    "answers_to_match",
    "column_choices",
    "load_mapping",
    "mapping_path",
    "mapping_targets",
    "remember_mapping",
    "save_mapping",
    "saved_mapping",
]

#: A column choice meaning "not matched": the header is read under its own name (and refused if unknown).
KEEP = ""


@dataclass(frozen=True)
class Target:
    """A column of rpdesk's layout as a user picks it: its name in the layout and what it holds."""

    column: str
    label: str


@dataclass(frozen=True)
class Targets:
    """What a file of ``kind`` can be matched to, and the issues the question matching looks for."""

    kind: str
    targets: tuple[Target, ...]
    issues: tuple[Issue, ...]


def mapping_targets(session: Session, kind: str) -> Targets:
    """The columns a file's column can become for ``kind``, labelled (issues by their catalogue label)."""
    if kind == "audits":
        from rpdesk.importers.audits import OPTIONAL, REQUIRED

        columns = [Target(c, c.replace("_", " ").capitalize()) for c in (*REQUIRED, *OPTIONAL)]
        return Targets(kind, tuple(columns), ())
    from rpdesk.importers.surveys import FIELD_LABELS, ISSUE_PARTS
    from rpdesk.services.issues import issue_choices

    issues = tuple(Issue(i.code, i.label) for i in issue_choices(session, order="label"))
    fields = [Target(column, label) for column, label in FIELD_LABELS.items()]
    answers = [
        Target(f"{issue.code}_{part}", f"{issue.label}: {question}")
        for issue in issues
        for part, question in ISSUE_PARTS.items()
    ]
    return Targets(kind, (*fields[:2], *answers, *fields[2:]), issues)


def column_choices(
    targets: Targets, headers: Sequence[str], mapping: ColumnMapping | None = None
) -> dict[str, str | None]:
    """Each header's column: as ``mapping`` says, else as proposed from its question, else :data:`KEEP`."""
    named = {header_key(k): v for k, v in (mapping.columns if mapping else {}).items()}
    proposed = propose_columns(targets.kind, headers, targets.issues, [t.column for t in targets.targets])
    choices: dict[str, str | None] = {}
    for header in headers:
        key = header_key(header)
        choices[header] = named[key] if key in named else proposed.get(header, KEEP)
    return choices


def remember_mapping(mapping: ColumnMapping, headers: Sequence[str]) -> Path:
    """Save ``mapping`` for the next file with these headers; OSError if it cannot be written."""
    path = mapping_path(mapping.kind, headers)
    path.parent.mkdir(parents=True, exist_ok=True)
    save_mapping(mapping, path)
    return path


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
