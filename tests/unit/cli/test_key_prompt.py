"""rpdesk-cli's key prompt applies the same passphrase rule as the desktop app's dialog."""

from __future__ import annotations

import getpass
import sys
from pathlib import Path

import pytest

from rpdesk.cli.common import ask_key
from rpdesk.domain.keys import typed_key_problems
from rpdesk.errors import UserError


@pytest.fixture
def terminal(monkeypatch):
    """A terminal whose user types the answers given, in order."""
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True, raising=False)

    def typing(*answers: str) -> None:
        queue = list(answers)
        monkeypatch.setattr(getpass, "getpass", lambda prompt="": queue.pop(0))

    return typing


def test_a_short_new_key_is_refused_in_the_rule_s_words(terminal):
    terminal("short", "short")
    with pytest.raises(UserError) as refused:
        ask_key(Path("new.sqlite"), True)
    assert str(refused.value) == " ".join(typed_key_problems("short", new=True)) + " Nothing was made or changed."


def test_a_good_new_key_typed_twice_alike_is_taken_and_an_existing_one_is_asked_once(terminal):
    terminal("long enough key", "long enough key")
    assert ask_key(Path("new.sqlite"), True) == "long enough key"
    terminal("old")
    assert ask_key(Path("old.sqlite"), False) == "old"
