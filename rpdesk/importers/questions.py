"""Form questions to canonical columns: the matching the import wizard proposes for a form export.

Online form tools head each column with its question ("How much of a problem is: Rubbish or litter
lying around?"). The proposal, which the user checks and may change before anything is read:

1. a header already named as rpdesk names a column (``litter_problem``) is that column;
2. a header containing an issue's label ("Rubbish or litter lying around") or all the words of its
   code ("Litter?") is that issue's *problem* column, or its *effect* column when the question asks
   what changed ("has this changed how you feel or what you do?"); an effect question naming no
   issue belongs to the problem question just before it, as forms ask them in pairs;
3. the key, the date, street, age, the confidence questions and comments by their usual words;
   of several date and time columns the one saying when the answers were given is the date
   ("Date submitted", "Completion time", before a bare "Timestamp"), the others are left out;
4. personal details (name, e-mail, phone, address) are left out: respondents stay anonymous.

Each column of rpdesk's layout is proposed for one header at most; the rest are left to the user.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from rpdesk.importers.surveys import FIELD_LABELS, looks_personal

EFFECT = re.compile(r"\b(?:chang\w*|effect\w*|affect\w*|feel|what you do)\b")
#: Headers naming when a form was filled in, best first: the first present is the date.
DATE_HEADERS = (
    "date",
    "date submitted",
    "submitted",
    "submission date",
    "date completed",
    "completion time",
    "completed",
    "end time",
    "timestamp",
    "submitted at",
)
#: Other times a form tool records, which are not when the answers were given.
OTHER_TIMES = frozenset({"start time", "start date", "last modified time", "modified", "started", "start"})
RESPONDENT_HEADERS = frozenset(
    {"id", "respondent", "respondent id", "respondent key", "response id", "response number", "reference", "ref"}
)


@dataclass(frozen=True)
class Issue:
    """An issue of the catalogue as the matching needs it."""

    code: str
    label: str


def header_words(text: str) -> str:
    """Lower-case words separated by single spaces: how a header and a label are compared."""
    return " ".join(re.findall(r"[^\W_]+", text.casefold()))


def canonical_name(header: str) -> str:
    """The name the importer reads a header as (case folded, spaces as underscores)."""
    return re.sub(r"\s+", "_", header.strip()).casefold()


def _issue_of(words: str, issues: Sequence[Issue]) -> Issue | None:
    padded = f" {words} "
    by_label = [i for i in issues if f" {header_words(i.label)} " in padded]
    if by_label:
        return max(by_label, key=lambda i: len(i.label))
    present = set(words.split())
    by_code = [i for i in issues if set(i.code.split("_")) <= present]
    return by_code[0] if len(by_code) == 1 else None


def _field_of(words: str) -> str | None:
    """The respondent-level column a question's words name, if any."""
    present = set(words.split())
    if words in RESPONDENT_HEADERS or "respondent" in present:
        return "respondent"
    rules = (
        ("comments", "anything else" in words or bool(present & {"comment", "comments", "remarks"})),
        ("conf_good_job", {"good", "job"} <= present),
        ("conf_understand", "understand" in present),
        ("conf_dealing", "dealing with" in words or "deal with" in words),
        ("safe_after_dark", bool(present & {"safe", "unsafe"}) and "dark" in present),
        ("knows_contact", "contact" in present and bool(present & {"know", "knows"})),
        ("age_band", "age" in present),
        ("street", bool(present & {"street", "road"})),
    )
    return next((column for column, found in rules if found), None)


def propose_survey_columns(headers: Sequence[str], issues: Sequence[Issue]) -> dict[str, str | None]:
    """Header -> proposed canonical column (None = leave out), for the headers the rules place."""
    known = {"respondent", "date", *FIELD_LABELS, *(f"{i.code}_{p}" for i in issues for p in ("problem", "effect"))}
    proposed: dict[str, str | None] = {}
    times = {h: DATE_HEADERS.index(w) for h in headers if (w := header_words(h)) in DATE_HEADERS}
    date_header = min(times, key=times.__getitem__) if times else None
    previous: str | None = None
    for header in headers:
        words = header_words(header)
        target = _target(header, words, issues, known, previous, date_header)
        if target is not None and target in proposed.values():
            target = None if target == "date" else ""  # a second date is left out; other repeats unmatched
        if target != "":
            proposed[header] = target
        previous = target if target else None
    return proposed


def _target(
    header: str, words: str, issues: Sequence[Issue], known: Collection[str], previous: str | None, date: str | None
) -> str | None:
    """One header's proposal: a column, None (leave out) or "" (no proposal)."""
    if canonical_name(header) in known:
        return canonical_name(header)
    if header == date:
        return "date"
    if words in DATE_HEADERS or words in OTHER_TIMES:
        return None
    issue = _issue_of(words, issues)
    asks_effect = bool(EFFECT.search(words))
    if issue is not None:
        return f"{issue.code}_{'effect' if asks_effect else 'problem'}"
    if asks_effect and previous and previous.endswith("_problem"):
        return previous.removesuffix("_problem") + "_effect"
    field = _field_of(words)
    if field is not None:
        return field
    return None if looks_personal(canonical_name(header)) else ""


def propose_columns(
    kind: str, headers: Sequence[str], issues: Sequence[Issue], targets: Collection[str]
) -> dict[str, str | None]:
    """The proposal for a file of ``kind``: question matching for surveys, own names for the others."""
    if kind == "surveys":
        return propose_survey_columns(headers, issues)
    return {h: canonical_name(h) for h in headers if canonical_name(h) in targets}
