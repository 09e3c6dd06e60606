"""``rpdesk-cli status``: a ward's headline figures as at a date, the same the dashboard and the pack give."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys

from rpdesk.cli.common import open_db, parse_day, settings_of, subcommand


def status(args: argparse.Namespace) -> int:
    from rpdesk.services.dashboard import ward_status

    db = open_db(args)
    try:
        with db.session() as s:
            figures = ward_status(s, args.ward, args.as_at or dt.date.today(), settings_of(args))
    finally:
        db.dispose()
    data = figures.as_dict()
    if args.format == "json":
        json.dump(data, sys.stdout, indent=2)
        sys.stdout.write("\n")
        return 0
    out = sys.stdout
    out.write(f"{data['ward_name']} ({data['ward']}), as at {figures.as_at.date:%d/%m/%Y}\n")
    out.write(f"Period: {data['period']}\n")
    out.write(f"Ranking: {data['ranking']}; {data['crime_held']}\n")
    out.write(
        f"Actions: {data['open_actions']} open, {data['overdue_actions']} {data['overdue_label'].lower()}, "
        f"{data['due_soon_actions']} due soon\n"
    )
    for r in data["ranks"][:5]:
        out.write(f"  {r['rank']:>2}. {r['label']}\n")
    for row in data["activity"]:
        figures_text = " / ".join(
            "–" if v is None else f"{v:,.0f}" for v in (row["this_period"], row["previous_period"])
        )
        out.write(f"{row['measure']}: {figures_text} (this period / previous)\n")
        if row["note"]:
            out.write(f"  {row['note']}\n")
    return 0


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = subcommand(
        sub,
        "status",
        status,
        "a ward's figures as at a date: period, overdue actions, ranks, activity and recorded crime",
    )
    p.add_argument("--ward", required=True, metavar="CODE", help="ONS ward code")
    p.add_argument("--as-at", type=parse_day, metavar="DATE", help="the date the figures are as at (default: today)")
    p.add_argument("--format", choices=("table", "json"), default="table", help="output format (default: table)")
