"""``rpdesk-cli abstractions ...``, ``rpdesk-cli officers ...`` and ``rpdesk-cli import duty FILE``.

Ring-fence figures are shares from 0 to 1 in CSV and JSON (``ring_fence``), percentages in tables.
"""

from __future__ import annotations

import argparse
import datetime as dt
from dataclasses import asdict
from typing import Any

from rpdesk.cli.common import (
    COLLAR_HELP,
    DAY_HELP,
    WARD_HELP,
    add_format_option,
    add_recipient_option,
    emit,
    open_db,
    parse_day,
    settings_of,
    share_arg,
    subcommand,
    terminal_progress,
)

SUMMARY_COLUMNS = {
    "officer": (
        "officer",
        "officer_name",
        "ward",
        "team",
        "rostered_hours",
        "abstracted_hours",
        "ward_hours",
        "ring_fence",
        "below_target",
    ),
    "ward": (
        "ward",
        "ward_name",
        "team",
        "rostered_hours",
        "abstracted_hours",
        "ward_hours",
        "ring_fence",
        "below_target",
    ),
    "team": ("team", "rostered_hours", "abstracted_hours", "ward_hours", "ring_fence", "below_target"),
    "reason": ("reason", "label", "hours", "share_of_rostered"),
}
#: JSON rows carry these too, so a script always finds officer and ward (None on grouped rows).
JSON_EXTRA = ("officer", "officer_name", "ward", "ward_name", "team", "ring_fenced", "by_reason")


def parse_month_arg(text: str) -> dt.date:
    from rpdesk.importers.reading import CellError, parse_month

    try:
        return parse_month(text.strip())
    except CellError as exc:
        raise argparse.ArgumentTypeError(f"{text!r}: expected {exc}") from None


def _percent(value: Any) -> Any:
    return f"{value * 100:.1f}%" if isinstance(value, float) else value


def _for_table(rows: list[dict[str, Any]], keys: tuple[str, ...]) -> list[dict[str, Any]]:
    return [{k: (_percent(v) if k in keys else v) for k, v in r.items()} for r in rows]


def _marking(args: argparse.Namespace) -> str:
    """The restricted marking: officers' names, collar numbers and time are not for release."""
    return settings_of(args).marking_restricted


def _emit_figures(rows: list[dict[str, Any]], fmt: str, columns: tuple[str, ...], *, marking: str) -> None:
    if fmt == "json":
        emit(rows, fmt, list(dict.fromkeys((*columns, *(c for c in JSON_EXTRA if rows and c in rows[0])))))
    elif fmt == "table":
        emit(_for_table(rows, ("ring_fence", "share_of_rostered")), fmt, columns)
    else:
        emit(rows, fmt, columns, marking=marking)


def _period_said(start: dt.date | None, end: dt.date | None) -> tuple[dt.date, dt.date]:
    """The figures' period with the defaults filled in; when a default was used, say which period (stderr)."""
    import sys

    from rpdesk.services.abstractions import default_period

    filled = default_period(start, end)
    if start is None or end is None:
        print(f"ring-fence figures from {filled[0]} to {filled[1]} (--from/--to for another period)", file=sys.stderr)
    return filled


def _target(args: argparse.Namespace) -> float:
    """``--target`` when given, else the force's ring-fence target setting."""
    return args.target if args.target is not None else settings_of(args).ring_fence_target


def summary(args: argparse.Namespace) -> int:
    from rpdesk.services import abstractions

    args.start, args.end = _period_said(args.start, args.end)
    db = open_db(args)
    with db.session() as s:
        if args.by == "reason":
            reasons = abstractions.by_reason(s, ward=args.ward, officer=args.officer, start=args.start, end=args.end)
            _emit_figures([asdict(r) for r in reasons], args.format, SUMMARY_COLUMNS["reason"], marking=_marking(args))
            return 0
        result = abstractions.summary(
            s, ward=args.ward, officer=args.officer, start=args.start, end=args.end, by=args.by, target=_target(args)
        )
    rows = [r.as_dict() for r in result.rows]
    if args.format == "table" and rows:
        total = result.total.as_dict() | {"officer": "TOTAL", "team": "TOTAL" if args.by == "team" else None}
        if args.by == "ward":
            total["ward"] = "TOTAL"
        rows.append(total)
    _emit_figures(rows, args.format, SUMMARY_COLUMNS[args.by], marking=_marking(args))
    return 0


