"""Where data and settings live: per-user folders by default, one folder beside the program when portable."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from rpdesk import paths
from rpdesk.settings import Settings, user_settings_path


@pytest.fixture
def bundle(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """A fake bundle folder whose executable is the running program, as PyInstaller sets it up."""
    folder = tmp_path / "rpdesk"
    folder.mkdir()
    (folder / "rpdesk").touch()
    monkeypatch.setattr(sys, "executable", str(folder / "rpdesk"))
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.delenv("RPDESK_PORTABLE", raising=False)
    return folder


def test_by_default_data_and_settings_are_in_the_per_user_folders() -> None:
    assert paths.portable_root() is None
    assert paths.data_dir().name == "rpdesk"
    assert paths.data_dir().parent.name == "data"  # XDG_DATA_HOME, set by the root conftest
    assert paths.config_dir().parent.name == "config"
    assert paths.default_database_path() == paths.data_dir() / "rpdesk.sqlite"


def test_a_portable_flag_beside_the_bundle_keeps_data_and_settings_beside_it(bundle: Path) -> None:
    (bundle / "portable.flag").touch()
    assert paths.data_dir() == bundle.resolve() / "rpdesk-data"
    assert paths.config_dir() == bundle.resolve() / "rpdesk-data" / "config"
    assert paths.default_database_path() == bundle.resolve() / "rpdesk-data" / "rpdesk.sqlite"
    Settings.load().save({"small_sample": 25})
    assert user_settings_path() == bundle.resolve() / "rpdesk-data" / "config" / "settings.json"
    assert Settings.load().small_sample == 25


def test_without_the_flag_a_bundle_uses_the_per_user_folders(bundle: Path) -> None:
    assert paths.portable_root() is None
    assert bundle.resolve() not in paths.data_dir().parents


def test_the_flag_is_honoured_only_beside_a_bundled_executable(bundle: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (bundle / "portable.flag").touch()
    monkeypatch.setattr(sys, "frozen", False)
    assert paths.portable_root() is None


def test_rpdesk_portable_1_puts_data_beside_the_program(bundle: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "frozen", False)
    monkeypatch.setenv("RPDESK_PORTABLE", "1")
    assert paths.data_dir() == bundle.resolve() / "rpdesk-data"


def test_rpdesk_portable_may_name_the_folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("RPDESK_PORTABLE", str(tmp_path / "usb" / "rpdesk"))
    assert paths.data_dir() == (tmp_path / "usb" / "rpdesk").resolve()
    assert paths.config_dir() == (tmp_path / "usb" / "rpdesk" / "config").resolve()


def test_rpdesk_portable_0_turns_portable_mode_off_despite_the_flag(
    bundle: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (bundle / "portable.flag").touch()
    monkeypatch.setenv("RPDESK_PORTABLE", "0")
    assert paths.portable_root() is None


def test_resources_hold_the_application_icon() -> None:
    assert (paths.resources_dir() / "icons" / "rpdesk-app.svg").is_file()
    assert (paths.resources_dir() / "icons" / "rpdesk-app.png").is_file()
