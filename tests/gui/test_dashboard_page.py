"""The dashboard states its as-at date and period, and its overdue count is the pack's and the CLI's."""

from __future__ import annotations

import datetime as dt

from rpdesk.services.confidence import reassurance_gap
from rpdesk.services.dashboard import ward_status
from rpdesk.services.wards import list_wards
from tests.gui.conftest import wait_idle

from rpdesk.gui.pages.dashboard import DashboardPage


def test_the_dashboard_says_as_at_when_and_counts_overdue_as_the_status_does(qtbot, ctx):
    today = dt.date.today()
    with ctx.database.session() as s:
        ward = list_wards(s)[0]
        status = ward_status(s, ward.code, today, ctx.settings)
        gap = reassurance_gap(s, ward.code, by=today)
    page = DashboardPage(ctx)
    qtbot.addWidget(page)
    page.set_ward(ward)
    wait_idle(qtbot, page)
    subtitle = page.subtitle.text()
    assert f"As at {today:%d/%m/%Y}" in subtitle and f"{status.period_end:%d/%m/%Y}" in subtitle
    assert status.as_at.period in page.subtitle.toolTip()
    assert "police.uk data held to" in subtitle
    assert page.tiles["overdue"].value.text() == str(status.overdue_actions)
    assert page.tiles["overdue"].caption.text().startswith(f"Overdue at {today:%d/%m/%Y}")
    assert page.tiles["open"].value.text() == str(status.open_actions)
    assert page.gap.text() == gap.conclusion and page.gap.toolTip() == gap.headline  # the pack's verdict, in short
    crime = [page.activity.item(r, 0).text() for r in range(page.activity.rowCount())]
    assert "Recorded crime and ASB (police.uk)" in crime
    row = crime.index("Recorded crime and ASB (police.uk)")
    assert page.activity.item(row, 1).toolTip().startswith("This period:")  # which months each figure covers
