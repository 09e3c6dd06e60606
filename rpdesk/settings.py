"""Every setting rpdesk has, declared once with its type, default, title and check.

Three layers, later ones winning: the defaults below; the machine-wide file IT deploys
(``machine_settings_path()``), whose ``"locked"`` list names keys users may not override; and the
user's own file in the per-user config folder. Settings are plain JSON so the CLI, the report
builders and the GUI read the same values without Qt.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import platformdirs

from rpdesk.errors import UserError
from rpdesk.outputs import private_dir, write_aside
from rpdesk.paths import APP, AUTHOR, config_dir

Check = Callable[[Any], str | None]


@dataclass(frozen=True)
class Setting:
    """One setting: key, Python type, default, title shown in the Settings dialog, and a check."""

    key: str
    type: type
    default: Any
    title: str
    help: str = ""
    check: Check | None = None
    choices: tuple[str, ...] = ()


def _between(low: float, high: float) -> Check:
    return lambda v: None if low <= v <= high else f"must be between {low:g} and {high:g}"


def _not_blank(v: Any) -> str | None:
    return None if str(v).strip() else "must not be blank"


def _no_newline(v: Any) -> str | None:
    return "must be one line" if "\n" in str(v) else None


def _database_url(v: Any) -> str | None:
    """Blank (the local file) or a URL rpdesk can open; catches a bare host name typed by mistake.

    A password is refused: settings.json is a plain file. PostgreSQL's own password file
    (``~/.pgpass``; on Windows ``%APPDATA%\\postgresql\\pgpass.conf``) or a service file
    (``postgresql+psycopg:///?service=rpdesk`` with ``~/.pg_service.conf``) keeps it instead.
    """
    text = str(v).strip()
    if re.match(r"^postgresql(\+\w+)?://[^/@]*:[^/@]*@", text):
        return (
            "must not hold a password (settings are a plain file): put the password in PostgreSQL's password "
            "file (~/.pgpass, or %APPDATA%\\postgresql\\pgpass.conf on Windows) and leave it out of the URL"
        )
    if not text or re.match(r"^(sqlite|postgresql)(\+\w+)?://", text):
        return None
    return "must be blank or a URL such as postgresql+psycopg://server/rpdesk"


#: Retention periods (DPA 2018 Part 3 s.39, MoPI): kind, default months, what is kept, when it counts from.
RETENTION_DEFAULTS: tuple[tuple[str, int, str, str], ...] = (
    ("survey_comments", 24, "Survey comments", "Free-text comments, counted from the interview date."),
    ("eva_notes", 36, "EVA visit notes", "Notes of an environmental visual audit, from the visit date."),
    ("abstraction_notes", 24, "Abstraction notes", "Notes on an officer's abstraction, from the duty day."),
    (
        "former_officers",
        24,
        "Leavers' names",
        "An officer with no current posting is anonymised this long after the last posting ended.",
    ),
    ("change_log", 24, "Change-log values", "Who changed what and when is kept; the values go."),
)

SETTINGS: tuple[Setting, ...] = (
    Setting(
        "force_name", str, "Example Constabulary", "Force name", "Printed at the top of every document.", _not_blank
    ),
    Setting("logo_path", str, "", "Force logo (PNG or JPEG)", "Printed on documents; blank for none."),
    Setting(
        "force_email_domain",
        str,
        "police.uk",
        "Force e-mail domain (officers' official e-mail)",
        "An officer's e-mail must be in this domain or under it, e.g. dyfed-powys.police.uk.",
        lambda v: None if re.fullmatch(r"@?[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+", str(v).strip()) else "must be a domain",
    ),
    Setting(
        "marking_restricted",
        str,
        "OFFICIAL-SENSITIVE",
        "Marking for tasking packs and response cards",
        "Centred at the top and bottom of every page.",
        lambda v: _not_blank(v) or _no_newline(v),
    ),
    Setting(
        "marking_public",
        str,
        "OFFICIAL",
        "Marking for community briefings",
        "Briefings are for public release.",
        lambda v: _not_blank(v) or _no_newline(v),
    ),
    Setting(
        "ring_fence_target",
        float,
        0.80,
        "Ring-fence target (share of rostered hours on ward duties)",
        "The Policing Pledge figure was 80%.",
        _between(0.0, 1.0),
    ),
    Setting("weight_prevalence", float, 1.0, "Ranking weight: prevalence", check=_between(0.0, 10.0)),
    Setting("weight_effect", float, 1.0, "Ranking weight: effect on residents", check=_between(0.0, 10.0)),
    Setting("weight_audit", float, 0.5, "Ranking weight: EVA evidence", check=_between(0.0, 10.0)),
    Setting("weight_recorded", float, 0.5, "Ranking weight: recorded incidents", check=_between(0.0, 10.0)),
    Setting("priorities_top_n", int, 3, "Priorities adopted per ward (PACT convention)", check=_between(1, 10)),
    Setting("small_sample", int, 30, "Flag figures from fewer respondents than", check=_between(1, 1000)),
    Setting("due_soon_days", int, 14, "Actions due within this many days are 'due soon'", check=_between(1, 90)),
    Setting(
        "hotspot_cell_m",
        float,
        200.0,
        "Hotspot grid: hexagon width (metres)",
        "Hexagons of the British National Grid, counted per period; 150-250 m suits a ward.",
        _between(50.0, 1000.0),
    ),
    Setting("hotspot_top_cells", int, 5, "Hotspot grid: the top cells of a month", check=_between(1, 50)),
    Setting(
        "hotspot_recent_months",
        int,
        6,
        "Hotspot grid: months looked back for persistent hotspots",
        "A cell is persistent when it is a top cell in most of these months.",
        _between(3, 36),
    ),
    Setting(
        "street_min_respondents",
        int,
        5,
        "Survey by street: fewest respondents a street needs to be shown on its own",
        "Smaller streets are pooled so no household can be picked out.",
        _between(2, 100),
    ),
    Setting("default_language", str, "en", "Default language of community briefings", choices=("en", "cy", "both")),
    *(
        Setting(
            f"retention_{kind}_months",
            int,
            months,
            f"{title} kept (months)",
            f"{why} 'rpdesk-cli retention review' lists what is due; 'retention apply' removes it. IT can lock this.",
            _between(1, 240),
        )
        for kind, months, title, why in RETENTION_DEFAULTS
    ),
    Setting(
        "database_url",
        str,
        "",
        "Shared database URL (blank: the local file)",
        "A PostgreSQL URL when a force shares one database.",
        _database_url,
    ),
)

BY_KEY: dict[str, Setting] = {s.key: s for s in SETTINGS}


def machine_settings_path() -> Path:
    """Where IT deploys machine-wide settings; ``RPDESK_MACHINE_SETTINGS`` overrides it.

    Windows ``C:\\ProgramData\\rpdesk\\rpdesk\\settings.json``; Linux ``/etc/xdg/rpdesk/settings.json`` (the
    first folder of ``XDG_CONFIG_DIRS``); macOS ``/Library/Application Support/rpdesk/settings.json``.
    """
    override = os.environ.get("RPDESK_MACHINE_SETTINGS")
    if override:
        return Path(override)
    return Path(platformdirs.site_config_dir(APP, AUTHOR)) / "settings.json"


def user_settings_path() -> Path:
    return config_dir() / "settings.json"


def coerce(setting: Setting, value: Any) -> Any:
    """The value as the setting's type, or UserError saying what was expected."""
    try:
        if setting.type is bool and isinstance(value, str):
            typed: Any = value.strip().lower() in ("1", "true", "yes", "on")
        elif setting.type is int and isinstance(value, float) and not value.is_integer():
            raise ValueError(value)  # int(2.5) would quietly give 2
        else:
            typed = setting.type(value)
    except (TypeError, ValueError) as exc:
        raise UserError(f"Setting '{setting.title}': {value!r} is not a {setting.type.__name__}") from exc
    problem = setting.check(typed) if setting.check else None
    if setting.choices and typed not in setting.choices:
        problem = f"must be one of {', '.join(setting.choices)}"
    if problem:
        shown = re.sub(r"(://[^/@:]*:)[^/@]*@", r"\1***@", repr(value))  # never echo a password
        raise UserError(f"Setting '{setting.title}' {problem} (got {shown}).")
    return typed


def _read(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, ValueError) as exc:
        raise UserError(f"The settings file {path} cannot be read ({exc}); fix or delete it.") from exc
    if not isinstance(data, dict):
        raise UserError(f"The settings file {path} should hold a JSON object of settings.")
    return data


def _locked(names: Any, source: Path) -> frozenset[str]:
    """The machine file's ``"locked"`` list: names of settings users may not change (unknown names ignored)."""
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise UserError(f'In {source}, "locked" should be a list of setting names, e.g. ["force_name"].')
    return frozenset(n for n in names if n in BY_KEY)


@dataclass
class Settings:
    """The effective settings: defaults, then the machine file, then the user's own choices."""

    values: dict[str, Any] = field(default_factory=lambda: {s.key: s.default for s in SETTINGS})
    locked: frozenset[str] = frozenset()
    #: key -> the file its value came from (keys left at their default are absent)
    sources: dict[str, Path] = field(default_factory=dict)

    def __getitem__(self, key: str) -> Any:
        return self.values[key]

    def get(self, key: str) -> Any:
        return self.values[key]

    def origin(self, key: str) -> str:
        """Where a setting's value comes from, in words: 'rpdesk-cli db where' and the Settings dialog say it."""
        source = self.sources.get(key)
        if source is None:
            return "the default"
        if key in self.locked:
            return f"set and locked by IT in {source}"
        return f"from {source}"

    @classmethod
    def load(cls, user_path: Path | None = None, machine_path: Path | None = None) -> Settings:
        """Defaults, then the machine file, then the user's file for every key the machine file leaves unlocked.

        A value that is not valid in either file is refused with a message naming the file and the setting.
        """
        settings = cls()
        machine_file = machine_path or machine_settings_path()
        machine = _read(machine_file)
        settings.locked = _locked(machine.pop("locked", []), machine_file)
        settings._apply(machine, machine_file)
        user_file = user_path or user_settings_path()
        user = _read(user_file)
        settings._apply({k: v for k, v in user.items() if k not in settings.locked}, user_file)
        return settings

    def _apply(self, data: Mapping[str, Any], source: Path) -> None:
        for key, value in data.items():
            if key not in BY_KEY:
                continue  # a setting from a newer or older version: ignored, not fatal
            try:
                self.values[key] = coerce(BY_KEY[key], value)
                self.sources[key] = source
            except UserError as exc:
                raise UserError(f"{exc} Fix it in {source}.") from exc

    def validated(self, changes: Mapping[str, Any]) -> dict[str, Any]:
        """Check every change before any is saved; refuse unknown or locked keys."""
        out: dict[str, Any] = {}
        for key, value in changes.items():
            if key not in BY_KEY:
                raise UserError(f"There is no setting called '{key}'.")
            if key in self.locked:
                raise UserError(f"'{BY_KEY[key].title}' is set by your IT department and cannot be changed here.")
            out[key] = coerce(BY_KEY[key], value)
        return out

    def save(self, changes: Mapping[str, Any], user_path: Path | None = None) -> None:
        """Validate all ``changes``, then write the user's file in one replace (never half-written)."""
        checked = self.validated(changes)
        path = user_path or user_settings_path()
        current = _read(path)
        current.update(checked)
        private_dir(path.parent)
        with write_aside(path) as aside:  # owner-only, never half-written
            aside.write_text(json.dumps(current, indent=2, sort_keys=True), encoding="utf-8")
        self.values.update(checked)
