"""Start-up of the bundle against the installed package, and the bundle's sizes, as a Markdown table.

Both programs run ``rpdesk --db URL --snapshot DIR`` offscreen on the same demo database, each time in a
fresh process (interpreter, imports, first paint: a cold start as the user sees it, with the files
in the page cache), taking turns. Two clocks, both from just before the process starts, and the CPU
time the process used:
  - painted: the first page's PNG appears, i.e. the window has been painted with the ward's figures
    (the Dashboard: database open, pyqtgraph loaded, charts drawn);
  - all pages: the process has painted and saved every page and exited.
The floor is the installed package (``.venv/bin/rpdesk``); the figure of interest is the bundle's
ratio to it. Build the bundle first (``packaging/build.py``).

Run: ``.venv/bin/python packaging/measure_start.py [--bundle dist/rpdesk] [--repeat 5]``
"""

from __future__ import annotations

import argparse
import os
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


def one_start(program: Path, url: str, work: Path) -> tuple[float, float, float]:
    """One fresh process: seconds to the first page's PNG, to its exit, and the CPU seconds it used."""
    folder = work / "snaps"
    shutil.rmtree(folder, ignore_errors=True)
    started = time.perf_counter()
    proc = subprocess.Popen(
        [str(program), "--db", url, "--snapshot", str(folder)],
        env=bare_env(work),
        cwd=work,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    painted = None
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if painted is None and any(folder.glob("01-*.png")):
            painted = time.perf_counter() - started
        time.sleep(POLL_S)
    finished = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"{program} --snapshot exited {proc.returncode}")
    return painted if painted is not None else finished, finished, usage.ru_utime + usage.ru_stime


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bundle", type=Path, default=ROOT / "dist" / "rpdesk", help="the built bundle folder")
    parser.add_argument("--repeat", type=int, default=5, help="fresh processes per program (default: 5)")
    args = parser.parse_args(argv)
    bundle: Path = args.bundle.resolve()
    installed = Path(sys.executable).parent / "rpdesk"
    programs = {"bundle (dist/rpdesk)": bundle / "rpdesk", "installed package (floor)": installed}
    runs: dict[str, list[tuple[float, float, float]]] = {name: [] for name in programs}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        url = f"sqlite:///{work / 'demo.sqlite'}"
        demo = [str(bundle / "rpdesk-cli"), "demo", "--db", url]
        subprocess.run(demo, env=bare_env(work), check=True, capture_output=True)
        for _ in range(args.repeat):  # interleaved, so a busy spell on the machine hits both alike
            for name, program in programs.items():
                runs[name].append(one_start(program, url, work))
    medians = {name: [statistics.median(r[i] for r in rs) for i in range(3)] for name, rs in runs.items()}
    floor = medians["installed package (floor)"]
    print(f"Start-up, {args.repeat} fresh processes each (interleaved), offscreen, the default demo database:\n")
    print("| program | first run: painted (s) | median: painted (s) | median: all pages (s) | median CPU (s) |")
    print("|---|---:|---:|---:|---:|")
    for name, (painted, pages, cpu) in medians.items():
        print(f"| {name} | {runs[name][0][0]:.2f} | {painted:.2f} | {pages:.2f} | {cpu:.2f} |")
    ratios = [m / f for m, f in zip(medians["bundle (dist/rpdesk)"], floor, strict=True)]
    print(f"| bundle / floor | | {ratios[0]:.2f}× | {ratios[1]:.2f}× | {ratios[2]:.2f}× |")
    archive = bundle.parent / f"{archive_name()}.tar.gz"
    print("\n| bundle | size (MB) | target (MB) |\n|---|---:|---:|")
    print(f"| one folder, unpacked | {folder_size(bundle) / 1e6:.1f} | 250 |")
    if archive.exists():
        print(f"| {archive.name} | {archive.stat().st_size / 1e6:.1f} | 100 |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
