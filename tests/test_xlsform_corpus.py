"""Every real-world form in ../shared/xlsforms/ is imported fully and faithfully, or refused naming
sheet, row and construct: never a crash, never a question dropped silently.

Faithfulness is checked against pyxform's own reading of the same file (its JSON survey), so a
label, translation, relevant or constraint our reader lost would show up as a difference.
"""
import re
import warnings

import pytest
from openpyxl import load_workbook
from pyxform.xls2xform import convert

from smartcity_survey.io.xlsform import read_xlsform
from smartcity_survey.io.xlsform_languages import language_key
from tests.xlsform_helpers import CORPUS

pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason=f"the shared XLSForm corpus is not at {CORPUS}")

#: the rejection message the brief asks for; a sheet name with '-' (Kobo's) is allowed in later errors
REJECTION = re.compile(r"sheet \w+, row \d+: .+")
LOCATED = re.compile(r"^sheet [^,]+, row \d+: .+")

#: file -> ("imported", number of questions) or ("rejected", the start of the first error)
EXPECTED = {
    "hotosm-waste-collection.xlsx": ("rejected", "sheet settings, row 2: column form_id: '2021-03-21 18:07:55.551000' "
                                                 "is not a valid form_id"),
    "impact-hh-form-ar-en.xlsx": ("rejected", "sheet survey, row 2: start is not supported (metadata"),
    "kobo-library-locking.xlsx": ("rejected", "sheet settings, row 2: column kobo--locking-profile: "
                                              "KoboToolbox-only settings are not supported"),
    "liberia-coverage-village.xlsx": ("rejected", "sheet survey, row 3: calculate is not supported"),
    "ona-childrens-survey-sw.xlsx": ("rejected", "sheet survey, row 4: begin repeat is not supported"),
    "ona-enumerator-training.xlsx": ("rejected", "sheet survey, row 2: start is not supported"),
    "ona-geolocation.xlsx": ("rejected", "sheet survey, row 2: today is not supported"),
    "ona-good-eats-legacy.xlsx": ("rejected", "sheet survey, row 2: today is not supported"),
    "ona-grains-market.xlsx": ("rejected", "sheet survey, row 2: start is not supported"),
    "ona-mali-health-facilities.xlsx": ("rejected", "sheet survey, row 4: column choice_filter: cascading selects"),
    "ona-marital-status-tetun.xlsx": ("imported", 2),
    "ona-multilingual-en-sw-fr.xlsx": ("imported", 5),
    "ona-subdistrict-profiling.xlsx": ("rejected", "sheet survey, row 4: date is not supported"),
    "ona-tutorial-arabic.xlsx": ("rejected", "sheet survey, row 4: image is not supported"),
    "pyxform-pull-data.xlsx": ("rejected", "sheet survey, row 2: calculate is not supported"),
    "pyxform-ucl-biomass-plot.xlsx": ("rejected", "sheet survey, row 11: start is not supported"),
    "reach-msna-2024-kobo-tool.xlsx": ("rejected", "sheet survey, row 2: audit is not supported"),
    "unhcr-demo-4-languages.xlsx": ("rejected", "sheet survey, row 2: start is not supported"),
}
#: a construct each refused form uses that must be among its errors (what the MANIFEST lists)
NAMED_CONSTRUCTS = {
    "hotosm-waste-collection.xlsx": "geopoint is not supported",
    "impact-hh-form-ar-en.xlsx": "column choice_filter",
    "kobo-library-locking.xlsx": "sheet kobo--locking-profiles, row 1: KoboToolbox-only sheets",
    "liberia-coverage-village.xlsx": "'1' is already a choice of list 'spid'",
    "ona-childrens-survey-sw.xlsx": "gps is not supported",
    "ona-enumerator-training.xlsx": "or specify other is not supported",
    "ona-geolocation.xlsx": "geoshape is not supported",
    "ona-good-eats-legacy.xlsx": "select one from food_type or_other is not supported",
    "ona-grains-market.xlsx": "calculate is not supported",
    "ona-mali-health-facilities.xlsx": "geopoint is not supported",
    "ona-subdistrict-profiling.xlsx": "sheet external_choices, row 1",
    "ona-tutorial-arabic.xlsx": "geopoint is not supported",
    "pyxform-pull-data.xlsx": "calculate is not supported",
    "pyxform-ucl-biomass-plot.xlsx": "select_one_from_file",
    "reach-msna-2024-kobo-tool.xlsx": "begin_repeat is not supported",
    "unhcr-demo-4-languages.xlsx": "'never' is already a choice of list 'school_list'",
}
FILES = sorted(path.name for path in CORPUS.glob("*.xlsx")) if CORPUS.is_dir() else []


