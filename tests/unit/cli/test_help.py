"""Every rpdesk-cli option explains itself, in the words of its own command; date options take relative days."""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Iterator

import pytest

from rpdesk.cli import build_parser
from rpdesk.cli.common import parse_day


def commands(
    parser: argparse.ArgumentParser, path: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], argparse.ArgumentParser]]:
    """Every command and subcommand parser, with the words that reach it."""
    yield path, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from commands(sub, (*path, name))


def options(parser: argparse.ArgumentParser) -> Iterator[argparse.Action]:
    for action in parser._actions:
        if not isinstance(action, argparse._HelpAction | argparse._VersionAction | argparse._SubParsersAction):
            yield action


def test_every_option_of_every_command_has_help() -> None:
    missing = [
        f"rpdesk-cli {' '.join(path)} {action.option_strings or action.dest}"
        for path, parser in commands(build_parser())
        for action in options(parser)
        if not action.help  # argparse.SUPPRESS (hidden test hooks) is a non-empty string
    ]
    assert missing == []


def _help(*words: str) -> str:
    parser = dict(commands(build_parser()))[words]
    return parser.format_help()


@pytest.mark.parametrize("kind", ["audits", "crimes"])
def test_import_help_talks_about_its_own_kind(kind: str) -> None:
    text = _help("import", kind).lower()
    assert "survey" not in text and "round" not in text


def test_only_the_briefing_takes_a_language() -> None:
    assert "--lang" in _help("report", "briefing")
    assert "--lang" not in _help("report", "tasking") and "--lang" not in _help("report", "card")
    assert "TCG meeting" in _help("report", "card") and "community meeting" in _help("report", "briefing")


def test_the_database_option_takes_a_path_or_a_url() -> None:
    assert "PATH|URL" in _help() and "db where" in " ".join(_help("wards", "list").split())


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("today", dt.date(2026, 11, 28)),
        ("+14d", dt.date(2026, 12, 12)),
        ("-2w", dt.date(2026, 11, 14)),
        ("+0d", dt.date(2026, 11, 28)),
        ("2026-09-01", dt.date(2026, 9, 1)),
        ("01/09/2026", dt.date(2026, 9, 1)),
    ],
)
def test_date_options_take_relative_days(text: str, expected: dt.date) -> None:
    assert parse_day(text, today=dt.date(2026, 11, 28)) == expected


@pytest.mark.parametrize("text", ["next week", "+14", "14d", "+2m", "2026-02-30"])
def test_a_date_that_is_not_one_says_which_forms_are(text: str) -> None:
    with pytest.raises(argparse.ArgumentTypeError, match=r"today, \+14d, -2w"):
        parse_day(text)
