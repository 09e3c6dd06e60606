"""What every command shares: the --db option, opening the database, tables/CSV/JSON, progress."""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import re
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from rpdesk.db.database import Database, open_database
from rpdesk.db.encryption import is_encrypted_url, read_key_file, with_key
from rpdesk.db.location import DatabaseChoice, resolve_database
from rpdesk.domain.values import plain
from rpdesk.errors import UserError
from rpdesk.exports import neutralise
from rpdesk.progress import ProgressFn, no_progress

if TYPE_CHECKING:
    from sqlalchemy.engine import URL

    from rpdesk.settings import Settings

FORMATS = ("table", "csv", "json")


WARD_HELP = "ONS ward code, e.g. E05001234 ('rpdesk-cli wards list' shows them)"
COLLAR_HELP = "the officer's collar number, e.g. PC101 ('rpdesk-cli officers list' shows them)"
DB_HELP = (
    "the database: a file path (ward.sqlite) or a URL (postgresql+psycopg://host/rpdesk); default: RPDESK_DB, "
    "else the database_url setting, else the per-user file ('rpdesk-cli db where' says which)"
)


KEY_FILE_HELP = (
    "a file whose first line is the key of an encrypted database (for scripts; default: RPDESK_DB_KEY, "
    "RPDESK_DB_KEY_FILE, the keyring, else a prompt when run at a terminal)"
)


def add_db_option(parser: argparse.ArgumentParser) -> None:
    """``--db PATH|URL`` and ``--key-file FILE`` accepted after the subcommand too (``rpdesk-cli demo --db ...``)."""
    parser.add_argument("--db", metavar="PATH|URL", default=argparse.SUPPRESS, help=DB_HELP)
    parser.add_argument("--key-file", metavar="FILE", default=argparse.SUPPRESS, help=KEY_FILE_HELP)


def add_encrypt_option(parser: argparse.ArgumentParser) -> None:
    """``--encrypt`` / ``--plain`` for a command that may create a database (default: encrypted in portable mode)."""
    group = parser.add_mutually_exclusive_group()
    group.add_argument(
        "--encrypt", dest="encrypt", action="store_true", default=None, help="make a new database encrypted"
    )
    group.add_argument(
        "--plain", dest="encrypt", action="store_false", help="make a new database unencrypted (even in portable mode)"
    )


RECIPIENT_HELP = "who the file is for, recorded with it in the s.62 log (e.g. 'Insp 1203 Hale, CSP meeting')"


def add_recipient_option(parser: argparse.ArgumentParser) -> None:
    """``--recipient``: to whom a document or export is disclosed (DPA 2018 s.62 asks for it where possible)."""
    parser.add_argument("--recipient", metavar="WHO", help=RECIPIENT_HELP)


def add_format_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=FORMATS, default="table", help="output format (default: table)")


def subcommand(
    sub: Any, name: str, handler: Callable[[argparse.Namespace], int | None], help: str, **kwargs: Any
) -> argparse.ArgumentParser:
    """A leaf command with the shared options already added."""
    parser: argparse.ArgumentParser = sub.add_parser(name, help=help, description=help, **kwargs)
    add_db_option(parser)
    parser.set_defaults(handler=handler)
    return parser


#: ``today``, ``+14d``, ``-2w``: a day relative to today, so a script or the README's walk-through works on any day.
RELATIVE_DAY = re.compile(r"([+-])(\d{1,4})([dw])")
DAY_HELP = "a date: 2026-09-01, 01/09/2026, today, +14d or -2w (days or weeks from today)"


def parse_day(text: str, *, today: dt.date | None = None) -> dt.date:
    """A date option: ISO or UK, as the importers accept them, or relative to today (``today``, ``+14d``, ``-2w``)."""
    from rpdesk.importers.reading import CellError, parse_date

    cleaned = text.strip().lower()
    base = today or dt.date.today()
    if cleaned == "today":
        return base
    relative = RELATIVE_DAY.fullmatch(cleaned)
    if relative:
        days = int(relative[2]) * (7 if relative[3] == "w" else 1)
        return base + dt.timedelta(days=days if relative[1] == "+" else -days)
    try:
        return parse_date(text.strip())
    except CellError as exc:
        raise argparse.ArgumentTypeError(f"{text!r}: expected {exc}, or today, +14d, -2w") from None


def share_arg(text: str) -> float:
    """A percentage option ("80%", "80" or 0.8), read as the Settings dialog reads it."""
    from rpdesk.domain.shares import ShareError, parse_share

    try:
        share = parse_share(text)
    except ShareError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    if share > 1:
        raise argparse.ArgumentTypeError(f"{text!r}: a share is at most 100%")
    return share


def settings_of(args: argparse.Namespace) -> Settings:
    """The effective settings, read once per command (services are given them; they never read files)."""
    from rpdesk.settings import Settings

    loaded: Settings | None = getattr(args, "_settings", None)
    if loaded is None:
        loaded = Settings.load()
        args._settings = loaded
        for note in loaded.notes:
            print(f"note: {note}", file=sys.stderr)
    return loaded


def database_choice(args: argparse.Namespace) -> DatabaseChoice:
    """The database this command works on, and why (the same rule as the desktop app)."""
    return resolve_database(getattr(args, "db", None))


