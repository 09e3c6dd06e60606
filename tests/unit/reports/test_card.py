"""The response-team card: valid until the next tasking meeting, key messages from the priorities, the
streets concerned, and what residents have been told (done with outcome, or in progress)."""

from __future__ import annotations

from dataclasses import replace

from rpdesk.reports.card import build_card, key_messages
from rpdesk.reports.layout import PrintOptions
from tests.unit.reports import samples
from tests.unit.reports.pdfcheck import page_texts

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
