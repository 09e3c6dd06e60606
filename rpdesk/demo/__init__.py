"""Deterministic demo wards: the same seed always gives the same database.

Used to show the app, as the test fixture and as the benchmark generator, so its data has the
structure real wards have: each ward has a few strong signals that residents feel (high
prevalence *and* effect), they shift over time (a priority worked on falls, a new one rises),
EVA walks find the physical ones, police.uk-style crime follows the crime ones, partner actions sit
in every status, and ring-fenced officers lose some hours to abstractions.

One module per part of a ward's history; :mod:`rpdesk.demo.history` holds the ward's latent
signal profile that every part draws on, and :mod:`rpdesk.demo.build` puts the parts together.
"""

from __future__ import annotations

from rpdesk.demo.build import DemoSummary, build_demo

__all__ = ["DemoSummary", "build_demo"]
