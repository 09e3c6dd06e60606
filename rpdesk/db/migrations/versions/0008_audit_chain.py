"""The change log becomes the s.62 log: activity, ward, database role, recipient and a hash chain.

Existing entries are kept: each gets its activity from its operation (insert: collection, update:
alteration, delete: erasure, an import: collection), its place in the chain (``seq`` in id order)
and its hash, so an older database's history is covered by ``audit verify`` from the start.
The ``audit_head`` row holds the chain's last entry. Triggers on both backends refuse DELETE of
log rows and UPDATE of any column but ``changes`` (retention redacts old values there; the chain
covers them through ``changes_sha256``). (A later migration that rebuilds ``change_log`` in SQLite batch mode must
create these triggers again.)

Revision ID: 0008_audit_chain
Revises: 0007_ward_access
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_audit_chain"
down_revision = "0007_ward_access"
branch_labels = None
depends_on = None

_ACTIVITY = {"insert": "collection", "update": "alteration", "delete": "erasure", "erase": "erasure"}
_REFUSAL = "the s.62 log is append-only"
#: Every column but ``changes``, which retention may redact (the chain covers it through changes_sha256).
_FIXED = (
    "id, seq, at, os_user, db_role, activity, table_name, row_id, ward_id, operation, recipient, "
    "changes_sha256, prev_hash, hash"
)
_SQLITE_TRIGGERS = (
    f"CREATE TRIGGER change_log_no_update BEFORE UPDATE OF {_FIXED} ON change_log "
    f"BEGIN SELECT RAISE(ABORT, '{_REFUSAL}'); END",
    f"CREATE TRIGGER change_log_no_delete BEFORE DELETE ON change_log BEGIN SELECT RAISE(ABORT, '{_REFUSAL}'); END",
)
_PG_TRIGGERS = (
    "CREATE FUNCTION rpdesk_log_append_only() RETURNS trigger LANGUAGE plpgsql AS "
    f"$$ BEGIN RAISE EXCEPTION '{_REFUSAL}'; END $$",
    f"CREATE TRIGGER change_log_append_only BEFORE UPDATE OF {_FIXED} OR DELETE ON change_log "
    "FOR EACH ROW EXECUTE FUNCTION rpdesk_log_append_only()",
)


def _chain_existing() -> None:
    from rpdesk.db.changelog import GENESIS, entry_hash, text_sha256

    bind = op.get_bind()
    rows = bind.execute(sa.text("SELECT id, at, os_user, table_name, row_id, operation, changes FROM change_log ORDER BY id"))
    prev, updates = GENESIS, []
    for seq, r in enumerate(rows.mappings(), start=1):
        entry = {**r, "seq": seq, "activity": _ACTIVITY.get(r["operation"], "collection"), "db_role": None}
        entry.update(ward_id=None, recipient=None, changes_sha256=text_sha256(r["changes"]))
        digest = entry_hash(entry, prev)
        updates.append(
            {
                "id": r["id"],
                "seq": seq,
                "activity": entry["activity"],
                "changes_sha256": entry["changes_sha256"],
                "prev": prev,
                "hash": digest,
            }
        )
        prev = digest
    if updates:
        bind.execute(
            sa.text(
                "UPDATE change_log SET seq = :seq, activity = :activity, changes_sha256 = :changes_sha256, "
                "prev_hash = :prev, hash = :hash WHERE id = :id"
            ),
            updates,
        )
    bind.execute(sa.text("INSERT INTO audit_head (id, seq, hash) VALUES (1, :seq, :hash)"), {"seq": len(updates), "hash": prev})


def upgrade() -> None:
    with op.batch_alter_table("change_log") as batch_op:
        batch_op.add_column(sa.Column("seq", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("db_role", sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column("activity", sa.String(length=12), nullable=True))
        batch_op.add_column(sa.Column("ward_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("recipient", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("changes_sha256", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("prev_hash", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("hash", sa.String(length=64), nullable=True))
    op.create_table(
        "audit_head",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_head")),
    )
    _chain_existing()
    with op.batch_alter_table("change_log") as batch_op:
        for name in ("seq", "activity", "changes_sha256", "prev_hash", "hash"):
            batch_op.alter_column(name, existing_type=sa.Integer() if name == "seq" else sa.String(), nullable=False)
        batch_op.create_unique_constraint(op.f("uq_change_log_seq"), ["seq"])
        batch_op.create_index("ix_change_log_ward_at", ["ward_id", "at"], unique=False)
    for statement in _PG_TRIGGERS if op.get_bind().dialect.name == "postgresql" else _SQLITE_TRIGGERS:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER change_log_append_only ON change_log")
        op.execute("DROP FUNCTION rpdesk_log_append_only()")
    else:
        op.execute("DROP TRIGGER change_log_no_update")
        op.execute("DROP TRIGGER change_log_no_delete")
    op.drop_table("audit_head")
    with op.batch_alter_table("change_log") as batch_op:
        batch_op.drop_index("ix_change_log_ward_at")
        batch_op.drop_constraint(op.f("uq_change_log_seq"), type_="unique")
        for name in ("hash", "prev_hash", "changes_sha256", "recipient", "ward_id", "activity", "db_role", "seq"):
            batch_op.drop_column(name)
