"""The tasking pack's appendix: the method as the modules state it, and the caveats of this ranking."""

from __future__ import annotations

from collections.abc import Sequence

from rpdesk.domain.ranking import SOURCES, method_lines
from rpdesk.reports.model import SignalRow
from rpdesk.services import assessment as assessment_service
from rpdesk.services import confidence as confidence_service
from rpdesk.services import periods
from rpdesk.services import signals as signal_service
from rpdesk.settings import Settings


def method(ranking: signal_service.Ranking | None, settings: Settings) -> tuple[str, ...]:
    """The appendix: the ranking, gap and assessment rules as their modules state them, and the sources."""
    weights = ranking.weights if ranking is not None else signal_service.ranking_weights(settings)
    lines = list(method_lines(weights))
    if ranking is not None:
        lines.append(
            f"This pack uses the {periods.ranking_name(ranking)}; recorded crime {ranking.crime_start:%b %Y}–"
            f"{ranking.crime_end:%b %Y} against {ranking.previous_start:%b %Y}–{ranking.previous_end:%b %Y}."
        )
    lines += [confidence_service.METHOD, assessment_service.METHOD]
    lines.append(
        "Ring-fence figure = share of rostered hours spent on ward duties; "
        f"target {100 * settings.ring_fence_target:.0f}%."
    )
    lines.append("p-values below 0.001 print as 'p < 0.001'. " + SOURCES)
    return tuple(lines)


def caveats(ranking: signal_service.Ranking | None, signals: Sequence[SignalRow], small: int) -> tuple[str, ...]:
    out = []
    smalls = [s.label for s in signals if "small sample" in s.flags]
    if smalls:
        out.append(f"Fewer than {small} respondents answered: {', '.join(smalls)}. Treat these figures with care.")
    if ranking is not None:
        out += _swap_caveats(ranking)
    out.append("police.uk data are published about two months in arrears; the latest months may be incomplete.")
    out.append(
        "Survey respondents are not a random sample unless the round says so; door-step and KIN rounds "
        "over-represent people at home and engaged residents."
    )
    return tuple(out)


def _swap_caveats(ranking: signal_service.Ranking) -> list[str]:
    """Top-N signals that may swap with one outside the top N: the line the evidence cannot draw."""
    out = []
    for s in ranking.top():
        outside = [ranking.signal(c) for c in s.swaps_with if ranking.signal(c).rank > ranking.top_n]
        if outside:
            names = ", ".join(f"{o.label} (rank {o.rank})" for o in outside)
            out.append(
                f"{s.label} (rank {s.rank}) may swap with {names}: residents' answers cannot tell them apart, "
                f"so the evidence does not separate them at the top {ranking.top_n}."
            )
    return out
