"""``rpdesk-cli retention review|apply`` as a records manager runs it, with periods IT has locked."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

from rpdesk.db.database import open_database
from rpdesk.db.models import SurveyResponse, SurveyRound, Ward

WARD = "E05000001"
OLD_TEXT = "WOMBAT-OLD fly-tipping by the brook"
RECENT_TEXT = "PELICAN-RECENT cars racing at night"


def _ward_file(tmp_path: Path) -> tuple[str, Path]:
    """A ward database holding a comment from five years ago and one from two months ago."""
    path = tmp_path / "ward.sqlite"
    db = open_database(f"sqlite:///{path}")
    today = dt.date.today()
    with db.session() as s:
        ward = Ward(code=WARD, name="Northgate")
        s.add(ward)
        s.flush()
        rnd = SurveyRound(ward_id=ward.id, name="Door-step")
        s.add(rnd)
        s.flush()
        s.add(
            SurveyResponse(round_id=rnd.id, respondent="r1", date=today - dt.timedelta(days=5 * 365), comments=OLD_TEXT)
        )
        s.add(
            SurveyResponse(round_id=rnd.id, respondent="r2", date=today - dt.timedelta(days=60), comments=RECENT_TEXT)
        )
    db.dispose()
    return f"sqlite:///{path}", path


def test_review_then_apply_removes_the_old_comment_from_the_file(cli, tmp_path):
    url, path = _ward_file(tmp_path)
    table = cli("retention", "review", "--db", url)
    assert table.returncode == 0, table.stderr
    assert "survey_comments" in table.stdout and WARD in table.stdout
    rows = list(csv.DictReader(io.StringIO(cli("retention", "review", "--db", url, "--format", "csv").stdout)))
    assert [(r["kind"], r["ward"], r["count"]) for r in rows] == [("survey_comments", WARD, "1")]

    applied = cli("retention", "apply", "--db", url)

    assert applied.returncode == 0, applied.stderr
    assert "Disposed of 1 record(s)" in applied.stderr and "VACUUM" in applied.stderr
    data = path.read_bytes() + (
        path.with_name(path.name + "-wal").read_bytes() if path.with_name(path.name + "-wal").exists() else b""
    )
    assert OLD_TEXT.encode() not in data and RECENT_TEXT.encode() in data
    again = cli("retention", "review", "--db", url, "--format", "json")
    assert json.loads(again.stdout) == []
    assert "Nothing is past its retention period" in cli("retention", "review", "--db", url).stdout


def test_a_period_it_locks_cannot_be_lengthened_by_the_user(cli, tmp_path):
    url, _path = _ward_file(tmp_path)
    machine = tmp_path / "machine.json"
    machine.write_text(
        json.dumps({"retention_survey_comments_months": 1, "locked": ["retention_survey_comments_months"]})
    )
    user_config = tmp_path / "config"
    (user_config / "rpdesk").mkdir(parents=True)
    (user_config / "rpdesk" / "settings.json").write_text(json.dumps({"retention_survey_comments_months": 240}))
    env = {"RPDESK_MACHINE_SETTINGS": str(machine), "XDG_CONFIG_HOME": str(user_config)}

    due = json.loads(cli("retention", "review", "--db", url, "--format", "json", env=env).stdout)

    assert [(r["kind"], r["count"]) for r in due] == [("survey_comments", 2)]  # the two-month-old comment too
    machine.write_text(json.dumps({"retention_survey_comments_months": 1}))  # not locked: the user's 20 years win
    assert json.loads(cli("retention", "review", "--db", url, "--format", "json", env=env).stdout) == []