def ask_key(path: Path, new: bool) -> str | None:
    """Prompt for the key at a terminal (not echoed; twice for a new one); None when not run at a terminal."""
    if not sys.stdin.isatty():
        return None
    import getpass

    from rpdesk.domain.keys import typed_key_problems

    key = getpass.getpass(f"{'New key' if new else 'Key'} for {path}: ")
    if not key:
        return None
    problems = typed_key_problems(key, new=new, again=getpass.getpass("The same key again: ") if new else None)
    if problems:
        raise UserError(" ".join(problems) + " Nothing was made or changed.")
    return key


def key_sources(args: argparse.Namespace) -> dict[str, Any]:
    """Where this command finds an encrypted database's key: ``--key-file``, the environment, the keyring, a prompt."""
    key_file = getattr(args, "key_file", None)
    return {"key": read_key_file(Path(key_file)) if key_file else None, "ask": ask_key}


def database_url(args: argparse.Namespace, *, create: bool = False) -> URL:
    """The chosen database's URL, with its key when the file is encrypted (or about to be, for ``create``)."""
    from sqlalchemy import make_url

    choice = database_choice(args)
    url = make_url(choice.url)
    if choice.path is None:
        return url
    return with_key(url, choice.path, create=create, encrypt=getattr(args, "encrypt", None), **key_sources(args))


#: Commands that do not read a ward's records (database housekeeping, demo data, imports, the log itself).
NOT_CONSULTING = frozenset({"db", "demo", "import", "audit"})


def command_name(args: argparse.Namespace) -> str:
    """The command as typed, without its options: ``actions list``, ``report tasking``."""
    parts = [args.command, *(str(v) for k, v in vars(args).items() if k.endswith(("_command", "_kind")))]
    return " ".join(parts)


def open_db(args: argparse.Namespace, *, create: bool = False) -> Database:
    """Open the chosen database; only ``db init`` and ``demo`` pass ``create=True``.

    A command that reads records is logged as a consultation (DPA 2018 s.62) before it reads: the
    command's name and ward, never its option values (a note may hold personal data).
    """
    url = database_url(args, create=create)
    db = open_database(url, create=create, encrypt=is_encrypted_url(url))
    if args.command not in NOT_CONSULTING:
        from rpdesk.services.audit import consulted

        try:
            ward = getattr(args, "ward", None)  # one code, or a list where --ward repeats (access grant)
            wards = ward if isinstance(ward, list) else [ward]
            how = {"channel": "cli", "command": command_name(args)}
            notes = [consulted(db, code, how) for code in wards]
            note = next((n for n in notes if n), None)
        except BaseException:
            db.dispose()
            raise
        if note:  # a read-only or busy database is still read; the user is told it went unlogged
            print(f"note: {note}", file=sys.stderr)
    return db


def _table_text(value: Any) -> str:
    value = plain(value)
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.3f}".rstrip("0").rstrip(".") if value != int(value) else f"{value:.0f}"
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return str(value)


def emit(
    rows: Sequence[Mapping[str, Any]],
    fmt: str,
    columns: Sequence[str] | None = None,
    out: TextIO | None = None,
    *,
    marking: str | None = None,
) -> None:
    """Print rows as an aligned table, CSV (header row first) or a JSON list of objects.

    CSV cells are neutralised like every export (a title starting with '=' cannot become a live
    formula when the file is opened in a spreadsheet). Output that carries personal data passes
    its protective ``marking``: CSV then opens and closes with it on a line of its own, as the
    exports do (:mod:`rpdesk.exports`), so whoever opens the saved file sees it first.
    """
    out = out or sys.stdout
    cols = list(columns or (rows[0].keys() if rows else []))
    if fmt == "json":
        json.dump([{k: plain(r.get(k)) for k in cols} for r in rows], out, indent=2, default=str)
        out.write("\n")
    elif fmt == "csv":
        writer = csv.writer(out, lineterminator="\n")
        if marking:
            writer.writerow([neutralise(marking)])
        writer.writerow(cols)
        for r in rows:
            values = (r.get(c) for c in cols)
            writer.writerow([neutralise(_table_text(v) if isinstance(v, list | tuple) else plain(v)) for v in values])
        if marking:
            writer.writerow([neutralise(marking)])
    else:
        texts = [[_table_text(r.get(c)) for c in cols] for r in rows]
        widths = [max([len(c), *(len(t[i]) for t in texts)]) for i, c in enumerate(cols)]
        out.write("  ".join(c.ljust(w) for c, w in zip(cols, widths, strict=True)).rstrip() + "\n")
        for t in texts:
            out.write("  ".join(v.ljust(w) for v, w in zip(t, widths, strict=True)).rstrip() + "\n")


@contextmanager
def terminal_progress(label: str) -> Iterator[ProgressFn]:
    """A progress bar on a terminal (stderr), nothing when output is piped or redirected."""
    if not sys.stderr.isatty():
        yield no_progress
        return
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.percentage:>3.0f}%"),
        TimeElapsedColumn(),
        console=None,
        transient=True,
    ) as bar:
        task = bar.add_task(label, total=1.0)

        def report(fraction: float, message: str) -> None:
            bar.update(task, completed=fraction, description=f"{label}: {message}" if message else label)

        yield report
