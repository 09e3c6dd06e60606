"""The background runner: results and progress reach the GUI thread; cancel rolls back; ORM objects never cross."""

from __future__ import annotations

import threading

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton
from sqlalchemy import func, select

from rpdesk.db.models import PartnerAgency
from rpdesk.errors import Cancelled

from rpdesk.gui.dialogs.progress import ProgressDialog


def test_results_and_progress_arrive_on_the_gui_thread(qtbot, ctx):
    seen: list[tuple[str, object]] = []
    gui = threading.get_ident()

    def work(progress, check):
        progress(0.5, "half way")
        return threading.get_ident()

    state = ctx.runner.submit(work, title="Counting")
    state.progress.connect(lambda f, m: seen.append(("progress", threading.get_ident() == gui)))
    with qtbot.waitSignal(state.done, timeout=10_000) as blocker:
        pass
    assert blocker.args[0] != gui  # the work ran on the database thread
    assert seen == [("progress", True)]
    assert state.fraction == 0.5 and state.message == "half way"


def test_cancel_rolls_the_transaction_back(qtbot, ctx):
    started = threading.Event()
    release = threading.Event()

    def add_partners(session, *, progress, check):
        for i in range(100):
            session.add(PartnerAgency(name=f"Partner {i}"))
            session.flush()
            if i == 10:
                started.set()
                release.wait(5)
            check()
            progress(i / 100, f"partner {i}")
        return 100

    with ctx.database.session() as s:
        before = s.scalar(select(func.count(PartnerAgency.id)))
    state = ctx.runner.run(add_partners, title="Adding partners", with_progress=True)
    dialog = ProgressDialog.watch(state, delay_ms=0)
    qtbot.addWidget(dialog)
    assert started.wait(5)
    qtbot.mouseClick(dialog.findChild(QPushButton), Qt.MouseButton.LeftButton)  # the Cancel button
    release.set()
    with qtbot.waitSignal(state.failed, timeout=10_000) as blocker:
        pass
    assert isinstance(blocker.args[0], Cancelled)
    with ctx.database.session() as s:
        assert s.scalar(select(func.count(PartnerAgency.id))) == before


def test_an_orm_object_is_refused_as_a_result(qtbot, ctx):
    state = ctx.runner.run(lambda s: s.scalars(select(PartnerAgency)).first(), title="Leaky")
    with qtbot.waitSignal(state.failed, timeout=10_000) as blocker:
        pass
    assert "ORM object" in str(blocker.args[0])


def add_partner_in_child(session, name, *, progress, check):
    """Module-level, so a child process can import it."""
    progress(0.5, "adding")
    check()
    session.add(PartnerAgency(name=name))
    session.flush()
    return name.upper()


def test_a_service_runs_in_a_child_process_with_progress(qtbot, ctx):
    state = ctx.runner.run_in_process(add_partner_in_child, "Canal and River Trust", title="In a child")
    messages: list[str] = []
    state.progress.connect(lambda _f, m: messages.append(m))
    with qtbot.waitSignal(state.done, timeout=60_000) as blocker:
        pass
    assert blocker.args[0] == "CANAL AND RIVER TRUST"
    assert messages == ["adding"]
    with ctx.database.session() as s:
        assert s.scalar(select(func.count()).where(PartnerAgency.name == "Canal and River Trust")) == 1
