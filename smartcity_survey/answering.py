"""Check one respondent's answers against a questionnaire definition: pure, shared by the web form and
the responses importer.

Questions are walked in form order. A question whose group or own `relevant` is false is skipped and
any answer to it is dropped (as ODK clears non-relevant answers), so later rules see it unanswered.
Every other answer is checked for type, choices (tampered values are refused), counts, bounds,
length and the form's constraint; messages are translated and keyed by question name.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from flask_babel import gettext as _

from . import questionnaire_spec as spec
from .expressions import parse
from .io.values import parse_number

MAX_TEXT_LENGTH = 500
MAX_LONG_TEXT_LENGTH = 5000
#: numbers are stored as floats; beyond this they would no longer be exact
MAX_MAGNITUDE = Decimal(10) ** 12

AnswerValue = str | int | Decimal | list[str]


@dataclass
class CheckedAnswers:
    #: cleaned answers of the relevant, answered questions: choice name (str), list of choice names,
    #: int, Decimal or text
    values: dict[str, AnswerValue] = field(default_factory=dict)
    #: question name -> what is wrong, in the respondent's language
    errors: dict[str, str] = field(default_factory=dict)


class _Invalid(ValueError):
    """An answer that fails a check; the message is already translated."""


class _OutOfBounds(_Invalid):
    """A bound the form's constraint sets (min/max value, choice count, length) is not met: the precise
    message, unless the form says in its own constraint_message what the constraint wants."""


def check_answers(definition: spec.FormDefinition, raw: Mapping[str, object], language: str = "en") -> CheckedAnswers:
    """raw: {question name: text, list of choice names, number or None}. Multiple choice and ranking
    answers may also be one text of space-separated choice names (the XLSForm convention)."""
    result = CheckedAnswers()
    _unknown_names(definition, raw, result)
    relevant_sections: dict[str, bool] = {}
    for question in sorted(definition.questions, key=lambda q: q.position):
        if question.type == spec.NOTE or not _is_relevant(definition, question, result.values, relevant_sections):
            continue
        try:
            value = _clean(definition, question, raw.get(question.name), language, result.values)
        except _Invalid as exc:
            result.errors[question.name] = str(exc)
            continue
        if value is not None:
            result.values[question.name] = value
    return result


def _unknown_names(definition: spec.FormDefinition, raw: Mapping[str, object], result: CheckedAnswers) -> None:
    for name, value in raw.items():
        question = definition.question(name)
        if question is None:
            result.errors[name] = _("There is no question %(name)s in this questionnaire.", name=name)
        elif question.type == spec.NOTE and not _is_empty(value):
            result.errors[name] = _("%(name)s is a note and takes no answer.", name=name)


def _is_relevant(definition: spec.FormDefinition, question: spec.QuestionDef, values: dict,
                 cache: dict[str, bool]) -> bool:
    for section in definition.section_chain(question.section):
        if section.name not in cache:
            cache[section.name] = not section.relevant or parse(section.relevant).holds(values)
        if not cache[section.name]:
            return False
    return not question.relevant or parse(question.relevant).holds(values)


def _is_empty(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or \
        (isinstance(value, list | tuple) and not any(str(item).strip() for item in value))


def _clean(definition: spec.FormDefinition, question: spec.QuestionDef, raw: object, language: str,
           earlier: dict[str, AnswerValue]) -> AnswerValue | None:
    if _is_empty(raw):
        if question.required:
            raise _Invalid(spec.message_in(question.required_message, language) or _("This question needs an answer."))
        return None
    try:
        value = _CLEANERS[question.type](definition, question, raw)
    except _OutOfBounds as exc:  # the constraint is what failed: its message, as below
        raise _Invalid(spec.message_in(question.constraint_message, language) or str(exc)) from None
    if question.constraint and not parse(question.constraint).holds(
            {**earlier, question.name: value}, current=value):
        raise _Invalid(spec.message_in(question.constraint_message, language)
                       or _("This answer does not meet the question's rule."))
    return value


def _one_choice(definition: spec.FormDefinition, question: spec.QuestionDef, raw: object) -> str:
    if not isinstance(raw, str):
        raise _Invalid(_("Choose one option."))
    name = raw.strip()
    if name not in {c.name for c in definition.choices_of(question.choice_list)}:
        raise _Invalid(_("“%(value)s” is not one of the options.", value=name))
    return name


def _many_choices(definition: spec.FormDefinition, question: spec.QuestionDef, raw: object) -> list[str]:
    items = _items(raw)
    known = [c.name for c in definition.choices_of(question.choice_list)]
    unknown = [item for item in items if item not in known]
    if unknown:
        raise _Invalid(_("“%(value)s” is not one of the options.", value=unknown[0]))
    if len(set(items)) != len(items):
        raise _Invalid(_("Choose each option only once."))
    _check_count(question, len(items), len(known))
    return items if question.type == spec.RANKING else sorted(items, key=known.index)


def _items(raw: object) -> list[str]:
    if isinstance(raw, str):
        return raw.split()
    if isinstance(raw, list | tuple) and all(isinstance(item, str) for item in raw):
        return [item.strip() for item in raw if item.strip()]
    raise _Invalid(_("Choose from the options."))


def _check_count(question: spec.QuestionDef, count: int, available: int) -> None:
    most = min(question.max_choices or available, available)
    if count > most:
        raise (_OutOfBounds if most == question.max_choices else _Invalid)(
            _("Choose at most %(count)d options.", count=most))
    if question.min_choices and count < question.min_choices:
        raise _OutOfBounds(_("Choose at least %(count)d options.", count=question.min_choices))


def _number(definition: spec.FormDefinition, question: spec.QuestionDef, raw: object) -> int | Decimal:
    try:
        number = raw if isinstance(raw, int | Decimal) and not isinstance(raw, bool) \
            else parse_number(str(raw).strip())
    except ValueError:
        number = None
    if number is None or not Decimal(number).is_finite() or abs(Decimal(number)) > MAX_MAGNITUDE:
        raise _Invalid(_("Enter a number."))
    if question.type == spec.INTEGER:
        if Decimal(number) != Decimal(number).to_integral_value():
            raise _Invalid(_("Enter a whole number."))
        number = int(number)
    if question.min_value is not None and number < Decimal(repr(question.min_value)):
        raise _OutOfBounds(_("The answer must be at least %(min)s.", min=_plain(question.min_value)))
    if question.max_value is not None and number > Decimal(repr(question.max_value)):
        raise _OutOfBounds(_("The answer must be at most %(max)s.", max=_plain(question.max_value)))
    return number


def _plain(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else str(number)


def _text(definition: spec.FormDefinition, question: spec.QuestionDef, raw: object) -> str:
    if not isinstance(raw, str):
        raise _Invalid(_("Enter a text."))
    text = raw.strip()
    if "\x00" in text:  # drafts are JSON and hold it; PostgreSQL's text columns do not
        raise _Invalid(_("The answer contains a NUL character, which cannot be stored. Please remove it."))
    cap = MAX_LONG_TEXT_LENGTH if question.type == spec.LONG_TEXT else MAX_TEXT_LENGTH
    limit = min(question.max_length or cap, cap)
    if len(text) > limit:
        raise (_OutOfBounds if limit == question.max_length else _Invalid)(
            _("The answer is longer than %(count)d characters.", count=limit))
    return text


_CLEANERS = {spec.RATING: _one_choice, spec.SINGLE: _one_choice, spec.MULTIPLE: _many_choices,
             spec.RANKING: _many_choices, spec.INTEGER: _number, spec.DECIMAL: _number,
             spec.TEXT: _text, spec.LONG_TEXT: _text}
