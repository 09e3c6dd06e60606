"""``rpdesk-cli import surveys|audits|crimes`` and ``rpdesk-cli signals [snapshot|snapshots]``."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from rpdesk.cli.common import (
    WARD_HELP,
    add_format_option,
    emit,
    open_db,
    parse_day,
    settings_of,
    subcommand,
    terminal_progress,
)
from rpdesk.errors import UserError

TABLE_COLUMNS = (
    "rank",
    "issue",
    "kind",
    "respondents",
    "prevalence",
    "prevalence_low",
    "prevalence_high",
    "effect",
    "eva_per_walk",
    "recorded",
    "year_before",
    "test",
    "flags",
)


def _table_row(row: dict[str, Any]) -> dict[str, Any]:
    """A ranking row as the terminal table shows it: kind and flags in words, "n/a" for no crime type."""
    from rpdesk.domain.ranking import KIND_WORDS
    from rpdesk.domain.stats import format_p

    na = row["recorded"] is None
    return row | {
        "kind": KIND_WORDS.get(row["kind"], row["kind"]),
        "eva_per_walk": "n/a" if row["audit_per_walk"] is None else row["audit_per_walk"],
        "recorded": "n/a" if na else row["recorded"],
        "year_before": "n/a" if na else row["recorded_previous"],
        "test": "" if row["recorded_p"] is None else format_p(row["recorded_p"]),
        "flags": "; ".join(row["flag_text"]),
    }


def add_scope_options(parser: argparse.ArgumentParser, *, ward_required: bool = True) -> None:
    """``--ward CODE [--round NAME | --from DATE --to DATE]``: what a ranking covers."""
    parser.add_argument("--ward", required=ward_required, metavar="CODE", help="ONS ward code")
    parser.add_argument("--round", metavar="NAME", help="a survey round of the ward, e.g. 'Autumn 2026'")
    parser.add_argument("--from", dest="start", type=parse_day, metavar="DATE", help="first day of a period")
    parser.add_argument("--to", dest="end", type=parse_day, metavar="DATE", help="last day of a period")


def ranking_from_args(session: Any, args: argparse.Namespace) -> Any:
    from rpdesk.services.signals import rank_signals

    if args.ward is None:
        raise UserError("Say which ward: --ward CODE ('rpdesk-cli wards list' shows the codes).")
    if args.round is None and args.start is None and args.end is None:
        raise UserError("Say what to rank: --round NAME, or --from DATE --to DATE.")
    return rank_signals(
        session, args.ward, round_name=args.round, start=args.start, end=args.end, settings=settings_of(args)
    )


# --- imports ------------------------------------------------------------------------------------


def _report_import(result: Any) -> int:
    where = f" into round '{result.round_name}'" if result.round_name else ""
    replaced = f", replacing {result.replaced} earlier row(s)" if result.replaced else ""
    print(f"imported {result.rows} row(s) from {result.file_name}{where}{replaced} (batch {result.batch_id})")
    for note in result.notes:
        print(note)
    return 0


def import_surveys(args: argparse.Namespace) -> int:
    from rpdesk.importers.mapping import load_mapping
    from rpdesk.services.imports import import_surveys as run

    mapping = load_mapping(args.mapping) if args.mapping else None
    db = open_db(args)
    with terminal_progress("Importing survey") as progress, db.session() as s:
        result = run(
            s,
            args.file,
            args.ward,
            args.round,
            mapping=mapping,
            method=args.method,
            replace=args.replace,
            accept_dates=args.accept_dates,
            progress=progress,
        )
    return _report_import(result)


def import_audits(args: argparse.Namespace) -> int:
    from rpdesk.importers.mapping import load_mapping
    from rpdesk.services.imports import import_audits as run

    mapping = load_mapping(args.mapping) if args.mapping else None
    db = open_db(args)
    with terminal_progress("Importing EVA") as progress, db.session() as s:
        result = run(s, args.file, args.ward, mapping=mapping, replace=args.replace, progress=progress)
    return _report_import(result)


def import_crimes(args: argparse.Namespace) -> int:
    from rpdesk.services.imports import import_crimes as run

    db = open_db(args)
    with terminal_progress("Importing police.uk") as progress, db.session() as s:
        result = run(s, args.file, args.ward, replace=args.replace, progress=progress)
    return _report_import(result)


def register_import(kinds: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    from rpdesk.domain.vocabulary import SurveyMethod

    earlier = "replace an earlier import of the same file"
    p = subcommand(kinds, "surveys", import_surveys, "survey answers in the canonical layout (CSV or XLSX)")
    p.add_argument("file", help="CSV or XLSX file, one row per respondent")
    p.add_argument("--ward", required=True, metavar="CODE", help="ONS ward code")
    p.add_argument("--round", required=True, metavar="NAME", help="survey round name (created if new)")
    p.add_argument("--mapping", metavar="FILE", help="a saved column mapping for exports with question headers")
    p.add_argument("--method", choices=[m.value for m in SurveyMethod], help="how the answers were gathered")
    p.add_argument("--replace", action="store_true", help=f"{earlier}, and the round's earlier answers")
    p.add_argument(
        "--accept-dates",
        action="store_true",
        help="import dates far from the file's others or from the round as they are (refused otherwise)",
    )
    p = subcommand(kinds, "audits", import_audits, "environmental visual audit (EVA) findings (CSV or XLSX)")
    p.add_argument("file", help="CSV or XLSX file")
    p.add_argument("--ward", required=True, metavar="CODE", help="ONS ward code")
    p.add_argument("--mapping", metavar="FILE", help="a saved column mapping")
    p.add_argument("--replace", action="store_true", help=f"{earlier} (its EVA walks and findings)")
    p = subcommand(kinds, "crimes", import_crimes, "a police.uk street-level crime CSV, as published")
    p.add_argument("file", help="the police.uk CSV, one month (e.g. 2026-09-avon-and-somerset-street.csv)")
    p.add_argument("--ward", required=True, metavar="CODE", help="ONS ward code (its LSOAs select the rows)")
    p.add_argument("--replace", action="store_true", help=f"{earlier} (its police.uk crime rows)")


# --- signals ------------------------------------------------------------------------------------


def _emit_ranking(ranking: Any, fmt: str) -> None:
    from rpdesk.services.signals import SIGNAL_COLUMNS

    rows = ranking.rows()
    if fmt == "table":
        what = f"round '{ranking.round_name}'" if ranking.round_name else "period"
        print(
            f"{ranking.ward_name} ({ranking.ward_code}), {what} {ranking.period_start} to {ranking.period_end}: "
            f"{ranking.respondents} respondent(s); recorded crime {ranking.crime_start:%b %Y} to "
            f"{ranking.crime_end:%b %Y} against the same months a year before; weights {ranking.weights.as_dict()}"
        )
        emit([_table_row(r) for r in rows], fmt, TABLE_COLUMNS)
        return
    emit(rows, fmt, None if fmt == "json" else SIGNAL_COLUMNS)


#: ``signals --all-wards`` as CSV: every ward's signals, each row led by its ward and scope.
FORCE_SCOPE_COLUMNS = ("ward_code", "ward_name", "round_name", "period_start", "period_end")


def all_wards(args: argparse.Namespace) -> int:
    """Every ward the login may read, ranked at once (grouped queries, the same ranking as ward by ward)."""
    from rpdesk.services.force_ranking import SUMMARY_COLUMNS, SWAP_NOTE, rank_every_ward, summary_row
    from rpdesk.services.signals import SIGNAL_COLUMNS

    if args.ward is not None:
        raise UserError("Rank one ward (--ward CODE) or every ward (--all-wards), not both.")
    db = open_db(args)
    with db.session() as s:
        result = rank_every_ward(s, settings=settings_of(args), round_name=args.round, start=args.start, end=args.end)
    if args.format == "json":
        json.dump([r.as_dict() for r in result.rankings], sys.stdout, indent=2)
        sys.stdout.write("\n")
    elif args.format == "csv":
        rows = [{**{c: getattr(r, c) for c in FORCE_SCOPE_COLUMNS}, **row} for r in result.rankings for row in r.rows()]
        emit(rows, "csv", (*FORCE_SCOPE_COLUMNS, *SIGNAL_COLUMNS))
    else:
        rows = [summary_row(r) for r in result.rankings]
        emit(rows, "table", SUMMARY_COLUMNS)
        if any("*" in row["top_signals"] for row in rows):
            print(SWAP_NOTE)
    for code, why in result.unranked:  # on stderr where the output is data, so a CSV or JSON file stays clean
        print(f"not ranked: {code}: {why}", file=sys.stdout if args.format == "table" else sys.stderr)
    return 0


def signals(args: argparse.Namespace) -> int:
    if args.all_wards:
        return all_wards(args)
    db = open_db(args)
    with db.session() as s:
        ranking = ranking_from_args(s, args)
    _emit_ranking(ranking, args.format)
    return 0


def snapshot(args: argparse.Namespace) -> int:
    from rpdesk.services.snapshots import save_snapshot

    db = open_db(args)
    with db.session() as s:
        info = save_snapshot(s, ranking_from_args(s, args), args.name)
    print(f"saved snapshot {info.id} '{info.name}' of ward {info.ward_code} ({info.signals} signals)")
    return 0


def snapshots(args: argparse.Namespace) -> int:
    from dataclasses import asdict

    from rpdesk.services.snapshots import list_snapshots, load_snapshot

    db = open_db(args)
    with db.session() as s:
        if args.show is not None:
            ranking = load_snapshot(s, args.show)
        else:
            emit([asdict(x) for x in list_snapshots(s, args.ward)], args.format)
            return 0
    _emit_ranking(ranking, args.format)
    return 0


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = subcommand(sub, "signals", signals, "rank a ward's signals for a survey round or a period")
    add_scope_options(p, ward_required=False)  # the actions below take their own --ward
    p.add_argument(
        "--all-wards",
        action="store_true",
        help="rank every ward at once: each its current round (the latest begun, of a rankable size), "
        "or the round named by --round, or the period --from/--to",
    )
    add_format_option(p)
    p.epilog = (
        "For one ward, JSON is a list of signals, best first; with --all-wards, a list of rankings (one per "
        "ward, each with its signals) and CSV one row per ward and issue. Residents lead the order: an issue "
        "whose 95% prevalence interval lies wholly above another's always ranks above it; 'contributions' show "
        "how each measure adds to the score that orders the rest; 'recorded' is null when no police.uk crime "
        "type matches the issue."
    )
    actions = p.add_subparsers(dest="signals_command", metavar="ACTION", required=False)
    sp = subcommand(actions, "snapshot", snapshot, "save the ranking as it stands, to reproduce a decision later")
    add_scope_options(sp)
    sp.add_argument("--name", help="a name for the snapshot (default: ward, scope and date)")
    lp = subcommand(actions, "snapshots", snapshots, "list a ward's saved snapshots, or show one")
    lp.add_argument("--ward", required=True, metavar="CODE", help=WARD_HELP)
    lp.add_argument("--show", type=int, metavar="ID", help="print the frozen ranking of snapshot ID")
    add_format_option(lp)
