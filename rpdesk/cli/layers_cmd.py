"""``rpdesk-cli layers add|list|remove``: the context layers of a ward's map (streets, basemap)."""

from __future__ import annotations

import argparse
from dataclasses import asdict

from rpdesk.cli.common import add_format_option, emit, open_db, subcommand

COLUMNS = ("ward", "name", "kind", "features", "file_name", "path", "added_at", "added_by")


def add(args: argparse.Namespace) -> int:
    from rpdesk.services.geography import add_layer

    db = open_db(args)
    with db.session() as s:
        info = add_layer(s, args.ward, args.file, args.kind, args.name)
    unit = "road(s)" if info.kind == "streets" else "tile(s)"
    print(f"added {info.kind} layer '{info.name}' to {info.ward}: {info.features} {unit} from {info.file_name}")
    return 0


def list_(args: argparse.Namespace) -> int:
    from rpdesk.services.geography import list_layers

    db = open_db(args)
    with db.session() as s:
        rows = [asdict(x) for x in list_layers(s, args.ward)]
    emit(rows, args.format, COLUMNS)
    return 0


def remove(args: argparse.Namespace) -> int:
    from rpdesk.services.geography import remove_layer

    db = open_db(args)
    with db.session() as s:
        info = remove_layer(s, args.ward, args.name)
    print(f"removed {info.kind} layer '{info.name}' from {info.ward}")
    return 0


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("layers", help="context layers of a ward's map: street networks and basemaps")
    lsub = p.add_subparsers(dest="layers_command", metavar="ACTION", required=True)
    ap = subcommand(
        lsub,
        "add",
        add,
        "add a street network (GeoJSON or GeoPackage: OS Open Roads, an OpenStreetMap extract) "
        "or a raster basemap (MBTiles) to a ward's map",
    )
    ap.add_argument("--ward", required=True, metavar="CODE", help="ONS ward code")
    ap.add_argument("--kind", required=True, choices=("streets", "basemap"), help="a street network or a basemap")
    ap.add_argument("--name", help="the layer's name (default: the file name)")
    ap.add_argument("file", metavar="FILE", help="GeoJSON or GeoPackage (streets), MBTiles (basemap)")
    lp = subcommand(lsub, "list", list_, "list the map layers, of one ward or all")
    lp.add_argument("--ward", metavar="CODE", help="ONS ward code")
    add_format_option(lp)
    rp = subcommand(lsub, "remove", remove, "remove a layer from a ward's map")
    rp.add_argument("--ward", required=True, metavar="CODE", help="ONS ward code")
    rp.add_argument("name", metavar="NAME", help="the layer's name, as 'layers list' shows it")
