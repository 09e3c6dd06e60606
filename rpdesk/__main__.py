"""``python -m rpdesk``: the desktop app, as the ``rpdesk`` command."""

from __future__ import annotations

from rpdesk.gui.app import main

if __name__ == "__main__":
    main()
