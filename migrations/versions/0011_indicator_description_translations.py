"""indicators.description_ru, indicators.description_kk

How an indicator is measured, in Russian and Kazakh, for the officers who report it (the English one
stays in `description`). Existing indicators start without them, except the shipped 2019 catalogue's:
an indicator of the 2019 standard whose code and English description are still those of
migrations/data/0011_indicator_descriptions.csv (a frozen copy of the catalogue's translations as
they were when this migration was written) gets its translations. A description an administrator
rewrote is left alone: its translation would no longer say the same thing.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-23 10:00:00

"""
import csv
from pathlib import Path

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

SHIPPED = Path(__file__).resolve().parent.parent / "data" / "0011_indicator_descriptions.csv"


def upgrade():
    op.add_column('indicators', sa.Column('description_ru', sa.Text(), server_default='', nullable=False))
    op.add_column('indicators', sa.Column('description_kk', sa.Text(), server_default='', nullable=False))
    with SHIPPED.open(encoding="utf-8", newline="") as handle:
        shipped = list(csv.DictReader(handle))
    indicators = sa.table('indicators', sa.column('standard_id', sa.Integer), sa.column('code', sa.String),
                          sa.column('description', sa.Text), sa.column('description_ru', sa.Text),
                          sa.column('description_kk', sa.Text))
    versions = sa.table('standard_versions', sa.column('id', sa.Integer), sa.column('year', sa.Integer))
    op.get_bind().execute(
        indicators.update()
        .where(indicators.c.standard_id.in_(sa.select(versions.c.id).where(versions.c.year == 2019)),
               indicators.c.code == sa.bindparam('the_code'),
               indicators.c.description == sa.bindparam('english'))
        .values(description_ru=sa.bindparam('russian'), description_kk=sa.bindparam('kazakh')),
        [{"the_code": row["code"], "english": row["description_en"], "russian": row["description_ru"],
          "kazakh": row["description_kk"]} for row in shipped])


def downgrade():
    op.drop_column('indicators', 'description_kk')
    op.drop_column('indicators', 'description_ru')
