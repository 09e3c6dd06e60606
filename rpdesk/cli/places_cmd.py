"""``rpdesk-cli hotspots`` and ``rpdesk-cli places add|list|remove|streets``: where things happen."""

from __future__ import annotations

import argparse
import sys
from dataclasses import asdict

from rpdesk.cli.common import add_format_option, emit, open_db, parse_day, settings_of, subcommand
from rpdesk.errors import UserError

HOTSPOT_COLUMNS = (
    "rank",
    "cell",
    "lat",
    "lon",
    "easting",
    "northing",
    "count",
    "crimes",
    "eva",
    "persistent",
    "months_top",
    "months",
    "place",
)
PLACE_COLUMNS = ("id", "record", "kind", "name", "easting", "northing", "latitude", "longitude", "radius_m")
STREET_COLUMNS = ("street", "streets", "respondents", "prevalence", "effect")


def hotspots(args: argparse.Namespace) -> int:
    from rpdesk.services.hotspots import find_hotspots

    db = open_db(args)
    with db.session() as s:
        found = find_hotspots(s, args.ward, args.start, args.end, issue=args.issue, settings=settings_of(args))
    emit([c.row() for c in found.cells], args.format, HOTSPOT_COLUMNS)
    if args.format == "table":
        print(f"\nCells {found.cell_m:g} m across. {found.caveat}", file=sys.stderr)
    if found.left_out:
        print(
            f"{found.left_out} record(s) lie more than 1 km outside the ward's boundary and are not counted.",
            file=sys.stderr,
        )
    return 0


def _point(text: str) -> tuple[float, float]:
    try:
        a, b = (float(v) for v in text.replace(" ", ",").split(",") if v)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: expected two numbers, e.g. 358500,172300") from None
    return a, b


def add(args: argparse.Namespace) -> int:
    from rpdesk.services.places import add_place, lat_lon_point

    point = args.at
    db = open_db(args)
    with db.session() as s:
        if args.lat_lon is not None:
            point = lat_lon_point(*args.lat_lon)
        info = add_place(
            s,
            args.ward,
            priority_id=args.priority,
            action_id=args.action,
            street=args.street,
            name=args.name,
            point=point,
            radius_m=args.radius,
        )
    print(
        f"place {info.id} ({info.kind}) '{info.name}' given to {info.record} at {info.easting:.0f} {info.northing:.0f}"
    )
    return 0


def list_(args: argparse.Namespace) -> int:
    from rpdesk.services.places import list_places
    from rpdesk.services.wards import get_ward

    db = open_db(args)
    with db.session() as s:
        rows = [asdict(p) for p in list_places(s, get_ward(s, args.ward).id)]
    emit(rows, args.format, PLACE_COLUMNS)
    return 0


def remove(args: argparse.Namespace) -> int:
    from rpdesk.services.places import remove_place

    db = open_db(args)
    with db.session() as s:
        info = remove_place(s, args.ward, args.id)
    print(f"removed place {info.id} '{info.name}' of {info.record}")
    return 0


def streets(args: argparse.Namespace) -> int:
    from rpdesk.services.street_signals import street_signals

    if args.round is None and (args.start is None or args.end is None):
        raise UserError("Say which survey answers: --round NAME, or --from DATE --to DATE.")
    threshold = args.min_respondents or settings_of(args).street_min_respondents
    db = open_db(args)
    with db.session() as s:
        rows = street_signals(
            s, args.ward, args.issue, round_name=args.round, start=args.start, end=args.end, min_respondents=threshold
        )
    emit([r.row() for r in rows], args.format, STREET_COLUMNS)
    if args.format == "table":
        print(f"\nStreets with fewer than {threshold} respondents are pooled, never shown alone.", file=sys.stderr)
    return 0


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    hp = subcommand(
        sub, "hotspots", hotspots, "grid cells where recorded crime and EVA findings concentrate, best first"
    )
    hp.add_argument("--ward", required=True, metavar="CODE", help="ONS ward code")
    hp.add_argument("--issue", metavar="CODE", help="only this issue's crime types and EVA findings")
    hp.add_argument("--from", dest="start", required=True, type=parse_day, metavar="DATE", help="first day")
    hp.add_argument("--to", dest="end", required=True, type=parse_day, metavar="DATE", help="last day")
    add_format_option(hp)

    p = sub.add_parser("places", help="places of priorities and actions; survey signals by street")
    psub = p.add_subparsers(dest="places_command", metavar="ACTION", required=True)
    ap = subcommand(psub, "add", add, "give a priority or an action a place: a street, a named place or a point")
    ap.add_argument("--ward", required=True, metavar="CODE", help="ONS ward code")
    which = ap.add_mutually_exclusive_group(required=True)
    which.add_argument("--priority", type=int, metavar="ID", help="the priority ('priorities list' shows the ids)")
    which.add_argument("--action", type=int, metavar="ID", help="the action ('actions list' shows the ids)")
    where = ap.add_mutually_exclusive_group(required=True)
    where.add_argument("--street", metavar="NAME", help="a road of the ward's street layer")
    where.add_argument("--at", type=_point, metavar="E,N", help="British National Grid easting,northing (metres)")
    where.add_argument("--lat-lon", dest="lat_lon", type=_point, metavar="LAT,LON", help="WGS84 degrees")
    ap.add_argument("--name", help="what the place is called, e.g. 'the underpass'")
    ap.add_argument("--radius", type=float, metavar="METRES", help="the area meant (default 100 m, or the street)")
    lp = subcommand(psub, "list", list_, "list the places of a ward's priorities and actions")
    lp.add_argument("--ward", required=True, metavar="CODE", help="ONS ward code")
    add_format_option(lp)
    rp = subcommand(psub, "remove", remove, "remove a place")
    rp.add_argument("--ward", required=True, metavar="CODE", help="ONS ward code")
    rp.add_argument("id", type=int, metavar="ID", help="the id shown by 'places list'")
    sp = subcommand(psub, "streets", streets, "an issue's survey prevalence by street (small streets pooled)")
    sp.add_argument("--ward", required=True, metavar="CODE", help="ONS ward code")
    sp.add_argument("--issue", required=True, metavar="CODE", help="issue code, e.g. litter")
    sp.add_argument("--round", metavar="NAME", help="a survey round of the ward ('surveys rounds' lists them)")
    sp.add_argument("--from", dest="start", type=parse_day, metavar="DATE", help="first day of a period")
    sp.add_argument("--to", dest="end", type=parse_day, metavar="DATE", help="last day of a period")
    sp.add_argument("--min-respondents", type=int, metavar="N", help="default: the street_min_respondents setting")
    add_format_option(sp)
