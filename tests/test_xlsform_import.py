"""XLSForm import and export: the supported subset, legacy spellings, refusals naming sheet/row/construct,
and the round trip import -> export -> import."""
import io
import re
import zipfile

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter

from smartcity_survey import questionnaire_spec as spec
from smartcity_survey.io.xlsform import read_xlsform, write_xlsform
from smartcity_survey.models import Choice, Question, Questionnaire, Section
from tests.xlsform_helpers import RATING_CHOICES, simple_form, xlsform

LOCATED = re.compile(r"^sheet \w+, row \d+: .+")


def read_ok(data: bytes):
    result = read_xlsform(data, "demo.xlsx")
    assert result.errors == [], [str(e) for e in result.errors]
    return result.definition


def errors_of(data: bytes) -> list[str]:
    result = read_xlsform(data, "demo.xlsx")
    assert result.definition is None
    return [str(e) for e in result.errors]


def test_maps_every_supported_type():
    """select_one over 1-5(+dk) is a rating, others single; select_multiple, rank, integer, decimal, text,
    multiline text and note map to the platform's types, with labels per language and rules kept."""
    definition = read_ok(simple_form(
        ["note", "hello", "Welcome", "Добро пожаловать", "", "", ""],
        ["select_one rate", "q_rating", "Rate", "Оцените", "", "", "yes"],
        ["select_one colours", "q_single", "Colour", "Цвет", "", "", ""],
        ["select_multiple colours", "q_multi", "Colours", "Цвета", "${q_rating} >= 4", "count-selected(.) <= 2", ""],
        ["rank colours", "q_rank", "Rank", "Порядок", "", "", ""],
        ["integer", "q_int", "Age", "Возраст", "", ". >= 18 and . <= 120", "yes"],
        ["decimal", "q_dec", "Amount", "Сумма", "", "", ""],
        ["text", "q_text", "Name", "Имя", "", "string-length(.) <= 40", ""],
        choices=[["colours", "red", "Red", "Красный"], ["colours", "blue", "Blue", "Синий"]]))
    types = {q.name: q.type for q in definition.questions}
    assert types == {"hello": "note", "q_rating": "rating", "q_single": "single", "q_multi": "multiple",
                     "q_rank": "ranking", "q_int": "integer", "q_dec": "decimal", "q_text": "text"}
    multi = definition.question("q_multi")
    assert multi.labels == {"en": "Colours", "ru": "Цвета"} and multi.relevant == "${q_rating} >= 4"
    assert multi.max_choices == 2 and definition.question("q_int").min_value == 18
    assert definition.question("q_text").max_length == 40 and definition.question("q_rating").required
    assert definition.allows_dont_know(definition.question("q_rating"))
    assert [lang.key for lang in definition.languages] == ["en", "ru"]


def test_multiline_text_is_long_text_and_groups_are_sections():
    """Groups (nested too) become sections with labels and relevant; appearance multiline means long text."""
    definition = read_ok(xlsform([
        ["type", "name", "label", "relevant", "appearance"],
        ["text", "first", "First", "", ""],
        ["begin group", "outer", "Outer", "${first} != ''", "field-list"],
        ["begin_group", "inner", "Inner", "", ""],
        ["text", "story", "Story", "", "multiline"],
        ["end_group", "", "", "", ""],
        ["end group", "", "", "", ""],
        ["text", "last", "Last", "", ""],
    ]))
    assert [(s.name, s.parent) for s in definition.sections] == [("", None), ("outer", ""), ("inner", "outer")]
    assert definition.section("outer").relevant == "${first} != ''"
    assert definition.section("outer").appearance == "field-list"
    assert definition.question("story").type == spec.LONG_TEXT and definition.question("story").section == "inner"
    assert [block[0].name if block[0] else None for block in definition.blocks()] == [None, "outer", None]


@pytest.mark.parametrize("header, type_text, key", [
    (["type", "name", "label:English", "bind:relevant"], "select one from rate", "en"),
    (["type", "name", "label::English", "relevant"], "select_one rate", "en"),
    (["type", "name", "label::English (en)", "relevance"], "select one rate", "en"),
    (["type", "name", "label::en", "relevant"], "select_one  rate", "en"),
    (["type", "name", "label:French", "bind:relevant"], "select1 rate", "French"),
    (["type", "name", "Label::Kazakh", "Relevant"], "select_one rate", "kk"),
])
def test_legacy_spellings(header, type_text, key):
    """Old column and type spellings read the same as the current ones."""
    definition = read_ok(xlsform(
        [header, ["integer", "age", "Age", ""], [type_text, "q", "Rate it", "${age} > 1"]],
        [["list name", "name", header[2]], *[[r[0], r[1], r[2]] for r in RATING_CHOICES]]))
    question = definition.question("q")
    assert question.type == spec.RATING and question.relevant == "${age} > 1" and question.labels == {key: "Rate it"}


