"""questionnaires.definition_revision

A counter bumped whenever a questionnaire version's definition (sections, questions, choices) is
replaced, so every worker's cached definition (services/definitions.py) knows when it is stale.
Existing questionnaires start at revision 1.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-22 21:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


# Not batch mode: on SQLite that copies the table, and with foreign keys on, dropping the old copy
# fails (or cascades) once other tables refer to its rows. Both SQLite (>= 3.35) and PostgreSQL add and
# drop a plain column in place.
def upgrade():
    op.add_column('questionnaires',
                  sa.Column('definition_revision', sa.Integer(), server_default='1', nullable=False))


def downgrade():
    op.drop_column('questionnaires', 'definition_revision')
