"""Officers' official contact fields replace the free-text contact.

``officer.contact`` took any text, and every community briefing printed it: a personal mobile and
home address typed there reached the public. It becomes ``email`` (a force address) and ``phone``
(a team landline or 101), checked on entry. From the old text only what validates as official is
kept (a force address anywhere in it; a phone only when the text is nothing but that number); the
rest is dropped with the column, so no private text survives to reach a document.

Revision ID: 0005_official_contacts
Revises: 0004_no_duplicates
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from rpdesk.domain.contacts import from_free_text
from rpdesk.errors import UserError
from rpdesk.settings import Settings

revision = "0005_official_contacts"
down_revision = "0004_no_duplicates"
branch_labels = None
depends_on = None


def _domain() -> str:
    """The force e-mail domain setting; its default when the settings cannot be read here."""
    try:
        return Settings.load().force_email_domain
    except UserError:
        return Settings.force_email_domain.default


def upgrade() -> None:
    with op.batch_alter_table("officer") as batch_op:
        batch_op.add_column(sa.Column("email", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("phone", sa.String(length=40), nullable=True))
    officer = sa.table(
        "officer", sa.column("id", sa.Integer), sa.column("contact", sa.String), sa.column("email", sa.String),
        sa.column("phone", sa.String),
    )
    bind = op.get_bind()
    domain = _domain()
    rows = bind.execute(sa.select(officer.c.id, officer.c.contact).where(officer.c.contact.is_not(None))).all()
    for officer_id, contact in rows:
        email, phone = from_free_text(contact, domain)
        bind.execute(sa.update(officer).where(officer.c.id == officer_id).values(email=email, phone=phone))
    with op.batch_alter_table("officer") as batch_op:
        batch_op.drop_column("contact")


def downgrade() -> None:
    with op.batch_alter_table("officer") as batch_op:
        batch_op.add_column(sa.Column("contact", sa.String(length=200), nullable=True))
    officer = sa.table(
        "officer", sa.column("contact", sa.String), sa.column("email", sa.String), sa.column("phone", sa.String)
    )
    joined = sa.func.coalesce(officer.c.email, officer.c.phone)
    op.get_bind().execute(sa.update(officer).values(contact=joined))
    with op.batch_alter_table("officer") as batch_op:
        batch_op.drop_column("phone")
        batch_op.drop_column("email")
