"""rpdesk: ward-level reassurance policing, from resident signals to tasking packs."""

from __future__ import annotations

#: The release, and the one place it is written: the build reads it from here (``[tool.hatch.version]``),
#: so a start-up never needs ``importlib.metadata`` (and the email and socket modules it loads) to know it.
__version__ = "0.1.0"
