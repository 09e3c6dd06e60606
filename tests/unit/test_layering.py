"""Architecture rule: nothing outside rpdesk/gui imports Qt (PySide6 or pyqtgraph)."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

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
