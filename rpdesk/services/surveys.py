"""Survey responses typed in by hand from paper forms (files go through ``services.imports``), and what the
Surveys page lists: the ward's rounds and the issues a paper form asks about."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from rpdesk.db.models import Issue, SurveyAnswer, SurveyResponse, SurveyRound
from rpdesk.domain.dates import future_problem
from rpdesk.errors import FieldProblem, UserError, refuse
from rpdesk.importers.anonymity import (
    NAME_EXPECTED,
    STREET_EXPECTED,
    age_band,
    key_problem,
    mask_contacts,
    street_problem,
)
from rpdesk.services.issues import IssueChoice, issue_choices
from rpdesk.services.signals import RoundInfo, list_rounds
from rpdesk.services.tallies import refresh_tallies


@dataclass(frozen=True)
class PaperForm:
    """One respondent's answers as typed from a paper form (None = not answered)."""

    round_id: int
    respondent: str
    date: dt.date
    street: str | None = None
    age_band: str | None = None
    answers: Mapping[str, tuple[int | None, bool | None]] = field(default_factory=dict)
    conf_good_job: int | None = None
    conf_understand: int | None = None
    conf_dealing: int | None = None
    safe_after_dark: int | None = None
    knows_contact: bool | None = None
    comments: str | None = None


def paper_form_problems(
    form: PaperForm, *, today: dt.date, labels: Mapping[str, str] | None = None
) -> list[FieldProblem]:
    """Every rule a paper form breaks (no database: the form entry dialog asks the same before Save).

    The answer scales of the canonical layout (README, "Imports"); the anonymity rules of a survey
    file's standard columns (:mod:`rpdesk.importers.anonymity`); a form filled in by today; an effect
    only where the issue is rated a problem; and at least one issue rated. ``labels`` names issues
    by their label (their code otherwise).
    """
    return _scale_problems(form) + _anonymity_problems(form) + _answer_problems(form, today, labels or {})


def _scale_problems(form: PaperForm) -> list[FieldProblem]:
    out = [
        FieldProblem(code, f"{code}: problem score {problem!r} is not allowed: expected 0 to 3.")
        for code, (problem, _effect) in form.answers.items()
        if problem is not None and problem not in (0, 1, 2, 3)
    ]
    scales = (("conf_good_job", 5), ("conf_understand", 5), ("conf_dealing", 5), ("safe_after_dark", 4))
    for name, top in scales:
        value = getattr(form, name)
        if value is not None and value not in range(1, top + 1):
            out.append(FieldProblem(name, f"{name}: {value!r} is not allowed: expected 1 to {top}."))
    return out


def _anonymity_problems(form: PaperForm) -> list[FieldProblem]:
    """The same anonymity rules as a survey file's standard columns (rpdesk.importers.anonymity)."""
    key = form.respondent.strip()
    out = []
    if not key:
        out.append(FieldProblem("respondent", f"Type the respondent key from the form: {NAME_EXPECTED}."))
    elif problem := key_problem(key):
        out.append(FieldProblem("respondent", f"Respondent key '{key}' is not usable: expected {problem}."))
    if form.street and street_problem(form.street):
        out.append(FieldProblem("street", f"Street '{form.street}' is not usable: expected {STREET_EXPECTED}."))
    if form.age_band:
        try:
            age_band(form.age_band)
        except ValueError as exc:
            out.append(FieldProblem("age_band", f"Age band '{form.age_band}' is not usable: expected {exc}."))
    return out


def _answer_problems(form: PaperForm, today: dt.date, labels: Mapping[str, str]) -> list[FieldProblem]:
    late = future_problem("date", form.date, today=today, what="The form's date")
    out = [late] if late else []
    for code, (problem, effect) in form.answers.items():
        if effect is True and problem in (None, 0):
            text = f"'{labels.get(code, code)}': an effect is recorded, but the issue is not rated a problem."
            out.append(FieldProblem(code, text))
    if not any(problem is not None for problem, _effect in form.answers.values()):
        out.append(FieldProblem("answers", "No issue is rated: a form with no answers is not worth saving."))
    return out


def add_paper_form(session: Session, form: PaperForm, *, today: dt.date | None = None) -> int:
    """Save one response with its answers; refuse a key already used in the round or one that identifies a person."""
    key = form.respondent.strip()
    labels = {code: label for code, label in session.execute(select(Issue.code, Issue.label))}
    refuse(paper_form_problems(form, today=today or dt.date.today(), labels=labels))
    rnd = session.get(SurveyRound, form.round_id)
    if rnd is None:
        raise UserError("That survey round was deleted by somebody else.")
    taken = session.scalar(
        select(SurveyResponse.id).where(SurveyResponse.round_id == rnd.id, SurveyResponse.respondent == key)
    )
    if taken is not None:
        raise UserError(f"Respondent '{key}' is already in round {rnd.name}: each key is used once per round.")
    issue_ids = {code: id_ for code, id_ in session.execute(select(Issue.code, Issue.id))}
    unknown = sorted(set(form.answers) - set(issue_ids))
    if unknown:
        raise UserError(f"Unknown issue code(s) {', '.join(unknown)}: the catalogue has no such issue.")
    response = SurveyResponse(
        round_id=rnd.id,
        respondent=key,
        date=form.date,
        street=form.street,
        age_band=age_band(form.age_band) if form.age_band else None,
        conf_good_job=form.conf_good_job,
        conf_understand=form.conf_understand,
        conf_dealing=form.conf_dealing,
        safe_after_dark=form.safe_after_dark,
        knows_contact=form.knows_contact,
        comments=mask_contacts(form.comments).text if form.comments else None,  # as a file import does
    )
    response.answers = [
        SurveyAnswer(issue_id=issue_ids[code], problem=problem, effect=effect)
        for code, (problem, effect) in form.answers.items()
        if problem is not None or effect is not None
    ]
    session.add(response)
    session.flush()
    refresh_tallies(session, [rnd.id])
    return response.id


def surveys_overview(session: Session, ward_code: str) -> tuple[list[RoundInfo], list[IssueChoice]]:
    """The ward's rounds (oldest first) and the active issues a form asks about, in catalogue order."""
    return list_rounds(session, ward_code), issue_choices(session, order="catalogue")
