"""The tasking pack a sergeant brings to the Tasking and Co-ordination meeting of the National Intelligence Model.

Page 1 is the summary a chair reads first: the top signals and how they moved, open and overdue
actions, the ring-fence figure, and the period's reassurance work set beside recorded crime
("what gets counted gets done"). The sections after it give the evidence behind each line, and
the appendix says how the figures were made and where they are weak.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import groupby
from pathlib import Path

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table, TableStyle

from rpdesk.domain.ranking import KIND_WORDS
from rpdesk.domain.stats import format_p
from rpdesk.progress import CheckFn, ProgressFn, never_cancel, no_progress, sub_progress
from rpdesk.reports import maps
from rpdesk.reports.charts import Bar, Point, ranked_bars, trend
from rpdesk.reports.layout import BODY_WIDTH, EndOfPage, PrintOptions, Raw, build_pdf, table
from rpdesk.reports.model import Abstractions, ActionRow, PriorityRow, SignalRow, TaskingData
from rpdesk.reports.styles import SHADE, Styles, make_styles
from rpdesk.reports.text import Paragraph, day, esc, markup, number, percent

EPIC_ORDER = ("enforcement", "prevention", "intelligence", "communication")
MAX_BARS = 12  # bars in the ranked-signals chart; the table below it lists every signal


def build_tasking(
    data: TaskingData,
    out: Path,
    options: PrintOptions,
    *,
    progress: ProgressFn = no_progress,
    check: CheckFn = never_cancel,
) -> int:
    """Write the tasking pack for ``data`` to ``out``; return its page count."""
    s = make_styles(large_print=options.large_print, body_size=9.5)
    sections: Sequence[Callable[[TaskingData, Styles], list[Flowable]]] = (
        _summary,
        _actions,
        _signals,
        _gap,
        _priorities,
        _eva,
        _abstractions,
        _proposed,
        maps.tasking_section,
        _appendix,
    )
    story: list[Flowable] = []
    for i, section in enumerate(sections):
        check()
        progress(0.2 * i / len(sections), "preparing sections")
        story += section(data, s)
    return build_pdf(
        story,
        out,
        options,
        title="Tasking and Co-ordination pack",
        subtitle=f"{data.ward.name} ({data.ward.code}) · {data.meeting.date:%d/%m/%Y}",
        footer=f"Generated {data.generated_at:%d/%m/%Y %H:%M} by {data.prepared_by}",
        progress=sub_progress(progress, 0.2, 1.0),
        check=check,
    )


def _heading(text: str, style: ParagraphStyle, _s: Styles) -> list[Flowable]:
    """A section heading: it stays on the page with the start of what follows (:class:`KeepWithStart`)."""
    return [Paragraph(text, style)]


def _movement(row: SignalRow) -> str:
    if row.movement is None:
        return "new" if row.flags and "new" in row.flags else "–"
    if row.movement > 0:
        return f"▲ {row.movement}"
    if row.movement < 0:
        return f"▼ {-row.movement}"
    return "="


def _interval(row: SignalRow) -> str:
    if row.prevalence is None:
        return "–"
    if row.prevalence_low is None or row.prevalence_high is None:
        return percent(row.prevalence)
    return f"{percent(row.prevalence)} ({percent(row.prevalence_low)}–{percent(row.prevalence_high)})"


def _kind(row: SignalRow) -> str:
    return KIND_WORDS.get(row.kind, row.kind).capitalize()


def _recorded(row: SignalRow) -> str:
    """Recorded crime beside a year before, with the test; "n/a" where no police.uk type matches."""
    if row.recorded is None:
        return "n/a"
    if row.recorded_previous is None:
        return str(row.recorded)
    test = "" if row.recorded_p is None else f", {format_p(row.recorded_p)}"
    return f"{row.recorded} ({row.recorded_previous}{test})"


def _swap_note(top: Sequence[SignalRow], signals: Sequence[SignalRow]) -> str | None:
    """Which top signals residents' answers cannot put in order: each pair named once, the higher first."""
    by_issue = {r.issue: r for r in signals}
    pairs = []
    for r in top:
        below = [by_issue[c] for c in r.swaps_with if c in by_issue and by_issue[c].rank > r.rank]
        if below:
            names = ", ".join(f"{b.label} ({b.rank})" for b in below)
            pairs.append(f"{r.label} (rank {r.rank}) may swap with {names}")
    if not pairs:
        return None
    return "Residents' answers cannot tell these apart, so their order is not certain: " + "; ".join(pairs) + "."


