"""Indicator-value files as akimat staff make them (Excel in a Russian locale, Kazakh words, odd cells),
through the ministry's CLI import and the officer's bulk fill: accepted when unambiguous, otherwise
refused by row and column with nothing written."""
from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime

import pytest
from openpyxl import Workbook

from tests.helpers import invoke, value_rows
from tests.helpers_assessments import post_multipart, signed_in

NUMERIC = "ict_public_wifi"  # hotspots per 100k residents
PERCENT = "edu_e_diary"
YES_NO = "ctm_hotline_109"


def cli_import(runner, tmp_path, data: bytes, name: str = "values.csv"):
    path = tmp_path / name
    path.write_bytes(data)
    return invoke(runner, "indicators", "import", path, "--year", 2019)


def error_lines(result) -> list[str]:
    return [line for line in result.output.splitlines() if line.startswith("error:")]


def stored_values() -> dict[str, float | None]:
    from smartcity_survey.extensions import db
    from smartcity_survey.models import Indicator, IndicatorValue

    query = db.select(Indicator.code, IndicatorValue.value).join(IndicatorValue.indicator)
    return dict(db.session.execute(query).all())


def xlsx_bytes(*rows: list, header=("city", "indicator", "value"), formats: dict[str, str] | None = None) -> bytes:
    """A workbook whose first sheet holds header and rows; formats maps a cell ("C2") to a number format."""
    book = Workbook()
    for row in [list(header), *rows]:
        book.active.append(row)
    for cell, number_format in (formats or {}).items():
        book.active[cell].number_format = number_format
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_bytes(*rows: str, header: str = "city,indicator,value") -> bytes:
    return "\r\n".join([header, *rows, ""]).encode("utf-8")


# numbers -------------------------------------------------------------------------------------------

def test_thousands_grouped_by_any_space_are_read(seeded, runner, tmp_path):
    """'1 234', '1 234,5' with a no-break space and '1 050' with a narrow one (Excel's and LibreOffice's
    Russian formats) are whole thousands."""
    data = csv_bytes("almaty;ict_public_wifi;1 234", "almaty;ict_broadband_speed;1\u00a0234,5",
                     "almaty;btd_registered_startups;1\u202f050", header="city;indicator;value")
    result = cli_import(runner, tmp_path, data)
    assert result.exit_code == 0, result.output
    assert stored_values() == {"ict_public_wifi": 1234.0, "ict_broadband_speed": 1234.5,
                               "btd_registered_startups": 1050.0}


@pytest.mark.parametrize("text, reason", [
    ('"1,234"', "'1,234' is ambiguous: the comma may mark decimals (1.234) or thousands (1234)"),
    ("12 5", "'12 5' has a space that does not separate thousands"),
    ('"1,234,567"', "'1,234,567' has more than one decimal separator"),
    ("1e400", "'1e400' is too large a number"),
    ("١٢", "'١٢' is not a number"),
], ids=["comma-before-three-digits", "space-inside-a-group", "comma-thousands", "overflow", "arabic-digits"])
def test_numbers_that_could_be_misread_are_refused(seeded, runner, tmp_path, text, reason):
    """A number the importer would have to guess at is refused with why; the file writes nothing."""
    result = cli_import(runner, tmp_path, csv_bytes("almaty,ict_broadband_speed,30", f"almaty,{NUMERIC},{text}"))
    assert result.exit_code != 0
    [line] = error_lines(result)
    assert line.startswith(f"error: row 3, column value: {reason}"), line
    assert value_rows() == []


def test_a_percent_sign_is_read_on_percent_indicators_only(seeded, runner, tmp_path):
    """'45%' and '45,5 %' are percents; '30%' for a count of hotspots is refused, naming the method."""
    data = csv_bytes(f"almaty,{PERCENT},45%", "almaty,edu_school_computers,\"45,5 %\"", f"almaty,{NUMERIC},30%")
    result = cli_import(runner, tmp_path, data)
    assert error_lines(result) == [f"error: row 4, column value: '30%' has a percent sign, but this indicator "
                                   f"is measured as a number (indicator {NUMERIC})"], result.output
    assert value_rows() == []
    result = cli_import(runner, tmp_path, csv_bytes(f"almaty,{PERCENT},45%", "almaty,edu_school_computers,\"45,5 %\""))
    assert result.exit_code == 0 and stored_values() == {PERCENT: 45.0, "edu_school_computers": 45.5}


