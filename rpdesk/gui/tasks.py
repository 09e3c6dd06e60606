"""Background work: one database thread, progress and cancel, results delivered on the GUI thread.

Anything that may take more than ~100 ms (queries over large tables, imports, rankings, PDF builds)
runs here so the event loop never stalls. The contract (the same as Anki's task manager and Orange's TaskState):

- A single worker thread runs every task, so database writes are serialised (SQLite has one writer).
- A task gets plain arguments and returns plain values (frozen dataclasses, tuples, ids). ORM objects
  never cross threads: the worker opens its own session through the :class:`Database`, and a result
  that is an ORM object is refused as a bug.
- Progress and the outcome reach the GUI thread only through queued signals of :class:`TaskState`.

Usage::

    state = runner.run(record_abstraction, officer_id, day, hours, title="Recording abstraction")
    state.done.connect(on_saved)          # called on the GUI thread with the return value
    state.failed.connect(show_error)      # called with the exception (UserError, Cancelled, ...)
    ProgressDialog.watch(state, parent)   # optional: a progress dialog with Cancel
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from typing import Any, NamedTuple

from PySide6.QtCore import QObject, Qt, Signal, Slot

from rpdesk.errors import Cancelled

log = logging.getLogger(__name__)

Work = Callable[[Callable[[float, str], None], Callable[[], None]], Any]


class TaskState(QObject):
    """One task's life as seen from the GUI thread.

    Signals (all emitted on the GUI thread):
        progress(float, str): fraction done (0..1) and what is happening.
        done(object): the task's return value.
        failed(object): the exception the task raised (:class:`Cancelled` after :meth:`cancel`).
        finished(): after ``done`` or ``failed``.

    Attributes:
        tables: the tables the task wrote (set on the worker before ``done``; empty for a read).
        initiator: the page or dialog that started the task, handed on with its change set.
    """

    progress = Signal(float, str)
    done = Signal(object)
    failed = Signal(object)
    finished = Signal()
    # Emitted from the worker thread; queued connections re-emit the public signals on the GUI thread.
    _progress_from_worker = Signal(float, str)
    _outcome_from_worker = Signal(bool, object)

    def __init__(self, title: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.title = title
        self.fraction = 0.0
        self.message = ""
        self.running = True
        self.tables: frozenset[str] = frozenset()
        self.initiator: object | None = None
        self._cancel = threading.Event()
        self._progress_from_worker.connect(self._on_progress, Qt.ConnectionType.QueuedConnection)
        self._outcome_from_worker.connect(self._on_outcome, Qt.ConnectionType.QueuedConnection)

    # --- called from the worker thread ---------------------------------------------------------

    def report(self, fraction: float, message: str) -> None:
        """The ``progress`` callable handed to services."""
        self._progress_from_worker.emit(float(fraction), message)

    def check(self) -> None:
        """The ``check`` callable handed to services: raises :class:`Cancelled` once cancel was asked."""
        if self._cancel.is_set():
            raise Cancelled(f"{self.title}: cancelled; nothing was saved.")

    # --- GUI thread ----------------------------------------------------------------------------

    def cancel(self) -> None:
        """Ask the task to stop at its next ``check()``; its transaction is rolled back."""
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    @Slot(float, str)
    def _on_progress(self, fraction: float, message: str) -> None:
        self.fraction, self.message = fraction, message
        self.progress.emit(fraction, message)

    @Slot(bool, object)
    def _on_outcome(self, ok: bool, value: object) -> None:
        self.running = False
        if ok:
            self.done.emit(value)
        else:
            self.failed.emit(value)
        self.finished.emit()


class Wrote(NamedTuple):
    """A child process's result and the tables its committed transaction wrote."""

    value: Any
    tables: frozenset[str]


