"""Services called lazily: a page names a service it runs on the database thread without importing it.

Every read and write a page needs is a service in ``rpdesk.services``; this only defers the import
of the heavy ones (pandas), so opening a page does not load them.
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
