"""CSRF: every state-changing request without the form's token is refused with 400 (Flask-WTF)."""
import re

import pytest

from smartcity_survey.extensions import db
from smartcity_survey.models import IndicatorValue, User
from tests.helpers_assessments import CITY_A, area_url, entry_fields, page_form
from tests.helpers_questionnaires import world_questionnaires
from tests.test_access_matrix import MATRIX, ROLES, SERVED

POSTS = sorted(key for key in MATRIX if key[1] == "POST")
EMAIL = {"akimat_a": "officer_a", "akimat_b": "officer_b", "analyst": "analyst", "admin": "admin"}


@pytest.fixture
def csrf_app(app):
    """The test app with CSRF protection switched on, as in production."""
    app.config["WTF_CSRF_ENABLED"] = True
    return app


@pytest.fixture
def targets(people):
    """What the matrix's paths point at besides accounts: open questionnaires and a suggestion."""
    found = world_questionnaires(CITY_A)
    db.session.commit()
    return found


def _client(app, people, role: str):
    client = app.test_client()
    if role != "anonymous":
        user = db.session.scalar(db.select(User).where(User.email == people[EMAIL[role]]))
        with client.session_transaction() as session:
            session["_user_id"], session["_fresh"] = user.get_id(), True
    return client


def _allowed_role(expected: dict) -> str:
    """A visitor the route would serve, so a refusal can only come from the missing token."""
    return next(role for role in reversed(ROLES) if expected[role] in SERVED)


def _token(client) -> str:
    """The session's CSRF token, as any page with a form carries it."""
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', client.get("/login").get_data(as_text=True))[1]


@pytest.mark.parametrize("key", POSTS, ids=lambda key: key[0])
def test_posts_without_a_token_are_refused(csrf_app, people, targets, key):
    """No token: 400, for a visitor who would otherwise be served; the same request with the token is not."""
    path_of, data, expected = MATRIX[key]
    target = db.session.scalar(db.select(User.id).where(User.email == people["admin"]))
    client = _client(csrf_app, people, _allowed_role(expected))
    world = {"target": target, "evidence": 0} | targets
    path, data = path_of(world), data(world) if callable(data) else data
    assert client.post(path, data=data).status_code == 400
    assert client.post(path, data=data | {"csrf_token": _token(client)}).status_code == expected[_allowed_role(expected)]


def test_a_wrong_token_is_refused_and_the_right_one_accepted(csrf_app, people):
    """A save with a forged token is refused and writes nothing; the page's own token works."""
    client = _client(csrf_app, people, "akimat_a")
    data = page_form(client.get(area_url("ctm")).get_data(as_text=True))
    data.update(entry_fields("ctm_hotline_109", value="1"))
    assert client.post(area_url("ctm"), data=data | {"csrf_token": "forged"}).status_code == 400
    assert db.session.scalar(db.select(db.func.count(IndicatorValue.id))) == 0
    assert re.fullmatch(r"[\w.-]{20,}", data["csrf_token"])
    assert client.post(area_url("ctm"), data=data).status_code == 302
    assert db.session.scalar(db.select(db.func.count(IndicatorValue.id))) == 1


def test_sign_in_needs_the_token_too(csrf_app, people):
    """Login CSRF: a sign-in form posted from another site is refused."""
    response = csrf_app.test_client().post("/login", data={"email": people["admin"], "password": "x" * 12})
    assert response.status_code == 400
