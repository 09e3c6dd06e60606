"""The community briefing: a plain-English sheet (1–2 A4 pages) for residents, for public release.

It is built only from :class:`~rpdesk.reports.model.BriefingData`, whose types cannot carry a
respondent key, a non-public action or an officer's non-public detail: the gathering service
decides what is public, and this module has nothing else to print. Welsh or bilingual versions
come from the string catalogue; bilingual puts Welsh on the left and English on the right in the
same style, so neither language is less prominent.
"""

from __future__ import annotations

from pathlib import Path

from reportlab.platypus import Flowable, KeepTogether, Table, TableStyle

from rpdesk.progress import CheckFn, ProgressFn, never_cancel, no_progress
from rpdesk.reports import maps
from rpdesk.reports.i18n import Translator
from rpdesk.reports.layout import BODY_WIDTH, PrintOptions, build_pdf
from rpdesk.reports.model import BriefingData, MeetingInfo, PublicAction, PublicPriority
from rpdesk.reports.styles import SHADE, Styles, make_styles
from rpdesk.reports.text import Paragraph, esc, markup

MAX_DONE = 6
MAX_NEXT = 6

ROLE_NAMES = {
    "PC": "Police Constable",
    "PCSO": "Police Community Support Officer",
    "Sergeant": "Sergeant",
    "Special": "Special Constable",
}

Block = list[Flowable]


def build_briefing(
    data: BriefingData,
    out: Path,
    options: PrintOptions,
    *,
    progress: ProgressFn = no_progress,
    check: CheckFn = never_cancel,
    strict: bool = False,
) -> int:
    """Write the briefing to ``out`` in ``options.lang`` (en, cy or both); return its page count.

    ``strict`` makes a missing Welsh translation an error instead of printing the English.
    """
    langs = ("cy", "en") if options.lang == "both" else (options.lang,)
    translators = [Translator(code, strict=strict) for code in langs]

    def story(compact: int) -> list[Flowable]:
        styles = make_styles(large_print=options.large_print, body_size=11.5, compact=compact)
        columns = [_blocks(data, options.force_name, t, styles) for t in translators]
        if len(columns) > 1:
            return _side_by_side(columns, styles)
        # a short section stays whole; a long one may break, its heading kept with what follows
        return [f for block in columns[0] for f in ([KeepTogether(block)] if len(block) <= 6 else block)]

    return build_pdf(
        story,
        out,
        options,
        title=" / ".join(t("Community briefing") for t in translators),
        subtitle=f"{data.ward.name} · {data.meeting.date:%d/%m/%Y}",
        footer=" / ".join(t("Printed {when}", when=f"{data.generated_at:%d/%m/%Y}") for t in translators),
        page_format=" / ".join(t("Page {n} of {m}", n="{n}", m="{m}") for t in translators),
        progress=progress,
        check=check,
    )


def _blocks(data: BriefingData, force_name: str, t: Translator, s: Styles) -> list[Block]:
    """The briefing's sections in one language, in the same order for every language."""
    ward = data.ward.name
    blocks: list[Block] = [
        [
            Paragraph(markup("{}", t("Community briefing")), s.title),
            Paragraph(markup("{} · {}", ward, t.date(data.meeting.date)), s.h2),
            *(
                [Paragraph(esc(t("Figures as at {date}.", date=t.date(data.as_at.date))), s.small)]
                if data.as_at
                else []
            ),
            _callout(
                t("{n} residents told us what worries them in {ward}.", n=f"{data.residents_heard:,}", ward=ward)
                if data.residents_heard
                else t("Tell us what worries you in {ward}.", ward=ward),
                s,
            ),
        ]
    ]
    blocks.append(_told_us(data.told_us, t, s))
    if data.also_working_on:
        blocks.append(_also(data.also_working_on, t, s))
    blocks.append(
        _actions(
            t("We did"),
            data.we_did,
            MAX_DONE,
            t,
            s,
            t("No actions have been completed since the last meeting."),
            done=True,
        )
    )
    if data.areas is not None:
        blocks.append(maps.briefing_block(data.areas, t, s))
    blocks.append(
        _actions(
            t("What happens next"),
            data.next_steps,
            MAX_NEXT,
            t,
            s,
            t("We will agree the next steps with you at the meeting."),
            done=False,
        )
    )
    team: Block = [
        Paragraph(esc(t("Your neighbourhood team")), s.h1),
        Paragraph(esc(t("Get in touch with us using the details below.")), s.lead),
    ]
    for member in data.team:
        role = t(ROLE_NAMES.get(member.role, member.role))
        line = markup("<b>{}</b>, {}", member.name, role)
        if member.contact:
            line += markup("<br/>{}", member.contact)
        team.append(Paragraph(line, s.body))
    blocks.append(team)
    blocks.append(_meeting(data.next_meeting, t, s))
    blocks.append(
        [
            Paragraph(esc(t("How to report")), s.h1),
            Paragraph(markup("<b>{}</b>", t("In an emergency, call 999.")), s.body),
            Paragraph(
                esc(t("If it is not an emergency, call 101 or report it online to {force}.", force=force_name)),
                s.body,
            ),
            Paragraph(esc(t("To pass on information anonymously, call Crimestoppers on 0800 555 111.")), s.body),
        ]
    )
    return blocks


def _label(p: PublicPriority, t: Translator) -> str:
    return (p.label_cy or p.label) if t.lang == "cy" else p.label


