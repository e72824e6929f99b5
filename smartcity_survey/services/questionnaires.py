"""Questionnaires: create from a definition, versions, opening and closing per city, the defaults.

Contract for callers (CLI, admin pages): pass plain values and a FormDefinition from
io.xlsform.read_xlsform; these functions flush and never commit; refusals raise DomainError
(ImportRejected when a definition's rows are at fault).
"""
from __future__ import annotations

import dataclasses

from datetime import datetime, timezone
from pathlib import Path

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from .. import questionnaire_spec as spec
from ..extensions import db
from ..io.xlsform import FormError, read_xlsform
from ..models import Audience, Choice, City, Question, Questionnaire, QuestionnaireCity, QuestionnaireStatus, Section
from . import DomainError
from .standards import DATA_DIR, ImportRejected, standard_for_year

DEFAULTS_DIR = DATA_DIR / "questionnaires"
#: the questionnaires shipped with the platform: file -> audience
DEFAULT_FILES = {"resident.xlsx": Audience.RESIDENT.value, "business.xlsx": Audience.BUSINESS.value}


def get_questionnaire(slug: str, version: int | None = None) -> Questionnaire | None:
    """A version of a questionnaire; the latest one when version is None."""
    query = select(Questionnaire).where(Questionnaire.slug == slug)
    if version is not None:
        return db.session.scalar(query.where(Questionnaire.version == version))
    return db.session.scalar(query.order_by(Questionnaire.version.desc()).limit(1))


def require_questionnaire(slug: str, version: int | None = None) -> Questionnaire:
    questionnaire = get_questionnaire(slug, version)
    if questionnaire is None:
        raise DomainError(_("no questionnaire '%(slug)s' version %(version)s", slug=slug, version=version)
                          if version else _("no questionnaire '%(slug)s'", slug=slug))
    return questionnaire


def list_questionnaires() -> list[Questionnaire]:
    return list(db.session.scalars(select(Questionnaire).order_by(Questionnaire.slug, Questionnaire.version)))


def create_questionnaire(definition: spec.FormDefinition, *, year: int, audience: str,
                         new_version: bool = False) -> Questionnaire:
    """A draft from an imported definition. An existing slug needs new_version=True (version + 1)."""
    check_year_and_audience(year, audience)
    check_mapping(definition, year)
    latest = get_questionnaire(definition.slug)
    if latest is not None and not new_version:
        raise DomainError(_("questionnaire '%(slug)s' already exists (version %(version)s); import it as a new "
                            "version (--new-version) or change its form_id",
                            slug=definition.slug, version=latest.version))
    questionnaire = Questionnaire(slug=definition.slug, version=latest.version + 1 if latest else 1,
                                  audience=audience, year=year)
    _claim_version(questionnaire)
    _apply(questionnaire, definition)
    return questionnaire


def _claim_version(questionnaire: Questionnaire) -> None:
    """Insert the slug and version at once, before the questions. Two admins importing the same new
    form_id at the same moment both find it free; the unique (slug, version) index lets one through and
    the other gets this message instead of a 500. The caller rolls back on the DomainError (the failed
    insert has already ended the transaction)."""
    db.session.add(questionnaire)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise DomainError(_("questionnaire '%(slug)s' version %(version)s was created by someone else a moment "
                            "ago; yours was not saved. Look at theirs before you try again",
                            slug=questionnaire.slug, version=questionnaire.version)) from None


def check_year_and_audience(year: int, audience: str) -> None:
    if audience not in {a.value for a in Audience}:
        raise DomainError(_("unknown audience '%(audience)s' (resident or business)", audience=audience))
    if not 2000 <= year <= 2100:
        raise DomainError(_("%(year)s is not an assessment year", year=year))


