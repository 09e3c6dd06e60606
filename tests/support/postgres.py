"""A throwaway PostgreSQL server for the test session: initdb into a temp folder, 127.0.0.1, free port.

initdb and postgres refuse to run as root, so when the tests run as root the cluster belongs to the
``postgres`` user (created by Debian's package) and its commands run as that user.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path


def find_bin_dir() -> Path | None:
    """Where initdb and pg_ctl live: PATH first, then Debian's versioned folders (newest first)."""
    on_path = shutil.which("initdb")
    if on_path:
        return Path(on_path).parent
    for candidate in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (candidate / "initdb").exists():
            return candidate
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class PostgresServer:
    bin_dir: Path
    root: Path
    port: int
    user: str | None  # the OS user the server runs as (None: the current user)

    @property
    def admin_url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def _run(self, args: Sequence[str]) -> None:
        kwargs: dict[str, object] = {"check": True, "capture_output": True, "text": True}
        if self.user:
            kwargs["user"] = self.user
        subprocess.run([str(self.bin_dir / args[0]), *args[1:]], **kwargs)  # type: ignore[call-overload]

    @classmethod
    def start(cls) -> PostgresServer:
        bin_dir = find_bin_dir()
        if bin_dir is None:
            raise FileNotFoundError("no PostgreSQL server binaries (initdb) on this machine")
        user = None
        if os.geteuid() == 0:
            user = "postgres"
            pwd.getpwnam(user)  # KeyError when the package did not create it
        root = Path(tempfile.mkdtemp(prefix="rpdesk-pg-"))
        if user:
            shutil.chown(root, user)
        server = cls(bin_dir, root, _free_port(), user)
        data = root / "data"
        server._run(
            ["initdb", "-D", str(data), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"]
        )
        server._run(
            [
                "pg_ctl",
                "-D",
                str(data),
                "-l",
                str(root / "log"),
                "-w",
                "-o",
                f"-c listen_addresses=127.0.0.1 -p {server.port} -k {root} -c fsync=off "
                "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200",
                "start",
            ]
        )
        return server

    def stop(self) -> None:
        try:
            self._run(["pg_ctl", "-D", str(self.root / "data"), "-m", "immediate", "-w", "stop"])
        finally:
            shutil.rmtree(self.root, ignore_errors=True)