# words ---------------------------------------------------------------------------------------------

def test_yes_no_and_not_applicable_as_offices_write_them(seeded, runner, tmp_path):
    """жок (жоқ without a Kazakh keyboard), ИСТИНА/ЛОЖЬ (a Russian Excel's TRUE/FALSE in CSV) and
    'не применимо' are read; nothing else changes meaning."""
    data = csv_bytes("almaty,ctm_hotline_109,жок", "almaty,ctm_city_mobile_app,ИСТИНА", "almaty,ctm_official_portal,Ложь",
                     f"almaty,{PERCENT},Не применимо")
    result = cli_import(runner, tmp_path, data)
    assert result.exit_code == 0, result.output
    assert stored_values() == {"ctm_hotline_109": 0.0, "ctm_city_mobile_app": 1.0, "ctm_official_portal": 0.0,
                               PERCENT: None}


@pytest.mark.parametrize("word", ["н/д", "Н/Д", "-", "—"])
def test_no_data_or_a_dash_is_refused_as_ambiguous(seeded, runner, tmp_path, word):
    """'н/д' usually means "нет данных" (not reported, scored 0) but is read as not applicable elsewhere (left
    out of the average); a dash may also be 0. The importer does not pick one: it asks."""
    result = cli_import(runner, tmp_path, csv_bytes(f"almaty,{PERCENT},{word}"))
    assert error_lines(result) == [f"error: row 2, column value: '{word}' is ambiguous: write the value, n/a if the "
                                   f"indicator does not apply, or leave the cell blank if there is no data "
                                   f"(indicator {PERCENT})"], result.output
    assert value_rows() == []


def test_spreadsheet_errors_and_dates_are_named_as_such(seeded, runner, tmp_path):
    """#Н/Д (a failed VLOOKUP in a Russian Excel) is not "n/a"; a number Excel turned into a date is
    refused as a date, from an XLSX date cell and from a CSV alike."""
    data = xlsx_bytes(["almaty", PERCENT, "#Н/Д"],
                      ["almaty", "edu_school_computers", "#DIV/0!"], ["almaty", NUMERIC, datetime(2020, 5, 12)],
                      ["almaty", "ict_broadband_speed", "12.05.2020"])
    errors = error_lines(cli_import(runner, tmp_path, data, "values.xlsx"))
    assert [line.split(": ")[1] for line in errors] == [f"row {row}, column value" for row in (2, 3, 4, 5)]
    assert "'#Н/Д' is a spreadsheet error, not a value: correct the formula or type the value" in errors[0]
    assert "'#DIV/0!' is a spreadsheet error" in errors[1]
    assert "'2020-05-12T00:00:00' is a date: a spreadsheet may have turned a number such as 12.5 into one" in errors[2]
    assert "'12.05.2020' is a date" in errors[3]
    assert value_rows() == []


# encodings -----------------------------------------------------------------------------------------

def test_a_russian_excel_csv_in_windows_1251_is_read(seeded, runner, tmp_path):
    """Excel's plain "CSV" under a Russian Windows: Windows-1251, semicolons, decimal commas."""
    data = ("city;indicator;value;evidence\r\nАлматы;edu_e_diary;95,4;Приказ управления образования №12\r\n"
            "Алматы;ctm_hotline_109;да;\r\n").encode("cp1251")
    result = cli_import(runner, tmp_path, data)
    assert result.exit_code == 0, result.output
    assert stored_values() == {PERCENT: 95.4, YES_NO: 1.0}
    assert {row[7] for row in value_rows()} == {"Приказ управления образования №12", ""}


