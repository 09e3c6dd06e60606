"""Page flow and furniture measured on the printed pages, for every document in every variant.

Each document (tasking pack, response card, briefing in en, cy and both) is built at normal and
large print, from hand-made data and from a demo database, and its pages are read back character
by character (pdfium's text layer): the marking stands clear of all other text, no text runs into
other text, a heading always has lines of its section below it on its page, and no page but the
last is nearly empty.
"""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from reportlab.lib.units import mm
from reportlab.platypus import Table
from sqlalchemy import select

from rpdesk.db.database import Database, open_database
from rpdesk.db.models import Ward
from rpdesk.reports.briefing import build_briefing
from rpdesk.reports.card import build_card
from rpdesk.reports.layout import BODY_HEIGHT, BOTTOM, PAGE_HEIGHT, TOP, PrintOptions, RuledTable, table
from rpdesk.reports.styles import make_styles
from rpdesk.reports.tasking import build_tasking
from rpdesk.services.documents import build_document
from rpdesk.settings import Settings
from tests.unit.reports import samples
from tests.unit.reports.pdfcheck import Glyph, glyphs, lines, overlapping, page_texts

NOW = dt.datetime(2026, 10, 12, 15, 0)
RESTRICTED = PrintOptions("OFFICIAL-SENSITIVE", "Example Police")
PUBLIC = PrintOptions("OFFICIAL", "Example Police")
DOCUMENTS = [
    *(f"pack{lp}" for lp in ("", "-large")),
    *(f"card{lp}" for lp in ("", "-large")),
    *(f"briefing-{lang}{lp}" for lang in ("en", "cy", "both") for lp in ("", "-large")),
]
VARIANTS = [*DOCUMENTS, *(f"{name}-demo" for name in DOCUMENTS)]

BODY_SIZE = {"pack": 9.5, "card": 9.5, "briefing": 11.5}


def _build(name: str, folder: Path, demo: Database) -> Path:
    kind, *rest = name.split("-")
    large = "-large" in name
    path = folder / f"{name}.pdf"
    if name.endswith("-demo"):
        lang = rest[0] if kind == "briefing" else None
        doc = {"pack": "tasking"}.get(kind, kind)
        build_document(
            demo,
            doc,
            _ward(demo),
            None,
            path,
            large_print=large,
            lang=lang,
            now=NOW,
            overwrite=True,
            settings=Settings(),
        )
    elif kind == "pack":
        build_tasking(samples.tasking(n_actions=40, n_eva=40), path, replace(RESTRICTED, large_print=large))
    elif kind == "card":
        build_card(samples.card(), path, replace(RESTRICTED, large_print=large))
    else:
        options = replace(PUBLIC, large_print=large, lang=rest[0])
        build_briefing(samples.briefing(), path, options, strict=True)
    return path


def _ward(db: Database) -> str:
    with db.session() as s:
        return s.scalars(select(Ward.code).order_by(Ward.name)).first()


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, demo_template: Path) -> dict[str, tuple[Path, list[list[Glyph]]]]:
    folder = tmp_path_factory.mktemp("layout")
    shutil.copy(demo_template, folder / "demo.sqlite")
    demo = open_database(f"sqlite:///{folder / 'demo.sqlite'}")
    out = {}
    try:
        for name in VARIANTS:
            path = _build(name, folder, demo)
            out[name] = (path, glyphs(path))
    finally:
        demo.dispose()
    return out


def _body(page: list[Glyph]) -> list[Glyph]:
    """Glyphs inside the body frame (not the header, footer or marking)."""
    return [g for g in page if g.y0 > BOTTOM - 1 and g.y1 < PAGE_HEIGHT - TOP + 1]


@pytest.mark.parametrize("name", VARIANTS)
def test_the_marking_stands_clear_of_every_other_text_top_and_bottom(built, name):
    _, pages = built[name]
    marking = (RESTRICTED if name.startswith(("pack", "card")) else PUBLIC).marking
    for n, page in enumerate(pages, 1):
        marked = [line for line in lines(page) if line.text == marking]
        assert len(marked) == 2, f"{name} page {n}: the marking should stand alone top and bottom"
        assert marked[0].baseline > PAGE_HEIGHT - TOP and marked[1].baseline < BOTTOM
        own = {id(g) for line in marked for g in line.glyphs}
        near = [
            (g.char, m.char)
            for line in marked
            for m in line.glyphs
            for g in page
            if id(g) not in own and g.overlaps(m, slack=-1 * mm)  # less than 1 mm apart counts as touching
        ]
        assert not near, f"{name} page {n}: text touches the marking: {near[:5]}"


