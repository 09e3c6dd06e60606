"""Where rpdesk keeps its files, per the conventions of each operating system (platformdirs).

Portable mode (``RPDESK_PORTABLE=1`` or a ``portable.flag`` file beside the executable) keeps data
beside the program, for machines whose profile folder is wiped at logoff.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

APP = "rpdesk"
AUTHOR = "rpdesk"


def _portable_root() -> Path | None:
    if os.environ.get("RPDESK_PORTABLE") == "1":
        return Path(sys.executable).resolve().parent / "rpdesk-data"
    base = Path(sys.executable).resolve().parent
    if getattr(sys, "frozen", False) and (base / "portable.flag").exists():
        return base / "rpdesk-data"
    return None


def data_dir() -> Path:
    """The per-user folder holding the default database and its backups."""
    root = _portable_root()
    return root if root else Path(platformdirs.user_data_dir(APP, AUTHOR))


def config_dir() -> Path:
    """The per-user folder holding settings and saved column mappings."""
    root = _portable_root()
    return root / "config" if root else Path(platformdirs.user_config_dir(APP, AUTHOR))


def default_database_path() -> Path:
    return data_dir() / "rpdesk.sqlite"


def default_database_url() -> str:
    """``RPDESK_DB`` if set, else the SQLite file in the per-user data folder."""
    return os.environ.get("RPDESK_DB") or f"sqlite:///{default_database_path()}"


def resources_dir() -> Path:
    """Fonts, icons, translations and samples.

    A wheel or bundle carries them inside the package (``rpdesk/resources``); an editable install
    reads the repository's top-level ``resources/`` folder.
    """
    here = Path(__file__).resolve().parent
    inside = here / "resources"
    return inside if inside.is_dir() else here.parent / "resources"