def test_area_and_indicator_headers_in_any_case():
    """`Area` and `INDICATOR` are read like `Type` and `NAME`, not ignored as unknown columns; a refusal
    names the column as written."""
    choices = [["list_name", "name", "label"], *[[r[0], r[1], r[2]] for r in RATING_CHOICES]]
    data = xlsform([["Type", "NAME", "Label", "Area", "INDICATOR"],
                    ["select_one rate", "q", "Q", "hlt", "hlt_online_appointment"]], choices)
    result = read_xlsform(data, "demo.xlsx")
    assert result.errors == [] and result.warnings == []
    assert (result.definition.question("q").area, result.definition.question("q").indicator) == \
        ("hlt", "hlt_online_appointment")
    errors = errors_of(xlsform([["type", "name", "label", "Area"], ["integer", "n", "N", "hlt"]]))
    assert any(e.startswith("sheet survey, row 2: column Area: only rating questions") for e in errors), errors
    errors = errors_of(xlsform([["type", "name", "label", "Disabled"], ["integer", "n", "N", "yes"]]))
    assert any(e.startswith("sheet survey, row 2: column Disabled: disabled rows") for e in errors), errors


def test_select_multiple_legacy_spelling():
    """`select all that apply from` is a multiple choice."""
    definition = read_ok(xlsform([["type", "name", "label"], ["select all that apply from c", "m", "Pick"]],
                                 [["list name", "name", "label"], ["c", "a", "A"], ["c", "b", "B"]]))
    assert definition.question("m").type == spec.MULTIPLE


@pytest.mark.parametrize("cell, required", [
    ("yes", True), ("TRUE", True), ("true()", True), (" Yes ", True), (1, True), ("1", True), (1.0, True),
    ("no", False), ("false()", False), (0, False), ("0", False), ("", False)])
def test_required_in_every_spelling_pyxform_and_the_xpath_take(cell, required):
    """`required` reads pyxform's yes/no words, and 1 or 0 as the XPath it becomes reads them (forms and
    spreadsheets that turn TRUE into 1 write those)."""
    definition = read_ok(xlsform([["type", "name", "label", "required"], ["integer", "n", "N", cell]]))
    assert definition.question("n").required is required


def test_required_other_than_yes_or_no_is_refused():
    assert errors_of(xlsform([["type", "name", "label", "required"], ["integer", "n", "N", 2]])) == [
        "sheet survey, row 2: column required: '2' is not yes or no; conditional required is not supported"]


@pytest.mark.parametrize("row, expected", [
    (["begin_repeat", "kids", "Kids", "", "", ""], "row 3: begin_repeat is not supported"),
    (["begin repeat", "kids", "Kids", "", "", ""], "row 3: begin repeat is not supported"),
    (["calculate", "total", "", "", "", ""], "row 3: calculate is not supported"),
    (["geopoint", "where", "Where", "", "", ""], "row 3: geopoint is not supported"),
    (["image", "photo", "Photo", "", "", ""], "row 3: image is not supported"),
    (["date", "born", "Born", "", "", ""], "row 3: date is not supported"),
    (["range", "slider", "Slide", "", "", ""], "row 3: range is not supported"),
    (["barcode", "code", "Scan", "", "", ""], "row 3: barcode is not supported"),
    (["deviceid", "device", "", "", "", ""], "row 3: deviceid is not supported"),
    (["start", "started", "", "", "", ""], "row 3: start is not supported"),
    (["select_one_from_file places.csv", "place", "Place", "", "", ""], "row 3: select_one_from_file places.csv"),
    (["select_one_external places", "place", "Place", "", "", ""], "row 3: select_one_external places"),
    (["select_one colours or_other", "c", "Colour", "", "", ""], "row 3: select_one colours or_other is not"),
    (["trigger", "t", "T", "", "", ""], "row 3: trigger is not supported"),
    (["text", "t", "T", "pulldata('f', 'a', 'b', ${age})", "", ""],
     "row 3: column relevant: unsupported function pulldata()"),
    (["text", "t", "T", "", "search('places')", ""], "row 3: column appearance: search() choices"),
    (["text", "t", "T", "", "", "${age} > 3"], "row 3: column required: '${age} > 3' is not yes or no"),
    (["text", "t", "T", "${later} = 'x'", "", ""], "row 3: column relevant: ${later} comes later in the form"),
    (["text", "t", "T", "${nobody} = 'x'", "", ""], "row 3: column relevant: ${nobody} is not a question"),
    (["text", "t", "T", "${t} = 'x'", "", ""], "row 3: column relevant: ${t} comes later"),
    (["text", "age", "Again", "", "", ""], "row 3: column name: the name 'age' is already used on row 2"),
    (["text", "bad name", "T", "", "", ""], "row 3: column name: 'bad name' is not a valid name"),
    (["text", "возраст", "T", "", "", ""], "row 3: column name: 'возраст' is not a valid name (a Latin letter or _"),
    (["text", "", "No name", "", "", ""], "row 3: column name: a question or group needs a name"),
    (["note", "empty", "", "", "", ""], "row 3: column label: 'empty' has neither a label nor a hint; the respondent "
                                       "would see only its name"),  # pyxform's own message names no row
    (["select_one nolist", "q", "Q", "", "", ""], "row 3: column type: choice list 'nolist' is not on the choices"),
    (["end_group", "", "", "", "", ""], "row 3: end_group without a matching begin_group"),
    (["begin_group", "g", "G", "", "", ""], "row 3: begin_group 'g' has no matching end_group"),
    (["made_up_type", "x", "X", "", "", ""], "row 3: type 'made_up_type' is not supported"),
    (["select_one", "x", "X", "", "", ""], "row 3: select_one needs the name of its choice list after it, as in "
                                           "'select_one yes_no'"),  # not "type 'select_one' is not supported"
])
def test_refuses_unsupported_constructs_naming_sheet_row_and_construct(row, expected):
    """Each construct outside the subset is refused with 'sheet survey, row N: <construct> ...'."""
    header = ["type", "name", "label", "relevant", "appearance", "required"]
    data = xlsform([header, ["integer", "age", "Age", "", "", ""], row,
                    ["text", "later", "Later", "", "", ""]],
                   [["list_name", "name", "label"], ["colours", "red", "Red"]])
    errors = errors_of(data)
    assert all(LOCATED.match(e) or e.startswith("pyxform") for e in errors), errors
    assert any(e.startswith(f"sheet survey, {expected}") for e in errors), errors