def check_mapping(definition: spec.FormDefinition, year: int) -> None:
    """Area and indicator codes must exist in the standard version that rates `year`."""
    mapped = [q for q in definition.questions if q.area or q.indicator]
    if not mapped:
        return
    standard = standard_for_year(year)
    if standard is None:
        raise DomainError(_("no standard version covers %(year)s, so the area codes cannot be checked",
                            year=year))
    areas = {a.code for a in standard.areas}
    indicators = {i.code: i.area.code for i in standard.indicators}
    errors = []
    for question in mapped:
        if question.area not in areas:
            errors.append(FormError("survey", question.row, _("unknown area '%(area)s' in the %(year)s standard",
                                                              area=question.area, year=standard.year), "area"))
        elif question.indicator and question.indicator not in indicators:
            errors.append(FormError("survey", question.row, _("indicator '%(indicator)s' is not in the %(year)s "
                                                              "standard", indicator=question.indicator,
                                                              year=standard.year), "indicator"))
        elif question.indicator and indicators[question.indicator] != question.area:
            errors.append(FormError("survey", question.row, _("indicator '%(indicator)s' belongs to area %(area)s",
                                                              indicator=question.indicator,
                                                              area=indicators[question.indicator]), "indicator"))
    if errors:
        raise ImportRejected(errors)


def replace_definition(questionnaire: Questionnaire, definition: spec.FormDefinition) -> None:
    """Swap in a new definition of the same slug; refused once the questionnaire has responses."""
    questionnaire.ensure_editable()
    if definition.slug != questionnaire.slug:
        raise DomainError(_("the form's form_id is '%(form_id)s', not '%(slug)s'",
                            form_id=definition.slug, slug=questionnaire.slug))
    check_mapping(definition, questionnaire.year)
    questionnaire.questions.clear()
    questionnaire.choices.clear()
    db.session.flush()  # questions go before the sections they point to
    questionnaire.sections.clear()
    db.session.flush()
    _apply(questionnaire, definition)
    questionnaire.definition_revision = (questionnaire.definition_revision or 1) + 1


def new_version(questionnaire: Questionnaire, definition: spec.FormDefinition | None = None) -> Questionnaire:
    """"A new version is made instead": a draft copy (or the given definition) as the next version of
    the slug, with the same audience, year and cities (all closed)."""
    latest = require_questionnaire(questionnaire.slug)
    copy = Questionnaire(slug=questionnaire.slug, version=latest.version + 1, audience=questionnaire.audience,
                         year=questionnaire.year)
    _claim_version(copy)
    _apply(copy, definition or questionnaire.to_definition())
    for entry in questionnaire.cities:
        copy.cities.append(QuestionnaireCity(city=entry.city))
    db.session.flush()
    return copy


def _apply(questionnaire: Questionnaire, definition: spec.FormDefinition) -> None:
    questionnaire.title = dict(definition.title)
    questionnaire.default_language = definition.default_language
    questionnaire.languages = [{"key": lang.key, "header": lang.header} for lang in definition.languages]
    questionnaire.settings = dict(definition.settings)
    with db.session.no_autoflush:  # half-built rows must not be flushed before they are complete
        sections: dict[str, Section] = {}
        for item in definition.sections:
            sections[item.name] = Section(
                name=item.name, parent=sections.get(item.parent) if item.parent is not None else None,
                position=item.position, labels=dict(item.labels), relevant=item.relevant, appearance=item.appearance)
            questionnaire.sections.append(sections[item.name])
        for item in definition.questions:
            questionnaire.questions.append(_question(item, sections[item.section]))
        for position, item in enumerate(definition.choices):
            questionnaire.choices.append(Choice(list_name=item.list_name, name=item.name, labels=dict(item.labels),
                                                position=position))
    db.session.flush()


def _question(item: spec.QuestionDef, section: Section) -> Question:
    return Question(
        name=item.name, type=item.type, section=section, position=item.position, labels=dict(item.labels),
        hints=dict(item.hints), required=item.required, required_message=dict(item.required_message),
        relevant=item.relevant, constraint=item.constraint, constraint_message=dict(item.constraint_message),
        appearance=item.appearance, choice_list=item.choice_list, area_code=item.area, indicator_code=item.indicator,
        min_value=item.min_value, max_value=item.max_value, min_choices=item.min_choices,
        max_choices=item.max_choices, max_length=item.max_length)


