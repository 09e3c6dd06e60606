"""Build a document for a ward's meeting and record it against that meeting.

This is the one call the CLI and the GUI make::

    info = build_document(db, "tasking", "E05000123", dt.date(2026, 11, 10), Path("pack.pdf"),
                          progress=report, check=raise_if_cancelled)

Data are gathered in one read transaction, the PDF is laid out with no session open (so a long
build never holds the database), and a :class:`~rpdesk.db.models.MeetingDocument` row records
which document was made, when, by whom, its marking, page count and SHA-256.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path

from rpdesk.db.changelog import os_user
from rpdesk.db.database import Database
from rpdesk.db.models import MeetingDocument
from rpdesk.domain.vocabulary import DocumentKind
from rpdesk.errors import UserError
from rpdesk.outputs import guard_output, land, private_dir, write_aside
from rpdesk.paths import data_dir
from rpdesk.progress import CheckFn, ProgressFn, never_cancel, no_progress, sub_progress
from rpdesk.reports.layout import PrintOptions
from rpdesk.reports.model import BriefingData, CardData, TaskingData
from rpdesk.services import report_data
from rpdesk.services.audit import consult, disclose
from rpdesk.services.wards import get_ward
from rpdesk.settings import Settings, logo_problem

KINDS: tuple[str, ...] = tuple(k.value for k in DocumentKind)
LANGS = ("en", "cy", "both")


def documents_folder() -> Path:
    """Where the desktop app keeps the documents it builds (each is also recorded against its meeting)."""
    return private_dir(data_dir() / "documents")


def document_path(
    ward_code: str, meeting_date: dt.date, kind: str, *, large_print: bool = False, lang: str = "en"
) -> Path:
    """The file a meeting's document of ``kind`` is kept in: one per ward, meeting, kind, language and print size.

    A rebuild replaces it; a briefing's language and large print are part of the name, so each
    version stays beside the others (``briefing-E05000123-2026-11-10-cy-large-print.pdf``).
    """
    parts = [kind, ward_code, f"{meeting_date:%Y-%m-%d}"]
    if kind == "briefing":
        parts.append(lang)
    if large_print:
        parts.append("large-print")
    return documents_folder() / ("-".join(parts) + ".pdf")


@dataclass(frozen=True)
class DocumentInfo:
    """A document that was built and recorded."""

    id: int
    kind: str
    ward_code: str
    meeting_id: int
    meeting_date: dt.date
    path: Path
    pages: int
    marking: str
    sha256: str
    lang: str
    large_print: bool
    generated_at: dt.datetime
    generated_by: str


def _logo(settings: Settings) -> Path | None:
    text = settings.logo_path.strip()
    if not text:
        return None
    problem = logo_problem(text)
    if problem:
        raise UserError(f"{problem} Fix the setting or clear it.")
    return Path(text).expanduser()


def _language(kind: str, lang: str | None, ward_language: str, settings: Settings) -> str:
    if lang is not None and lang not in LANGS:
        raise UserError(f"Language '{lang}' is not one of {', '.join(LANGS)}.")
    if kind != DocumentKind.BRIEFING:
        if lang not in (None, "en"):
            raise UserError("Welsh and bilingual versions are made for the community briefing only.")
        return "en"
    if lang is not None:
        return lang
    return settings.briefing_language(ward_language)


def build_document(
    db: Database,
    kind: str,
    ward_code: str,
    meeting_date: dt.date | None,
    out_path: Path | str,
    *,
    large_print: bool = False,
    lang: str | None = None,
    progress: ProgressFn = no_progress,
    check: CheckFn = never_cancel,
    settings: Settings,
    generated_by: str | None = None,
    now: dt.datetime | None = None,
    overwrite: bool = False,
    recipient: str | None = None,
) -> DocumentInfo:
    """Build the ``kind`` document (tasking, briefing or card) for the ward's meeting into ``out_path``.

    ``meeting_date`` None means the ward's next meeting of the right kind (TCG for the pack and the
    card, community for the briefing), else its latest. ``lang`` None means the ward's language for
    briefings (or the default-language setting), English for the others. ``check`` may raise
    :class:`~rpdesk.errors.Cancelled`; then no file is left and nothing is recorded.

    ``out_path`` is refused when it is the open database, any database, or an existing file unless
    ``overwrite`` (see :mod:`rpdesk.outputs`). The PDF is built aside and renamed into place, and
    the document is recorded against its meeting if and only if its file landed, and logged as a
    disclosure (DPA 2018 s.62) to ``recipient`` when the user names one.
    """
    from rpdesk.reports.briefing import build_briefing
    from rpdesk.reports.card import build_card
    from rpdesk.reports.tasking import build_tasking

    if kind not in KINDS:
        raise UserError(f"There is no document kind '{kind}': choose one of {', '.join(KINDS)}.")
    now = now or dt.datetime.now().replace(microsecond=0)
    who = generated_by or os_user()
    out = guard_output(out_path, force=overwrite, protect=[db.file] if db.file else [])
    progress(0.0, "gathering data")
    with db.session() as s:
        ward = get_ward(s, ward_code)
        ward_id = ward.id
        consult(s, ward.code, {"channel": "document", "kind": kind})
        language = _language(kind, lang, ward.language.value, settings)
        data: TaskingData | BriefingData | CardData
        if kind == DocumentKind.TASKING:
            data = report_data.tasking_data(s, ward.code, meeting_date, settings=settings, prepared_by=who, now=now)
        elif kind == DocumentKind.BRIEFING:
            data = report_data.briefing_data(s, ward.code, meeting_date, settings=settings, now=now)
        else:
            data = report_data.card_data(s, ward.code, meeting_date, settings=settings, now=now)
    check()
    marking = settings.marking_public if kind == DocumentKind.BRIEFING else settings.marking_restricted
    options = PrintOptions(marking, settings.force_name, _logo(settings), large_print, language)
    build = sub_progress(progress, 0.3, 0.95)
    meeting = data.meeting
    with write_aside(out) as aside:  # a failed or cancelled build leaves no file and records nothing
        if isinstance(data, TaskingData):
            pages = build_tasking(data, aside, options, progress=build, check=check)
        elif isinstance(data, BriefingData):
            pages = build_briefing(data, aside, options, progress=build, check=check)
        else:
            pages = build_card(data, aside, options, progress=build, check=check)
        digest = hashlib.sha256(aside.read_bytes()).hexdigest()
        try:
            with db.session() as s:
                row = MeetingDocument(
                    meeting_id=meeting.id,
                    kind=DocumentKind(kind),
                    generated_at=now,
                    generated_by=who,
                    path=str(out.resolve()),
                    sha256=digest,
                    pages=pages,
                    marking=marking,
                )
                s.add(row)
                s.flush()  # the row is written and the write lock held: only the commit is left
                doc_id = row.id
                detail = {"kind": kind, "file": out.name, "marking": marking, "pages": pages, "sha256": digest}
                disclose(s, "meeting_document", detail, ward_id=ward_id, row_id=doc_id, recipient=recipient)
                land(aside, out)
        except BaseException:
            if not aside.exists():
                out.unlink(missing_ok=True)  # landed but not recorded: recorded if and only if landed
            raise
    progress(1.0, "done")
    return DocumentInfo(
        doc_id,
        kind,
        data.ward.code,
        meeting.id,
        meeting.date,
        out,
        pages,
        marking,
        digest,
        language,
        large_print,
        now,
        who,
    )