@pytest.mark.parametrize("column, value, expected", [
    ("calculation", "1 + 1", "column calculation: calculations are not supported"),
    ("choice_filter", "x = 1", "column choice_filter: cascading selects"),
    ("default", "5", "column default: default answers are not supported"),
    ("repeat_count", "3", "column repeat_count: repeats are not supported"),
    ("read_only", "yes", "column read_only: read-only questions are not supported"),
    ("parameters", "randomize=true", "column parameters: question parameters are not supported"),
    ("media::image::English (en)", "a.png", "images, audio and video in labels are not supported"),
    ("kobo--locking-profile", "profile_1", "column kobo--locking-profile: KoboToolbox-only columns"),
    ("area", "hlt", "column area: only rating questions"),
])
def test_refuses_unsupported_columns(column, value, expected):
    """A filled column the subset cannot honour is refused on its row."""
    errors = errors_of(xlsform([["type", "name", "label", column], ["integer", "n", "N", value]]))
    assert any(e.startswith("sheet survey, row 2: ") and expected in e for e in errors), errors


def test_a_type_in_capitals_is_refused_saying_types_are_lower_case():
    """pyxform knows types in lower case only: 'Integer' was "not supported" (integer is) and END_GROUP
    got pyxform's "Question or group with no name."; each row now says to write the type in lower case."""
    errors = errors_of(simple_form(["Begin Group", "about", "About", "О вас", "", "", ""],
                                   ["Integer", "age", "Age", "Возраст", "", "", ""],
                                   ["SELECT_ONE rate", "wifi", "Wifi", "Wifi", "", "", ""],
                                   ["END_GROUP", "", "", "", "", "", ""],
                                   ["Geopoint", "where", "Where", "Где", "", "", ""]))
    assert errors == [
        "sheet survey, row 2: type 'Begin Group' is not supported: XLSForm types are lower case ('begin group')",
        "sheet survey, row 3: type 'Integer' is not supported: XLSForm types are lower case ('integer')",
        "sheet survey, row 4: type 'SELECT_ONE' is not supported: XLSForm types are lower case ('select_one')",
        "sheet survey, row 5: type 'END_GROUP' is not supported: XLSForm types are lower case ('end_group')",
        "sheet survey, row 6: type 'Geopoint' is not supported"]


@pytest.mark.parametrize("extra, expected", [
    ({"external_choices": [["list_name", "name"], ["x", "y"]]}, "sheet external_choices, row 1: choices from"),
    ({"kobo--locking-profiles": [["restriction"], ["x"]]}, "sheet kobo--locking-profiles, row 1: KoboToolbox-only"),
])
def test_refuses_unsupported_sheets(extra, expected):
    """Sheets the subset does not cover are refused by name."""
    errors = errors_of(xlsform([["type", "name", "label"], ["text", "t", "T"]], extra_sheets=extra))
    assert any(e.startswith(expected) for e in errors), errors


