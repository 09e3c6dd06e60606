"""Settings: defaults, the machine-wide file IT deploys, locked keys, the user's own file, bad values."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from rpdesk import settings as settings_module
from rpdesk.errors import UserError
from rpdesk.settings import SETTINGS, VERSION, Settings, logo_problem, machine_settings_path, user_settings_path


def write(path: Path, data: object) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


@pytest.fixture
def machine(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    path = tmp_path / "machine" / "settings.json"
    monkeypatch.setenv("RPDESK_MACHINE_SETTINGS", str(path))
    return path


def test_without_any_file_every_setting_has_its_default() -> None:
    settings = Settings.load()
    assert settings.values == {s.key: s.default for s in SETTINGS}
    assert settings.ring_fence_target == 0.80
    assert settings.marking_restricted == "OFFICIAL-SENSITIVE"
    assert settings.locked == frozenset()


def test_the_machine_file_sets_force_name_marking_target_and_shared_database(machine: Path) -> None:
    write(
        machine,
        {
            "force_name": "Dyfed-Powys Police",
            "logo_path": "C:/ProgramData/rpdesk/logo.png",
            "marking_restricted": "OFFICIAL-SENSITIVE (POLICE)",
            "ring_fence_target": "0.85",
            "database_url": "postgresql+psycopg://rpdesk@db.force.local/rpdesk",
        },
    )
    settings = Settings.load()
    assert settings.force_name == "Dyfed-Powys Police"
    assert settings.logo_path == "C:/ProgramData/rpdesk/logo.png"
    assert settings.marking_restricted == "OFFICIAL-SENSITIVE (POLICE)"
    assert settings.ring_fence_target == 0.85
    assert settings.database_url == "postgresql+psycopg://rpdesk@db.force.local/rpdesk"


def test_the_users_file_overrides_an_unlocked_machine_setting(machine: Path) -> None:
    write(machine, {"force_name": "Gwent Police", "priorities_top_n": 3})
    write(user_settings_path(), {"priorities_top_n": 5})
    settings = Settings.load()
    assert settings.priorities_top_n == 5
    assert settings.force_name == "Gwent Police"


def test_a_locked_setting_ignores_the_users_file_and_cannot_be_saved(machine: Path) -> None:
    write(machine, {"force_name": "Gwent Police", "database_url": "postgresql://db/rpdesk", "locked": ["force_name"]})
    user_file = write(user_settings_path(), {"force_name": "My Own Force", "database_url": "sqlite:///mine.sqlite"})
    settings = Settings.load()
    assert settings.force_name == "Gwent Police"
    assert settings.database_url == "sqlite:///mine.sqlite"
    assert settings.locked == {"force_name"}
    before = user_file.read_text(encoding="utf-8")
    with pytest.raises(UserError, match="set by your IT department"):
        settings.save({"small_sample": 40, "force_name": "Another"})
    assert user_file.read_text(encoding="utf-8") == before
    assert settings.small_sample == 30


def test_a_locked_setting_keeps_the_machine_value_even_when_the_users_copy_is_invalid(machine: Path) -> None:
    write(machine, {"ring_fence_target": 0.7, "locked": ["ring_fence_target"]})
    write(user_settings_path(), {"ring_fence_target": "lots"})
    assert Settings.load().ring_fence_target == 0.7


def test_save_writes_the_users_file_and_the_next_load_reads_it() -> None:
    Settings.load().save({"due_soon_days": "21", "default_language": "cy"})
    assert json.loads(user_settings_path().read_text(encoding="utf-8")) == {
        "default_language": "cy",
        "due_soon_days": 21,
        "settings_version": VERSION,
    }
    reloaded = Settings.load()
    assert reloaded.due_soon_days == 21
    assert reloaded.default_language == "cy"


def test_save_checks_every_change_before_writing_any() -> None:
    settings = Settings.load()
    with pytest.raises(UserError, match="between 0% and 100%"):
        settings.save({"small_sample": 50, "ring_fence_target": "180%"})
    assert not user_settings_path().exists()
    assert settings.small_sample == 30


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("ring_fence_target", 180, "between 0% and 100%"),
        ("ring_fence_target", "lots", "'lots' is not a percentage such as 80%"),
        ("priorities_top_n", 2.5, "not a int"),
        ("force_name", "  ", "must not be blank"),
        ("marking_public", "OFFICIAL\nFOR RELEASE", "one line"),
        ("default_language", "fr", "one of en, cy, both"),
        ("database_url", "dbserver01/rpdesk", "postgresql+psycopg://"),
    ],
)
def test_an_invalid_machine_value_is_refused_naming_the_file_and_the_setting(
    machine: Path, key: str, value: object, expected: str
) -> None:
    write(machine, {key: value})
    with pytest.raises(UserError) as caught:
        Settings.load()
    message = str(caught.value)
    assert str(machine) in message
    assert expected in message
    assert next(s.title for s in SETTINGS if s.key == key) in message


def test_an_invalid_user_value_is_refused_naming_the_users_file() -> None:
    path = write(user_settings_path(), {"small_sample": "thirty"})
    with pytest.raises(UserError, match="Fix it in") as caught:
        Settings.load()
    assert str(path) in str(caught.value)


@pytest.mark.parametrize("content", ["{not json", "[1, 2]"])
def test_an_unreadable_settings_file_is_refused_naming_it(machine: Path, content: str) -> None:
    machine.parent.mkdir(parents=True)
    machine.write_text(content, encoding="utf-8")
    with pytest.raises(UserError, match="settings file") as caught:
        Settings.load()
    assert str(machine) in str(caught.value)


def test_a_locked_entry_that_is_not_a_list_of_names_is_refused(machine: Path) -> None:
    write(machine, {"locked": "force_name"})
    with pytest.raises(UserError, match='"locked" should be a list') as caught:
        Settings.load()
    assert str(machine) in str(caught.value)


def test_keys_this_version_does_not_know_are_reported_not_used_and_cannot_be_saved(machine: Path) -> None:
    write(machine, {"setting_from_a_newer_rpdesk": 1, "locked": ["setting_from_a_newer_rpdesk"]})
    settings = Settings.load()
    assert settings.locked == frozenset()
    assert [(u.key, u.source) for u in settings.unknown] == [("setting_from_a_newer_rpdesk", machine)]
    assert any("setting_from_a_newer_rpdesk" in n and str(machine) in n for n in settings.notes)
    with pytest.raises(UserError, match="no setting called"):
        settings.save({"setting_from_a_newer_rpdesk": 2})


def test_saving_keeps_the_keys_this_version_does_not_know_in_the_users_file() -> None:
    write(user_settings_path(), {"colour_scheme": "dark", "small_sample": 40})
    settings = Settings.load()
    assert [u.key for u in settings.unknown] == ["colour_scheme"]
    settings.save({"due_soon_days": 10})
    saved = json.loads(user_settings_path().read_text(encoding="utf-8"))
    assert saved == {"colour_scheme": "dark", "small_sample": 40, "due_soon_days": 10, "settings_version": VERSION}


def test_every_setting_is_a_typed_attribute_with_its_declared_type() -> None:
    settings = Settings.with_values({"priorities_top_n": "4", "ring_fence_target": "0.75"})
    assert settings.priorities_top_n == 4 and isinstance(settings.priorities_top_n, int)
    assert settings.ring_fence_target == 0.75 and isinstance(settings.ring_fence_target, float)
    for setting in SETTINGS:
        assert isinstance(getattr(Settings(), setting.key), setting.value_type)
    with pytest.raises(UserError, match="between 0% and 100%"):
        Settings.with_values({"ring_fence_target": 200})


@pytest.mark.parametrize("typed", ["80%", "80", 80, "0.8", 0.8])
def test_the_ring_fence_target_is_typed_as_shown_or_as_a_fraction(typed: object) -> None:
    assert Settings.with_values({"ring_fence_target": typed}).ring_fence_target == pytest.approx(0.8)


def test_an_older_file_is_upgraded_step_by_step_when_read_and_written_only_on_save(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A future format change: version 1 called the sample threshold ``min_sample``; version 2 renames it."""

    def rename_min_sample(data: dict[str, object]) -> dict[str, object]:
        data = dict(data)
        if "min_sample" in data:
            data["small_sample"] = data.pop("min_sample")
        return data

    monkeypatch.setattr(settings_module, "UPGRADES", (*settings_module.UPGRADES, rename_min_sample))
    monkeypatch.setattr(settings_module, "VERSION", 2)
    path = write(user_settings_path(), {"settings_version": 1, "min_sample": 12})
    before = path.read_text(encoding="utf-8")
    settings = Settings.load()
    assert settings.small_sample == 12
    assert settings.unknown == ()
    assert path.read_text(encoding="utf-8") == before  # reading never writes
    settings.save({"due_soon_days": 7})
    assert json.loads(path.read_text(encoding="utf-8")) == {
        "small_sample": 12,
        "due_soon_days": 7,
        "settings_version": 2,
    }


