"""The rule for a passphrase typed for an encrypted database, shared by the desktop app and rpdesk-cli."""

from __future__ import annotations

from rpdesk.domain.keys import MIN_NEW_KEY, typed_key_problems


def test_a_new_database_needs_a_long_enough_passphrase_typed_twice_alike():
    assert typed_key_problems("long enough key", new=True, again="long enough key") == []
    assert typed_key_problems("short", new=True, again="shirt") == [
        f"A new database's passphrase needs at least {MIN_NEW_KEY} characters.",
        "The two passphrases typed differ.",
    ]


def test_opening_an_existing_database_asks_only_that_something_was_typed():
    assert typed_key_problems("", new=False) == ["Type the passphrase."]
    assert typed_key_problems("old", new=False) == []
