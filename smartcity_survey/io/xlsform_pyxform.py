"""The boundary with pyxform: read a workbook the way pyxform reads it, and let pyxform validate it.

Reading through pyxform's own reader and header dealiasing means our row numbers, whitespace
cleaning and legacy spellings (`label:English`, `bind:relevant`, `list name`, ...) are exactly
pyxform's. pyxform's errors and warnings come back as FormError / text naming sheet and row.
"""
from __future__ import annotations

import copy
import io
import re
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from pyxform import aliases, constants
from pyxform.builder import create_survey_element_from_dict
from pyxform.errors import PyXFormError
from pyxform.parsing.sheet_headers import dealias_and_group_headers, process_header
from pyxform.question import MultipleChoiceQuestion, Option
from pyxform.survey import Survey
from pyxform.xls2json import workbook_to_json
from openpyxl import load_workbook as openpyxl_workbook
from openpyxl.utils import get_column_letter
from pyxform.xls2json_backends import DefinitionData, get_excel_column_headers, get_xlsform, is_empty

SURVEY_COLUMNS = frozenset(MultipleChoiceQuestion.get_slot_names())
CHOICE_COLUMNS = frozenset(Option.get_slot_names())
SETTINGS_COLUMNS = frozenset(Survey.get_slot_names())
#: survey columns pyxform does not know: the platform's own mapping, and `disabled` (refused by name).
#: Passed to pyxform's dealiasing with its own, so that they too are matched in any case and spacing.
OWN_SURVEY_COLUMNS = frozenset({"area", "indicator", "disabled"})
#: runs of spaces in a header, which pyxform's reader makes one
_SPACES = re.compile(r"( )+")


@dataclass(frozen=True)
class FormError:
    """One problem, rendered 'sheet survey, row 12: column relevant: unsupported function foo()'."""

    sheet: str | None
    row: int | None
    message: str
    column: str | None = None

    def __str__(self) -> str:
        where = ", ".join(part for part in (self.sheet and f"sheet {self.sheet}",
                                            self.row is not None and f"row {self.row}") if part)
        text = f"column {self.column}: {self.message}" if self.column else self.message
        return f"{where}: {text}" if where else text


class UnreadableForm(ValueError):
    """Not an .xlsx workbook pyxform can open; `errors`: the problems located, where they could be."""

    def __init__(self, message: str, errors: list[FormError] | None = None):
        super().__init__(message)
        self.errors = errors or [FormError(None, None, message)]


class UnreadableSheet(ValueError):
    """A sheet whose headers pyxform refuses (e.g. two spellings of one column)."""

    def __init__(self, error: FormError):
        super().__init__(str(error))
        self.error = error


@dataclass
class Sheet:
    """A sheet as pyxform groups it: rows like {"label": {"English (en)": ...}, "bind": {...}, "__row": 5}."""

    name: str
    rows: list[dict]
    #: token path (("label", "English (en)"), ("bind", "relevant"), ...) -> the header as written
    headers: dict[tuple[str, ...], str]


@contextmanager
def _quiet_openpyxl() -> Iterator[None]:
    # openpyxl warns about workbook styling it cannot read ("no default style", unknown document
    # properties); that never affects cell values, and the test suite turns warnings into errors.
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=UserWarning, module=r"openpyxl\..*")
        yield


def load_workbook(data: bytes) -> DefinitionData:
    """The workbook as pyxform's reader returns it: sheets as lists of {header: text} rows."""
    if data[:2] != b"PK":
        raise UnreadableForm("the file is not an .xlsx workbook")
    try:
        with _quiet_openpyxl():
            return get_xlsform(xlsform=io.BytesIO(data), file_type=".xlsx")
    except PyXFormError as exc:
        if "not recognized as a supported type" in str(exc):  # a zip, but no workbook in it: cut off, or a .docx
            raise UnreadableForm("the workbook cannot be read; the file may be damaged, or it is not an .xlsx "
                                 "workbook") from None
        if str(exc).startswith("Duplicate column header"):  # pyxform names the header, not the sheet
            raise UnreadableForm(str(exc), duplicate_headers(data) or None) from None
        raise UnreadableForm(f"the workbook cannot be read: {exc}") from None
    except Exception as exc:  # noqa: BLE001 - a damaged file fails anywhere in zipfile, XML parsing or openpyxl
        detail = " ".join(str(exc).split())
        raise UnreadableForm(f"the workbook cannot be read; the file may be damaged ({type(exc).__name__}: "
                             f"{detail[:200]})") from None


