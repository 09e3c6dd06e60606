"""Printable documents built with reportlab, with no Qt and no database access.

Each document module (:mod:`.tasking`, :mod:`.briefing`, :mod:`.card`) turns one frozen data object
from :mod:`.model` into a PDF. The shared modules give every document the same furniture:
:mod:`.layout` (A4 pages, the protective marking centred top and bottom, "Page N of M", progress and
cancel), :mod:`.styles` and :mod:`.fonts` (an embedded full-Unicode family), :mod:`.charts` (vector
charts), :mod:`.text` (escaping of user text) and :mod:`.i18n` (the Welsh string catalogue).
Gathering the data is :mod:`rpdesk.services.report_data`'s job; recording a built document against
its meeting is :mod:`rpdesk.services.documents`'.
"""
