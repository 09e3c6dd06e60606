"""The community briefing's public text: what residents told us, in figures a resident reads, kept apart
from what the team chose for other reasons."""

from __future__ import annotations

from dataclasses import replace

import pytest

from rpdesk.reports.briefing import build_briefing, share_of_residents
from rpdesk.reports.i18n import Translator
from rpdesk.reports.layout import PrintOptions
from tests.unit.reports import samples
from tests.unit.reports.pdfcheck import page_texts

PUBLIC = PrintOptions("OFFICIAL", "Example Police")


def _text(path) -> str:
    return " ".join(" ".join(page_texts(path)).split())


@pytest.mark.parametrize(
    ("share", "words"),
    [
        (0.62, "6 in 10 of you said"),
        (0.55, "6 in 10 of you said"),
        (0.04, "Fewer than 1 in 10 of you said"),
        (0.96, "Nearly all of you said"),
        (0.1, "1 in 10 of you said"),
    ],
)
def test_a_share_reads_as_so_many_in_ten(share, words):
    assert share_of_residents(share, Translator("en")).startswith(words)


def test_you_told_us_lists_the_evidence_top_n_and_other_priorities_stand_apart(tmp_path):
    path = tmp_path / "b.pdf"
    build_briefing(samples.briefing(), path, PUBLIC)
    text = _text(path)
    told = text.split("You told us", 1)[1].split("We are also working on", 1)[0]
    assert "Dog fouling 6 in 10 of you said this is a fairly or very big problem." in told
    assert "We are working on this with partners." in told
    assert "Poor street lighting Fewer than 1 in 10" in told and "not one of our priorities for now" in told
    assert "Speeding" not in told
    also = text.split("We are also working on", 1)[1].split("We did", 1)[0]
    assert "Speeding" in also and "A child was hurt on Heol y Nant." in also


def test_welsh_names_the_figures_and_the_other_priorities_in_welsh(tmp_path):
    path = tmp_path / "b.pdf"
    build_briefing(samples.briefing(), path, replace(PUBLIC, lang="cy"), strict=True)
    text = _text(path)
    assert "Dywedodd 6 o bob 10 ohonoch" in text and "Rydym hefyd yn gweithio ar" in text and "Goryrru" in text


def test_without_an_other_priority_there_is_no_empty_heading(tmp_path):
    path = tmp_path / "b.pdf"
    build_briefing(replace(samples.briefing(), also_working_on=()), path, PUBLIC)
    assert "We are also working on" not in _text(path)
