"""The ranking: the table of signals ranked from the evidence, and the breakdown of the selected one.

The table shows each signal's measures with their intervals, "n/a" where no data stands behind a
measure (never a zero); the breakdown says why the signal ranks where it does and which measures
make up its score.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QScrollArea, QVBoxLayout, QWidget

from rpdesk.domain.ranking import RankedSignal
from rpdesk.domain.stats import format_p
from rpdesk.services.signals import Ranking

from rpdesk.gui.models.records import Field
from rpdesk.gui.pages.base import heading

#: Short names of the score's parts, for the breakdown table (the full words are in the explanation).
EVIDENCE_WORDS = {
    "prevalence": "Big problem",
    "effect": "Changed how they feel or act",
    "audit": "EVA observations",
    "recorded": "Recorded incidents",
}


# --- formatting ----------------------------------------------------------------------------------------


def pct(share: float | None) -> str:
    return "–" if share is None else f"{share:.0%}"


def _interval(value: Any) -> str:
    if value is None:
        return "–"
    share, low, high = value
    return f"{share:.0%}  ({low:.0%}–{high:.0%})"


def _na(value: float | None) -> str:
    """A measure with no data behind it is "n/a", never a zero."""
    return "n/a" if value is None else f"{value:.1f}".removesuffix(".0")


def _p(value: float | None) -> str:
    return "" if value is None else format_p(value)


@dataclass(frozen=True)
class SignalRow:
    """A ranked signal as the table shows it (``id`` is the rank)."""

    id: int
    label: str
    kind: str
    respondents: int
    prevalence: tuple[float, float, float] | None
    effect: float | None
    eva: float | None  # severity-weighted observations per walk
    recorded: int | None  # None: no police.uk crime type matches
    year_before: int | None
    test: float | None
    flags: str
    signal: RankedSignal

    @classmethod
    def of(cls, s: RankedSignal) -> SignalRow:
        prevalence = None if s.prevalence is None else (s.prevalence, s.prevalence_low, s.prevalence_high)
        return cls(
            s.rank,
            s.label,
            s.kind_words,
            s.respondents,
            prevalence,
            s.effect,
            s.audit_per_walk,
            s.recorded,
            s.recorded_previous,
            s.recorded_p,
            "; ".join(s.flag_text),
            s,
        )


SIGNAL_FIELDS = [
    Field("#", "id", numeric=True),
    Field("Signal", "label"),
    Field("Kind", "kind"),
    Field("Answered", "respondents", numeric=True),
    Field("Big problem", "prevalence", numeric=True, fmt=_interval),
    Field("Effect", "effect", numeric=True, fmt=pct),
    Field("EVA / walk", "eva", numeric=True, fmt=_na, tip="Severity-weighted EVA observations per walk"),
    Field("Recorded", "recorded", numeric=True, fmt=lambda v: "n/a" if v is None else str(v)),
    Field("A year before", "year_before", numeric=True, fmt=lambda v: "n/a" if v is None else str(v)),
    Field("Test", "test", numeric=True, fmt=_p, tip="Exact test of the two recorded counts"),
    Field("Flags", "flags"),
]

RANKING_TIP = (
    "Big problem: share rating it a fairly or very big problem, with its 95% interval. Effect: share saying "
    "it changed how they feel or act. Residents set the order: an issue whose interval lies wholly above "
    "another's always ranks above it. EVA / walk: severity-weighted observations per audit walk. Recorded: "
    "police.uk incidents, the same months a year before and the exact test's p-value; n/a where no crime "
    "type matches the issue."
)


def scope_words(ranking: Ranking) -> str:
    """The round or period a ranking covers, in words."""
    period = f"{ranking.period_start:%d %b %Y} – {ranking.period_end:%d %b %Y}"
    return f"round '{ranking.round_name}' ({period})" if ranking.round_name else period


def summary_text(ranking: Ranking) -> str:
    """The line above the table: what was ranked, from how many answers, against which crime months."""
    small = (
        f" Fewer than {ranking.small_sample} answers make a figure uncertain (flagged)." if ranking.respondents else ""
    )
    return (
        f"<b>{scope_words(ranking)}</b>: {ranking.respondents:,} respondents; recorded crime "
        f"{ranking.crime_start:%b %Y}–{ranking.crime_end:%b %Y} against the same months a year before "
        f"({ranking.previous_start:%b %Y}–{ranking.previous_end:%b %Y}). The top {ranking.top_n} are the "
        f"evidence's candidates for priorities.{small}"
    )


class BreakdownPanel(QScrollArea):
    """Why the selected signal ranks where it does, and the measures its score is made of."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = heading("")
        self.explanation = QLabel()
        self.explanation.setWordWrap(True)
        self.explanation.setAccessibleName("Why this signal is ranked here")
        self.explanation.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.contributions = QLabel()
        self.contributions.setAccessibleName("What the score is made of")
        self.contributions.setTextFormat(Qt.TextFormat.RichText)
        self.contributions.setWordWrap(True)  # its closing note would widen the panel past its view and clip it
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 6, 0)
        side_layout.addWidget(self.title)
        side_layout.addWidget(self.explanation)
        side_layout.addWidget(self.contributions)
        side_layout.addStretch(1)
        self.setWidget(side)
        self.setWidgetResizable(True)
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

    def show_signal(self, signal: RankedSignal) -> None:
        self.title.setText(f"{signal.rank}. {signal.label}")
        self.explanation.setText(signal.explanation)
        rows = "".join(
            f"<tr><td>{EVIDENCE_WORDS.get(c.component, c.component)}</td>"
            f"<td align='right'>{'n/a' if c.measure is None else f'{c.measure:.0%}'}</td>"
            f"<td align='right'>× {c.weight:g}</td>"
            f"<td align='right'><b>{c.points:.3f}</b></td></tr>"
            for c in signal.contributions
        )
        self.contributions.setText(
            "<table cellspacing='0' cellpadding='3'>"
            "<tr><th align='left'>Evidence</th><th>Measure</th><th>Weight</th><th>Points</th></tr>"
            f"{rows}<tr><td colspan='3'><b>Score</b></td><td align='right'><b>{signal.score:.3f}</b></td></tr>"
            "</table><p>The score orders only issues whose residents' intervals overlap; a measure with no data "
            "(n/a) is left out, not counted as zero.</p>"
        )
