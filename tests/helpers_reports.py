"""A small survey year for the report pages, built through the real services, and an HTML table reader.

The world: the bundled standard and 17 cities with demo official values for 2019 and 2020 (verified);
the shipped questionnaires open in 2020; Almaty with 32 residents who rate housing and communal
services 1 or 2 of 5 and everything else 4 or 5 (its official housing percent is high, so the area is
flagged "perception lags") and 30 businesses; Aktau with 5 residents (every cell suppressed); Astana and Karaganda with 31 and 30
residents (three cities with a perceived level, so Spearman's rho exists). Almaty also has
an approved suggestion carrying an XSS payload, a pending one and a hidden one, and one 2020 value
back in draft with a different number (a draft score that differs from the verified one).
"""
from __future__ import annotations

from html.parser import HTMLParser

import pytest
from sqlalchemy import select

from smartcity_survey import create_app
from smartcity_survey import questionnaire_spec as spec
from smartcity_survey.answering import check_answers
from smartcity_survey.extensions import db
from smartcity_survey.models import City, Indicator, IndicatorValue, Questionnaire
from smartcity_survey.services.cities import load_cities
from smartcity_survey.services.demo import fill_demo_year
from smartcity_survey.services.moderation import list_suggestions, review_suggestion
from smartcity_survey.services.questionnaires import load_default_questionnaires, open_questionnaire
from smartcity_survey.services.responses import store_response
from smartcity_survey.services.standards import load_bundled_standard
from tests.helpers import app_config
from tests.helpers_auth import make_user

YEAR, BEFORE = 2020, 2019
XSS = '<script>alert("x")</script> & more night buses'
PENDING, HIDDEN = "PENDING: not yet moderated", "HIDDEN: refused by the moderator"
#: the indicator put back in draft (percent method) and its draft value
DRAFT_CODE, DRAFT_VALUE = "ctm_public_services_electronic", 3.0
RESIDENTS = {"almaty": 32, "aktau": 5, "astana": 31, "karaganda": 30}
BUSINESSES = {"almaty": 30}
LOW_AREA = "hcs"  #: Almaty's residents rate it 1 or 2 of 5
#: role -> (e-mail, role, city)
ACCOUNTS = {"officer": ("officer@almaty.kz", "akimat", "almaty"),
            "other_officer": ("officer@astana.kz", "akimat", "astana"),
            "analyst": ("analyst@gov.kz", "analyst", None)}


@pytest.fixture(scope="module")
def report_app(database_url):
    """An app on the test database holding the report world for the whole module (built once, a few
    seconds). No app context stays pushed, so each test request gets its own, as in production."""
    app = create_app(app_config(database_url))
    with app.app_context():
        _empty_tables()
        build_report_world()
        for email, role, city in ACCOUNTS.values():
            make_user(email, role, city)
        db.session.remove()
    yield app
    with app.app_context():
        _empty_tables()
        db.session.remove()
        db.engine.dispose()


def _empty_tables() -> None:
    db.session.rollback()
    with db.engine.begin() as conn:
        for table in reversed(db.metadata.sorted_tables):
            conn.execute(table.delete())


def signed_in_client(app, role: str):
    """A client holding the session of one of ACCOUNTS (signing in itself is tested in test_auth.py)."""
    from smartcity_survey.models import User

    client = app.test_client()
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == ACCOUNTS[role][0]))
        ident = user.get_id()
    with client.session_transaction() as session:
        session["_user_id"], session["_fresh"] = ident, True
    return client


def build_report_world() -> None:
    """Everything above, committed (call inside an app context on an empty database)."""
    load_bundled_standard()
    load_cities()
    fill_demo_year(BEFORE)
    fill_demo_year(YEAR)
    load_default_questionnaires(YEAR)
    open_questionnaire("resident")
    open_questionnaire("business")
    cities = {c.slug: c for c in db.session.scalars(select(City))}
    for slug, count in RESIDENTS.items():
        for number in range(count):
            respond("resident", cities[slug], number, {LOW_AREA: "12"} if slug == "almaty" else {},
                    suggestion={0: XSS, 1: PENDING, 2: HIDDEN}.get(number) if slug == "almaty" else None)
    for slug, count in BUSINESSES.items():
        for number in range(count):
            respond("business", cities[slug], number, {})
    _moderate()
    _draft_value(cities["almaty"])
    db.session.commit()


