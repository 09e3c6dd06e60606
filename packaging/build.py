"""Build the force-laptop bundle in one command: ``.venv/bin/python packaging/build.py``.

Runs PyInstaller on ``packaging/rpdesk.spec`` into ``dist/rpdesk/`` (``rpdesk`` and ``rpdesk-cli``; on
Linux also the menu entry, its icon and ``install-linux.sh``), then packs that folder as
``dist/rpdesk-<version>-<os>-<arch>.tar.gz`` (``.zip`` on Windows, where the Inno Setup script
``packaging/rpdesk.iss`` turns ``dist/rpdesk/`` into an installer) and prints both sizes.
Needs the packaging extra: ``.venv/bin/pip install -e '.[packaging]'``.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tarfile
import zipfile
from collections.abc import Sequence
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "packaging" / "rpdesk.spec"
BUNDLE = "rpdesk"


def bare_env(home: Path) -> dict[str, str]:
    """The environment a built bundle is tried in: no virtualenv or PYTHONPATH, a throwaway home, Qt offscreen."""
    return {
        "PATH": "/usr/bin:/bin",
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "QT_QPA_PLATFORM": "offscreen",
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CACHE_HOME": str(home / "cache"),
        "RPDESK_MACHINE_SETTINGS": str(home / "machine-settings.json"),
    }


def folder_size(folder: Path) -> int:
    """Bytes in every file under ``folder`` (symlinks counted once, as their own small size)."""
    return sum(p.lstat().st_size for p in folder.rglob("*") if p.is_file() or p.is_symlink())


def archive_name() -> str:
    system = {"win32": "windows", "darwin": "macos"}.get(sys.platform, sys.platform)
    return f"{BUNDLE}-{version('rpdesk')}-{system}-{platform.machine().lower()}"


def run_pyinstaller(dist: Path, work: Path, clean: bool) -> Path:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")  # the spec imports the GUI modules to list them
    command = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN"]
    command += ["--distpath", str(dist), "--workpath", str(work), *(["--clean"] if clean else []), str(SPEC)]
    subprocess.run(command, check=True, cwd=ROOT, env=env)
    return dist / BUNDLE


def add_unix_files(bundle: Path) -> None:
    """Linux and macOS: ``rpdesk-cli`` as a link to ``rpdesk`` (see rpdesk.spec), and on Linux the menu
    entry, its icon and the per-user installer beside the executable."""
    cli = bundle / "rpdesk-cli"
    cli.unlink(missing_ok=True)
    cli.symlink_to("rpdesk")
    if not sys.platform.startswith("linux"):
        return
    share = bundle / "share"
    share.mkdir(exist_ok=True)
    shutil.copy2(ROOT / "packaging" / "rpdesk.desktop", share)
    for icon in ("rpdesk-app.png", "rpdesk-app.svg"):
        shutil.copy2(ROOT / "resources" / "icons" / icon, share)
    shutil.copy2(ROOT / "packaging" / "install-linux.sh", bundle)


def pack(bundle: Path, dist: Path) -> Path:
    """The bundle folder as one archive whose top folder is ``rpdesk/``."""
    if sys.platform == "win32":
        target = dist / f"{archive_name()}.zip"
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
            for path in sorted(bundle.rglob("*")):
                zf.write(path, path.relative_to(dist))
        return target
    target = dist / f"{archive_name()}.tar.gz"
    with tarfile.open(target, "w:gz", compresslevel=6) as tf:
        tf.add(bundle, arcname=BUNDLE)
    return target


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="output folder (default: dist/)")
    parser.add_argument("--work", type=Path, default=ROOT / "build", help="PyInstaller's work folder (default: build/)")
    parser.add_argument("--clean", action="store_true", help="ignore PyInstaller's cache from earlier builds")
    parser.add_argument("--no-archive", action="store_true", help="build the folder only")
    args = parser.parse_args(argv)
    dist: Path = args.dist.resolve()
    bundle = run_pyinstaller(dist, args.work.resolve(), args.clean)
    if sys.platform != "win32":
        add_unix_files(bundle)
    print(f"{bundle}: {folder_size(bundle) / 1e6:.1f} MB")
    if not args.no_archive:
        archive = pack(bundle, dist)
        print(f"{archive}: {archive.stat().st_size / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
