"""Questionnaires in the database: draft -> open -> closed per city, frozen questions once answered,
new versions, the shipped questionnaires, storage of answers, and the CLI."""
from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from smartcity_survey import questionnaire_spec as spec
from smartcity_survey.extensions import db
from smartcity_survey.io.xlsform import read_xlsform, write_xlsform
from smartcity_survey.models import Answer, City, Questionnaire, Response
from smartcity_survey.services import DomainError
from smartcity_survey.services.questionnaires import (close_questionnaire, create_questionnaire, get_questionnaire,
                                                      load_default_questionnaires, new_version, open_questionnaire,
                                                      replace_definition)
from smartcity_survey.services.responses import AnswersRejected, response_values, store_response, submit_response
from smartcity_survey.services.standards import ImportRejected
from tests.xlsform_helpers import DEFAULT_FORMS, SMALL_FORM, simple_form

NOW = datetime(2025, 3, 1, 12, tzinfo=timezone.utc)


def city(slug: str) -> City:
    return db.session.scalar(select(City).where(City.slug == slug))


def test_draft_opens_in_every_city_then_closes(make_questionnaire):
    """A draft opened without cities opens in all 17; closing it closes every city for good."""
    questionnaire = make_questionnaire()
    assert questionnaire.status == "draft" and not questionnaire.accepts_answers_in(city("almaty"))
    open_questionnaire("small", now=NOW)
    assert questionnaire.status == "open" and questionnaire.opens_at == NOW
    assert sum(entry.is_open for entry in questionnaire.cities) == 17
    close_questionnaire("small", now=NOW + timedelta(days=30))
    assert questionnaire.status == "closed" and not any(entry.is_open for entry in questionnaire.cities)
    with pytest.raises(DomainError, match="closed and is not reopened"):
        open_questionnaire("small")


def test_cities_open_and_close_one_by_one(make_questionnaire):
    """Cities open and close on their own while the questionnaire stays open."""
    questionnaire = make_questionnaire(open_in=["almaty"])
    open_questionnaire("small", ["astana", "oral"])
    close_questionnaire("small", ["almaty"])
    assert questionnaire.status == "open"
    assert {e.city.slug for e in questionnaire.cities if e.is_open} == {"astana", "oral"}
    with pytest.raises(DomainError, match="not open in almaty"):
        close_questionnaire("small", ["almaty"])
    with pytest.raises(DomainError, match="unknown city: atlantis"):
        open_questionnaire("small", ["atlantis"])
    open_questionnaire("small", ["almaty"])
    assert questionnaire.accepts_answers_in(city("almaty"))


def test_refused_transitions(make_questionnaire):
    """A draft cannot be closed, a closing time must lie ahead, a form of notes only cannot open."""
    make_questionnaire()
    with pytest.raises(DomainError, match="is draft, not open"):
        close_questionnaire("small")
    with pytest.raises(DomainError, match="closing time must be in the future"):
        open_questionnaire("small", now=NOW, closes_at=NOW - timedelta(hours=1))
    make_questionnaire(simple_form(["note", "n", "Just a note", "", "", "", ""]))
    with pytest.raises(DomainError, match="no question to answer"):
        open_questionnaire("demo")


def test_answering_window(make_questionnaire):
    """is_accepting needs the city open and the time inside [opens_at, closes_at)."""
    questionnaire = make_questionnaire()
    open_questionnaire("small", ["almaty"], now=NOW, closes_at=NOW + timedelta(days=7))
    almaty = city("almaty")
    assert questionnaire.is_accepting(almaty, NOW + timedelta(days=1))
    assert not questionnaire.is_accepting(almaty, NOW - timedelta(seconds=1))
    assert not questionnaire.is_accepting(almaty, NOW + timedelta(days=7))
    assert not questionnaire.is_accepting(city("astana"), NOW + timedelta(days=1))


def test_questions_are_frozen_once_answered_and_a_new_version_is_made(make_questionnaire):
    """Before any response the definition may be replaced; after one it may not, and new_version copies it."""
    questionnaire = make_questionnaire(open_in=["almaty"])
    definition = questionnaire.to_definition()
    replace_definition(questionnaire, definition)  # no responses yet: allowed
    store_response(questionnaire, city("almaty"), {"booked": "no"}, source="web")
    with pytest.raises(DomainError, match="has 1 response"):
        replace_definition(questionnaire, definition)
    copy = new_version(questionnaire)
    db.session.commit()
    assert (copy.slug, copy.version, copy.status) == ("small", 2, "draft")
    assert copy.to_definition() == definition
    assert [e.city.slug for e in copy.cities] == ["almaty"] and not copy.cities[0].is_open
    assert get_questionnaire("small").version == 2 and get_questionnaire("small", 1).response_count == 1
    with pytest.raises(DomainError, match="another version of 'small' is still open"):
        open_questionnaire("small")


