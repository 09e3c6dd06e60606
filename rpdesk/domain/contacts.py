"""Officers' official contact details: the only way to reach an officer that a document may print.

A community briefing goes to every household; an officer's own mobile or home address printed on
it is a data breach and a safety risk. So an officer carries two contact fields, each checked when
it is entered, and nothing else about how to reach them is stored:

- ``email``: a force address whose domain is the ``force_email_domain`` setting or a sub-domain of
  it (``ashfield.snt@dyfed-powys.police.uk`` with the setting ``dyfed-powys.police.uk``; the default
  ``police.uk`` admits any force's address and nothing else);
- ``phone``: 101, or a team landline: a UK number starting 01, 02 or 03 (03 is the non-geographic
  range public bodies use), 10 or 11 digits. Mobile numbers (07) are refused: they are usually
  personal, and a team's shared phone can be reached through its landline or 101.
"""

from __future__ import annotations

import re

EMAIL = re.compile(r"[A-Za-z0-9._%+'-]+@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)")
PHONE_PUNCTUATION = re.compile(r"[\s().-]")
LANDLINE_PREFIXES = ("01", "02", "03")


class ContactError(ValueError):
    """A contact detail that is not an official one; the message says what is expected."""


def official_email(text: str | None, domain: str) -> str | None:
    """``text`` as a force e-mail address in ``domain`` (host part lower-cased); None when blank."""
    value = (text or "").strip()
    if not value:
        return None
    domain = domain.strip().lower().lstrip("@.")
    match = EMAIL.fullmatch(value)
    if match is None:
        raise ContactError(f"'{value}' is not an e-mail address; give the officer's force e-mail (name@{domain}).")
    host = match.group(1).lower()
    if host != domain and not host.endswith("." + domain):
        raise ContactError(
            f"'{value}' is not a force address: official e-mail must end in @{domain} (the force e-mail domain "
            "setting). A personal address must not be printed on public documents."
        )
    local = value[: match.start(1) - 1]
    return f"{local}@{host}"


def official_phone(text: str | None) -> str | None:
    """``text`` as 101 or a team landline (spacing tidied); None when blank."""
    value = " ".join((text or "").split())
    if not value:
        return None
    digits = PHONE_PUNCTUATION.sub("", value)
    if digits.startswith("+44"):
        digits = "0" + digits[3:]
    if digits == "101":
        return "101"
    if not digits.isdigit():
        raise ContactError(f"'{value}' is not a phone number; give the team's landline (such as 01632 960000) or 101.")
    if digits.startswith("07"):
        raise ContactError(
            f"'{value}' is a mobile number, which is usually personal; give the team's landline or 101 instead."
        )
    if not digits.startswith(LANDLINE_PREFIXES) or len(digits) not in (10, 11):
        raise ContactError(
            f"'{value}' is not a UK landline (01, 02 or 03 and 10 or 11 digits); give the team's landline or 101."
        )
    return value


def from_free_text(text: str | None, domain: str) -> tuple[str | None, str | None]:
    """The official e-mail and phone to keep from an old free-text contact; everything else is dropped.

    An address is kept wherever it stands in the text if it is a force address; a phone only when
    the text is nothing but that number (a number beside other words may be anybody's).
    """
    value = (text or "").strip()
    email = None
    for match in EMAIL.finditer(value):
        try:
            email = official_email(match.group(0), domain)
            break
        except ContactError:
            continue
    try:
        phone = official_phone(value)
    except ContactError:
        phone = None
    return email, phone


def printed(email: str | None, phone: str | None) -> str | None:
    """How a document prints an officer's official contact: e-mail, then phone."""
    return " · ".join(part for part in (email, phone) if part) or None