def respond(audience: str, city: City, number: int, ratings: dict[str, str], suggestion: str | None = None):
    """One checked response: ratings by area from `ratings` (two ratings given in turn, default "45");
    yes to every filter question, so every rating question is asked."""
    questionnaire = db.session.scalar(select(Questionnaire).where(Questionnaire.slug == audience))
    definition = questionnaire.to_definition()
    raw: dict[str, object] = {}
    for question in definition.questions:
        raw[question.name] = _answer(definition, question, city.slug, ratings, number)
    raw["suggestion"] = suggestion
    checked = check_answers(definition, raw)
    assert checked.errors == {}, checked.errors
    return store_response(questionnaire, city, checked.values, source="web", language="en",
                          respondent_id=f"{audience}-{city.slug}-{number}")


def _answer(definition, question, city: str, ratings: dict[str, str], number: int):
    choices = [c.name for c in definition.choices_of(question.choice_list)]
    if question.type == spec.RATING:  # 4 and 5 in turn (1 and 2 where `ratings` says "low")
        return ratings.get(question.area, "45")[number % 2]
    if question.type == spec.SINGLE:
        if city in choices:
            return city
        return "yes" if "yes" in choices else choices[number % len(choices)]
    if question.type in spec.LIST_TYPES:
        return choices[:question.max_choices or question.min_choices or 1]
    return None


def _moderate() -> None:
    """The XSS payload approved under transport; the pending one left alone; the hidden one hidden."""
    for suggestion in list_suggestions(pending=True, limit=100):
        if suggestion.text == XSS:
            review_suggestion(suggestion.answer_id, "approved", area_code="its", actor="mod@gov.kz")
        elif suggestion.text == HIDDEN:
            review_suggestion(suggestion.answer_id, "hidden", area_code="its", actor="mod@gov.kz")


def _draft_value(city: City) -> None:
    """Back in draft with another number: the verified score loses it, the draft score has it."""
    value = db.session.scalar(select(IndicatorValue).join(Indicator).where(
        IndicatorValue.city_id == city.id, Indicator.code == DRAFT_CODE,
        IndicatorValue.year.has(year=YEAR)))
    value.status, value.value = "draft", DRAFT_VALUE
    db.session.flush()


# Reading pages -------------------------------------------------------------------------------------

class _TableReader(HTMLParser):
    """Text of every cell of one <table id=...>: a list of rows (the header row first)."""

    def __init__(self, table_id: str):
        super().__init__()
        self.table_id, self.inside, self.rows, self.cell = table_id, False, [], None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.inside = dict(attrs).get("id") == self.table_id
        elif self.inside and tag == "tr":
            self.rows.append([])
        elif self.inside and tag in ("td", "th") and self.rows:
            self.cell = ""

    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data

    def handle_endtag(self, tag):
        if self.inside and tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append(" ".join(self.cell.split()))
            self.cell = None
        elif tag == "table":
            self.inside = False


def page_table(html: str, name: str) -> list[list[str]]:
    """The cells of the page's report table `name` (id table-<name>), header row first."""
    reader = _TableReader(f"table-{name}")
    reader.feed(html)
    assert reader.rows, f"no table-{name} on the page"
    return reader.rows


def same_cell(page_text: str, value) -> bool:
    """A page cell against a spreadsheet/CSV cell: "—" is empty; numbers compare as numbers."""
    if page_text == "—":
        return value in (None, "")
    try:
        return float(page_text) == float(value)
    except (TypeError, ValueError):
        return page_text == str(value)
