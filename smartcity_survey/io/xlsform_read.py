"""Read an XLSForm (.xlsx) into a FormDefinition, or say sheet by sheet and row by row why not.

pyxform reads the workbook and validates it (see xlsform_pyxform); this module maps every row to
the platform's question types and refuses what the subset does not cover (see xlsform_rules).
Nothing is dropped silently: rows pyxform would skip and columns without meaning to XLSForm come
back as warnings.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import BinaryIO

from pyxform import aliases

from .. import questionnaire_spec as spec
from ..expressions import NAME, ExpressionError, derive_bounds, parse
from .xlsform_languages import Languages
from .xlsform_lengths import too_long
from .xlsform_pyxform import (OWN_SURVEY_COLUMNS, SURVEY_COLUMNS, FormError, Sheet, UnreadableForm, UnreadableSheet,
                              grouped_sheet, load_workbook, pyxform_check, unread_content)
from .xlsform_rules import (CODE, Unsupported, WrongCase, appearance_problem, classify_type, column_problem,
                            reference_problem)
from .xlsform_sheets import misnamed_sheets, read_choices, read_extra_sheets, read_settings


@dataclass
class XLSFormResult:
    """definition is None whenever errors is not empty."""

    definition: spec.FormDefinition | None
    errors: list[FormError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def read_xlsform(source: bytes | str | Path | BinaryIO, filename: str | None = None) -> XLSFormResult:
    """Read and validate an XLSForm. `filename` (or the path) supplies the slug when settings has no form_id."""
    if isinstance(source, (str, Path)):
        data, filename = Path(source).read_bytes(), filename or str(source)
    else:
        data = source if isinstance(source, bytes) else source.read()
    stem = Path(filename).stem if filename else ""
    try:
        workbook = load_workbook(data)
    except UnreadableForm as exc:
        return XLSFormResult(None, exc.errors)
    unread = unread_content(data, workbook)
    if unread:  # with part of the form missing, anything said about the rest could mislead
        return XLSFormResult(None, unread)
    reader = _Reader(workbook, stem)
    try:
        definition = reader.read()
    except UnreadableSheet as exc:
        definition = None
        reader.errors.append(exc.error)
    pyxform_errors, pyxform_warnings = pyxform_check(workbook, stem or "data")
    errors = reader.errors + _new_problems(pyxform_errors, reader.errors)
    warnings = reader.warnings + _new_warnings(pyxform_warnings, reader.warnings)
    return XLSFormResult(None if errors else definition, errors, warnings)


def _new_problems(pyxform_errors: list[FormError], ours: list[FormError]) -> list[FormError]:
    """pyxform's errors on rows we have not already explained (its row-less ones only if we found nothing)."""
    explained = {(e.sheet, e.row) for e in ours}
    return [e for e in pyxform_errors if (e.row is not None and (e.sheet, e.row) not in explained) or not ours]


def _new_warnings(pyxform_warnings: list[str], ours: list[str]) -> list[str]:
    """pyxform's warnings, except on rows we already warned about (e.g. the rows both skip)."""
    places = {warning.split(":", 1)[0] for warning in ours if warning.startswith("sheet ")}
    return [w for w in pyxform_warnings if not (w.startswith("sheet ") and w.split(":", 1)[0] in places)]


@dataclass
class _Pending:
    """A question row read on the first pass, checked once every name and choice list is known."""

    question: spec.QuestionDef
    kind: str  # select_one, select_multiple, rank, or the final type
    headers: dict[str, str]  # column -> header as written, for messages


