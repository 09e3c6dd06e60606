"""Run rpdesk-cli and SIGKILL it right after a chosen SQL statement: a power cut at a known point.

``python -m tests.faults.killer PATTERN N -- CLI ARGS...`` installs an SQLAlchemy event hook that
counts the statements matching the regular expression ``PATTERN`` (case-blind) and kills its own
process with SIGKILL just after the ``N``-th has run, before anything else can happen: no
``finally``, no rollback, no clean close. Then the next open must still work.
"""

from __future__ import annotations

import os
import re
import signal
import sys
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine


def arm(pattern: str, nth: int) -> None:
    """Kill this process after the ``nth`` statement matching ``pattern``."""
    wanted = re.compile(pattern, re.IGNORECASE)
    seen = 0

    def after(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        nonlocal seen
        if wanted.search(statement):
            seen += 1
            if seen == nth:
                os.kill(os.getpid(), signal.SIGKILL)

    event.listen(Engine, "after_cursor_execute", after)


def main(argv: list[str]) -> int:
    pattern, nth, dashes, *cli_args = argv
    assert dashes == "--", "usage: killer PATTERN N -- CLI ARGS..."
    arm(pattern, int(nth))
    from rpdesk.cli import main as cli_main

    return cli_main(cli_args)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
