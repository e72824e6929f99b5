"""Read a CSV or XLSX upload into numbered rows of strings, the shape every importer validates."""
from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import BinaryIO

from flask_babel import gettext as _
from openpyxl import load_workbook


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
    #: (spreadsheet row number, header is row 1, {column: text})
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)


def read_table(source: str | Path | BinaryIO, filename: str | None = None) -> Table:
    """Read CSV (comma, semicolon or tab; UTF-8 with or without BOM) or XLSX (first sheet)."""
    name = (filename or str(getattr(source, "name", source))).lower()
    data = Path(source).read_bytes() if isinstance(source, (str, Path)) else source.read()
    if name.endswith((".xlsx", ".xlsm")) or data[:2] == b"PK":
        return _read_xlsx(data)
    return _read_csv(data)


def _read_csv(data: bytes) -> Table:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UnreadableFile(_("the file is not UTF-8 text (byte %(byte)s); save it as CSV UTF-8",
                               byte=exc.start)) from exc
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
        records = list(csv.reader(io.StringIO(text), csv.excel, delimiter=delimiter))
    except csv.Error as exc:
        raise UnreadableFile(_("the CSV cannot be parsed: %(reason)s", reason=exc)) from exc
    return _to_table(records)


def _read_xlsx(data: bytes) -> Table:
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise UnreadableFile(_("the file is not a readable XLSX workbook (%(error)s)",
                               error=exc.__class__.__name__)) from exc
    try:
        sheet = workbook.worksheets[0]
        records = [[_cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()
    return _to_table(records)


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


def _to_table(records: list[list[str]]) -> Table:
    while records and not any(cell.strip() for cell in records[0]):
        records.pop(0)
    if not records:
        raise UnreadableFile(_("the file has no header row"))
    columns = [cell.strip().lower() for cell in records[0]]
    table = Table(columns=[c for c in columns if c])
    for number, record in enumerate(records[1:], start=2):
        if not any(str(cell).strip() for cell in record):
            continue
        values = {col: str(record[i]).strip() if i < len(record) else ""
                  for i, col in enumerate(columns) if col}
        table.rows.append((number, values))
    return table


def missing_columns(table: Table, required: list[str]) -> list[RowError]:
    return [RowError(1, col, _("required column is missing from the header"))
            for col in required if col not in table.columns]
