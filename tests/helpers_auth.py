"""Account helpers for tests: make users and sign them in through the real login form."""
from smartcity_survey.extensions import db
from smartcity_survey.services.accounts import create_user

PASSWORD = "correct horse battery"


def make_user(email: str, role: str, city: str | None = None, password: str = PASSWORD):
    user = create_user(email, role, password, city)
    db.session.commit()
    return user


def login(client, email: str, password: str = PASSWORD, next_url: str | None = None):
    url = "/login" + (f"?next={next_url}" if next_url else "")
    return client.post(url, data={"email": email, "password": password})
