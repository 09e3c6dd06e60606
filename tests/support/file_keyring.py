"""A keyring backend kept in a JSON file, so tests (and the CLI they start) have a keyring to use.

Chosen with ``PYTHON_KEYRING_BACKEND=tests.support.file_keyring.FileKeyring``; the file is named by
``RPDESK_TEST_KEYRING``. Tests never touch the real keyring of the machine they run on.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError


class FileKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    @property
    def file(self) -> Path:
        return Path(os.environ["RPDESK_TEST_KEYRING"])

    def _load(self) -> dict[str, str]:
        return json.loads(self.file.read_text()) if self.file.exists() else {}

    def get_password(self, service: str, username: str) -> str | None:
        return self._load().get(f"{service}\n{username}")

    def set_password(self, service: str, username: str, password: str) -> None:
        entries = self._load()
        entries[f"{service}\n{username}"] = password
        self.file.write_text(json.dumps(entries))

    def delete_password(self, service: str, username: str) -> None:
        entries = self._load()
        if entries.pop(f"{service}\n{username}", None) is None:
            raise PasswordDeleteError(username)
        self.file.write_text(json.dumps(entries))
