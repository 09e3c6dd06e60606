"""``rpdesk-cli wards list|add|boundary``."""

from __future__ import annotations

import argparse
from dataclasses import asdict

from rpdesk.cli.common import add_format_option, emit, open_db, subcommand
from rpdesk.services import wards

COLUMNS = ("code", "name", "neighbourhood", "language", "lsoas")


def list_(args: argparse.Namespace) -> int:
    db = open_db(args)
    with db.session() as s:
        rows = [asdict(w) for w in wards.list_wards(s)]
    emit(rows, args.format, COLUMNS)
    return 0


def add(args: argparse.Namespace) -> int:
    db = open_db(args)
    lsoas = [x for x in (args.lsoa or []) for x in x.split(",") if x.strip()]
    with db.session() as s:
        info = wards.add_ward(
            s, args.code, args.name, neighbourhood=args.neighbourhood, lsoas=lsoas, language=args.language
        )
    print(f"added ward {info.code} {info.name}")
    return 0


def boundary(args: argparse.Namespace) -> int:
    from rpdesk.services.geography import import_boundary

    db = open_db(args)
    with db.session() as s:
        result = import_boundary(s, args.ward, args.file)
    what = "ward boundary" if result.kind == "ward" else f"{len(result.codes)} LSOA boundaries"
    replaced = f", replacing {result.replaced} earlier" if result.replaced else ""
    print(f"imported the {what} of {args.ward.upper()} ({result.area_km2:.2f} km²){replaced}")
    return 0


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("wards", help="list or add wards, import their boundaries")
    wsub = p.add_subparsers(dest="wards_command", metavar="ACTION", required=True)
    lp = subcommand(wsub, "list", list_, "list the wards in the database")
    add_format_option(lp)
    ap = subcommand(wsub, "add", add, "add a ward by its ONS code")
    ap.add_argument("--code", required=True, help="ONS ward code, e.g. E05000123")
    ap.add_argument("--name", required=True, help="the ward's name as documents print it")
    ap.add_argument("--neighbourhood", help="neighbourhood team name")
    ap.add_argument("--lsoa", action="append", metavar="CODE[,CODE...]", help="LSOA codes in the ward")
    ap.add_argument(
        "--language",
        choices=("en", "cy", "both"),
        default="en",
        help="its briefing language (default: en)",
    )
    bp = subcommand(
        wsub,
        "boundary",
        boundary,
        "import the ward's boundary, or its LSOAs' boundaries, from an ONS GeoJSON or GeoPackage file",
    )
    bp.add_argument("--ward", required=True, metavar="CODE", help="ONS ward code")
    bp.add_argument("file", metavar="FILE", help="ONS wards file (WDyyCD column) or LSOA file (LSOAyyCD column)")
