"""The desktop app as a user starts it: snapshots, a refused database, ward switching, shortcuts."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QAction, QImage, QKeySequence

from tests.gui.conftest import wait_idle

from rpdesk.gui.app import SNAPSHOT_SIZE
from rpdesk.gui.main_window import MainWindow
from rpdesk.gui.pages import PAGES


def _rpdesk(*args: str, env_home: Path, headless: bool = False) -> subprocess.CompletedProcess[str]:
    """rpdesk in a subprocess, offscreen; ``headless`` takes the display away as on a server (no QT_QPA_PLATFORM)."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": str(env_home)}
    if headless:
        for name in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY"):
            env.pop(name, None)
    return subprocess.run([sys.executable, "-m", "rpdesk", *args], capture_output=True, text=True, env=env, timeout=120)


def test_snapshot_mode_writes_one_png_per_page(demo_db, tmp_path):
    out = tmp_path / "snaps"
    result = _rpdesk("--db", str(demo_db.url), "--snapshot", str(out), env_home=tmp_path / "cfg", headless=True)
    assert result.returncode == 0, result.stderr  # snapshots need no display
    files = sorted(out.glob("*.png"))
    assert len(files) == len(PAGES)
    assert [f.name.split("-", 1)[0] for f in files] == [f"{i + 1:02d}" for i in range(len(PAGES))]
    image = QImage(str(files[0]))
    assert (image.width(), image.height()) == SNAPSHOT_SIZE  # a laptop screen less taskbar and frame


def test_a_refused_database_is_explained_without_a_traceback(tmp_path):
    bad = tmp_path / "notes.sqlite"
    bad.write_text("these are my notes, not a database")
    result = _rpdesk("--db", f"sqlite:///{bad}", "--snapshot", str(tmp_path / "snaps"), env_home=tmp_path / "cfg")
    assert result.returncode == 3
    assert "not an SQLite database" in result.stderr
    assert "Traceback" not in result.stderr
    assert bad.read_text() == "these are my notes, not a database"
    assert not (tmp_path / "snaps").exists() or not list((tmp_path / "snaps").iterdir())


def test_switching_ward_changes_every_page_and_is_remembered(qtbot, window):
    assert window.ward_box.count() == 2
    first, second = window.wards
    page = window.current_page
    assert first.name in page.heading.text()
    window.ward_box.setCurrentIndex(1)
    wait_idle(qtbot, page)
    assert second.name in page.heading.text()
    again = MainWindow()
    qtbot.addWidget(again)
    assert again.ward_box.currentText() == f"{second.name} ({second.code})"  # painted before the database opens


def test_every_page_has_a_shortcut(qtbot, window):
    shortcuts = {a.shortcut().toString(): a for a in window.findChildren(QAction)}
    for index in range(len(PAGES)):
        action = shortcuts[QKeySequence(f"Ctrl+{index + 1}").toString()]
        action.trigger()
        assert window.nav.currentRow() == index
        qtbot.waitUntil(lambda i=index: i in window.pages, timeout=10_000)
        wait_idle(qtbot, window.pages[index])
        assert window.stack.currentWidget().widget() is window.pages[index]  # in its scroll area
        assert window.pages[index].accessibleName() == PAGES[index].title


def test_demo_mode_builds_the_demo_database_on_first_use(tmp_path):
    env_data = tmp_path / "data"
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "XDG_CONFIG_HOME": str(tmp_path / "cfg"),
        "XDG_DATA_HOME": str(env_data),
    }
    out = tmp_path / "snaps"
    result = subprocess.run(
        [sys.executable, "-m", "rpdesk", "--demo", "--snapshot", str(out)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    demo = list(env_data.rglob("demo.sqlite"))
    assert len(demo) == 1 and not list(env_data.rglob("*.partial"))
    assert len(list(out.glob("*.png"))) == len(PAGES)


def test_without_a_display_rpdesk_says_so_in_one_line_and_how_to_run_headless(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env["XDG_DATA_HOME"] = str(tmp_path / "data")
    result = subprocess.run([sys.executable, "-m", "rpdesk"], capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 3
    (line,) = result.stderr.splitlines()
    assert "no display found" in line and "--snapshot" in line and "QT_QPA_PLATFORM=offscreen" in line
    assert not (tmp_path / "data").exists()


def test_a_missing_database_named_on_the_command_line_is_refused_and_not_created(tmp_path):
    typo = tmp_path / "wrads" / "north.sqlite"
    result = _rpdesk("--db", str(typo), "--snapshot", str(tmp_path / "snaps"), env_home=tmp_path / "cfg")
    assert result.returncode == 3
    assert f"There is no database at {typo}" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "wrads").exists()


@pytest.mark.parametrize(
    ("option", "env", "user", "machine"),
    [
        (None, None, None, None),
        ("given.sqlite", "env.sqlite", "sqlite:///user.sqlite", None),
        (None, "env.sqlite", "sqlite:///user.sqlite", None),
        (None, None, "sqlite:///user.sqlite", {"database_url": "postgresql://force/rpdesk"}),
        (
            None,
            None,
            "sqlite:///user.sqlite",
            {"database_url": "postgresql://force/rpdesk", "locked": ["database_url"]},
        ),
    ],
)
def test_the_desktop_app_and_the_cli_choose_the_same_database(monkeypatch, option, env, user, machine):
    from rpdesk.cli import build_parser
    from rpdesk.cli.common import database_choice as cli_choice
    from rpdesk.settings import Settings, machine_settings_path, user_settings_path

    from rpdesk.gui.app import database_choice as gui_choice
    from rpdesk.gui.app import parse_args

    if env:
        monkeypatch.setenv("RPDESK_DB", env)
    for path, data in (
        (user_settings_path(), {"database_url": user} if user else None),
        (machine_settings_path(), machine),
    ):
        if data:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(data), encoding="utf-8")
    extra = ["--db", option] if option else []
    gui = gui_choice(parse_args(extra), Settings.load())
    cli = cli_choice(build_parser().parse_args([*extra, "db", "where"]))
    assert gui == cli


@pytest.mark.parametrize("answer", ["create", "quit"])
def test_the_first_run_creates_the_database_only_when_asked_and_says_where(qtbot, monkeypatch, answer):
    from rpdesk.db.location import resolve_database

    from rpdesk.gui import app as app_module

    asked: list[Path] = []
    monkeypatch.setattr(app_module, "_first_run", lambda _window, path: asked.append(path) or answer)
    window = MainWindow()
    qtbot.addWidget(window)
    choice = resolve_database(None)
    assert choice.source == "default" and app_module._is_missing(choice)
    carried_on = app_module._start_first_run(window, choice, lambda exc: None)
    assert asked == [choice.path]
    if answer == "quit":
        assert not carried_on and not choice.path.exists() and not choice.path.parent.exists()
        return
    qtbot.waitUntil(lambda: window.ctx is not None and not window.busy, timeout=60_000)
    assert choice.path.is_file() and str(choice.path) in window._db_label.text()
