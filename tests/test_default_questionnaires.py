"""The shipped resident and business questionnaires: generated from scripts/, complete in three
languages, every area rated, skip logic on use questions, and nothing that identifies a person."""
import csv
import importlib.util
import re
from collections import Counter

import pytest

from smartcity_survey import questionnaire_spec as spec
from smartcity_survey.io.xlsform import read_xlsform
from tests.xlsform_helpers import DEFAULT_FORMS, PROJECT

KAZAKH_LETTERS = set("әіңғүұқө")
CYRILLIC = re.compile("[А-Яа-яЁёӘәІіҢңҒғҮүҰұҚқӨөҺһ]")


def column(path: str, name: str) -> list[str]:
    return [row[name] for row in csv.DictReader((PROJECT / path).read_text(encoding="utf-8").splitlines())]


AREAS = column("smartcity_survey/data/standards/2019/areas.csv", "code")
CITIES = column("smartcity_survey/data/cities.csv", "slug")


def form(slug: str) -> spec.FormDefinition:
    result = read_xlsform(DEFAULT_FORMS / f"{slug}.xlsx")
    assert result.errors == [] and result.warnings == [], result.errors + result.warnings
    return result.definition


def texts(definition: spec.FormDefinition) -> list[dict[str, str]]:
    found = [definition.title, *(s.labels for s in definition.sections[1:]), *(c.labels for c in definition.choices)]
    for question in definition.questions:
        found += [t for t in (question.labels, question.hints, question.constraint_message) if t]
    return found


def test_committed_files_are_what_the_script_generates():
    """scripts/build_default_questionnaires.py reproduces the .xlsx files (run it after editing the texts)."""
    spec_ = importlib.util.spec_from_file_location("build", PROJECT / "scripts" / "build_default_questionnaires.py")
    build = importlib.util.module_from_spec(spec_)
    spec_.loader.exec_module(build)
    for filename, data in build.generated().items():
        assert read_xlsform(data, filename).definition == form(filename.removesuffix(".xlsx")), filename


@pytest.mark.parametrize("slug", ["resident", "business"])
def test_every_text_is_in_kazakh_russian_and_english(slug):
    """Titles, labels, hints, messages and choices exist in kk, ru and en, in the right scripts."""
    definition = form(slug)
    assert [language.key for language in definition.languages] == ["en", "ru", "kk"]
    for text in texts(definition):
        assert set(text) == {"en", "ru", "kk"} and all(text.values()), text
        assert not re.search("[А-Яа-яЁё]", text["en"]), text["en"]
        for language in ("ru", "kk"):  # any text with letters is written in Cyrillic
            assert not re.search(r"[^\W\d_]", text[language]) or CYRILLIC.search(text[language]), text[language]
    kazakh = [t["kk"].lower() for t in texts(definition)]
    assert KAZAKH_LETTERS <= set("".join(kazakh))  # ә і ң ғ ү ұ қ ө, not Russian look-alikes
    assert sum(bool(KAZAKH_LETTERS & set(text)) for text in kazakh) > len(kazakh) / 2


def test_resident_rates_every_area_at_least_twice_with_skip_logic():
    """At least two rating items per area of the standard; use questions gate ratings by relevant."""
    definition = form("resident")
    ratings = [q for q in definition.questions if q.type == spec.RATING]
    assert all(count >= 2 for count in Counter(q.area for q in ratings).values())
    assert sorted(Counter(q.area for q in ratings)) == sorted(AREAS)
    gated = [q for q in ratings if q.relevant]
    assert len(gated) >= 8
    for question in gated:
        assert definition.question(next(iter(re.findall(r"\$\{(\w+)\}", question.relevant)))).type == spec.SINGLE
    assert all(definition.allows_dont_know(q) and q.required for q in ratings)


def test_resident_priorities_suggestion_and_demographics():
    """Top-3 priorities over the 12 areas, an open suggestion, and city, district, age band and gender."""
    definition = form("resident")
    priorities = definition.question("priorities")
    assert priorities.type == spec.RANKING and priorities.max_choices == 3
    assert [c.name for c in definition.choices_of(priorities.choice_list)] == AREAS
    assert definition.question("suggestion").type == spec.LONG_TEXT
    assert [c.name for c in definition.choices_of(definition.question("home_city").choice_list)] == CITIES
    assert definition.question("district").type == spec.TEXT
    assert "prefer_not" in [c.name for c in definition.choices_of(definition.question("gender").choice_list)]
    assert len(definition.choices_of(definition.question("age_band").choice_list)) == 6


@pytest.mark.parametrize("slug", ["resident", "business"])
def test_nothing_identifies_a_person(slug):
    """No question asks for a name, phone, e-mail, address or IIN."""
    for question in (q for q in form(slug).questions if q.allows_answer):
        assert not re.search(r"name|phone|mail|address|iin", question.name), question.name
        assert not re.search(r"your name|phone number\?|e-mail", question.labels["en"], re.I), question.labels["en"]


def test_business_questionnaire():
    """Sector, size band, an optional BIN checked by bin-checksum(), and ratings on the six areas."""
    definition = form("business")
    assert definition.question("sector").type == definition.question("size_band").type == spec.SINGLE
    bin_question = definition.question("bin")
    assert not bin_question.required and bin_question.constraint == "bin-checksum(.)"
    areas = Counter(q.area for q in definition.questions if q.type == spec.RATING)
    assert set(areas) == {"btd", "ctm", "ict", "its", "bld", "eco"} and min(areas.values()) >= 2
    assert definition.question("suggestion").type == spec.LONG_TEXT
