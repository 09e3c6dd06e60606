"""``rpdesk-cli meetings list|add|update|cancel``: a ward's TCG and community meetings.

Documents are built for a meeting (``rpdesk-cli report``): the tasking pack and the response-team
card for a TCG meeting, the community briefing for a community meeting.
"""

from __future__ import annotations

import argparse
from dataclasses import asdict
from typing import Any

from rpdesk.cli.common import DAY_HELP, add_format_option, emit, open_db, parse_day, subcommand
from rpdesk.domain.vocabulary import MeetingKind

COLUMNS = ("id", "ward_code", "kind", "date", "start_time", "venue", "documents", "notes")


def _version(session: Any, args: argparse.Namespace) -> int:
    from rpdesk.services.meetings import get_meeting

    current = get_meeting(session, args.id)
    return int(args.version if args.version is not None else current.version)


def list_(args: argparse.Namespace) -> int:
    from rpdesk.services.meetings import list_meetings

    db = open_db(args)
    with db.session() as s:
        found = list_meetings(s, args.ward)
    if args.since is not None:
        found = [m for m in found if m.date >= args.since]
        if args.format == "table":
            print(f"meetings of ward {args.ward.upper()} from {args.since:%d %b %Y} (--since to change)")
    emit([asdict(m) for m in found], args.format, COLUMNS)
    return 0


def add(args: argparse.Namespace) -> int:
    from rpdesk.services.meetings import add_meeting

    db = open_db(args)
    with db.session() as s:
        row = add_meeting(s, args.ward, args.kind, args.date, start_time=args.time, venue=args.venue, notes=args.notes)
    print(f"added {row.kind_label} meeting {row.id} of ward {row.ward_code} on {row.date:%a %d %b %Y}")
    return 0


def update(args: argparse.Namespace) -> int:
    from rpdesk.services.meetings import update_meeting

    changes = {"date": args.date, "start_time": args.time, "venue": args.venue, "notes": args.notes}
    db = open_db(args)
    with db.session() as s:
        row = update_meeting(s, args.id, _version(s, args), changes)
    print(f"updated meeting {row.id}: {row.kind_label} on {row.date:%a %d %b %Y}, version {row.version}")
    return 0


def cancel(args: argparse.Namespace) -> int:
    from rpdesk.services.meetings import cancel_meeting

    db = open_db(args)
    with db.session() as s:
        row = cancel_meeting(s, args.id, _version(s, args))
    print(f"cancelled the {row.kind_label} meeting {row.id} of ward {row.ward_code} on {row.date:%a %d %b %Y}")
    return 0


def _details(p: argparse.ArgumentParser, *, adding: bool) -> None:
    p.add_argument("--date", type=parse_day, required=adding, metavar="DATE", help=f"the meeting's day; {DAY_HELP}")
    p.add_argument("--time", metavar="HH:MM", help="start time, e.g. 18:30")
    p.add_argument("--venue", help="where it is held (printed on the community briefing)")
    p.add_argument("--notes", help="anything else about the meeting")


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("meetings", help="a ward's TCG and community meetings: list, add, update, cancel")
    msub = p.add_subparsers(dest="meetings_command", metavar="ACTION", required=True)
    lp = subcommand(msub, "list", list_, "list a ward's meetings, newest first, with their documents")
    lp.add_argument("--ward", required=True, metavar="CODE", help="ONS ward code")
    lp.add_argument("--since", type=parse_day, metavar="DATE", help=f"only meetings from this day on; {DAY_HELP}")
    add_format_option(lp)
    ap = subcommand(msub, "add", add, "plan a meeting: tcg (tasking pack, response card) or community (briefing)")
    ap.add_argument("--ward", required=True, metavar="CODE", help="ONS ward code")
    ap.add_argument("--kind", required=True, choices=[k.value for k in MeetingKind], help="tcg or community meeting")
    _details(ap, adding=True)
    up = subcommand(msub, "update", update, "move a meeting or change its time, venue or notes")
    up.add_argument("id", type=int, help="the id shown by 'meetings list'")
    _details(up, adding=False)
    up.add_argument("--version", type=int, help="the version you read (refused if it has changed since)")
    cp = subcommand(msub, "cancel", cancel, "take a meeting off the calendar (refused once documents were built)")
    cp.add_argument("id", type=int, help="the id shown by 'meetings list'")
    cp.add_argument("--version", type=int, help="the version you read (refused if it has changed since)")
