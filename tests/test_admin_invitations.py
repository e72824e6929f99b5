"""Admin invitation page: switch a questionnaire to invitation codes, generate N codes for a city as a
CSV download (codes exist only there; hashes are stored), see how many were generated and used."""
from __future__ import annotations

import csv
import io
import re

import pytest

from smartcity_survey.extensions import db
from smartcity_survey.models import AdminAction, Invitation
from smartcity_survey.services.invitations import code_hash, find_invitation
from tests.helpers_assessments import signed_in
from tests.helpers_questionnaires import add_questionnaire, city

Q = "/admin/questionnaires/small/1"


@pytest.fixture
def admin(app, people):
    add_questionnaire(open_in=["almaty"])
    db.session.commit()
    return signed_in(app, people["admin"])


def logged() -> list[tuple[str, str]]:
    return [(a.action, a.detail) for a in db.session.scalars(db.select(AdminAction).order_by(AdminAction.id))]


def test_codes_need_invitation_mode(admin):
    """In open-link mode the page says so and generating is refused, storing nothing."""
    page = admin.get(f"{Q}/invitations").get_data(as_text=True)
    assert "Switch it to invitation codes on its page first." in page
    response = admin.post(f"{Q}/invitations", data={"city": "almaty", "count": "3"})
    assert response.status_code == 422 and "switch it to invitation mode first" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Invitation.id))) == 0 and logged() == []


def test_generated_codes_are_downloaded_once_and_stored_hashed(admin):
    """N codes come back as a CSV of code and link; the database holds only their hashes; they work."""
    assert admin.post(f"{Q}/access-mode", data={"mode": "invitation"}).status_code == 302
    response = admin.post(f"{Q}/invitations", data={"city": "almaty", "count": "3"})
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    assert "invitations-small-v1-almaty.csv" in response.headers["Content-Disposition"]
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0] == ["code", "link"] and len(rows) == 4
    codes = [code for code, _link in rows[1:]]
    assert all(re.fullmatch(r"[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}", code) for code in codes)
    assert all(link == f"http://localhost/q/small/almaty?code={code}" for code, link in rows[1:])
    stored = db.session.scalars(db.select(Invitation)).all()
    assert sorted(i.code_hash for i in stored) == sorted(code_hash(code) for code in codes)
    assert not any(code in str(vars(i)) for i in stored for code in codes)
    questionnaire = stored[0].questionnaire
    assert find_invitation(questionnaire, city("almaty"), codes[0].lower()).used_on is None
    page = admin.get(f"{Q}/invitations").get_data(as_text=True)
    assert re.search(r'<th scope="row">Almaty</th><td>3</td><td>0</td>', page)
    assert logged() == [("questionnaire_access_mode", "small version 1: invitation"),
                        ("invitations_generate", "small version 1: 3 codes for almaty")]


@pytest.mark.parametrize("count", ["0", "20001", "many"])
def test_the_number_of_codes_is_checked(admin, count):
    """The count must be a whole number from 1 to 20,000."""
    admin.post(f"{Q}/access-mode", data={"mode": "invitation"})
    response = admin.post(f"{Q}/invitations", data={"city": "almaty", "count": count})
    assert response.status_code == 422 and 'id="count-error"' in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Invitation.id))) == 0


def test_a_closed_questionnaire_takes_no_new_codes_or_mode(admin):
    """After closing, neither codes nor a change of access mode are accepted."""
    admin.post(f"{Q}/access-mode", data={"mode": "invitation"})
    admin.post(f"{Q}/close")
    response = admin.post(f"{Q}/invitations", data={"city": "almaty", "count": "2"})
    assert response.status_code == 422 and "is closed" in response.get_data(as_text=True)
    response = admin.post(f"{Q}/access-mode", data={"mode": "open"})
    assert "its access mode no longer matters" in admin.get(response.location).get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Invitation.id))) == 0
