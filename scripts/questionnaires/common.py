"""Building blocks for the shipped questionnaires: items written as Python data, turned into a
FormDefinition by build(). Every text is given in English, Russian and Kazakh, in that order."""
from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from smartcity_survey import questionnaire_spec as spec

ROOT = Path(__file__).resolve().parents[2]
LANGUAGES = (spec.Language("en", "English (en)"), spec.Language("ru", "Russian (ru)"),
             spec.Language("kk", "Kazakh (kk)"))


def tr(en: str, ru: str, kk: str) -> dict[str, str]:
    return {"en": en, "ru": ru, "kk": kk}


@dataclass
class Item:
    name: str
    kind: str  # a questionnaire_spec type, or "group"
    labels: dict[str, str]
    choice_list: str | None = None
    required: bool = True
    relevant: str = ""
    constraint: str = ""
    constraint_message: dict[str, str] = field(default_factory=dict)
    hints: dict[str, str] = field(default_factory=dict)
    appearance: str = ""
    area: str | None = None
    indicator: str | None = None
    items: tuple[Item, ...] = ()


def group(name: str, labels: dict[str, str], *items: Item, relevant: str = "") -> Item:
    return Item(name, "group", labels, relevant=relevant, items=items)


def note(name: str, labels: dict[str, str]) -> Item:
    return Item(name, spec.NOTE, labels, required=False)


def rating(name: str, labels: dict[str, str], area: str, indicator: str | None = None, relevant: str = "") -> Item:
    """A 1-5 rating with "don't know", mapped to a standard area (and indicator)."""
    return Item(name, spec.RATING, labels, "rating5", relevant=relevant, appearance="likert", area=area,
                indicator=indicator)


def choose(name: str, choice_list: str, labels: dict[str, str], relevant: str = "", **options) -> Item:
    return Item(name, spec.SINGLE, labels, choice_list, relevant=relevant, **options)


def yes_no(name: str, labels: dict[str, str], relevant: str = "") -> Item:
    return choose(name, "yes_no", labels, relevant)


def used(name: str) -> str:
    """Skip logic: show the rating only to those who said they used the service."""
    return f"${{{name}}} = 'yes'"


OPTIONAL_TEXT_HINT = tr("Optional. Please do not write names, phone numbers or addresses.",
                        "Необязательно. Пожалуйста, не указывайте имена, телефоны или адреса.",
                        "Міндетті емес. Аты-жөнді, телефон нөмірлерін немесе мекенжайларды жазбаңыз.")
TOO_LONG = tr("Please keep it under 1000 characters.", "Пожалуйста, не более 1000 символов.",
              "Мәтін 1000 таңбадан аспауы керек.")

RATING_CHOICES = [
    ("1", tr("1 – Very poor", "1 – Очень плохо", "1 – Өте нашар")),
    ("2", tr("2 – Poor", "2 – Плохо", "2 – Нашар")),
    ("3", tr("3 – Neither good nor poor", "3 – Ни хорошо, ни плохо", "3 – Орташа")),
    ("4", tr("4 – Good", "4 – Хорошо", "4 – Жақсы")),
    ("5", tr("5 – Very good", "5 – Очень хорошо", "5 – Өте жақсы")),
    ("dk", tr("Don't know / have not used", "Не знаю / не пользовался(-ась)", "Білмеймін / пайдаланған жоқпын")),
]
YES_NO_CHOICES = [("yes", tr("Yes", "Да", "Иә")), ("no", tr("No", "Нет", "Жоқ"))]


def city_choices() -> list[tuple[str, dict[str, str]]]:
    """The 17 cities of the platform, named as in smartcity_survey/data/cities.csv."""
    with (ROOT / "smartcity_survey" / "data" / "cities.csv").open(encoding="utf-8") as file:
        return [(row["slug"], tr(row["name_en"], row["name_ru"], row["name_kk"])) for row in csv.DictReader(file)]


def build(slug: str, title: dict[str, str], items: list[Item],
          choices: dict[str, list[tuple[str, dict[str, str]]]]) -> spec.FormDefinition:
    """The FormDefinition of the items (positions in order; groups become sections)."""
    sections = [spec.SectionDef(spec.ROOT_SECTION, None, 0)]
    questions: list[spec.QuestionDef] = []
    _walk(items, spec.ROOT_SECTION, sections, questions)
    return spec.FormDefinition(
        slug=slug, title=title, default_language="English (en)", languages=LANGUAGES,
        sections=tuple(sections), questions=tuple(questions),
        choices=tuple(spec.ChoiceDef(list_name, name, labels)
                      for list_name, options in choices.items() for name, labels in options))


def _walk(items, section: str, sections: list, questions: list) -> None:
    for item in items:
        position = len(sections) + len(questions)
        if item.kind == "group":
            sections.append(spec.SectionDef(item.name, section, position, item.labels, item.relevant))
            _walk(item.items, item.name, sections, questions)
            continue
        questions.append(spec.QuestionDef(
            name=item.name, type=item.kind, section=section, position=position, labels=item.labels,
            hints=item.hints, required=item.required, relevant=item.relevant, constraint=item.constraint,
            constraint_message=item.constraint_message, appearance=item.appearance,
            choice_list=item.choice_list, area=item.area, indicator=item.indicator))
