"""Entry script PyInstaller freezes as the console ``rpdesk-cli`` executable (no Qt)."""

from rpdesk.cli import run

run()