def supervisor(args: argparse.Namespace) -> int:
    from rpdesk.domain.ringfence import month_bounds
    from rpdesk.services import abstractions

    start, end = month_bounds(args.month) if args.month else _period_said(args.start, args.end)
    db = open_db(args)
    with db.session() as s:
        view = abstractions.supervisor_view(s, start, end, target=_target(args))
    rows: list[dict[str, Any]] = []
    for ward in view.wards:
        trend = (
            _trend_text(ward.trend)
            if args.format == "table"
            else [{"month": f"{m.month:%Y-%m}", "ring_fence": m.figure.share} for m in ward.trend]
        )
        rows.append(
            ward.ward.as_dict()
            | {
                "officers_below": ward.officers_below,
                "officer": None,
                "months_below": ward.months_below(view.target),
                "trend_12_months": trend,
            }
        )
        if not args.wards_only:
            rows.extend(o.as_dict() | {"officers_below": None} for o in ward.officers)
    columns = ("ward", "ward_name", "officer", "officer_name", "rostered_hours", "abstracted_hours", "ring_fence")
    _emit_figures(
        rows,
        args.format,
        (*columns, "below_target", "officers_below", "months_below", "trend_12_months"),
        marking=_marking(args),
    )
    return 0


def _trend_text(trend: Any) -> str:
    """ "Nov:89 Dec:85 …": a ward's ring-fence % per month, oldest first (– for a month with no duty)."""
    return " ".join(f"{m.month:%b}:{'–' if m.figure.share is None else f'{m.figure.share * 100:.0f}'}" for m in trend)


def weekly(args: argparse.Namespace) -> int:
    from rpdesk.services import abstractions

    db = open_db(args)
    with db.session() as s:
        series = abstractions.weekly(s, ward=args.ward, officer=args.officer, start=args.start, end=args.end)
    rows = [
        {
            "week_start": w.week_start,
            "rostered_hours": w.figure.rostered_hours,
            "abstracted_hours": w.figure.abstracted_hours,
            "ring_fence": w.figure.share,
        }
        for w in series
    ]
    _emit_figures(
        rows, args.format, ("week_start", "rostered_hours", "abstracted_hours", "ring_fence"), marking=_marking(args)
    )
    return 0


def monthly_return(args: argparse.Namespace) -> int:
    from rpdesk.outputs import guard_output
    from rpdesk.services import abstractions

    settings = settings_of(args)
    marking = settings.marking_restricted
    db = open_db(args)
    out = guard_output(args.out, force=args.force, protect=[db.file] if db.file else [])
    with db.session() as s:
        n = abstractions.write_monthly_return(
            s, args.month, out, marking=marking, target=settings.ring_fence_target, recipient=args.recipient
        )
    print(f"wrote {n} row(s) (a line per ward and per officer) for {args.month:%Y-%m} to {args.out}, marked {marking}")
    return 0


def record(args: argparse.Namespace) -> int:
    from rpdesk.services import duty_records

    db = open_db(args)
    with db.session() as s:
        info = duty_records.record_abstraction(
            s,
            args.officer,
            args.date,
            args.hours,
            args.reason,
            authorised_by=args.authorised_by,
            note=args.note,
            ward=args.ward,
            rostered_hours=args.rostered_hours,
        )
    print(f"recorded {info.hours:g} h of {info.reason} for {info.officer} on {info.date} in {info.ward}")
    return 0


def duty(args: argparse.Namespace) -> int:
    from rpdesk.services import duty_records

    db = open_db(args)
    with db.session() as s:
        info = duty_records.record_duty(
            s, args.officer, args.ward, args.date, args.rostered_hours, absence=args.absence, settings=settings_of(args)
        )
    what = info.absence or f"{info.rostered_hours:g} h rostered"
    print(f"recorded {info.officer} on {info.date} in {info.ward}: {what}")
    return 0


def _abstraction_version(session: Any, args: argparse.Namespace) -> int:
    from rpdesk.db.models import Abstraction
    from rpdesk.errors import UserError

    row = session.get(Abstraction, args.id)
    if row is None:
        raise UserError(f"There is no abstraction with id {args.id}. 'rpdesk-cli abstractions list' shows the ids.")
    return int(args.version if args.version is not None else row.version)


def correct(args: argparse.Namespace) -> int:
    from rpdesk.errors import UserError
    from rpdesk.services import duty_records

    changes = {
        k: getattr(args, k) for k in ("hours", "reason", "authorised_by", "note") if getattr(args, k) is not None
    }
    if not changes:
        raise UserError("Nothing to change: give --hours, --reason, --authorised-by or --note.")
    db = open_db(args)
    with db.session() as s:
        info = duty_records.update_abstraction(s, args.id, _abstraction_version(s, args), changes)
    print(f"abstraction {info.id}: {info.hours:g} h of {info.reason} for {info.officer} on {info.date}")
    return 0


