"""Admin questionnaire pages: list, XLSForm import (errors by sheet and row, all or nothing, versions),
XLSForm download, opening and closing per city, new versions; each change in the administrators' log."""
from __future__ import annotations

import html
import io
from datetime import datetime, timedelta, timezone

import pytest
from werkzeug.datastructures import FileStorage

from smartcity_survey.extensions import db
from smartcity_survey.io.xlsform import read_xlsform
from smartcity_survey.models import AdminAction, Questionnaire, QuestionnaireCity
from smartcity_survey.services import DomainError
from smartcity_survey.services.questionnaires import get_questionnaire
from smartcity_survey.services.responses import submit_response
from tests.helpers_assessments import signed_in
from tests.helpers_questionnaires import add_questionnaire, city
from tests.xlsform_helpers import CHOICES_HEADER, RATING_CHOICES, SMALL_FORM, simple_form, xlsform

Q = "/admin/questionnaires/small/1"
#: two rows the reader refuses: an unsupported type and an unknown reference in relevant
BAD_FORM = simple_form(["geopoint", "where", "Where?", "Где?", "", "", ""],
                       ["integer", "age", "Age", "Возраст", "${missing} > 1", "", ""])


@pytest.fixture
def admin(app, people):
    return signed_in(app, people["admin"])


def upload(client, data: bytes, year: int = 2019, audience: str = "resident", filename: str = "form.xlsx"):
    return client.post("/admin/questionnaires/import", data={
        "file": FileStorage(io.BytesIO(data), filename), "year": str(year), "audience": audience},
        content_type="multipart/form-data")


def logged() -> list[tuple[str, str]]:
    return [(a.action, a.detail) for a in db.session.scalars(db.select(AdminAction).order_by(AdminAction.id))]


def fresh(slug: str = "small", version: int = 1) -> Questionnaire:
    db.session.expire_all()
    return get_questionnaire(slug, version)


def test_list_shows_versions_status_open_cities_and_responses(admin, people):
    """Each version is listed with audience, year, status, the number of open cities and of responses."""
    questionnaire = add_questionnaire(open_in=["almaty", "astana"])
    submit_response(questionnaire, city("almaty"), {"booked": "no"}, language="en")
    db.session.commit()
    page = admin.get("/admin/questionnaires").get_data(as_text=True)
    row = page[page.index(f'href="{Q}"'):].split("</tr>")[0]
    cells = [cell.split("</td>")[0] for cell in row.split("<td>")[1:]]
    assert cells[:3] == ["1", "Residents", "2019"] and "open" in cells[3]
    assert cells[4:] == ["2", f'<a href="{Q}/responses">1</a>']  # open cities, responses


def test_import_creates_a_draft_and_logs_it(admin):
    """A new form_id becomes version 1, a draft with the year and audience given; the import is logged."""
    response = upload(admin, SMALL_FORM, year=2019, audience="business")
    assert response.status_code == 302 and response.location.endswith(Q)
    questionnaire = fresh()
    assert (questionnaire.status, questionnaire.audience, questionnaire.year) == ("draft", "business", 2019)
    assert logged() == [("questionnaire_import", "small version 1 (created), business, 2019")]
    assert "Imported small version 1 as a draft." in admin.get(response.location).get_data(as_text=True)
    assert "questionnaire imported" in admin.get("/admin/audit").get_data(as_text=True)


def test_import_errors_are_listed_by_sheet_and_row_as_the_cli_prints_them(admin, runner, tmp_path):
    """A refused file lists every error exactly as `flask questionnaires import` does, and writes nothing."""
    path = tmp_path / "bad.xlsx"
    path.write_bytes(BAD_FORM)
    cli = runner.invoke(args=["questionnaires", "import", str(path), "--year", "2019", "--audience", "resident"])
    cli_errors = [line[len("error: "):] for line in cli.output.splitlines() if line.startswith("error: ")]
    assert len(cli_errors) == 2 and cli_errors[0].startswith("sheet survey, row 2: ")
    response = upload(admin, BAD_FORM)
    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 422 and "2 problems. Nothing was imported." in page
    assert [f"<li>{error}</li>" in page for error in cli_errors] == [True, True]
    assert db.session.scalar(db.select(db.func.count(Questionnaire.id))) == 0 and logged() == []


def test_import_is_all_or_nothing_when_the_database_refuses(admin):
    """A readable form mapping a question to an unknown area is refused by row; nothing is stored."""
    form = xlsform([["type", "name", "label::English (en)", "label::Russian (ru)", "area"],
                    ["select_one rate", "q1", "Rate", "Оцените", "nope"]], [CHOICES_HEADER, *RATING_CHOICES])
    response = upload(admin, form)
    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 422 and "sheet survey, row 2: column area: unknown area 'nope'" in page
    assert db.session.scalar(db.select(db.func.count(Questionnaire.id))) == 0 and logged() == []


