"""indicator value history, evidence files, admin actions

Three new append-only tables; no existing table changes, so a database at 0001 keeps every row.
Values that existed before this revision simply have no history rows until their next change.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 18:18:00.473909

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('admin_actions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('actor', sa.String(length=254), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('target_user_id', sa.Integer(), nullable=True),
    sa.Column('detail', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_admin_actions_actor_id_users')),
    sa.ForeignKeyConstraint(['target_user_id'], ['users.id'], name=op.f('fk_admin_actions_target_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_admin_actions'))
    )
    op.create_table('evidence_files',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('value_id', sa.Integer(), nullable=False),
    sa.Column('original_name', sa.String(length=200), nullable=False),
    sa.Column('stored_name', sa.String(length=80), nullable=False),
    sa.Column('content_type', sa.String(length=40), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('uploaded_by', sa.String(length=254), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('uploaded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_evidence_files_uploaded_by_id_users')),
    sa.ForeignKeyConstraint(['value_id'], ['indicator_values.id'], name=op.f('fk_evidence_files_value_id_indicator_values')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evidence_files')),
    sa.UniqueConstraint('stored_name', name=op.f('uq_evidence_files_stored_name'))
    )
    with op.batch_alter_table('evidence_files', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evidence_files_value_id'), ['value_id'], unique=False)

    op.create_table('indicator_value_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('value_id', sa.Integer(), nullable=False),
    sa.Column('actor', sa.String(length=254), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('old_value', sa.Double(), nullable=True),
    sa.Column('new_value', sa.Double(), nullable=True),
    sa.Column('old_not_applicable', sa.Boolean(), nullable=True),
    sa.Column('new_not_applicable', sa.Boolean(), nullable=True),
    sa.Column('old_status', sa.String(length=20), nullable=True),
    sa.Column('new_status', sa.String(length=20), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('changed_fields', sa.String(length=200), nullable=False),
    sa.Column('detail', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_indicator_value_changes_actor_id_users')),
    sa.ForeignKeyConstraint(['value_id'], ['indicator_values.id'], name=op.f('fk_indicator_value_changes_value_id_indicator_values')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_indicator_value_changes'))
    )
    with op.batch_alter_table('indicator_value_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_indicator_value_changes_value_id'), ['value_id'], unique=False)


def downgrade():
    with op.batch_alter_table('indicator_value_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_indicator_value_changes_value_id'))

    op.drop_table('indicator_value_changes')
    with op.batch_alter_table('evidence_files', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evidence_files_value_id'))

    op.drop_table('evidence_files')
    op.drop_table('admin_actions')
