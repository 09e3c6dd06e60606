"""``rpdesk-cli priorities adopt|list|assess``, ``expected set|compare|list`` and ``confidence``."""

from __future__ import annotations

import argparse
from dataclasses import asdict
from typing import Any

from rpdesk.cli.common import WARD_HELP, add_format_option, emit, open_db, parse_day, settings_of, subcommand
from rpdesk.cli.signals_cmd import add_scope_options, ranking_from_args
from rpdesk.errors import UserError


def _pairs(values: list[str] | None, option: str) -> dict[str, str]:
    """``CODE=TEXT`` options as a dict, or UserError for one without '='."""
    out = {}
    for value in values or []:
        code, sep, text = value.partition("=")
        if not sep or not code.strip():
            raise UserError(f'{option} takes CODE=TEXT, e.g. {option} litter="Raised at three PACT meetings".')
        out[code.strip()] = text
    return out


def _issues(values: list[str] | None) -> list[str]:
    return [c.strip() for v in values or [] for c in v.split(",") if c.strip()]


# --- priorities ----------------------------------------------------------------------------------


def adopt(args: argparse.Namespace) -> int:
    from rpdesk.services.priorities import adopt_priorities

    db = open_db(args)
    with db.session() as s:
        ranking = None if args.snapshot is not None else ranking_from_args(s, args)
        result = adopt_priorities(
            s,
            args.ward,
            _issues(args.issue),
            ranking=ranking,
            snapshot_id=args.snapshot,
            justifications=_pairs(args.justify, "--justify"),
            passed_over=_pairs(args.pass_over, "--pass-over"),
            wording=_pairs(args.wording, "--wording"),
            public_reasons=_pairs(args.public_reason, "--public-reason"),
            period_start=args.period_start,
            period_end=args.period_end,
        )
    print(
        f"adopted {len(result.adopted)} priorit{'y' if len(result.adopted) == 1 else 'ies'} "
        f"from snapshot {result.snapshot_id} (evidence top {result.top_n})"
    )
    for p in result.adopted:
        why = f" – departure from the evidence: {p.justification}" if p.departure else ""
        print(f"  {p.issue} (evidence rank {p.evidence_rank}){why}")
    for passed in result.passed_over:
        print(f"  passed over {passed.issue} (evidence rank {passed.evidence_rank}): {passed.justification}")
    if result.closed:
        print(f"  closed: {', '.join(result.closed)}")
    return 0


def list_(args: argparse.Namespace) -> int:
    from rpdesk.services.priorities import list_passed_over, list_priorities

    db = open_db(args)
    with db.session() as s:
        rows = [
            asdict(p)
            for p in list_priorities(s, args.ward, include_closed=args.all, top_n=settings_of(args).priorities_top_n)
        ]
        passed = [asdict(p) for p in list_passed_over(s, args.ward)] if args.passed_over else []
    if args.passed_over:
        columns = ("issue", "evidence_rank", "decided_on", "decided_by", "justification")
        emit(passed, args.format, columns, marking=settings_of(args).marking_restricted)  # may hold intelligence
    else:
        emit(
            rows,
            args.format,
            (
                "id",
                "issue",
                "evidence_rank",
                "departure",
                "status",
                "adopted_on",
                "wording",
                "justification",
                "public_reason",
            ),
            marking=settings_of(args).marking_restricted,
        )
    return 0


def _flat_assessment(a: Any) -> dict[str, Any]:
    keys = ("issue", "adopted_on", "first_adopted_on", "baseline_round", "latest_round", "rounds_since", "verdict")
    row = {k: getattr(a, k) for k in keys}
    row["caveat"] = a.caveat
    for name in ("prevalence", "effect"):
        change = getattr(a, name)
        for key in ("before", "after", "change", "p_value", "beyond_chance"):
            row[f"{name}_{key}"] = getattr(change, key) if change else None
    row["explanation"] = a.explanation
    return row


def assess(args: argparse.Namespace) -> int:
    from rpdesk.services.assessment import assess_priorities

    db = open_db(args)
    with db.session() as s:
        rows = [_flat_assessment(a) for a in assess_priorities(s, args.ward, include_closed=args.all)]
    if args.format != "table":
        emit(rows, args.format)
        return 0
    from rpdesk.domain.stats import format_p

    for row in rows:
        p_value = row["prevalence_p_value"]
        row["test"] = "" if p_value is None else format_p(p_value)
    columns = (
        "issue",
        "first_adopted_on",
        "baseline_round",
        "latest_round",
        "prevalence_before",
        "prevalence_after",
        "test",
        "verdict",
    )
    emit(rows, args.format, columns)
    for row in rows:
        if row["caveat"]:
            print(f"{row['issue']}: {row['caveat']}")
    return 0


