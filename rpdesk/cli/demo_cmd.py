"""``rpdesk-cli demo``: build deterministic demo wards."""

from __future__ import annotations

import argparse
import time

from rpdesk.cli.common import add_encrypt_option, open_db, parse_day, subcommand, terminal_progress


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


def demo(args: argparse.Namespace) -> int:
    from rpdesk.demo import build_demo

    db = open_db(args, create=True)
    started = time.perf_counter()
    with terminal_progress("Building demo wards") as progress:
        summary = build_demo(
            db, wards=args.wards, years=args.years, seed=args.seed, today=args.today, progress=progress
        )
    db.dispose()
    print(
        f"demo wards written to {db.label}: {summary.wards} ward(s), {summary.respondents} respondents, "
        f"{summary.observations} EVA findings, {summary.crimes} crime rows, {summary.duty_records} duty records, "
        f"{summary.abstractions} abstractions, {summary.actions} actions in {time.perf_counter() - started:.1f} s"
    )
    return 0


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = subcommand(sub, "demo", demo, "add deterministic demo wards (for trying rpdesk, tests and benchmarks)")
    p.add_argument("--wards", type=_positive, default=3, help="how many wards (default 3)")
    p.add_argument("--years", type=_positive, default=3, help="years of history (default 3)")
    p.add_argument("--seed", type=int, default=1, help="random seed: the same seed gives the same data")
    p.add_argument("--today", type=parse_day, metavar="DATE", help="last day of the history (default: today)")
    add_encrypt_option(p)
    p.set_defaults(encrypt=False)  # fictional wards: a new demo file is plain, even in portable mode, unless --encrypt