def remove(args: argparse.Namespace) -> int:
    from rpdesk.services import duty_records

    db = open_db(args)
    with db.session() as s:
        version = _abstraction_version(s, args)
        duty_records.delete_abstraction(s, args.id, version, with_duty_day=args.with_duty_day)
    print(f"deleted abstraction {args.id}" + (" and its duty day" if args.with_duty_day else ""))
    return 0


#: ``abstractions list`` without --from shows this many days back from --to (about a year): recent records, not all.
LIST_DAYS = 365


def list_(args: argparse.Namespace) -> int:
    import sys

    from rpdesk.services import duty_records

    end = args.end or dt.date.today()
    start = args.start or end - dt.timedelta(days=LIST_DAYS - 1)
    if args.start is None or args.end is None:
        print(f"abstractions from {start} to {end} (--from/--to for another period)", file=sys.stderr)
    db = open_db(args)
    with db.session() as s:
        rows = [
            asdict(a)
            for a in duty_records.list_abstractions(s, ward=args.ward, officer=args.officer, start=start, end=end)
        ]
    emit(
        rows,
        args.format,
        ("id", "date", "officer", "ward", "hours", "reason", "authorised_by", "note"),
        marking=_marking(args),
    )
    return 0


def import_duty(args: argparse.Namespace) -> int:
    from rpdesk.services import duty_records

    db = open_db(args)
    with terminal_progress("Importing roster") as progress, db.session() as s:
        result = duty_records.import_duty(
            s, args.file, replace=args.replace, progress=progress, settings=settings_of(args)
        )
    replaced = f", replacing {result.replaced} earlier day(s)" if result.replaced else ""
    print(
        f"imported {result.file}: {result.days} officer-day(s) in {', '.join(result.wards)}, "
        f"{result.abstractions} abstraction(s), {result.absences} absence(s){replaced}"
    )
    return 0


# --- officers ----------------------------------------------------------------------------------


def officers_list(args: argparse.Namespace) -> int:
    from rpdesk.services import officers

    db = open_db(args)
    with db.session() as s:
        found = officers.list_officers(s, ward=args.ward, on=args.on)
    day = args.on or dt.date.today()
    rows = []
    for o in found:
        posting = o.posting_on(day)
        rows.append(asdict(o) | {"ward": posting.ward if posting else None, "team": posting.team if posting else None})
    emit(
        rows,
        args.format,
        ("collar", "name", "role", "ring_fenced", "ward", "team", "email", "phone"),
        marking=_marking(args),
    )
    return 0


def officers_add(args: argparse.Namespace) -> int:
    from rpdesk.services import officers

    db = open_db(args)
    with db.session() as s:
        info = officers.add_officer(
            s,
            args.collar,
            args.name,
            args.role,
            ring_fenced=not args.not_ring_fenced,
            email=args.email,
            phone=args.phone,
            ward=args.ward,
            team=args.team,
            start=args.start,
            settings=settings_of(args),
        )
    print(f"added officer {info.collar} {info.name}")
    return 0


def officers_update(args: argparse.Namespace) -> int:
    from rpdesk.errors import UserError
    from rpdesk.services import officers

    given = {
        key: getattr(args, key)
        for key in ("name", "role", "ring_fenced", "email", "phone")
        if getattr(args, key) is not None
    }
    if not given:
        raise UserError("Nothing to change: give --name, --role, --ring-fenced/--not-ring-fenced, --email or --phone.")
    db = open_db(args)
    with db.session() as s:
        info = officers.update_officer(s, args.collar, args.version, **given, settings=settings_of(args))
    contact = " · ".join(v for v in (info.email, info.phone) if v) or "no official contact"
    print(f"updated officer {info.collar} {info.name} ({info.role}; {contact}); now version {info.version}")
    return 0


def officers_post(args: argparse.Namespace) -> int:
    from rpdesk.services import officers

    db = open_db(args)
    with db.session() as s:
        info = officers.add_posting(s, args.collar, args.ward, args.start, team=args.team, end=args.end)
    print(f"posted {info.officer} to {info.ward} ({info.team or 'no team'}) from {info.start_date}")
    return 0


# --- registration ------------------------------------------------------------------------------


def _period(p: argparse.ArgumentParser) -> None:
    p.add_argument("--from", dest="start", type=parse_day, metavar="DATE", help="first day (default: 1st of the month)")
    p.add_argument("--to", dest="end", type=parse_day, metavar="DATE", help="last day (default: today)")


