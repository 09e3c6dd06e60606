"""`rpdesk-cli` on encrypted databases: keys from a file, the environment or the keyring; one-line refusals."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

KEY = "tangerine 4 lamppost"
NO_KEY = "is encrypted and no key was given"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _one_line_refusal(result, text: str) -> None:
    assert result.returncode == 3, result.stderr
    assert text in result.stderr and "Traceback" not in result.stderr and "ERROR CORE" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_an_encrypted_database_from_init_to_decrypt(cli, tmp_path: Path) -> None:
    db = tmp_path / "ward.sqlite"
    key_file = tmp_path / "key.txt"
    key_file.write_text(KEY + "\n")
    refused = cli("db", "init", "--db", str(db), "--encrypt")
    _one_line_refusal(refused, "to be encrypted but no key was given")
    assert not db.exists()
    created = cli("db", "init", "--db", str(db), "--encrypt", "--key-file", str(key_file))
    assert created.returncode == 0, created.stderr
    assert "encrypted, no keyring on this computer" in created.stdout
    built = cli(
        "demo", "--db", str(db), "--wards", "1", "--years", "1", "--today", "2026-10-31", "--key-file", str(key_file)
    )
    assert built.returncode == 0, built.stderr
    wards = json.loads(cli("wards", "list", "--db", str(db), "--format", "json", env={"RPDESK_DB_KEY": KEY}).stdout)
    raw = db.read_bytes()
    assert wards and not any(w["name"].encode() in raw or w["code"].encode() in raw for w in wards)

    before = _digest(db)
    _one_line_refusal(cli("wards", "list", "--db", str(db)), NO_KEY)
    _one_line_refusal(cli("wards", "list", "--db", str(db), env={"RPDESK_DB_KEY": "guess"}), "The key does not open")
    assert _digest(db) == before

    where = cli("db", "where", "--db", str(db), env={"RPDESK_DB_KEY_FILE": str(key_file)})
    assert "encrypted (SQLCipher); key from the key file named by RPDESK_DB_KEY_FILE" in where.stdout
    assert "state: schema " in where.stdout
    assert "encrypted (SQLCipher); no key found" in cli("db", "where", "--db", str(db)).stdout

    backup = cli("db", "backup", "--db", str(db), "--key-file", str(key_file))
    assert backup.returncode == 0, backup.stderr
    assert wards[0]["name"].encode() not in Path(backup.stdout.strip()).read_bytes()

    asked = cli("db", "decrypt", "--db", str(db), "--key-file", str(key_file))  # not at a terminal, no --yes
    assert asked.returncode == 3 and "confirm with --yes" in asked.stderr and _digest(db) == before
    plain = cli("db", "decrypt", "--db", str(db), "--key-file", str(key_file), "--yes")
    assert plain.returncode == 0, plain.stderr
    assert "warning: decrypting leaves" in plain.stderr
    assert "decrypted" in plain.stdout and wards[0]["name"].encode() in db.read_bytes()
    again = json.loads(cli("wards", "list", "--db", str(db), "--format", "json").stdout)
    assert again == wards
    _one_line_refusal(cli("db", "decrypt", "--db", str(db), "--yes"), "is not encrypted")


def test_db_encrypt_keeps_the_key_in_the_keyring_when_there_is_one(cli, tmp_path: Path) -> None:
    db = tmp_path / "ward.sqlite"
    ring = {
        "PYTHON_KEYRING_BACKEND": "tests.support.file_keyring.FileKeyring",
        "RPDESK_TEST_KEYRING": str(tmp_path / "ring.json"),
    }
    assert cli("db", "init", "--db", str(db)).returncode == 0
    assert db.read_bytes().startswith(b"SQLite format 3")
    done = cli("db", "encrypt", "--db", str(db), env={**ring, "RPDESK_DB_KEY": KEY})
    assert done.returncode == 0, done.stderr
    assert "its key as given" in done.stdout and "unencrypted original was overwritten and removed" in done.stdout
    assert not db.read_bytes().startswith(b"SQLite format 3")
    _one_line_refusal(cli("wards", "list", "--db", str(db), env=ring), NO_KEY)
    key_file = tmp_path / "key.txt"
    key_file.write_text(KEY)
    kept = cli("db", "key", "--db", str(db), "--key-file", str(key_file), env=ring)
    assert kept.returncode == 0 and "kept in this computer's keyring" in kept.stdout
    assert cli("wards", "list", "--db", str(db), env=ring).returncode == 0  # the keyring's key, nothing typed
    assert "key from the keyring" in cli("db", "where", "--db", str(db), env=ring).stdout
    assert cli("db", "key", "--db", str(db), "--forget", env=ring).returncode == 0
    _one_line_refusal(cli("wards", "list", "--db", str(db), env=ring), NO_KEY)


def _at_a_terminal(args: list[str], answers: list[str], env: dict[str, str]) -> tuple[int, str]:
    """Run rpdesk-cli on a pseudo-terminal, typing each answer when a prompt ends in ': '; (exit code, screen)."""
    import os
    import pty
    import select
    import sys
    import time

    pid, fd = pty.fork()
    if pid == 0:  # the child: rpdesk-cli with the terminal as its stdin, stdout and /dev/tty
        os.execve(sys.executable, [sys.executable, "-m", "rpdesk.cli", *args], {**os.environ, **env})
    screen, pending = b"", list(answers)
    while True:
        ready, _, _ = select.select([fd], [], [], 60)
        if not ready:
            os.kill(pid, 9)
            break
        try:
            chunk = os.read(fd, 1024)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        screen += chunk
        if pending and screen.rstrip(b"\r\n").endswith(b": "):
            time.sleep(0.3)  # typed as a person would, not in the instant the prompt appears (the pty can still echo)
            os.write(fd, pending.pop(0).encode() + b"\n")
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status), screen.decode(errors="replace")


def test_at_a_terminal_the_key_is_asked_for_and_not_echoed(cli, tmp_path: Path) -> None:
    db = tmp_path / "ward.sqlite"
    code, screen = _at_a_terminal(["db", "init", "--db", str(db), "--encrypt"], [KEY, KEY], {})
    assert code == 0, screen
    assert f"New key for {db}: " in screen and "The same key again: " in screen and KEY not in screen
    code, screen = _at_a_terminal(["wards", "list", "--db", str(db)], [KEY], {})
    assert code == 0 and f"Key for {db}: " in screen and "code" in screen and KEY not in screen
    code, screen = _at_a_terminal(["wards", "list", "--db", str(db)], ["wrong"], {})
    assert code == 3 and "The key does not open" in screen


# --- no plain copy left on the laptop ------------------------------------------------------------------


def _plain_demo(cli, folder: Path) -> tuple[Path, list[bytes]]:
    """A plain demo database in ``folder`` and text certainly in it (ward names and codes)."""
    folder.mkdir()
    db = folder / "ward.sqlite"
    built = cli("demo", "--db", str(db), "--wards", "1", "--years", "1", "--today", "2026-10-31", "--plain")
    assert built.returncode == 0, built.stderr
    wards = json.loads(cli("wards", "list", "--db", str(db), "--format", "json").stdout)
    return db, [w[k].encode() for w in wards for k in ("name", "code")]


def _files_holding(folder: Path, words: list[bytes]) -> list[str]:
    """Every file in ``folder`` (database, -wal, -shm, backups, leftovers) whose raw bytes hold one of ``words``."""
    return sorted(f.name for f in folder.iterdir() if any(w in f.read_bytes() for w in words))


def test_after_db_encrypt_no_file_beside_the_database_holds_its_text(cli, tmp_path: Path) -> None:
    db, words = _plain_demo(cli, tmp_path / "data")
    key_file = tmp_path / "ward.key"
    key_file.write_text(KEY)
    saved = cli("db", "backup", "--db", str(db))
    assert saved.returncode == 0, saved.stderr
    backup = Path(saved.stdout.strip())
    assert _files_holding(db.parent, words) == sorted([db.name, backup.name])

    done = cli("db", "encrypt", "--db", str(db), "--key-file", str(key_file), "--no-keyring")
    assert done.returncode == 0, done.stderr
    assert "unencrypted original was overwritten and removed" in done.stdout
    assert f"{backup}: plain backup removed (the encrypted database holds the same records)" in done.stdout
    assert _files_holding(db.parent, words) == []
    listed = cli("wards", "list", "--db", str(db), "--key-file", str(key_file))
    assert listed.returncode == 0 and words[0].decode() in listed.stdout


def test_keep_plain_backup_says_a_readable_copy_stays(cli, tmp_path: Path) -> None:
    db, words = _plain_demo(cli, tmp_path / "data")
    done = cli("db", "encrypt", "--db", str(db), "--keep-plain-backup", "--no-keyring", env={"RPDESK_DB_KEY": KEY})
    assert done.returncode == 0, done.stderr
    [kept] = db.parent.glob("ward.before-encrypt-*.sqlite")
    assert f"warning: the unencrypted original is kept as {kept} (--keep-plain-backup)" in done.stderr
    assert _files_holding(db.parent, words) == [kept.name]


def test_two_db_encrypt_at_once_one_refuses_cleanly(cli, tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    db, words = _plain_demo(cli, tmp_path / "data")
    env = {**os.environ, "RPDESK_DB_KEY": KEY}
    args = [sys.executable, "-m", "rpdesk.cli", "db", "encrypt", "--db", str(db), "--no-keyring"]
    runs = [subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in "ab"]
    results = sorted((r.wait(timeout=300), r.communicate()[1]) for r in runs)
    assert [code for code, _ in results] == [0, 3], results
    refusal = results[1][1]
    assert "is converting" in refusal or "already encrypted" in refusal, refusal
    assert "Traceback" not in refusal and len(refusal.strip().splitlines()) == 1
    listed = cli("wards", "list", "--db", str(db), env={"RPDESK_DB_KEY": KEY})
    assert listed.returncode == 0 and words[0].decode() in listed.stdout
    assert _files_holding(db.parent, words) == []


def test_a_read_only_folder_is_said_and_nothing_changes(cli, tmp_path: Path) -> None:
    import os
    import shutil
    import subprocess

    import pytest

    db, _words = _plain_demo(cli, tmp_path / "data")
    if os.geteuid() == 0:  # root ignores permissions: a read-only mount instead
        mount = tmp_path / "ro"
        mount.mkdir()
        if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(mount)]).returncode != 0:
            pytest.skip("cannot mount a tmpfs here")
        shutil.copyfile(db, mount / db.name)
        db = mount / db.name
        if subprocess.run(["mount", "-o", "remount,ro", str(mount)]).returncode != 0:
            subprocess.run(["umount", "-l", str(mount)])
            pytest.skip("cannot remount read-only here")
    else:
        db.parent.chmod(0o500)
    before = {f.name: _digest(f) for f in db.parent.iterdir()}
    try:
        refused = cli("db", "encrypt", "--db", str(db), "--no-keyring", env={"RPDESK_DB_KEY": KEY})
        after = {f.name: _digest(f) for f in db.parent.iterdir()}
    finally:
        if os.geteuid() == 0:
            subprocess.run(["umount", "-l", str(db.parent)])
        else:
            db.parent.chmod(0o700)
    _one_line_refusal(refused, f"The folder {db.parent} cannot be written")
    assert "nothing was changed" in refused.stderr and after == before


def test_db_decrypt_at_a_terminal_asks_first(cli, tmp_path: Path) -> None:
    db, words = _plain_demo(cli, tmp_path / "data")
    assert cli("db", "encrypt", "--db", str(db), "--no-keyring", env={"RPDESK_DB_KEY": KEY}).returncode == 0
    before = _digest(db)
    code, screen = _at_a_terminal(["db", "decrypt", "--db", str(db)], ["n"], {"RPDESK_DB_KEY": KEY})
    assert code == 3 and "decrypting leaves" in screen and "was not decrypted" in screen, screen
    assert _digest(db) == before
    code, screen = _at_a_terminal(["db", "decrypt", "--db", str(db)], ["y"], {"RPDESK_DB_KEY": KEY})
    assert code == 0 and "decrypted" in screen, screen
    assert words[0] in db.read_bytes()
