"""Read a CSV or XLSX upload into numbered rows of strings, the shape every importer validates."""
from __future__ import annotations

import codecs
import csv
import io
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import BinaryIO
from xml.etree import ElementTree

from flask_babel import gettext as _
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter


#: the start of every OLE2 compound file, which is what an .xls workbook is
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: a word with '?' before a Cyrillic letter: what Windows-1251 makes of Қарағанды (?ара?анды)
LOST_LETTER = re.compile(r"[\w?]*\?[А-Яа-яЁё][\w?]*")


SHEET_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
#: the parts of an Excel number format shown as they are: "text" and \x
QUOTED_OR_ESCAPED = re.compile(r'"[^"]*"|\\.')


class UnreadableFile(ValueError):
    """The file is not a CSV or XLSX we can read; the message says why."""


@dataclass(frozen=True)
class RowError:
    """One problem with one row: rendered as 'row 5, column value: reason'."""

    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column {self.column}")
        return f"{', '.join(where)}: {self.message}" if where else self.message


@dataclass
class Table:
    columns: list[str]
    #: (spreadsheet row number, as Excel shows it, {column: text})
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    #: the header's row: 1 unless blank rows come first
    header_row: int = 1
    #: (row, column number from 1) of each filled cell under a blank header cell, which rows leave out
    unnamed: list[tuple[int, int]] = field(default_factory=list)


def read_table(source: str | Path | BinaryIO, filename: str | None = None, *,
               as_shown: bool = False, max_rows: int | None = None) -> Table:
    """Read CSV (comma, semicolon or tab; UTF-8, UTF-16 with BOM or Windows-1251) or XLSX (first sheet).
    as_shown: XLSX cells as Excel shows them: a percent-formatted 0.45 is '45%', and a formula whose result
    was never saved (so nothing to show) is refused rather than read as blank.
    max_rows: refuse a file with more filled rows below its header, as soon as reading gets there."""
    name = (filename or str(getattr(source, "name", source))).lower()
    data = Path(source).read_bytes() if isinstance(source, (str, Path)) else source.read()
    if name.endswith((".xlsx", ".xlsm")) or data[:2] == b"PK":
        return _read_xlsx(data, as_shown, max_rows)
    return _read_csv(data, max_rows)


def _read_csv(data: bytes, max_rows: int | None = None) -> Table:
    text = _decode(data)
    if "\x00" in text:
        raise UnreadableFile(_("the file is binary, not CSV text"))
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        raise UnreadableFile(_("the file is empty"))
    try:
        delimiter = csv.Sniffer().sniff(lines[0], delimiters=",;\t").delimiter
    except csv.Error:
        delimiter = ","
    try:
        # Only the delimiter is guessed: a header line says nothing about quoting, and a guessed
        # doublequote=False would cut a quoted cell with "" in it (Excel's and our exports' escaping).
        records = _filled(csv.reader(io.StringIO(text), csv.excel, delimiter=delimiter), max_rows)
    except csv.Error as exc:
        raise UnreadableFile(_("the CSV cannot be parsed: %(reason)s", reason=exc)) from exc
    return _to_table(records)


