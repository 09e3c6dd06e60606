"""Gather what each document prints, as plain frozen dataclasses (:mod:`rpdesk.reports.model`).

The documents never see a session or an ORM object: this package reads the database once, calls the
signals, actions and abstractions services for their figures (it does no ranking, interval or
ring-fence maths of its own) and hands back values a report can print from any thread.

One module per document (:mod:`.tasking`, :mod:`.briefing`, :mod:`.card`) and one per piece they
share: the meeting and ward heading (:mod:`.meetings`), the ranking's rows (:mod:`.signal_rows`),
actions (:mod:`.action_rows`), priorities (:mod:`.priority_rows`), the ward team (:mod:`.team`) and
outstanding EVA findings (:mod:`.eva`); the pack's gap page (:mod:`.gap`) and appendix
(:mod:`.appendix`) are its own.

What may reach the public briefing is decided here, in one place (:func:`.action_rows.public_action`
and :func:`.team.team`): only actions flagged public, only officers' names, roles and official
contact, only aggregate counts of residents.
"""

from rpdesk.services.report_data.briefing import briefing_data
from rpdesk.services.report_data.card import card_data
from rpdesk.services.report_data.meetings import find_meeting, meeting_info
from rpdesk.services.report_data.tasking import tasking_data

__all__ = ["briefing_data", "card_data", "find_meeting", "meeting_info", "tasking_data"]