def test_a_value_too_long_for_its_column_is_refused_by_row_not_a_server_error(admin, runner, tmp_path):
    """A question name longer than the column holds (PostgreSQL would raise "value too long") is refused
    on the upload page and by the CLI like any other error; nothing is stored."""
    form = xlsform([["type", "name", "label"], ["text", "q" * 101, "Q"]])
    expected = f"sheet survey, row 2: column name: '{'q' * 40}…' is 101 characters long; at most 100 are allowed"
    response = upload(admin, form)
    assert response.status_code == 422 and expected in html.unescape(response.get_data(as_text=True))
    path = tmp_path / "long.xlsx"
    path.write_bytes(form)
    cli = runner.invoke(args=["questionnaires", "import", str(path), "--year", "2019", "--audience", "resident"])
    assert cli.exit_code == 1 and isinstance(cli.exception, SystemExit) and f"error: {expected}" in cli.output
    assert db.session.scalar(db.select(db.func.count(Questionnaire.id))) == 0 and logged() == []


def test_import_without_a_file_or_with_another_type_is_refused(admin):
    """No file, or a file that is not .xlsx: the form again (422) with the message at the field."""
    assert "Choose a file." in admin.post("/admin/questionnaires/import", data={"year": "2019"}).get_data(as_text=True)
    response = upload(admin, b"a,b\n1,2\n", filename="form.csv")
    assert response.status_code == 422 and "An XLSForm is an .xlsx workbook." in response.get_data(as_text=True)


def test_reimport_replaces_a_draft_and_versions_a_published_questionnaire(admin):
    """The same form_id replaces an unpublished draft in place; once published, it becomes version 2."""
    upload(admin, SMALL_FORM)
    shorter = xlsform([["type", "name", "label::English (en)"], ["select_one yes_no", "booked", "Booked on line?"]],
                      [["list_name", "name", "label::English (en)"], ["yes_no", "yes", "Yes"], ["yes_no", "no", "No"]],
                      [["form_id", "form_title"], ["small", "Small survey"]])
    assert upload(admin, shorter, year=2020).location.endswith(Q)
    draft = fresh()
    assert draft.year == 2020
    assert [(q.name, q.labels) for q in draft.questions] == [("booked", {"en": "Booked on line?"})]
    admin.post(f"{Q}/open", data={"scope": "selected", "cities": ["almaty"]})
    submit_response(fresh(), city("almaty"), {"booked": "no"}, language="en")
    db.session.commit()
    response = upload(admin, SMALL_FORM)
    assert response.location.endswith("/admin/questionnaires/small/2")
    assert fresh("small", 2).status == "draft" and fresh().response_count == 1
    assert [detail.split(" (")[1].split(")")[0] for action, detail in logged() if action == "questionnaire_import"] \
        == ["created", "replaced", "new_version"]


def test_xlsform_download_reads_back_to_the_same_definition(admin):
    """The downloaded XLSForm imports to the definition stored."""
    add_questionnaire()
    db.session.commit()
    response = admin.get(f"{Q}/xlsform.xlsx")
    assert response.status_code == 200 and "small-v1.xlsx" in response.headers["Content-Disposition"]
    assert read_xlsform(response.data, "small.xlsx").definition == fresh().to_definition()


def test_open_in_selected_cities_with_a_closing_time(admin):
    """Ticked cities open (the others stay shut) with the closing time given in UTC; the action is logged."""
    add_questionnaire()
    db.session.commit()
    closes = (datetime.now(timezone.utc) + timedelta(days=10)).replace(second=0, microsecond=0)
    response = admin.post(f"{Q}/open", data={"scope": "selected", "cities": ["almaty", "astana"],
                                             "closes_at": closes.strftime("%Y-%m-%dT%H:%M")})
    assert response.status_code == 302
    questionnaire = fresh()
    assert questionnaire.status == "open"
    assert sorted(e.city.slug for e in questionnaire.cities if e.is_open) == ["almaty", "astana"]
    assert questionnaire.closes_at.replace(tzinfo=timezone.utc) == closes
    assert logged() == [("questionnaire_open", f"small version 1: almaty, astana; closes {closes.isoformat()}")]


def test_open_everywhere_and_refusals_shown_on_the_page(admin):
    """"Every city" opens all 17; no ticked city, or a past closing time, is refused with a message."""
    add_questionnaire()
    db.session.commit()
    response = admin.post(f"{Q}/open", data={"scope": "selected"})
    assert response.status_code == 422 and "Tick at least one city" in response.get_data(as_text=True)
    response = admin.post(f"{Q}/open", data={"scope": "all", "closes_at": "2001-01-01T10:00"})
    assert response.status_code == 422 and "the closing time must be in the future" in response.get_data(as_text=True)
    assert fresh().status == "draft" and logged() == []
    assert admin.post(f"{Q}/open", data={"scope": "all"}).status_code == 302
    assert sum(entry.is_open for entry in fresh().cities) == 17


