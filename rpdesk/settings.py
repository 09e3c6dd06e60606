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
from typing import Any, Generic, TypeVar, overload

import platformdirs

from rpdesk.domain.shares import ShareError, parse_share
from rpdesk.errors import UserError
from rpdesk.outputs import private_dir, write_aside
from rpdesk.paths import APP, AUTHOR, config_dir

T = TypeVar("T", str, int, float)
Check = Callable[[Any], str | None]

VERSION = 1
"""The settings format this build writes (``"settings_version"`` in a user's file); see :data:`UPGRADES`."""
VERSION_KEY = "settings_version"


@dataclass(frozen=True)
class Setting(Generic[T]):
    """One setting: Python type, default, title shown in the Settings dialog, and a check.

    Declared as an attribute of :class:`Settings`, whose name becomes the key, so that
    ``settings.ring_fence_target`` is a ``float`` to the type checker and at run time (Picard's
    typed options, ``picard/config.py``): no call site casts a value of unknown type.
    """

    value_type: type[T]
    default: T
    title: str
    help: str = ""
    check: Check | None = None
    choices: tuple[str, ...] = ()
    #: A share held as a fraction, typed and shown as a percentage ("80%", "80" or 0.8; shown "80%").
    percent: bool = False
    key: str = field(default="", init=False)

    def __set_name__(self, owner: type, name: str) -> None:
        object.__setattr__(self, "key", name)

    @overload
    def __get__(self, obj: None, owner: type | None = None) -> Setting[T]: ...
    @overload
    def __get__(self, obj: Settings, owner: type | None = None) -> T: ...
    def __get__(self, obj: Settings | None, owner: type | None = None) -> Setting[T] | T:
        if obj is None:
            return self
        return self.of(obj)

    def of(self, settings: Settings) -> T:
        """This setting's effective value in ``settings`` (for code that walks every setting)."""
        value: T = settings.values[self.key]
        return value


def _between(low: float, high: float) -> Check:
    return lambda v: None if low <= v <= high else f"must be between {low:g} and {high:g}"


def logo_problem(text: str) -> str | None:
    """What is wrong with the 'Force logo' setting as typed (None: blank or a file); Settings and documents ask it.

    Not a check on loading: a logo moved away must not stop the app opening, only a document asking for it.
    """
    text = text.strip()
    if not text or Path(text).expanduser().is_file():
        return None
    return f"Setting '{Settings.logo_path.title}': there is no file {text}."


def _not_blank(v: Any) -> str | None:
    return None if str(v).strip() else "must not be blank"


def _no_newline(v: Any) -> str | None:
    return "must be one line" if "\n" in str(v) else None


def _marking(v: Any) -> str | None:
    return _not_blank(v) or _no_newline(v)


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

Upgrade = Callable[[dict[str, Any]], dict[str, Any]]


def _unversioned(data: dict[str, Any]) -> dict[str, Any]:
    """Version 0 → 1: files written before settings carried a version hold the same keys, unchanged."""
    return data


UPGRADES: tuple[Upgrade, ...] = (_unversioned,)
"""``UPGRADES[n]`` turns a version-``n`` file into version ``n + 1``; append one step per format change
(a renamed key, a changed unit) and raise :data:`VERSION` with it. Steps run in order when a file is
read; the upgraded file is written only when the user next saves, so reading never writes."""


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


def _typed(setting: Setting[T], value: Any) -> T:
    """``value`` as the setting's type (a percentage setting reads "80%", "80" or 0.8 alike)."""
    if setting.percent:
        share: T = setting.value_type(parse_share(value))
        return share
    if setting.value_type is int and isinstance(value, float) and not value.is_integer():
        raise ValueError(value)  # int(2.5) would quietly give 2
    return setting.value_type(value)


def coerce(setting: Setting[T], value: Any) -> T:
    """The value as the setting's type, or UserError saying what was expected."""
    try:
        typed = _typed(setting, value)
    except ShareError as exc:
        raise UserError(f"Setting '{setting.title}': {exc}") from exc
    except (TypeError, ValueError) as exc:
        raise UserError(f"Setting '{setting.title}': {value!r} is not a {setting.value_type.__name__}") from exc
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


def _version(data: Mapping[str, Any], source: Path) -> int:
    version = data.get(VERSION_KEY, 0)
    if not isinstance(version, int) or isinstance(version, bool) or version < 0:
        raise UserError(f'In {source}, "{VERSION_KEY}" should be a whole number, not {version!r}.')
    return version