def _tiles(figures: Sequence[tuple[str, str, str]], s: Styles) -> Table:
    """A row of headline figures: big number, label, small note."""
    cells = [
        [
            Paragraph(esc(value), s.big_number),
            Paragraph(markup("<b>{}</b>", label), s.cell),
            Paragraph(esc(note), s.small),
        ]
        for value, label, note in figures
    ]
    t = Table([cells], colWidths=[BODY_WIDTH / len(figures)] * len(figures))
    t.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, -1), SHADE),
                ("LINEAFTER", (0, 0), (-2, -1), 2, "white"),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), s.size * 0.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), s.size * 0.5),
            ]
        )
    )
    return t


def _summary(d: TaskingData, s: Styles) -> list[Flowable]:
    meeting = d.meeting
    when = day(meeting.date) + (f", {meeting.start_time}" if meeting.start_time else "")
    facts = [
        ("Ward", f"{d.ward.name} ({d.ward.code})" + (f" · {d.ward.neighbourhood}" if d.ward.neighbourhood else "")),
        ("Meeting", when + (f" · {meeting.venue}" if meeting.venue else "")),
        ("Period", d.as_at.period if d.as_at else f"{day(d.period_start)} to {day(d.period_end)}"),
        *(
            (
                ("As at", f"{day(d.as_at.date)}: {d.as_at.crime_held}"),
                ("Ranking", f"{d.as_at.ranking}, used on every page"),
            )
            if d.as_at
            else ()
        ),
        ("Prepared by", f"{d.prepared_by} · generated {d.generated_at:%d/%m/%Y %H:%M}"),
    ]
    out: list[Flowable] = [Paragraph("Tasking and Co-ordination pack", s.title)]
    fact_rows = [[Paragraph(markup("<b>{}</b>", k), s.cell), Paragraph(esc(v), s.cell)] for k, v in facts]
    ft = Table(fact_rows, colWidths=[BODY_WIDTH * 0.18, BODY_WIDTH * 0.82], hAlign="LEFT")
    ft.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 1)]))
    out += [ft, Spacer(1, s.size)]
    ring = d.abstractions.team_ring_fence
    out.append(
        _tiles(
            [
                (str(d.open_actions), "Open actions", "including overdue"),
                (
                    str(d.overdue_actions),
                    "Overdue actions",
                    f"past due at {day(d.as_at.date)}" if d.as_at else "past their due date",
                ),
                (
                    percent(ring),
                    "Ring-fence",
                    f"of rostered hours on ward duty; target {percent(d.abstractions.target)}",
                ),
                (
                    f"{d.rounds[-1].respondents:,}" if d.rounds else "–",
                    "Residents heard",
                    f"in the latest survey round, {d.rounds[-1].name}" if d.rounds else "no survey round yet",
                ),
            ],
            s,
        )
    )
    top = d.signals[: d.top_n]
    out += _heading(f"Top {len(top)} of {len(d.signals)} signals" if top else "Top signals", s.h1, s)
    if top:
        out.append(
            table(
                ["Rank", "Signal", "Kind", "Prevalence (95% interval)", "Effect", "Since last snapshot"],
                [[r.rank, r.label, _kind(r), _interval(r), percent(r.effect), _movement(r)] for r in top],
                [0.07, 0.33, 0.16, 0.22, 0.08, 0.14],
                s,
            )
        )
        note = _swap_note(top, d.signals)
        if note:
            out.append(Paragraph(esc(note), s.small))
    else:
        out.append(Paragraph(esc(d.signals_note or "No ranked signals for this period."), s.body))
    out += _heading("Reassurance activity beside recorded crime", s.h1, s)
    out.append(
        table(
            ["Measure", "This period", "Previous period", "Last 12 months"],
            [
                [
                    a.measure,
                    number(a.this_period, a.places),
                    number(a.previous_period, a.places),
                    number(a.last_12_months, a.places),
                ]
                for a in d.activity
            ],
            [0.46, 0.18, 0.18, 0.18],
            s,
            align_right=(1, 2, 3),
        )
    )
    out += [Paragraph(esc(f"{a.measure}: {a.note}"), s.small) for a in d.activity if a.note]
    out.append(EndOfPage(1))  # the chair's summary page; in large print it runs on instead
    return out


def _action_rows(actions: Sequence[ActionRow]) -> list[list[object]]:
    return [
        [
            ("OVERDUE" if a.overdue else a.status),
            a.title + (f" — {a.outcome}" if a.outcome else ""),
            a.owner,
            a.partner or "Police",
            day(a.due),
            (a.epic or "").capitalize(),
        ]
        for a in actions
    ]


