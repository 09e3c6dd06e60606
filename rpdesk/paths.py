"""Where rpdesk keeps its files, per the conventions of each operating system (platformdirs).

Portable mode keeps data and settings in one folder beside the program, for machines whose
profile folder is wiped at logoff or for a copy run from a USB stick. It is on when a file named
``portable.flag`` sits beside the bundled executable, or when ``RPDESK_PORTABLE`` is ``1`` (the
folder beside the executable) or names a folder; ``RPDESK_PORTABLE=0`` turns it off.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

APP = "rpdesk"
AUTHOR = "rpdesk"
PORTABLE_FLAG = "portable.flag"
PORTABLE_FOLDER = "rpdesk-data"


def program_dir() -> Path:
    """The folder holding the running executable: the bundle's folder, or the interpreter's."""
    return Path(sys.executable).resolve().parent


def portable_root() -> Path | None:
    """The portable data folder, or None when data lives in the per-user folders (``RPDESK_PORTABLE=0``)."""
    setting = os.environ.get("RPDESK_PORTABLE", "").strip()
    if setting == "0":
        return None
    if setting and setting != "1":
        return Path(setting).expanduser().resolve()
    if setting == "1" or (getattr(sys, "frozen", False) and (program_dir() / PORTABLE_FLAG).exists()):
        return program_dir() / PORTABLE_FOLDER
    return None


def data_dir() -> Path:
    """The per-user folder holding the default database and its backups."""
    root = portable_root()
    return root if root else Path(platformdirs.user_data_dir(APP, AUTHOR))


def config_dir() -> Path:
    """The per-user folder holding settings and saved column mappings."""
    root = portable_root()
    return root / "config" if root else Path(platformdirs.user_config_dir(APP, AUTHOR))


def default_database_path() -> Path:
    """The per-user database file: the last resort of :func:`rpdesk.db.location.resolve_database`."""
    return data_dir() / "rpdesk.sqlite"


def resources_dir() -> Path:
    """Fonts, icons, translations and samples.

    A wheel or bundle carries them inside the package (``rpdesk/resources``); an editable install
    reads the repository's top-level ``resources/`` folder.
    """
    here = Path(__file__).resolve().parent
    inside = here / "resources"
    return inside if inside.is_dir() else here.parent / "resources"