class InlineExecutor(Executor):
    """Runs each task at once on the calling thread: for tests that want no threads at all."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        future: Future[Any] = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as exc:
            future.set_exception(exc)
        return future


def _is_orm(value: object) -> bool:
    from rpdesk.db.models import Base

    if isinstance(value, list | tuple | set | frozenset):
        return any(isinstance(v, Base) for v in list(value)[:1])
    return isinstance(value, Base)


class TaskRunner(QObject):
    """The single-writer executor every page and dialog uses for database work.

    Signals:
        changed(Changes): after a task that wrote something succeeded, on the GUI thread, before the
            task's own ``done`` handlers: the tables it wrote and its initiator.

    Attributes:
        database: the open :class:`rpdesk.db.database.Database` (None until one is open).
    """

    changed = Signal(object)

    def __init__(self, database: Any = None, executor: Executor | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self._executor = executor or ThreadPoolExecutor(max_workers=1, thread_name_prefix="rpdesk-db")
        #: For work that touches no database (loading modules, reading files): never queues behind the DB.
        self._other = executor or ThreadPoolExecutor(max_workers=2, thread_name_prefix="rpdesk-work")
        self._live: set[TaskState] = set()

    def submit(self, work: Work, *, title: str, database: bool = True, initiator: object | None = None) -> TaskState:
        """Run ``work(progress, check)`` on the database thread; it opens whatever it needs itself.

        ``database=False`` runs work that never touches the database on a separate pool instead.
        The tables written by every session the work commits are announced (:attr:`changed`).
        """
        state = TaskState(title, self)
        state.initiator = initiator
        self._live.add(state)
        state.finished.connect(lambda: self._live.discard(state))
        state.done.connect(lambda _value: self._announce(state))

        def body() -> None:
            try:
                from rpdesk.db.changelog import collecting  # SQLAlchemy loads here, after the first paint

                with collecting() as tables:  # every session the work commits adds what it wrote
                    value = work(state.report, state.check)
                if isinstance(value, Wrote):  # a child process's work reports its own
                    value, tables = value.value, tables | value.tables
                state.tables = frozenset(tables)
                if _is_orm(value):
                    raise TypeError(f"{title}: a task returned an ORM object; return a frozen dataclass instead")
            except BaseException as exc:
                if not isinstance(exc, Exception | Cancelled):
                    raise
                if not isinstance(exc, Cancelled):
                    log.debug("task %r failed", title, exc_info=exc)
                    from rpdesk.db.failures import explain

                    exc = explain(exc) or exc  # busy, disk full, read-only, server gone: a message, not a bug
                state._outcome_from_worker.emit(False, exc)
                return
            state._outcome_from_worker.emit(True, value)

        (self._executor if database else self._other).submit(body)
        return state

    def _announce(self, state: TaskState) -> None:
        if state.tables:
            from rpdesk.gui.context import Changes

            self.changed.emit(Changes(state.tables, state.initiator))

    def run(
        self,
        fn: Callable[..., Any],
        *args: Any,
        title: str,
        with_progress: bool = False,
        initiator: object | None = None,
        **kwargs: Any,
    ) -> TaskState:
        """Run ``fn(session, *args, **kwargs)`` in one transaction of its own on the database thread.

        With ``with_progress`` the service also gets ``progress=`` and ``check=`` keyword arguments.
        """
        database = self.database
        if database is None:
            raise RuntimeError("no database is open")

        def work(progress: Callable[[float, str], None], check: Callable[[], None]) -> Any:
            extra = {"progress": progress, "check": check} if with_progress else {}
            with database.session() as session:
                return fn(session, *args, **kwargs, **extra)

        return self.submit(work, title=title, initiator=initiator)

    def run_in_process(
        self, fn: Callable[..., Any], *args: Any, title: str, initiator: object | None = None, **kwargs: Any
    ) -> TaskState:
        """Run ``fn(session, *args, progress=, check=, **kwargs)`` in a child process of its own.

        For long CPU-bound services (a 100k-respondent import): pandas and numpy hold the GIL for
        hundreds of milliseconds at a time, which would stall the event loop if they ran on a thread
        here. ``fn`` must be importable (a module-level function) and its arguments and result
        picklable; the child opens its own connection to the same database, and its transaction
        commits or rolls back as a whole. Cancel reaches the child's ``check()`` within ~0.1 s.
        """
        database = self.database
        if database is None:
            raise RuntimeError("no database is open")
        url = database.url.render_as_string(hide_password=False)
        return self.submit(
            lambda progress, check: _relay_process(url, fn, args, kwargs, progress, check),
            title=title,
            database=False,
            initiator=initiator,
        )

    @property
    def busy(self) -> bool:
        """Whether any task is still running or its outcome not yet delivered."""
        return bool(self._live)

    def shutdown(self) -> None:
        """Cancel every running task and wait for the thread to finish (on quit)."""
        for state in list(self._live):
            state.cancel()
        self._executor.shutdown(wait=True)
        self._other.shutdown(wait=True)


# --- child processes -----------------------------------------------------------------------------


def _process_main(
    url: str, fn: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any], out: Any, stop: Any
) -> None:
    """The child: open the database, run the service in one transaction, report through ``out``."""
    from rpdesk.db.database import open_database
    from rpdesk.errors import UserError

    def check() -> None:
        if stop.is_set():
            raise Cancelled("Cancelled; nothing was saved.")

    try:
        database = open_database(url, upgrade=False, create=False)
        from rpdesk.db.changelog import collecting

        with collecting() as tables, database.session() as session:  # imports take the write lock themselves
            value = fn(session, *args, progress=lambda f, m: out.put(("progress", f, m)), check=check, **kwargs)
        database.dispose()
        out.put(("done", value, frozenset(tables)))
    except Cancelled as exc:
        out.put(("cancelled", str(exc)))
    except UserError as exc:
        out.put(("user_error", str(exc)))
    except Exception as exc:
        from rpdesk.db.failures import explain

        message = explain(exc)
        out.put(("user_error", str(message)) if message else ("error", f"{type(exc).__name__}: {exc}"))


def _relay_process(
    url: str,
    fn: Callable[..., Any],
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
    progress: Callable[[float, str], None],
    check: Callable[[], None],
) -> Any:
    """Start the child and pass its progress on; cancel it when ``check`` says so; return its result."""
    import multiprocessing
    import queue

    from rpdesk.errors import UserError

    context = multiprocessing.get_context("spawn")
    out = context.Queue()
    stop = context.Event()
    child = context.Process(target=_process_main, args=(url, fn, args, kwargs, out, stop), daemon=True)
    child.start()
    try:
        while True:
            try:
                message = out.get(timeout=0.1)
            except queue.Empty:
                if not child.is_alive() and out.empty():
                    raise RuntimeError(
                        f"the worker process stopped unexpectedly (exit code {child.exitcode})"
                    ) from None
                try:
                    check()
                except Cancelled:
                    stop.set()
                continue
            kind = message[0]
            if kind == "progress":
                progress(message[1], message[2])
            elif kind == "done":
                return Wrote(message[1], message[2])
            elif kind == "cancelled":
                raise Cancelled(message[1])
            elif kind == "user_error":
                raise UserError(message[1])
            else:
                raise RuntimeError(message[1])
    finally:
        child.join(timeout=10)
