"""Place: ward and LSOA boundaries, context map layers (streets, basemaps), places of priorities and actions.

New tables only, so an older database upgrades without touching its rows.

Revision ID: 0003_place
Revises: 0002_answer_issue_index
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0003_place'
down_revision = '0002_answer_issue_index'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('map_layer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ward_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('kind', sa.Enum('streets', 'basemap', name='layer_kind', native_enum=False, create_constraint=True, length=24), nullable=False),
    sa.Column('file_name', sa.String(length=260), nullable=False),
    sa.Column('path', sa.String(length=500), nullable=True),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('features', sa.Integer(), nullable=False),
    sa.Column('added_at', sa.DateTime(), nullable=False),
    sa.Column('added_by', sa.String(length=80), nullable=False),
    sa.ForeignKeyConstraint(['ward_id'], ['ward.id'], name=op.f('fk_map_layer_ward_id_ward'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_map_layer')),
    sa.UniqueConstraint('ward_id', 'name', name=op.f('uq_map_layer_ward_id'))
    )
    with op.batch_alter_table('map_layer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_map_layer_ward_id'), ['ward_id'], unique=False)

    op.create_table('ward_area',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ward_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('ward', 'lsoa', name='area_kind', native_enum=False, create_constraint=True, length=24), nullable=False),
    sa.Column('code', sa.String(length=9), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=True),
    sa.Column('source', sa.String(length=260), nullable=False),
    sa.Column('geometry', sa.Text(), nullable=False),
    sa.Column('min_x', sa.Float(), nullable=False),
    sa.Column('min_y', sa.Float(), nullable=False),
    sa.Column('max_x', sa.Float(), nullable=False),
    sa.Column('max_y', sa.Float(), nullable=False),
    sa.ForeignKeyConstraint(['ward_id'], ['ward.id'], name=op.f('fk_ward_area_ward_id_ward'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ward_area')),
    sa.UniqueConstraint('ward_id', 'kind', 'code', name=op.f('uq_ward_area_ward_id'))
    )
    with op.batch_alter_table('ward_area', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ward_area_ward_id'), ['ward_id'], unique=False)

    op.create_table('street_segment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('layer_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=True),
    sa.Column('road_class', sa.String(length=60), nullable=True),
    sa.Column('geometry', sa.Text(), nullable=False),
    sa.Column('min_x', sa.Float(), nullable=False),
    sa.Column('min_y', sa.Float(), nullable=False),
    sa.Column('max_x', sa.Float(), nullable=False),
    sa.Column('max_y', sa.Float(), nullable=False),
    sa.ForeignKeyConstraint(['layer_id'], ['map_layer.id'], name=op.f('fk_street_segment_layer_id_map_layer'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_street_segment'))
    )
    with op.batch_alter_table('street_segment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_street_segment_layer_id'), ['layer_id'], unique=False)

    op.create_table('record_place',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ward_id', sa.Integer(), nullable=False),
    sa.Column('priority_id', sa.Integer(), nullable=True),
    sa.Column('action_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.Enum('street', 'named', 'point', name='place_kind', native_enum=False, create_constraint=True, length=24), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('easting', sa.Float(), nullable=False),
    sa.Column('northing', sa.Float(), nullable=False),
    sa.Column('radius_m', sa.Float(), nullable=False),
    sa.CheckConstraint('(priority_id IS NULL) <> (action_id IS NULL)', name=op.f('ck_record_place_one_record')),
    sa.CheckConstraint('radius_m > 0', name=op.f('ck_record_place_radius_m')),
    sa.ForeignKeyConstraint(['action_id'], ['partner_action.id'], name=op.f('fk_record_place_action_id_partner_action'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['priority_id'], ['priority.id'], name=op.f('fk_record_place_priority_id_priority'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['ward_id'], ['ward.id'], name=op.f('fk_record_place_ward_id_ward'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_record_place'))
    )
    with op.batch_alter_table('record_place', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_record_place_action_id'), ['action_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_record_place_priority_id'), ['priority_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_record_place_ward_id'), ['ward_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('record_place', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_record_place_ward_id'))
        batch_op.drop_index(batch_op.f('ix_record_place_priority_id'))
        batch_op.drop_index(batch_op.f('ix_record_place_action_id'))

    op.drop_table('record_place')
    with op.batch_alter_table('street_segment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_street_segment_layer_id'))

    op.drop_table('street_segment')
    with op.batch_alter_table('ward_area', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ward_area_ward_id'))

    op.drop_table('ward_area')
    with op.batch_alter_table('map_layer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_map_layer_ward_id'))

    op.drop_table('map_layer')
