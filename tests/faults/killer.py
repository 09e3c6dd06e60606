"""Run rpdesk-cli and cut it off right after a chosen SQL statement: a power cut or a lost server.

``python -m tests.faults.killer PATTERN N ACTION -- CLI ARGS...`` installs an SQLAlchemy event hook
that counts the statements matching the regular expression ``PATTERN`` (case-blind); just after
the ``N``-th has run it does ``ACTION``:

- ``kill``: SIGKILL its own process, before anything else can happen (no ``finally``, no
  rollback, no clean close). Then the next open must still work.
- ``server-gone``: have PostgreSQL terminate this connection (``pg_terminate_backend`` from a
  second connection), as when the server restarts mid-import. The command must then fail with
  one plain message.
"""

from __future__ import annotations

import os
import re
import signal
import sys
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine


def _terminate(conn: Any) -> None:
    import psycopg

    pid = conn.connection.driver_connection.info.backend_pid
    dsn = conn.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(dsn, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", (pid,))


def arm(pattern: str, nth: int, action: str) -> None:
    """Do ``action`` after the ``nth`` statement matching ``pattern``."""
    wanted = re.compile(pattern, re.IGNORECASE)
    seen = 0

    def after(conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        nonlocal seen
        if wanted.search(statement):
            seen += 1
            if seen == nth and action == "kill":
                os.kill(os.getpid(), signal.SIGKILL)
            elif seen == nth:
                _terminate(conn)

    event.listen(Engine, "after_cursor_execute", after)


def main(argv: list[str]) -> int:
    pattern, nth, action, dashes, *cli_args = argv
    assert dashes == "--" and action in ("kill", "server-gone"), "usage: killer PATTERN N ACTION -- CLI ARGS..."
    arm(pattern, int(nth), action)
    from rpdesk.cli import main as cli_main

    return cli_main(cli_args)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
