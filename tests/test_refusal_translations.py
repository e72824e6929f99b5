"""Import and admin refusals speak the user's language (kk, ru) and still say which row and column."""
from __future__ import annotations

import io
from datetime import datetime, timezone

import pytest
from flask_babel import force_locale

from smartcity_survey.extensions import db
from smartcity_survey.io.indicator_values import parse_indicator_values
from smartcity_survey.io.tables import RowError, read_table
from smartcity_survey.models import Questionnaire
from smartcity_survey.services import DomainError
from tests.helpers_assessments import post_multipart, signed_in
from tests.helpers_questionnaires import add_questionnaire

BULK = "/assessments/2020/almaty/bulk"
#: row 2 is fine; row 3 names an indicator the year does not have; row 4 is another city's
BAD_VALUES = ("city,indicator,value,evidence\n"
              "almaty,ctm_hotline_109,yes,\n"
              "almaty,no_such_indicator,1,\n"
              "astana,ctm_hotline_109,yes,\n")
REFUSALS = {
    "ru": ("неизвестный показатель «no_such_indicator» для этого года",
           "вы можете представлять данные только по городу almaty, а не по astana"),
    "kk": ("бұл жыл үшін белгісіз көрсеткіш «no_such_indicator»",
           "сіз тек almaty қаласы бойынша деректер бере аласыз, astana бойынша емес"),
}


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_bulk_fill_row_errors_are_translated_and_keep_row_and_column(app, people, language):
    """A refused indicator-values upload lists each problem in the officer's language, by row and column."""
    client = signed_in(app, people["officer_a"])
    response = post_multipart(client, f"{BULK}?lang={language}",
                              {"file": (io.BytesIO(BAD_VALUES.encode()), "values.csv")})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    unknown_indicator, other_city = REFUSALS[language]
    assert f"<tr><td>3</td><td>indicator</td><td>{unknown_indicator}</td></tr>" in page
    assert f"<tr><td>4</td><td>city</td><td>{other_city}</td></tr>" in page
    assert "unknown indicator" not in page and "you may only report" not in page


def test_io_parsing_without_an_app_stays_english():
    """The pure parser runs without an app (no locale at all): its messages are the English ones, formatted."""
    table = read_table(io.BytesIO(BAD_VALUES.encode()), "values.csv")
    _, errors = parse_indicator_values(table, {"almaty": "almaty", "astana": "astana"},
                                       {"ctm_hotline_109": "yes_no"})
    assert errors == [RowError(3, "indicator", "unknown indicator 'no_such_indicator' for this year")]


def test_io_parsing_in_russian(app):
    """Under a Russian locale the same row error is Russian and still names row 3, column indicator."""
    table = read_table(io.BytesIO(BAD_VALUES.encode()), "values.csv")
    with force_locale("ru"):
        _, errors = parse_indicator_values(table, {"almaty": "almaty"}, {"ctm_hotline_109": "yes_no"})
    assert [(e.row, e.column, e.message) for e in errors] == [
        (3, "indicator", REFUSALS["ru"][0]), (4, "city", "неизвестный город «astana»")]


def test_questionnaire_admin_refusals_in_kazakh(app, people):
    """Refusals of the questionnaire pages and of the domain methods behind them read in Kazakh."""
    add_questionnaire()
    db.session.commit()
    admin = signed_in(app, people["admin"])
    response = admin.post("/admin/questionnaires/small/1/open?lang=kk",
                          data={"scope": "all", "closes_at": "2001-01-01T10:00"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "жабылу уақыты болашақта болуы керек" in page and "closing time" not in page
    questionnaire = db.session.scalar(db.select(Questionnaire))
    with force_locale("kk"), pytest.raises(DomainError) as refused:
        questionnaire.open([], datetime.now(timezone.utc))
    assert str(refused.value) == "сауалнаманы ашатын қала жоқ"
    with force_locale("kk"), pytest.raises(DomainError) as refused:
        questionnaire.close(None, datetime.now(timezone.utc))
    assert str(refused.value) == "small сауалнамасының 1 нұсқасы ашық емес (мәртебесі: draft)"
    with pytest.raises(DomainError, match="^questionnaire small version 1 is draft, not open$"):
        questionnaire.close(None, datetime.now(timezone.utc))  # the default locale: English, as before


def test_a_value_that_does_not_parse_is_refused_in_the_officers_language(app, people):
    """The reason a value is refused (io.values) is translated too, not only the sentence around it."""
    client = signed_in(app, people["officer_a"])
    values = "city,indicator,value,evidence\nalmaty,ctm_hotline_109,maybe,\n"
    response = post_multipart(client, f"{BULK}?lang=ru", {"file": (io.BytesIO(values.encode()), "values.csv")})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert ("<tr><td>2</td><td>value</td><td>«maybe» — не да/нет (yes, no, да, нет, иә, жоқ, true, false, 1, 0) "
            "(показатель ctm_hotline_109)</td></tr>") in page
