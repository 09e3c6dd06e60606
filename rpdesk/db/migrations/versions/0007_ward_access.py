"""Ward-scoped access on the shared server: roles and per-ward grants, enforced by PostgreSQL itself.

Two tables on every backend: ``access_role`` (a database login and its rpdesk role: officer,
sergeant, supervisor or administrator) and ``access_grant`` (the wards a login may work in).
On PostgreSQL only, every table that belongs to a ward gets row-level security: a login reads the
rows of the wards it is granted (supervisors and administrators read every ward) and writes only
those (administrators: every ward). Rows without their own ``ward_id`` (survey responses and
answers, EVA observations, abstractions, action history...) follow their parent row's ward. The
owner of the tables (the role that ran this migration) is not subject to the policies; a login
not registered reads no ward rows. SQLite files have no logins: their protection is the file's.

Revision ID: 0007_ward_access
Revises: 0006_priority_public_reason
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from rpdesk.db.ward_policies import drop_ward_policies, ward_policies

revision = "0007_ward_access"
down_revision = "0006_priority_public_reason"
branch_labels = None
depends_on = None

#: Tables with their own ward column (``ward`` itself: its id).
_DIRECT: dict[str, str] = {
    "ward": "id",
    **dict.fromkeys(
        (
            "ward_lsoa",
            "import_batch",
            "survey_round",
            "audit_visit",
            "crime_record",
            "crime_month",
            "ranking_snapshot",
            "priority",
            "passed_over_signal",
            "expected_signal_set",
            "partner_action",
            "posting",
            "duty_record",
            "meeting",
            "ward_area",
            "map_layer",
        ),
        "ward_id",
    ),
}
#: Tables whose ward is their parent row's: the expression giving it (read under the parent's policy).
_THROUGH_PARENT: dict[str, str] = {
    "survey_response": "(SELECT p.ward_id FROM survey_round p WHERE p.id = survey_response.round_id)",
    "survey_answer": (
        "(SELECT r.ward_id FROM survey_response p JOIN survey_round r ON r.id = p.round_id "
        "WHERE p.id = survey_answer.response_id)"
    ),
    "audit_observation": "(SELECT p.ward_id FROM audit_visit p WHERE p.id = audit_observation.visit_id)",
    "action_status_change": "(SELECT p.ward_id FROM partner_action p WHERE p.id = action_status_change.action_id)",
    "abstraction": "(SELECT p.ward_id FROM duty_record p WHERE p.id = abstraction.duty_id)",
    "meeting_document": "(SELECT p.ward_id FROM meeting p WHERE p.id = meeting_document.meeting_id)",
    "expected_signal": "(SELECT p.ward_id FROM expected_signal_set p WHERE p.id = expected_signal.set_id)",
    "street_segment": "(SELECT p.ward_id FROM map_layer p WHERE p.id = street_segment.layer_id)",
    "record_place": (
        "COALESCE((SELECT p.ward_id FROM priority p WHERE p.id = record_place.priority_id), "
        "(SELECT a.ward_id FROM partner_action a WHERE a.id = record_place.action_id))"
    ),
}

_FUNCTION = """
CREATE FUNCTION rpdesk_ward_ok(ward integer, writing boolean) RETURNS boolean
LANGUAGE sql STABLE AS $$
  SELECT EXISTS (
    SELECT 1 FROM access_role r
    WHERE r.login = current_user
      AND (r.role = 'administrator'
           OR (r.role = 'supervisor' AND NOT writing)
           OR EXISTS (SELECT 1 FROM access_grant g WHERE g.login = r.login AND g.ward_id = ward)))
$$
"""


def upgrade() -> None:
    op.create_table(
        "access_role",
        sa.Column("login", sa.String(63), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.CheckConstraint("role IN ('officer', 'sergeant', 'supervisor', 'administrator')", name="ck_access_role_role"),
        sa.PrimaryKeyConstraint("login", name="pk_access_role"),
    )
    op.create_table(
        "access_grant",
        sa.Column("login", sa.String(63), nullable=False),
        sa.Column("ward_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["login"], ["access_role.login"], name="fk_access_grant_login_access_role", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["ward_id"], ["ward.id"], name="fk_access_grant_ward_id_ward", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("login", "ward_id", name="pk_access_grant"),
    )
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("GRANT SELECT ON access_role, access_grant TO PUBLIC")  # the policies read them as the caller
    op.execute(_FUNCTION)
    for table, expression in [*_DIRECT.items(), *_THROUGH_PARENT.items()]:
        for statement in ward_policies(table, expression):
            op.execute(statement)

def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in [*_DIRECT, *_THROUGH_PARENT]:
            for statement in drop_ward_policies(table):
                op.execute(statement)
        op.execute("DROP FUNCTION rpdesk_ward_ok(integer, boolean)")
    op.drop_table("access_grant")
    op.drop_table("access_role")