# Lifecycle ----------------------------------------------------------------------------------------
def open_questionnaire(slug: str, city_slugs: list[str] | None = None, *, now: datetime | None = None,
                       closes_at: datetime | None = None, version: int | None = None) -> Questionnaire:
    """Open the latest version (or the given one) in the given cities; without cities, in the cities it
    was set up for, or in every city when it has none. Refused while another version of the slug is open."""
    questionnaire = require_questionnaire(slug, version)
    other_open = db.session.scalar(select(func.count(Questionnaire.id)).where(
        Questionnaire.slug == slug, Questionnaire.id != questionnaire.id,
        Questionnaire.status == QuestionnaireStatus.OPEN.value))
    if other_open:
        raise DomainError(_("another version of '%(slug)s' is still open; close it first", slug=slug))
    _refuse_areas_outside_standard(questionnaire)
    if city_slugs is not None:
        cities = find_cities(city_slugs)
    else:
        cities = [entry.city for entry in questionnaire.cities] or \
            list(db.session.scalars(select(City).order_by(City.slug)))
    questionnaire.open(cities, now or datetime.now(timezone.utc), closes_at)
    db.session.flush()
    return questionnaire


def _refuse_areas_outside_standard(questionnaire: Questionnaire) -> None:
    """Areas were checked at import against the standard then in force for the year; a standard loaded
    since (2025's spheres over 2019's areas) can drop them, and answers filed under an area the standard
    lacks would count in no report. So opening is refused until the form uses the standard's areas."""
    standard = standard_for_year(questionnaire.year)
    areas = {a.code for a in standard.areas} if standard is not None else set()
    stale = [f"{q.name} ({q.area_code})" for q in questionnaire.questions if q.area_code and q.area_code not in areas]
    if stale:
        raise DomainError(_("the standard in force for %(year)s has no area for these questions: %(listing)s; "
                            "their answers would count in no report. Import the form again with its area codes",
                            year=questionnaire.year, listing=", ".join(stale)))


def close_questionnaire(slug: str, city_slugs: list[str] | None = None, *,
                        now: datetime | None = None, version: int | None = None) -> Questionnaire:
    """Close the latest version (or the given one) in some cities, or (no cities) altogether."""
    questionnaire = require_questionnaire(slug, version)
    questionnaire.close(find_cities(city_slugs) if city_slugs is not None else None,
                        now or datetime.now(timezone.utc))
    db.session.flush()
    return questionnaire


def find_cities(slugs: list[str]) -> list[City]:
    found = {c.slug: c for c in db.session.scalars(select(City).where(City.slug.in_(slugs)))}
    unknown = [slug for slug in slugs if slug not in found]
    if unknown:
        raise DomainError(_("unknown city: %(cities)s", cities=", ".join(unknown)))
    return [found[slug] for slug in dict.fromkeys(slugs)]


# The shipped questionnaires ----------------------------------------------------------------------
def load_default_questionnaires(year: int, folder: Path = DEFAULTS_DIR) -> list[Questionnaire]:
    """Import the shipped questionnaires as drafts unless their slug exists. Returns those created."""
    created = []
    for filename, audience in DEFAULT_FILES.items():
        result = read_xlsform(folder / filename)
        if result.errors:  # a packaging bug, not user input
            raise ImportRejected(result.errors)
        if get_questionnaire(result.definition.slug) is None:
            definition = fit_indicators_to_standard(result.definition, year)
            created.append(create_questionnaire(definition, year=year, audience=audience))
    return created


def fit_indicators_to_standard(definition: spec.FormDefinition, year: int) -> spec.FormDefinition:
    """The shipped forms name indicators of the bundled 2019 catalogue. When an official catalogue
    with other codes is loaded, those links are dropped (the area mapping stays) rather than
    refusing to set the platform up."""
    standard = standard_for_year(year)
    known = {i.code: i.area.code for i in standard.indicators} if standard is not None else {}
    questions = tuple(
        q if not q.indicator or known.get(q.indicator) == q.area else dataclasses.replace(q, indicator=None)
        for q in definition.questions)
    return dataclasses.replace(definition, questions=questions)
