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

    plain = cli("db", "decrypt", "--db", str(db), "--key-file", str(key_file))
    assert plain.returncode == 0, plain.stderr
    assert "decrypted" in plain.stdout and wards[0]["name"].encode() in db.read_bytes()
    again = json.loads(cli("wards", "list", "--db", str(db), "--format", "json").stdout)
    assert again == wards
    _one_line_refusal(cli("db", "decrypt", "--db", str(db)), "is not encrypted")


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
    assert "its key as given" in done.stdout and "unencrypted original is kept as" in done.stdout
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