def share_of_residents(share: float, t: Translator) -> str:
    """A share as a resident reads it: "6 in 10 of you said ...", never a bare percentage."""
    tenths = round(share * 10)
    if share >= 0.95:
        return t("Nearly all of you said this is a fairly or very big problem.")
    if tenths == 0:
        return t("Fewer than 1 in 10 of you said this is a fairly or very big problem.")
    return t("{n} in 10 of you said this is a fairly or very big problem.", n=tenths)


def _told_us(told: tuple[PublicPriority, ...], t: Translator, s: Styles) -> Block:
    """What residents' answers put at the top of the evidence ranking, and whether the team took it up."""
    block: Block = [Paragraph(esc(t("You told us")), s.h1)]
    if not told:
        return [*block, Paragraph(esc(t("We are still gathering residents' views.")), s.body)]
    for i, p in enumerate(told, 1):
        line = markup("<b>{}</b>", _label(p, t))
        if p.prevalence is not None:
            line += markup("<br/>{}", share_of_residents(p.prevalence, t))
        answer = (
            t("We are working on this with partners.")
            if p.adopted
            else t("It is not one of our priorities for now: ask us why at the meeting.")
        )
        block.append(Paragraph(line + markup("<br/>{}", answer), s.bullet, bulletText=f"{i}."))
    return block


def _also(priorities: tuple[PublicPriority, ...], t: Translator, s: Styles) -> Block:
    """Priorities the team chose for reasons other than residents' answers, each with its public reason."""
    block: Block = [
        Paragraph(esc(t("We are also working on")), s.h1),
        Paragraph(esc(t("These were not among the concerns your answers put at the top. Why we chose them:")), s.lead),
    ]
    for p in priorities:
        name = p.wording if p.wording and t.lang == "en" else _label(p, t)
        reason = p.public_reason or t("We will explain this choice at the meeting.")
        block.append(Paragraph(markup("<b>{}</b><br/>{}", name, reason), s.bullet, bulletText="•"))
    return block


def _callout(text: str, s: Styles) -> Table:
    box = Table([[Paragraph(esc(text), s.body)]], colWidths=[None])
    box.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, -1), SHADE),
                ("LEFTPADDING", (0, 0), (-1, -1), s.size * 0.6),
                ("TOPPADDING", (0, 0), (-1, -1), s.size * 0.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), s.size * 0.2),
            ]
        )
    )
    return box


def _actions(
    title: str, actions: tuple[PublicAction, ...], limit: int, t: Translator, s: Styles, empty: str, *, done: bool
) -> Block:
    block: Block = [Paragraph(esc(title), s.h1)]
    if not actions:
        block.append(Paragraph(esc(empty), s.body))
        return block
    for a in actions[:limit]:
        text = markup("<b>{}</b>", a.title)
        if a.partner:
            text += markup(" ({})", t("with {partner}", partner=a.partner))
        if a.control_signal:
            lead = t("What you should see:") if not done else t("What changed:")
            text += markup("<br/>{} {}", lead, a.control_signal)
        block.append(Paragraph(text, s.bullet, bulletText="•"))
    if len(actions) > limit:
        block.append(Paragraph(esc(t("… and {n} more.", n=len(actions) - limit)), s.body))
    return block


def _meeting(meeting: MeetingInfo | None, t: Translator, s: Styles) -> Block:
    block: Block = [Paragraph(esc(t("Next community meeting")), s.h1)]
    if meeting is None:
        block.append(Paragraph(esc(t("The date of the next meeting will be announced.")), s.body))
        return block
    when = t.date(meeting.date) + (f", {meeting.start_time}" if meeting.start_time else "")
    block.append(Paragraph(markup("<b>{}</b>", when), s.body))
    if meeting.venue:
        block.append(Paragraph(esc(meeting.venue), s.body))
    block.append(Paragraph(esc(t("Everyone is welcome. Come and tell us what matters to you.")), s.body))
    return block


def _side_by_side(columns: list[list[Block]], s: Styles) -> list[Flowable]:
    """Welsh left, English right, item by item, so each pair of headings, bullets and paragraphs starts level.

    Each pair is a one-row table of its own, so pages break between items as in one language (a
    whole section as one row could not break, and in large print left pages half empty); a pair
    of headings keeps with the pair that follows it.
    """
    gutter = s.size * 0.8
    style = TableStyle(
        [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (0, -1), 0),
            ("RIGHTPADDING", (0, 0), (0, -1), gutter),
            ("LEFTPADDING", (1, 0), (1, -1), gutter),
            ("RIGHTPADDING", (1, 0), (1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 0),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ("LINEAFTER", (0, 0), (0, -1), 0.4, SHADE),
        ]
    )
    story: list[Flowable] = []
    for blocks in zip(*columns, strict=True):
        for pair in zip(*blocks, strict=True):
            row = Table([list(pair)], colWidths=[BODY_WIDTH / 2] * 2, hAlign="LEFT", style=style)
            styles = [f.style for f in pair if isinstance(f, Paragraph)]
            # a cell drops its paragraph's space above and below: the row carries it instead
            row.spaceBefore = max((st.spaceBefore for st in styles), default=0)
            row.spaceAfter = max((st.spaceAfter for st in styles), default=s.size * 0.5)
            row.keepWithNext = int(any(getattr(st, "keepWithNext", 0) for st in styles))
            story.append(row)
    return story
