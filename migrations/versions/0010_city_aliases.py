"""cities.aliases

Other names a city goes or went by ("Nur-Sultan" for Astana, "Chimkent" for Shymkent), so that files
written in another year or transliteration still name the right city. Existing cities start with no
alias, except the 17 shipped ones, which get the aliases of smartcity_survey/data/cities.csv as it
was when this migration was written (a later edit of that file must not rewrite history here). An
alias an administrator already set is never overwritten.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-23 07:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

SHIPPED_ALIASES = {
    "astana": "Nur-Sultan; Nur Sultan; Нур-Султан; Нұр-Сұлтан",
    "almaty": "Alma-Ata; Алма-Ата",
    "shymkent": "Chimkent; Чимкент",
    "kyzylorda": "Qyzylorda; Kzyl-Orda; Кзыл-Орда",
    "karaganda": "Karagandy; Qaraghandy; Qaragandy",
    "kokshetau": "Kokchetav; Кокчетав",
    "aktobe": "Aqtobe; Aktyubinsk; Актюбинск",
    "taldykorgan": "Taldyqorgan",
    "atyrau": "Guryev; Гурьев",
    "oskemen": "Öskemen",
    "kostanay": "Qostanay; Kustanay; Кустанай",
    "aktau": "Aqtau",
    "petropavl": "Petropavlovsk",
    "turkestan": "Turkistan; Türkistan",
}


# Not batch mode, as in 0008: both SQLite (>= 3.35) and PostgreSQL add and drop a plain column in place.
def upgrade():
    op.add_column('cities', sa.Column('aliases', sa.Text(), server_default='', nullable=False))
    cities = sa.table('cities', sa.column('slug', sa.String), sa.column('aliases', sa.Text))
    op.get_bind().execute(
        cities.update().where(cities.c.slug == sa.bindparam('city'), cities.c.aliases == '')
        .values(aliases=sa.bindparam('names')),
        [{"city": slug, "names": names} for slug, names in SHIPPED_ALIASES.items()])


def downgrade():
    op.drop_column('cities', 'aliases')
