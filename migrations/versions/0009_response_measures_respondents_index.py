"""response_measures: a covering index led by response_id

The perceived groups' n counts each respondent once across areas, which groups a year's measures by
response. An index on (response_id, year, kind, city_id, audience, code, weight) lets that run without a
sort or a table lookup; it also serves what the single-column response_id index it replaces served (the
cascade delete), so a stored response still writes the same number of index entries.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-23 04:30:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_response_measures_respondents', 'response_measures',
                    ['response_id', 'year', 'kind', 'city_id', 'audience', 'code', 'weight'], unique=False)
    op.drop_index('ix_response_measures_response_id', table_name='response_measures')


def downgrade():
    op.create_index('ix_response_measures_response_id', 'response_measures', ['response_id'], unique=False)
    op.drop_index('ix_response_measures_respondents', table_name='response_measures')
