"""Qt-free reads and writes the pages need that no service in ``rpdesk.services`` offers (yet).

Each function takes a ``Session`` and plain arguments and returns frozen dataclasses or ids, so it
runs on the database thread (:mod:`rpdesk.gui.tasks`). When a service for the same job lands, the
page calls the service and the function here goes.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any


def deferred(module: str, name: str) -> Callable[..., Any]:
    """``module.name``, imported when first called: for services that load pandas (run them off the GUI thread)."""

    def call(*args: Any, **kwargs: Any) -> Any:
        return getattr(importlib.import_module(module), name)(*args, **kwargs)

    call.__name__ = name
    return call
