"""A priority's public reason: what the community briefing says about a priority adopted for reasons
other than residents' answers (its justification is for the tasking meeting and may carry restricted
intelligence, so it is never printed for the public).

New nullable column only, so an older database upgrades without touching its rows.

Revision ID: 0006_priority_public_reason
Revises: 0005_official_contacts
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_priority_public_reason"
down_revision = "0005_official_contacts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("priority") as batch_op:
        batch_op.add_column(sa.Column("public_reason", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("priority") as batch_op:
        batch_op.drop_column("public_reason")
