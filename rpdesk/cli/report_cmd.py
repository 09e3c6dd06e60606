"""``rpdesk-cli report tasking|briefing|card``: build a document and record it against its meeting."""

from __future__ import annotations

import argparse
from pathlib import Path

from rpdesk.cli.common import (
    WARD_HELP,
    add_recipient_option,
    open_db,
    parse_day,
    settings_of,
    subcommand,
    terminal_progress,
)
from rpdesk.errors import UserError

HELP = {
    "tasking": "the Tasking and Co-ordination pack (OFFICIAL-SENSITIVE) for a TCG meeting",
    "briefing": "the community briefing (OFFICIAL, for public release) for a community meeting",
    "card": "the response-team card (OFFICIAL-SENSITIVE, one A4 page; 3 in large print) for officers attending "
    "calls in the ward",
}


def report(args: argparse.Namespace) -> int:
    from rpdesk.services.documents import build_document

    out = Path(args.out)
    if out.suffix.lower() != ".pdf":
        raise UserError(f"--out {out}: the file name should end in .pdf")
    db = open_db(args)
    try:
        with terminal_progress(f"Building the {args.report_kind}") as progress:
            info = build_document(
                db,
                args.report_kind,
                args.ward,
                args.meeting,
                out,
                large_print=args.large_print,
                lang=getattr(args, "lang", None),
                progress=progress,
                overwrite=args.force,
                recipient=args.recipient,
                settings=settings_of(args),
            )
    finally:
        db.dispose()
    print(
        f"wrote {info.path} ({info.pages} page{'s' if info.pages != 1 else ''}, {info.marking}) for the "
        f"{info.meeting_date:%d/%m/%Y} meeting of ward {info.ward_code}; recorded as document {info.id}"
    )
    return 0


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("report", help="build a printable PDF: tasking pack, community briefing or response card")
    kinds = p.add_subparsers(dest="report_kind", metavar="KIND", required=True)
    for kind, text in HELP.items():
        k = subcommand(kinds, kind, report, text)
        k.add_argument("--ward", required=True, metavar="CODE", help=WARD_HELP)
        meeting = "TCG" if kind != "briefing" else "community"
        k.add_argument(
            "--meeting",
            type=parse_day,
            metavar="DATE",
            help=f"the {meeting} meeting's date (default: the ward's next {meeting} meeting, else its latest)",
        )
        k.add_argument("--out", required=True, metavar="FILE.pdf", help="where to write the PDF")
        k.add_argument("--force", action="store_true", help="replace FILE.pdf if it exists (never a database)")
        add_recipient_option(k)
        pages = "; the card then runs to 3 pages" if kind == "card" else ""
        k.add_argument("--large-print", action="store_true", help=f"large print (body text 16 pt or more{pages})")
        if kind == "briefing":  # the tasking pack and the card are for officers, in English
            k.add_argument(
                "--lang",
                choices=("en", "cy", "both"),
                help="English, Welsh or both side by side (default: the ward's language)",
            )