def _register_priorities(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("priorities", help="adopt ward priorities from the evidence, list and assess them")
    psub = p.add_subparsers(dest="priorities_command", metavar="ACTION", required=True)
    ap = subcommand(psub, "adopt", adopt, "adopt priorities from a ranking (justify any departure from the evidence)")
    add_scope_options(ap)
    ap.add_argument("--snapshot", type=int, metavar="ID", help="adopt from a saved snapshot instead of ranking now")
    ap.add_argument("--issue", action="append", required=True, metavar="CODE[,CODE...]", help="issues to adopt")
    ap.add_argument("--justify", action="append", metavar="CODE=TEXT", help="why an issue outside the top N")
    ap.add_argument("--pass-over", action="append", metavar="CODE=TEXT", help="why a top-N issue is not adopted")
    ap.set_defaults(field_options={"justifications": "--justify {key}=...", "passed_over": "--pass-over {key}=..."})
    ap.add_argument("--wording", action="append", metavar="CODE=TEXT", help="the priority as the panel worded it")
    ap.add_argument(
        "--public-reason",
        action="append",
        metavar="CODE=TEXT",
        help="for an issue outside the top N: the reason the public briefing gives (the justification stays internal)",
    )
    ap.add_argument("--period-start", type=parse_day, metavar="DATE", help="first day the priorities cover")
    ap.add_argument("--period-end", type=parse_day, metavar="DATE", help="last day the priorities cover")
    lp = subcommand(psub, "list", list_, "list the ward's priorities and their justifications")
    lp.add_argument("--ward", required=True, metavar="CODE", help=WARD_HELP)
    lp.add_argument("--all", action="store_true", help="closed ones too")
    lp.add_argument("--passed-over", action="store_true", help="list the passed-over signals instead")
    add_format_option(lp)
    sp = subcommand(psub, "assess", assess, "did it work? prevalence and effect before adoption and now")
    sp.add_argument("--ward", required=True, metavar="CODE", help=WARD_HELP)
    sp.add_argument("--all", action="store_true", help="closed priorities too")
    add_format_option(sp)


# --- expected signals -------------------------------------------------------------------------


def expected_set(args: argparse.Namespace) -> int:
    from rpdesk.services.expectations import set_expected

    db = open_db(args)
    with db.session() as s:
        info = set_expected(
            s, args.ward, _issues(args.issue), period_start=args.start, period_end=args.end, note=args.note
        )
    print(f"recorded expected signals {', '.join(info.issues)} for ward {info.ward_code} (set {info.id})")
    return 0


def expected_compare(args: argparse.Namespace) -> int:
    from rpdesk.services.expectations import compare_expected, keep_comparison

    db = open_db(args)
    with db.session() as s:
        command = keep_comparison if args.keep else compare_expected
        result = command(s, args.ward, ranking_from_args(s, args), set_id=args.set)
    if args.format == "table":
        print(result.summary)
    rows = [asdict(r) for r in result.rows]
    if args.format == "json":
        emit([{k: v for k, v in asdict(result).items()}], "json")
    else:
        emit(rows, args.format, ("evidence_rank", "issue", "expected_position"))
    return 0


def expected_list(args: argparse.Namespace) -> int:
    from rpdesk.services.expectations import list_expected

    db = open_db(args)
    with db.session() as s:
        rows = [asdict(x) for x in list_expected(s, args.ward)]
    emit(rows, args.format)
    return 0


def _register_expected(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("expected", help="the assumption check: record expected signals, compare with evidence")
    esub = p.add_subparsers(dest="expected_command", metavar="ACTION", required=True)
    sp = subcommand(esub, "set", expected_set, "record the signals the team expects, before seeing the ranking")
    sp.add_argument("--ward", required=True, metavar="CODE", help=WARD_HELP)
    sp.add_argument("--issue", action="append", required=True, metavar="CODE[,CODE...]", help="most important first")
    sp.add_argument(
        "--from", dest="start", type=parse_day, required=True, metavar="DATE", help="first day of the period"
    )
    sp.add_argument("--to", dest="end", type=parse_day, required=True, metavar="DATE", help="last day")
    sp.add_argument("--note", help="who expected what, and why")
    cp = subcommand(esub, "compare", expected_compare, "overlap and rank correlation with the evidence")
    add_scope_options(cp)
    cp.add_argument("--set", type=int, metavar="ID", help="which expected set (default: the latest)")
    cp.add_argument("--keep", action="store_true", help="keep the figures with the expected set ('expected list')")
    add_format_option(cp)
    lp = subcommand(esub, "list", expected_list, "the ward's expected sets and their kept comparisons")
    lp.add_argument("--ward", required=True, metavar="CODE", help=WARD_HELP)
    add_format_option(lp)


# --- confidence -----------------------------------------------------------------------------------


def confidence(args: argparse.Namespace) -> int:
    import json

    from rpdesk.domain.values import plain
    from rpdesk.services.confidence import confidence_by_round, reassurance_gap

    db = open_db(args)
    with db.session() as s:
        rounds = confidence_by_round(s, args.ward)
        gap = reassurance_gap(s, args.ward)
    rows = []
    for r in rounds:
        row: dict[str, Any] = {
            "round": r.round_name,
            "method": r.method,
            "start": r.period_start,
            "end": r.period_end,
            "respondents": r.respondents,
            "recorded": r.recorded,
            "months": r.recorded_months,
        }
        for item in r.items:
            row[f"{item.item}_favourable"] = item.favourable
            row[f"{item.item}_low"] = item.favourable_low
            row[f"{item.item}_high"] = item.favourable_high
        change = r.good_job_change
        row["good_job_compared_with"] = r.compared_with
        row["good_job_p"] = change.p_value if change else None
        rows.append(row)
    if args.format == "json":
        body = {"rounds": [{k: plain(v) for k, v in row.items()} for row in rows], "reassurance_gap": gap.as_dict()}
        print(json.dumps(body, indent=2, default=str))
        return 0
    emit(rows, args.format)
    if args.format == "table":
        print()
        print(gap.headline)
    return 0


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    _register_priorities(sub)
    _register_expected(sub)
    cp = subcommand(sub, "confidence", confidence, "confidence per survey round beside recorded crime (the gap)")
    cp.epilog = (
        "JSON is an object: 'rounds' (one per survey round) and 'reassurance_gap' (claimed only when recorded crime "
        "fell beyond chance over 12 months against the same months a year before, and confidence did not rise "
        "beyond chance between rounds of the same method)."
    )
    cp.add_argument("--ward", required=True, metavar="CODE", help=WARD_HELP)
    add_format_option(cp)
