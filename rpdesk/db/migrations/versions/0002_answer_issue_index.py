"""Drop the survey-answer index on issue_id.

No query uses it (rankings and assessments reach a round's answers through the primary key, by
response id range), and maintaining it cost survey imports about 40% of their insert time.

Revision ID: 0002_answer_issue_index
Revises: 0001_initial
"""

from __future__ import annotations

from alembic import op

revision = "0002_answer_issue_index"
down_revision = "0001_initial"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("survey_answer") as batch_op:
        batch_op.drop_index("ix_survey_answer_issue")


def downgrade() -> None:
    with op.batch_alter_table("survey_answer") as batch_op:
        batch_op.create_index("ix_survey_answer_issue", ["issue_id"], unique=False)
