"""Encrypted databases (SQLCipher): nothing readable in the file, opened only with the key, converted safely."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from sqlalchemy import create_engine, func, make_url, select

from rpdesk.db import conversion, database, encryption, schema
from rpdesk.db.database import backup, check_database, inspect_schema, open_database
from rpdesk.db.models import SurveyResponse, Ward
from rpdesk.errors import DatabaseRefused, KeyMissing, KeyRefused, UserError
from tests.support.file_keyring import FileKeyring

KEY = "correct horse battery staple"


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def url_of(path: Path) -> str:
    return f"sqlite:///{path}"


def strings_of(path: Path) -> list[bytes]:
    """Text that is certainly in the demo database: ward names, EVA locations and the schema's own words."""
    con = sqlite3.connect(path)
    try:
        names = [r[0].encode() for r in con.execute("SELECT name FROM ward")]
        places = [r[0].encode() for r in con.execute("SELECT DISTINCT location FROM audit_observation LIMIT 5")]
    finally:
        con.close()
    assert names and places
    return [*names, *places, b"CREATE TABLE", b"alembic_version", b"survey_response"]


def encrypted_copy(template: Path, tmp_path: Path, key: str = KEY) -> Path:
    """An encrypted copy of ``template`` made by the conversion ``db encrypt`` uses."""
    path = tmp_path / "ward.sqlite"
    shutil.copyfile(template, path)
    conversion.convert(make_url(url_of(path)), key)
    return path


