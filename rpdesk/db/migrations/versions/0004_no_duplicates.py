"""The database refuses a doubled import itself: one file per ward and kind, one source per police.uk month.

Before this revision "already imported" and "month already held" were plain reads, so two imports
running at once could both pass them and store the same rows twice. This revision adds the keys
that make the database refuse the second, after removing doubles an older database may hold:

- a file imported twice into the same ward (same kind and SHA-256; rosters excepted, they are
  guarded per officer-day): the first import is kept, the later copies and their rows removed;
- a police.uk month held from more than one import: the rows of the first import are kept (rows
  entered without a file count as first), the later imports' rows for that month removed and their
  row counts corrected.

Nothing is lost for good: rpdesk backs the database up beside itself (PostgreSQL: into the data
folder) before any upgrade, and the upgrade runs in one transaction.

Revision ID: 0004_no_duplicates
Revises: 0003_place
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_no_duplicates"
down_revision = "0003_place"
branch_labels = None
depends_on = None

NOT_DUTY = sa.text("kind <> 'duty'")


def upgrade() -> None:
    op.execute(
        "DELETE FROM import_batch WHERE kind <> 'duty' AND EXISTS (SELECT 1 FROM import_batch AS first "
        "WHERE first.ward_id = import_batch.ward_id AND first.kind = import_batch.kind "
        "AND first.sha256 = import_batch.sha256 AND first.id < import_batch.id)"
    )
    op.drop_index("ix_import_batch_sha", table_name="import_batch")
    op.create_index(
        "uq_import_batch_content",
        "import_batch",
        ["ward_id", "kind", "sha256"],
        unique=True,
        sqlite_where=NOT_DUTY,
        postgresql_where=NOT_DUTY,
    )
    op.execute(
        "DELETE FROM crime_record WHERE import_id IS NOT NULL AND EXISTS (SELECT 1 FROM crime_record AS kept "
        "WHERE kept.ward_id = crime_record.ward_id AND kept.month = crime_record.month "
        "AND (kept.import_id IS NULL OR kept.import_id < crime_record.import_id))"
    )
    op.execute(
        "UPDATE import_batch SET rows = (SELECT count(*) FROM crime_record WHERE crime_record.import_id = "
        "import_batch.id) WHERE kind = 'crimes'"
    )
    op.create_table(
        "crime_month",
        sa.Column("ward_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["import_id"], ["import_batch.id"], name="fk_crime_month_import_id_import_batch", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["ward_id"], ["ward.id"], name="fk_crime_month_ward_id_ward", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("ward_id", "month", name="pk_crime_month"),
    )
    op.create_index("ix_crime_month_import_id", "crime_month", ["import_id"], unique=False)
    op.execute(
        "INSERT INTO crime_month (ward_id, month, import_id) "
        "SELECT ward_id, month, min(import_id) FROM crime_record GROUP BY ward_id, month"
    )


def downgrade() -> None:
    op.drop_index("ix_crime_month_import_id", table_name="crime_month")
    op.drop_table("crime_month")
    op.drop_index("uq_import_batch_content", table_name="import_batch")
    op.create_index("ix_import_batch_sha", "import_batch", ["ward_id", "kind", "sha256"], unique=False)
