"""Answer wording close to a scale's own: the one rule that matches "Quite a big problem" to 2.

Form tools let whoever builds the form word the answer options, so the same 0-3 problem scale
arrives as "A small problem", "quite a big problem" or "Very big problem". The importer (and the
import wizard, which shows what it matched) accept an answer whose wording differs from one of the
scale's own only in ways that cannot change its meaning:

- case, punctuation and spacing, and the filler words "a", "an", "the", "at all" and "problem";
- "quite", "rather" and "pretty" for "fairly" ("Quite a big problem" is "A fairly big problem");
- "small" or "minor" for "not very big" ("A small problem" is "Not a very big problem");
- "no problem" for "not a problem".

Anything else is left for the user to match: "Big problem" lies between "fairly big" and "very
big", "Very good" between "Good" and "Excellent", "Not a big problem" and "Safe" name no one
answer, so none of them is guessed. A wording that would match two different answers of a scale
matches neither.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

#: Whole-phrase substitutions, applied in order to the folded text between word boundaries.
SYNONYMS: tuple[tuple[str, str], ...] = (
    (r"no problems?", "not a problem"),
    (r"quite|rather|pretty", "fairly"),
    (r"small|minor", "not very big"),
)
#: Words that carry no meaning on a scale whose answers all share them.
FILLER = frozenset({"a", "an", "the", "at", "all", "problem", "problems"})
_NOT_WORD = re.compile(r"[^\w']+")


def wording_key(text: str) -> str:
    """The part of an answer's wording that carries its meaning (see the module docstring)."""
    folded = _NOT_WORD.sub(" ", text.replace("’", "'").casefold())
    for pattern, replacement in SYNONYMS:
        folded = re.sub(rf"\b(?:{pattern})\b", replacement, folded)
    return " ".join(word for word in folded.split() if word not in FILLER)


def close_match(text: str, labels: Mapping[str, int]) -> int | None:
    """The value of the one label whose wording ``text`` closely matches, or None (none, or two)."""
    key = wording_key(text)
    if not key:
        return None
    values = {value for label, value in labels.items() if wording_key(label) == key}
    return values.pop() if len(values) == 1 else None


def own_wording(labels: Mapping[str, int]) -> dict[int, str]:
    """Each value's first label: the scale's own wording, as a form offers it."""
    wording: dict[int, str] = {}
    for label, value in labels.items():
        wording.setdefault(value, label)
    return wording
