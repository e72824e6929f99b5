"""A questionnaire version's definition as answering and storing use it, cached per app.

Every answering page and every submit needs the whole definition (sections, questions, choices):
three queries and a few hundred ORM objects per request when read afresh. A version's definition
changes only through services.questionnaires.replace_definition, which bumps
questionnaires.definition_revision in the same transaction, so (revision, created_at) stamps one
definition for good: another worker's replace is seen as soon as it commits, and created_at keeps a
recreated database that reuses ids from being served an old entry. Admin pages and exports keep
reading the rows themselves.
"""
from __future__ import annotations

from dataclasses import dataclass

from .. import questionnaire_spec as spec
from ..models import Questionnaire
from .stamped_cache import app_cache

#: questionnaire versions kept per worker; a city-wide poll has a handful
MAX_ENTRIES = 64


@dataclass(frozen=True)
class StoredDefinition:
    definition: spec.FormDefinition
    #: question name -> questions.id, for writing answer rows without loading Question objects
    question_ids: dict[str, int]


def definition_stamp(questionnaire: Questionnaire) -> tuple:
    """What tells one definition of a questionnaire version from any other, for whatever is made from it."""
    return questionnaire.definition_revision, questionnaire.created_at


def stored_definition(questionnaire: Questionnaire) -> StoredDefinition:
    cache = app_cache("definitions", MAX_ENTRIES)
    stamp = definition_stamp(questionnaire)
    entry = cache.get(questionnaire.id, stamp)
    if entry is None:
        entry = StoredDefinition(questionnaire.to_definition(), {q.name: q.id for q in questionnaire.questions})
        cache.put(questionnaire.id, stamp, entry)
    return entry


def definition_of(questionnaire: Questionnaire) -> spec.FormDefinition:
    return stored_definition(questionnaire).definition
