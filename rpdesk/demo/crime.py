"""police.uk-style street crime rows whose counts follow the ward's crime signals."""

from __future__ import annotations

import hashlib
import random

from rpdesk.db import models as m
from rpdesk.db.bulk import bulk_insert
from rpdesk.demo.history import WardHistory, add_months, months
from rpdesk.demo.names import STREETS
from rpdesk.domain.catalogue import POLICE_UK_CRIME_TYPES
from rpdesk.importers.crimes import COLUMNS


def add_crimes(h: WardHistory, ward: m.Ward, lsoas: list[str]) -> None:
    rng = h.rng
    by_type = {
        t: [i.code for i in h.issues if t in {c.crime_type for c in i.crime_types}] for t in POLICE_UK_CRIME_TYPES
    }
    rows: list[tuple[object, ...]] = []
    # police.uk data end about two months before today, and reach back a little before the surveys
    for month in months(add_months(h.start, -3), h.crime_end):
        for ctype in POLICE_UK_CRIME_TYPES:
            mapped = by_type[ctype]
            rate = 2.0 + (25 * max(h.crime_prevalence(c) for c in mapped) if mapped else 0)
            rate *= h.crime_factor(month)
            if ctype == "Anti-social behaviour":
                rate *= 1.8 if month.month in (6, 7, 8) else 1.0
            for _ in range(_poisson(rng, rate)):
                lsoa = rng.choice(lsoas)
                asb = ctype == "Anti-social behaviour"
                rows.append(
                    (
                        ward.id,
                        None if asb else hashlib.sha256(f"{ward.code}{len(rows)}{rng.random()}".encode()).hexdigest(),
                        month,
                        "Demo Constabulary",
                        "Demo Constabulary",
                        round(-2.6 + rng.uniform(-0.02, 0.02), 6),
                        round(51.45 + rng.uniform(-0.02, 0.02), 6),
                        f"On or near {rng.choice(STREETS)}",
                        lsoa,
                        f"{ward.name} {lsoas.index(lsoa) + 1:03d}A",
                        ctype,
                        None
                        if asb
                        else rng.choice(
                            (
                                "Investigation complete; no suspect identified",
                                "Unable to prosecute suspect",
                                "Under investigation",
                                "Local resolution",
                            )
                        ),
                        None,
                    )
                )
    bulk_insert(h.session, m.CrimeRecord, ("ward_id", *COLUMNS), rows)
    bulk_insert(h.session, m.CrimeMonth, ("ward_id", "month"), sorted({(ward.id, r[2]) for r in rows}))
    h.summary["crimes"] += len(rows)


def _poisson(rng: random.Random, lam: float) -> int:
    """Knuth's method is slow for large rates; a rounded normal is fine for counts above 30."""
    if lam > 30:
        return max(0, round(rng.gauss(lam, lam**0.5)))
    limit, k, p = 2.718281828459045 ** (-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1
