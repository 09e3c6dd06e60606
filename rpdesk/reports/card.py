"""The response-team card: one page that carries a ward's signals to response officers.

Response officers meet residents at their worst moments; a careless word can undo weeks of
reassurance work. The card tells them, in the time it takes to read it at a briefing, what
residents of this ward feel, what is being done, what residents have been told and whom to ask.
Lists are capped so the card stays on one page at normal print.
"""

from __future__ import annotations

from pathlib import Path

from reportlab.platypus import Flowable, Paragraph

from rpdesk.progress import CheckFn, ProgressFn, never_cancel, no_progress
from rpdesk.reports import maps
from rpdesk.reports.layout import PrintOptions, build_pdf, table
from rpdesk.reports.model import CardData
from rpdesk.reports.styles import Styles, make_styles
from rpdesk.reports.text import day, esc, markup, percent

MAX_SIGNALS = 5
MAX_ACTIONS_PER_PRIORITY = 2
MAX_TOLD = 4


def build_card(
    data: CardData,
    out: Path,
    options: PrintOptions,
    *,
    progress: ProgressFn = no_progress,
    check: CheckFn = never_cancel,
) -> int:
    """Write the card for ``data`` to ``out``; return its page count (1 at normal print)."""
    ward = data.ward
    return build_pdf(
        lambda compact: _story(data, make_styles(large_print=options.large_print, body_size=9.5, compact=compact)),
        out,
        options,
        title="Response-team card",
        subtitle=f"{ward.name} ({ward.code}) · {data.meeting.date:%d/%m/%Y}",
        footer=f"Generated {data.generated_at:%d/%m/%Y %H:%M}",
        progress=progress,
        check=check,
    )


def _story(data: CardData, s: Styles) -> list[Flowable]:
    ward = data.ward
    story: list[Flowable] = [
        Paragraph(markup("Response-team card: {}", ward.name), s.title),
        Paragraph(
            markup(
                "{} ({}){}. Valid from {}; figures as at {}. Read before attending calls in this ward.",
                ward.name,
                ward.code,
                f", {ward.neighbourhood}" if ward.neighbourhood else "",
                day(data.meeting.date),
                day(data.as_at.date if data.as_at else data.meeting.date),
            ),
            s.body,
        ),
        Paragraph("What residents here feel", s.h1),
    ]
    signals = data.signals[:MAX_SIGNALS]
    if signals:
        story.append(
            table(
                ["#", "Signal", "Residents who see it as a big problem", "Say it changes how they feel or act"],
                [[r.rank, r.label, percent(r.prevalence), percent(r.effect)] for r in signals],
                [0.06, 0.46, 0.24, 0.24],
                s,
                align_right=(2, 3),
            )
        )
    else:
        story.append(Paragraph("No ranked signals yet for this ward.", s.body))
    story.append(Paragraph("Priorities and what is being done", s.h1))
    if data.priorities:
        rows = []
        for p in data.priorities:
            doing = dict.fromkeys(f"{a.title} ({a.owner})" for a in data.actions if a.priority == p.label)
            text = "; ".join(list(doing)[:MAX_ACTIONS_PER_PRIORITY]) or "Actions to be agreed at tasking."
            rows.append([p.wording or p.label, text])
        story.append(table(["Priority", "Being done now"], rows, [0.38, 0.62], s))
    else:
        story.append(Paragraph("No priorities are active.", s.body))
    story += maps.card_section(data, s)
    story.append(Paragraph("What residents have been told", s.h1))
    told = list({(a.title, a.control_signal): a for a in data.told_residents}.values())[:MAX_TOLD]
    if told:
        for a in told:
            line = markup("<b>{}</b>", a.title)
            if a.control_signal:
                line += markup(": {}", a.control_signal)
            story.append(Paragraph(line, s.bullet, bulletText="•"))
    else:
        story.append(Paragraph("Nothing has been published to residents yet.", s.body))
    story.append(Paragraph("Who to contact", s.h1))
    story.append(
        table(["Name", "Role", "Contact"], [[m.name, m.role, m.contact or ""] for m in data.team], [0.3, 0.2, 0.5], s)
    )
    story += [Paragraph(esc(n), s.small) for n in data.notes]
    return story