def test_closing_a_city_then_the_whole_questionnaire_refuses_answers(admin):
    """Closed in one city, answers there are refused while another city still takes them; closed
    altogether, every city refuses, and the questionnaire cannot be reopened."""
    add_questionnaire(open_in=["almaty", "astana"])
    db.session.commit()
    assert admin.post(f"{Q}/cities/almaty/close").status_code == 302
    with pytest.raises(DomainError, match="does not take answers in almaty"):
        submit_response(fresh(), city("almaty"), {"booked": "no"}, language="en")
    submit_response(fresh(), city("astana"), {"booked": "no"}, language="en")
    db.session.commit()
    assert admin.post(f"{Q}/close").status_code == 302
    questionnaire = fresh()
    assert questionnaire.status == "closed" and not any(entry.is_open for entry in questionnaire.cities)
    with pytest.raises(DomainError, match="does not take answers in astana"):
        submit_response(questionnaire, city("astana"), {"booked": "no"}, language="en")
    response = admin.post(f"{Q}/open", data={"scope": "all"})
    assert response.status_code == 422 and "is closed and is not reopened" in response.get_data(as_text=True)
    assert logged() == [("questionnaire_close", "small version 1: almaty"),
                        ("questionnaire_close", "small version 1: whole questionnaire")]


def test_closing_a_city_that_is_not_open_says_so(admin):
    """Closing a city the questionnaire is not open in changes nothing and shows why."""
    add_questionnaire(open_in=["almaty"])
    db.session.commit()
    response = admin.post(f"{Q}/cities/astana/close")
    assert "is not open in astana" in admin.get(response.location).get_data(as_text=True)
    assert fresh().status == "open" and logged() == []
    assert admin.post(f"{Q}/cities/atlantis/close").status_code == 404


def test_new_version_is_a_draft_copy_with_the_same_cities(admin):
    """"Make a new version" copies the questions and cities (closed) into version 2, a draft."""
    add_questionnaire(open_in=["almaty"])
    db.session.commit()
    response = admin.post(f"{Q}/new-version")
    assert response.location.endswith("/admin/questionnaires/small/2")
    copy = fresh("small", 2)
    assert copy.status == "draft" and [q.name for q in copy.questions] == [q.name for q in fresh().questions]
    assert [(e.city.slug, e.is_open) for e in copy.cities] == [("almaty", False)]
    assert logged() == [("questionnaire_new_version", "small version 2 from version 1")]
    # version 1 stays open and is still closed from its own page while version 2 waits
    assert admin.post(f"{Q}/close").status_code == 302 and fresh().status == "closed"


def test_detail_page_shows_cities_with_counts_and_actions(admin):
    """The page lists each city's state and responses, with a close button per open city."""
    add_questionnaire(open_in=["almaty"])
    submit_response(fresh(), city("almaty"), {"booked": "no"}, language="en")
    db.session.commit()
    page = admin.get(Q).get_data(as_text=True)
    assert "Small survey" in page and f'action="{Q}/cities/almaty/close"' in page
    assert f'action="{Q}/close"' in page and f'{Q}/responses"' in page
    assert db.session.scalar(db.select(db.func.count(QuestionnaireCity.id))) == 1
    assert admin.get("/admin/questionnaires/small/9").status_code == 404


def test_a_form_id_imported_by_someone_else_a_moment_ago_is_a_message_not_a_server_error(admin, monkeypatch):
    """Two admins import the same new form_id at the same moment: both find it free, the unique (slug,
    version) index lets the first through, and the second is told so on the page (it was a 500)."""
    from smartcity_survey.services import questionnaire_admin, questionnaires

    assert upload(admin, SMALL_FORM).status_code == 302
    for module in (questionnaire_admin, questionnaires):  # as read before the other import's commit
        monkeypatch.setattr(module, "get_questionnaire", lambda slug, version=None: None)
    response = upload(admin, SMALL_FORM, audience="business")
    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 422
    assert "questionnaire 'small' version 1 was created by someone else a moment ago; yours was not saved" in page
    assert [(q.version, q.audience) for q in db.session.scalars(db.select(Questionnaire))] == [(1, "resident")]
    assert [action for action, _detail in logged()] == ["questionnaire_import"]


def test_a_new_version_made_by_someone_else_a_moment_ago_is_a_message(admin, monkeypatch):
    from smartcity_survey.services import questionnaires

    add_questionnaire(open_in=["almaty"])
    db.session.commit()
    assert admin.post(f"{Q}/new-version").status_code == 302
    monkeypatch.setattr(questionnaires, "require_questionnaire", lambda slug: fresh(slug, 1))  # v2 not seen yet
    response = admin.post(f"{Q}/new-version")
    assert response.status_code == 302 and response.location.endswith(Q)
    page = html.unescape(admin.get(Q).get_data(as_text=True))
    assert "questionnaire 'small' version 2 was created by someone else a moment ago" in page
    assert sorted(q.version for q in db.session.scalars(db.select(Questionnaire))) == [1, 2]
