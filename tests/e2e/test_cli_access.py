"""``rpdesk-cli access grant|revoke|list`` on the shared PostgreSQL database, and a clear refusal on SQLite."""

from __future__ import annotations

import json
import os

import pytest
from sqlalchemy import create_engine, text

from tests.conftest import new_postgres_url

WARD = "E05000001"


@pytest.mark.postgres
def test_grant_list_and_revoke_through_the_cli(cli, postgres_server):
    url = new_postgres_url(postgres_server)
    assert cli("db", "init", "--db", url).returncode == 0
    assert cli("wards", "add", "--db", url, "--code", WARD, "--name", "Northgate").returncode == 0
    login = f"pc_cli_{os.getpid()}"
    engine = create_engine(postgres_server.admin_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as con:
        con.execute(text(f"CREATE ROLE {login} LOGIN"))
    engine.dispose()

    granted = cli("access", "grant", "--db", url, "--login", login, "--role", "officer", "--ward", WARD)
    assert granted.returncode == 0, granted.stderr
    assert f"{login}: officer; wards {WARD}" in granted.stdout
    listed = json.loads(cli("access", "list", "--db", url, "--format", "json").stdout)
    assert listed == [{"login": login, "role": "officer", "wards": [WARD]}]
    missing = cli("access", "grant", "--db", url, "--login", "no_such_login", "--role", "officer", "--ward", WARD)
    assert missing.returncode == 3 and "no database login 'no_such_login'" in missing.stderr
    assert "Traceback" not in missing.stderr

    revoked = cli("access", "revoke", "--db", url, "--login", login)
    assert revoked.returncode == 0, revoked.stderr
    assert json.loads(cli("access", "list", "--db", url, "--format", "json").stdout) == []


def test_on_an_sqlite_file_access_is_refused_with_a_reason(cli, tmp_path):
    url = f"sqlite:///{tmp_path / 'ward.sqlite'}"
    assert cli("db", "init", "--db", url).returncode == 0
    result = cli("access", "list", "--db", url)
    assert result.returncode == 3
    assert "shared PostgreSQL database" in result.stderr and "Traceback" not in result.stderr
