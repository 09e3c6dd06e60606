"""Saved column mappings: how an export with question texts as headers becomes a canonical layout.

Online form tools export one column per question, headed with the question text
("How much of a problem is rubbish or litter lying around?"). A mapping is a small JSON file that
the GUI's import wizard writes and ``rpdesk-cli import ... --mapping FILE`` reads::

    {
      "format": "rpdesk-column-mapping",
      "version": 1,
      "kind": "surveys",
      "columns": {"Respondent ID": "respondent", "Timestamp": null, "...litter...?": "litter_problem"},
      "values": {"litter_problem": {"Quite a big problem": "2"}}
    }

``columns`` maps a header as written in the export (matched ignoring case and spacing) to a column
of the canonical layout, or to ``null`` to leave that column out. ``values`` optionally turns an
export's own answer texts into ones the importer knows, per canonical column.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rpdesk.errors import InputRejected, Problem, UserError
from rpdesk.importers.reading import HEADER_ROW, TextTable

FORMAT = "rpdesk-column-mapping"
VERSION = 1
KINDS = ("surveys", "audits", "crimes")


@dataclass(frozen=True)
class ColumnMapping:
    """Source header -> canonical column (None = leave out), and per-column answer relabelling."""

    kind: str = "surveys"
    columns: Mapping[str, str | None] = field(default_factory=dict)
    values: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "version": VERSION,
            "kind": self.kind,
            "columns": dict(self.columns),
            "values": {k: dict(v) for k, v in self.values.items()},
        }


def header_key(text: str) -> str:
    """How headers are compared: case and runs of spaces do not matter."""
    return re.sub(r"\s+", " ", text).strip().casefold()


def _checked(data: Any, where: str) -> ColumnMapping:
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise UserError(f'{where} is not an rpdesk column mapping (it needs "format": "{FORMAT}").')
    if data.get("version") != VERSION:
        raise UserError(f"{where} is a column mapping of version {data.get('version')!r}; this rpdesk reads {VERSION}.")
    kind = data.get("kind", "surveys")
    columns = data.get("columns", {})
    values = data.get("values", {})
    if kind not in KINDS:
        raise UserError(f'{where}: "kind" must be one of {", ".join(KINDS)} (got {kind!r}).')
    if not isinstance(columns, dict) or not all(
        isinstance(k, str) and (v is None or isinstance(v, str)) for k, v in columns.items()
    ):
        raise UserError(f'{where}: "columns" must map each header text to a column name or null.')
    if not isinstance(values, dict) or not all(
        isinstance(v, dict) and all(isinstance(a, str) and isinstance(b, str | int) for a, b in v.items())
        for v in values.values()
    ):
        raise UserError(f'{where}: "values" must map a column name to {{answer text: replacement}}.')
    return ColumnMapping(kind, columns, {c: {a: str(b) for a, b in v.items()} for c, v in values.items()})


def load_mapping(path: Path | str) -> ColumnMapping:
    """Read a mapping file, or UserError saying what is wrong with it."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except OSError as exc:
        raise UserError(f"Cannot read the column mapping {path}: {exc.strerror}.") from exc
    except ValueError as exc:
        raise UserError(f"The column mapping {path} is not valid JSON ({exc}).") from exc
    return _checked(data, str(path))


def save_mapping(mapping: ColumnMapping, path: Path | str) -> None:
    """Write a mapping file whole and owner-only (via a temporary file), so a crash never leaves half of one."""
    from rpdesk.outputs import write_aside

    with write_aside(Path(path)) as aside:
        aside.write_text(json.dumps(mapping.as_json(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def apply_mapping(table: TextTable, mapping: ColumnMapping) -> TextTable:
    """The table with columns renamed or left out and answers relabelled, as the mapping says.

    Headers the mapping does not mention pass through unchanged (a canonical file needs no entry).
    Two headers mapped onto the same column are refused.
    """
    wanted = {header_key(k): v for k, v in mapping.columns.items()}
    rename: dict[str, str] = {}
    keep: list[str] = []
    problems: list[Problem] = []
    used: dict[str, str] = {}
    for header in table.frame.columns:
        key = header_key(str(header))
        target = wanted[key] if key in wanted else str(header)
        if target is None:
            continue
        if header_key(target) in used:
            problems.append(
                Problem(
                    table.name,
                    HEADER_ROW,
                    str(header),
                    str(header),
                    f"one column mapped to '{target}' (so is '{used[header_key(target)]}')",
                )
            )
            continue
        used[header_key(target)] = str(header)
        rename[str(header)] = target
        keep.append(str(header))
    if problems:
        raise InputRejected(problems)
    frame = table.frame.loc[:, keep].rename(columns=rename)
    for column, replacements in mapping.values.items():
        matches = [c for c in frame.columns if header_key(str(c)) == header_key(column)]
        folded = {header_key(a): b for a, b in replacements.items()}
        for c in matches:
            frame[c] = frame[c].map(lambda v, f=folded: f.get(header_key(v), v))
    return TextTable(table.name, frame, table.sha256)
