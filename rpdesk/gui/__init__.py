"""The PySide6 desktop app: a thin layer of widgets over :mod:`rpdesk.services`."""

from __future__ import annotations

import PySide6.QtCore  # noqa: F401  (loads PySide6's import hook, made cheaper just below)

from rpdesk.gui import import_hook

import_hook.install()
