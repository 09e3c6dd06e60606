"""Qt-free reads and writes the pages need that no service in ``rpdesk.services`` offers (yet).

Each function takes a ``Session`` and plain arguments and returns frozen dataclasses or ids, so it
runs on the database thread (:mod:`rpdesk.gui.tasks`). When a service for the same job lands, the
page calls the service and the function here goes.
"""
