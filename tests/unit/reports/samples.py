"""Hand-made document data, so layout tests do not depend on the database or the demo."""

from __future__ import annotations

import datetime as dt

from rpdesk.reports import model as m

NASTY = "<b>Smith & Sons</b> <font size=40>"
WARD = m.WardHeading("W05000123", "Ynysybwl", "Aberaman Neighbourhood Team")
TCG = m.MeetingInfo(1, "tcg", dt.date(2026, 11, 10), "10:00", "Police station")
COMMUNITY = m.MeetingInfo(2, "community", dt.date(2026, 11, 17), "19:00", "Ynysybwl Community Centre")
NOW = dt.datetime(2026, 11, 9, 15, 0)


def signal(rank: int, label: str, prevalence: float, **kw: object) -> m.SignalRow:
    values: dict[str, object] = {
        "rank": rank,
        "issue": label.lower().replace(" ", "_"),
        "label": label,
        "label_cy": None,
        "kind": "social",
        "score": 0.5 - rank / 100,
        "respondents": 180,
        "prevalence": prevalence,
        "prevalence_low": prevalence - 0.07,
        "prevalence_high": prevalence + 0.07,
        "effect": prevalence * 0.7,
        "audit_per_walk": 0.5,
        "recorded": 4,
        "recorded_previous": 5,
        "recorded_p": 1.0,
        "flags": (),
        "movement": 1,
    }
    values.update(kw)
    return m.SignalRow(**values)  # type: ignore[arg-type]


def action(
    title: str,
    *,
    partner: str | None = "Council street scene",
    overdue: bool = False,
    public: bool = True,
    status: str = "Open",
    priority: str | None = "Dog fouling",
    epic: str = "prevention",
) -> m.ActionRow:
    return m.ActionRow(
        title,
        "PC Priya Shah",
        partner,
        dt.date(2026, 11, 1),
        "Overdue" if overdue else status,
        "red" if overdue else "green",
        overdue,
        epic,
        priority,
        None,
        "Cleaner paths",
        public,
    )


def tasking(n_actions: int = 12, n_eva: int = 30) -> m.TaskingData:
    signals = tuple(signal(i + 1, f"Signal number {i + 1}", 0.6 - i * 0.03) for i in range(15))
    signals = (signal(1, "Dog fouling", 0.62), *signals[1:])
    return m.TaskingData(
        ward=WARD,
        meeting=TCG,
        period_start=dt.date(2026, 10, 10),
        period_end=dt.date(2026, 11, 9),
        prepared_by="PS Sam Jones",
        generated_at=NOW,
        signals=signals,
        signals_note="Ranked over Autumn 2026.",
        open_actions=n_actions,
        overdue_actions=2,
        activity=(
            m.ActivityRow("EVAs walked", 2, 1, 9),
            m.ActivityRow("Recorded crime and ASB (police.uk)", 70, 80, 850),
        ),
        actions=tuple(
            action(
                f"Action {i}",
                partner=NASTY if i == 0 else "Highways",
                overdue=i < 2,
                priority="Dog fouling" if i < 3 else None,
            )
            for i in range(n_actions)
        ),
        gap=m.ReassuranceGap(
            rounds=tuple(
                m.ConfidenceRound(
                    f"Round {k}",
                    dt.date(2025 + k // 2, 3 + 6 * (k % 2), 30),
                    180,
                    (m.ConfidenceItem("Agree police deal with what matters", 0.4, 0.33, 0.47),),
                )
                for k in range(4)
            ),
            crime_by_month=tuple(m.MonthCount(dt.date(2025 + k // 12, k % 12 + 1, 1), 60 + k % 7) for k in range(22)),
            headline="Recorded crime fell 2% while confidence did not move.",
        ),
        priorities=(
            m.PriorityRow(
                "Dog fouling",
                "Dog mess on the school path",
                1,
                dt.date(2026, 9, 29),
                "PS Sam Jones",
                None,
                False,
                "Too early to assess.",
            ),
            m.PriorityRow(
                "Speeding",
                None,
                7,
                dt.date(2026, 9, 29),
                "PS Sam Jones",
                "Fatal collision nearby.",
                True,
                "Too early to assess.",
            ),
        ),
        passed_over=(
            m.PassedOverRow("Signal number 2", 2, dt.date(2026, 9, 29), "PS Sam Jones", "Council leads on it."),
        ),
        assumption=m.AssumptionCheck(
            ("Speeding", "Dog fouling"), ("Dog fouling", "Signal number 2"), "1 of 2 expected."
        ),
        eva=tuple(
            m.EvaRow(
                "Highways" if i % 2 else NASTY,
                f"High Street, near no. {i}",
                "Litter",
                3,
                1,
                dt.date(2026, 9, 1),
                "Open",
                f"CRM-{i}",
            )
            for i in range(n_eva)
        ),
        abstractions=m.Abstractions(
            0.8,
            0.76,
            (
                m.OfficerTime("Priya Shah", "PC", 150, 40, 0.73, True),
                m.OfficerTime("Tom Hughes", "PCSO", 140, 5, 0.96, False),
            ),
            (m.ReasonHours("Response cover", 30, 0.67), m.ReasonHours("Court", 15, 0.33)),
        ),
        rounds=(m.RoundSize("Autumn 2026", "door", dt.date(2026, 9, 1), dt.date(2026, 10, 12), 180),),
        method=("Prevalence is the share rating it a big problem.",),
        caveats=("Small samples.",),
    )


def briefing() -> m.BriefingData:
    return m.BriefingData(
        ward=WARD,
        meeting=COMMUNITY,
        generated_at=NOW,
        team=(
            m.TeamMember("Sam Jones", "Sergeant", "aberaman.snt@example.police.uk"),
            m.TeamMember("Priya Shah", "PC", "ynysybwl.snt@example.police.uk"),
        ),
        residents_heard=412,
        told_us=(
            m.PublicPriority("Dog fouling", "Baw cŵn", "Dog mess on the school path", 0.62),
            m.PublicPriority("Poor street lighting", "Goleuadau stryd gwael", None, 0.04, adopted=False),
        ),
        also_working_on=(
            m.PublicPriority("Speeding", "Goryrru", None, None, True, "A child was hurt on Heol y Nant."),
        ),
        we_did=(m.PublicAction("Extra bins on the school path", "New bins", NASTY, dt.date(2026, 11, 1), None),),
        next_steps=(
            m.PublicAction("Mend the lights on Maes y Coed", "Lights on after dark", "Street lighting", None, None),
        ),
        next_meeting=m.MeetingInfo(3, "community", dt.date(2027, 1, 17), "19:00", "Ynysybwl Community Centre"),
    )


def card() -> m.CardData:
    t = tasking(n_actions=3, n_eva=0)
    return m.CardData(
        ward=WARD,
        meeting=TCG,
        generated_at=NOW,
        signals=t.signals,
        priorities=t.priorities,
        actions=t.actions,
        told_residents=(
            *briefing().we_did,
            m.PublicAction("Mend the lights on Maes y Coed", "Lights on after dark", None, None, "Dog fouling"),
        ),
        team=(*briefing().team, m.TeamMember(NASTY, "PCSO", None)),
        valid_until=dt.date(2026, 12, 8),
        streets=("Maes y Coed", "Heol y Nant", NASTY),
    )