def unread_content(data: bytes, workbook: DefinitionData) -> list[FormError]:
    """The first cell of each sheet that pyxform's reader did not reach. It stops at a long run of empty
    rows or of empty header cells and says nothing, so what follows would vanish without a message.
    Also every formula saved without its result, which pyxform reads as an empty cell.
    Only .xlsx gets here (load_workbook refuses .xls, .csv and .md), which openpyxl can reopen."""
    with _quiet_openpyxl():
        book = openpyxl_workbook(io.BytesIO(data), read_only=True, data_only=True)
        formulas = openpyxl_workbook(io.BytesIO(data), read_only=True, data_only=False)
        try:
            read = {name: key for name in book.sheetnames if (key := _read_as(name, book.sheetnames))}
            unread = [error for name, key in read.items()
                      if (error := _first_unread(book[name], name, len(getattr(workbook, key) or []))
                          or _first_headerless(book[name], name))]
            return unread + [error for name in read for error in _formulas_without_result(formulas[name], book[name],
                                                                                           name)] + \
                [error for name in read for error in _same_headers(book[name], name)]
        finally:
            book.close()
            formulas.close()


def duplicate_headers(data: bytes) -> list[FormError]:
    """Columns of a sheet pyxform reads that have the same header (see _same_headers)."""
    with _quiet_openpyxl():
        book = openpyxl_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            return [error for name in book.sheetnames if _read_as(name, book.sheetnames)
                    for error in _same_headers(book[name], name)]
        finally:
            book.close()


def _same_headers(sheet, name: str) -> list[FormError]:
    """A header written twice. pyxform refuses the same text without saying on which sheet, and reads
    headers that differ only in spaces around them ('label' and 'label ') as one column, keeping the
    values of the last: the other column's labels were lost without a word."""
    header = next(sheet.iter_rows(max_row=1, values_only=True), ())
    first: dict[str, int] = {}
    errors = []
    for number, value in enumerate(header, start=1):
        if not isinstance(value, str) or not value.strip():
            continue
        cleaned = _SPACES.sub(" ", value.strip())  # as pyxform cleans headers
        if cleaned in first:
            errors.append(FormError(name, 1, f"column {get_column_letter(first[cleaned])} is headed '{cleaned}' too "
                                             "(spaces around a header do not count), and only one of the two "
                                             "columns would be read; delete or rename one",
                                    get_column_letter(number)))
        first.setdefault(cleaned, number)
    return errors


def _formulas_without_result(formulas, values, name: str) -> list[FormError]:
    """Formula cells whose workbook holds no computed value: pyxform reads only saved values (as a
    spreadsheet program stores them), so a workbook written by a program that does not calculate
    (a script, say) would lose the label, rule or name the formula makes, without a word."""
    written = [(cell.row, cell.column, cell.value) for row in formulas.iter_rows() for cell in row
               if cell.data_type == "f"]
    if not written:
        return []
    saved = {(cell.row, cell.column): cell.value for row in values.iter_rows() for cell in row
             if getattr(cell, "row", None) is not None}
    errors = []
    for row, column, formula in written:
        if is_empty(saved.get((row, column))):
            text = formula if isinstance(formula, str) else "=…"
            shown = text if len(text) <= 40 else f"{text[:40]}…"
            errors.append(FormError(name, row, f"the formula '{shown}' has no saved result, so it would be read as "
                                               "an empty cell; type the value in, or save the file from a spreadsheet "
                                               "program that calculates formulas", get_column_letter(column)))
    return errors


def _read_as(sheet_name: str, sheet_names: list[str]) -> str | None:
    """The part of DefinitionData pyxform filled from the sheet (a lone sheet is the survey), if any."""
    if sheet_name.lower() in constants.SUPPORTED_SHEET_NAMES:
        return sheet_name.lower()
    return constants.SURVEY if len(sheet_names) == 1 else None


def _first_unread(sheet, name: str, rows_read: int) -> FormError | None:
    header = next(sheet.iter_rows(max_row=1, values_only=True), ())
    columns = get_excel_column_headers(header)  # pyxform's own rule for where the header ends
    headed = [index for index, value in enumerate(columns) if value is not None]
    last_named = headed[-1] + 1 if headed else 0
    for number, value in enumerate(header[len(columns):], start=len(columns) + 1):
        if not is_empty(value):
            return _unread(name, 1, number, value, (number - last_named - 1, "columns"))
    if not headed:
        return None
    last_read = rows_read + 1  # pyxform returns data rows from row 2, trailing empty ones trimmed
    for number, values in enumerate(sheet.iter_rows(min_row=last_read + 1, max_col=len(columns),
                                                    values_only=True), start=last_read + 1):
        filled = next((index for index in headed if index < len(values) and not is_empty(values[index])), None)
        if filled is not None:
            return _unread(name, number, filled + 1, values[filled], (number - last_read - 1, "rows"))
    return None