def _actions(d: TaskingData, s: Styles) -> list[Flowable]:
    out: list[Flowable] = [
        *_heading("1. Review of previous actions", s.h1, s),
        Paragraph("Overdue first, then by due date. Close each action or carry it forward.", s.lead),
    ]
    if not d.actions:
        return [*out, Paragraph("No actions to review.", s.body)]
    out.append(
        table(
            ["Status", "Action and outcome", "Owner", "Partner", "Due", "EPIC"],
            _action_rows(d.actions),
            [0.13, 0.34, 0.14, 0.13, 0.11, 0.15],
            s,
            rag_column=0,
            rag=[a.rag for a in d.actions],
        )
    )
    return out


def _signals(d: TaskingData, s: Styles) -> list[Flowable]:
    out: list[Flowable] = [*_heading("2. Ranked signals", s.h1, s)]
    if not d.signals:
        return [*out, Paragraph(esc(d.signals_note or "No ranked signals for this period."), s.body)]
    if d.signals_note:
        out.append(Paragraph(esc(d.signals_note), s.lead))
    shown = d.signals[:MAX_BARS]
    bars = [
        Bar(r.label, r.prevalence or 0.0, r.prevalence_low, r.prevalence_high, highlight=r.rank <= d.top_n)
        for r in shown
    ]
    title = "Prevalence: share of residents rating it a fairly or very big problem"
    if len(shown) < len(d.signals):  # a chart showing part of a list says so
        title += f" (top {len(shown)} of {len(d.signals)} signals; all are in the table below)"
    out += [Paragraph(title, s.h2), ranked_bars(bars, width=BODY_WIDTH, font_size=s.size * 0.85)]
    out += _heading("Evidence behind each rank", s.h2, s)
    out.append(
        Paragraph(
            "Residents set the order: an issue whose 95% interval lies wholly above another's always ranks above "
            "it. EVA (severity-weighted observations per walk) and recorded crime (this period, with the same "
            "months a year before and the exact test's p-value) order only issues residents cannot tell apart. "
            "n/a: no police.uk crime type matches the issue, or no EVA walk in the period.",
            s.small,
        )
    )
    out.append(
        table(
            ["#", "Signal", "Kind", "n", "Prevalence (95% interval)", "Effect", "EVA / walk", "Recorded", "Flags"],
            [
                [
                    r.rank,
                    r.label,
                    _kind(r),
                    r.respondents,
                    _interval(r),
                    percent(r.effect),
                    "n/a" if r.audit_per_walk is None else number(r.audit_per_walk, 1),
                    _recorded(r),
                    "; ".join(r.flags),
                ]
                for r in d.signals
            ],
            [0.04, 0.2, 0.1, 0.05, 0.15, 0.07, 0.07, 0.14, 0.18],
            s,
            align_right=(3, 5, 6),
        )
    )
    return out


def _gap(d: TaskingData, s: Styles) -> list[Flowable]:
    g = d.gap
    out: list[Flowable] = [*_heading("3. Reassurance gap", s.h1, s), Paragraph(esc(g.headline), s.lead)]
    label = g.rounds[0].items[0].label if g.rounds and g.rounds[0].items else "Confidence"
    shares = [
        Point(r.end_date, r.items[0].share, r.items[0].low, r.items[0].high)
        for r in g.rounds
        if r.items and r.items[0].share is not None
    ]
    counts = [Point(m.month, float(m.count)) for m in g.crime_by_month]
    if counts or shares:
        out.append(
            trend(
                counts,
                shares,
                width=BODY_WIDTH,
                font_size=s.size * 0.85,
                counts_title="Recorded crime and ASB per month (police.uk)",
                shares_title=f"{label} (survey rounds, 95% interval)",
            )
        )
    if g.rounds:
        names = [i.label for i in g.rounds[0].items]
        rows = [
            [r.name, r.respondents, *(f"{percent(i.share)} ({percent(i.low)}–{percent(i.high)})" for i in r.items)]
            for r in g.rounds
        ]
        share = 0.78 / max(1, len(names))
        out.append(table(["Round", "n", *names], rows, [0.15, 0.07, *([share] * len(names))], s, align_right=(1,)))
    return out


