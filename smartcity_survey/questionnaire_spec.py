"""A questionnaire's definition as plain data: what the XLSForm reader produces, the writer and the
database store, and the answer validator works on. No Flask, no SQLAlchemy.

Translatable texts are dicts {language key: text}. A language key is a code ("en", "ru", "kk", or
any code given in a column header as "Name (xx)"), a language name when the header gives no code
("Tetun"), or "default" for columns without a language.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property

RATING = "rating"  #: select_one over choices named 1..5, optionally with "dk"
SINGLE = "single"  #: select_one
MULTIPLE = "multiple"  #: select_multiple
RANKING = "ranking"  #: ODK rank: chosen items in order of preference
INTEGER = "integer"
DECIMAL = "decimal"
TEXT = "text"  #: one line
LONG_TEXT = "long_text"  #: XLSForm text with appearance multiline
NOTE = "note"  #: display only, takes no answer
QUESTION_TYPES = (RATING, SINGLE, MULTIPLE, RANKING, INTEGER, DECIMAL, TEXT, LONG_TEXT, NOTE)
CHOICE_TYPES = frozenset({RATING, SINGLE, MULTIPLE, RANKING})
#: answers that are lists of choice names (stored one row per item)
LIST_TYPES = frozenset({MULTIPLE, RANKING})

RATING_NAMES = ("1", "2", "3", "4", "5")
DONT_KNOW = "dk"
DEFAULT_LANGUAGE_KEY = "default"
#: the unnamed section that holds the questions outside any group; a flat form has only this one
ROOT_SECTION = ""


@dataclass(frozen=True)
class Language:
    #: "en", "Tetun", "default", ...: the key of every translation dict
    key: str
    #: the language part of the column headers as the form spells it ("English (en)"); None: plain column
    header: str | None


@dataclass(frozen=True)
class ChoiceDef:
    list_name: str
    name: str
    labels: dict[str, str]
    #: spreadsheet row on the choices sheet, for messages; not part of the definition's identity
    row: int = field(default=0, compare=False)


@dataclass(frozen=True)
class SectionDef:
    """An XLSForm group. sections[0] of every form is the root (name "") and has no row of its own."""

    name: str
    parent: str | None  # name of the enclosing section; None only for the root
    position: int  # order among all items (sections and questions), the root is 0
    labels: dict[str, str] = field(default_factory=dict)
    relevant: str = ""
    appearance: str = ""
    row: int = field(default=0, compare=False)


@dataclass(frozen=True)
class QuestionDef:
    name: str
    type: str
    section: str  # name of the section holding it ("" = root)
    position: int
    labels: dict[str, str] = field(default_factory=dict)
    hints: dict[str, str] = field(default_factory=dict)
    required: bool = False
    required_message: dict[str, str] = field(default_factory=dict)
    relevant: str = ""
    constraint: str = ""
    constraint_message: dict[str, str] = field(default_factory=dict)
    appearance: str = ""
    choice_list: str | None = None
    #: standard area code (rating items only) and optionally one indicator code of that area
    area: str | None = None
    indicator: str | None = None
    # Derived from `constraint` (conjuncts like ". >= 0", "count-selected(.) <= 3"); hints for the
    # answering page and precise messages. The constraint itself stays the rule that is enforced.
    min_value: float | None = None
    max_value: float | None = None
    min_choices: int | None = None
    max_choices: int | None = None
    max_length: int | None = None
    row: int = field(default=0, compare=False)

    @property
    def allows_answer(self) -> bool:
        return self.type != NOTE


@dataclass(frozen=True)
class FormDefinition:
    slug: str
    #: {language key: title}; form_title gives the default language's, form_title_<code> the others
    title: dict[str, str]
    #: the settings sheet's default_language as written ("" when absent)
    default_language: str
    languages: tuple[Language, ...]
    sections: tuple[SectionDef, ...]
    questions: tuple[QuestionDef, ...]
    choices: tuple[ChoiceDef, ...]
    #: other settings kept verbatim for export (version, instance_name, style)
    settings: dict[str, str] = field(default_factory=dict)

    def question(self, name: str) -> QuestionDef | None:
        return self._questions_by_name.get(name)

    def choices_of(self, list_name: str | None) -> tuple[ChoiceDef, ...]:
        return self._choices_by_list.get(list_name, ())

    def choice_names(self, list_name: str | None) -> frozenset[str]:
        return self._choice_names_by_list.get(list_name, frozenset())

    def section(self, name: str) -> SectionDef:
        return self._sections_by_name[name]

    # Indexes, built on first use: every answer check and every page render looks questions and
    # choices up by name, and a definition is never changed once made (frozen).
    @cached_property
    def _questions_by_name(self) -> dict[str, QuestionDef]:
        return {q.name: q for q in reversed(self.questions)}  # the first of a duplicated name wins

    @cached_property
    def _choices_by_list(self) -> dict[str | None, tuple[ChoiceDef, ...]]:
        lists: dict[str | None, list[ChoiceDef]] = {}
        for choice in self.choices:
            lists.setdefault(choice.list_name, []).append(choice)
        return {name: tuple(items) for name, items in lists.items()}

    @cached_property
    def _choice_names_by_list(self) -> dict[str | None, frozenset[str]]:
        return {name: frozenset(c.name for c in items) for name, items in self._choices_by_list.items()}

    @cached_property
    def _sections_by_name(self) -> dict[str, SectionDef]:
        return {s.name: s for s in reversed(self.sections)}

    def section_chain(self, name: str) -> tuple[SectionDef, ...]:
        """The section and its ancestors, innermost first, root last."""
        return self._chains[name]

    @cached_property
    def _chains(self) -> dict[str, tuple[SectionDef, ...]]:
        # every relevance check of every answer walks one of these
        chains = {}
        for name in self._sections_by_name:
            links = [self.section(name)]
            while links[-1].parent is not None:
                links.append(self.section(links[-1].parent))
            chains[name] = tuple(links)
        return chains

    def allows_dont_know(self, question: QuestionDef) -> bool:
        return question.type == RATING and any(c.name == DONT_KNOW for c in self.choices_of(question.choice_list))

    def items(self) -> Iterator[SectionDef | QuestionDef]:
        """Sections (except the root) and questions in form order, as the survey sheet lists them."""
        merged = [*self.sections[1:], *self.questions]
        return iter(sorted(merged, key=lambda item: item.position))

    def blocks(self) -> tuple[tuple[SectionDef | None, tuple[QuestionDef, ...]], ...]:
        """The form cut into pages: each top-level group with every question nested in it, and each run
        of questions outside any group (section None)."""
        return self._blocks

    @cached_property
    def _blocks(self) -> tuple[tuple[SectionDef | None, tuple[QuestionDef, ...]], ...]:
        blocks: list[tuple[SectionDef | None, list[QuestionDef]]] = []
        for question in sorted(self.questions, key=lambda q: q.position):
            top = self.section_chain(question.section)[-2] if question.section else None
            if blocks and blocks[-1][0] == top:
                blocks[-1][1].append(question)
            else:
                blocks.append((top, [question]))
        return tuple((section, tuple(questions)) for section, questions in blocks)


def text_in(texts: dict[str, str], language: str, fallback: str = "") -> str:
    """A translation in `language`, else the language-less text, else English, else any; else fallback."""
    return message_in(texts, language) or next((text for text in texts.values() if text), fallback)


def message_in(texts: dict[str, str], language: str) -> str:
    """A form's own message (required_message, constraint_message) in `language`, else the language-less
    one, else English; else "", and the caller shows the platform's message, which is translated. Unlike
    a label, a message in some other language is not shown: a Russian respondent is better told in
    Russian that an answer is missing than in the form's Kazakh-only words."""
    for key in (language, DEFAULT_LANGUAGE_KEY, "en"):
        if texts.get(key):
            return texts[key]
    return ""
