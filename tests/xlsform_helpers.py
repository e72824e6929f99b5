"""Build small XLSForm workbooks in memory for tests."""
from __future__ import annotations

import io
from pathlib import Path

from openpyxl import Workbook

PROJECT = Path(__file__).resolve().parents[1]
DEFAULT_FORMS = PROJECT / "smartcity_survey" / "data" / "questionnaires"
#: the shared corpus of real-world forms, next to the project checkout
CORPUS = PROJECT.parent / "shared" / "xlsforms"

RATING_CHOICES = [["rate", str(n), f"{n} en", f"{n} ru"] for n in range(1, 6)] + [["rate", "dk", "Don't know", "Не знаю"]]
CHOICES_HEADER = ["list_name", "name", "label::English (en)", "label::Russian (ru)"]
SURVEY_HEADER = ["type", "name", "label::English (en)", "label::Russian (ru)", "relevant", "constraint", "required"]


def xlsform(survey: list[list], choices: list[list] | None = None, settings: list[list] | None = None,
            extra_sheets: dict[str, list[list]] | None = None) -> bytes:
    """Sheets given as rows, header first. settings defaults to form_id 'demo'."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "survey"
    _fill(sheet, survey)
    if choices is not None:
        _fill(workbook.create_sheet("choices"), choices)
    _fill(workbook.create_sheet("settings"), settings or [["form_id", "form_title"], ["demo", "Demo"]])
    for name, rows in (extra_sheets or {}).items():
        _fill(workbook.create_sheet(name), rows)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _fill(sheet, rows: list[list]) -> None:
    for number, row in enumerate(rows, start=1):
        for index, value in enumerate(row, start=1):
            cell = sheet.cell(number, index, value)
            if isinstance(value, str):
                cell.data_type = "s"  # "=..." is text in these tests, not a formula


def simple_form(*rows: list, choices: list[list] | None = None, header: list[str] = SURVEY_HEADER) -> bytes:
    """A survey with the standard header (type, name, two labels, relevant, constraint, required) and
    the rating list 'rate' plus any extra choice rows."""
    return xlsform([header, *rows], [CHOICES_HEADER, *RATING_CHOICES, *(choices or [])])


#: a small questionnaire using every question type, for database and importer tests
SMALL_FORM = xlsform(
    [["type", "name", "label::English (en)", "label::Russian (ru)", "relevant", "constraint", "required", "area",
      "indicator"],
     ["note", "welcome", "Welcome", "Добро пожаловать", "", "", "", "", ""],
     ["select_one yes_no", "booked", "Booked online?", "Записывались онлайн?", "", "", "yes", "", ""],
     ["select_one rate", "booking", "Rate booking", "Оцените запись", "${booked} = 'yes'", "", "yes", "hlt",
      "hlt_online_appointment"],
     ["select_one rate", "wifi", "Rate wifi", "Оцените wifi", "", "", "", "ict", ""],
     ["select_multiple areas", "uses", "Which do you use?", "Чем пользуетесь?", "", "", "", "", ""],
     ["rank areas", "top", "Priorities", "Приоритеты", "", "count-selected(.) <= 2", "", "", ""],
     ["integer", "household", "People at home", "Людей дома", "", ". >= 1 and . <= 20", "", "", ""],
     ["decimal", "spend", "Monthly spend", "Расходы в месяц", "", ". >= 0", "", "", ""],
     ["text", "comment", "Comment", "Комментарий", "", "", "", "", ""]],
    [CHOICES_HEADER, *RATING_CHOICES, ["yes_no", "yes", "Yes", "Да"], ["yes_no", "no", "No", "Нет"],
     ["areas", "hlt", "Health", "Здоровье"], ["areas", "edu", "Education", "Образование"],
     ["areas", "its", "Transport", "Транспорт"]],
    [["form_id", "form_title", "form_title_ru"], ["small", "Small survey", "Небольшой опрос"]])
