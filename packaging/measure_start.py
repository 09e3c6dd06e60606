"""Start-up of the bundle against the installed package, and the bundle's sizes, as a Markdown table.

Both programs run ``rpdesk --db URL --snapshot DIR`` offscreen on the same demo database, each time in a
fresh process (interpreter, imports, first paint: a cold start as the user sees it, with the files
in the page cache). Two clocks, both from just before the process starts:
  - painted: the first page's PNG appears, i.e. the window has been painted with the ward's figures
    (the Dashboard: database open, pyqtgraph loaded, charts drawn);
  - all pages: the process has painted and saved every page and exited.
The floor is the installed package (``.venv/bin/rpdesk``); the figure of interest is the bundle's
ratio to it. Build the bundle first (``packaging/build.py``).

Run: ``.venv/bin/python packaging/measure_start.py [--bundle dist/rpdesk] [--repeat 5]``
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "packaging"))

from build import archive_name, bare_env, folder_size  # noqa: E402

POLL_S = 0.005


def one_start(program: Path, url: str, work: Path) -> tuple[float, float]:
    """Seconds to the first page's PNG and to the process's exit, for one fresh process."""
    folder = work / "snaps"
    shutil.rmtree(folder, ignore_errors=True)
    started = time.perf_counter()
    proc = subprocess.Popen(
        [str(program), "--db", url, "--snapshot", str(folder)],
        env=bare_env(work),
        cwd=work,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    painted = None
    while proc.poll() is None:
        if painted is None and any(folder.glob("01-*.png")):
            painted = time.perf_counter() - started
        time.sleep(POLL_S)
    finished = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(f"{program} exited {proc.returncode}: {proc.stderr.read().decode() if proc.stderr else ''}")
    return painted if painted is not None else finished, finished


def median_starts(program: Path, url: str, work: Path, repeat: int) -> tuple[float, float, float]:
    """(first run's painted time, median painted, median all pages) over ``repeat`` fresh processes."""
    runs = [one_start(program, url, work) for _ in range(repeat)]
    return runs[0][0], statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bundle", type=Path, default=ROOT / "dist" / "rpdesk", help="the built bundle folder")
    parser.add_argument("--repeat", type=int, default=5, help="fresh processes per program (default: 5)")
    args = parser.parse_args(argv)
    bundle: Path = args.bundle.resolve()
    installed = Path(sys.executable).parent / "rpdesk"
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        url = f"sqlite:///{work / 'demo.sqlite'}"
        subprocess.run(
            [str(bundle / "rpdesk-cli"), "demo", "--db", url], env=bare_env(work), check=True, capture_output=True
        )
        # The bundle first: its first run is the coldest the page cache allows after a build.
        rows = [("bundle (dist/rpdesk)", median_starts(bundle / "rpdesk", url, work, args.repeat))]
        rows.append(("installed package (floor)", median_starts(installed, url, work, args.repeat)))
    floor = rows[1][1][1]
    print(f"Start-up, {args.repeat} fresh processes each, offscreen, the default demo database:\n")
    print("| program | first run: painted (s) | median: painted (s) | ratio to floor | median: all pages (s) |")
    print("|---|---:|---:|---:|---:|")
    for name, (first, painted, pages) in rows:
        print(f"| {name} | {first:.2f} | {painted:.2f} | {painted / floor:.2f} | {pages:.2f} |")
    archive = bundle.parent / f"{archive_name()}.tar.gz"
    print("\n| bundle | size (MB) | target (MB) |\n|---|---:|---:|")
    print(f"| one folder, unpacked | {folder_size(bundle) / 1e6:.1f} | 250 |")
    if archive.exists():
        print(f"| {archive.name} | {archive.stat().st_size / 1e6:.1f} | 100 |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