def _register_figures(asub: Any) -> None:
    p = subcommand(asub, "summary", summary, "ring-fence figures per officer, ward, team or reason, worst first")
    p.add_argument("--ward", metavar="CODE", help="one ward (default: all)")
    p.add_argument("--officer", metavar="COLLAR", help="one officer")
    _period(p)
    p.add_argument(
        "--by", choices=("officer", "ward", "team", "reason"), default="officer", help="one row per (default: officer)"
    )
    p.add_argument(
        "--target", type=share_arg, metavar="PERCENT", help="ring-fence target, e.g. 80%% (default: setting)"
    )
    add_format_option(p)
    p = subcommand(asub, "supervisor", supervisor, "every ward worst first, with officers under target flagged")
    p.add_argument("--month", type=parse_month_arg, metavar="YYYY-MM", help="a calendar month (or --from/--to)")
    _period(p)
    p.add_argument("--wards-only", action="store_true", help="ward rows only, without their officers")
    p.add_argument(
        "--target", type=share_arg, metavar="PERCENT", help="ring-fence target, e.g. 80%% (default: setting)"
    )
    add_format_option(p)
    p = subcommand(asub, "weekly", weekly, "Monday-to-Sunday ring-fence series")
    p.add_argument("--ward", metavar="CODE", help="one ward (default: all)")
    p.add_argument("--officer", metavar="COLLAR", help="one officer (default: all)")
    p.add_argument("--from", dest="start", type=parse_day, metavar="DATE", required=True, help=f"from; {DAY_HELP}")
    p.add_argument("--to", dest="end", type=parse_day, metavar="DATE", required=True, help="last day")
    add_format_option(p)
    p = subcommand(asub, "return", monthly_return, "write the monthly abstraction return (.csv or .xlsx)")
    p.add_argument("--month", type=parse_month_arg, metavar="YYYY-MM", required=True, help="the calendar month")
    p.add_argument("--out", metavar="FILE", required=True, help="FILE.csv or FILE.xlsx")
    p.add_argument("--force", action="store_true", help="replace FILE if it exists (never a database)")
    add_recipient_option(p)


#: The option that sets each field the duty and abstraction rules name (rpdesk.domain.abstraction_rules).
RULE_OPTIONS = {"hours": "--hours", "date": "--date", "rostered_hours": "--rostered-hours"}


def _register_recording(asub: Any) -> None:
    p = subcommand(asub, "record", record, "record hours of an officer-day taken away from ward work")
    p.add_argument("--officer", required=True, metavar="COLLAR", help=COLLAR_HELP)
    p.add_argument("--date", required=True, type=parse_day, metavar="DATE", help=f"the day; {DAY_HELP}")
    p.add_argument("--hours", required=True, type=float, help="hours taken away from ward work")
    p.add_argument("--reason", required=True, help="e.g. response_cover, court, training")
    p.add_argument("--authorised-by", metavar="NAME", help="who authorised it, e.g. 'PS 2040 Grey'")
    p.add_argument("--note", help="why, in a few words")
    p.add_argument("--ward", metavar="CODE", help="with --rostered-hours: creates the day's duty record if missing")
    p.add_argument("--rostered-hours", type=float, metavar="HOURS", help="the day's rostered hours, with --ward")
    p.set_defaults(field_options=RULE_OPTIONS)
    p = subcommand(asub, "duty", duty, "record an officer-day: rostered hours in a ward, or an absence")
    p.add_argument("--officer", required=True, metavar="COLLAR", help=COLLAR_HELP)
    p.add_argument("--ward", required=True, metavar="CODE", help=WARD_HELP)
    p.add_argument("--date", required=True, type=parse_day, metavar="DATE", help=f"the day; {DAY_HELP}")
    p.add_argument(
        "--rostered-hours", required=True, type=float, metavar="HOURS", help="hours rostered (0 when absent)"
    )
    p.set_defaults(field_options=RULE_OPTIONS)
    p.add_argument(
        "--absence",
        help="absent; or annual_leave, sickness, rest_day, other_absence (kept if the absence_detail setting says so)",
    )
    p = subcommand(asub, "correct", correct, "correct an abstraction recorded wrongly")
    p.add_argument("id", type=int, help="the id shown by 'abstractions list'")
    p.add_argument("--hours", type=float, help="the right number of hours")
    p.add_argument("--reason", help="the right reason, e.g. response_cover, court, training")
    p.add_argument("--authorised-by", metavar="NAME", help="who authorised it")
    p.add_argument("--note", help="why, in a few words")
    p.add_argument("--version", type=int, help="the version you read (refused if it has changed since)")
    p = subcommand(asub, "delete", remove, "delete an abstraction recorded in error")
    p.add_argument("id", type=int, help="the id shown by 'abstractions list'")
    p.add_argument("--version", type=int, help="the version you read")
    p.add_argument(
        "--with-duty-day",
        action="store_true",
        help="also remove the duty day it was recorded on (one entered by hand with no other abstraction)",
    )
    p = subcommand(asub, "list", list_, "list abstraction records with their ids (default: the last 12 months)")
    p.add_argument("--ward", metavar="CODE", help="one ward (default: all)")
    p.add_argument("--officer", metavar="COLLAR", help="one officer, by collar number")
    p.add_argument(
        "--from", dest="start", type=parse_day, metavar="DATE", help="first day (default: a year before --to)"
    )
    p.add_argument("--to", dest="end", type=parse_day, metavar="DATE", help="last day (default: today)")
    add_format_option(p)