class _Reader:
    def __init__(self, workbook, stem: str):
        self.workbook, self.stem = workbook, stem
        self.errors: list[FormError] = []
        self.warnings: list[str] = []
        self.sections: list[spec.SectionDef] = [spec.SectionDef(spec.ROOT_SECTION, None, 0)]
        self.pending: list[_Pending] = []
        self.names: dict[str, int] = {}  # element name -> row
        self.positions: dict[str, int] = {}  # question name -> position
        self.relevant_headers: dict[str, str] = {}  # group name -> its relevant column as written
        self.refused: set[str] = set()  # names of rows already refused as unsupported
        self.position = 0

    def error(self, row: int | None, message: str, column: str | None = None, sheet: str = "survey") -> None:
        self.errors.append(FormError(sheet, row, message, column))

    def read(self) -> spec.FormDefinition | None:
        self.errors += misnamed_sheets(self.workbook)
        settings = read_settings(self.workbook, self.stem, self.errors, self.warnings)
        self.languages = Languages(settings.default_language)
        if not self.workbook.survey_header:
            if not self.errors:
                self.error(None, "the workbook has no survey sheet")
            return None
        survey = grouped_sheet(self.workbook, "survey", settings.default_language or "default")
        self.errors += self.languages.register(survey)
        self._read_survey(survey)
        choices = read_choices(self.workbook, settings.default_language, self.languages, self.errors, self.warnings)
        read_extra_sheets(self.workbook, self.errors, self.warnings)
        questions = [self._checked(p, choices) for p in self.pending]
        self._check_group_rules()
        if not questions and not self.errors:
            self.error(None, "the survey sheet has no questions")
        texts = [*(s.labels for s in self.sections), *(c.labels for c in choices)]
        for q in questions:
            texts += [q.labels, q.hints, q.required_message, q.constraint_message]
        definition = spec.FormDefinition(
            slug=settings.slug, title=self._title(settings), default_language=settings.default_language,
            languages=self.languages.used_in(texts), sections=tuple(self.sections), questions=tuple(questions),
            choices=tuple(choices), settings=settings.kept)
        self.errors += too_long(definition, lambda path: _header(survey, path), settings)
        self.warnings += [str(warning) for warning in self.languages.unshown(definition.languages)]
        return definition

    def _title(self, settings) -> dict[str, str]:
        titles = dict(settings.titles)
        if settings.title:
            titles = {self.languages.default_key: settings.title, **titles}
        return titles

    # First pass: rows ---------------------------------------------------------------------------
    def _read_survey(self, sheet: Sheet) -> None:
        stack = [self.sections[0]]
        self._warn_unknown_columns(sheet)
        for raw in sheet.rows:
            row = {k: v for k, v in raw.items() if k != "__row"}
            if row:
                self._read_row(row, raw["__row"], sheet, stack)
        for section in stack[1:]:
            self.error(section.row, f"begin_group '{section.name}' has no matching end_group")

    def _warn_unknown_columns(self, sheet: Sheet) -> None:
        for path, header in sheet.headers.items():
            if path[0] not in SURVEY_COLUMNS | OWN_SURVEY_COLUMNS and not path[0].startswith("kobo--"):
                self.warnings.append(str(FormError(sheet.name, 1, "not an XLSForm column; ignored", header)))

    def _read_row(self, row: dict, number: int, sheet: Sheet, stack: list[spec.SectionDef]) -> None:
        type_text = row.get("type")
        if isinstance(type_text, dict) or isinstance(row.get("name"), dict):
            self.error(number, "type and name cannot be translated")
            return
        if not isinstance(type_text, str):
            if "name" in row or "label" in row:
                self.error(number, "the row has a name or label but no type", "type")
            else:
                filled = ", ".join(_header(sheet, path) for path, _ in _leaves(row))
                self.warnings.append(str(FormError("survey", number, f"row without type, name or label is "
                                                                     f"skipped (it only fills {filled})")))
            return
        try:
            kind, list_name = classify_type(type_text)
        except Unsupported as exc:
            if isinstance(exc, WrongCase) or not type_text.strip().lower().startswith("end"):  # the begin row said it
                self.error(number, str(exc))
                self.refused.add(str(row.get("name", "")))  # rules reading it are not reported twice
            return
        self._check_columns(row, number, sheet, is_group=kind in ("begin_group", "end_group"))
        if kind == "end_group":
            self._end_group(number, stack)
        elif kind == "begin_group":
            self._begin_group(row, number, sheet, stack)
        else:
            self._question(row, number, sheet, stack[-1].name, kind, list_name)

    def _check_columns(self, row: dict, number: int, sheet: Sheet, is_group: bool) -> None:
        for path, value in _leaves(row):
            problem = column_problem(path, is_group) or reference_problem(path, value)
            if problem:
                self.error(number, problem, _header(sheet, path))
        appearance = _part(row, "control").get("appearance", "")
        if isinstance(appearance, str) and appearance_problem(appearance):
            self.error(number, appearance_problem(appearance), _header(sheet, ("control", "appearance")))

    def _end_group(self, number: int, stack: list[spec.SectionDef]) -> None:
        if len(stack) == 1:
            self.error(number, "end_group without a matching begin_group")
        else:
            stack.pop()

    def _begin_group(self, row: dict, number: int, sheet: Sheet, stack: list[spec.SectionDef]) -> None:
        name = self._name(row, number, None)
        self.position += 1
        section = spec.SectionDef(
            name=name, parent=stack[-1].name, position=self.position, labels=self.languages.texts(row.get("label")),
            relevant=_text(_part(row, "bind").get("relevant")),
            appearance=_text(_part(row, "control").get("appearance")), row=number)
        self.relevant_headers[name] = _header(sheet, ("bind", "relevant"))
        self.sections.append(section)
        stack.append(section)

    def _name(self, row: dict, number: int, generated: str | None) -> str:
        name = row.get("name", generated)
        if not isinstance(name, str) or not name:
            self.error(number, "a question or group needs a name", "name")
            return f"_row_{number}"
        if not NAME.fullmatch(name):
            self.error(number, f"'{name}' is not a valid name (a Latin letter or _, then Latin letters, digits, "
                               "_ - .)", "name")
        elif name in self.names:
            self.error(number, f"the name '{name}' is already used on row {self.names[name]}", "name")
        self.names.setdefault(name, number)
        return name

    def _question(self, row: dict, number: int, sheet: Sheet, section: str, kind: str, list_name: str | None):
        name = self._name(row, number, f"generated_note_name_{number}" if kind == spec.NOTE else None)
        self.position += 1
        self.positions.setdefault(name, self.position)
        bind = _part(row, "bind")
        appearance = _text(_part(row, "control").get("appearance"))
        if kind == spec.TEXT and "multiline" in appearance.split():
            kind = spec.LONG_TEXT
        question = spec.QuestionDef(
            name=name, type=kind, section=section, position=self.position, choice_list=list_name,
            labels=self.languages.texts(row.get("label")), hints=self.languages.texts(row.get("hint")),
            required=self._required(bind.get("required"), number, sheet, kind),
            required_message=self.languages.texts(bind.get("jr:requiredMsg")),
            relevant=_text(bind.get("relevant")), constraint=_text(bind.get("constraint")),
            constraint_message=self.languages.texts(bind.get("jr:constraintMsg")), appearance=appearance,
            area=_text(row.get("area")) or None, indicator=_text(row.get("indicator")) or None, row=number)
        headers = {column: _header(sheet, path) for column, path in
                   (("relevant", ("bind", "relevant")), ("constraint", ("bind", "constraint")),
                    ("area", ("area",)), ("indicator", ("indicator",)), ("type", ("type",)))}
        if not question.labels and not question.hints:  # pyxform refuses it too, naming the question, not its row
            label_column = next((header for path, header in sheet.headers.items() if path[0] == "label"), "label")
            self.error(number, f"'{name}' has neither a label nor a hint; the respondent would see only its name",
                       label_column)
        self.pending.append(_Pending(question, kind, headers))

    def _required(self, value: object, number: int, sheet: Sheet, kind: str) -> bool:
        if value is None or value == "":
            return False
        required = _yes_or_no(value)
        if required is None:
            self.error(number, f"'{value}' is not yes or no; conditional required is not supported",
                       _header(sheet, ("bind", "required")))
        elif required and kind == spec.NOTE:
            self.warnings.append(str(FormError("survey", number, "ignored: a note takes no answer",
                                               _header(sheet, ("bind", "required")))))
            return False
        return bool(required)

    # Second pass: names, choices and expressions are known -----------------------------------------
    def _checked(self, pending: _Pending, choices: list[spec.ChoiceDef]) -> spec.QuestionDef:
        question, row = pending.question, pending.question.row
        kind = self._final_type(pending, choices)
        relevant = self._rule(question.relevant, "relevant", pending, allow_self=False)
        constraint = self._rule(question.constraint, "constraint", pending, allow_self=True)
        bounds = derive_bounds(parse(constraint)) if constraint and _parses(constraint) else None
        self._check_mapping(question, kind, pending.headers, row)
        question = replace(question, type=kind, relevant=relevant, constraint=constraint)
        if bounds is None:
            return question
        if kind in (spec.INTEGER, spec.DECIMAL):
            question = replace(question, min_value=bounds.min_value, max_value=bounds.max_value)
        elif kind in spec.LIST_TYPES:
            question = replace(question, min_choices=bounds.min_choices, max_choices=bounds.max_choices)
        elif kind in (spec.TEXT, spec.LONG_TEXT):
            question = replace(question, max_length=bounds.max_length)
        return question

    def _final_type(self, pending: _Pending, choices: list[spec.ChoiceDef]) -> str:
        question = pending.question
        if pending.kind not in ("select_one", "select_multiple", "rank"):
            return pending.kind
        names = [c.name for c in choices if c.list_name == question.choice_list]
        if not names:
            self.error(question.row, f"choice list '{question.choice_list}' is not on the choices sheet",
                       pending.headers["type"])
        if pending.kind != "select_one":
            for bad in (n for n in names if len(n.split()) != 1):
                self.error(question.row, f"choice '{bad}' of list '{question.choice_list}' contains a space, "
                                         "but multiple answers are stored space-separated", pending.headers["type"])
            return spec.MULTIPLE if pending.kind == "select_multiple" else spec.RANKING
        rating = set(spec.RATING_NAMES) <= set(names) <= {*spec.RATING_NAMES, spec.DONT_KNOW}
        return spec.RATING if rating else spec.SINGLE

    def _rule(self, text: str, column: str, pending: _Pending, allow_self: bool) -> str:
        if not text:
            return ""
        return self._checked_expression(text, pending.headers[column], pending.question.row,
                                         pending.question.position, pending.question.name if allow_self else None)

    def _check_group_rules(self) -> None:
        for section in self.sections[1:]:
            if section.relevant:
                self._checked_expression(section.relevant, self.relevant_headers[section.name], section.row,
                                         section.position, None)

    def _checked_expression(self, text: str, column: str, row: int, position: int, own_name: str | None) -> str:
        try:
            expression = parse(text)
        except ExpressionError as exc:
            self.error(row, str(exc), column)
            return text
        for name in sorted(expression.references):
            where = self.positions.get(name)
            if name in self.refused:
                continue
            if where is None:
                what = "a group" if name in self.names else "not a question of this form"
                self.error(row, f"${{{name}}} is {what}; rules refer to questions", column)
            elif where > position or (where == position and name != own_name):
                self.error(row, f"${{{name}}} comes later in the form; rules may only refer to earlier questions",
                           column)
        return text

    def _check_mapping(self, question: spec.QuestionDef, kind: str, headers: dict[str, str], row: int) -> None:
        filled = [(column, code) for column, code in (("area", question.area), ("indicator", question.indicator))
                  if code is not None]
        if filled and kind != spec.RATING:
            self.error(row, "only rating questions (select_one over choices 1-5) are mapped to areas and "
                            "indicators", headers[filled[0][0]])
            return
        for column, code in filled:
            if not CODE.fullmatch(code):
                self.error(row, f"'{code}' is not a code (a-z, 0-9, _ . -)", headers[column])
        if question.indicator and not question.area:
            self.error(row, "an indicator needs its area in the area column", headers["indicator"])


