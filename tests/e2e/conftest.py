"""Run rpdesk-cli as a user would: a separate process, its exit code, stdout and stderr."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

CLI = [sys.executable, "-m", "rpdesk.cli"]


def run_cli(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, **(env or {})}
    return subprocess.run([*CLI, *args], capture_output=True, text=True, env=full_env, cwd=cwd, timeout=600)


@pytest.fixture
def cli() -> Callable[..., subprocess.CompletedProcess[str]]:
    return run_cli


def demo_ward(folder: Path, *, wards: int = 1, years: int = 2, today: str) -> tuple[str, str]:
    """(database URL, first ward code) of demo wards built by ``rpdesk-cli demo`` in ``folder``."""
    import json

    url = f"sqlite:///{folder / 'demo.sqlite'}"
    result = run_cli("demo", "--db", url, "--wards", str(wards), "--years", str(years), "--today", today)
    assert result.returncode == 0, result.stderr
    code = json.loads(run_cli("wards", "list", "--db", url, "--format", "json").stdout)[0]["code"]
    return url, code
