"""A demo ward's latent signal profile and the running counts of what was written for it."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence

from sqlalchemy.orm import Session

from rpdesk.db import models as m


def months(start: dt.date, end: dt.date) -> list[dt.date]:
    """The first day of every month from ``start``'s to ``end``'s."""
    out, d = [], start.replace(day=1)
    while d <= end:
        out.append(d)
        d = (d.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return out


#: The three stories demo wards tell in turn (ward index modulo 3), so that the demo shows the
#: problems rpdesk exists for: a reassurance gap with officers pulled away, a steady ward, and a ward
#: where falling crime is matched by rising confidence.
GAP, STEADY, REASSURED = 0, 1, 2
#: police.uk publishes a month's street-level crime about two months after it ends.
POLICE_UK_LAG_MONTHS = 2


def add_months(day: dt.date, n: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + n
    return dt.date(index // 12, index % 12 + 1, 1)


class WardHistory:
    """What one demo ward is like: a few strong signals, one fading and one rising over the years.

    Every part of the history (surveys, EVA, crime, actions, duty) draws on :meth:`prevalence`, so
    the evidence agrees with itself the way a real ward's does. ``story`` (GAP, STEADY or
    REASSURED) sets how recorded crime, confidence and abstractions move in the last year or so.
    Nothing is dated after ``end`` (today) except meetings still to come.
    """

    def __init__(
        self,
        session: Session,
        rng: random.Random,
        issues: Sequence[m.Issue],
        partners: dict[str, int],
        start: dt.date,
        end: dt.date,
        story: int = STEADY,
    ) -> None:
        self.session, self.rng, self.issues, self.partners = session, rng, issues, partners
        self.start, self.end, self.story = start, end, story
        #: the newest police.uk month published by ``end``
        self.crime_end = add_months(end, -POLICE_UK_LAG_MONTHS)
        codes = [i.code for i in issues]
        hot = rng.sample(codes, 4)
        self.base = {c: rng.uniform(0.05, 0.25) for c in codes}
        for i, c in enumerate(hot[:3]):
            self.base[c] = rng.uniform(0.45, 0.7) - 0.06 * i
        self.fading, self.rising = hot[0], hot[3]
        self.summary = dict.fromkeys(
            ("respondents", "answers", "observations", "crimes", "duty", "abstractions", "actions"), 0
        )

    def prevalence(self, code: str, when: dt.date) -> float:
        """The true share seeing ``code`` as a fairly/very big problem at ``when``: a fading and a rising one."""
        t = (when - self.start).days / max(1, (self.end - self.start).days)
        p = self.base[code]
        if code == self.fading:
            p *= 1 - 0.55 * t
        elif code == self.rising:
            p = p + 0.4 * t
        return min(0.9, p)

    def crime_factor(self, month: dt.date) -> float:
        """Recorded crime relative to the ward's usual level: down by a third over the last 15 months unless steady."""
        if self.story == STEADY:
            return 1.0
        months_left = (self.crime_end.year - month.year) * 12 + self.crime_end.month - month.month
        return 1.0 if months_left >= 15 else 1.0 - 0.35 * (15 - months_left) / 15

    def crime_prevalence(self, code: str) -> float:
        """The prevalence recorded crime follows (as at the start: the ward's story alone moves crime)."""
        return self.prevalence(code, self.start)

    def confidence_lift(self, when: dt.date) -> float:
        """Points added to the 1-5 confidence scores: the reassured ward's latest round only."""
        return 0.8 if self.story == REASSURED and (self.end - when).days <= 120 else 0.0

    def abstraction_chance(self, day: dt.date, usual: float) -> float:
        """The chance an officer is pulled away on a duty day: far higher in the gap ward's last five months."""
        if self.story == GAP and (self.end - day).days <= 150:
            return max(0.5, min(0.65, usual * 4))
        return usual

    # -- surveys --------------------------------------------------------------------------------
