"""The README's walk-through runs as written: every command block of that section, in order, on a fresh database.

The blocks are read from README.md at test time and run by bash, as a user would paste them, in a
throwaway home and working folder holding a copy of ``resources/samples``. ``rpdesk-cli`` is the
console script installed beside this interpreter. A command that fails stops the run and the
assertion shows which one and what it printed.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

from pypdf import PdfReader

ROOT = Path(__file__).parents[2]
README = ROOT / "README.md"
SECTION = "## Walk-through"


def walkthrough_blocks(text: str) -> list[str]:
    """The ```sh blocks between the walk-through heading and the next top-level section."""
    start = text.index(SECTION)
    end = text.find("\n## ", start + len(SECTION))
    section = text[start : end if end >= 0 else len(text)]
    return re.findall(r"```sh\n(.*?)```", section, flags=re.DOTALL)


def test_the_walkthrough_is_one_story_that_covers_every_step() -> None:
    script = "\n".join(walkthrough_blocks(README.read_text(encoding="utf-8")))
    for command in (
        "db init",
        "wards add",
        "import surveys",
        "surveys rounds",
        "import audits",
        "import crimes",
        "signals",
        "priorities adopt",
        "actions add",
        "officers add",
        "import duty",
        "abstractions record",
        "meetings add",
        "report tasking",
        "report card",
        "report briefing",
    ):
        assert f"rpdesk-cli {command}" in script, command
    for sample in re.findall(r"resources/samples/[\w.-]+", script):
        assert (ROOT / sample).is_file(), f"{sample} is not shipped"
    future = re.search(r"--due 20\d\d|meetings add[^\n]*--date 20\d\d", script)
    assert future is None, "dates that must be in the future are relative (+14d), or the README rots"


def test_the_walkthrough_runs_as_written_on_a_fresh_database(tmp_path: Path) -> None:
    cli = Path(sys.executable).with_name("rpdesk-cli")
    assert cli.exists(), "rpdesk-cli is not installed beside the interpreter (pip install -e .)"
    home, work = tmp_path / "home", tmp_path / "work"
    home.mkdir()
    shutil.copytree(ROOT / "resources" / "samples", work / "resources" / "samples")
    env = {
        "PATH": f"{cli.parent}{os.pathsep}{os.environ.get('PATH', '/usr/bin:/bin')}",
        "HOME": str(home),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "RPDESK_MACHINE_SETTINGS": str(tmp_path / "no-machine-settings.json"),
        "LANG": "C.UTF-8",
    }
    script = "set -euo pipefail\nset -x\n" + "\n".join(walkthrough_blocks(README.read_text(encoding="utf-8")))
    result = subprocess.run(["bash", "-c", script], cwd=work, env=env, capture_output=True, text=True, timeout=900)
    failed = [line for line in result.stderr.splitlines() if line.startswith("+ ")][-1:]
    assert result.returncode == 0, f"failed at {failed}:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    assert "Traceback" not in result.stderr

    database = home / "rpdesk-walkthrough.sqlite"
    assert database.is_file()
    assert not (tmp_path / "data").exists(), "the walk-through must not touch the per-user database"
    assert "created a new rpdesk database at " + str(database) in result.stdout
    texts = {}
    for name in ("pack.pdf", "card.pdf", "briefing.pdf"):
        pdf = work / name
        assert pdf.read_bytes().startswith(b"%PDF"), name
        texts[name] = " ".join(" ".join(page.extract_text() for page in PdfReader(pdf).pages).split())
    assert "Sample Ward" in texts["pack.pdf"] and "OFFICIAL-SENSITIVE" in texts["pack.pdf"]
    assert "No litter or graffiti in the underpass" in texts["briefing.pdf"]  # the public action, done
    assert "Drugs warrant" not in texts["briefing.pdf"]  # not a public action
    assert "Drug dealing was reported to us this autumn" in texts["briefing.pdf"]  # the public reason
    assert "Three drug offences" not in texts["briefing.pdf"]  # the internal justification
    assert (work / "return-2026-09.xlsx").is_file()


def readme_commands(text: str) -> list[str]:
    """Every ``rpdesk-cli`` command line in any ```sh block of the README, continuation lines joined."""
    lines = []
    for block in re.findall(r"```sh\n(.*?)```", text, flags=re.DOTALL):
        for command in block.replace("\\\n", " ").splitlines():
            if command.strip().startswith("rpdesk-cli "):
                lines.append(command.strip())
    return lines


def test_every_rpdesk_cli_command_in_the_readme_is_one_the_cli_accepts() -> None:
    """Commands outside the walk-through are not run (they build demos or bundles), but they must parse."""
    from rpdesk.cli import build_parser

    commands = readme_commands(README.read_text(encoding="utf-8"))
    assert len(commands) > 40
    refused = []
    for command in commands:
        try:
            build_parser().parse_args(shlex.split(command, comments=True)[1:])
        except SystemExit:
            refused.append(command)
    assert refused == []