def _contact_options(p: argparse.ArgumentParser, *, clear: bool = False) -> None:
    blank = " ('' clears it)" if clear else ""
    p.add_argument("--email", metavar="ADDRESS", help=f"official force e-mail (the force e-mail domain setting){blank}")
    p.add_argument("--phone", metavar="NUMBER", help=f"the team's landline or 101; mobiles are refused{blank}")


def _register_officers(sub: Any) -> None:
    p = sub.add_parser("officers", help="list, add, update or post officers")
    osub = p.add_subparsers(dest="officers_command", metavar="ACTION", required=True)
    lp = subcommand(osub, "list", officers_list, "list officers (and where they are posted)")
    lp.add_argument("--ward", metavar="CODE", help="only those posted to this ward")
    lp.add_argument("--on", type=parse_day, metavar="DATE", help="posted on this day (default: today)")
    add_format_option(lp)
    ap = subcommand(osub, "add", officers_add, "add an officer, optionally posted to a ward")
    ap.add_argument("--collar", required=True, help="collar number, e.g. PC101 (unique)")
    ap.add_argument("--name", required=True, help="name as printed on documents, e.g. 'Alex Reed'")
    ap.set_defaults(field_options={"collar": "--collar", "name": "--name"})
    ap.add_argument("--role", required=True, help="PC, PCSO, Sergeant or Special")
    ap.add_argument("--not-ring-fenced", action="store_true", help="not a ward officer")
    _contact_options(ap)
    ap.add_argument("--ward", metavar="CODE", help="post the officer to this ward's team (ONS code)")
    ap.add_argument("--team", help="team name (default: the ward's neighbourhood team)")
    ap.add_argument("--from", dest="start", type=parse_day, metavar="DATE", help="posting start (default: today)")
    up = subcommand(osub, "update", officers_update, "change an officer's name, role, ring-fence or official contact")
    up.add_argument("--collar", required=True, help=COLLAR_HELP)
    up.add_argument("--name", help="name as printed on documents")
    up.add_argument("--role", help="PC, PCSO, Sergeant or Special")
    fence = up.add_mutually_exclusive_group()
    fence.add_argument(
        "--ring-fenced", dest="ring_fenced", action="store_true", default=None, help="a dedicated ward officer"
    )
    fence.add_argument(
        "--not-ring-fenced", dest="ring_fenced", action="store_false", help="not a dedicated ward officer"
    )
    _contact_options(up, clear=True)
    up.add_argument("--version", type=int, help="the version you read (refused if it has changed since)")
    pp = subcommand(osub, "post", officers_post, "post an officer to a ward team")
    pp.add_argument("--collar", required=True, help=COLLAR_HELP)
    pp.add_argument("--ward", required=True, metavar="CODE", help=WARD_HELP)
    pp.add_argument("--team", help="team name (default: the ward's neighbourhood team)")
    pp.add_argument(
        "--from", dest="start", type=parse_day, metavar="DATE", required=True, help=f"first day; {DAY_HELP}"
    )
    pp.add_argument("--to", dest="end", type=parse_day, metavar="DATE", help="last day (default: open-ended)")


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("abstractions", help="duty, abstractions and ring-fence figures")
    asub = p.add_subparsers(dest="abstractions_command", metavar="ACTION", required=True)
    _register_figures(asub)
    _register_recording(asub)
    _register_officers(sub)


def register_import(kinds: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = subcommand(kinds, "duty", import_duty, "a duty roster: one row per officer-day (CSV or XLSX)")
    p.add_argument("file", help="columns: date, officer, ward, rostered_hours, abstracted_hours, reason, ...")
    p.add_argument("--replace", action="store_true", help="replace days already recorded for the same officers")
