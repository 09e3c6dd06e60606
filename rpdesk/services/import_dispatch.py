"""Import dispatch for the wizard and any other caller: preview a file, the columns it can map to,
a dry run that checks every row and writes nothing, and the import itself.

Qt-free, so the import wizard keeps only its pages: the dry run runs the real import in a
transaction that is always rolled back, so what it lists is exactly what the import would refuse
(every problem by row and column, a file imported before, respondent keys already in the round).
:func:`run_import` is module-level and its arguments and result plain, so it can run in a child
process (a 100k-respondent import holds the GIL for long stretches).

What a column can become and saved column mappings are :mod:`rpdesk.services.import_mapping`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from rpdesk.db.database import Database
from rpdesk.importers.mapping import ColumnMapping
from rpdesk.progress import CheckFn, ProgressFn
from rpdesk.settings import Settings

PREVIEW_ROWS = 50


@dataclass(frozen=True)
class Preview:
    """The file as read: headers, the first rows and how many rows there are.

    ``answers`` holds, per header, the distinct non-blank answers in the whole file when there are few
    enough for a scale (the wizard matches them to the scale's wording); free-text columns are absent.
    """

    name: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    total: int
    answers: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class ImportSpec:
    """Everything an import needs, as plain values (it crosses to the database thread)."""

    kind: str
    path: Path
    ward_code: str
    round_name: str = ""
    method: str | None = None
    replace: bool = False
    #: import survey dates that look mistyped (far from the file's other dates or from the round)
    accept_dates: bool = False
    mapping: ColumnMapping | None = None
    #: the user's settings (a roster's absences keep their reason only if these say so)
    settings: Settings | None = None


@dataclass(frozen=True)
class Outcome:
    """What an import wrote (or, for the check, would write)."""

    rows: int
    summary: str
    notes: tuple[str, ...] = field(default_factory=tuple)


class _DryRun(Exception):
    """Carries a checked import's outcome out of its transaction, which is thereby rolled back."""

    def __init__(self, outcome: Outcome) -> None:
        super().__init__("dry run")
        self.outcome = outcome


def read_preview(path: Path) -> Preview:
    from rpdesk.importers.answer_scales import MAX_ANSWERS
    from rpdesk.importers.reading import read_table

    table = read_table(path)
    head = table.frame.head(PREVIEW_ROWS)
    answers = {}
    for column in table.frame.columns:
        distinct = tuple(str(v) for v in table.frame[column].unique() if str(v).strip())
        if len(distinct) <= MAX_ANSWERS:
            answers[str(column)] = distinct
    return Preview(
        table.name,
        tuple(str(c) for c in table.frame.columns),
        tuple(tuple(str(v) for v in row) for row in head.itertuples(index=False)),
        len(table.frame),
        answers,
    )


def run_import(session: Session, spec: ImportSpec, progress: ProgressFn, check: CheckFn) -> Outcome:
    """Run the import ``spec`` describes in ``session`` (the caller's transaction)."""
    from rpdesk.services import imports

    hooks: dict[str, Any] = {"progress": progress, "check": check, "replace": spec.replace}
    if spec.kind == "duty":
        from rpdesk.services.duty_records import import_duty

        duty = import_duty(session, spec.path, **hooks, settings=spec.settings)
        wards = ", ".join(duty.wards) or "no ward"
        return Outcome(duty.days, f"{duty.days} officer-days ({duty.abstractions} abstractions) for {wards}")
    if spec.kind == "surveys":
        result = imports.import_surveys(
            session,
            spec.path,
            spec.ward_code,
            spec.round_name,
            mapping=spec.mapping,
            method=spec.method,
            accept_dates=spec.accept_dates,
            **hooks,
        )
        what = f"{result.rows} respondents into round '{result.round_name}'"
    elif spec.kind == "audits":
        result = imports.import_audits(session, spec.path, spec.ward_code, mapping=spec.mapping, **hooks)
        what = f"{result.rows} EVA findings"
    else:
        result = imports.import_crimes(session, spec.path, spec.ward_code, **hooks)
        what = f"{result.rows} recorded crimes"
    if result.replaced:
        what += f", replacing {result.replaced} from the earlier import"
    return Outcome(result.rows, what, result.notes)


def dry_run(database: Database, spec: ImportSpec, progress: ProgressFn, check: CheckFn) -> Outcome:
    """Run the import and roll it back: every problem it would refuse, nothing written."""
    try:
        with database.session() as session:
            raise _DryRun(run_import(session, spec, progress, check))
    except _DryRun as done:
        return done.outcome
