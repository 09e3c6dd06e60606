"""Settings: every field checked before anything is saved; machine-locked settings are read-only."""

from __future__ import annotations

import json

import pytest
from PySide6.QtWidgets import QLabel

from rpdesk.settings import Settings, logo_problem, machine_settings_path, user_settings_path
from tests.gui.conftest import app_font

from rpdesk.gui.dialogs.settings import SettingsDialog


def test_invalid_values_are_all_reported_and_nothing_is_saved(qtbot):
    dialog = SettingsDialog(Settings.load())
    qtbot.addWidget(dialog)
    dialog.fields["ring_fence_target"].setText("150%")
    dialog.fields["force_name"].setText("   ")
    dialog.fields["due_soon_days"].setText("soon")
    dialog.fields["logo_path"].setText("/nowhere/logo.png")
    dialog.accept()
    text = dialog.problem_label.text()
    assert "Ring-fence target (share of rostered hours on ward duties)' must be between 0% and 100%" in text
    assert "Force name" in text and "'soon' is not a int" in text
    assert f"• {logo_problem('/nowhere/logo.png')}" in text.splitlines()  # the documents' own rule, word for word
    assert not user_settings_path().exists()


def test_valid_values_are_saved(qtbot):
    settings = Settings.load()
    dialog = SettingsDialog(settings)
    qtbot.addWidget(dialog)
    dialog.fields["ring_fence_target"].setText("0.75")
    dialog.fields["force_name"].setText("Dyfed-Powys Police")
    dialog.accept()
    assert dialog.result() == dialog.DialogCode.Accepted
    assert Settings.load().ring_fence_target == 0.75
    assert json.loads(user_settings_path().read_text())["force_name"] == "Dyfed-Powys Police"


def test_the_ring_fence_target_shows_as_a_percentage_and_is_typed_the_same_way(qtbot):
    dialog = SettingsDialog(Settings.load())
    qtbot.addWidget(dialog)
    assert dialog.fields["ring_fence_target"].text() == "80%"
    dialog.fields["ring_fence_target"].setText("75%")
    dialog.accept()
    assert dialog.problem_label.text() == ""
    assert Settings.load().ring_fence_target == 0.75
    again = SettingsDialog(Settings.load())
    qtbot.addWidget(again)
    assert again.fields["ring_fence_target"].text() == "75%"
    again.accept()  # shown as 75%, read back as 0.75: nothing changed, nothing refused
    assert again.problem_label.text() == ""


def test_locked_settings_are_read_only(qtbot):
    machine_settings_path().write_text(
        json.dumps({"marking_restricted": "OFFICIAL-SENSITIVE", "locked": ["marking_restricted"]})
    )
    dialog = SettingsDialog(Settings.load())
    qtbot.addWidget(dialog)
    assert dialog.fields["marking_restricted"].isReadOnly()
    dialog.accept()
    assert dialog.problem_label.text() == ""


@pytest.mark.parametrize("points", [9.0, 13.5])
def test_no_setting_s_label_is_clipped(qtbot, qapp, points):
    with app_font(qapp, points):
        dialog = SettingsDialog(Settings.load())
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.wait(20)
        labels = [w for w in dialog.findChildren(QLabel) if w.wordWrap() and w.isVisible()]  # the settings' titles
        assert len(labels) >= 20
        for label in labels:  # every wrapped line of the title has room
            assert label.height() >= label.heightForWidth(label.width()), label.text()
