"""Minimisation: an officer-day's absence may be recorded as plain "absent", without a reason.

Why an officer was away (leave, sickness, a rest day) is staff health and personnel data the
ring-fence figures do not need: they treat every absence alike. Unless a force enables the
``record_absence_reason`` setting, rpdesk now stores "absent". This revision only widens the
absence column's check to accept that word; rows already held keep what they say (a setting is
not a decision to rewrite a force's records; retention governs how long they stay).

Revision ID: 0010_absent
Revises: 0009_answer_tallies
"""

from __future__ import annotations

from alembic import op

revision = "0010_absent"
down_revision = "0009_answer_tallies"
branch_labels = None
depends_on = None

_OLD = ("annual_leave", "sickness", "rest_day", "other_absence")


def _check(words: tuple[str, ...]) -> str:
    return "absence IN (" + ", ".join(f"'{w}'" for w in words) + ")"


def _replace(words: tuple[str, ...]) -> None:
    with op.batch_alter_table("duty_record") as batch_op:
        batch_op.drop_constraint(op.f("ck_duty_record_absence"), type_="check")
        batch_op.create_check_constraint("absence", _check(words))


def upgrade() -> None:
    _replace((*_OLD, "absent"))


def downgrade() -> None:
    op.execute("UPDATE duty_record SET absence = 'other_absence' WHERE absence = 'absent'")
    _replace(_OLD)
