"""The HTML of one question on an answering page, kept per worker and served again.

A section page is mostly its questions, and a question's HTML depends only on the questionnaire
version's definition, the page's language and a few facts about that respondent: the saved answer,
the error shown, whether the question shows yet and whether it just appeared. For questions answered
by picking from a list (ratings, single and multiple choice, rankings) and for notes those facts take
a handful of values, so the same few hundred fragments serve every respondent of a poll. Rendering
them through the Jinja macros was most of a page's cost.

Text, number and date questions are rendered afresh every time: their values are whatever people
type, which would be worth nothing to keep and is not for a worker's memory to collect. A choice
answer that is not one of the list's names (a forged form) is not kept either.
"""
from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping

from markupsafe import Markup

from .. import questionnaire_spec as spec
from ..models import Questionnaire
from ..services.definitions import definition_stamp
from ..services.stamped_cache import app_cache

#: fragments kept per worker: a 30-question poll in 3 languages needs about 30 x 6 x 3 x 2
MAX_FRAGMENTS = 4096
KEPT_TYPES = frozenset({spec.RATING, spec.SINGLE, spec.MULTIPLE, spec.RANKING, spec.NOTE})


def question_fragments(questionnaire: Questionnaire, definition: spec.FormDefinition, language: str,
                       answers: Mapping[str, object], errors: Mapping[str, str], relevant: set[str],
                       appeared: set[str]) -> Callable[..., Markup]:
    """`fragment(q, caller)` for the page template's `{% call fragment(q) %}{{ question(q) }}{% endcall %}`:
    the kept HTML of question q for this respondent, or caller()'s, kept when it may be."""
    cache = app_cache("question_fragments", MAX_FRAGMENTS)
    stamp = definition_stamp(questionnaire)

    def fragment(q: spec.QuestionDef, caller: Callable[[], str]) -> Markup:
        value = _kept_value(definition, q, answers.get(q.name))
        if value is _NOT_KEPT:
            return Markup(caller())
        key = (questionnaire.id, q.name, language, value, errors.get(q.name), q.name in relevant, q.name in appeared)
        html = cache.get(key, stamp)
        if html is None:
            html = Markup(caller())
            cache.put(key, stamp, html)
        return html

    return fragment


_NOT_KEPT = object()


def _kept_value(definition: spec.FormDefinition, q: spec.QuestionDef, value: object) -> Hashable:
    """The saved answer as part of a cache key, or _NOT_KEPT."""
    if q.type not in KEPT_TYPES:
        return _NOT_KEPT
    if value is None or value == "" or value == []:
        return None
    names = definition.choice_names(q.choice_list) if q.choice_list else frozenset()
    picked = value if isinstance(value, list) else [value]
    if not all(isinstance(item, str) and item in names for item in picked):
        return _NOT_KEPT
    return tuple(picked) if isinstance(value, list) else value
