"""Ward-scoped access on the shared PostgreSQL server: who may read and write which wards.

The roles and grants are rows in the database (``access_role``, ``access_grant``); PostgreSQL's
row-level security policies (migration 0007) read them on every statement, so the limit holds
for any program that connects with the login, raw SQL included, not only for rpdesk:

- officer and sergeant: read and write the wards granted;
- supervisor: read every ward, write the wards granted;
- administrator: read and write every ward, and may change the grants.

The owner of the tables (the login that created or upgraded the database) is not subject to the
policies and is the one who first grants access. Granting also gives the login the table
privileges rpdesk needs (never the right to change the grants, except for administrators).
An SQLite file has no logins; its protection is the file's own permissions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import Connection, delete, select, text
from sqlalchemy.orm import Session

from rpdesk.db.models import AccessGrant, AccessRole, Ward
from rpdesk.errors import UserError
from rpdesk.services.wards import get_ward

ROLES: tuple[str, ...] = ("officer", "sergeant", "supervisor", "administrator")
#: PostgreSQL login names rpdesk will quote into GRANT statements (what ``CREATE ROLE name`` accepts unquoted).
LOGIN = re.compile(r"[a-z_][a-z0-9_$]{0,62}")
#: Tables only an administrator (or the owner) may write: the grants themselves and the schema revision.
PROTECTED = ("access_role", "access_grant", "alembic_version")


@dataclass(frozen=True)
class Access:
    """One login's role and the wards granted to it (codes, sorted)."""

    login: str
    role: str
    wards: tuple[str, ...]

    def as_row(self) -> dict[str, object]:
        return {"login": self.login, "role": self.role, "wards": list(self.wards)}


def _server_only(session: Session) -> None:
    if session.get_bind().dialect.name != "postgresql":
        raise UserError(
            "Ward-scoped access is for the shared PostgreSQL database; an SQLite file has no logins "
            "(it is protected by who can open the file)."
        )


def _login(session: Session, login: str) -> str:
    name = login.strip()
    if not LOGIN.fullmatch(name):
        raise UserError(f"'{login}' is not a database login name: expected lower-case letters, digits and _.")
    if session.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :n"), {"n": name}).first() is None:
        raise UserError(
            f"There is no database login '{name}' on the server. Ask the database administrator to create it "
            f"(CREATE ROLE {name} LOGIN), then grant it access here."
        )
    return name


def table_privileges(session: Session | Connection, login: str, role: str) -> None:
    """What rpdesk needs to work as ``login``; the policies then limit which rows it sees and changes.

    Granted on the tables that exist now: a migration that adds tables grants them again to every
    login already registered (as 0011 does), so a login granted earlier keeps working after an upgrade.
    """
    schema = session.execute(text("SELECT current_schema()")).scalar_one()
    session.execute(text(f'GRANT USAGE ON SCHEMA "{schema}" TO "{login}"'))
    session.execute(text(f'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA "{schema}" TO "{login}"'))
    session.execute(text(f'GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA "{schema}" TO "{login}"'))
    if role != "administrator":
        session.execute(text(f'REVOKE INSERT, UPDATE, DELETE ON {", ".join(PROTECTED)} FROM "{login}"'))


def grant(session: Session, login: str, role: str, wards: list[str]) -> Access:
    """Give ``login`` the ``role`` and add ``wards`` to what it may work in (earlier grants are kept)."""
    _server_only(session)
    name = _login(session, login)
    role = role.strip().lower()
    if role not in ROLES:
        raise UserError(f"'{role}' is not a role: expected one of {', '.join(ROLES)}.")
    ward_ids = [get_ward(session, code).id for code in wards]
    held = session.get(AccessRole, name)
    if held is None:
        session.add(AccessRole(login=name, role=role))
    else:
        held.role = role
    session.flush()
    granted = set(session.scalars(select(AccessGrant.ward_id).where(AccessGrant.login == name)))
    session.add_all(AccessGrant(login=name, ward_id=w) for w in dict.fromkeys(ward_ids) if w not in granted)
    table_privileges(session, name, role)
    session.flush()
    return _access(session, name)


def revoke(session: Session, login: str, wards: list[str]) -> Access | None:
    """Take ``wards`` from ``login``; with no wards, take its role and table privileges away altogether."""
    _server_only(session)
    name = login.strip()
    if session.get(AccessRole, name) is None:
        raise UserError(f"The login '{name}' has no rpdesk role; 'rpdesk-cli access list' shows who has.")
    if wards:
        ids = [get_ward(session, code).id for code in wards]
        session.execute(delete(AccessGrant).where(AccessGrant.login == name, AccessGrant.ward_id.in_(ids)))
        return _access(session, name)
    session.execute(delete(AccessRole).where(AccessRole.login == name))
    schema = session.execute(text("SELECT current_schema()")).scalar_one()
    session.execute(text(f'REVOKE ALL ON ALL TABLES IN SCHEMA "{schema}" FROM "{name}"'))
    session.execute(text(f'REVOKE ALL ON ALL SEQUENCES IN SCHEMA "{schema}" FROM "{name}"'))
    return None


def _access(session: Session, login: str) -> Access:
    role = session.get(AccessRole, login)
    assert role is not None
    codes = session.scalars(
        select(Ward.code).join(AccessGrant, AccessGrant.ward_id == Ward.id).where(AccessGrant.login == login)
    )
    return Access(login, role.role, tuple(sorted(codes)))


def list_access(session: Session) -> list[Access]:
    """Every login with an rpdesk role, with its wards."""
    _server_only(session)
    return [_access(session, login) for login in session.scalars(select(AccessRole.login).order_by(AccessRole.login))]
