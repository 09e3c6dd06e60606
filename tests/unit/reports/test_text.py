"""Escaping user text for reportlab paragraphs, and the Welsh catalogue."""

from __future__ import annotations

import datetime as dt

import pytest

from rpdesk.reports.i18n import Translator, catalogue_path
from rpdesk.reports.text import esc, markup


def test_esc_makes_markup_literal_and_keeps_line_breaks():
    assert esc("<b>Smith & Sons</b>") == "&lt;b&gt;Smith &amp; Sons&lt;/b&gt;"
    assert esc('say "hi"') == "say &quot;hi&quot;"
    assert esc("one\ntwo") == "one<br/>two"
    assert esc(None) == ""


def test_markup_escapes_arguments_but_not_the_template():
    assert markup("<b>{}</b>", "<i>x</i>") == "<b>&lt;i&gt;x&lt;/i&gt;</b>"


def test_welsh_catalogue_is_valid_and_complete():
    cy = Translator("cy", strict=True)
    assert cy("You told us") == "Dywedoch chi wrthym"
    assert cy("Page {n} of {m}", n=1, m=2) == "Tudalen 1 o 2"
    assert "â" in cy("Get in touch with us using the details below.")
    assert cy.date(dt.date(2026, 11, 10)) == "Dydd Mawrth 10 Tachwedd 2026"
    text = catalogue_path("cy").read_text(encoding="utf-8")
    assert 'msgstr ""\n\n' not in text.split("\n\n", 1)[1], "an untranslated message"


def test_strict_translator_names_a_missing_translation():
    with pytest.raises(KeyError, match="no cy translation"):
        Translator("cy", strict=True)("A sentence nobody translated")
    assert Translator("cy")("A sentence nobody translated") == "A sentence nobody translated"
