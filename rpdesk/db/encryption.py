"""Encryption at rest: SQLCipher database files, where their key comes from, and the one way to open a file.

A laptop or a USB stick can be lost, and an rpdesk file holds officers' names, residents' comments
and crime details: an encrypted database (SQLCipher 4: AES-256 per page, PBKDF2-HMAC-SHA512 key
derivation, an HMAC on every page) shows none of that in its bytes. Nothing in rpdesk's schema
changes: SQLAlchemy's ``sqlite+pysqlcipher`` dialect over the ``sqlcipher3`` driver gives the same
SQLite with a key, and the key travels as the URL's password (never shown: :func:`describe` prints
the file only), so every place that opens a database, child processes included, gets it.

The key, first found wins: given by the caller (``--key-file``, the desktop app's passphrase
dialog), the ``RPDESK_DB_KEY`` environment variable, a file named by ``RPDESK_DB_KEY_FILE``, the
operating system's keyring (Windows Credential Manager, macOS Keychain, the Secret Service on a
Linux desktop; entry per database file), and last a question to the user (a prompt or dialog). A
Linux box with no keyring backend simply has no keyring entry: the other sources still work.

The file is SQLCipher 4's standard format, so IT can open it with any SQLCipher 4 tool and the
passphrase. SQLCipher would stretch the passphrase (PBKDF2, 256,000 iterations: about 0.12 s) on
every connection; rpdesk does the same derivation once per process and file (:func:`page_key`)
and hands SQLCipher the result as a raw key, so opening costs one derivation, not one per
connection, and a child process given the URL pays none.
"""

from __future__ import annotations

import hashlib
import os
import re
import sqlite3
import sys
from collections.abc import Callable, Mapping
from functools import cache, lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sqlalchemy.engine import URL

from rpdesk.errors import DatabaseRefused, KeyMissing, KeyRefused
from rpdesk.outputs import looks_encrypted as looks_encrypted  # what a file is: shared with the output guard

ENV_KEY = "RPDESK_DB_KEY"
ENV_KEY_FILE = "RPDESK_DB_KEY_FILE"
#: The keyring's service name; the user name under it is the database file's full path.
KEYRING_SERVICE = "rpdesk database key"
DRIVER = "sqlite+pysqlcipher"
#: SQLCipher 4's defaults: PBKDF2-HMAC-SHA512 over the file's 16-byte salt, a 256-bit key.
KDF_ITERATIONS = 256_000
SALT_BYTES = 16
#: A raw key as SQLCipher takes it: x'64 hex digits', optionally followed by the salt's 32.
RAW_KEY = re.compile(r"x'[0-9A-Fa-f]{64}(?:[0-9A-Fa-f]{32})?'")

#: Asks the user for the key of ``path`` (``new``: for a database about to be made); None when they decline.
AskKey = Callable[[Path, bool], str | None]


def how_to_give_key() -> str:
    """Where a key can come from, for every message that asks for one."""
    return (
        f"Give its key with --key-file FILE, the {ENV_KEY} environment variable or a file named by "
        f"{ENV_KEY_FILE}, or type it when asked; 'rpdesk-cli db key' keeps it in this computer's keyring."
    )


def missing_key_message(path: Path) -> str:
    return f"{path} is encrypted and no key was given, so it was not opened. {how_to_give_key()}"


def wrong_key_message(path: Path) -> str:
    return (
        f"The key does not open {path}: either the key is wrong or the file is not an rpdesk database. "
        "rpdesk has not changed it."
    )


# --- what a file is --------------------------------------------------------------------------------


@lru_cache(maxsize=32)
def page_key(passphrase: str, salt: bytes) -> str:
    """SQLCipher 4's key for ``passphrase`` and a file's ``salt``, as a raw key (``x'KEY SALT'``).

    The derivation SQLCipher itself would run on every connection, done once here; a key that is
    already raw is returned as it is.
    """
    if RAW_KEY.fullmatch(passphrase):
        return passphrase
    derived = hashlib.pbkdf2_hmac("sha512", passphrase.encode("utf-8"), salt, KDF_ITERATIONS, dklen=32)
    return f"x'{derived.hex()}{salt.hex()}'"


def file_salt(path: Path) -> bytes:
    """The salt an SQLCipher file begins with."""
    with path.open("rb") as fh:
        return fh.read(SALT_BYTES)


def is_encrypted_url(url: URL) -> bool:
    """Whether ``url`` opens an SQLCipher file (the key, if any, is its password)."""
    return url.get_backend_name() == "sqlite" and url.get_driver_name() == "pysqlcipher"


def keyed(url: URL, key: str) -> URL:
    """``url`` as an encrypted SQLite URL with ``key`` (the dialect passes it to ``PRAGMA key``)."""
    return url.set(drivername=DRIVER, username="", password=key)  # a password without a user name is not rendered


