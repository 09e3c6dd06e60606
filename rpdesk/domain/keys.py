"""What a passphrase typed for a new encrypted database must be: one rule for the desktop app and rpdesk-cli.

A new database's passphrase is at least :data:`MIN_NEW_KEY` characters (the file may travel on a USB
stick, where a short one is guessed quickly) and is typed twice alike (a slip would lock the data
away for good: nobody can recover it without the passphrase). Opening an existing database asks
only that something was typed.
"""

from __future__ import annotations

#: Shorter passphrases are refused for a new database.
MIN_NEW_KEY = 8


def typed_key_problems(key: str, *, new: bool, again: str | None = None) -> list[str]:
    """Every problem with a passphrase typed (``again``: its second typing, for a new database)."""
    if not key:
        return ["Type the passphrase."]
    out = []
    if new and len(key) < MIN_NEW_KEY:
        out.append(f"A new database's passphrase needs at least {MIN_NEW_KEY} characters.")
    if new and again is not None and again != key:
        out.append("The two passphrases typed differ.")
    return out