def _upgraded(data: dict[str, Any], source: Path) -> tuple[dict[str, Any], list[str]]:
    """The file's settings (without its version) at :data:`VERSION`, and a note if a newer rpdesk wrote it.

    A newer file is read as it is: keys this version knows keep their meaning, the rest are kept unused.
    """
    version = _version(data, source)
    data = {k: v for k, v in data.items() if k != VERSION_KEY}
    if version > VERSION:
        return data, [f"{source} was written by a newer rpdesk (settings version {version}, this one knows {VERSION})."]
    for step in UPGRADES[version:VERSION]:
        data = step(data)
    return data, []


@dataclass(frozen=True)
class UnknownSetting:
    """A key in a settings file that this version does not know: kept in the file, reported, not used."""

    key: str
    source: Path

    def __str__(self) -> str:
        return f"{self.source}: '{self.key}' is not a setting this version of rpdesk knows; it is kept but not used."


@dataclass
class Settings:
    """The effective settings: defaults, then the machine file, then the user's own choices.

    Each setting is a typed attribute (``settings.priorities_top_n`` is an ``int``). Services take a
    ``Settings`` (or the one value they need) from their caller; only the two programs' start-up
    code calls :meth:`load`.

    Attributes:
        values: every setting's effective value by key.
        locked: keys the machine file locks against users' changes.
        unknown: keys in either file this version does not know (kept in the files, reported).
        notes: other things worth telling the user about the files (e.g. one from a newer rpdesk).
    """

    force_name = Setting(str, "Example Constabulary", "Force name", "Printed at the top of every document.", _not_blank)
    logo_path = Setting(str, "", "Force logo (PNG or JPEG)", "Printed on documents; blank for none.")
    force_email_domain = Setting(
        str,
        "police.uk",
        "Force e-mail domain (officers' official e-mail)",
        "An officer's e-mail must be in this domain or under it, e.g. dyfed-powys.police.uk.",
        lambda v: None if re.fullmatch(r"@?[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+", str(v).strip()) else "must be a domain",
    )
    marking_restricted = Setting(
        str,
        "OFFICIAL-SENSITIVE",
        "Marking for tasking packs and response cards",
        "Centred at the top and bottom of every page.",
        _marking,
    )
    marking_public = Setting(
        str, "OFFICIAL", "Marking for community briefings", "Briefings are for public release.", _marking
    )
    ring_fence_target = Setting(
        float,
        0.80,
        "Ring-fence target (share of rostered hours on ward duties)",
        "The Policing Pledge figure was 80%. Type 80% (or 80, or 0.8).",
        lambda v: None if 0.0 <= v <= 1.0 else "must be between 0% and 100%",
        percent=True,
    )
    weight_prevalence = Setting(float, 1.0, "Ranking weight: prevalence", check=_between(0.0, 10.0))
    weight_effect = Setting(float, 1.0, "Ranking weight: effect on residents", check=_between(0.0, 10.0))
    weight_audit = Setting(float, 0.5, "Ranking weight: EVA evidence", check=_between(0.0, 10.0))
    weight_recorded = Setting(float, 0.5, "Ranking weight: recorded incidents", check=_between(0.0, 10.0))
    priorities_top_n = Setting(int, 3, "Priorities adopted per ward (PACT convention)", check=_between(1, 10))
    small_sample = Setting(int, 30, "Flag figures from fewer respondents than", check=_between(1, 1000))
    due_soon_days = Setting(int, 14, "Actions due within this many days are 'due soon'", check=_between(1, 90))
    hotspot_cell_m = Setting(
        float,
        200.0,
        "Hotspot grid: hexagon width (metres)",
        "Hexagons of the British National Grid, counted per period; 150-250 m suits a ward.",
        _between(50.0, 1000.0),
    )
    hotspot_top_cells = Setting(int, 5, "Hotspot grid: the top cells of a month", check=_between(1, 50))
    hotspot_recent_months = Setting(
        int,
        6,
        "Hotspot grid: months looked back for persistent hotspots",
        "A cell is persistent when it is a top cell in most of these months.",
        _between(3, 36),
    )
    street_min_respondents = Setting(
        int,
        5,
        "Survey by street: fewest respondents a street needs to be shown on its own",
        "Smaller streets are pooled so no household can be picked out.",
        _between(2, 100),
    )
    default_language = Setting(str, "en", "Default language of community briefings", choices=("en", "cy", "both"))
    absence_detail = Setting(
        str,
        "absent",
        "Absences: record only 'absent', or the reason",
        "The reason (leave, sickness, rest day) is staff health and personnel data the ring-fence does not need; "
        "when kept, only supervisors see it.",
        choices=("absent", "reason"),
    )
    user_role = Setting(
        str,
        "officer",
        "Your role in rpdesk",
        "Supervisors see absence reasons (when kept). IT can set and lock this per machine.",
        choices=("officer", "supervisor"),
    )
    database_url = Setting(
        str,
        "",
        "Shared database URL (blank: the local file)",
        "A PostgreSQL URL when a force shares one database.",
        _database_url,
    )

    values: dict[str, Any] = field(default_factory=lambda: {s.key: s.default for s in SETTINGS})
    locked: frozenset[str] = frozenset()
    #: key -> the file its value came from (keys left at their default are absent)
    sources: dict[str, Path] = field(default_factory=dict)
    unknown: tuple[UnknownSetting, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def keeps_absence_reason(self) -> bool:
        """Whether the force keeps why an officer was absent (off by default: minimisation)."""
        return self.absence_detail == "reason"

    @property
    def is_supervisor(self) -> bool:
        return self.user_role == "supervisor"

    def briefing_language(self, ward_language: str) -> str:
        """A community briefing's language when none is asked for: the ward's own, else the force default.

        A ward whose language is English follows the force's ``default_language`` (Welsh forces
        default to ``both``); a ward set to Welsh or both keeps its own choice.
        """
        return ward_language if ward_language != "en" else self.default_language

    @classmethod
    def with_values(cls, changes: Mapping[str, Any]) -> Settings:
        """The defaults with ``changes`` applied, each checked as if saved (tests, benchmarks, one-off runs)."""
        settings = cls()
        settings.values.update(settings.validated(changes))
        return settings

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
        Files from older versions are upgraded in memory (:data:`UPGRADES`); nothing is written.
        """
        settings = cls()
        machine_file = machine_path or machine_settings_path()
        machine, machine_notes = _upgraded(_read(machine_file), machine_file)
        settings.locked = _locked(machine.pop("locked", []), machine_file)
        settings._apply(machine, machine_file)
        user_file = user_path or user_settings_path()
        user, user_notes = _upgraded(_read(user_file), user_file)
        settings._apply({k: v for k, v in user.items() if k not in settings.locked}, user_file)
        settings.notes = (*machine_notes, *user_notes, *(str(u) for u in settings.unknown))
        return settings

    def _apply(self, data: Mapping[str, Any], source: Path) -> None:
        for key, value in data.items():
            if key not in BY_KEY:
                self.unknown = (*self.unknown, UnknownSetting(key, source))
                continue
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
        """Validate all ``changes``, then write the user's file in one replace (never half-written).

        The file is written at :data:`VERSION`, upgraded first if it was older; keys this version
        does not know stay in it for the version that does.
        """
        checked = self.validated(changes)
        path = user_path or user_settings_path()
        raw = _read(path)
        current, _ = _upgraded(raw, path)
        current.update(checked)
        current[VERSION_KEY] = max(VERSION, _version(raw, path))
        private_dir(path.parent)
        with write_aside(path) as aside:  # owner-only, never half-written
            aside.write_text(json.dumps(current, indent=2, sort_keys=True), encoding="utf-8")
        self.values.update(checked)


for _kind, _months, _title, _why in RETENTION_DEFAULTS:  # one setting per kind of record, declared from the table
    _retention: Setting[int] = Setting(
        int,
        _months,
        f"{_title} kept (months)",
        f"{_why} 'rpdesk-cli retention review' lists what is due; 'retention apply' removes it. IT can lock this.",
        _between(1, 240),
    )
    setattr(Settings, f"retention_{_kind}_months", _retention)
    _retention.__set_name__(Settings, f"retention_{_kind}_months")

SETTINGS: tuple[Setting[Any], ...] = tuple(v for v in vars(Settings).values() if isinstance(v, Setting))
"""Every setting in declaration order (the order of the Settings dialog)."""
BY_KEY: dict[str, Setting[Any]] = {s.key: s for s in SETTINGS}