@pytest.mark.parametrize("sheet, also", [
    ("choices", "sheet survey, row 2: column type: choice list 'yn' is not on the choices sheet"),
    ("survey", None)])
def test_a_sheet_name_with_spaces_around_it_is_refused_by_name(sheet, also):
    """"choices " is not pyxform's choices sheet: it was ignored, and the form said to have no survey sheet
    or its list to be missing while the workbook shows them. The sheet is named, with what to rename it."""
    data = xlsform([["type", "name", "label"], ["select_one yn", "q", "Q"]],
                   [["list_name", "name", "label"], ["yn", "yes", "Yes"], ["yn", "no", "No"]])
    workbook = load_workbook(io.BytesIO(data))
    workbook[sheet].title = f"{sheet} "
    buffer = io.BytesIO()
    workbook.save(buffer)
    errors = errors_of(buffer.getvalue())
    assert errors == [f"sheet '{sheet} ': the sheet name has spaces around it, so it is not read as the {sheet} sheet; "
                      f"rename it '{sheet}'", *([also] if also else [])]


def test_refuses_media_and_duplicates_on_the_choices_sheet():
    """Choice media columns and repeated choice names are refused with their row."""
    errors = errors_of(xlsform(
        [["type", "name", "label"], ["select_one c", "q", "Q"]],
        [["list_name", "name", "label", "media::image"], ["c", "a", "A", ""], ["c", "a", "A again", "x.png"]]))
    assert "sheet choices, row 1: column media::image: images, audio and video in choices are not supported" in errors
    assert "sheet choices, row 3: column name: 'a' is already a choice of list 'c' on row 2" in errors


@pytest.mark.parametrize("header", ["name::English (en)", "list_name::ru"])
def test_refuses_translated_choice_names_naming_the_column(header):
    """A choice's list_name or name under a language (name::English (en)) was a TypeError, a 500 on the
    import page: it is refused on its header, like a translated type or name on the survey sheet."""
    columns = ["list_name", "name", "label"]
    columns[columns.index(header.split("::")[0])] = header
    errors = errors_of(xlsform([["type", "name", "label"], ["select_one yn", "q", "Q"]],
                               [columns, ["yn", "yes", "Yes"], ["yn", "no", "No"]]))
    assert f"sheet choices, row 1: column {header}: list_name and name cannot be translated" in errors, errors
    assert all(LOCATED.match(error) for error in errors), errors


def test_refuses_answers_referred_to_inside_texts():
    """pyxform shows the answer where a label, hint, message or choice label says ${name}; the answering
    pages show texts as written, so the respondent read "You said ${age}". Refused on its row and column."""
    errors = errors_of(xlsform(
        [["type", "name", "label::English (en)", "hint", "constraint", "constraint_message"],
         ["integer", "age", "Age", "", ". > 0", ""],
         ["note", "echo", "You said ${age}", "", "", ""],
         ["integer", "older", "Older?", "More than ${age}", ". > ${age}", "Must be over ${age}"],
         ["select_one yn", "sure", "Sure?", "", "", ""]],
        [["list_name", "name", "label::English (en)"], ["yn", "yes", "Yes, ${age}"], ["yn", "no", "No"]]))
    assert errors == [
        "sheet survey, row 3: column label::English (en): ${age} in a label is not supported (answers are not shown "
        "inside texts)",
        "sheet survey, row 4: column hint: ${age} in a hint is not supported (answers are not shown inside texts)",
        "sheet survey, row 4: column constraint_message: ${age} in a constraint_message is not supported (answers "
        "are not shown inside texts)",
        "sheet choices, row 2: column label::English (en): ${age} in a label is not supported (answers are not "
        "shown inside texts)"]


def test_refuses_two_columns_of_one_language():
    """label::English and label::English (en) would both be English: refused rather than one dropped."""
    errors = errors_of(xlsform([["type", "name", "label::English", "label::English (en)"], ["text", "t", "A", "B"]]))
    assert errors == ["sheet survey, row 1: column label::English (en): columns 'label::English' and "
                      "'label::English (en)' are both language 'en'"]


