"""admin_actions.params

The facts of an administrator's action as named values, so that the log can be read in Kazakh and
Russian as well as in the English `detail` written at the time. Entries written before keep their
`detail` and no params; the log shows them as they were.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-23 10:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('admin_actions', sa.Column('params', sa.JSON(), nullable=True))


def downgrade():
    op.drop_column('admin_actions', 'params')
