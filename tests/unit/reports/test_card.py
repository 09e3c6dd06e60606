"""The response-team card: valid until the next tasking meeting, key messages from the priorities, the
streets concerned, and what residents have been told (done with outcome, or in progress)."""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import select

from rpdesk.db.database import open_database
from rpdesk.db.models import Ward
from rpdesk.demo import build_demo
from rpdesk.reports.card import build_card, key_messages
from rpdesk.reports.layout import PrintOptions
from rpdesk.services.documents import build_document
from rpdesk.settings import Settings
from tests.unit.reports import samples
from tests.unit.reports.pdfcheck import glyphs, overlapping, page_texts

RESTRICTED = PrintOptions("OFFICIAL-SENSITIVE", "Example Police")


def _text(path) -> str:
    return " ".join(" ".join(page_texts(path)).split())


def test_the_card_says_until_when_where_and_what_to_say(tmp_path):
    path = tmp_path / "card.pdf"
    assert build_card(samples.card(), path, RESTRICTED) == 1
    text = _text(path)
    assert "until the next tasking meeting on Tue 8 Dec 2026" in text
    assert "Streets concerned: Maes y Coed, Heol y Nant, <b>Smith & Sons</b>" in text
    told = text.split("What residents have been told", 1)[1].split("Who to contact", 1)[0]
    assert "Extra bins on the school path: done Sun 1 Nov 2026" in told
    assert "Mend the lights on Maes y Coed: in progress; residents should see: Lights on after dark" in told
    assert "Key messages for residents" in text
    assert "What residents here feel (top 5 of 15 signals)" in text  # a part of a list says so


def test_key_messages_say_only_what_the_data_shows():
    card = samples.card()
    messages = key_messages(card)
    assert len(messages) == len(card.priorities)
    assert messages[0].startswith("Dog mess on the school path: the neighbourhood team is working on this")
    assert "under way: Lights on after dark" in messages[0]
    quiet = key_messages(replace(card, told_residents=()))
    assert all("under way" not in m and "done" not in m for m in quiet)


def test_without_a_next_meeting_the_card_says_the_next_one_replaces_it(tmp_path):
    path = tmp_path / "card.pdf"
    build_card(replace(samples.card(), valid_until=None), path, RESTRICTED)
    assert "until the next tasking meeting replaces it" in _text(path)


@pytest.fixture(scope="module")
def demo_cards(tmp_path_factory: pytest.TempPathFactory, demo_template: Path) -> dict[str, Path]:
    """The normal-print card of every ward of the tests' demo database and of ``rpdesk-cli demo``'s (3 wards)."""
    folder = tmp_path_factory.mktemp("cards")
    shutil.copy(demo_template, folder / "small.sqlite")
    default = open_database(f"sqlite:///{folder / 'default.sqlite'}", create=True)
    build_demo(default, today=dt.date(2026, 11, 28))
    default.dispose()
    cards = {}
    for name in ("small", "default"):
        db = open_database(f"sqlite:///{folder / name}.sqlite")
        try:
            with db.session() as s:
                codes = s.scalars(select(Ward.code)).all()
            for code in codes:
                path = folder / f"{name}-{code}.pdf"
                now = dt.datetime(2026, 11, 28, 9, 0)
                build_document(db, "card", code, None, path, now=now, overwrite=True, settings=Settings())
                cards[f"{name}-{code}"] = path
        finally:
            db.dispose()
    return cards


def test_the_normal_print_card_is_one_page_for_every_demo_ward(demo_cards):
    assert len(demo_cards) == 5
    for name, path in demo_cards.items():
        pages = page_texts(path)
        assert len(pages) == 1, f"{name}: {len(pages)} pages"
        text = " ".join(pages[0].split())
        for part in ("Valid from", "What residents here feel", "Priorities and what is being done", "Key messages"):
            assert part in text, f"{name}: no '{part}'"
        for part in ("Hotspots to know", "What residents have been told", "Who to contact"):
            assert part in text, f"{name}: no '{part}'"
        assert text.count("OFFICIAL-SENSITIVE") == 2
        assert not overlapping(glyphs(path)[0]), f"{name}: text runs into other text"