def _first_headerless(sheet, name: str) -> FormError | None:
    """The first value under an empty header cell: pyxform reads a row as {header: value}, so it is
    dropped without a word (a label column whose header was forgotten, say)."""
    header = next(sheet.iter_rows(max_row=1, values_only=True), ())
    columns = get_excel_column_headers(header)
    headerless = [index for index, value in enumerate(columns) if value is None]
    if not headerless or len(headerless) == len(columns):
        return None
    for number, values in enumerate(sheet.iter_rows(min_row=2, max_col=len(columns), values_only=True), start=2):
        filled = next((index for index in headerless if index < len(values) and not is_empty(values[index])), None)
        if filled is not None:
            text = str(values[filled])
            shown = text if len(text) <= 40 else f"{text[:40]}…"
            return FormError(name, number, f"'{shown}' is in a column with no header in row 1, so it would be lost; "
                                           "name the column or delete the value", get_column_letter(filled + 1))
    return None


def _unread(sheet: str, row: int, column: int, value: object, gap: tuple[int, str]) -> FormError:
    text = str(value)
    shown = text if len(text) <= 40 else f"{text[:40]}…"
    count, unit = gap
    return FormError(sheet, row, f"'{shown}' comes after {count} empty {unit}, where pyxform stops reading the "
                                 f"sheet, so it would be lost; delete the empty {unit} before it",
                     get_column_letter(column))


def grouped_sheet(workbook: DefinitionData, name: str, default_language: str) -> Sheet:
    """Dealias headers and group translations like pyxform does, keeping each row's number."""
    aliases_for, columns = {
        constants.SURVEY: (aliases.survey_header, SURVEY_COLUMNS | OWN_SURVEY_COLUMNS),
        constants.CHOICES: (aliases.list_header, CHOICE_COLUMNS),
        constants.SETTINGS: (aliases.settings_header, SETTINGS_COLUMNS),
    }[name]
    data = getattr(workbook, name) or []
    header_row = (getattr(workbook, f"{name}_header") or [{}])[0]
    if name == constants.SETTINGS and "form_id" in header_row and constants.ID_STRING in header_row:
        # pyxform itself keeps form_id and drops id_string when a form has both
        header_row = {k: v for k, v in header_row.items() if k != constants.ID_STRING}
        data = [{k: v for k, v in row.items() if k != constants.ID_STRING} for row in data]
    try:
        grouped = dealias_and_group_headers(
            sheet_name=name, sheet_data=data, sheet_header=[header_row], header_aliases=aliases_for,
            header_columns=set(columns), default_language=default_language, add_row_number=True)
    except PyXFormError as exc:
        raise UnreadableSheet(FormError(name, 1, " ".join(str(exc).split()))) from None
    double_colon = any("::" in header for header in header_row)
    headers = {process_header(h, double_colon, aliases_for, columns)[1]: h for h in header_row}
    return Sheet(name, list(grouped.data), headers)


_ROW = re.compile(r"^\[row : (\d+)\]\s*(.*)$", re.DOTALL)
_SHEET = re.compile(r"On the '(\w+)' sheet")


def pyxform_messages(text: str) -> list[FormError]:
    """pyxform joins several "[row : N] ..." messages with newlines; one FormError each."""
    messages: list[FormError] = []
    for chunk in re.split(r"\n(?=\[row : \d+\])", text.strip()):
        match = _ROW.match(chunk)
        if match is None:
            messages.append(FormError(None, None, f"pyxform: {' '.join(chunk.split())}"))
            continue
        sheet = _SHEET.search(match.group(2))
        messages.append(FormError(sheet.group(1) if sheet else constants.SURVEY, int(match.group(1)),
                                  " ".join(match.group(2).split())))
    return messages


def pyxform_check(workbook: DefinitionData, fallback_name: str) -> tuple[list[FormError], list[str]]:
    """Run pyxform's conversion to an XForm (without the external Java validator).
    Returns pyxform's errors and its warnings, each naming sheet and row where pyxform does."""
    found: list[str] = []
    try:
        with _quiet_openpyxl():
            survey_dict = workbook_to_json(workbook_dict=copy.deepcopy(workbook),
                                           fallback_form_name=fallback_name, warnings=found)
            create_survey_element_from_dict(survey_dict).to_xml(validate=False, warnings=found)
    except PyXFormError as exc:
        return pyxform_messages(str(exc)), _warning_texts(found)
    except Exception as exc:  # noqa: BLE001 - pyxform's internals can fail on forms it does not expect
        return [FormError(None, None, f"pyxform could not convert the form ({type(exc).__name__}: {exc})")], \
            _warning_texts(found)
    return [], _warning_texts(found)


def _warning_texts(found: list[str]) -> list[str]:
    return [str(message) for text in found for message in pyxform_messages(text)]
