"""merge the value history and the questionnaires branches

0002 (indicator value history, evidence files, admin actions) and 0003 (questionnaires and
responses) were written in parallel on top of 0001 and touch different tables; this revision only
joins them so `flask db upgrade` has a single head. It changes no schema.

Revision ID: 0004
Revises: 0002, 0003
Create Date: 2026-11-22 18:49:00.438759

"""

# revision identifiers, used by Alembic.
revision = '0004'
down_revision = ('0002', '0003')
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
