"""The response-team card: one page that carries a ward's signals to response officers.

Response officers meet residents at their worst moments; a careless word can undo weeks of
reassurance work. The card tells them, in the time it takes to read it at a briefing, what
residents of this ward feel, what is being done and where, what to say (key messages drawn from the
priorities), what residents have been told (only what is done or under way: a blocked or cancelled
action was never something to tell them), and whom to ask. It is valid until the next tasking meeting.

At normal print it is one A4 side: lists are capped and say so ("top 5 of 17 signals", "… and 3
more"), the hotspot map takes the height the rest leaves (within :data:`MAP_HEIGHT`), and the two
short lists (what residents have been told, whom to contact) sit side by side. When even that runs
over, the card is rebuilt with tighter spacing, then a point smaller. Large print (16 pt) keeps one
column, lists the priorities and the contacts as lines rather than narrow tables, and runs to three pages.
"""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether

from rpdesk.progress import CheckFn, ProgressFn, never_cancel, no_progress
from rpdesk.reports import maps
from rpdesk.reports.layout import BODY_WIDTH, FRAME_HEIGHT, PrintOptions, build_pdf, columns, stacked_height, table
from rpdesk.reports.model import CardData
from rpdesk.reports.styles import Styles, make_styles
from rpdesk.reports.text import Paragraph, day, esc, markup, percent

MAX_SIGNALS = 5
MAX_ACTIONS_PER_PRIORITY = 2
MAX_TOLD = 4
MAX_STREETS = 8
#: The hotspot map's height: it takes the room the rest of the card leaves on the page, within these bounds.
MAP_HEIGHT: tuple[float, float] = (38 * mm, 80 * mm)
LARGE_MAP_HEIGHT = 70 * mm  # large print runs past one page anyway: the map is not squeezed
TOLD_SHARE = 0.5  # of the body width, beside the contacts (normal print)


def build_card(
    data: CardData,
    out: Path,
    options: PrintOptions,
    *,
    progress: ProgressFn = no_progress,
    check: CheckFn = never_cancel,
) -> int:
    """Write the card for ``data`` to ``out``; return its page count (1 at normal print, about 3 in large print)."""
    ward = data.ward
    large = options.large_print
    return build_pdf(
        lambda compact: _story(data, make_styles(large_print=large, body_size=9.5, compact=compact), large=large),
        out,
        options,
        title="Response-team card",
        subtitle=f"{ward.name} ({ward.code}) · {data.meeting.date:%d/%m/%Y}",
        footer=f"Generated {data.generated_at:%d/%m/%Y %H:%M}",
        most_pages=None if large else 1,
        progress=progress,
        check=check,
    )


def _story(data: CardData, s: Styles, *, large: bool) -> list[Flowable]:
    """The card, top to bottom: its validity, the signals, the priorities and what to say, the hotspots,
    what residents have been told and whom to ask.

    At normal print the hotspot map takes the height the rest leaves on the page (within
    :data:`MAP_HEIGHT`), and what residents have been told sits beside the contacts: both are short
    lists, and side by side they leave the map room to be read.
    """
    head = [*_validity(data, s), *_signals(data, s), *_priorities(data, s, large=large)]
    tail = [*_told_and_contacts(data, s, side_by_side=not large), *(Paragraph(esc(n), s.small) for n in data.notes)]
    if large:
        return [*head, *maps.card_section(data, s, map_height=LARGE_MAP_HEIGHT), *tail]
    return [*head, *maps.card_section(data, s, map_height=_map_height(data, s, head, tail)), *tail]


def _map_height(data: CardData, s: Styles, head: list[Flowable], tail: list[Flowable]) -> float:
    """The tallest map (within :data:`MAP_HEIGHT`) that leaves the card on one page.

    The hotspot section is as tall as the taller of the map and the lines beside it, and a taller
    map takes a wider column from those lines, so the section is measured at each height tried
    (halving the interval) rather than assumed to grow as the map does.
    """
    low, high = MAP_HEIGHT

    def section(height: float) -> float:
        return stacked_height(maps.card_section(data, s, map_height=height))

    smallest = section(low)
    room = FRAME_HEIGHT - stacked_height([*head, *maps.card_section(data, s, map_height=low), *tail]) - s.size
    if room <= 0:
        return low  # the card is rebuilt tighter (see build_pdf) until it fits
    if section(high) - smallest <= room:
        return high
    for _ in range(7):  # to within a 128th of the range (well under a millimetre)
        middle = (low + high) / 2
        low, high = (middle, high) if section(middle) - smallest <= room else (low, middle)
    return low


def _validity(data: CardData, s: Styles) -> list[Flowable]:
    ward = data.ward
    until = (
        f"until the next tasking meeting on {day(data.valid_until)}, which replaces it"
        if data.valid_until
        else "until the next tasking meeting replaces it"
    )
    return [
        Paragraph(markup("Response-team card: {}", ward.name), s.title),
        Paragraph(
            markup(
                "{} ({}){}. <b>Valid from {} {}</b>; figures as at {}. Read before attending calls in this ward.",
                ward.name,
                ward.code,
                f", {ward.neighbourhood}" if ward.neighbourhood else "",
                day(data.meeting.date),
                until,
                day(data.as_at.date if data.as_at else data.meeting.date),
            ),
            s.body,
        ),
    ]