@pytest.mark.parametrize("name", VARIANTS)
def test_no_text_runs_into_other_text(built, name):
    _, pages = built[name]
    for n, page in enumerate(pages, 1):
        clash = overlapping(page)
        assert not clash, f"{name} page {n}: {[(a.char, b.char, round(a.x0), round(a.y0)) for a, b in clash[:5]]}"


@pytest.mark.parametrize("name", VARIANTS)
def test_a_heading_never_ends_a_page(built, name):
    """A page's last heading (h2 size and up) has two lines of its section below it, or its section ends there.

    A section ends there when it is the document's last or the next page opens with a heading.
    """
    _, pages = built[name]
    kind = name.split("-")[0]
    h2 = make_styles(large_print="-large" in name, body_size=BODY_SIZE[kind]).h2.fontSize
    bodies = [lines(_body(page)) for page in pages]

    def is_head(line):
        return line.size >= h2 * 0.9  # compact builds take a point off

    for n, body in enumerate(bodies, 1):
        heads = [i for i, line in enumerate(body) if is_head(line)]
        if not heads:
            continue
        below = len(body) - 1 - heads[-1]
        ends_here = n == len(pages) or is_head(bodies[n][0])
        assert below >= 2 or (below == 1 and ends_here), (
            f"{name} page {n}: '{body[heads[-1]].text}' has {below} line(s) below it"
        )


@pytest.mark.parametrize("name", VARIANTS)
def test_no_page_but_the_last_is_nearly_empty(built, name):
    """Every page but the last uses a third of its body or more (a chart that cannot start lower may
    leave a page part-used; only a few stray lines make it "nearly empty")."""
    _, pages = built[name]
    used = []
    for page in pages:
        body = _body(page)
        lowest = min((g.y0 for g in body), default=PAGE_HEIGHT - TOP)
        used.append((PAGE_HEIGHT - TOP - lowest) / BODY_HEIGHT)
    assert all(u >= 1 / 3 for u in used[:-1]), f"{name}: pages used {[round(u, 2) for u in used]}"
    assert used[-1] >= 0.1, f"{name}: the last page holds almost nothing ({used[-1]:.0%})"


def test_a_one_line_bilingual_large_print_footer_and_a_long_title_still_fit(tmp_path):
    data = replace(samples.briefing(), ward=replace(samples.WARD, name="Llanfair Pwllgwyngyll ac Ynys Môn Ganol"))
    path = tmp_path / "b.pdf"
    build_briefing(data, path, replace(PUBLIC, large_print=True, lang="both", force_name="Heddlu Dyfed-Powys Police"))
    for page in glyphs(path):
        assert not overlapping(page)


def test_a_chart_of_part_of_a_list_says_how_much_it_shows(tmp_path):
    path = tmp_path / "pack.pdf"
    build_tasking(samples.tasking(), path, RESTRICTED)
    text = " ".join(" ".join(page_texts(path)).split())
    assert "top 12 of 15 signals" in text
    assert "Top 3 of 15 signals" in text  # the summary's table of the top signals


def _split_sizes(t: Table, height: float) -> list[int]:
    t.wrap(500, 10_000)
    return [len(part._cellvalues) - 1 for part in t.split(500, height)]


@pytest.mark.parametrize("rows", [2, 3, 4, 5, 9])
def test_a_table_split_never_leaves_a_single_row_on_either_side(rows):
    s = make_styles()
    t = table(["Officer", "Hours"], [[f"Officer {i}", i] for i in range(rows)], [0.5, 0.5], s)
    assert isinstance(t, RuledTable)
    t.wrap(500, 10_000)
    row_h = t._rowHeights[1]
    seen = set()
    for k in range(0, rows + 1):  # room for the header and k rows
        sizes = _split_sizes(
            table(["Officer", "Hours"], [[f"Officer {i}", i] for i in range(rows)], [0.5, 0.5], s),
            t._rowHeights[0] + k * row_h + 0.5,
        )
        seen.add(tuple(sizes))
        if len(sizes) == 2:
            assert min(sizes) >= 2, f"{rows} rows split {sizes} with room for {k}"
        elif sizes:
            assert sizes == [rows]
    assert any(len(s) == 2 for s in seen) == (rows >= 4)


def test_the_summary_has_page_one_to_itself_in_normal_print_only(built):
    normal = page_texts(built["pack"][0])
    assert "Top 3 of 15 signals" in normal[0] and "1. Review of previous actions" not in normal[0]
    assert "1. Review of previous actions" in normal[1]
    large = page_texts(built["pack-large"][0])
    opens = next(n for n, text in enumerate(large) if "1. Review of previous actions" in text)
    summary_ends = next(n for n, text in enumerate(large) if "Reassurance activity" in text)
    assert opens <= summary_ends + 1  # in large print section 1 follows on, with no page left blank
