"""Write tables as CSV (UTF-8 with BOM, so Excel opens Cyrillic right) and XLSX.

Text cells that a spreadsheet would run as a formula (starting with =, +, -, @, tab or CR) are
prefixed with an apostrophe; numbers stay numbers.
"""
from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def unsafe_cell(text: str) -> str:
    """Undo safe_cell on text read back from one of our own exports (a bulk-fill template)."""
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_STARTS) else text


def to_csv(headers: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([safe_cell(h) for h in headers])
    for row in rows:
        writer.writerow(["" if v is None else safe_cell(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _xlsx_cell(value):
    """safe_cell, minus the control characters an XLSX file cannot hold (openpyxl refuses the whole
    file), with line ends as LF: the file is XML, which reads any CR back as LF anyway, so a cell reads
    back exactly as written."""
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value).replace("\r\n", "\n").replace("\r", "\n")
    return safe_cell(value)


def to_xlsx(headers: Sequence[str], rows: Iterable[Sequence], title: str = "report") -> bytes:
    return to_xlsx_sheets([(title, headers, rows)])


def to_xlsx_sheets(sheets: Iterable[tuple[str, Sequence[str], Iterable[Sequence]]]) -> bytes:
    """One workbook, a sheet per (title, headers, rows); titles are cut to Excel's 31 characters."""
    workbook = Workbook(write_only=True)
    for title, headers, rows in sheets:
        sheet = workbook.create_sheet(title[:31])
        sheet.append([_xlsx_cell(h) for h in headers])
        for row in rows:
            sheet.append([_xlsx_cell(v) for v in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