def test_region_tagged_codes_are_the_platform_languages():
    """ru-RU, kk-KZ and en-US are Russian, Kazakh and English (what the answering pages look up); other
    languages keep their region; the header as written is kept for export."""
    data = xlsform([["type", "name", "label::Russian (ru-RU)", "label::Kazakh (kk-KZ)", "label::en-US",
                     "label::German (de-AT)"],
                    ["select_one yn", "q", "Вопрос", "Сұрақ", "Question", "Frage"]],
                   [["list_name", "name", "label::Russian (ru-RU)"], ["yn", "y", "Да"]],
                   [["form_id", "default_language"], ["demo", "Russian (ru-RU)"]])
    definition = read_ok(data)
    assert definition.question("q").labels == {"ru": "Вопрос", "kk": "Сұрақ", "en": "Question",
                                               "de-at": "Frage"}
    assert definition.choices[0].labels == {"ru": "Да"}
    assert [(lang.key, lang.header) for lang in definition.languages] == [
        ("ru", "Russian (ru-RU)"), ("kk", "Kazakh (kk-KZ)"), ("en", "en-US"), ("de-at", "German (de-AT)")]
    assert read_ok(write_xlsform(definition)) == definition


def test_platform_codes_in_capitals_or_with_an_underscore_are_the_platform_languages():
    """label::RU, label::kk_KZ and label::en_US were keys the answering pages never look up: a Russian
    page showed the form's English (the first text) although the form has Russian."""
    data = xlsform([["type", "name", "label::EN", "label::RU", "label::kk_KZ", "hint::en_US"],
                    ["text", "t", "Question", "Вопрос", "Сұрақ", "Hint"]])
    definition = read_ok(data)
    question = definition.question("t")
    assert question.labels == {"en": "Question", "ru": "Вопрос", "kk": "Сұрақ"}
    assert question.hints == {"en": "Hint"}
    assert spec.text_in(question.labels, "ru") == "Вопрос"
    assert [(lang.key, lang.header) for lang in definition.languages] == [("en", "EN"), ("ru", "RU"), ("kk", "kk_KZ")]
    assert read_ok(write_xlsform(definition)) == definition
    assert errors_of(xlsform([["type", "name", "label::ru", "label::RU"], ["text", "t", "А", "Б"]])) == [
        "sheet survey, row 1: column label::RU: columns 'label::ru' and 'label::RU' are both language 'ru'"]


def test_a_language_respondents_cannot_choose_is_named_in_a_warning():
    """Texts in Tetun, or in Russian under a name not recognised, were kept without a word although no
    page language shows them while English is there: each such language is named, with how to give its
    code. "Русский язык" and "Қазақ тілі" are Russian and Kazakh."""
    result = read_xlsform(xlsform([["type", "name", "label::English (en)", "label::Русский язык", "label::Tetun"],
                                   ["text", "t", "Question", "Вопрос", "Pergunta"]]), "demo.xlsx")
    assert result.errors == [] and result.definition.question("t").labels == {
        "en": "Question", "ru": "Вопрос", "Tetun": "Pergunta"}
    assert [w for w in result.warnings if "Tetun" in w and not w.startswith("pyxform")] == [
        "sheet survey, row 1: column label::Tetun: 'Tetun' is not one of the languages respondents choose from "
        "(kk, ru, en), so its texts show only where a text has none in the page's language or English; if it is "
        "one of them, add its code in brackets, e.g. 'label::Tetun (ru)'"]


def test_refuses_a_language_and_its_region_variant():
    """label::Russian (ru) and label::Russian (ru-RU) would both be Russian: refused naming both columns."""
    errors = errors_of(xlsform([["type", "name", "label::Russian (ru)", "label::Russian (ru-RU)"],
                                ["text", "t", "А", "Б"]]))
    assert errors == ["sheet survey, row 1: column label::Russian (ru-RU): columns 'label::Russian (ru)' and "
                      "'label::Russian (ru-RU)' are both language 'ru'"]


def test_nothing_is_dropped_silently():
    """Rows pyxform skips, unknown columns and sheets, and unnamed notes are all reported or kept."""
    result = read_xlsform(xlsform(
        [["type", "name", "label", "required", "my_notes"],
         ["note", "", "A note without a name", "", ""],
         ["", "", "", "yes", ""],
         ["text", "t", "T", "", "internal remark"]],
        extra_sheets={"README": [["about"], ["this form"]]}), "demo.xlsx")
    assert result.errors == []
    assert [q.name for q in result.definition.questions] == ["generated_note_name_2", "t"]
    assert "sheet survey, row 3: row without type, name or label is skipped (it only fills required)" in result.warnings
    assert "sheet survey, row 1: column my_notes: not an XLSForm column; ignored" in result.warnings
    assert "sheet README: not an XLSForm sheet; ignored" in result.warnings


