"""The force-laptop bundle: built with the README's command, unpacked elsewhere, run from its folder alone.

Slow (a full PyInstaller build, minutes on two cores), so marked ``bundle`` and left out of the default
run; CI runs it after the main suite: ``.venv/bin/python -m pytest -m bundle tests/e2e/test_bundle.py``.

The archive IT would hand out is unpacked into a fresh folder and every command runs there with a
bare environment: no virtualenv, no PYTHONPATH, the source tree not on any path, a throwaway home.
So a module, data file or library the spec forgot fails here, not on a sergeant's laptop.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import tarfile
from importlib.metadata import version
from pathlib import Path
from types import ModuleType

import pytest
from pypdf import PdfReader

pytestmark = pytest.mark.bundle


def load_module(name: str, path: Path) -> ModuleType:
    """``packaging/`` is a folder of scripts, not a package (and ``packaging`` is a PyPI name)."""
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


ROOT = Path(__file__).resolve().parents[2]
BUILD = load_module("rpdesk_build", ROOT / "packaging" / "build.py")
FORCE = "Testshire Police"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
COMMAND_TIMEOUT_S = 300


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The unpacked bundle folder (``.../rpdesk``), built from this tree into a temporary folder."""
    build = tmp_path_factory.mktemp("build")
    subprocess.run(
        [sys.executable, BUILD.__file__, "--dist", str(build / "dist"), "--work", str(build)],
        check=True,
        timeout=3600,
    )
    archives = list((build / "dist").glob("rpdesk-*.tar.gz"))
    assert [a.name for a in archives] == [f"{BUILD.archive_name()}.tar.gz"]
    assert version("rpdesk") in archives[0].name
    unpacked = tmp_path_factory.mktemp("laptop")
    with tarfile.open(archives[0]) as tf:
        tf.extractall(unpacked, filter="tar")
    return unpacked / "rpdesk"


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A throwaway home holding a machine-wide settings file as IT would deploy it."""
    folder = tmp_path_factory.mktemp("home")
    (folder / "machine-settings.json").write_text(json.dumps({"force_name": FORCE, "locked": ["force_name"]}))
    return folder


def run(bundle: Path, home: Path, program: str, *args: str, **extra_env: str) -> subprocess.CompletedProcess[str]:
    env = {**BUILD.bare_env(home), **extra_env}
    return subprocess.run(
        [str(bundle / program), *args],
        cwd=home,
        env=env,
        capture_output=True,
        text=True,
        timeout=COMMAND_TIMEOUT_S,
    )


def ok(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, f"exit {result.returncode}\n{result.stdout}\n{result.stderr}"
    assert "Traceback" not in result.stderr, result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def demo(bundle: Path, home: Path) -> tuple[str, str]:
    """(database URL, ward code) of a demo database the bundle built, running its Alembic migrations."""
    url = f"sqlite:///{home / 'demo.sqlite'}"
    ok(run(bundle, home, "rpdesk-cli", "demo", "--db", url, "--wards", "2", "--years", "1"))
    wards = json.loads(ok(run(bundle, home, "rpdesk-cli", "--db", url, "wards", "list", "--format", "json")))
    return url, wards[0]["code"]


def test_bundle_holds_both_executables_and_no_unused_qt(bundle: Path) -> None:
    assert os.access(bundle / "rpdesk", os.X_OK)
    assert os.access(bundle / "rpdesk-cli", os.X_OK)
    qt = {p.name.split(".")[0] for p in (bundle / "_internal" / "PySide6").glob("Qt*.so")}
    assert {"QtCore", "QtGui", "QtWidgets"} <= qt
    assert not qt & {"QtWebEngineCore", "QtMultimedia", "Qt3DCore", "QtQuick", "QtQml", "QtNetwork"}
    assert not list((bundle / "_internal").glob("**/tkinter")), "tkinter should be excluded"
    package = bundle / "_internal" / "rpdesk"
    assert (package / "resources" / "icons" / "rpdesk-app.svg").is_file()
    assert list((package / "resources" / "fonts").glob("*.ttf"))
    assert not (package / "resources" / "screenshots").exists()  # README pictures, not run-time files
    assert list((package / "db" / "migrations" / "versions").glob("0001_*.py"))


def test_cli_version_comes_from_the_package_metadata(bundle: Path, home: Path) -> None:
    assert ok(run(bundle, home, "rpdesk-cli", "--version")).strip() == f"rpdesk {version('rpdesk')}"


def test_cli_builds_demo_wards_in_a_new_database(bundle: Path, home: Path, demo: tuple[str, str]) -> None:
    url, _ = demo
    wards = json.loads(ok(run(bundle, home, "rpdesk-cli", "--db", url, "wards", "list", "--format", "json")))
    assert len(wards) == 2
    assert ": ok (schema" in ok(run(bundle, home, "rpdesk-cli", "--db", url, "db", "check"))


def test_cli_writes_the_tasking_pack_with_the_machine_wide_force_name(
    bundle: Path, home: Path, demo: tuple[str, str], tmp_path: Path
) -> None:
    url, ward = demo
    out = tmp_path / "x.pdf"
    ok(run(bundle, home, "rpdesk-cli", "report", "tasking", "--db", url, "--ward", ward, "--out", str(out)))
    assert out.read_bytes().startswith(b"%PDF")
    reader = PdfReader(out)
    assert len(reader.pages) >= 1
    first = reader.pages[0].extract_text()
    assert "OFFICIAL-SENSITIVE" in first
    assert FORCE in first


def test_cli_writes_a_welsh_briefing_with_its_locale_data(
    bundle: Path, home: Path, demo: tuple[str, str], tmp_path: Path
) -> None:
    url, ward = demo
    out = tmp_path / "b.pdf"
    args = ("report", "briefing", "--db", url, "--ward", ward, "--lang", "cy", "--out", str(out))
    ok(run(bundle, home, "rpdesk-cli", *args))
    assert len(PdfReader(out).pages) >= 1


def test_cli_refuses_a_user_mistake_without_a_traceback(bundle: Path, home: Path, demo: tuple[str, str]) -> None:
    url, _ = demo
    result = run(bundle, home, "rpdesk-cli", "report", "tasking", "--db", url, "--ward", "E05999999", "--out", "y.pdf")
    assert result.returncode == 3
    assert "Traceback" not in result.stderr
    assert "E05999999" in result.stderr


def test_gui_snapshot_paints_every_page_offscreen(
    bundle: Path, home: Path, demo: tuple[str, str], tmp_path: Path
) -> None:
    url, _ = demo
    folder = tmp_path / "snaps"
    ok(run(bundle, home, "rpdesk", "--db", url, "--snapshot", str(folder)))
    pngs = sorted(folder.glob("*.png"))
    assert len(pngs) >= 5, pngs
    for png in pngs:
        data = png.read_bytes()
        assert data.startswith(PNG_MAGIC) and len(data) > 10_000, png


def test_portable_flag_keeps_the_data_beside_the_bundle(bundle: Path, home: Path) -> None:
    flag = bundle / "portable.flag"
    flag.touch()
    try:
        ok(run(bundle, home, "rpdesk-cli", "demo", "--wards", "1", "--years", "1"))
    finally:
        flag.unlink()
    assert (bundle / "rpdesk-data" / "rpdesk.sqlite").is_file()
    assert not (home / "data" / "rpdesk").exists()


def test_an_encrypted_database_is_made_and_opened_only_with_its_key(bundle: Path, home: Path, tmp_path: Path) -> None:
    """SQLCipher, its dialect and keyring are in the bundle: make, fill, read and paint an encrypted database."""
    db, key = tmp_path / "locked.sqlite", tmp_path / "key.txt"
    key.write_text("bundle passphrase 7\n")
    ok(run(bundle, home, "rpdesk-cli", "db", "init", "--db", str(db), "--encrypt", "--key-file", str(key)))
    ok(run(bundle, home, "rpdesk-cli", "demo", "--db", str(db), "--wards", "1", "--years", "1", "--key-file", str(key)))
    listed = ok(
        run(bundle, home, "rpdesk-cli", "wards", "list", "--db", str(db), "--format", "json", "--key-file", str(key))
    )
    name = json.loads(listed)[0]["name"]
    assert name.encode() not in db.read_bytes() and not db.read_bytes().startswith(b"SQLite format 3")
    refused = run(bundle, home, "rpdesk-cli", "wards", "list", "--db", str(db))
    assert refused.returncode == 3 and "is encrypted and no key was given" in refused.stderr
    assert "Traceback" not in refused.stderr and len(refused.stderr.strip().splitlines()) == 1
    wrong = run(bundle, home, "rpdesk-cli", "wards", "list", "--db", str(db), RPDESK_DB_KEY="guess")
    assert wrong.returncode == 3 and "The key does not open" in wrong.stderr
    folder = tmp_path / "snaps"
    ok(run(bundle, home, "rpdesk", "--db", str(db), "--snapshot", str(folder), RPDESK_DB_KEY_FILE=str(key)))
    assert len(list(folder.glob("*.png"))) >= 5


def test_portable_mode_encrypts_a_new_database(bundle: Path, home: Path, tmp_path: Path) -> None:
    key, stick = tmp_path / "key.txt", tmp_path / "stick"
    key.write_text("stick passphrase 9")
    ok(run(bundle, home, "rpdesk-cli", "db", "init", "--key-file", str(key), RPDESK_PORTABLE=str(stick)))
    where = ok(run(bundle, home, "rpdesk-cli", "db", "where", RPDESK_PORTABLE=str(stick), RPDESK_DB_KEY_FILE=str(key)))
    made = stick / "rpdesk.sqlite"
    assert "encrypted (SQLCipher)" in where and "state: schema" in where
    assert made.is_file() and b"alembic_version" not in made.read_bytes()


def test_linux_install_script_adds_the_menu_entry_and_commands_then_removes_them(bundle: Path, tmp_path: Path) -> None:
    env = BUILD.bare_env(tmp_path)
    subprocess.run([str(bundle / "install-linux.sh")], env=env, check=True, capture_output=True, timeout=60)
    entry = tmp_path / "data" / "applications" / "rpdesk.desktop"
    assert f'Exec="{bundle}/rpdesk"' in entry.read_text(encoding="utf-8")
    assert (tmp_path / "data" / "icons" / "hicolor" / "256x256" / "apps" / "rpdesk-app.png").is_file()
    command = tmp_path / ".local" / "bin" / "rpdesk-cli"
    version_line = subprocess.run([str(command), "--version"], env=env, capture_output=True, text=True, timeout=60)
    assert ok(version_line).strip() == f"rpdesk {version('rpdesk')}"  # started through the symbolic link
    subprocess.run([str(bundle / "install-linux.sh"), "--remove"], env=env, check=True, capture_output=True)
    assert not entry.exists()
    assert not command.exists()
    assert (bundle / "rpdesk").exists()
