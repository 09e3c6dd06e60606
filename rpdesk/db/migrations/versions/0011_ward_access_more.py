"""Ward-scoped access for the ward data added after 0007: the answer tallies and the s.62 log.

On PostgreSQL only (SQLite files have no logins). ``response_tally`` and ``answer_tally`` (0009)
get the same four policies as every ward table, their ward being their survey round's. The s.62
log ``change_log`` (its ward column came with 0008) is read by ward: officers and sergeants read
the entries of the wards granted and the entries with no ward that they wrote themselves (their
database role); supervisors and administrators read every entry. A login appends entries for the
wards it may read (a supervisor's consultation of another ward is logged too) and no ward, always
under its own database role, so nobody can write an entry in another's name. Retention's redaction
of old values (the one UPDATE 0008's triggers allow) is for the wards a login may write (entries
with no ward: administrators); DELETE has no policy, and 0008's trigger refuses it anyway.
Appending still works for every login: the chain is serialised through the ``audit_head`` row, which
has no ward and no policy, and each append reads the head there, never the (now filtered) log.

Logins registered before the upgrade are granted the table privileges again, so they reach the
tables added since they were granted (``audit_head``, the tallies).

Revision ID: 0011_ward_access_more
Revises: 0010_absent
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from rpdesk.db.ward_policies import drop_ward_policies, ward_policies
from rpdesk.services.access import table_privileges

revision = "0011_ward_access_more"
down_revision = "0010_absent"
branch_labels = None
depends_on = None

_TALLIES = ("response_tally", "answer_tally")
_ROUND_WARD = "(SELECT p.ward_id FROM survey_round p WHERE p.id = {table}.round_id)"
#: An entry with no ward is its writer's alone (administrators and supervisors pass rpdesk_ward_ok anyway).
_OWN = "(ward_id IS NULL AND db_role = current_user::text)"
_LOG_POLICIES = (
    "ALTER TABLE change_log ENABLE ROW LEVEL SECURITY",
    f"CREATE POLICY rpdesk_read ON change_log FOR SELECT USING (rpdesk_ward_ok(ward_id, false) OR {_OWN})",
    "CREATE POLICY rpdesk_insert ON change_log FOR INSERT WITH CHECK "
    "(db_role = current_user::text AND (ward_id IS NULL OR rpdesk_ward_ok(ward_id, false)))",
    "CREATE POLICY rpdesk_update ON change_log FOR UPDATE USING (rpdesk_ward_ok(ward_id, true)) "
    "WITH CHECK (rpdesk_ward_ok(ward_id, true))",
)


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    for table in _TALLIES:
        for statement in ward_policies(table, _ROUND_WARD.format(table=table)):
            op.execute(statement)
    for statement in _LOG_POLICIES:
        op.execute(statement)
    registered = bind.execute(
        sa.text("SELECT r.login, r.role FROM access_role r JOIN pg_roles p ON p.rolname = r.login ORDER BY r.login")
    )
    for login, role in registered.all():
        table_privileges(bind, login, role)


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for policy in ("read", "insert", "update"):
        op.execute(f"DROP POLICY rpdesk_{policy} ON change_log")
    op.execute("ALTER TABLE change_log DISABLE ROW LEVEL SECURITY")
    for table in _TALLIES:
        for statement in drop_ward_policies(table):
            op.execute(statement)
