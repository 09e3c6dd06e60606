"""PySide6's per-import check, answered from the file's bytes instead of through ``inspect``.

Once PySide6 is loaded it asks, of every module imported afterwards, whether the module uses PySide6
(so that ``from __feature__ import snake_case`` applies only where asked for):
``shibokensupport.feature._mod_uses_pyside`` reads the module's whole source with
``inspect.getsource`` (through ``linecache``, which also keeps every line in memory) and looks for
the word "PySide6". The window paints before SQLAlchemy, pyqtgraph, numpy and rpdesk's own modules
load, so some 560 modules pass this check on the way to the dashboard: about 80 ms of CPU in a cold
start. Reading the file's bytes answers the same question in a quarter of the time. A module that
is not a plain ``.py`` file (built in, compiled only, in an archive) gets PySide6's own answer.
"""

from __future__ import annotations

import sys
from types import ModuleType
from typing import Any


def uses_pyside(module: ModuleType, fallback: Any) -> bool:
    """Whether ``module``'s source names PySide6: its file's bytes, or ``fallback(module)`` without a .py file."""
    path = getattr(module, "__file__", None)
    if not isinstance(path, str) or not path.endswith(".py"):
        return bool(fallback(module))
    try:
        with open(path, "rb") as source:
            return b"PySide6" in source.read()
    except OSError:
        return bool(fallback(module))


def install() -> None:
    """Replace PySide6's check (once; where this PySide6 has no such check, nothing changes)."""
    feature = sys.modules.get("shibokensupport.feature")
    original = getattr(feature, "_mod_uses_pyside", None)
    if feature is None or original is None or getattr(original, "from_bytes", False):
        return

    def check(module: ModuleType) -> bool:
        return uses_pyside(module, original)

    check.from_bytes = True  # type: ignore[attr-defined]
    check.original = original  # type: ignore[attr-defined]
    setattr(feature, "_mod_uses_pyside", check)  # noqa: B010  (a private name mypy cannot see)