def test_a_file_from_a_newer_rpdesk_is_read_for_what_this_version_knows_and_noted() -> None:
    path = write(user_settings_path(), {"settings_version": VERSION + 1, "small_sample": 25, "new_thing": True})
    settings = Settings.load()
    assert settings.small_sample == 25
    assert any("newer rpdesk" in n and str(path) in n for n in settings.notes)
    settings.save({"due_soon_days": 9})
    assert json.loads(path.read_text(encoding="utf-8"))["settings_version"] == VERSION + 1


def test_a_settings_version_that_is_not_a_whole_number_is_refused_naming_the_file() -> None:
    path = write(user_settings_path(), {"settings_version": "two"})
    with pytest.raises(UserError, match="whole number") as caught:
        Settings.load()
    assert str(path) in str(caught.value)


def test_the_briefing_language_is_the_wards_own_else_the_force_default() -> None:
    welsh_force = Settings.with_values({"default_language": "both"})
    assert welsh_force.briefing_language("en") == "both"
    assert welsh_force.briefing_language("cy") == "cy"
    assert Settings().briefing_language("en") == "en"


def test_a_database_url_for_sqlite_or_postgresql_is_accepted() -> None:
    settings = Settings.load()
    settings.save({"database_url": "postgresql://rpdesk@db/rpdesk"})
    settings.save({"database_url": "sqlite:////srv/ward.sqlite"})
    settings.save({"database_url": ""})
    assert Settings.load().database_url == ""


@pytest.mark.skipif(sys.platform != "linux", reason="the Linux location; README lists the others")
def test_the_machine_file_lives_in_the_system_config_folder_on_linux(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("RPDESK_MACHINE_SETTINGS")
    monkeypatch.delenv("XDG_CONFIG_DIRS", raising=False)
    assert machine_settings_path() == Path("/etc/xdg/rpdesk/settings.json")


def test_a_force_logo_that_is_not_a_file_is_named_and_blank_means_none(tmp_path):
    logo = tmp_path / "logo.png"
    logo.write_bytes(b"\x89PNG")
    assert logo_problem("") is None and logo_problem(str(logo)) is None
    assert logo_problem(f" {tmp_path / 'gone.png'} ") == (
        f"Setting 'Force logo (PNG or JPEG)': there is no file {tmp_path / 'gone.png'}."
    )
