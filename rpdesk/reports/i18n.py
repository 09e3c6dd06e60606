"""Welsh (and English) text for documents, from a gettext catalogue read with Babel.

The catalogue is ``resources/translations/cy/LC_MESSAGES/rpdesk.po``, a standard file a translator
edits with any PO editor. It is read directly (no compiled ``.mo``), so a corrected translation
takes effect without a build step. English is the message id itself.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path

from babel.dates import format_date
from babel.messages.pofile import read_po

from rpdesk.errors import UserError
from rpdesk.paths import resources_dir

LANGUAGES = ("en", "cy")
DOMAIN = "rpdesk"


def catalogue_path(lang: str) -> Path:
    return resources_dir() / "translations" / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@lru_cache(maxsize=4)
def _messages(lang: str) -> dict[str, str]:
    if lang == "en":
        return {}
    path = catalogue_path(lang)
    try:
        with path.open("rb") as fh:
            catalog = read_po(fh, locale=lang)
    except OSError as exc:
        raise UserError(f"The {lang} translations ({path}) cannot be read: {exc}; reinstall rpdesk.") from exc
    return {str(m.id): str(m.string) for m in catalog if m.id and m.string and not m.fuzzy}


class Translator:
    """Turns an English message id into the document's language.

    A missing translation falls back to English, unless ``strict`` (used by the tests, so that a
    string added to a document without its Welsh is caught).
    """

    def __init__(self, lang: str, *, strict: bool = False) -> None:
        if lang not in LANGUAGES:
            raise UserError(f"Language '{lang}' is not one of {', '.join(LANGUAGES)}.")
        self.lang = lang
        self.strict = strict
        self._table = _messages(lang)

    def __call__(self, message: str, **values: object) -> str:
        text = self._table.get(message)
        if text is None:
            if self.strict and self.lang != "en":
                raise KeyError(f"no {self.lang} translation for {message!r}")
            text = message
        return text.format(**values) if values else text

    def date(self, value: dt.date) -> str:
        """A long date in the language: "Tuesday 10 November 2026", "Dydd Mawrth 10 Tachwedd 2026"."""
        return format_date(value, "EEEE d MMMM y", locale="cy" if self.lang == "cy" else "en_GB")
