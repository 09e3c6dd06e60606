"""Architecture rules: the import contracts in pyproject.toml, nothing outside rpdesk/gui imports Qt,
and only the two programs' start-up reads the settings files."""

from __future__ import annotations

import pkgutil
import re
import subprocess
import sys
from pathlib import Path

import rpdesk


def core_modules() -> list[str]:
    names = []
    for info in pkgutil.walk_packages(rpdesk.__path__, "rpdesk."):
        if info.name.startswith(("rpdesk.gui", "rpdesk.db.migrations")) or info.name.endswith(".__main__"):
            continue
        names.append(info.name)
    return names


def test_core_imports_without_qt():
    modules = core_modules()
    assert "rpdesk.cli" in modules and "rpdesk.db.models" in modules
    code = (
        "import sys\n"
        "for blocked in ('PySide6', 'pyqtgraph', 'shiboken6'): sys.modules[blocked] = None\n"
        f"for name in {modules!r}: __import__(name)\n"
        "print('ok')\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


ROOT = Path(__file__).resolve().parents[2]


def test_the_import_contracts_hold():
    """gui -> services/domain (not db, importers, SQLAlchemy), db never -> services, reports never -> db, pure domain"""
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint), "--no-cache", "--config", str(ROOT / "pyproject.toml")],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout
    assert "The GUI holds no SQL" in result.stdout  # the contract that keeps statements in services runs


def test_only_the_programs_start_up_reads_the_settings_files():
    """Services are given settings by their caller; none reads files behind its back."""
    readers = sorted(
        str(path.relative_to(ROOT))
        for path in (ROOT / "rpdesk").rglob("*.py")
        if re.search(r"Settings\.load\(", path.read_text(encoding="utf-8")) and path.name != "settings.py"
    )
    assert readers == [
        "rpdesk/cli/common.py",
        "rpdesk/db/location.py",  # which database: read only when neither --db nor RPDESK_DB decides
        "rpdesk/db/migrations/versions/0005_official_contacts.py",  # a one-off data migration: the force's domain
        "rpdesk/gui/app.py",
        "rpdesk/gui/main_window.py",
    ]
