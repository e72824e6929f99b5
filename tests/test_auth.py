"""Accounts: CLI creation, sign-in, throttling, lockout, safe redirects, password change."""
from datetime import timedelta

import pytest

from smartcity_survey.extensions import db
from smartcity_survey.models import User
from tests.helpers_auth import PASSWORD, login, make_user


@pytest.fixture
def officer(seeded):
    return make_user("officer@almaty.kz", "akimat", "almaty")


def test_cli_creates_user_with_password_from_stdin(seeded, runner):
    """`users create` reads the password from stdin, stores an scrypt hash, never the password."""
    result = runner.invoke(args=["users", "create", "--email", "Ana@Gov.kz", "--role", "analyst"],
                           input="a long enough secret\n")
    assert result.exit_code == 0, result.output
    user = db.session.scalar(db.select(User).where(User.email == "ana@gov.kz"))
    assert user.password_hash.startswith("scrypt:") and "a long enough secret" not in user.password_hash
    assert user.check_password("a long enough secret")


@pytest.mark.parametrize("args, message", [
    (["--role", "akimat"], "needs a city"),
    (["--role", "akimat", "--city", "atlantis"], "unknown city"),
    (["--role", "analyst", "--city", "almaty"], "only akimat officers"),
])
def test_cli_refuses_bad_accounts(seeded, runner, args, message):
    """Bad role/city combinations exit non-zero with a clear message and create nothing."""
    result = runner.invoke(args=["users", "create", "--email", "x@gov.kz", *args], input="a long enough secret\n")
    assert result.exit_code != 0 and message in result.output
    assert db.session.scalar(db.select(db.func.count(User.id))) == 0


def test_cli_refuses_short_password_and_duplicate(seeded, runner):
    """A short password and an existing e-mail are refused."""
    assert "at least 10" in runner.invoke(args=["users", "create", "--email", "a@gov.kz", "--role", "admin"],
                                          input="short\n").output
    make_user("a@gov.kz", "admin")
    result = runner.invoke(args=["users", "create", "--email", "A@gov.kz", "--role", "admin"],
                           input="a long enough secret\n")
    assert result.exit_code != 0 and "already exists" in result.output


def test_login_and_logout(officer, client):
    """A right password signs in (the nav shows the account); logout signs out."""
    response = login(client, "officer@almaty.kz")
    assert response.status_code == 302
    assert b"officer@almaty.kz" in client.get("/").data
    client.post("/logout")
    assert b"officer@almaty.kz" not in client.get("/").data


def test_wrong_password_is_refused_without_saying_which_part(officer, client):
    """A wrong password shows one message that does not reveal whether the account exists."""
    page = login(client, "officer@almaty.kz", "wrong password!").get_data(as_text=True)
    other = login(client, "nobody@almaty.kz", "wrong password!").get_data(as_text=True)
    assert "Wrong e-mail or password" in page and "Wrong e-mail or password" in other


@pytest.mark.parametrize("target, expected", [
    ("/rating", "/rating"), ("https://evil.example/", "/"), ("//evil.example/x", "/"),
    ("/\\evil.example", "/"), ("javascript:alert(1)", "/"),
])
def test_next_redirects_only_to_this_site(officer, client, target, expected):
    """`next` is followed only when it is a relative path on this site."""
    response = login(client, "officer@almaty.kz", next_url=target)
    assert response.headers["Location"] == expected


def test_account_locks_after_repeated_failures(officer, client, app):
    """After LOGIN_LOCKOUT_AFTER failures even the right password is refused until the lock expires."""
    for _ in range(app.config["LOGIN_LOCKOUT_AFTER"]):
        login(client, "officer@almaty.kz", "wrong password!")
    assert login(client, "officer@almaty.kz").status_code == 200  # refused, form shown again
    user = db.session.scalar(db.select(User).where(User.email == "officer@almaty.kz"))
    user.locked_until = user.locked_until - timedelta(hours=2)
    db.session.commit()
    assert login(client, "officer@almaty.kz").status_code == 302


def test_login_is_throttled_per_account(officer, client, app):
    """More sign-in attempts on one account than LOGIN_LIMIT_PER_ACCOUNT in a minute answer 429."""
    limit = int(app.config["LOGIN_LIMIT_PER_ACCOUNT"].split()[0])
    statuses = [login(client, "victim@almaty.kz", "x" * 12).status_code for _ in range(limit + 1)]
    assert statuses[:limit] == [200] * limit and statuses[-1] == 429


def test_login_is_throttled_per_address(officer, client, app):
    """Spraying many accounts from one address hits the per-address limit."""
    limit = int(app.config["LOGIN_LIMIT_PER_ADDRESS"].split()[0])
    statuses = [login(client, f"user{i}@almaty.kz", "x" * 12).status_code for i in range(limit + 1)]
    assert statuses[-1] == 429 and 429 not in statuses[:limit]


def test_password_change_signs_out_other_sessions(officer, app):
    """Changing the password keeps this session and ends every other one."""
    first, second = app.test_client(), app.test_client()
    login(first, "officer@almaty.kz")
    login(second, "officer@almaty.kz")
    response = first.post("/account/password", data={"current": PASSWORD, "new": "a brand new secret",
                                                      "confirm": "a brand new secret"})
    assert response.status_code == 302
    assert b"officer@almaty.kz" in first.get("/").data
    assert b"officer@almaty.kz" not in second.get("/").data


def test_password_change_needs_the_current_password(officer, client):
    """A wrong current password is shown at that field and nothing changes."""
    login(client, "officer@almaty.kz")
    page = client.post("/account/password", data={"current": "not it at all", "new": "a brand new secret",
                                                   "confirm": "a brand new secret"}).get_data(as_text=True)
    assert "current password is not right" in page
    assert db.session.scalar(db.select(User)).check_password(PASSWORD)


def test_session_cookie_flags(officer, app):
    """The session cookie is HttpOnly and SameSite=Lax (Secure outside debug/testing)."""
    client = app.test_client()
    response = login(client, "officer@almaty.kz")
    cookie = response.headers.get("Set-Cookie", "")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
