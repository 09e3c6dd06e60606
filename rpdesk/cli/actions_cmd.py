"""``rpdesk-cli actions list|add|update|close|history|we-did``: the partner actions tracker.

Edits read the action's current version in the same transaction unless ``--version`` is given
(scripts that read an action earlier pass the version they read, so a change made in between is a
conflict, not an overwrite).
"""

from __future__ import annotations

import argparse
from typing import Any

from rpdesk.cli.common import DAY_HELP, WARD_HELP, add_format_option, emit, open_db, parse_day, settings_of, subcommand
from rpdesk.domain.vocabulary import ActionStatus, Epic

LIST_COLUMNS = ("id", "ward", "status", "due_date", "overdue", "due_soon", "owner", "partner", "title")
HISTORY_COLUMNS = ("changed_on", "changed_by", "from_status", "to_status", "note")

#: update option -> ActionInfo field
FIELD_OPTIONS = {
    "title": "title",
    "owner": "owner",
    "partner": "partner",
    "priority": "priority_id",
    "observation": "observation_id",
    "due": "due_date",
    "review": "review_date",
    "epic": "epic",
    "outcome": "outcome",
    "control_signal": "control_signal",
}

#: The option that sets each field an action's rules name (rpdesk.domain.action_rules and action_status).
RULE_OPTIONS = {
    "title": "--title",
    "owner": "--owner",
    "due_date": "--due",
    "review_date": "--review",
    "control_signal": "--control-signal",
    "status": "--status",
    "note": "--note",
    "outcome": "--outcome",
}


def _marking(args: argparse.Namespace) -> str:
    """Actions name owners and carry notes: their CSV is marked like every export."""
    return settings_of(args).marking_restricted


def _check_ward(info: Any, ward: str | None) -> None:
    from rpdesk.errors import UserError

    if ward and info.ward.upper() != ward.strip().upper():
        raise UserError(f"Action {info.id} belongs to ward {info.ward}, not {ward.upper()}.")


def _version(session: Any, args: argparse.Namespace) -> int:
    from rpdesk.services import actions

    info = actions.get_action(session, args.id)
    _check_ward(info, args.ward)
    return int(args.version if args.version is not None else info.version)


def list_(args: argparse.Namespace) -> int:
    from rpdesk.services import actions

    db = open_db(args)
    with db.session() as s:
        found = actions.list_actions(
            s,
            ward=args.ward,
            statuses=args.status,
            overdue=args.overdue,
            due_soon=args.due_soon,
            active=args.active,
            public=True if args.public else None,
            today=args.today,
            due_soon_days=settings_of(args).due_soon_days,
        )
    rows = [a.as_dict() for a in found]
    emit(rows, args.format, None if args.format == "json" else LIST_COLUMNS, marking=_marking(args))
    return 0


def add(args: argparse.Namespace) -> int:
    from rpdesk.services import actions

    db = open_db(args)
    with db.session() as s:
        info = actions.add_action(
            s,
            args.ward,
            args.title,
            args.owner,
            partner=args.partner,
            priority_id=args.priority,
            observation_id=args.observation,
            due_date=args.due,
            review_date=args.review,
            epic=args.epic,
            control_signal=args.control_signal,
            public=args.public,
            created_on=args.today,
        )
    print(f"added action {info.id} in {info.ward}: {info.title}")
    return 0


def update(args: argparse.Namespace) -> int:
    from rpdesk.errors import UserError
    from rpdesk.services import actions

    changes: dict[str, Any] = {
        field: getattr(args, opt) for opt, field in FIELD_OPTIONS.items() if getattr(args, opt) is not None
    }
    if args.public is not None:
        changes["public"] = args.public == "yes"
    if args.status is not None:
        changes["status"] = args.status
    if not changes:
        raise UserError("Nothing to change: give at least one of --status, --title, --owner, --due, ...")
    db = open_db(args)
    with db.session() as s:
        info = actions.update_action(s, args.id, _version(s, args), changes, note=args.note, today=args.today)
    print(f"updated action {info.id}: {info.status_label.lower()}, version {info.version}")
    return 0


def close(args: argparse.Namespace) -> int:
    from rpdesk.services import actions

    db = open_db(args)
    with db.session() as s:
        info = actions.close_action(s, args.id, _version(s, args), args.outcome, note=args.note, today=args.today)
    print(f"closed action {info.id} on {info.completed_on}: {info.outcome}")
    return 0