def _priorities(d: TaskingData, s: Styles) -> list[Flowable]:
    out: list[Flowable] = [*_heading("4. Priorities, departures and assessment", s.h1, s)]
    if d.priorities:
        rows = []
        for p in d.priorities:
            why: object = p.justification or f"In the evidence top {d.top_n}."
            if p.departure:
                why = Raw(markup("<b>Departure from the evidence.</b> {}", p.justification or "No reason recorded."))
            rows.append(
                [
                    p.wording or p.label,
                    "–" if p.evidence_rank is None else p.evidence_rank,
                    f"{day(p.adopted_on)}, {p.adopted_by}"
                    + (f" (rank {p.adopted_rank} then)" if p.adopted_rank not in (None, p.evidence_rank) else ""),
                    why,
                ]
            )
        out.append(table(["Priority", "Evidence rank", "Adopted", "Why"], rows, [0.28, 0.12, 0.22, 0.38], s))
        if d.as_at:
            out.append(Paragraph(esc(f"Evidence rank: the rank in the {d.as_at.ranking}, as on every page."), s.small))
        # each assessment is a paragraph of its own: in a table cell it made rows taller than a page
        out += _heading("Assessment: did it move?", s.h2, s)
        out += [Paragraph(_assessment(p), s.bullet, bulletText="•") for p in d.priorities]
    else:
        out.append(Paragraph("No priorities are active for this ward.", s.body))
    if d.passed_over:
        out += _heading("Signals in the evidence top N that were passed over", s.h2, s)
        out.append(
            table(
                ["Signal", "Evidence rank", "Decided", "Justification"],
                [
                    [
                        p.label,
                        "–" if p.evidence_rank is None else p.evidence_rank,
                        f"{day(p.decided_on)}, {p.decided_by}",
                        p.justification,
                    ]
                    for p in d.passed_over
                ],
                [0.25, 0.1, 0.2, 0.45],
                s,
            )
        )
    out += _heading("Assumption check", s.h2, s)
    if d.assumption is None:
        out.append(Paragraph("The team recorded no expected signals for this period.", s.body))
    else:
        a = d.assumption
        out.append(Paragraph(esc(a.summary), s.lead))
        out.append(
            table(
                ["Position", "Team expected", "Evidence says"],
                [
                    [i + 1, a.expected[i] if i < len(a.expected) else "", a.evidence[i] if i < len(a.evidence) else ""]
                    for i in range(max(len(a.expected), len(a.evidence)))
                ],
                [0.12, 0.44, 0.44],
                s,
            )
        )
    return out


def _assessment(p: PriorityRow) -> str:
    """The assessment with the priority it is about in bold, and its verdict first when there is one."""
    verdict = markup("<b>{}.</b> ", p.verdict.capitalize()) if p.verdict else ""
    name, colon, rest = p.assessment.partition(": ")
    if colon and name == p.label:
        return markup("<b>{}</b>: ", name) + verdict + esc(rest)
    return markup("<b>{}</b>: ", p.wording or p.label) + verdict + esc(p.assessment)


def _eva(d: TaskingData, s: Styles) -> list[Flowable]:
    out: list[Flowable] = [*_heading("5. EVA findings outstanding, by partner and street", s.h1, s)]
    if not d.eva:
        return [*out, Paragraph("No outstanding EVA findings.", s.body)]
    out.append(Paragraph(f"{len(d.eva)} findings are open or referred, by partner, then street.", s.lead))
    for partner, group in groupby(d.eva, key=lambda e: e.partner):
        rows = list(group)
        out += _heading(markup("{} — {} outstanding", partner, len(rows)), s.h2, s)
        out.append(
            table(
                ["Street / location", "Issue", "Severity", "Count", "Seen", "Status", "Reference"],
                [[e.location, e.issue, e.severity, e.count, day(e.seen_on), e.status, e.reference or ""] for e in rows],
                [0.23, 0.24, 0.1, 0.08, 0.13, 0.1, 0.12],
                s,
                align_right=(2, 3),
            )
        )
    return out


