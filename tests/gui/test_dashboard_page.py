"""The dashboard's reassurance-gap headline: the same verdict, tests and p-values as the pack and the CLI."""

from __future__ import annotations

import datetime as dt

from rpdesk.services.confidence import reassurance_gap
from rpdesk.services.wards import list_wards
from tests.gui.conftest import shown

from rpdesk.gui.pages.dashboard import DashboardPage


def test_the_gap_headline_is_the_services_verdict_with_its_tests(qtbot, ctx, tmp_path):
    with ctx.database.session() as s:
        ward = list_wards(s)[0]
        expected = reassurance_gap(s, ward.code, by=dt.date.today())
    page = DashboardPage(ctx)
    shown(qtbot, page, ward)
    qtbot.waitUntil(lambda: page.data is not None, timeout=30_000)
    assert page.gap.isVisible() and page.gap.text() == expected.headline
    assert "(exact test for two counts, p" in page.gap.text() or "no comparison is made" in page.gap.text()
    assert ("font-weight: bold" in page.gap.styleSheet()) == expected.claimed
    page.grab().save(str(tmp_path / "dashboard.png"))