def history(args: argparse.Namespace) -> int:
    from dataclasses import asdict

    from rpdesk.services import actions

    db = open_db(args)
    with db.session() as s:
        actions.get_action(s, args.id)
        rows = [asdict(h) for h in actions.action_history(s, args.id)]
    emit(rows, args.format, HISTORY_COLUMNS, marking=_marking(args))
    return 0


def we_did(args: argparse.Namespace) -> int:
    from rpdesk.services import actions

    db = open_db(args)
    with db.session() as s:
        done = actions.completed_since_last_meeting(
            s, args.ward, today=args.today, public_only=args.public, due_soon_days=settings_of(args).due_soon_days
        )
    rows = [a.as_dict() for a in done.actions]
    emit(
        rows,
        args.format,
        None if args.format == "json" else ("id", "completed_on", "title", "outcome", "control_signal"),
    )
    return 0


def _edit_options(p: argparse.ArgumentParser, *, adding: bool) -> None:
    p.add_argument("--title", required=adding, help="what will be done")
    p.add_argument("--owner", required=adding, help="who will see it done")
    p.add_argument("--partner", help="partner agency name (added if new)")
    p.add_argument("--priority", type=int, metavar="ID", help="the ward priority it serves")
    p.add_argument("--observation", type=int, metavar="ID", help="the EVA observation it answers")
    p.add_argument("--due", type=parse_day, metavar="DATE", help=f"when it should be done; {DAY_HELP}")
    p.add_argument("--review", type=parse_day, metavar="DATE", help="when to look at it again")
    p.add_argument("--epic", choices=[e.value for e in Epic], help="the kind of work (EPIC: engage, prevent, ...)")
    p.add_argument("--control-signal", metavar="TEXT", help="what residents should see")
    p.set_defaults(field_options=RULE_OPTIONS)


def _today(p: argparse.ArgumentParser) -> None:
    p.add_argument("--today", type=parse_day, metavar="DATE", help=argparse.SUPPRESS)


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("actions", help="partner actions: list, add, update, close")
    asub = p.add_subparsers(dest="actions_command", metavar="ACTION", required=True)
    statuses = [s.value for s in ActionStatus]

    lp = subcommand(asub, "list", list_, "list actions, overdue first")
    lp.add_argument("--ward", metavar="CODE", help="one ward (default: all)")
    lp.add_argument("--overdue", action="store_true", help="only active actions past their due date")
    lp.add_argument("--due-soon", action="store_true", help="only active actions due within the due-soon days")
    lp.add_argument("--active", action="store_true", help="only open, in progress or blocked")
    lp.add_argument("--status", action="append", choices=statuses, help="only this status (repeatable)")
    lp.add_argument("--public", action="store_true", help="only those flagged for community briefings")
    _today(lp)
    add_format_option(lp)

    ap = subcommand(asub, "add", add, "add an open action to a ward")
    ap.add_argument("--ward", required=True, metavar="CODE", help=WARD_HELP)
    _edit_options(ap, adding=True)
    ap.add_argument("--public", action="store_true", help="may appear in community briefings (needs --control-signal)")
    _today(ap)

    up = subcommand(asub, "update", update, "change an action's fields or status")
    up.add_argument("id", type=int, help="the id shown by 'actions list'")
    up.add_argument("--ward", metavar="CODE", help="check the action is in this ward")
    _edit_options(up, adding=False)
    up.add_argument("--outcome", help="what was done")
    up.add_argument("--public", choices=("yes", "no"), help="whether it may appear in community briefings")
    up.add_argument("--status", choices=statuses, help="the new status (blocked, cancelled and reopening need --note)")
    up.add_argument("--note", help="why (needed to block, cancel or reopen)")
    up.add_argument("--version", type=int, help="the version you read (refused if it has changed since)")
    _today(up)

    cp = subcommand(asub, "close", close, "mark an action done, with its outcome")
    cp.add_argument("id", type=int, help="the id shown by 'actions list'")
    cp.add_argument("--ward", metavar="CODE", help="check the action is in this ward")
    cp.add_argument("--outcome", required=True, help="what was done (residents may read it)")
    cp.add_argument("--note", help="anything to add for the status history")
    cp.add_argument("--version", type=int, help="the version you read")
    cp.set_defaults(field_options=RULE_OPTIONS)
    _today(cp)

    hp = subcommand(asub, "history", history, "an action's status history")
    hp.add_argument("id", type=int, help="the id shown by 'actions list'")
    add_format_option(hp)

    wp = subcommand(asub, "we-did", we_did, "actions done since the ward's last meeting")
    wp.add_argument("--ward", required=True, metavar="CODE", help=WARD_HELP)
    wp.add_argument("--public", action="store_true", help="only those flagged public")
    _today(wp)
    add_format_option(wp)