def _parses(text: str) -> bool:
    try:
        parse(text)
    except ExpressionError:
        return False
    return True


def _leaves(row: dict, prefix: tuple[str, ...] = ()):
    """(column path, value) for every filled cell of a grouped row."""
    for key, value in row.items():
        if isinstance(value, dict):
            yield from _leaves(value, (*prefix, key))
        elif value not in (None, ""):
            yield (*prefix, key), value


def _header(sheet: Sheet, path: tuple[str, ...]) -> str:
    """The column as the form spells it (a plain column pyxform filed under the default language included)."""
    return sheet.headers.get(path) or sheet.headers.get(path[:-1]) or "::".join(path)


def _part(row: dict, key: str) -> dict:
    """A grouped part of a row ("bind", "control"); a plain column of that name is refused elsewhere."""
    value = row.get(key)
    return value if isinstance(value, dict) else {}


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


def _yes_or_no(value: object) -> bool | None:
    """pyxform's yes/no words (yes, TRUE, true(), no…), and 1 or 0: in the XPath a `required` column
    becomes, 1 is true and 0 false, and forms (and spreadsheets turning TRUE into 1) write them."""
    text = str(value).strip()
    if text in aliases.yes_no:
        return aliases.yes_no[text]
    try:
        number = float(text)
    except ValueError:
        return None
    return {1.0: True, 0.0: False}.get(number)