@pytest.mark.parametrize("gap, read", [(60, True), (61, False)])
def test_a_row_after_a_long_run_of_empty_rows_is_read_or_refused(gap, read):
    """pyxform stops reading after 60 empty rows: up to there the row is read, beyond the form is refused
    naming the row, rather than the question vanishing."""
    data = xlsform([["type", "name", "label"], ["text", "before", "Before"], *[[]] * gap, ["text", "after", "After"]])
    if read:
        assert [q.name for q in read_ok(data).questions] == ["before", "after"]
    else:
        assert errors_of(data) == [f"sheet survey, row {gap + 3}: column A: 'text' comes after {gap} empty rows, "
                                   "where pyxform stops reading the sheet, so it would be lost; delete the empty "
                                   "rows before it"]


@pytest.mark.parametrize("gap, read", [(20, True), (21, False)])
def test_a_column_after_a_long_run_of_empty_columns_is_read_or_refused(gap, read):
    """pyxform stops reading the header after 20 empty cells: a label column beyond is refused, not lost."""
    data = xlsform([["type", "name", "label::English (en)", *[None] * gap, "label::Kazakh (kk)"],
                    ["text", "q", "Question", *[None] * gap, "Сұрақ"]])
    if read:
        assert read_ok(data).question("q").labels == {"en": "Question", "kk": "Сұрақ"}
    else:
        column = get_column_letter(gap + 4)
        assert errors_of(data) == [f"sheet survey, row 1: column {column}: 'label::Kazakh (kk)' comes after {gap} "
                                   "empty columns, where pyxform stops reading the sheet, so it would be lost; "
                                   "delete the empty columns before it"]


def test_a_choice_after_a_long_run_of_empty_rows_is_refused():
    """The choices sheet is read the same way as the survey."""
    errors = errors_of(xlsform([["type", "name", "label"], ["select_one c", "q", "Q"]],
                               [["list_name", "name", "label"], ["c", "a", "A"], *[[]] * 70, ["c", "b", "B"]]))
    assert errors == ["sheet choices, row 73: column A: 'c' comes after 70 empty rows, where pyxform stops reading "
                      "the sheet, so it would be lost; delete the empty rows before it"]


def test_a_value_under_an_empty_header_is_refused_not_lost():
    """A column whose header was forgotten (here the Kazakh label) would be dropped by pyxform's reader:
    the first such value is refused, naming its cell; an empty header over empty cells is fine."""
    data = xlsform([["type", "name", "label::English (en)", None, "hint"],
                    ["text", "q", "Question", None, "A hint"], ["text", "r", "Other", "Басқа", ""]])
    assert errors_of(data) == ["sheet survey, row 3: column D: 'Басқа' is in a column with no header in row 1, so "
                               "it would be lost; name the column or delete the value"]
    fine = xlsform([["type", "name", "label", None, "hint"], ["text", "q", "Question", None, "A hint"]])
    assert read_ok(fine).question("q").hints == {"default": "A hint"}


def over(attribute, start: str = "x") -> str:
    """A value one character longer than the database column `attribute` holds."""
    return start + "x" * (attribute.type.length + 1 - len(start))


RATED = [["list_name", "name", "label"], *[[r[0], r[1], r[2]] for r in RATING_CHOICES]]


@pytest.mark.parametrize("data, filename, where, attribute", [
    (xlsform([["type", "name", "label"], ["text", over(Question.name), "T"]]), "demo.xlsx",
     "sheet survey, row 2: column name", Question.name),
    (xlsform([["type", "name", "label", "Appearance"], ["text", "t", "T", over(Question.appearance, "multiline ")]]),
     "demo.xlsx", "sheet survey, row 2: column Appearance", Question.appearance),
    (xlsform([["type", "name", "label"], [f"select_one {over(Question.choice_list)}", "q", "Q"]],
             [["list_name", "name", "label"], [over(Choice.list_name), "a", "A"], [over(Choice.list_name), "b", "B"]]),
     "demo.xlsx", "sheet survey, row 2: column type", Question.choice_list),
    (xlsform([["type", "name", "label"], ["select_one c", "q", "Q"]],
             [["list_name", "name", "label"], ["c", "a", "A"], ["c", over(Choice.name), "B"]]),
     "demo.xlsx", "sheet choices, row 3: column name", Choice.name),
    (xlsform([["type", "name", "label", "appearance"], ["begin_group", over(Section.name), "G", ""],
              ["text", "t", "T", ""], ["end_group", "", "", ""]]),
     "demo.xlsx", "sheet survey, row 2: column name", Section.name),
    (xlsform([["type", "name", "label", "appearance"],
              ["begin_group", "g", "G", over(Section.appearance, "field-list ")],
              ["text", "t", "T", ""], ["end_group", "", "", ""]]),
     "demo.xlsx", "sheet survey, row 2: column appearance", Section.appearance),
    (xlsform([["type", "name", "label", "area"], ["select_one rate", "q", "Q", over(Question.area_code)]], RATED),
     "demo.xlsx", "sheet survey, row 2: column area", Question.area_code),
    (xlsform([["type", "name", "label", "area", "indicator"],
              ["select_one rate", "q", "Q", "hlt", over(Question.indicator_code)]], RATED),
     "demo.xlsx", "sheet survey, row 2: column indicator", Question.indicator_code),
    (xlsform([["type", "name", "label"], ["text", "t", "T"]],
             settings=[["form_id", "default_language"], ["demo", over(Questionnaire.default_language, "English ")]]),
     "demo.xlsx", "sheet settings, row 2: column default_language", Questionnaire.default_language),
    (xlsform([["type", "name", "label"], ["text", "t", "T"]], settings=[["form_title"], ["Long file name"]]),
     f"{over(Questionnaire.slug)}.xlsx", "sheet settings, row 2: column form_id (none given: the file name)",
     Questionnaire.slug),
])
def test_refuses_values_longer_than_their_database_column(data, filename, where, attribute):
    """SQLite would store them and PostgreSQL refuse the whole import: the reader refuses them on their row,
    naming the limit (read from the column), once per value (a long list name is on every row of the list)."""
    result = read_xlsform(data, filename)
    limit = attribute.type.length
    found = [str(e) for e in result.errors if "characters long" in str(e)]
    assert result.definition is None and len(found) == (2 if attribute is Question.choice_list else 1), found
    assert found[0].startswith(f"{where}: '") and found[0].endswith(
        f"…' is {limit + 1} characters long; at most {limit} are allowed")


