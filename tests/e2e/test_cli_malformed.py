"""The malformed-file corpus through rpdesk-cli in a subprocess, for a subset spanning every family.

Each file: exit 3, a message naming the file (and row where there is one), no traceback, not one row
added to any table, within seconds and a few hundred MB (the child's peak resident memory is read
from inside it). Every case of the corpus is also fed to its importer directly in
tests/unit/importers/test_malformed_corpus.py.
"""

from __future__ import annotations

import datetime as dt
import os
import resource
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from rpdesk.db.database import open_database
from rpdesk.services import officers, wards
from tests.support.malformed import CORPUS, Case

SUBSET = (
    "bom-then-cp1252-surveys",
    "header-collision-audits",
    "cut-mid-row-crimes",
    "late-nul-duty",
    "arabic-digits-duty",
    "underscore-digits-surveys",
    "formula-without-result-surveys",
    "xlsx-huge-shared-string-crimes",
    "xlsx-rows-bomb-audits",
    "xlsx-dense-bomb-surveys",
    "csv-cells-bomb-duty",
    "million-column-header-surveys",
    "ten-mb-cell-audits",
    "too-big-file-crimes",
)
CASES = [c for c in CORPUS if c.id in SUBSET]
WARD = "E05000001"
CPU_SECONDS = 20.0  # CPU time of the whole CLI process (start-up included), not wall time: a loaded
# machine stretches wall time, not the work done; the importer itself is held to 5 s of CPU
PEAK_MB = 450

# Runs the CLI as `python -m rpdesk.cli` does, then writes the process's peak resident memory (KB):
# VmHWM belongs to the program's own address space (getrusage's maxrss keeps the parent's across exec).
MEASURED = (
    "import os, re, runpy\n"
    "try:\n"
    "    runpy.run_module('rpdesk.cli', run_name='__main__')\n"
    "finally:\n"
    "    with open('/proc/self/status') as status, open(os.environ['PEAK_FILE'], 'w') as fh:\n"
    "        fh.write(re.search(r'VmHWM:\\s*(\\d+)', status.read())[1])\n"
)


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    """A database with the ward (and its LSOA) and the officers the corpus files name."""
    path = tmp_path_factory.mktemp("malformed") / "template.sqlite"
    database = open_database(f"sqlite:///{path}")
    with database.session() as s:
        wards.add_ward(s, WARD, "Northgate", lsoas=["E01014001"])
        for collar in ("PC101", "PC102"):
            officers.add_officer(s, collar, f"Officer {collar}", "PC", ward=WARD, start=dt.date(2026, 1, 1))
    database.dispose()
    return path


def counts(path: Path) -> dict[str, int]:
    with sqlite3.connect(path) as con:
        tables = [t for (t,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}


def _children_cpu() -> float:
    """CPU seconds (user + system) used so far by this process's finished children."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def command(case: Case, path: Path) -> list[str]:
    if case.kind == "duty":
        return ["import", "duty", str(path)]
    extra = ["--round", "Autumn 2026"] if case.kind == "surveys" else []
    return ["import", case.kind, str(path), "--ward", WARD, *extra]


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="peak memory is read from Linux's /proc")
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_the_cli_refuses_each_malformed_file_with_exit_3(case, template, tmp_path):
    db = tmp_path / "ward.sqlite"
    db.write_bytes(template.read_bytes())
    before = counts(db)
    path = case.write(tmp_path)
    peak = tmp_path / "peak"
    started = _children_cpu()
    result = subprocess.run(
        [sys.executable, "-c", MEASURED, "--db", f"sqlite:///{db}", *command(case, path)],
        capture_output=True,
        text=True,
        env={**os.environ, "PEAK_FILE": str(peak)},
        timeout=120,
    )
    took = _children_cpu() - started
    assert result.returncode == 3, result.stderr[-2000:]
    assert "Traceback" not in result.stderr + result.stdout
    assert path.name in result.stderr
    if case.row is not None:
        assert f"row {case.row}" in result.stderr
    assert len(result.stderr) < 3000
    assert counts(db) == before, "nothing is written"
    assert took < CPU_SECONDS, f"{case.id} took {took:.1f} s of CPU"
    assert int(peak.read_text()) / 1024 < PEAK_MB, f"{case.id} peaked at {int(peak.read_text()) / 1024:.0f} MB"