def _abstractions(d: TaskingData, s: Styles) -> list[Flowable]:
    a = d.abstractions
    out: list[Flowable] = [
        *_heading("6. Abstractions: officers' time on ward duty", s.h1, s),
        Paragraph(
            markup(
                "Team ring-fence figure {} for {} against a target of {}. Leave, sickness and rest days are "
                "absences, not abstractions, and do not count against it.",
                percent(a.team_ring_fence),
                d.as_at.period if d.as_at else f"{day(d.period_start)} to {day(d.period_end)}",
                percent(a.target),
            ),
            s.lead,
        ),
    ]
    out += _trend(a, s)
    if not a.officers:
        return [*out, Paragraph("No duty records for this period.", s.body)]
    bars = [Bar(o.officer, o.ring_fence or 0.0, highlight=o.below_target) for o in a.officers]
    out += [
        Paragraph("Share of rostered hours on ward duty, by officer", s.h2),
        ranked_bars(
            bars,
            width=BODY_WIDTH,
            font_size=s.size * 0.85,
            scale_max=1.0,
            target=a.target,
            target_label=f"target {percent(a.target)}",
        ),
    ]
    out.append(
        table(
            ["Officer", "Role", "Rostered hours", "Abstracted hours", "On ward duty", "Below target"],
            [
                [
                    o.officer,
                    o.role,
                    number(o.rostered_hours),
                    number(o.abstracted_hours),
                    percent(o.ring_fence, 1),
                    "Yes" if o.below_target else "",
                ]
                for o in a.officers
            ],
            [0.28, 0.12, 0.15, 0.15, 0.15, 0.15],
            s,
            align_right=(2, 3, 4),
        )
    )
    if a.reasons:
        out += _heading("Abstracted hours by reason", s.h2, s)
        out.append(
            table(
                ["Reason", "Hours", "Share of abstracted hours"],
                [[r.reason, number(r.hours), percent(r.share)] for r in a.reasons],
                [0.5, 0.25, 0.25],
                s,
                align_right=(1, 2),
            )
        )
    return out


def _trend(a: Abstractions, s: Styles) -> list[Flowable]:
    """The ward's ring-fence in each of the last 12 months, months below target marked."""
    if not any(m.share is not None for m in a.trend):
        return []
    below = sum(m.below_target for m in a.trend)
    cells = [percent(m.share) + (" ▼" if m.below_target else "") for m in a.trend]
    width = 1 / (len(a.trend) + 1.6)
    return [
        KeepTogether(
            [
                Paragraph(esc(f"Ring-fence by month, {a.trend[0].month:%B %Y} to {a.trend[-1].month:%B %Y}"), s.h2),
                table(
                    ["Month", *(f"{m.month:%b}" for m in a.trend)],
                    [["On ward", *cells]],
                    [1.6 * width, *([width] * len(a.trend))],
                    s,
                    align_right=tuple(range(1, len(a.trend) + 1)),
                ),
                Paragraph(
                    esc(
                        f"{below} of {len(a.trend)} months below the {percent(a.target)} target (▼)."
                        if below
                        else f"No month below the {percent(a.target)} target."
                    ),
                    s.small,
                ),
            ]
        )
    ]


def _proposed(d: TaskingData, s: Styles) -> list[Flowable]:
    out: list[Flowable] = [
        *_heading("7. Proposed tasking (EPIC)", s.h1, s),
        Paragraph(
            "For each priority, the actions still open under Enforcement, Prevention, Intelligence and "
            "Communication. Blank rows are for new actions agreed at the meeting: owner, partner, due date "
            "and how success will be seen by residents.",
            s.lead,
        ),
    ]
    open_actions = [a for a in d.actions if a.status not in ("Done", "Cancelled")]
    subjects = [(p.wording or p.label, p.label) for p in d.priorities] or [
        (r.label, r.label) for r in d.signals[: d.top_n]
    ]
    for subject, label in subjects:
        rows: list[list[object]] = []
        for epic in EPIC_ORDER:
            titles = [
                f"{a.title} ({a.owner}, due {day(a.due)})"
                for a in open_actions
                if a.epic == epic and a.priority == label
            ]
            rows.append([epic.capitalize(), Raw("<br/>".join(esc(t) for t in titles)), Raw("&nbsp;<br/>&nbsp;")])
        out.append(
            KeepTogether(
                [
                    Paragraph(esc(subject), s.h2),
                    table(
                        ["EPIC", "Open actions", "New action agreed (owner, partner, due)"], rows, [0.16, 0.44, 0.40], s
                    ),
                ]
            )
        )
    return out


def _appendix(d: TaskingData, s: Styles) -> list[Flowable]:
    out: list[Flowable] = [*_heading("Appendix: method, sample sizes and caveats", s.h1, s)]
    out += _heading("Method", s.h2, s)
    out += [Paragraph(esc(m), s.bullet, bulletText="•") for m in d.method]
    out += _heading("Sample sizes", s.h2, s)
    if d.rounds:
        out.append(
            table(
                ["Survey round", "Method", "From", "To", "Respondents"],
                [[r.name, r.method, day(r.start), day(r.end), r.respondents] for r in d.rounds],
                [0.3, 0.15, 0.2, 0.2, 0.15],
                s,
                align_right=(4,),
            )
        )
    else:
        out.append(Paragraph("No survey rounds fall in this period.", s.body))
    out += _heading("Caveats", s.h2, s)
    out += [Paragraph(esc(c), s.bullet, bulletText="•") for c in d.caveats or ("None recorded.",)]
    return out
