"""The desktop app on an encrypted database: the passphrase dialog, a wrong passphrase, a new encrypted file."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from sqlalchemy import make_url

from rpdesk.db import conversion, encryption
from rpdesk.domain.keys import typed_key_problems

from rpdesk.gui.dialogs.passphrase import Passphrase, PassphraseDialog
from rpdesk.gui.main_window import MainWindow

KEY = "blue kettle on the moor"


@pytest.fixture
def encrypted_demo(demo_template: Path, tmp_path: Path) -> Path:
    path = tmp_path / "ward.sqlite"
    shutil.copyfile(demo_template, path)
    conversion.convert(make_url(f"sqlite:///{path}"), KEY)
    return path


def _type_into_dialog(*keys: str, remember: bool = False) -> None:
    """When the passphrase dialog shows, type ``keys`` into its fields and press OK (as a person would)."""

    def fill() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, PassphraseDialog):
            QTimer.singleShot(20, fill)
            return
        dialog.key.setText(keys[0])
        if dialog.new:
            dialog.again.setText(keys[1] if len(keys) > 1 else keys[0])
        dialog.remember.setChecked(remember)
        dialog.accept()

    QTimer.singleShot(0, fill)


def test_an_encrypted_database_opens_with_the_passphrase_typed(qtbot, encrypted_demo):
    win = MainWindow()
    qtbot.addWidget(win)
    _type_into_dialog(KEY)
    with qtbot.waitSignal(win.database_opened, timeout=30_000):
        win.open_database(f"sqlite:///{encrypted_demo}")
    assert win.wards and KEY not in win._db_label.text() and win._db_label.text().endswith("(encrypted)")
    assert win.ctx is not None and win.ctx.database.file == encrypted_demo


def test_a_wrong_passphrase_is_said_plainly_and_asked_again(qtbot, monkeypatch, encrypted_demo):
    answers = iter([Passphrase("not it", False), Passphrase(KEY, False)])
    monkeypatch.setattr(PassphraseDialog, "ask", classmethod(lambda cls, *a, **k: next(answers)))
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text: warnings.append(text))
    win = MainWindow()
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.database_opened, timeout=30_000):
        win.open_database(f"sqlite:///{encrypted_demo}")
    assert len(warnings) == 1 and "The key does not open" in warnings[0] and "Type the passphrase again" in warnings[0]


def test_cancelling_the_passphrase_opens_nothing_and_says_why(qtbot, monkeypatch, encrypted_demo):
    monkeypatch.setattr(PassphraseDialog, "ask", classmethod(lambda cls, *a, **k: None))
    win = MainWindow()
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.database_failed, timeout=10_000) as failed:
        assert win.open_database(f"sqlite:///{encrypted_demo}") is None
    assert "no passphrase was given" in str(failed.args[0]) and win.ctx is None


def test_a_new_database_in_portable_mode_is_encrypted_with_the_passphrase_chosen(qtbot, monkeypatch, tmp_path):
    monkeypatch.setenv("RPDESK_PORTABLE", str(tmp_path / "stick"))
    path = tmp_path / "stick" / "rpdesk.sqlite"
    win = MainWindow()
    qtbot.addWidget(win)
    _type_into_dialog(KEY, KEY)
    with qtbot.waitSignal(win.database_opened, timeout=30_000):
        win.open_database(f"sqlite:///{path}", create=True)
    win.ctx.database.dispose()
    assert encryption.looks_encrypted(path) and b"alembic_version" not in path.read_bytes()


def test_the_new_passphrase_must_be_typed_twice_alike(qtbot, tmp_path):
    dialog = PassphraseDialog(tmp_path / "new.sqlite", new=True, keyring=False)
    qtbot.addWidget(dialog)
    dialog.key.setText("long enough key")
    dialog.again.setText("long enough kez")
    dialog.accept()
    assert not dialog.result()
    assert dialog.problem.text() == "\n".join(typed_key_problems("long enough key", new=True, again="long enough kez"))
    assert not dialog.remember.isEnabled()  # no keyring on this machine: nothing offered that cannot be kept


def test_snapshot_mode_never_waits_for_a_passphrase(encrypted_demo, tmp_path):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": str(tmp_path / "cfg")}
    args = [sys.executable, "-m", "rpdesk", "--db", str(encrypted_demo), "--snapshot", str(tmp_path / "snaps")]
    refused = subprocess.run(args, capture_output=True, text=True, env=env, timeout=120)
    assert refused.returncode == 3 and "is encrypted and no key was given" in refused.stderr
    assert "Traceback" not in refused.stderr