def unkeyed(url: URL) -> URL:
    """``url`` as a plain SQLite URL."""
    return url.set(drivername="sqlite", username=None, password=None)


def url_key(url: URL) -> str | None:
    """The key an encrypted URL carries, or None."""
    return str(url.password) if is_encrypted_url(url) and url.password else None


# --- opening a file ----------------------------------------------------------------------------------


@cache
def cipher_module() -> Any:
    """The ``sqlcipher3`` driver, with SQLCipher's own logging off.

    SQLCipher logs a failed page decryption (any wrong key) to stderr by default; rpdesk says it in
    one line of its own instead. The log level is process-wide, so one pragma here covers every
    connection, the engine's included.
    """
    try:
        import sqlcipher3
    except ImportError as exc:  # a build without the wheel: say so instead of a traceback
        raise DatabaseRefused(
            "This rpdesk was installed without SQLCipher (the sqlcipher3 package), so it cannot open or make "
            "encrypted databases. Reinstall rpdesk with its dependencies."
        ) from exc
    quiet = sqlcipher3.connect(":memory:")
    quiet.execute("PRAGMA cipher_log_level = NONE")
    quiet.close()
    return sqlcipher3


def quote_key(key: str) -> str:
    """``key`` as an SQL string literal (how ``PRAGMA key`` and ``ATTACH ... KEY`` take it)."""
    return "'" + key.replace("'", "''") + "'"


def connect(
    path: Path, key: str | None, *, read_only: bool = False, immutable: bool = False, cipher: bool | None = None
) -> Any:
    """A DB-API connection to the SQLite file ``path``: plain with ``sqlite3``, encrypted with ``sqlcipher3``.

    Every connection rpdesk makes to a file outside SQLAlchemy (inspection, backups, conversion)
    comes from here, and engines (:func:`rpdesk.db.database.make_engine`) use the same driver and
    key. ``read_only`` opens it so that it cannot change; ``immutable`` also skips locking;
    ``cipher`` asks for the SQLCipher driver on a plain file too (its ``sqlcipher_export`` converts).
    A wrong key is found here, on the first read, and raised as :class:`KeyRefused`.
    """
    mode = "ro" + ("&immutable=1" if immutable else "") if read_only else "rwc"
    target = f"file:{quote(str(path))}?mode={mode}"
    if not (cipher or key):
        return sqlite3.connect(target, uri=True)
    driver = cipher_module()
    con = driver.connect(target, uri=True)
    try:
        if key:
            con.execute(f"PRAGMA key = {quote_key(key)}")
        con.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except driver.DatabaseError as exc:
        con.close()
        if "not a database" in str(exc):
            raise KeyRefused(wrong_key_message(path)) from None
        raise
    return con


def is_driver_error(exc: BaseException) -> bool:
    """Whether ``exc`` is an SQLite error from either driver (their classes are unrelated)."""
    if isinstance(exc, sqlite3.Error):
        return True
    cipher = sys.modules.get("sqlcipher3")
    return cipher is not None and isinstance(exc, cipher.Error)


# --- where the key comes from ---------------------------------------------------------------------


def read_key_file(path: Path) -> str:
    """The key in a file (its first line; a trailing newline is not part of the key)."""
    try:
        text = path.expanduser().read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise KeyMissing(f"Cannot read the key file {path} ({exc}). Nothing was opened.") from None
    key = text.splitlines()[0] if text else ""
    if not key:
        raise KeyMissing(f"The key file {path} is empty. Nothing was opened.")
    return key


def _keyring() -> Any | None:
    """The ``keyring`` module when this machine has a usable backend, else None (a headless Linux box)."""
    try:
        import keyring
        from keyring.backends import fail
    except ImportError:
        return None
    try:
        backend = keyring.get_keyring()
    except Exception:  # a broken backend configuration is "no keyring", not a crash
        return None
    return None if isinstance(backend, fail.Keyring) else keyring


def _entry(path: Path) -> str:
    return str(path.expanduser().absolute())


def stored_key(path: Path) -> str | None:
    """The key kept in the keyring for ``path``, or None (no entry, or no keyring on this machine)."""
    ring = _keyring()
    if ring is None:
        return None
    try:
        value = ring.get_password(KEYRING_SERVICE, _entry(path))
    except Exception:  # a locked or unreachable keyring: fall back to the other sources
        return None
    return str(value) if value else None


def remember_key(path: Path, key: str) -> bool:
    """Keep ``key`` in the keyring for ``path``; False when this machine has no keyring to keep it in."""
    ring = _keyring()
    if ring is None:
        return False
    try:
        ring.set_password(KEYRING_SERVICE, _entry(path), key)
    except Exception:
        return False
    return True