def _with_formulas(cells: dict[str, str], saved: dict[str, str] | None = None) -> bytes:
    """A small form whose survey cells (by coordinate) hold formulas, saved with a result only where
    `saved` gives one, as a spreadsheet program would store it (openpyxl itself never calculates)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "survey"
    for row in (["type", "name", "label", "relevant"], ["integer", "age", "Age", None],
                ["text", "why", "Why?", "${age} > 60"]):
        sheet.append(row)
    for coordinate, formula in cells.items():
        sheet[coordinate] = formula
    settings = workbook.create_sheet("settings")
    settings.append(["form_id"])
    settings.append(["demo"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    if not saved:
        return buffer.getvalue()
    result = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as source, zipfile.ZipFile(result, "w") as target:
        for item in source.infolist():
            content = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                for coordinate, value in saved.items():
                    content = re.sub(rf'<c r="{coordinate}"([^>]*)><f>(.*?)</f><v\s*/>'.encode(),
                                     rf'<c r="{coordinate}"\1 t="str"><f>\2</f><v>{value}</v>'.encode(), content)
            target.writestr(item, content)
    return result.getvalue()


def test_a_formula_saved_without_its_result_is_refused_not_read_as_empty():
    """pyxform reads the results spreadsheet programs save with formulas; a workbook written by a script
    has none, and the label or rule the formula makes was lost without a word (the question then always
    showed). Each such cell is refused with its sheet, row and column."""
    errors = errors_of(_with_formulas({"C2": '="Age"&" in years"', "D3": '="${age} > "&60'}))
    assert errors == [
        "sheet survey, row 2: column C: the formula '=\"Age\"&\" in years\"' has no saved result, so it would be "
        "read as an empty cell; type the value in, or save the file from a spreadsheet program that calculates "
        "formulas",
        "sheet survey, row 3: column D: the formula '=\"${age} > \"&60' has no saved result, so it would be read as "
        "an empty cell; type the value in, or save the file from a spreadsheet program that calculates formulas"]


def test_a_formula_with_its_saved_result_is_read_as_that_result():
    definition = read_ok(_with_formulas({"C2": '="Age"&" in years"', "D3": '="${age} > "&60'},
                                        saved={"C2": "Age in years", "D3": "${age} &gt; 60"}))
    assert definition.question("age").labels == {"default": "Age in years"}
    assert definition.question("why").relevant == "${age} > 60"


@pytest.mark.parametrize("second", ["label", "label ", " label"])
def test_two_columns_with_one_header_are_refused_naming_both(second):
    """pyxform reads 'label' and 'label ' as one column and keeps the last one's values (the first
    column's labels were lost without a word), and refuses 'label' twice without naming the sheet."""
    errors = errors_of(xlsform([["type", "name", "label", second], ["text", "t", "Lost", "Kept"]]))
    assert errors == ["sheet survey, row 1: column D: column C is headed 'label' too (spaces around a header do not "
                      "count), and only one of the two columns would be read; delete or rename one"]


