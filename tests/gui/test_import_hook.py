"""PySide6's per-import check gives the same answers from the file's bytes as through inspect."""

from __future__ import annotations

import sys

import rpdesk.gui  # noqa: F401  (installs the check)
from rpdesk.gui import import_hook


def test_the_check_is_installed_once_and_answers_as_pyside_does() -> None:
    feature = sys.modules["shibokensupport.feature"]
    check = feature._mod_uses_pyside
    assert getattr(check, "from_bytes", False)
    import_hook.install()
    assert feature._mod_uses_pyside is check  # not wrapped twice
    import rpdesk.domain.ranking

    import rpdesk.gui.main_window

    assert check(rpdesk.gui.main_window) is True
    assert check(rpdesk.domain.ranking) is False
    assert check(sys) is False  # built in: PySide6's own answer
    modules = [m for name, m in sorted(sys.modules.items()) if m is not None and not name.startswith("__")]
    assert len(modules) > 200
    assert [check(m) for m in modules] == [bool(check.original(m)) for m in modules]
