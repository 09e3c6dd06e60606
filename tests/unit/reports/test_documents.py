"""The three documents built from hand-made data: markings, page numbers, escaping, language, ink."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from rpdesk.errors import Cancelled
from rpdesk.reports.briefing import build_briefing
from rpdesk.reports.card import build_card
from rpdesk.reports.layout import PrintOptions
from rpdesk.reports.styles import make_styles
from rpdesk.reports.tasking import build_tasking
from tests.unit.reports import samples
from tests.unit.reports.pdfcheck import fonts_embedded, inked_share, page_texts

RESTRICTED = "OFFICIAL-SENSITIVE"
PACK = PrintOptions(RESTRICTED, "Example Police")
PUBLIC = PrintOptions("OFFICIAL", "Example Police")


def flat(text: str) -> str:
    """Extracted text with line breaks and runs of spaces folded, so wrapped phrases still match."""
    return re.sub(r"\s+", " ", text)


@pytest.fixture
def pack(tmp_path):
    path = tmp_path / "pack.pdf"
    pages = build_tasking(samples.tasking(n_actions=60, n_eva=80), path, PACK)
    return path, pages


def test_every_pack_page_is_marked_top_and_bottom_and_numbered(pack):
    path, pages = pack
    texts = page_texts(path)
    assert len(texts) == pages > 3
    for n, text in enumerate(texts, 1):
        assert text.count(RESTRICTED) >= 2, f"page {n} lacks the marking twice"
        assert f"Page {n} of {pages}" in text
        assert "Example Police" in text


def test_long_tables_repeat_their_header_on_the_next_page(pack):
    path, _ = pack
    texts = page_texts(path)
    first = next(i for i, t in enumerate(texts) if "Action 10" in t)
    last = next(i for i, t in enumerate(texts) if "Action 59" in t)
    assert last > first, "60 actions should need more than one page"
    assert all("Action and outcome" in texts[i] for i in range(first, last + 1))


def test_pack_has_every_section_in_order(pack):
    text = flat(" ".join(page_texts(pack[0])))
    sections = [
        "Reassurance activity beside recorded crime",
        "1. Review of previous actions",
        "2. Ranked signals",
        "3. Reassurance gap",
        "4. Priorities, departures and assessment",
        "5. EVA findings outstanding",
        "6. Abstractions",
        "7. Proposed tasking (EPIC)",
        "Appendix: method, sample sizes and caveats",
    ]
    positions = [text.find(s) for s in sections]
    assert -1 not in positions, dict(zip(sections, positions, strict=True))
    assert positions == sorted(positions)
    assert "Departure from the evidence" in text and "Fatal collision nearby." in text


def test_user_text_prints_exactly_as_typed(pack, tmp_path):
    text = flat(" ".join(page_texts(pack[0])))
    assert samples.NASTY in text
    card = tmp_path / "card.pdf"
    build_card(samples.card(), card, PACK)
    assert samples.NASTY in flat(page_texts(card)[0])


def test_pages_are_not_blank_when_rendered(pack):
    path, pages = pack
    for page in (1, pages):
        assert inked_share(path, page) > 0.01


def test_fonts_are_embedded(pack):
    assert {"DejaVuSans", "DejaVuSans-Bold"} <= fonts_embedded(pack[0])


def test_card_fits_one_page_with_restricted_marking(tmp_path):
    path = tmp_path / "card.pdf"
    assert build_card(samples.card(), path, PACK) == 1
    text = page_texts(path)[0]
    assert text.count(RESTRICTED) == 2 and "Page 1 of 1" in text
    assert "What residents have been told" in text and "Who to contact" in text


@pytest.mark.parametrize("lang", ["en", "cy", "both"])
def test_briefing_is_short_marked_and_in_its_language(tmp_path, lang):
    path = tmp_path / f"briefing-{lang}.pdf"
    pages = build_briefing(samples.briefing(), path, replace(PUBLIC, lang=lang), strict=True)
    texts = page_texts(path)
    assert 1 <= pages <= 2 == len(texts) or pages == len(texts)
    assert all(t.count("OFFICIAL") >= 2 and "SENSITIVE" not in t for t in texts)
    text = flat(" ".join(texts))
    if lang in ("cy", "both"):
        assert "Dywedoch chi wrthym" in text and "Baw cŵn" in text
        assert "Cysylltwch â ni" in text and "Eich tîm plismona bro" in text
        assert "Tudalen 1 o" in text
    if lang in ("en", "both"):
        assert "You told us" in text and "How to report" in text
    if lang == "cy":
        assert "You told us" not in text


def test_large_print_body_is_at_least_16_point_and_still_builds(tmp_path):
    assert make_styles(large_print=True).body.fontSize >= 16
    assert make_styles(large_print=True, body_size=9).cell.fontSize >= 16
    path = tmp_path / "large.pdf"
    pages = build_briefing(samples.briefing(), path, replace(PUBLIC, large_print=True, lang="both"))
    assert pages >= 2
    assert all(t.count("OFFICIAL") >= 2 for t in page_texts(path))


def test_progress_rises_to_done_and_cancel_leaves_no_file(tmp_path):
    seen = []
    path = tmp_path / "pack.pdf"
    build_tasking(samples.tasking(), path, PACK, progress=lambda f, _m: seen.append(f))
    assert seen[-1] == 1.0 and seen == sorted(seen)

    def cancel():
        raise Cancelled()

    target = tmp_path / "cancelled.pdf"
    with pytest.raises(Cancelled):
        build_tasking(samples.tasking(), target, PACK, check=cancel)
    assert list(tmp_path.iterdir()) == [path]


def test_force_logo_is_printed_on_every_page_and_a_bad_one_is_a_user_error(tmp_path):
    from PIL import Image
    from pypdf import PdfReader

    from rpdesk.errors import UserError

    logo = tmp_path / "logo.png"
    Image.new("RGB", (120, 60), (31, 58, 95)).save(logo)
    path = tmp_path / "pack.pdf"
    build_tasking(samples.tasking(), path, replace(PACK, logo_path=logo))
    pages = PdfReader(str(path)).pages
    assert all(page["/Resources"].get("/XObject") for page in pages)
    broken = tmp_path / "broken.png"
    broken.write_text("not a picture")
    with pytest.raises(UserError, match="logo"):
        build_card(samples.card(), tmp_path / "c.pdf", replace(PACK, logo_path=broken))
