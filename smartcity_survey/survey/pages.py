"""The answering pages of a questionnaire: the form cut into pages, what each page shows, how a
posted page becomes draft answers, and how answers read on the review page. No database, no HTTP.

Pages are FormDefinition.blocks(): each top-level group, and each run of questions outside any group.
A question shows when its groups' `relevant` and its own hold for the answers saved so far, judged
exactly as answering.check_answers judges them on the final submit; a page where nothing shows is
skipped. The server is the judge of skip logic: survey.js only previews simple same-page rules
(show_when), and the section view re-shows a page when a question on it appeared after "Next".
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from flask_babel import gettext as _

from .. import questionnaire_spec as spec
from ..answering import MAX_LONG_TEXT_LENGTH, AnswerValue, check_answers
from ..expressions import Binary, Call, Literal, Ref, parse

#: a posted text is kept up to this length in the draft: longer than any allowed answer, so the
#: length error still shows, without storing whatever a client cares to send
MAX_RAW_LENGTH = 2 * MAX_LONG_TEXT_LENGTH
MAX_RAW_ITEMS = 100
RawAnswer = str | list[str]


@dataclass(frozen=True)
class Page:
    #: 1-based, as in the URL
    number: int
    #: the top-level group, or None for questions outside any group
    section: spec.SectionDef | None
    questions: tuple[spec.QuestionDef, ...]

    @property
    def answerable(self) -> list[spec.QuestionDef]:
        return [q for q in self.questions if q.allows_answer]


class QuestionnairePages:
    """One questionnaire definition seen as pages."""

    def __init__(self, definition: spec.FormDefinition):
        self.definition = definition
        self.pages = [Page(number, section, tuple(questions))
                      for number, (section, questions) in enumerate(definition.blocks(), start=1)]
        self._answerable = {q.name for q in definition.questions if q.allows_answer}

    def __len__(self) -> int:
        return len(self.pages)

    def page(self, number: int) -> Page | None:
        return self.pages[number - 1] if 1 <= number <= len(self.pages) else None

    def known(self, answers: Mapping[str, object]) -> dict[str, object]:
        """Only the answers to questions of this definition (a draft may outlive a changed question)."""
        return {name: value for name, value in answers.items() if name in self._answerable}

    def relevant(self, answers: Mapping[str, object]) -> set[str]:
        """Names of the questions (notes included) that show, given these answers. Rules look back
        only, so judging every rule against the cleaned answers equals check_answers' walk."""
        values = check_answers(self.definition, self.known(answers)).values
        sections: dict[str, bool] = {}
        return {q.name for q in self.definition.questions if self._shows(q, values, sections)}

    def _shows(self, question: spec.QuestionDef, values: dict, sections: dict[str, bool]) -> bool:
        for section in self.definition.section_chain(question.section):
            if section.name not in sections:
                sections[section.name] = not section.relevant or parse(section.relevant).holds(values)
            if not sections[section.name]:
                return False
        return not question.relevant or parse(question.relevant).holds(values)

    def errors(self, answers: Mapping[str, object], language: str, page: Page | None = None) -> dict[str, str]:
        """What is wrong with the answers (all of them, or one page's), by question name, translated."""
        errors = check_answers(self.definition, self.known(answers), language).errors
        if page is None:
            return errors
        return {q.name: errors[q.name] for q in page.answerable if q.name in errors}

    def step(self, number: int, answers: Mapping[str, object], direction: int,
             relevant: set[str] | None = None) -> Page | None:
        """The next (direction 1) or previous (-1) page that shows something, or None. `relevant`:
        self.relevant(answers) when the caller has it already."""
        relevant = self.relevant(answers) if relevant is None else relevant
        number += direction
        while (page := self.page(number)) is not None:
            if any(q.name in relevant for q in page.questions):
                return page
            number += direction
        return None

    def first_page_of(self, names: set[str]) -> Page | None:
        return next((p for p in self.pages if any(q.name in names for q in p.questions)), None)


def read_page(page: Page, form) -> dict[str, RawAnswer]:
    """The posted answers to a page's questions (a werkzeug MultiDict), bounded in size. Other posted
    names are ignored: only this page's questions can be changed from this page."""
    values: dict[str, RawAnswer] = {}
    for question in page.answerable:
        if question.type in spec.LIST_TYPES:
            items = [item[:MAX_RAW_LENGTH] for item in form.getlist(question.name) if item.strip()]
            values[question.name] = items[:MAX_RAW_ITEMS]
        else:
            values[question.name] = form.get(question.name, "")[:MAX_RAW_LENGTH]
    return values


