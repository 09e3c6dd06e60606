"""The desktop app as a user starts it: snapshots, a refused database, ward switching, shortcuts."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtGui import QAction, QImage, QKeySequence

from tests.gui.conftest import wait_idle

from rpdesk.gui.app import SNAPSHOT_SIZE
from rpdesk.gui.main_window import MainWindow
from rpdesk.gui.pages import PAGES


def _rpdesk(*args: str, env_home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": str(env_home)}
    return subprocess.run([sys.executable, "-m", "rpdesk", *args], capture_output=True, text=True, env=env, timeout=120)


def test_snapshot_mode_writes_one_png_per_page(demo_db, tmp_path):
    out = tmp_path / "snaps"
    result = _rpdesk("--db", str(demo_db.url), "--snapshot", str(out), env_home=tmp_path / "cfg")
    assert result.returncode == 0, result.stderr
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
        assert window.stack.currentWidget() is window.pages[index]
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
