"""Synthetic survey answers for the demo: residents and businesses of every city answer the shipped
questionnaires, so the first page a newcomer opens shows official against perceived.

Everything is seeded (the same on every machine) and stored with source "demo". The answers follow the
city's official area percents with a random lag, a few areas lag far behind on purpose (a flagged gap
to look at), and one city has too few residents (suppressed cells to look at).
"""
from __future__ import annotations

import random

from sqlalchemy import select

from .. import questionnaire_spec as spec
from ..answering import check_answers
from ..extensions import db
from ..models import City, PopulationMargin, Questionnaire, ResponseSource
from ..xpath import is_valid_bin
from ..models.moderation import ReviewStatus
from .moderation import list_suggestions, review_suggestion
from .questionnaires import DEFAULT_FILES, DEFAULTS_DIR, create_questionnaire, fit_indicators_to_standard
from .rating import official_rating
from .responses import store_response

#: a city whose residents barely answered, so its cells are suppressed
FEW_RESPONDENTS = "aktau"
#: (city, area) pairs where residents see far less than the akimat reports
LAGGING = {("almaty", "hcs"), ("shymkent", "its"), ("karaganda", "ctm"), ("astana", "scy"), ("oral", "hlt")}
SUGGESTIONS = [
    "Demo: please make the clinic booking work on older phones.",
    "Демо: добавьте расписание автобусов в реальном времени на остановках.",
    "Демо: балабақша кезегі туралы хабарламалар SMS арқылы келсін.",
    "Demo: the 109 hotline should answer faster in the evening.",
    "Демо: нужен бесплатный Wi-Fi в парках.",
]
#: population shares for raking in the demo (one city, to show what "raked" looks like)
DEMO_MARGINS = {"almaty": {"gender": {"female": 0.53, "male": 0.47},
                           "age_band": {"18_24": 0.14, "25_34": 0.24, "35_44": 0.21, "45_54": 0.16,
                                        "55_64": 0.13, "65_plus": 0.12}}}


def demo_questionnaires(year: int) -> list[Questionnaire]:
    """The shipped questionnaires as versions for `year`, open in every city."""
    from datetime import datetime, timezone

    from ..io.xlsform import read_xlsform

    cities = list(db.session.scalars(select(City)))
    made = []
    for filename, audience in DEFAULT_FILES.items():
        definition = fit_indicators_to_standard(read_xlsform(DEFAULTS_DIR / filename).definition, year)
        existing = db.session.scalar(select(Questionnaire).where(
            Questionnaire.slug == definition.slug, Questionnaire.year == year))
        questionnaire = existing or create_questionnaire(
            definition, year=year, audience=audience,
            new_version=db.session.scalar(select(Questionnaire.id).where(
                Questionnaire.slug == definition.slug).limit(1)) is not None)
        if questionnaire.status == "draft":
            questionnaire.open(cities, datetime.now(timezone.utc))
        made.append(questionnaire)
    db.session.flush()
    return made


def fill_demo_survey(year: int) -> int:
    """Store synthetic responses for every city in `year`'s demo questionnaires. Returns how many."""
    rating = official_rating(year)
    official = {entry.city.slug: {a: area.percent for a, area in entry.score.areas.items()}
                for entry in (rating.cities if rating else [])}
    count = 0
    for questionnaire in demo_questionnaires(year):
        definition = questionnaire.to_definition()
        for city in db.session.scalars(select(City).order_by(City.slug)):
            rng = random.Random(f"{year}:{questionnaire.audience}:{city.slug}")
            for number in range(_respondents(rng, questionnaire.audience, city.slug)):
                raw = _answers(rng, definition, city.slug, official.get(city.slug, {}))
                values = _valid_values(definition, raw)
                store_response(questionnaire, city, values, source=ResponseSource.DEMO.value,
                               language=rng.choice(["kk", "ru", "en"]), respondent_id=f"demo-{city.slug}-{number}")
                count += 1
    _load_demo_margins()
    _moderate_some_suggestions()
    db.session.flush()
    return count


def _moderate_some_suggestions() -> None:
    """Approve half the demo suggestions under an area, so the public pages have some to show;
    the rest stay in the moderation queue."""
    areas = ["hlt", "its", "edu", "ctm", "ict"]
    for index, suggestion in enumerate(list_suggestions(pending=True, limit=10_000)):
        if index % 2 == 0:
            review_suggestion(suggestion.answer_id, ReviewStatus.APPROVED.value, area_code=areas[index % len(areas)],
                              actor="demo")


def _respondents(rng: random.Random, audience: str, city: str) -> int:
    if audience == "business":
        return rng.randint(31, 42)
    return 22 if city == FEW_RESPONDENTS else rng.randint(48, 70)


def _answers(rng: random.Random, definition: spec.FormDefinition, city: str, official: dict) -> dict:
    raw: dict[str, object] = {}
    for question in definition.questions:
        choices = [c.name for c in definition.choices_of(question.choice_list)]
        raw[question.name] = _answer(rng, question, choices, city, official)
    return raw


def _answer(rng: random.Random, question: spec.QuestionDef, choices: list[str], city: str, official: dict):
    kind = question.type
    if kind == spec.RATING:
        return _rating(rng, question, spec.DONT_KNOW in choices, city, official)
    if kind == spec.SINGLE:
        if question.name == "city" and city in choices:
            return city
        if set(choices) >= {"yes", "no"}:
            return "yes" if rng.random() < 0.75 else "no"
        return rng.choice(choices)
    if kind in (spec.MULTIPLE, spec.RANKING):
        wanted = question.max_choices or question.min_choices or 2
        return rng.sample(choices, min(len(choices), wanted))
    if kind in (spec.INTEGER, spec.DECIMAL):
        low, high = question.min_value or 0, question.max_value or 10
        return str(rng.randint(int(low), int(high)))
    if question.name == "bin":
        return _bin(rng) if rng.random() < 0.6 else None
    if kind == spec.LONG_TEXT:
        return rng.choice(SUGGESTIONS) if rng.random() < 0.15 else None
    if kind == spec.TEXT:
        return f"Demo district {rng.randint(1, 6)}"
    return None


def _rating(rng: random.Random, question: spec.QuestionDef, dont_know: bool, city: str, official: dict) -> str:
    if dont_know and rng.random() < 0.1:
        return spec.DONT_KNOW
    area = question.area
    claimed = float(official[area]) if official.get(area) is not None else 60.0
    lag = 35.0 if (city, area) in LAGGING else rng.gauss(6.0, 6.0)
    mean_rating = 1 + max(0.0, min(100.0, claimed - lag)) / 25
    return str(min(5, max(1, round(rng.gauss(mean_rating, 0.9)))))


def _bin(rng: random.Random) -> str:
    while True:
        candidate = "".join(str(rng.randint(0, 9)) for _ in range(12))
        if is_valid_bin(candidate):
            return candidate


def _valid_values(definition: spec.FormDefinition, raw: dict) -> dict:
    """check_answers drops what skip logic hides; anything it still refuses is left unanswered."""
    for _ in range(3):
        checked = check_answers(definition, raw)
        if not checked.errors:
            return checked.values
        for name in checked.errors:
            raw[name] = None
    raise ValueError(f"demo answers do not validate: {checked.errors}")


def _load_demo_margins() -> None:
    cities = {c.slug: c for c in db.session.scalars(select(City))}
    for slug, variables in DEMO_MARGINS.items():
        for variable, shares in variables.items():
            for category, share in shares.items():
                db.session.add(PopulationMargin(city_id=cities[slug].id, variable=variable, category=category, share=share))
