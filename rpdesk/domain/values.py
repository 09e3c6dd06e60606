"""Plain values for text formats (JSON, CSV, the change log): enums as their stored words, dates as ISO."""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Any


def plain(value: Any) -> Any:
    """``value`` as JSON and CSV can carry it; anything else passes through unchanged."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return value
