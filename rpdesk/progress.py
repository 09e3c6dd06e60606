"""The progress-and-cancel contract between long tasks and whoever runs them (CLI, GUI, tests).

A long service function takes ``progress(fraction, message)`` and ``check()``. It reports with the
first and calls the second between steps; ``check`` raises :class:`rpdesk.errors.Cancelled` when
the user has asked to stop, which rolls the task's transaction back.
"""

from __future__ import annotations

from collections.abc import Callable

ProgressFn = Callable[[float, str], None]
CheckFn = Callable[[], None]


def no_progress(_fraction: float, _message: str) -> None:
    """Progress sink for callers that do not show progress."""


def never_cancel() -> None:
    """Cancellation check for callers that cannot cancel."""


def sub_progress(progress: ProgressFn, start: float, end: float) -> ProgressFn:
    """Map a sub-task's 0..1 onto ``start..end`` of its parent's progress."""

    def report(fraction: float, message: str) -> None:
        progress(start + (end - start) * max(0.0, min(1.0, fraction)), message)

    return report