def test_an_existing_slug_needs_a_new_version(make_questionnaire):
    """Importing a form_id again is refused unless asked for a new version."""
    make_questionnaire()
    definition = read_xlsform(SMALL_FORM, "small.xlsx").definition
    with pytest.raises(DomainError, match="already exists"):
        create_questionnaire(definition, year=2019, audience="resident")
    assert create_questionnaire(definition, year=2019, audience="resident", new_version=True).version == 2


@pytest.mark.parametrize("area, indicator, message", [
    ("xyz", "", "sheet survey, row 2: column area: unknown area 'xyz' in the 2019 standard"),
    ("hlt", "edu_e_diary", "sheet survey, row 2: column indicator: indicator 'edu_e_diary' belongs to area edu"),
    ("hlt", "hlt_nothing", "sheet survey, row 2: column indicator: indicator 'hlt_nothing' is not in the 2019 standard"),
])
def test_area_and_indicator_codes_are_checked_against_the_standard(seeded, area, indicator, message):
    """Mappings must name an area of the year's standard and an indicator of that area."""
    header = ["type", "name", "label", "area", "indicator"]
    data = simple_form(["select_one rate", "r", "R", area, indicator], header=header)
    with pytest.raises(ImportRejected) as rejected:
        create_questionnaire(read_xlsform(data, "x.xlsx").definition, year=2019, audience="resident")
    assert [str(e) for e in rejected.value.errors] == [message]


def test_shipped_questionnaires_load_once_and_round_trip_through_the_database(seeded):
    """init's loader creates both drafts once; export from the database reads back identically."""
    assert [q.slug for q in load_default_questionnaires(2019)] == ["resident", "business"]
    assert load_default_questionnaires(2019) == []
    db.session.commit()
    for slug, audience in (("resident", "resident"), ("business", "business")):
        questionnaire = get_questionnaire(slug)
        assert (questionnaire.status, questionnaire.audience, questionnaire.year) == ("draft", audience, 2019)
        original = read_xlsform(DEFAULT_FORMS / f"{slug}.xlsx").definition
        assert questionnaire.to_definition() == original
        assert read_xlsform(write_xlsform(questionnaire.to_definition()), "x.xlsx").definition == original


def test_answers_are_stored_one_row_per_value(make_questionnaire):
    """Ratings carry their number (dk none), lists one row per item in order, numbers both forms."""
    questionnaire = make_questionnaire(open_in=["almaty"])
    values = {"booked": "yes", "booking": "4", "wifi": "dk", "uses": ["hlt", "its"], "top": ["its", "hlt"],
              "household": 3, "spend": Decimal("12.50"), "comment": "Works"}
    response_id = store_response(questionnaire, city("almaty"), values, source="import", respondent_id="r1", weight=2.0)
    db.session.commit()
    response = db.session.get(Response, response_id)
    rows = {(a.question.name, a.ordinal): (a.value_text, a.value_number) for a in response.answers}
    assert rows[("booking", 0)] == ("4", 4.0) and rows[("wifi", 0)] == ("dk", None)
    assert rows[("top", 1)] == ("its", None) and rows[("top", 2)] == ("hlt", None)
    assert rows[("household", 0)] == ("3", 3.0) and rows[("spend", 0)] == ("12.50", 12.5)
    assert response_values(db.session.get(Response, response.id)) == values


def test_web_submit_checks_everything_and_stores_whole(make_questionnaire):
    """submit_response refuses closed cities and bad answers (naming questions), else stores one response."""
    questionnaire = make_questionnaire(open_in=["almaty"])
    with pytest.raises(DomainError, match="does not take answers in astana"):
        submit_response(questionnaire, city("astana"), {"booked": "no"}, language="ru")
    with pytest.raises(AnswersRejected) as rejected:
        submit_response(questionnaire, city("almaty"), {"booked": "yes", "booking": "7", "household": "0"},
                        language="en")
    assert set(rejected.value.errors) == {"booking", "household"}
    assert db.session.scalar(select(func.count(Answer.id))) == 0
    response = submit_response(questionnaire, city("almaty"), {"booked": "yes", "booking": "5"}, language="ru")
    assert (response.source, response.language, response.respondent_id) == ("web", "ru", None)
    assert response_values(response) == {"booked": "yes", "booking": "5"}