def test_settings_give_slug_titles_and_default_language():
    """form_id is the slug, form_title the default language's title, form_title_<code> translations."""
    definition = read_ok(xlsform(
        [["type", "name", "label"], ["text", "t", "T"]],
        settings=[["form_id", "form_title", "form_title_kk", "default_language", "version"],
                  ["my_form", "My form", "Менің формам", "English (en)", "7"]]))
    assert definition.slug == "my_form" and definition.settings == {"version": "7"}
    assert definition.title == {"en": "My form", "kk": "Менің формам"}
    assert definition.question("t").labels == {"en": "T"}  # a plain label is the default language's


def test_missing_form_id_uses_the_file_name_and_says_so():
    """Without form_id the file name is the slug, as in pyxform, with a warning."""
    result = read_xlsform(xlsform([["type", "name", "label"], ["text", "t", "T"]], settings=[["form_title"], ["X"]]),
                          "city_survey.xlsx")
    assert result.definition.slug == "city_survey"
    assert "sheet settings, row 2: no form_id; the file name 'city_survey' is used" in result.warnings


def test_a_file_name_that_is_no_link_becomes_a_valid_form_id():
    """"My city survey (2025).xlsx" has spaces and brackets a link cannot carry: they become '-'. A name with
    nothing usable left (only punctuation) asks for a form_id instead."""
    form = xlsform([["type", "name", "label"], ["text", "t", "T"]], settings=[["form_title"], ["X"]])
    result = read_xlsform(form, "My city survey (2025).xlsx")
    assert result.errors == [] and result.definition.slug == "My-city-survey-2025"
    assert ("sheet settings, row 2: no form_id; the file name 'My city survey (2025)' is used as "
            "'My-city-survey-2025'") in result.warnings
    assert any("form_id is required" in str(error) for error in read_xlsform(form, "(…).xlsx").errors)


def test_not_a_workbook_is_refused():
    """Bytes that are not an .xlsx are refused with a clear message, not a crash."""
    assert errors_of(b"type,name\ntext,t\n") == ["the file is not an .xlsx workbook"]
    assert errors_of(b"PK\x03\x04 broken") == ["the workbook cannot be read; the file may be damaged, or it is not "
                                              "an .xlsx workbook"]  # not pyxform's "Argument 'definition' was not …"


@pytest.mark.parametrize("part, content", [("xl/worksheets/sheet1.xml", b"<worksheet><sheetData><row"),
                                           ("[Content_Types].xml", b"garbage")])
def test_a_damaged_workbook_is_refused_not_a_crash(part, content):
    """A workbook with a damaged part (a cut-off upload, a broken tool) raised XML parse errors out of
    pyxform's reader: a 500 on the import page and a traceback from the CLI."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(simple_form(["text", "t", "T", "Т", "", "", ""]))) as source, \
            zipfile.ZipFile(buffer, "w") as target:
        for item in source.infolist():
            target.writestr(item, content if item.filename == part else source.read(item))
    errors = errors_of(buffer.getvalue())
    assert len(errors) == 1 and errors[0].startswith("the workbook cannot be read; the file may be damaged ("), errors


def test_pyxform_errors_are_reported_with_their_row():
    """Problems pyxform finds (here a choice with a label but no name) come back located."""
    errors = errors_of(xlsform([["type", "name", "label"], ["select_one c", "q", "Q"]],
                               [["list_name", "name", "label"], ["c", "a", "A"], ["c", "", "B"]]))
    assert any(e.startswith("sheet choices, row 3: column name: a choice of list 'c' needs a name") for e in errors)


# Round trip ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("data", [
    simple_form(["select_one rate", "r", "R", "Р", "", "", "yes"],
                ["select_multiple c", "m", "M", "М", "${r} = 'dk'", "count-selected(.) >= 1", ""],
                choices=[["c", "a", "A", "А"], ["c", "b", "B", "Б"]]),
    xlsform([["type", "name", "label::English (en)", "hint::English (en)", "label::Tetun", "constraint",
              "constraint_message::Tetun", "required_message::English (en)", "required"],
             ["begin_group", "g", "G", "", "G t", "", "", "", ""],
             ["integer", "n", "N", "How many", "N t", ". <= 9", "Too many", "Please answer", "yes"],
             ["end_group", "", "", "", "", "", "", "", ""],
             ["begin_group", "empty", "Empty", "", "", "", "", "", ""],
             ["end_group", "", "", "", "", "", "", "", ""]],
            settings=[["form_id", "form_title", "form_title_ru", "style"], ["rt", "Title", "Заголовок", "pages"]]),
    xlsform([["type", "name", "label"], ["text", "t", "=SUM(A1) is a label, not a formula"]]),
])
def test_export_reads_back_to_the_same_definition(data):
    """import -> export -> import gives an identical definition (labels, rules, groups, settings)."""
    first = read_ok(data)
    assert read_ok(write_xlsform(first)) == first