def test_excel_unicode_text_is_read(seeded, runner, tmp_path):
    """Excel's "Unicode text": UTF-16 with its byte-order mark, tab-separated."""
    data = "\ufeffcity\tindicator\tvalue\r\nАлматы\tedu_e_diary\t50\r\n".encode("utf-16-le")
    result = cli_import(runner, tmp_path, data, "values.txt")
    assert result.exit_code == 0, result.output
    assert stored_values() == {PERCENT: 50.0}


@pytest.mark.parametrize("data, reason", [
    (f"city;indicator;value;evidence\r\nalmaty;edu_e_diary;50;{'Қала әкімдігі'.encode('cp1251', 'replace').decode('cp1251')}"
     "\r\n".encode("cp1251"), "line 2 has '?' in place of letters ('?ала'): the file was saved as plain CSV, "
                              "which cannot hold Kazakh letters; save it as CSV UTF-8"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504), "this is an Excel 97-2003 (.xls) workbook; save it as .xlsx"),
], ids=["kazakh-letters-lost", "xls"])
def test_files_that_lost_or_hide_their_text_are_refused(seeded, runner, tmp_path, data, reason):
    """Kazakh letters that Windows-1251 turned into '?' would be stored garbled; an .xls is not CSV at all."""
    result = cli_import(runner, tmp_path, data)
    assert result.exit_code != 0 and error_lines(result)[0].startswith(f"error: unreadable file: {reason}"), result.output
    assert value_rows() == []


# rows and columns ----------------------------------------------------------------------------------

def test_rows_are_numbered_as_the_spreadsheet_shows_them(seeded, runner, tmp_path):
    """A table that starts lower on the sheet (blank rows 1-2, header in row 3): a bad value in Excel's
    row 5 is reported as row 5, and a missing column at the header's row 3."""
    book = Workbook()
    for row in [[], [], ["city", "indicator", "value"], ["almaty", PERCENT, 50], ["almaty", NUMERIC, "lots"]]:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    result = cli_import(runner, tmp_path, out.getvalue(), "values.xlsx")
    assert error_lines(result) == [f"error: row 5, column value: 'lots' is not a number (indicator {NUMERIC})"]
    data = b"\r\n;;\r\ncity;indicator\r\nalmaty;edu_e_diary\r\n"
    assert error_lines(cli_import(runner, tmp_path, data)) == [
        "error: row 3, column value: required column is missing from the header"]
    assert value_rows() == []


def test_values_outside_the_named_columns_are_refused(seeded, runner, tmp_path):
    """'95,4' typed into a comma-separated line splits into 95 and a stray 4 under no header; a note beside
    the table has no column either. Neither is dropped silently: the cell is named by its letter."""
    data = csv_bytes(f"almaty,{PERCENT},95,4", f"almaty,{YES_NO},yes", "almaty,edu_school_computers,80,,checked")
    assert error_lines(cli_import(runner, tmp_path, data)) == [
        "error: row 2, column D: this cell has a value but its column has no header; name the column or clear the cell",
        "error: row 4, column E: this cell has a value but its column has no header; name the column or clear the cell"]
    assert value_rows() == []


def test_a_column_named_twice_is_refused(seeded, runner, tmp_path):
    """Two 'value' columns (last year's and this year's, say): which one counts is not guessed."""
    data = csv_bytes(f"almaty,{PERCENT},40,50", header="city,indicator,Value,value")
    assert error_lines(cli_import(runner, tmp_path, data)) == [
        "error: row 1, column value: appears 2 times in the header; keep one"]
    assert value_rows() == []


# XLSX cells ----------------------------------------------------------------------------------------

