"""Keep None, True and False alive under PySide6 on Python 3.11.

PySide6 6.12 drops references to ``None``, ``True`` and ``False`` it never took (a few per paint of
a QGraphicsView; also in ``QWidget.grab``). From Python 3.12 these objects are immortal (PEP 683)
and the extra releases are harmless; on 3.11 the count reaches zero after a few thousand paints and
the interpreter aborts ("none_dealloc: deallocating None", "bool_dealloc"). Until PySide6 is fixed
or rpdesk requires Python 3.12, the GUI gives the three objects a reference count no session can
exhaust, which is what 3.12 does for every build.
"""

from __future__ import annotations

import ctypes
import sys

#: Added to each count once; a paint releases a handful, so this lasts far beyond any session.
HEADROOM = 1 << 40
_pinned = False


def pin_singletons() -> None:
    """Make None, True and False effectively immortal (a no-op on Python 3.12 and later)."""
    global _pinned
    if _pinned or sys.version_info >= (3, 12):
        return
    for obj in (None, True, False):
        ctypes.c_ssize_t.from_address(id(obj)).value += HEADROOM
    _pinned = True
