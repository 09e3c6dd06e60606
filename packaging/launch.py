"""Entry script PyInstaller freezes: the GUI as ``rpdesk``, the command line when started as ``rpdesk-cli``.

Linux and macOS bundles have one executable and ``rpdesk-cli`` as a symbolic link to it; Windows has
two executables (windowed and console) built from this same script. See packaging/rpdesk.spec.
"""

import multiprocessing
import sys
from pathlib import Path

multiprocessing.freeze_support()  # a worker process of either program re-enters here first

if Path(sys.argv[0]).stem.lower() == "rpdesk-cli":  # Windows names are case-blind
    from rpdesk.cli import run

    run()
else:
    from rpdesk.gui.app import main

    main()
