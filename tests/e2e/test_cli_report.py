"""``rpdesk-cli report``: the three documents through a real process, as a sergeant would make them."""

from __future__ import annotations

import json

import pytest

from tests.unit.reports.pdfcheck import inked_share, page_texts


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    from tests.e2e.conftest import run_cli

    path = tmp_path_factory.mktemp("report") / "demo.sqlite"
    url = f"sqlite:///{path}"
    result = run_cli("demo", "--db", url, "--wards", "1", "--years", "2", "--today", "2026-10-31")
    assert result.returncode == 0, result.stderr
    code = json.loads(run_cli("wards", "list", "--db", url, "--format", "json").stdout)[0]["code"]
    return url, code


@pytest.mark.parametrize(
    ("kind", "meeting", "extra", "marking"),
    [
        ("tasking", "2026-11-10", [], "OFFICIAL-SENSITIVE"),
        ("card", "2026-11-10", [], "OFFICIAL-SENSITIVE"),
        ("briefing", "2026-10-17", ["--lang", "both", "--large-print"], "OFFICIAL"),
    ],
)
def test_report_writes_a_marked_pdf_and_records_it(demo, cli, tmp_path, kind, meeting, extra, marking):
    url, code = demo
    out = tmp_path / f"{kind}.pdf"
    result = cli("report", kind, "--db", url, "--ward", code, "--meeting", meeting, "--out", str(out), *extra)
    assert result.returncode == 0, result.stderr
    assert f"wrote {out}" in result.stdout and "recorded as document" in result.stdout
    texts = page_texts(out)
    for n, text in enumerate(texts, 1):
        assert text.count(marking) >= 2
        assert "SENSITIVE" not in text if marking == "OFFICIAL" else True
        assert f"of {len(texts)}" in text and str(n) in text
    assert inked_share(out, 1) > 0.01
    if kind == "briefing":
        words = " ".join(" ".join(texts).split())
        assert "Dywedoch chi wrthym" in words and "You told us" in words


def test_report_mistakes_exit_3_with_a_message_and_no_file(demo, cli, tmp_path):
    url, code = demo
    out = tmp_path / "x.pdf"
    wrong_ward = cli("report", "card", "--db", url, "--ward", "E05999999", "--out", str(out))
    assert wrong_ward.returncode == 3 and "no ward with code" in wrong_ward.stderr
    wrong_date = cli("report", "tasking", "--db", url, "--ward", code, "--meeting", "2026-11-11", "--out", str(out))
    assert wrong_date.returncode == 3 and "no tasking (TCG) meeting on 2026-11-11" in wrong_date.stderr
    assert "Traceback" not in wrong_ward.stderr + wrong_date.stderr
    assert not out.exists()
    bad_lang = cli("report", "card", "--db", url, "--ward", code, "--lang", "fr", "--out", str(out))
    assert bad_lang.returncode == 2