def test_every_corpus_file_has_an_expectation():
    """A new file in the corpus needs a line in EXPECTED, so its outcome is pinned."""
    assert sorted(EXPECTED) == FILES


@pytest.mark.parametrize("filename", FILES)
def test_corpus_form_is_imported_or_refused_with_its_row(filename):
    """The outcome matches the table; refusals name sheet and row for every problem."""
    result = read_xlsform(CORPUS / filename)
    outcome, detail = EXPECTED[filename]
    if outcome == "rejected":
        assert result.definition is None and result.errors
        assert REJECTION.match(str(result.errors[0])) and str(result.errors[0]).startswith(detail), result.errors[0]
        assert all(LOCATED.match(str(e)) for e in result.errors), [str(e) for e in result.errors]
        assert any(NAMED_CONSTRUCTS[filename] in str(e) for e in result.errors)
    else:
        assert result.errors == [], [str(e) for e in result.errors]
        assert len(result.definition.questions) == detail == _question_rows(CORPUS / filename)


@pytest.mark.parametrize("filename", [f for f in FILES if EXPECTED.get(f, ("",))[0] == "imported"])
def test_imported_corpus_form_keeps_every_translation_and_rule(filename):
    """Names, labels and hints in every language, relevant and constraint equal pyxform's own reading."""
    definition = read_xlsform(CORPUS / filename).definition
    theirs = _pyxform_questions(CORPUS / filename)
    default = language_key(definition.default_language) if definition.default_language else "default"
    assert [q.name for q in definition.questions] == [q["name"] for q in theirs]
    for ours, their in zip(definition.questions, theirs):
        assert ours.labels == _texts(their.get("label"), default)
        assert ours.hints == _texts(their.get("hint"), default)
        assert ours.relevant == their.get("bind", {}).get("relevant", "")
        assert ours.constraint == their.get("bind", {}).get("constraint", "")
        assert ours.choice_list == their.get("list_name")
    for list_name, choices in _pyxform_choices(CORPUS / filename).items():
        assert [(c.name, c.labels) for c in definition.choices_of(list_name)] == \
            [(c["name"], _texts(c.get("label"), default)) for c in choices]


def _question_rows(path) -> int:
    """Rows of the survey sheet with a type that is not a group boundary, counted straight from the file."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # openpyxl's notes about styles
        workbook = load_workbook(path, read_only=True)
        try:  # read-only workbooks hold their file open until closed
            rows = list(workbook["survey"].iter_rows(values_only=True))
        finally:
            workbook.close()
    types = [str(row[rows[0].index("type")] or "").strip() for row in rows[1:]]
    return sum(1 for t in types if t and not re.match(r"(begin|end)[ _]group", t))


def _pyxform_survey(path) -> dict:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return convert(path.read_bytes(), file_type=".xlsx")._pyxform  # bytes: no file left open


def _pyxform_questions(path) -> list[dict]:
    def walk(children):
        for child in children:
            if child.get("type") == "group":
                if child["name"] != "meta":
                    yield from walk(child["children"])
            else:
                yield child
    return list(walk(_pyxform_survey(path)["children"]))


def _pyxform_choices(path) -> dict[str, list[dict]]:
    return _pyxform_survey(path).get("choices", {})


def _texts(value, default: str) -> dict[str, str]:
    if value is None:
        return {}
    if isinstance(value, str):
        return {default: value}
    return {language_key(language): text for language, text in value.items()}
