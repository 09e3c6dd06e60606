"""``python -m rpdesk.cli``: the same as ``rpdesk-cli``."""

from __future__ import annotations

from rpdesk.cli import run

run()
