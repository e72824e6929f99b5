"""What the admin pages do to questionnaires: import an uploaded XLSForm, open and close a version in
cities, make a new version, switch the access mode, generate invitation codes, export responses.

Each action is recorded in the administrators' log (models.audit), in the caller's transaction, so
an action that fails leaves no record either. The CLI (cli_questionnaires.py) does the same work
without the log: it is run by whoever operates the server. These functions flush and never commit.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from .. import questionnaire_spec as spec
from ..extensions import db
from ..io.xlsform import read_xlsform
from ..models import AccessMode, AdminActionKind, City, Questionnaire, QuestionnaireStatus
from . import DomainError
from .audit import record_admin_action
from .history import Actor
from .invitations import generate_invitations
from .questionnaires import (check_year_and_audience, close_questionnaire, create_questionnaire, get_questionnaire,
                             new_version, open_questionnaire, replace_definition)
from .standards import ImportRejected


class ImportOutcome(str, enum.Enum):
    CREATED = "created"  # a new slug: version 1
    REPLACED = "replaced"  # the slug's latest version was an unpublished draft: its questions were swapped
    NEW_VERSION = "new_version"  # the latest version was already published (open or closed)


@dataclass(frozen=True)
class Imported:
    questionnaire: Questionnaire
    outcome: ImportOutcome
    warnings: list[str] = field(default_factory=list)


def _label(questionnaire: Questionnaire) -> str:
    return f"{questionnaire.slug} version {questionnaire.version}"


def _named(questionnaire: Questionnaire) -> dict:
    return {"slug": questionnaire.slug, "version": questionnaire.version}


def import_xlsform(actor: Actor, data: bytes, filename: str, *, year: int, audience: str) -> Imported:
    """All or nothing: any error in the file raises ImportRejected (every error, by sheet and row)."""
    result = read_xlsform(data, filename)
    if result.errors:
        raise ImportRejected(result.errors)
    questionnaire, outcome = _store(result.definition, year, audience)
    record_admin_action(actor, AdminActionKind.QUESTIONNAIRE_IMPORT.value,
                        detail=f"{_label(questionnaire)} ({outcome.value}), {audience}, {year}",
                        **_named(questionnaire), outcome=outcome.value, audience=audience, year=year)
    return Imported(questionnaire, outcome, list(result.warnings))


def _store(definition: spec.FormDefinition, year: int, audience: str) -> tuple[Questionnaire, ImportOutcome]:
    """A slug seen before becomes a new version once published; a draft nobody could answer yet is
    corrected in place rather than piling up unpublished versions."""
    latest = get_questionnaire(definition.slug)
    if latest is None:
        return create_questionnaire(definition, year=year, audience=audience), ImportOutcome.CREATED
    if latest.status == QuestionnaireStatus.DRAFT.value:
        check_year_and_audience(year, audience)
        latest.year, latest.audience = year, audience
        replace_definition(latest, definition)
        return latest, ImportOutcome.REPLACED
    questionnaire = create_questionnaire(definition, year=year, audience=audience, new_version=True)
    return questionnaire, ImportOutcome.NEW_VERSION


def all_city_slugs() -> list[str]:
    return list(db.session.scalars(select(City.slug).order_by(City.slug)))


def open_in(actor: Actor, questionnaire: Questionnaire, city_slugs: list[str] | None, *,
            closes_at: datetime | None = None, now: datetime | None = None) -> Questionnaire:
    """Open the version in the given cities, or (None) in every city."""
    slugs = all_city_slugs() if city_slugs is None else city_slugs
    open_questionnaire(questionnaire.slug, slugs, version=questionnaire.version, closes_at=closes_at, now=now)
    where = "all cities" if city_slugs is None else ", ".join(slugs)
    record_admin_action(actor, AdminActionKind.QUESTIONNAIRE_OPEN.value,
                        detail=f"{_label(questionnaire)}: {where}"
                        + (f"; closes {closes_at.isoformat()}" if closes_at else ""),
                        **_named(questionnaire), cities=city_slugs,
                        closes=closes_at.isoformat() if closes_at else None)
    return questionnaire


def close_in(actor: Actor, questionnaire: Questionnaire, city_slugs: list[str] | None, *,
             now: datetime | None = None) -> Questionnaire:
    """Close the version in the given cities (it stays open elsewhere), or (None) altogether."""
    close_questionnaire(questionnaire.slug, city_slugs, version=questionnaire.version, now=now)
    where = "whole questionnaire" if city_slugs is None else ", ".join(city_slugs)
    record_admin_action(actor, AdminActionKind.QUESTIONNAIRE_CLOSE.value, detail=f"{_label(questionnaire)}: {where}",
                        **_named(questionnaire), cities=city_slugs)
    return questionnaire


def make_new_version(actor: Actor, questionnaire: Questionnaire) -> Questionnaire:
    """A draft copy as the slug's next version (same audience, year and cities, all closed)."""
    copy = new_version(questionnaire)
    record_admin_action(actor, AdminActionKind.QUESTIONNAIRE_NEW_VERSION.value,
                        detail=f"{_label(copy)} from version {questionnaire.version}",
                        **_named(copy), from_version=questionnaire.version)
    return copy


def set_version_access_mode(actor: Actor, questionnaire: Questionnaire, mode: str) -> None:
    """Open link (anyone, once per browser) or invitation codes, for this version."""
    if mode not in {m.value for m in AccessMode}:
        raise DomainError(_("Unknown access mode."))
    if questionnaire.status == QuestionnaireStatus.CLOSED.value:
        raise DomainError(_("This questionnaire is closed; its access mode no longer matters."))
    if questionnaire.access_mode == mode:
        return
    questionnaire.access_mode = mode
    record_admin_action(actor, AdminActionKind.QUESTIONNAIRE_ACCESS_MODE.value,
                        detail=f"{_label(questionnaire)}: {mode}", **_named(questionnaire), mode=mode)
    db.session.flush()


def generate_codes(actor: Actor, questionnaire: Questionnaire, city: City, count: int) -> list[str]:
    """New single-use codes (services.invitations); only their hashes are stored."""
    codes = generate_invitations(questionnaire, city, count)
    record_admin_action(actor, AdminActionKind.INVITATIONS_GENERATE.value,
                        detail=f"{_label(questionnaire)}: {len(codes)} codes for {city.slug}",
                        **_named(questionnaire), count=len(codes), city=city.slug)
    return codes


def record_export(actor: Actor, questionnaire: Questionnaire, file_format: str) -> None:
    """Raw responses leave the platform: the log says who took which questionnaire's, in which format."""
    record_admin_action(actor, AdminActionKind.RESPONSES_EXPORT.value,
                        detail=f"{_label(questionnaire)}: {file_format}", **_named(questionnaire),
                        format=file_format)