def _decode(data: bytes) -> str:
    """UTF-8 (with or without BOM); UTF-16 with its BOM (Excel's "Unicode text"); otherwise Windows-1251,
    which Excel writes for plain "CSV" under a Russian or Kazakh Windows."""
    if data.startswith(OLE_SIGNATURE):
        raise UnreadableFile(_("this is an Excel 97-2003 (.xls) workbook; save it as .xlsx or as CSV UTF-8"))
    utf16 = data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    first_error = None
    for encoding in ("utf-16",) if utf16 else ("utf-8-sig", "cp1251"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as exc:  # Windows-1251 refuses only byte 0x98
            first_error = first_error or exc
            continue
        if encoding == "cp1251":
            _check_letters_kept(text)
        return text
    raise UnreadableFile(_("the file is not UTF-8 text (byte %(byte)s); save it as CSV UTF-8",
                           byte=first_error.start)) from first_error


def _check_letters_kept(text: str) -> None:
    """Windows-1251 has no Kazakh letters: Excel writes '?' for each (Қарағанды -> ?ара?анды), which would
    be stored as such. A '?' right before a Cyrillic letter gives that away."""
    lost = LOST_LETTER.search(text)
    if lost:
        raise UnreadableFile(_("line %(line)s has '?' in place of letters ('%(word)s'): the file was saved as "
                               "plain CSV, which cannot hold Kazakh letters; save it as CSV UTF-8",
                               line=text.count("\n", 0, lost.start()) + 1, word=lost.group()))


def _read_xlsx(data: bytes, as_shown: bool = False, max_rows: int | None = None) -> Table:
    try:
        records = _xlsx_records(data, as_shown, max_rows)
    except UnreadableFile:
        raise
    except Exception as exc:
        # A damaged part makes openpyxl raise whatever it provokes (XML ParseError, IndexError for a missing
        # sheet, ValueError for a bad cell reference, zlib.error): all say the same about the only input.
        raise UnreadableFile(_("the file is not a readable XLSX workbook (%(error)s)",
                               error=exc.__class__.__name__)) from exc
    return _to_table(records)


def _xlsx_records(data: bytes, as_shown: bool, max_rows: int | None) -> list[tuple[int, list]]:
    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        sheet = workbook.worksheets[0]
        if not as_shown:
            return _filled(([_cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)), max_rows)
        records = _filled(([_shown_text(cell) for cell in row] for row in sheet.iter_rows()), max_rows)
        _refuse_unsaved_formulas(workbook, sheet)
        return records
    finally:
        workbook.close()


def _refuse_unsaved_formulas(workbook, sheet) -> None:
    """A formula with no saved result (a file a program wrote and no spreadsheet ever saved) reads as an
    empty cell, which would be "not reported"; refuse it by its cell instead."""
    # read_only=True parses on demand from the open archive; these are the names it keeps them under
    with workbook._archive.open(sheet._worksheet_path) as source:
        for _event, element in ElementTree.iterparse(source):
            if element.tag == f"{SHEET_NS}c" and _never_computed(element):
                raise UnreadableFile(_("cell %(cell)s holds a formula whose result was never saved; open the "
                                       "file in Excel or LibreOffice and save it again", cell=element.get("r")))
            if element.tag == f"{SHEET_NS}row":
                element.clear()  # the sheet may be long; only one row's cells are needed at a time


def _never_computed(cell) -> bool:
    """<f> with no <v> or an empty one. Excel and LibreOffice always save the result; only an empty text
    is saved empty, and it is marked as text (t="str")."""
    if cell.find(f"{SHEET_NS}f") is None or cell.get("t") == "str":
        return False
    return not cell.findtext(f"{SHEET_NS}v")


def _shown_text(cell) -> str:
    """A number in a percent format is stored as a fraction: 45 % is 0.45 in the file."""
    value = cell.value
    number = isinstance(value, (int, float)) and not isinstance(value, bool)
    if number and _is_percent_format(cell.number_format):
        return f"{(Decimal(repr(value)) * 100).normalize():f}%"
    return _cell_text(value)


def _is_percent_format(number_format: str | None) -> bool:
    """'0%', '0.0%'; not '0"%"' or '0\\%', which show a literal sign without scaling the number."""
    return "%" in QUOTED_OR_ESCAPED.sub("", number_format or "")


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return str(value)


def _filled(records: Iterable[list[str]], max_rows: int | None) -> list[tuple[int, list[str]]]:
    """The non-blank records with their row number in the file (blank rows count, so that a message's row
    is the one Excel shows). Stops at the first row past max_rows below the header: a huge file is refused
    before all of it is held in memory."""
    filled = []
    for number, record in enumerate(records, start=1):
        if any(str(cell).strip() for cell in record):
            filled.append((number, record))
            if max_rows is not None and len(filled) > max_rows + 1:
                raise UnreadableFile(_("the file has more than %(count)s rows below its header, more than such "
                                       "a file can hold", count=max_rows))
    return filled


def _to_table(records: list[tuple[int, list[str]]]) -> Table:
    if not records:
        raise UnreadableFile(_("the file has no header row"))
    header_row, header = records[0]
    columns = [cell.strip().lower() for cell in header]
    table = Table(columns=[c for c in columns if c], header_row=header_row)
    for number, record in records[1:]:
        values = {col: str(record[i]).strip() if i < len(record) else ""
                  for i, col in enumerate(columns) if col}
        table.rows.append((number, values))
        table.unnamed += [(number, i + 1) for i, cell in enumerate(record)
                          if str(cell).strip() and (i >= len(columns) or not columns[i])]
    return table


def missing_columns(table: Table, required: list[str]) -> list[RowError]:
    return [RowError(table.header_row, col, _("required column is missing from the header"))
            for col in required if col not in table.columns]


def repeated_columns(table: Table) -> list[RowError]:
    """A column named twice: a row keeps only its last cell, so the other would be lost without a word."""
    counts = Counter(table.columns)
    return [RowError(table.header_row, column,
                     _("appears %(count)s times in the header; keep one", count=count))
            for column, count in counts.items() if count > 1]


def unnamed_cells(table: Table) -> list[RowError]:
    """A value under no header (a comma decimal in a comma-separated line, a note beside the table)
    would be dropped without a word; the column is named by its letter, as Excel shows it."""
    return [RowError(row, get_column_letter(column), _("this cell has a value but its column has no "
                                                       "header; name the column or clear the cell"))
            for row, column in table.unnamed]


def too_long(table: Table, limits: Mapping[str, int]) -> list[RowError]:
    """Cells longer than the database column they go to (limits: column -> length). PostgreSQL refuses the
    whole load with a traceback ("value too long") where SQLite stores them, so refuse them here, by cell."""
    return [RowError(number, column, _("longer than %(max)s characters", max=limit))
            for number, values in table.rows for column, limit in limits.items()
            if len(values.get(column, "")) > limit]