def test_cli_import_open_close_export(seeded, runner, tmp_path):
    """The questionnaires commands import (opening at once), close per city, export and list."""
    form = tmp_path / "small.xlsx"
    form.write_bytes(SMALL_FORM)
    result = runner.invoke(args=["questionnaires", "import", str(form), "--year", "2019", "--audience", "resident",
                                 "--open"])
    assert result.exit_code == 0 and "small version 1 (resident, 2019): 8 questions, open in 17 cities" in result.output
    result = runner.invoke(args=["questionnaires", "close", "small", "--cities", "almaty,astana"])
    assert result.exit_code == 0 and "open in 15 cities" in result.output
    exported = tmp_path / "out.xlsx"
    assert runner.invoke(args=["questionnaires", "export", "small", "-o", str(exported)]).exit_code == 0
    assert read_xlsform(exported).definition == read_xlsform(SMALL_FORM, "small.xlsx").definition
    assert runner.invoke(args=["questionnaires", "close", "small"]).exit_code == 0
    assert "small version 1 (resident, 2019): 8 questions, closed" in runner.invoke(
        args=["questionnaires", "list"]).output


def test_cli_refuses_an_unsupported_form_and_writes_nothing(seeded, runner, tmp_path):
    """A refused XLSForm prints each problem with its row and exits non-zero."""
    form = tmp_path / "bad.xlsx"
    form.write_bytes(simple_form(["geopoint", "where", "Where", "Где", "", "", ""]))
    result = runner.invoke(args=["questionnaires", "import", str(form), "--year", "2019", "--audience", "business"])
    assert result.exit_code == 1
    assert "error: sheet survey, row 2: geopoint is not supported (locations are not collected)" in result.output
    assert db.session.scalar(select(func.count(Questionnaire.id))) == 0


def test_init_loads_the_shipped_questionnaires_as_drafts(app, runner):
    """flask init adds the resident and business questionnaires once."""
    result = runner.invoke(args=["init", "--year", "2025"])
    assert result.exit_code == 0 and "questionnaires added: resident, business" in result.output
    assert "questionnaires added: none" in runner.invoke(args=["init", "--year", "2025"]).output
    assert {q.status for q in db.session.scalars(select(Questionnaire))} == {"draft"}


def test_the_rating_type_comes_from_the_choice_names(seeded):
    """Only a list of exactly 1..5 (with an optional dk) makes a rating; 0..5 stays a single choice."""
    definition = read_xlsform(simple_form(["select_one zero", "z", "Z", "", "", "", ""],
                                          choices=[["zero", str(n), str(n), str(n)] for n in range(6)]),
                              "x.xlsx").definition
    assert definition.question("z").type == spec.SINGLE


def test_a_draft_takes_a_new_definition_with_nested_groups(make_questionnaire):
    """Before answers, the definition (nested groups included) can be swapped, and reads back as given."""
    from tests.xlsform_helpers import xlsform

    questionnaire = make_questionnaire()
    nested = read_xlsform(xlsform(
        [["type", "name", "label", "relevant"], ["integer", "n", "N", ""], ["begin_group", "outer", "Outer", "${n} > 1"],
         ["begin_group", "inner", "Inner", ""], ["text", "t", "T", ""], ["end_group", "", "", ""],
         ["end_group", "", "", ""]], settings=[["form_id"], ["small"]]), "small.xlsx").definition
    replace_definition(questionnaire, nested)
    db.session.commit()
    assert db.session.get(Questionnaire, questionnaire.id).to_definition() == nested
    replace_definition(questionnaire, read_xlsform(SMALL_FORM, "small.xlsx").definition)
    db.session.commit()
    assert [s.name for s in questionnaire.sections] == [""]
    with pytest.raises(DomainError, match="form_id is 'demo', not 'small'"):
        replace_definition(questionnaire, read_xlsform(simple_form(["text", "t", "T", "", "", "", ""]),
                                                       "x.xlsx").definition)


def test_texts_in_the_respondents_language(make_questionnaire):
    """Titles, labels and hints come in the asked language, falling back to English, then the name."""
    questionnaire = make_questionnaire()
    assert questionnaire.title_in("ru") == "Небольшой опрос" and questionnaire.title_in("kk") == "Small survey"
    booking = next(q for q in questionnaire.questions if q.name == "booking")
    assert booking.label_in("ru") == "Оцените запись" and booking.label_in("kk") == "Rate booking"
    assert booking.hint_in("ru") == "" and questionnaire.sections[0].label_in("en") == ""
    assert [c.label_in("ru") for c in questionnaire.choices if c.list_name == "yes_no"] == ["Да", "Нет"]
    assert questionnaire.language_keys == ["en", "ru"]