def test_percent_formatted_cells_read_as_excel_shows_them(seeded, runner, tmp_path):
    """Typing 45 into a cell formatted as a percent stores 0.45; the officer saw 45 %, and 45 is stored.
    A count in such a cell is refused like '30%'; a format with a literal sign ('0"%"') does not scale."""
    data = xlsx_bytes(["almaty", PERCENT, 0.45], ["almaty", "edu_school_computers", 0.955],
                      ["almaty", "edu_kindergarten_e_queue", 80], formats={"C2": "0%", "C3": "0.0%", "C4": '0"%"'})
    result = cli_import(runner, tmp_path, data, "values.xlsx")
    assert result.exit_code == 0, result.output
    assert stored_values() == {PERCENT: 45.0, "edu_school_computers": 95.5, "edu_kindergarten_e_queue": 80.0}
    data = xlsx_bytes(["almaty", NUMERIC, 0.3], formats={"C2": "0%"})
    assert error_lines(cli_import(runner, tmp_path, data, "count.xlsx")) == [
        f"error: row 2, column value: '30%' has a percent sign, but this indicator is measured as a number "
        f"(indicator {NUMERIC})"]


def _damaged(member: str, content: bytes | None) -> bytes:
    """A valid values workbook with one part replaced (or left out, for None)."""
    source = zipfile.ZipFile(io.BytesIO(xlsx_bytes(["almaty", PERCENT, 50])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename) if info.filename != member else content
            if data is not None:
                target.writestr(info, data)
    return out.getvalue()


@pytest.mark.parametrize("member, content", [
    ("xl/worksheets/sheet1.xml", b"<worksheet><sheetData><row"),
    ("xl/worksheets/sheet1.xml", None),
    ("xl/styles.xml", b"not xml"),
    ("xl/worksheets/sheet1.xml", b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                                 b'<sheetData><row r="1"><c r="ZZZZZ1"><v>1</v></c></row></sheetData></worksheet>'),
], ids=["truncated-sheet", "missing-sheet", "broken-styles", "impossible-cell"])
def test_a_damaged_workbook_is_refused_as_a_file(app, people, member, content):
    """A workbook whose insides are damaged is an unreadable file on the bulk-fill page, not a server error."""
    client = signed_in(app, people["officer_a"])
    response = post_multipart(client, "/assessments/2020/almaty/bulk",
                              {"file": (io.BytesIO(_damaged(member, content)), "values.xlsx")})
    assert response.status_code == 422
    assert "unreadable file: the file is not a readable XLSX workbook" in response.get_data(as_text=True)
    assert value_rows() == []


# catalogue and cities ------------------------------------------------------------------------------

@pytest.mark.parametrize("command", [["standard", "load", "{path}", "--year", "2021"],
                                     ["standard", "load", "{good}", "--year", "2021", "--areas", "{path}"],
                                     ["cities", "load", "{path}"]], ids=["catalogue", "areas", "cities"])
def test_commands_refuse_an_unreadable_file_by_name(seeded, runner, tmp_path, command):
    """`standard load` and `cities load` refuse a file they cannot read with its name and the reason,
    not a traceback, and change nothing."""
    from smartcity_survey.extensions import db
    from smartcity_survey.models import City, StandardVersion

    path, good = tmp_path / "broken.xlsx", tmp_path / "catalogue.csv"
    path.write_bytes(b"PK\x03\x04 not a workbook")
    good.write_text("code,area,method,target,direction,unit,name_en,name_ru,name_kk,source\n", encoding="utf-8")
    before = (db.session.scalar(db.select(db.func.count(StandardVersion.id))),
              db.session.scalar(db.select(db.func.count(City.id))))
    result = invoke(runner, *[part.format(path=path, good=good) for part in command])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.exception  # no traceback
    assert "error: unreadable file: the file is not a readable XLSX workbook (BadZipFile) [broken.xlsx]" in result.output
    assert "nothing was written" in result.output
    assert (db.session.scalar(db.select(db.func.count(StandardVersion.id))),
            db.session.scalar(db.select(db.func.count(City.id)))) == before


def cities_load(runner, tmp_path, text: str):
    path = tmp_path / "cities.csv"
    path.write_text(text, encoding="utf-8")
    return invoke(runner, "cities", "load", path)


def test_a_cities_file_without_its_key_columns_is_refused(seeded, runner, tmp_path):
    """A cities file whose header misses slug (here: Russian headers) names the missing columns."""
    result = cities_load(runner, tmp_path, "код,название\nkosshy,Косшы\n")
    assert isinstance(result.exception, SystemExit), result.exception  # no traceback
    assert error_lines(result) == ["error: row 1, column slug: required column is missing from the header",
                                   "error: row 1, column name_en: required column is missing from the header"]


def test_cities_and_catalogue_values_longer_than_their_columns_are_refused(seeded, runner, tmp_path):
    """SQLite would store them, PostgreSQL would refuse the whole load with a traceback: either way they are
    refused first, by row and column, with the limit."""
    from tests.helpers import CATALOGUE_COLUMNS, indicator, write_csv

    result = cities_load(runner, tmp_path, f"slug,name_en,status\nkosshy,{'Kosshy ' * 20},regional\n")
    assert error_lines(result) == ["error: row 2, column name_en: longer than 120 characters"]
    catalogue = write_csv(tmp_path / "catalogue.csv", CATALOGUE_COLUMNS, [
        indicator("ict_wifi", "ict", "numeric", "50", "higher", "hotspots per 100 000 residents " * 3)])
    areas = write_csv(tmp_path / "areas.csv", ["code", "group", "name_en", "name_ru", "name_kk"],
                      [["ict", "ict_" + "x" * 40, "ICT", "ИКТ", "АКТ"]])
    assert error_lines(invoke(runner, "standard", "load", catalogue, "--year", 2021)) == [
        "error: row 2, column unit: longer than 60 characters [catalogue.csv]"]
    assert error_lines(invoke(runner, "standard", "load", catalogue, "--year", 2021, "--areas", areas)) == [
        "error: row 2, column group: longer than 40 characters [areas.csv]"]


def test_a_long_file_name_does_not_fail_the_import(seeded, runner, tmp_path):
    """The CLI records "import:<file name>" as who changed each value; a name longer than that column
    (PostgreSQL would refuse the whole import) is cut to fit."""
    from smartcity_survey.extensions import db
    from smartcity_survey.models import IndicatorValue

    name = "Smart_City_indicators_Almaty_2020_" + "final_version_after_review_" * 7 + ".csv"  # 227 characters
    result = cli_import(runner, tmp_path, csv_bytes(f"almaty,{PERCENT},50"), name)
    assert result.exit_code == 0, result.output
    assert db.session.scalar(db.select(IndicatorValue.updated_by)) == f"import:{name}"[:200]


# size ----------------------------------------------------------------------------------------------

def test_a_file_far_longer_than_a_values_file_is_refused_early(app, people):
    """A bulk fill holds one city's indicators (75 in 2019); a workbook with 100 000 rows is refused as a
    file, before all of it is read, with nothing written. A file of duplicated rows within that bound
    still gets one message per repeated row."""
    client = signed_in(app, people["officer_a"])
    rows = "".join(f"almaty,{PERCENT},{i % 100}\r\n" for i in range(100_000))
    response = post_multipart(client, "/assessments/2020/almaty/bulk",
                              {"file": (io.BytesIO(("city,indicator,value\r\n" + rows).encode()), "values.csv")})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and page.count("<tr><td>") == 1
    assert "the file has more than 750 rows below its header, more than such a file can hold" in page
    response = post_multipart(client, "/assessments/2020/almaty/bulk",
                              {"file": (io.BytesIO(csv_bytes(*[f"almaty,{PERCENT},50"] * 3)), "values.csv")})
    assert re.findall(r"<tr><td>(\d+)</td><td>indicator</td>", response.get_data(as_text=True)) == ["3", "4"]
    assert value_rows() == []


def test_an_empty_city_or_indicator_cell_is_called_empty(seeded, runner, tmp_path):
    """A row with its city or indicator left blank is refused as empty, not as "unknown city ''"."""
    result = cli_import(runner, tmp_path, csv_bytes(f",{PERCENT},50", "almaty,,50"))
    assert error_lines(result) == ["error: row 2, column city: is empty", "error: row 3, column indicator: is empty"]
    assert value_rows() == []


# the officer's language ------------------------------------------------------------------------------

def test_bulk_fill_refusals_read_in_kazakh(app, people):
    """The new refusals reach an officer in Kazakh, still by row and column; nothing is written."""
    client = signed_in(app, people["officer_a"])
    data = csv_bytes(f'almaty,{NUMERIC},"1,234"', f"almaty,{PERCENT},н/д", f"almaty,{YES_NO},да,Қаулы")
    response = post_multipart(client, "/assessments/2020/almaty/bulk?lang=kk",
                              {"file": (io.BytesIO(data), "values.csv")})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert (f"<tr><td>2</td><td>value</td><td>«1,234» екіұшты: үтір бөлшек бөлікті (1.234) немесе мыңдықтарды "
            f"(1234) бөлуі мүмкін; 1.234 немесе 1234 деп жазыңыз ({NUMERIC} көрсеткіші)") in page
    assert "<tr><td>3</td><td>value</td><td>«н/д» екіұшты" in page
    assert "<tr><td>4</td><td>D</td><td>ұяшықта мән бар, бірақ оның бағанының тақырыбы жоқ" in page
    assert value_rows() == []


def test_cities_named_as_official_papers_write_them(seeded, runner, tmp_path):
    """'г. Алматы', 'город Астана', 'Орал қаласы', 'Shymkent city' are those cities; 'г. Семей' is none of
    the loaded ones."""
    data = csv_bytes(f"г. Алматы,{PERCENT},10", f"город Астана,{PERCENT},20", f"Орал қаласы,{PERCENT},30",
                     f"Shymkent city,{PERCENT},40")
    result = cli_import(runner, tmp_path, data)
    assert result.exit_code == 0, result.output
    from smartcity_survey.extensions import db
    from smartcity_survey.models import City, IndicatorValue

    stored = db.session.execute(db.select(City.slug, IndicatorValue.value).join(IndicatorValue.city)).all()
    assert sorted(stored) == [("almaty", 10.0), ("astana", 20.0), ("oral", 30.0), ("shymkent", 40.0)]
    assert error_lines(cli_import(runner, tmp_path, csv_bytes(f"г. Семей,{PERCENT},10"))) == [
        "error: row 2, column city: unknown city 'г. Семей'"]


def test_a_formula_never_computed_is_refused_not_read_as_blank(seeded, runner, tmp_path):
    """A workbook a program wrote with formulas and no spreadsheet ever saved has no results in it: read as
    blank, the value would become "not reported" (and clear a stored one). Refused by its cell instead;
    the same formulas with results saved, an empty result included, are read."""
    result = cli_import(runner, tmp_path, xlsx_bytes(["almaty", PERCENT, "=40+5"]), "values.xlsx")
    assert error_lines(result) == ["error: unreadable file: cell C2 holds a formula whose result was never "
                                   "saved; open the file in Excel or LibreOffice and save it again"]
    assert value_rows() == []
    saved = _damaged("xl/worksheets/sheet1.xml", SAVED_FORMULAS)
    result = cli_import(runner, tmp_path, saved, "saved.xlsx")
    assert result.exit_code == 0, result.output
    assert stored_values() == {PERCENT: 45.0, "edu_school_computers": None}


#: a sheet as Excel saves it: formulas with their results, one of them an empty text
SAVED_FORMULAS = (
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    b'<row r="1"><c r="A1" t="inlineStr"><is><t>city</t></is></c><c r="B1" t="inlineStr"><is><t>indicator</t>'
    b'</is></c><c r="C1" t="inlineStr"><is><t>value</t></is></c></row>'
    b'<row r="2"><c r="A2" t="inlineStr"><is><t>almaty</t></is></c><c r="B2" t="inlineStr"><is><t>edu_e_diary'
    b'</t></is></c><c r="C2"><f>40+5</f><v>45</v></c></row>'
    b'<row r="3"><c r="A3" t="inlineStr"><is><t>almaty</t></is></c><c r="B3" t="inlineStr"><is>'
    b'<t>edu_school_computers</t></is></c><c r="C3" t="str"><f>""</f><v></v></c></row>'
    b'</sheetData></worksheet>')