@pytest.fixture
def file_keyring(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[FileKeyring]:
    monkeypatch.setenv("RPDESK_TEST_KEYRING", str(tmp_path / "keyring.json"))
    previous = keyring.get_keyring()
    ring = FileKeyring()
    keyring.set_keyring(ring)
    yield ring
    keyring.set_keyring(previous)


def rows(path: Path, key: str | None) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table, sorted, read through the same connection function rpdesk uses."""
    con = encryption.connect(path, key, read_only=True)
    try:
        tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
        return {t: sorted(con.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr) for t in tables}
    finally:
        con.close()


# --- the file's bytes and the key ------------------------------------------------------------------


def test_an_encrypted_database_shows_none_of_its_text(demo_template, tmp_path):
    known = strings_of(demo_template)
    plain = demo_template.read_bytes()
    assert all(s in plain for s in known)  # the plain file shows them: the check below can fail
    path = encrypted_copy(demo_template, tmp_path)
    database = open_database(url_of(path), key=KEY)
    with database.session() as s:  # writes go through the WAL, which is encrypted too
        s.add(Ward(code="E05099999", name="Zanzibar Heights", language="en"))
    database.dispose()
    raw = b"".join(p.read_bytes() for p in tmp_path.glob("ward.sqlite*"))
    assert not any(s in raw for s in [*known, b"Zanzibar Heights", b"SQLite format 3"])
    assert encryption.looks_encrypted(path)


def test_an_encrypted_database_opens_only_with_its_key(demo_template, tmp_path):
    path = encrypted_copy(demo_template, tmp_path)
    before = digest(path)
    with pytest.raises(KeyMissing, match="is encrypted and no key was given"):
        open_database(url_of(path), create=False)
    with pytest.raises(KeyRefused, match="The key does not open"):
        open_database(url_of(path), key="not the key", create=False)
    assert digest(path) == before
    assert sorted(p.name for p in tmp_path.iterdir() if "before-encrypt" not in p.name) == ["ward.sqlite"]
    database = open_database(url_of(path), key=KEY, create=False)
    with database.session() as s:
        assert s.scalar(select(func.count()).select_from(SurveyResponse)) > 0
    assert check_database(database) == []
    assert "pysqlcipher" in database.url.drivername and KEY not in database.label
    database.dispose()


def test_the_key_comes_from_the_environment_a_key_file_or_the_keyring(
    demo_template, tmp_path, monkeypatch, file_keyring
):
    path = encrypted_copy(demo_template, tmp_path)
    monkeypatch.setenv(encryption.ENV_KEY, KEY)
    open_database(url_of(path), create=False).dispose()
    monkeypatch.delenv(encryption.ENV_KEY)
    key_file = tmp_path / "key.txt"
    key_file.write_text(KEY + "\n")  # an editor's trailing newline is not part of the key
    monkeypatch.setenv(encryption.ENV_KEY_FILE, str(key_file))
    open_database(url_of(path), create=False).dispose()
    monkeypatch.delenv(encryption.ENV_KEY_FILE)
    assert encryption.remember_key(path, KEY)
    assert encryption.found_key(path) == (KEY, "the keyring")
    open_database(url_of(path), create=False).dispose()
    assert encryption.forget_key(path)
    asked: list[tuple[Path, bool]] = []
    open_database(url_of(path), create=False, ask_key=lambda p, new: asked.append((p, new)) or KEY).dispose()
    assert asked == [(path, False)]


def test_no_keyring_backend_falls_back_to_the_other_sources(demo_template, tmp_path, monkeypatch):
    path = encrypted_copy(demo_template, tmp_path)  # the test session's keyring is keyring's "fail" backend
    assert encryption.stored_key(path) is None
    assert encryption.remember_key(path, KEY) is False
    assert encryption.forget_key(path) is False
    monkeypatch.setenv(encryption.ENV_KEY, KEY)
    open_database(url_of(path), create=False).dispose()


def test_portable_mode_encrypts_a_new_database_and_plain_stays_possible(tmp_path, monkeypatch):
    monkeypatch.setenv("RPDESK_PORTABLE", str(tmp_path / "stick"))
    path = tmp_path / "new.sqlite"
    with pytest.raises(KeyMissing, match="to be encrypted but no key was given"):
        open_database(url_of(path))
    assert not path.exists()
    open_database(url_of(path), key=KEY).dispose()
    assert encryption.looks_encrypted(path)
    plain = tmp_path / "plain.sqlite"
    open_database(url_of(plain), encrypt=False).dispose()
    assert plain.read_bytes().startswith(b"SQLite format 3")


# --- opening checks hold for encrypted files ------------------------------------------------------


def _encrypted_engine(path: Path) -> object:
    return create_engine(encryption.keyed(make_url(url_of(path)), KEY))


def test_a_damaged_encrypted_database_is_refused_and_untouched(demo_template, tmp_path):
    path = encrypted_copy(demo_template, tmp_path)
    data = bytearray(path.read_bytes())
    for offset in range(4096 * 3, len(data), 4096 * 4):
        data[offset + 100 : offset + 400] = bytes(300)
    path.write_bytes(bytes(data))
    before = digest(path)
    with pytest.raises(DatabaseRefused, match="damaged"):
        open_database(url_of(path), key=KEY)
    assert digest(path) == before


def test_a_newer_or_foreign_encrypted_database_is_refused_and_untouched(tmp_path):
    newer = tmp_path / "newer.sqlite"
    open_database(url_of(newer), key=KEY, encrypt=True).dispose()
    con = encryption.connect(newer, KEY)
    con.execute("UPDATE alembic_version SET version_num='9999_future'")
    con.commit()
    con.close()
    foreign = tmp_path / "foreign.sqlite"
    con = encryption.connect(foreign, KEY)
    con.execute("CREATE TABLE contacts (id INTEGER PRIMARY KEY, name TEXT)")
    con.commit()
    con.close()
    for path, message in ((newer, "newer version of rpdesk"), (foreign, "not an rpdesk one")):
        before = digest(path)
        with pytest.raises(DatabaseRefused, match=message):
            open_database(url_of(path), key=KEY)
        assert digest(path) == before


def test_random_bytes_are_never_taken_for_a_database(tmp_path):
    path = tmp_path / "noise.sqlite"
    path.write_bytes(hashlib.sha512(b"x").digest() * 128)  # whole pages of random-looking bytes
    before = digest(path)
    with pytest.raises(KeyMissing):
        open_database(url_of(path))
    with pytest.raises(KeyRefused):
        open_database(url_of(path), key=KEY)
    assert digest(path) == before


def test_an_older_encrypted_database_is_backed_up_encrypted_then_upgraded(tmp_path):
    from alembic import command
    from alembic.config import Config

    path = tmp_path / "old.sqlite"
    cfg = Config()
    cfg.set_main_option("script_location", str(Path(schema.__file__).with_name("migrations")))
    engine = _encrypted_engine(path)
    with engine.begin() as con:  # type: ignore[attr-defined]
        cfg.attributes["connection"] = con
        command.upgrade(cfg, schema.REVISIONS[-2])
        con.exec_driver_sql(
            "INSERT INTO ward (code, name, language, created_at, version) "
            "VALUES ('E05000099', 'Old Ward', 'en', '2025-01-01', 1)"
        )
    engine.dispose()  # type: ignore[attr-defined]
    database = open_database(url_of(path), key=KEY)
    with database.session() as s:
        assert s.scalar(select(Ward.name)) == "Old Ward"
    database.dispose()
    [saved] = tmp_path.glob(f"old.before-{schema.HEAD}.sqlite")
    assert encryption.looks_encrypted(saved) and b"Old Ward" not in saved.read_bytes()
    assert inspect_schema(encryption.keyed(make_url(url_of(saved)), KEY)).revision == schema.REVISIONS[-2]


def test_a_backup_of_an_encrypted_database_stays_encrypted(demo_template, tmp_path):
    path = encrypted_copy(demo_template, tmp_path)
    target = backup(encryption.keyed(make_url(url_of(path)), KEY), tmp_path / "copy.sqlite")
    assert encryption.looks_encrypted(target)
    assert rows(target, KEY) == rows(path, KEY)


# --- db encrypt / db decrypt ------------------------------------------------------------------------


def test_encrypt_then_decrypt_keeps_every_row(demo_template, tmp_path):
    original = rows(demo_template, None)
    path = encrypted_copy(demo_template, tmp_path)
    assert rows(path, KEY) == original
    [kept] = tmp_path.glob("ward.before-encrypt-*.sqlite")
    assert encryption.looks_encrypted(kept) and rows(kept, KEY) == original  # the backup is encrypted too
    done = conversion.convert(encryption.keyed(make_url(url_of(path)), KEY), None)
    assert done.rows == sum(len(r) for r in original.values())
    assert path.read_bytes().startswith(b"SQLite format 3")
    assert rows(path, None) == original
    [encrypted_backup] = tmp_path.glob("ward.before-decrypt-*.sqlite")
    assert encryption.looks_encrypted(encrypted_backup)


def test_converting_twice_or_a_server_is_refused(demo_template, tmp_path):
    path = encrypted_copy(demo_template, tmp_path)
    with pytest.raises(UserError, match="already encrypted"):
        conversion.convert(encryption.keyed(make_url(url_of(path)), KEY), "another")
    with pytest.raises(UserError, match="database server"):
        conversion.convert(make_url("postgresql+psycopg://u@localhost/rpdesk"), KEY)


# --- no plain copy left behind ------------------------------------------------------------------------


def _plain_ward(demo_template: Path, folder: Path) -> Path:
    folder.mkdir(exist_ok=True)
    path = folder / "ward.sqlite"
    shutil.copyfile(demo_template, path)
    return path


def _holding(folder: Path, words: list[bytes]) -> dict[str, list[bytes]]:
    """Each file in ``folder`` whose raw bytes contain any of ``words`` (every file: -wal, -shm, backups, leftovers)."""
    found = {}
    for f in sorted(folder.iterdir()):
        raw = f.read_bytes()
        hits = [w for w in words if w in raw]
        if hits:
            found[f.name] = hits
    return found


def _write_without_checkpoint(path: Path, sql: str) -> None:
    """Commit ``sql`` into the -wal file and die without checkpointing (as a killed desktop app would)."""
    import subprocess
    import sys

    code = (
        "import os, sqlite3; c = sqlite3.connect(os.environ['DB']); c.execute('PRAGMA journal_mode=WAL'); "
        "c.execute('PRAGMA wal_autocheckpoint=0'); c.execute(os.environ['SQL']); c.commit(); os._exit(0)"
    )
    subprocess.run([sys.executable, "-c", code], env={"DB": str(path), "SQL": sql}, check=True)


def test_after_encrypt_no_file_in_the_folder_holds_the_records_in_clear(demo_template, tmp_path):
    path = _plain_ward(demo_template, tmp_path / "data")
    words = strings_of(demo_template)
    url = make_url(url_of(path))
    older = backup(url, tag=f"before-{schema.REVISIONS[-2]}")  # a pre-upgrade backup of other records
    con = sqlite3.connect(older)
    con.execute("DELETE FROM survey_response WHERE rowid % 2 = 0")
    con.commit()
    con.close()
    _write_without_checkpoint(path, "UPDATE ward SET name = name || ' Lastwritten'")
    same = backup(url)  # `db backup`: the same records as the database
    assert path.with_name("ward.sqlite-wal").stat().st_size > 0
    expected = rows(path, None)

    done = conversion.convert(url, KEY)

    assert _holding(path.parent, [*words, b"Lastwritten"]) == {}
    assert rows(path, KEY) == expected  # the -wal's last write came over
    assert done.wiped and encryption.looks_encrypted(done.backup) and rows(done.backup, KEY) == expected
    assert not same.exists() and f"{same}: plain backup removed" in done.notes[0] + done.notes[1]
    assert encryption.looks_encrypted(older) and rows(older, KEY)["survey_response"] != expected["survey_response"]
    assert any(f"{older}: plain backup encrypted with the same key" in n for n in done.notes)
    assert done.warnings == []
    assert sorted(f.name for f in path.parent.iterdir()) == sorted(
        ["ward.sqlite", done.backup.name, older.name]
    )  # no lock, no build, no second name left


def test_without_hard_links_the_plain_original_is_removed_and_it_is_said(demo_template, tmp_path, monkeypatch):
    """A FAT USB stick has no hard links: the rename still removes the plain file, but nothing overwrites it."""
    path = _plain_ward(demo_template, tmp_path / "stick [1]")  # glob characters in the folder and name are literal
    path = path.rename(path.with_name("ward [1].sqlite"))
    older = backup(make_url(url_of(path)), tag="backup-20260101-000000")

    def no_links(*_args: object) -> None:
        raise OSError(1, "Operation not permitted")

    monkeypatch.setattr(conversion.os, "link", no_links)
    done = conversion.convert(make_url(url_of(path)), KEY)
    assert not done.wiped and rows(path, KEY) == rows(demo_template, None)
    assert not older.exists() and done.notes == [
        f"{older}: plain backup removed (the encrypted database holds the same records)"
    ]
    assert _holding(path.parent, strings_of(demo_template)) == {}


def test_files_rpdesk_did_not_make_are_named_and_left_alone(demo_template, tmp_path):
    path = _plain_ward(demo_template, tmp_path)
    theirs = tmp_path / "ward copy for the inspector.sqlite"
    shutil.copyfile(demo_template, theirs)
    notes = tmp_path / "ward.notes.txt"
    notes.write_text("not a database")
    before = digest(theirs)
    done = conversion.convert(make_url(url_of(path)), KEY)
    assert digest(theirs) == before and notes.read_text() == "not a database"
    assert done.warnings == [f"{theirs}: an unencrypted SQLite file rpdesk did not make; if it is a copy, delete it"]


def test_keep_plain_backup_keeps_the_old_behaviour(demo_template, tmp_path):
    path = _plain_ward(demo_template, tmp_path)
    older = backup(make_url(url_of(path)), tag="backup-20260101-000000")
    done = conversion.convert(make_url(url_of(path)), KEY, keep_plain_backup=True)
    assert done.backup.read_bytes().startswith(b"SQLite format 3") and rows(done.backup, None) == rows(path, KEY)
    assert older.read_bytes().startswith(b"SQLite format 3")
    assert sorted(done.warnings) == sorted([f"{done.backup}: plain, kept", f"{older}: plain, kept"])


def test_a_damaged_plain_backup_is_named_not_hidden(demo_template, tmp_path):
    path = _plain_ward(demo_template, tmp_path)
    broken = tmp_path / "ward.backup-20260101-000000.sqlite"
    broken.write_bytes(demo_template.read_bytes()[:8192])  # an SQLite header, then nothing
    done = conversion.convert(make_url(url_of(path)), KEY)
    assert broken.exists() and len(done.warnings) == 1 and done.warnings[0].startswith(f"{broken}: ")
    assert rows(path, KEY) == rows(demo_template, None)


# --- interrupted, concurrent, read-only -----------------------------------------------------------


class Killed(BaseException):
    """A kill at one step (BaseException, like KeyboardInterrupt: no handler may swallow it)."""


def _kill_after(monkeypatch: pytest.MonkeyPatch, module: object, name: str, first_arg_ends: str = "") -> None:
    real = getattr(module, name)

    def run_then_die(*args: object, **kwargs: object) -> object:
        done = real(*args, **kwargs)
        if str(args[0]).endswith(first_arg_ends):
            raise Killed(name)
        return done

    monkeypatch.setattr(module, name, run_then_die)


def _kill_before(monkeypatch: pytest.MonkeyPatch, module: object, name: str, first_arg_ends: str = "") -> None:
    real = getattr(module, name)

    def die(*args: object, **kwargs: object) -> object:
        if str(args[0]).endswith(first_arg_ends):
            raise Killed(name)
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, die)


@pytest.mark.parametrize("step", ["built", "renamed", "overwriting"])
def test_a_kill_at_any_step_leaves_one_whole_database(demo_template, tmp_path, monkeypatch, step):
    import os

    from rpdesk import outputs

    path = _plain_ward(demo_template, tmp_path)
    original = rows(path, None)
    if step == "built":  # the encrypted copy is built and checked, its backup made; nothing renamed yet
        _kill_before(monkeypatch, conversion, "_swap")
    elif step == "renamed":  # the encrypted file is in place; the plain one not yet overwritten
        _kill_after(monkeypatch, os, "replace", first_arg_ends=f".ward.sqlite.new-{os.getpid()}")
    else:  # zeros written over the plain original, not yet on the disk
        real_shred = conversion.shred

        def shred_then_die(part: Path) -> bool:
            if part.name.endswith(database.PLAIN_MARK):
                _kill_before(monkeypatch, outputs.os, "fsync")
            return real_shred(part)

        monkeypatch.setattr(conversion, "shred", shred_then_die)
    with pytest.raises(Killed):
        conversion.convert(make_url(url_of(path)), KEY)
    monkeypatch.undo()

    key = None if step == "built" else KEY
    assert encryption.looks_encrypted(path) is (key is not None)
    assert rows(path, key) == original  # openable, every row
    [kept] = tmp_path.glob("ward.before-encrypt-*.sqlite")
    assert rows(kept, KEY) == original
    assert not (tmp_path / ".ward.sqlite.converting").exists()
    leftovers = list(tmp_path.glob(".ward.sqlite.new-*"))
    assert leftovers == ([tmp_path / f".ward.sqlite.new-{os.getpid()}-plain"] if step == "renamed" else [])
    for leftover in leftovers:  # the killed run's plain original under its second name, as a dead process leaves it
        leftover.rename(tmp_path / ".ward.sqlite.new-999999999-plain")
    open_database(url_of(path), key=key, create=False).dispose()  # removes the dead run's leftover
    assert not list(tmp_path.glob(".ward.sqlite.new-*"))
    if key is None:  # the next attempt goes through
        conversion.convert(make_url(url_of(path)), KEY)
        assert rows(path, KEY) == original
    assert _holding(tmp_path, strings_of(demo_template)) == {}


def test_a_killed_run_before_the_rename_leaves_the_second_name_harmless(demo_template, tmp_path, monkeypatch):
    """Killed between the hard link and the rename: the second name is the database itself, never overwritten."""
    import os

    path = _plain_ward(demo_template, tmp_path)
    _kill_before(monkeypatch, conversion.os, "replace", first_arg_ends=f".ward.sqlite.new-{os.getpid()}")
    with pytest.raises(Killed):
        conversion.convert(make_url(url_of(path)), KEY)
    monkeypatch.undo()
    [second] = tmp_path.glob(".ward.sqlite.new-*-plain")
    second.rename(tmp_path / ".ward.sqlite.new-999999999-plain")
    open_database(url_of(path), create=False).dispose()
    assert rows(path, None) == rows(demo_template, None)
    assert not list(tmp_path.glob(".ward.sqlite.new-*"))


def test_a_second_conversion_at_once_is_refused(demo_template, tmp_path):
    import subprocess
    import sys

    path = _plain_ward(demo_template, tmp_path)
    before = digest(path)
    busy = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        (tmp_path / ".ward.sqlite.converting").write_text(str(busy.pid))
        with pytest.raises(UserError, match=f"Another rpdesk \\(process {busy.pid}\\) is converting"):
            conversion.convert(make_url(url_of(path)), KEY)
        assert digest(path) == before
    finally:
        busy.kill()
        busy.wait()
    conversion.convert(make_url(url_of(path)), KEY)  # its converter is gone: the lock is stale
    assert rows(path, KEY) == rows(demo_template, None)


def test_a_folder_that_cannot_be_written_changes_nothing(demo_template, tmp_path, monkeypatch):
    import errno
    import os

    path = _plain_ward(demo_template, tmp_path)
    before = {f.name: digest(f) for f in tmp_path.iterdir()}
    real_open = os.open

    def read_only(name: object, flags: int, *args: object) -> int:
        if flags & os.O_CREAT:
            raise OSError(errno.EROFS, "Read-only file system", str(name))
        return real_open(name, flags, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(conversion.os, "open", read_only)
    with pytest.raises(UserError, match=r"cannot be written \(Read-only file system\).*nothing was changed"):
        conversion.convert(make_url(url_of(path)), KEY)
    monkeypatch.undo()
    assert {f.name: digest(f) for f in tmp_path.iterdir()} == before


def test_the_key_survives_the_url_as_text_that_child_processes_are_given(demo_template, tmp_path):
    path = encrypted_copy(demo_template, tmp_path, key="p@ss:w/rd% 1")
    database = open_database(url_of(path), key="p@ss:w/rd% 1", create=False)
    text = database.url.render_as_string(hide_password=False)  # what the GUI's task runner hands a child
    database.dispose()
    assert "p@ss" not in database.label and "***" in str(database.url)
    open_database(text, create=False).dispose()


def test_a_new_encrypted_database_opens_with_its_passphrase_in_any_sqlcipher_tool(tmp_path):
    """rpdesk derives the page key itself (once per process); the file is still SQLCipher 4's own format."""
    path = tmp_path / "new.sqlite"
    open_database(url_of(path), key=KEY, encrypt=True).dispose()
    driver = encryption.cipher_module()
    con = driver.connect(str(path))
    con.execute(f"PRAGMA key = {encryption.quote_key(KEY)}")  # SQLCipher's own derivation from the passphrase
    assert con.execute("SELECT version_num FROM alembic_version").fetchone()[0] == schema.HEAD
    con.close()
    assert encryption.page_key(KEY, encryption.file_salt(path)).startswith("x'")
