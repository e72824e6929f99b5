"""Fixtures and helpers for the answering pages: a grouped test form, the shipped questionnaires opened,
and a client that walks pages. Test modules import the fixtures they use by name."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from smartcity_survey.extensions import db
from smartcity_survey.models import Invitation, Response, ResponseDraft
from tests.xlsform_helpers import CHOICES_HEADER, RATING_CHOICES, xlsform

HEADER = ["type", "name", "label::English (en)", "label::Russian (ru)", "label::Kazakh (kk)", "relevant",
          "constraint", "required"]


def _row(kind: str, name: str = "", en: str = "", ru: str = "", kk: str = "", relevant: str = "",
         constraint: str = "", required: str = "") -> list[str]:
    return [kind, name, en, ru, kk, relevant, constraint, required]


#: four pages: "about" (same-page skip logic), "services" (a question shown by a multiple choice),
#: "app_details" (a whole section skipped unless uses_app = yes) and "final" (ranking, numbers, text)
GROUPED_FORM = xlsform(
    [HEADER,
     _row("begin_group", "about", "About you", "О вас", "Сіз туралы"),
     _row("select_one yes_no", "uses_app", "Do you use the city app?", "Пользуетесь ли вы приложением города?",
          "Қала қосымшасын пайдаланасыз ба?", required="yes"),
     _row("select_one rate", "app_rating", "Rate the app", "Оцените приложение", "Қосымшаны бағалаңыз",
          relevant="${uses_app} = 'yes'", required="yes"),
     _row("integer", "household", "People at home", "Людей дома", "Үйдегі адамдар",
          constraint=". >= 1 and . <= 20"),
     _row("end_group"),
     _row("begin_group", "services", "Services", "Услуги", "Қызметтер"),
     _row("select_multiple areas", "used", "Which do you use?", "Чем пользуетесь?", "Нені пайдаланасыз?"),
     _row("select_one rate", "transport", "Rate transport", "Оцените транспорт", "Көлікті бағалаңыз",
          relevant="selected(${used}, 'its')", required="yes"),
     _row("select_one rate", "wifi", "Rate wifi", "Оцените wifi", "Wifi бағалаңыз"),
     _row("end_group"),
     _row("begin_group", "app_details", "The app", "Приложение", "Қосымша", relevant="${uses_app} = 'yes'"),
     _row("text", "app_wish", "What should the app do?", "Что должно уметь приложение?", "Қосымша не істеуі керек?"),
     _row("end_group"),
     _row("begin_group", "final", "Last questions", "Последние вопросы", "Соңғы сұрақтар"),
     _row("rank areas", "top", "Priorities", "Приоритеты", "Басымдықтар", constraint="count-selected(.) <= 2"),
     _row("decimal", "spend", "Monthly spend", "Расходы в месяц", "Айлық шығын", constraint=". >= 0"),
     _row("text", "comment", "Comment", "Комментарий", "Пікір"),
     _row("end_group")],
    [CHOICES_HEADER, *RATING_CHOICES, ["yes_no", "yes", "Yes", "Да"], ["yes_no", "no", "No", "Нет"],
     ["areas", "hlt", "Health", "Здоровье"], ["areas", "edu", "Education", "Образование"],
     ["areas", "its", "Transport", "Транспорт"]],
    [["form_id", "form_title", "form_title_ru", "form_title_kk"], ["grouped", "City app survey", "Опрос о приложении",
                                                                   "Қосымша туралы сауалнама"]])

BASE = "/q/grouped/almaty"


@pytest.fixture
def grouped(make_questionnaire):
    """The grouped test form, open in Almaty and Astana (open mode)."""
    return make_questionnaire(GROUPED_FORM, open_in=["almaty", "astana"])


@pytest.fixture
def invited(make_questionnaire):
    """The grouped test form in invitation mode, open in Almaty."""
    from smartcity_survey.services.answerable import set_access_mode

    questionnaire = make_questionnaire(GROUPED_FORM, open_in=["almaty", "astana"])
    set_access_mode("grouped", "invitation")
    db.session.commit()
    return questionnaire


@pytest.fixture
def shipped(seeded):
    """The shipped resident and business questionnaires for 2019, open in Almaty."""
    from smartcity_survey.services.questionnaires import load_default_questionnaires, open_questionnaire

    load_default_questionnaires(2019)
    open_questionnaire("resident", ["almaty"])
    open_questionnaire("business", ["almaty"])
    db.session.commit()
    return seeded


def almaty():
    from smartcity_survey.services.questionnaires import find_cities

    return find_cities(["almaty"])[0]


def start(client, base: str = BASE, **data):
    response = client.post(f"{base}/start", data=data)
    assert response.status_code == 303, response.get_data(as_text=True)
    return response


def post_page(client, number: int, data: dict | None = None, base: str = BASE, action: str = "next"):
    return client.post(f"{base}/s/{number}", data={"action": action, **(data or {})})


#: answers that pass every page of GROUPED_FORM with uses_app = yes
GOOD_PAGES = {1: {"uses_app": "yes", "app_rating": "4", "household": "3"},
              2: {"used": ["hlt", "its"], "transport": "2", "wifi": "dk"},
              3: {"app_wish": "Bus times"},
              4: {"top": ["its", "hlt"], "spend": "12,5", "comment": "  Fine  "}}


def answer_all(client, pages: dict[int, dict] = GOOD_PAGES, base: str = BASE) -> None:
    """Start and answer the given pages, each "Next" going on to the next page."""
    start(client, base)
    for number, data in pages.items():
        response = post_page(client, number, data, base)
        assert response.status_code == 303, (number, errors_in(response.get_data(as_text=True)))


def submit(client, base: str = BASE, **data):
    return client.post(f"{base}/submit", data=data)


def errors_in(html: str) -> dict[str, str]:
    """Field errors on a page: question name -> message."""
    without_label = r'<span class="visually-hidden">[^<]*</span>'  # the screen readers' "Error:", in any language
    return {name: re.sub(r"<[^>]+>", "", re.sub(without_label, "", text)).strip()
            for name, text in re.findall(r'<small id="e-([^"]+)" class="field-error">(.*?)</small>', html, re.S)}


def visible_questions(html: str) -> list[str]:
    """Names of the question wrappers on a page that are not hidden."""
    return [name for name, attrs in re.findall(r'<div class="question[^"]*" id="w-([^"]+)"([^>]*)>', html)
            if " hidden" not in attrs]


def hidden_questions(html: str) -> list[str]:
    return [name for name, attrs in re.findall(r'<div class="question[^"]*" id="w-([^"]+)"([^>]*)>', html)
            if " hidden" in attrs]


def count(model) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


def responses() -> list[Response]:
    db.session.expire_all()
    return list(db.session.scalars(select(Response).order_by(Response.id)))


def drafts() -> list[ResponseDraft]:
    db.session.expire_all()
    return list(db.session.scalars(select(ResponseDraft).order_by(ResponseDraft.id)))


def invitations() -> list[Invitation]:
    db.session.expire_all()
    return list(db.session.scalars(select(Invitation).order_by(Invitation.id)))
