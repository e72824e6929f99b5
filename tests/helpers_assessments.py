"""Helpers for the akimat-form tests: an open year, the five kinds of visitor, and a small HTML
form reader so tests post exactly what a browser would post from the rendered page."""
from __future__ import annotations

from html.parser import HTMLParser

import pytest
from werkzeug.datastructures import FileStorage
from werkzeug.security import generate_password_hash
from werkzeug.test import encode_multipart

from smartcity_survey.extensions import db
from smartcity_survey.models import Area, City, Indicator, IndicatorValue, User
from smartcity_survey.services.standards import ensure_assessment_year
from tests.helpers_auth import PASSWORD, login

YEAR = 2020
CITY_A, CITY_B = "almaty", "astana"
#: a valid answer per measurement method
ANSWER = {"yes_no": "1", "percent": "50", "numeric": "5"}


@pytest.fixture
def year_open(seeded):
    """The bundled standard, the 17 cities and assessment year 2020, committed."""
    assessment = ensure_assessment_year(YEAR)
    db.session.commit()
    return assessment


@pytest.fixture(scope="session")
def password_hash() -> str:
    """The test password's scrypt hash, computed once: hashing costs 0.1 s and tests make many users."""
    return generate_password_hash(PASSWORD, method="scrypt")


def quick_user(email: str, role: str, city: str | None, password_hash: str) -> User:
    """An account with the test password, created without hashing it again."""
    city_obj = db.session.scalar(db.select(City).where(City.slug == city)) if city else None
    user = User(email=email, role=role, city=city_obj, password_hash=password_hash)
    db.session.add(user)
    db.session.commit()
    return user


@pytest.fixture
def people(year_open, password_hash):
    """Accounts: two officers of city A, one of city B, an analyst and an admin (by e-mail)."""
    accounts = {"officer_a": ("officer@almaty.kz", "akimat", CITY_A),
                "officer_a2": ("second@almaty.kz", "akimat", CITY_A),
                "officer_b": ("officer@astana.kz", "akimat", CITY_B),
                "analyst": ("analyst@gov.kz", "analyst", None), "admin": ("admin@gov.kz", "admin", None)}
    return {key: quick_user(*spec, password_hash).email for key, spec in accounts.items()}


def signed_in(app, email: str):
    client = app.test_client()
    assert login(client, email).status_code == 302
    return client


def area_url(area: str, slug: str = CITY_A, year: int = YEAR) -> str:
    return f"/assessments/{year}/{slug}/areas/{area}"


class _FormReader(HTMLParser):
    """Collects the successful controls of one <form id=...>, as a browser would submit them."""

    def __init__(self, form_id: str):
        super().__init__()
        self.form_id, self.inside, self.data, self._textarea = form_id, False, {}, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        elif self.inside and tag == "input" and attrs.get("name"):
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in attrs or kind in ("file", "submit"):
                return
            self.data[attrs["name"]] = attrs.get("value", "on" if kind == "checkbox" else "")
        elif self.inside and tag == "textarea":
            self._textarea = attrs.get("name")
            self.data[self._textarea] = ""

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea:
            self.data[self._textarea] = self.data[self._textarea].removeprefix("\r\n").removeprefix("\n")
            self._textarea = None
        elif tag == "form":
            self.inside = False


def page_form(html: str, form_id: str = "area-form") -> dict[str, str]:
    reader = _FormReader(form_id)
    reader.feed(html)
    return reader.data


def indicator(code: str) -> Indicator:
    return db.session.scalar(db.select(Indicator).where(Indicator.code == code))


def area_codes(area: str) -> list[str]:
    return list(db.session.scalars(db.select(Indicator.code).join(Indicator.area)
                                   .where(Area.code == area).order_by(Indicator.position)))


def entry_fields(code: str, **fields) -> dict[str, object]:
    """Form keys of one indicator's entry: entry_fields("x", value="5") -> {"i12-value": "5"}."""
    prefix = f"i{indicator(code).id}-"
    return {prefix + name: value for name, value in fields.items()}


def post_area(client, area: str, changes: dict[str, dict], slug: str = CITY_A, page: str | None = None):
    """Load the area page (or use `page`, HTML loaded earlier), change some entries, post the form.
    A field set to None is left out (an unticked box); files are (stream, name) pairs."""
    url = area_url(area, slug)
    data = page_form(page if page is not None else client.get(url).get_data(as_text=True))
    for code, fields in changes.items():
        for key, value in entry_fields(code, **fields).items():
            if value is None:
                data.pop(key, None)
            else:
                data[key] = value
    return post_multipart(client, url, data)


def post_multipart(client, url: str, data: dict):
    """POST a multipart body encoded in memory; files are (stream, name) pairs. (The test client would
    spool a big body to a temporary file it never closes, which filterwarnings=error makes a failure.)"""
    fields = {key: FileStorage(*value) if isinstance(value, tuple) else value for key, value in data.items()}
    boundary, body = encode_multipart(fields)
    return client.post(url, data=body, content_type=f"multipart/form-data; boundary={boundary}")


def fill_area(client, area: str, slug: str = CITY_A, **overrides):
    """Answer every indicator of an area validly; overrides replace some entries' fields."""
    changes = {code: {"value": ANSWER[indicator(code).method]} for code in area_codes(area)}
    changes.update(overrides)
    return post_area(client, area, changes, slug)


def stored(code: str, slug: str = CITY_A) -> IndicatorValue | None:
    db.session.expire_all()
    return db.session.scalar(db.select(IndicatorValue).join(IndicatorValue.indicator)
                             .where(Indicator.code == code, IndicatorValue.city.has(slug=slug)))
