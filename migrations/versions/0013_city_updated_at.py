"""cities.updated_at

When a city last changed. The cached reports carry city names, so their fingerprint reads this stamp:
a renamed city is shown by its new name at once. Cities already there are stamped with the upgrade's
moment.

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-23 14:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('cities', sa.Column('updated_at', sa.DateTime(timezone=True), nullable=True))
    op.execute("UPDATE cities SET updated_at = CURRENT_TIMESTAMP")


def downgrade():
    op.drop_column('cities', 'updated_at')
