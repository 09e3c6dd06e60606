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


class WardHistory:
    """What one demo ward is like: a few strong signals, one fading and one rising over the years.

    Every part of the history (surveys, EVA, crime, actions, duty) draws on :meth:`prevalence`, so
    the evidence agrees with itself the way a real ward's does.
    """

    def __init__(
        self,
        session: Session,
        rng: random.Random,
        issues: Sequence[m.Issue],
        partners: dict[str, int],
        start: dt.date,
        end: dt.date,
    ) -> None:
        self.session, self.rng, self.issues, self.partners = session, rng, issues, partners
        self.start, self.end = start, end
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

    # -- surveys --------------------------------------------------------------------------------