def _signals(data: CardData, s: Styles) -> list[Flowable]:
    signals = data.signals[:MAX_SIGNALS]
    part = f" (top {len(signals)} of {len(data.signals)} signals)" if len(signals) < len(data.signals) else ""
    heading = Paragraph(esc(f"What residents here feel{part}"), s.h1)
    if not signals:
        return [heading, Paragraph("No ranked signals yet for this ward.", s.body)]
    return [
        heading,
        table(
            ["#", "Signal", "See it as a big problem", "Changes what they feel or do"],
            [[r.rank, r.label, percent(r.prevalence), percent(r.effect)] for r in signals],
            [0.05, 0.41, 0.24, 0.30],
            s,
            align_right=(2, 3),
        ),
    ]


def _priorities(data: CardData, s: Styles, *, large: bool) -> list[Flowable]:
    """The priorities, what is being done, the key messages to give residents and the streets concerned.

    In large print the priorities are a list, not a table: at 16 pt a table's narrow columns hold two
    or three words a line, and a table of tall rows cannot break between pages where a list can.
    """
    out: list[Flowable] = [Paragraph("Priorities and what is being done", s.h1)]
    if not data.priorities:
        return [*out, Paragraph("No priorities are active.", s.body)]
    rows = []
    for p in data.priorities:
        doing = dict.fromkeys(f"{a.title} ({a.owner})" for a in data.actions if a.priority == p.label)
        text = "; ".join(list(doing)[:MAX_ACTIONS_PER_PRIORITY]) or "Actions to be agreed at tasking."
        rows.append([p.wording or p.label, text])
    if large:
        out += [Paragraph(markup("<b>{}</b>: {}", *row), s.bullet, bulletText="•") for row in rows]
    else:
        out.append(table(["Priority", "Being done now"], rows, [0.38, 0.62], s))
    if data.streets:
        shown = data.streets[:MAX_STREETS]
        more = f" and {len(data.streets) - len(shown)} more" if len(data.streets) > len(shown) else ""
        out.append(Paragraph(markup("<b>Streets concerned:</b> {}{}.", ", ".join(shown), more), s.body))
    out.append(Paragraph("Key messages for residents", s.h2))
    out += [Paragraph(esc(m), s.bullet, bulletText="•") for m in key_messages(data)]
    return out


def key_messages(data: CardData) -> list[str]:
    """One thing to say about each priority, true of the data: it is being worked on, and what residents
    can already see (public actions under way or done; never a blocked or cancelled one)."""
    messages = []
    for p in data.priorities:
        subject = p.wording or p.label
        public = [a for a in data.told_residents if a.priority == p.label]
        under_way = [a.control_signal or a.title for a in public if a.completed_on is None]
        done = [a.title for a in public if a.completed_on is not None]
        text = f"{subject}: the neighbourhood team is working on this with partners"
        if under_way:
            text += f"; under way: {'; '.join(under_way[:MAX_ACTIONS_PER_PRIORITY])}"
        if done:
            text += f"; already done: {'; '.join(done[:MAX_ACTIONS_PER_PRIORITY])}"
        messages.append(text + ".")
    return messages


def _told_and_contacts(data: CardData, s: Styles, *, side_by_side: bool) -> list[Flowable]:
    """What residents have been told, then who to contact; side by side (:data:`TOLD_SHARE`) when asked."""
    heading = Paragraph("Who to contact", s.h1)
    if not side_by_side:  # large print: a line each, as a table's narrow columns would break every address
        people = [
            Paragraph(markup("<b>{}</b>, {}{}", m.name, m.role, f": {m.contact}" if m.contact else ""), s.body)
            for m in data.team
        ]
        return [*_told(data, s), KeepTogether([heading, *people])]  # the contacts are looked up whole, never split
    contacts = [heading, _contacts(data, s)]
    told_width = BODY_WIDTH * TOLD_SHARE
    return [columns([_told(data, s), contacts], [told_width, BODY_WIDTH - told_width], s.size)]


def _contacts(data: CardData, s: Styles) -> Flowable:
    """The ward team beside what residents have been told: the officer (name and role) and official contact.

    Two columns, not three: an official e-mail address is one long word that cannot wrap, and in half
    the page a separate role column would leave names too narrow a column to stay on one line.
    """
    share = 1 - TOLD_SHARE - s.size / BODY_WIDTH  # the column, less the gap between the two
    return table(
        ["Officer", "Contact"],
        [[f"{m.name}, {m.role}", m.contact or ""] for m in data.team],
        [0.42 * share, 0.58 * share],
        s,
    )


def _told(data: CardData, s: Styles) -> list[Flowable]:
    """What residents have been told: done public actions with their outcome, active ones as in progress."""
    out: list[Flowable] = [Paragraph("What residents have been told", s.h1)]
    told = list({(a.title, a.completed_on is None): a for a in data.told_residents}.values())
    told.sort(key=lambda a: a.completed_on is None)  # done first
    if not told:
        return [*out, Paragraph("Nothing has been published to residents yet.", s.body)]
    for a in told[:MAX_TOLD]:
        if a.completed_on is not None:
            line = markup("<b>{}</b>: done {}", a.title, day(a.completed_on))
            if a.outcome:
                line += markup(" ({})", a.outcome)
        else:
            line = markup("<b>{}</b>: in progress", a.title)
            if a.control_signal:
                line += markup("; residents should see: {}", a.control_signal)
        out.append(Paragraph(line, s.bullet, bulletText="•"))
    if len(told) > MAX_TOLD:
        out.append(Paragraph(f"… and {len(told) - MAX_TOLD} more.", s.small))
    return out