def is_blank(value: object) -> bool:
    return value is None or value == [] or (isinstance(value, str) and not value.strip())


def show_when(question: spec.QuestionDef, page: Page) -> dict | None:
    """The question's `relevant` as a rule survey.js can evaluate live, when it compares one question
    of the same page with a text (`${q} = 'x'`, `${q} != 'x'`, `selected(${q}, 'x')`); else None
    and the page is re-judged by the server after "Next"."""
    if not question.relevant:
        return None
    root = parse(question.relevant).root
    rule = None
    if isinstance(root, Binary) and root.op in ("=", "!="):
        ref, literal = (root.left, root.right) if isinstance(root.left, Ref) else (root.right, root.left)
        if isinstance(ref, Ref) and isinstance(literal, Literal) and isinstance(literal.value, str):
            rule = {"q": ref.name, "op": root.op, "value": literal.value}
    elif isinstance(root, Call) and root.name == "selected" and isinstance(root.args[0], Ref) \
            and isinstance(root.args[1], Literal) and isinstance(root.args[1].value, str):
        rule = {"q": root.args[0].name, "op": "selected", "value": root.args[1].value}
    on_page = {q.name for q in page.answerable}
    return rule if rule is not None and rule["q"] in on_page else None


@dataclass(frozen=True)
class GroupHeading:
    """A group nested in the page's top-level group, announced before its first question."""

    section: spec.SectionDef
    #: 2 for a group directly inside the page's group, 3 inside that, ... (at most 6)
    level: int
    #: its questions, nested ones included: the heading shows while one of them does
    questions: frozenset[str]


def group_headings(definition: spec.FormDefinition, page: Page) -> dict[str, list[GroupHeading]]:
    """{question name: the headings of the nested groups it is the first question of}. A page is a
    top-level group (its label is the page title); the labels of groups inside it come here."""
    if page.section is None:
        return {}
    chains = {q.name: [s for s in reversed(definition.section_chain(q.section)) if s.parent is not None][1:]
              for q in page.questions}
    members: dict[str, set[str]] = {}
    for name, chain in chains.items():
        for section in chain:
            members.setdefault(section.name, set()).add(name)
    headings: dict[str, list[GroupHeading]] = {}
    entered: list[str] = []
    for question in page.questions:
        chain = chains[question.name]
        common = next((i for i, (a, b) in enumerate(zip(entered, (s.name for s in chain))) if a != b),
                      min(len(entered), len(chain)))
        headings[question.name] = [GroupHeading(section, min(depth + 2, 6), frozenset(members[section.name]))
                                   for depth, section in enumerate(chain) if depth >= common]
        entered = [s.name for s in chain]
    return headings


def rank_slots(definition: spec.FormDefinition, question: spec.QuestionDef) -> int:
    """How many places a ranking question offers: its maximum, else one per choice."""
    available = len(definition.choices_of(question.choice_list))
    return min(question.max_choices or available, available)


def display_answer(definition: spec.FormDefinition, question: spec.QuestionDef, value: AnswerValue,
                   language: str) -> str:
    """A cleaned answer as the respondent reads it on the review page."""
    labels = {c.name: spec.text_in(c.labels, language, fallback=c.name)
              for c in definition.choices_of(question.choice_list)}
    if isinstance(value, list):
        if question.type == spec.RANKING:
            return "; ".join(f"{rank}. {labels.get(item, item)}" for rank, item in enumerate(value, start=1))
        return "; ".join(labels.get(item, item) for item in value)
    if isinstance(value, Decimal):
        return format(value, "f")
    if question.type in spec.CHOICE_TYPES:
        return labels.get(str(value), str(value))
    return str(value)


def review_sections(pages: QuestionnairePages, answers: Mapping[str, object], language: str) -> list[dict]:
    """Per page that shows something: its questions with the answer as read, or what is wrong."""
    checked = check_answers(pages.definition, pages.known(answers), language)
    relevant = pages.relevant(answers)
    sections = []
    for page in pages.pages:
        rows = [{"question": q, "answer": display_answer(pages.definition, q, checked.values[q.name], language)
                 if q.name in checked.values else None, "error": checked.errors.get(q.name)}
                for q in page.answerable if q.name in relevant]
        if rows:
            sections.append({"page": page, "rows": rows})
    return sections


def page_title(page: Page, language: str) -> str:
    """The group's label, or a neutral title for questions outside any group."""
    if page.section is not None:
        return spec.text_in(page.section.labels, language, fallback=page.section.name)
    return _("Introduction") if all(not q.allows_answer for q in page.questions) else _("Questions")
