"""Entry script PyInstaller freezes as the windowed ``rpdesk`` executable (the GUI)."""

from rpdesk.gui.app import main

main()
