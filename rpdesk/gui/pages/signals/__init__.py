"""Signals & Priorities: the ward's signals ranked from evidence, the reasons behind each, and the priorities.

One module per concept: :mod:`.ranking` (the ranked table and the breakdown of a signal),
:mod:`.assumption` (the expected signals asked for before the reveal and compared after it),
:mod:`.priorities` (current priorities, signals passed over, the adoption dialog),
:mod:`.assessment` (did the work move what residents feel) and :mod:`.page`, which composes them.
What they show comes from :mod:`rpdesk.services.signals_view` and the services it calls; the rules
(departures, the comparison's words, the default period) live there, so the CLI can apply them too.

The page guards against the failure the NRPP study names (officers "already knew" the problems):
before the ranking of a round or period is first revealed, the team is asked to record the signals it
expects, most important first; afterwards the page shows how far the expectation matched the
evidence (overlap and Spearman correlation). Adopting priorities that depart from the evidence top N
(adopting one outside it, or passing over one inside it) needs a written justification per
departure, kept beside the priority.
"""
