"""The administrators' log says each entry's facts in the reader's language (from the entry's params),
keeps entries written before params existed as they were, and escapes what people typed."""
from __future__ import annotations

from datetime import datetime, timezone

from smartcity_survey.extensions import db
from smartcity_survey.models import AdminAction, User
from smartcity_survey.services.accounts import admin_create_user
from smartcity_survey.services.history import Actor
from smartcity_survey.services.questionnaire_admin import (close_in, generate_codes, import_xlsform, make_new_version,
                                                           open_in, record_export, set_version_access_mode)
from tests.helpers_assessments import signed_in
from tests.helpers_questionnaires import city
from tests.xlsform_helpers import SMALL_FORM


def _rows(page: str) -> list[str]:
    """The log's rows, newest first, as text with the tags left in."""
    return page.split("<tbody>", 1)[1].split("</tbody>", 1)[0].split("<tr>")[1:]


def _log_in(client, lang: str) -> list[str]:
    response = client.get(f"/admin/audit?lang={lang}")
    assert response.status_code == 200
    return _rows(response.get_data(as_text=True))


def _act(people) -> None:
    """What an administrator does in a questionnaire's life, through the services the pages call."""
    admin = Actor.of(db.session.scalar(db.select(User).where(User.email == people["admin"])))
    questionnaire = import_xlsform(admin, SMALL_FORM, "small.xlsx", year=2019, audience="business").questionnaire
    open_in(admin, questionnaire, ["almaty", "astana"], closes_at=datetime(2026, 12, 1, 18, 30, tzinfo=timezone.utc))
    set_version_access_mode(admin, questionnaire, "invitation")
    generate_codes(admin, questionnaire, city("almaty"), 3)
    record_export(admin, questionnaire, "xlsx")
    close_in(admin, questionnaire, None)
    make_new_version(admin, questionnaire)
    admin_create_user(admin, "new@shymkent.kz", "akimat", "a long enough password 1", "shymkent")
    db.session.commit()


def test_entries_read_in_russian_and_kazakh(app, people):
    """Every word of an entry's details follows the page's language; identifiers stay as they are."""
    _act(people)
    client = signed_in(app, people["admin"])
    russian = _log_in(client, "ru")
    assert len(russian) == 8
    expected_ru = ["Сотрудник акимата, shymkent", "small, версия 2, скопирована из версии 1",
                   "small, версия 1: закрыта полностью", "small, версия 1: файл XLSX",
                   "small, версия 1: 3 кода для almaty", "small, версия 1: коды приглашения",
                   "small, версия 1: открыта в городах almaty, astana; закрывается 2026-12-01 18:30 (UTC)",
                   "small, версия 1 (создана), Бизнес, 2019"]
    for row, expected in zip(russian, expected_ru):
        assert expected in row, (expected, row)
    kazakh = _log_in(client, "kk")
    assert "small, 1 нұсқа: almaty үшін 3 код" in kazakh[4] and "(жасалды)" in kazakh[7]
    english = _log_in(client, "en")
    assert "small version 1: 3 codes for almaty" in english[4] and "small version 1 (created), Businesses, 2019" \
        in english[7]


def test_an_entry_written_before_params_shows_its_english_detail(app, people):
    """Entries from before migration 0012 have no params: their detail is shown as written."""
    db.session.add(AdminAction(actor=people["admin"], action="questionnaire_close", detail="resident version 1: almaty"))
    db.session.commit()
    (row,) = _log_in(signed_in(app, people["admin"]), "ru")
    assert "resident version 1: almaty" in row


def test_typed_text_in_an_entry_is_escaped(app, people):
    """A reopening reason is the admin's own words: shown escaped, never as markup."""
    db.session.add(AdminAction(actor=people["admin"], action="values_reopen", detail="x", params={
        "city": "almaty", "year": 2020, "area": "ctm", "codes": ["ctm_a"], "comment": "<script>alert(1)</script>"}))
    db.session.commit()
    (row,) = _log_in(signed_in(app, people["admin"]), "en")
    assert "<script>" not in row and "&lt;script&gt;alert(1)&lt;/script&gt;" in row
    assert "almaty, 2020, area ctm: ctm_a. Reason:" in row
