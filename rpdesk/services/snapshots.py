"""Snapshots: a ranking frozen as it was shown, so a past tasking decision can be replayed.

The figures, the weights and the inputs (every per-issue count behind each figure) are stored as
JSON; loading a snapshot gives back the same :class:`~rpdesk.services.signals.Ranking` however much
data has arrived since.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from rpdesk.db.changelog import os_user
from rpdesk.db.models import RankingSnapshot, SurveyRound
from rpdesk.errors import UserError
from rpdesk.services.signals import Ranking
from rpdesk.services.wards import get_ward

#: Per-signal fields that are inputs (counts), as opposed to results derived from them.
INPUT_FIELDS = (
    "issue",
    "respondents",
    "big_problem",
    "effect_answered",
    "effect_yes",
    "audit",
    "audit_observations",
    "audit_walks",
    "recorded",
    "recorded_previous",
)


@dataclass(frozen=True)
class SnapshotInfo:
    id: int
    ward_code: str
    name: str
    round_name: str | None
    period_start: dt.date
    period_end: dt.date
    created_at: dt.datetime
    created_by: str
    signals: int


def default_name(ranking: Ranking) -> str:
    scope = f"round {ranking.round_name}" if ranking.round_name else f"{ranking.period_start} to {ranking.period_end}"
    return f"{ranking.ward_code} {scope}"


def save_snapshot(session: Session, ranking: Ranking, name: str | None = None) -> SnapshotInfo:
    """Freeze ``ranking`` in the database and return what was saved."""
    ward = get_ward(session, ranking.ward_code)
    round_id = None
    if ranking.round_name:
        round_id = session.scalar(
            select(SurveyRound.id).where(SurveyRound.ward_id == ward.id, SurveyRound.name == ranking.round_name)
        )
    data = ranking.as_dict()
    inputs = [{k: s[k] for k in INPUT_FIELDS} for s in data["signals"]]
    row = RankingSnapshot(
        ward_id=ward.id,
        name=(name or default_name(ranking)).strip()[:120] or default_name(ranking),
        period_start=ranking.period_start,
        period_end=ranking.period_end,
        round_id=round_id,
        created_by=os_user(),
        weights_json=json.dumps(data["weights"], sort_keys=True),
        inputs_json=json.dumps(inputs, sort_keys=True),
        results_json=json.dumps(data, sort_keys=True),
    )
    session.add(row)
    session.flush()
    return _info(row, ward.code, ranking.round_name, len(ranking.signals))


def _info(row: RankingSnapshot, ward_code: str, round_name: str | None, signals: int) -> SnapshotInfo:
    return SnapshotInfo(
        row.id,
        ward_code,
        row.name,
        round_name,
        row.period_start,
        row.period_end,
        row.created_at,
        row.created_by,
        signals,
    )


def list_snapshots(session: Session, ward_code: str) -> list[SnapshotInfo]:
    """The ward's snapshots, newest first."""
    ward = get_ward(session, ward_code)
    rows = session.scalars(
        select(RankingSnapshot).where(RankingSnapshot.ward_id == ward.id).order_by(RankingSnapshot.id.desc())
    )
    out = []
    for row in rows:
        data = json.loads(row.results_json)
        out.append(_info(row, ward.code, data.get("round_name"), len(data.get("signals", []))))
    return out


def load_snapshot(session: Session, snapshot_id: int) -> Ranking:
    """The ranking exactly as it was saved."""
    row = session.get(RankingSnapshot, snapshot_id)
    if row is None:
        raise UserError(f"There is no ranking snapshot {snapshot_id}. 'rpdesk-cli signals snapshots' lists them.")
    return Ranking.from_dict(json.loads(row.results_json))
