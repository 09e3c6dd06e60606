"""The answers each survey column takes, and which answers in a file still need matching to them.

A form export words its answers its own way. For every column mapped to a survey column that takes
a fixed set of answers (the 0-3 problem scale, yes/no, the confidence scales, age bands), the
import wizard lists each distinct answer in the file the importer would not read as written: those
close to the scale's own wording are proposed (:mod:`rpdesk.importers.wording`), the rest the
user picks. The choices are saved in the column mapping's ``values`` as the text the importer reads
("2", "yes", "25-34", or "" for not answered), so the CLI reads the same file the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from rpdesk.importers.anonymity import ALLOWED_AGE_BANDS, age_band
from rpdesk.importers.reading import NO, YES
from rpdesk.importers.surveys import AGREE_LABELS, GOOD_JOB_LABELS, NOT_ANSWERED, PROBLEM_LABELS, SAFE_LABELS
from rpdesk.importers.wording import close_match, own_wording

NOT_ANSWERED_CHOICE = ("Not answered (left blank)", "")
#: A column with more distinct answers than this is free text, not a scale.
MAX_ANSWERS = 40


@dataclass(frozen=True)
class AnswerScale:
    """The answers a survey column takes: ``choices`` are (wording shown, text the importer reads)."""

    name: str
    choices: tuple[tuple[str, str], ...]
    as_written: Callable[[str], bool]
    close: Callable[[str], str | None]


def _numbered(name: str, labels: Mapping[str, int]) -> AnswerScale:
    wording = own_wording(labels)
    numbers = {str(v) for v in range(min(wording), max(wording) + 1)}
    folded = {label.casefold() for label in labels} | numbers | NOT_ANSWERED

    def close(text: str) -> str | None:
        value = close_match(text, labels)
        return None if value is None else str(value)

    return AnswerScale(
        name,
        (*((wording[v], str(v)) for v in sorted(wording)), NOT_ANSWERED_CHOICE),
        lambda text: text.strip().casefold() in folded,
        close,
    )


def _is_age_band(text: str) -> bool:
    try:
        age_band(text)
    except ValueError:
        return False
    return True


YES_NO = AnswerScale(
    "yes or no",
    (("Yes", "yes"), ("No", "no"), NOT_ANSWERED_CHOICE),
    lambda text: text.strip().casefold() in YES | NO | NOT_ANSWERED,
    lambda _text: None,
)
SCALES: dict[str, AnswerScale] = {
    "problem": _numbered("how much of a problem", PROBLEM_LABELS),
    "effect": YES_NO,
    "knows_contact": YES_NO,
    "conf_good_job": _numbered("how good a job", GOOD_JOB_LABELS),
    "conf_understand": _numbered("agree or disagree", AGREE_LABELS),
    "conf_dealing": _numbered("agree or disagree", AGREE_LABELS),
    "safe_after_dark": _numbered("how safe", SAFE_LABELS),
    "age_band": AnswerScale(
        "age band", (*((b, b) for b in ALLOWED_AGE_BANDS), NOT_ANSWERED_CHOICE), _is_age_band, lambda _text: None
    ),
}


def answer_scale(column: str) -> AnswerScale | None:
    """The scale a canonical survey column's answers are on, or None for free text, keys and dates."""
    for part in ("problem", "effect"):
        if column.endswith(f"_{part}"):
            return SCALES[part]
    return SCALES.get(column)


@dataclass(frozen=True)
class AnswerToMatch:
    """One answer wording found in the file's columns on one scale, and what it is matched to."""

    scale: AnswerScale
    text: str
    headers: tuple[str, ...]  # the file's columns it appears in
    columns: tuple[str, ...]  # the canonical columns those become
    chosen: str | None  # the text the importer will read, or None while unmatched
    how: str  # "close wording", "saved" or "" (unmatched)


def answers_to_match(
    mapped: Mapping[str, str | None],
    answers: Mapping[str, Sequence[str]],
    saved: Mapping[str, Mapping[str, str]],
) -> list[AnswerToMatch]:
    """Every answer in the mapped scale columns that the importer would not read as written.

    ``mapped`` is header -> canonical column; ``answers`` the distinct answers per header; ``saved``
    the mapping's ``values`` (canonical column -> {answer: text read}), which win over the proposal.
    One entry per scale and answer (compared ignoring case), naming every column it appears in.
    """
    found: dict[tuple[str, str], tuple[AnswerScale, list[tuple[str, str, str]]]] = {}
    for header, column in mapped.items():
        scale = answer_scale(column) if column else None
        if scale is None or column is None:
            continue
        for text in answers.get(header, ()):
            if text.strip() and not scale.as_written(text):
                key = (scale.name, text.strip().casefold())
                found.setdefault(key, (scale, []))[1].append((header, column, text.strip()))
    result = []
    for scale, places in found.values():
        text = places[0][2]
        columns = tuple(dict.fromkeys(c for _, c, _ in places))
        kept = [choice for c in columns if (choice := _saved(saved, c, text)) is not None]
        close = scale.close(text)
        chosen, how = (kept[0], "saved") if kept else (close, "close wording" if close else "")
        result.append(AnswerToMatch(scale, text, tuple(dict.fromkeys(h for h, _, _ in places)), columns, chosen, how))
    return result


def _saved(saved: Mapping[str, Mapping[str, str]], column: str, text: str) -> str | None:
    folded = {k.strip().casefold(): v for k, v in saved.get(column, {}).items()}
    return folded.get(text.casefold())


def answer_values(matches: Sequence[tuple[AnswerToMatch, str | None]]) -> dict[str, dict[str, str]]:
    """A mapping's ``values`` from each answer and the text chosen for it (None = still unmatched)."""
    values: dict[str, dict[str, str]] = {}
    for match, chosen in matches:
        if chosen is None:
            continue
        for column in match.columns:
            values.setdefault(column, {})[match.text] = chosen
    return values
