"""Shares (a fraction of a whole) typed and shown as percentages, one rule for the dialog, the CLI and files.

A share is held as a fraction (0.8) and shown as a percentage ("80%"), so it must be accepted as
either: "80%", "80 %", "80" and 0.8 all mean eighty per cent. Without a % sign a number above 1 is
a percentage and one of at most 1 a fraction ("1" is the whole, 100%; nobody means a 1% target).
"""

from __future__ import annotations

import math
import re

#: What a share field says it expects.
EXPECTED_SHARE = "a percentage such as 80% (or the fraction 0.8)"

_NUMBER = re.compile(r"([0-9]+(?:\.[0-9]*)?|\.[0-9]+)\s*(%?)", re.ASCII)


class ShareError(ValueError):
    """Text that is not a share; the message says what was expected."""


def parse_share(value: str | float | int) -> float:
    """``value`` as a fraction: "80%", "80", 80 and 0.8 all give 0.8 (range checks are the caller's)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        number, percent = float(value), False
        if not math.isfinite(number) or number < 0:
            raise ShareError(f"{value!r} is not {EXPECTED_SHARE}")
    else:
        match = _NUMBER.fullmatch(str(value).strip())
        if match is None:
            raise ShareError(f"{str(value)!r} is not {EXPECTED_SHARE}")
        number, percent = float(match[1]), bool(match[2])
    return number / 100 if percent or number > 1 else number


def shown_share(share: float) -> str:
    """``share`` as a percentage, as every screen shows it: 0.8 → "80%", 0.825 → "82.5%"."""
    return f"{100 * share:.4g}%"