def forget_key(path: Path) -> bool:
    """Remove the keyring entry for ``path``; False when there was none (or no keyring)."""
    ring = _keyring()
    if ring is None:
        return False
    try:
        ring.delete_password(KEYRING_SERVICE, _entry(path))
    except Exception:
        return False
    return True


def found_key(path: Path, environ: Mapping[str, str] | None = None) -> tuple[str, str] | None:
    """The key for ``path`` from the environment or the keyring, and where it came from; None if none."""
    env = os.environ if environ is None else environ
    if env.get(ENV_KEY):
        return env[ENV_KEY], f"the {ENV_KEY} environment variable"
    if env.get(ENV_KEY_FILE, "").strip():
        return read_key_file(Path(env[ENV_KEY_FILE].strip())), f"the key file named by {ENV_KEY_FILE}"
    kept = stored_key(path)
    return (kept, "the keyring") if kept else None


def choose_key(path: Path, *, given: str | None, ask: AskKey | None, new: bool) -> str:
    """The key for ``path``: ``given``, else the environment or keyring, else ``ask``; :class:`KeyMissing` if none."""
    if given:
        return given
    found = found_key(path)
    if found:
        return found[0]
    answer = ask(path, new) if ask is not None else None
    if answer:
        return answer
    if new:
        raise KeyMissing(
            f"{path} is to be encrypted but no key was given, so nothing was changed or made. Give the new key "
            f"with --key-file FILE or the {ENV_KEY} environment variable, or type it when asked "
            "(for a new database, --plain makes an unencrypted one instead)."
        )
    raise KeyMissing(missing_key_message(path))


def encrypt_new_by_default() -> bool:
    """Whether a new SQLite database is encrypted unless asked otherwise: yes in portable mode (a USB stick)."""
    from rpdesk.paths import portable_root

    return portable_root() is not None


def _holds_data(path: Path) -> bool:
    return path.exists() and path.stat().st_size > 0


def with_key(
    url: URL,
    path: Path,
    *,
    key: str | None = None,
    ask: AskKey | None = None,
    create: bool = False,
    encrypt: bool | None = None,
) -> URL:
    """``url`` ready to open ``path``: keyed for an encrypted file, plain for a plain one.

    A file that holds data is what it is (a key given for a plain file is ignored). A database yet
    to be made (``create``) is encrypted when ``encrypt`` says so; None means when the URL carries a
    key or in portable mode.
    """
    if _holds_data(path):
        if not looks_encrypted(path):
            return unkeyed(url) if is_encrypted_url(url) else url
        return keyed(url, page_key(choose_key(path, given=key or url_key(url), ask=ask, new=False), file_salt(path)))
    if not create:
        return url
    if encrypt is None:
        encrypt = is_encrypted_url(url) or encrypt_new_by_default()
    if not encrypt:
        return unkeyed(url)
    return keyed(url, page_key(choose_key(path, given=key or url_key(url), ask=ask, new=True), os.urandom(SALT_BYTES)))


def key_wanted(url: URL, path: Path, *, create: bool) -> bool:
    """Whether opening ``path`` needs a key nobody has given yet (the desktop app then asks for one).

    True for an encrypted file, or a new database that portable mode encrypts, when neither the URL,
    the environment nor the keyring has its key.
    """
    if url_key(url):
        return False
    encrypted = looks_encrypted(path) if _holds_data(path) else create and encrypt_new_by_default()
    return encrypted and found_key(path) is None


# --- for the desktop app, which passes URLs as text ------------------------------------------------


def wanted_key_file(url: str, *, create: bool) -> Path | None:
    """The file whose key the desktop app must ask for before opening ``url`` (see :func:`key_wanted`), or None."""
    from sqlalchemy import make_url

    from rpdesk.db.database import sqlite_path

    parsed = make_url(url)
    path = sqlite_path(parsed)
    return path if path is not None and key_wanted(parsed, path, create=create) else None


def with_typed_key(url: str, key: str) -> str:
    """``url`` carrying the key a person typed, as text for the task that opens it (never shown: see ``describe``)."""
    from sqlalchemy import make_url

    return keyed(make_url(url), key).render_as_string(hide_password=False)


def remember_url_key(url: str) -> bool:
    """Keep the key ``url`` carries in the keyring for its file (the desktop app's "remember" box)."""
    from sqlalchemy import make_url

    from rpdesk.db.database import sqlite_path

    parsed = make_url(url)
    path, key = sqlite_path(parsed), url_key(parsed)
    return path is not None and key is not None and remember_key(path, key)


def keyring_available() -> bool:
    """Whether this computer has a keyring to keep keys in (a headless Linux box may have none)."""
    return _keyring() is not None
