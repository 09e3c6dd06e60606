"""Respondents stay anonymous: what the standard survey columns may hold, for files and paper forms alike.

A survey's value is that residents speak freely, and the community briefing is public: a respondent
must never be identifiable from what rpdesk stores. So the columns that could carry personal data are
held to rules a sergeant can read and follow:

- **Respondent key**: a code, not a person. At most 64 characters, with at least one digit
  (``R001``, ``AUT26-017``, ``2026/5``), without two words of letters side by side (``John Smith 4``
  is a name with a number), and not an e-mail address or phone number.
- **Street**: a street name only. A number on its own anywhere (``12 High Street``, ``Rose Court
  no. 12``, ``Flat 3 ...``, ``12a``), a flat, apartment or unit letter (``Flat B``) or a postcode
  makes it an address. Road numbers (``A38``) and ordinals (``1st Avenue``) are part of names.
- **Age band**: one of :data:`ALLOWED_AGE_BANDS` (dashes, ``to`` and ``and over`` written any way), so a date
  of birth or an exact age cannot slip in; "prefer not to say" is blank.
- **Comments**: free text is kept, but phone numbers and e-mail addresses in it are masked at import
  and the import says how many.

Only ``re``: the paper-form service uses these rules without loading pandas.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rpdesk.domain.vocabulary import AGE_BANDS

#: Also accepted from files: the coarser bands many forms use (adults only from 18; one top band at 65).
ALLOWED_AGE_BANDS: tuple[str, ...] = (*AGE_BANDS, "18-24", "65+")
MAX_KEY = 64
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
#: A UK or international phone number: 0 or +country first, then 9 or more digits with the usual
#: spacing; ``2026-000123`` (a code) does not start like a phone number.
PHONE = re.compile(r"(?:\+\d{1,3}[\s.-]?(?:\(0\))?|\(?0)[\d\s().-]{8,}", re.ASCII)
_WORD = r"[^\W\d_]+(?:['’-][^\W\d_]+)*"
TWO_WORDS = re.compile(rf"(?<![^\W\d_]){_WORD}[\s,.]+{_WORD}(?![^\W\d_])")
NAME_EXPECTED = (
    "an anonymous code such as R001: at most 64 characters, with a digit, not a name, e-mail address or "
    "phone number (respondents stay anonymous)"
)


def _digits(text: str) -> int:
    return sum(c in "0123456789" for c in text)


def is_phone(text: str) -> bool:
    """Whether ``text`` is a phone number (10 to 13 digits in a phone number's shape)."""
    return bool(PHONE.fullmatch(text.strip())) and 10 <= _digits(text) <= 13


def key_problem(key: str) -> str | None:
    """What makes ``key`` unusable as an anonymous respondent key, or None if it is a code."""
    if len(key) > MAX_KEY or EMAIL.fullmatch(key) or is_phone(key):
        return NAME_EXPECTED
    if not any(c in "0123456789" for c in key) or TWO_WORDS.search(key):
        return NAME_EXPECTED
    return None


_TOKEN = re.compile(r"[^\W_]+")
_ORDINAL = re.compile(r"\d+(?:st|nd|rd|th)", re.IGNORECASE | re.ASCII)
_FLAT = re.compile(r"\b(?:flat|apartment|apt|unit|maisonette|room)\b\.?\s*(?:\d|[a-z]\b)", re.IGNORECASE)
_POSTCODE = re.compile(r"\b[a-z]{1,2}\d[a-z\d]?\s*\d[a-z]{2}\b", re.IGNORECASE)
STREET_EXPECTED = "a street name without a house or flat number or postcode (respondents stay anonymous)"


def street_problem(text: str) -> str | None:
    """What makes ``text`` an address rather than a street name, or None."""
    numbered = any(t[0].isdigit() and not _ORDINAL.fullmatch(t) for t in _TOKEN.findall(text))
    if numbered or _FLAT.search(text) or _POSTCODE.search(text):
        return STREET_EXPECTED
    return None


_BAND_SPELLING = re.compile(r"\s*(?:-|–|—|to)\s*")
_OVER = re.compile(r"^(\d+)\s*(?:\+|plus|and over|or over|and above|or older)$|^over\s*(\d+)$")
NOT_SAID = frozenset({"prefer not to say", "rather not say", "don't know", "don’t know", "not stated"})
AGE_EXPECTED = (
    f"one of the age bands {', '.join(ALLOWED_AGE_BANDS)} or blank (a column mapping's \"values\" can turn a form's "
    "own bands into these; a date of birth or an exact age is not kept)"
)


def age_band(text: str) -> str | None:
    """The canonical band ``text`` names ("25 to 34" is 25-34), None if not said; ValueError otherwise."""
    folded = text.strip().casefold()
    if folded in NOT_SAID:
        return None
    over = _OVER.match(folded)
    band = f"{over[1] or over[2]}+" if over else _BAND_SPELLING.sub("-", folded)
    if band not in ALLOWED_AGE_BANDS:
        raise ValueError(AGE_EXPECTED)
    return band


_EMAIL_IN_TEXT = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE_IN_TEXT = re.compile(r"(?<![\w+])(?:\+\d{1,3}[\s.-]?(?:\(0\))?|\(?0)[\d\s().-]{8,}\d(?!\w)", re.ASCII)
EMAIL_MASK = "[e-mail address removed]"
PHONE_MASK = "[phone number removed]"


@dataclass(frozen=True)
class Masked:
    """Free text with contact details masked, and how many of each were."""

    text: str
    phones: int
    emails: int


def mask_contacts(text: str) -> Masked:
    """``text`` with e-mail addresses and phone numbers replaced by a mask saying what was there."""
    text, emails = _EMAIL_IN_TEXT.subn(EMAIL_MASK, text)
    phones = 0

    def phone(match: re.Match[str]) -> str:
        nonlocal phones
        if 10 <= _digits(match[0]) <= 13:
            phones += 1
            return PHONE_MASK
        return match[0]

    text = _PHONE_IN_TEXT.sub(phone, text)
    return Masked(text, phones, emails)
