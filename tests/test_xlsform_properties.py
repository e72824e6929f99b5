"""Generated forms: valid ones import and survive export unchanged; arbitrary ones never crash the reader."""
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smartcity_survey.io.xlsform import read_xlsform, write_xlsform
from tests.xlsform_helpers import xlsform

LABEL_COLUMNS = [["label::English (en)"], ["label::English (en)", "label::Russian (ru)", "label::Kazakh (kk)"],
                 ["label"], ["label:English", "label:French"]]
TEXT = st.text(st.characters(codec="utf-8", categories=["L", "N", "P", "S", "Zs"], exclude_characters="\u2028\u2029"),
               min_size=1, max_size=20).filter(lambda t: t.strip())
TYPES = ["text", "integer", "decimal", "note", "select_one c", "select_multiple c", "rank c", "select_one rate",
         "begin_group", "end_group"]
CONSTRAINTS = {"integer": ". >= 0 and . <= 9", "decimal": ". > -1.5", "select_multiple c": "count-selected(.) <= 2",
               "rank c": "count-selected(.) = 2", "text": "string-length(.) <= 5 and regex(., '^[a-z]*$')"}
CHOICES = [["list_name", "name", "label"], *[["rate", str(n), str(n)] for n in range(1, 6)], ["rate", "dk", "DK"],
           ["c", "a", "A"], ["c", "b", "B"], ["c", "z", "Z"]]


@st.composite
def valid_forms(draw):
    labels = draw(st.sampled_from(LABEL_COLUMNS))
    header = ["type", "name", *labels, "relevant", "constraint", "required", "appearance"]
    rows, answerable, depth = [header], [], 0
    for index in range(draw(st.integers(1, 10))):
        kind = draw(st.sampled_from(TYPES))
        if kind == "end_group" and depth == 0:
            continue
        if kind == "end_group":
            depth -= 1
            rows.append(["end_group", *[""] * (len(header) - 1)])
            continue
        name = f"{'g' if kind == 'begin_group' else 'q'}{index}"
        relevant = draw(st.sampled_from(["", *[f"${{{n}}} != ''" for n in answerable]]))
        texts = [draw(TEXT) for _ in labels]
        constraint = draw(st.sampled_from(["", CONSTRAINTS.get(kind, "")]))
        required = draw(st.sampled_from(["", "yes"])) if kind not in ("note", "begin_group") else ""
        appearance = draw(st.sampled_from(["", "multiline"])) if kind == "text" else ""
        rows.append([kind, name, *texts, relevant, constraint, required, appearance])
        if kind == "begin_group":
            depth += 1
        elif kind != "note":
            answerable.append(name)
    if not answerable:  # a form must ask something; the reader rightly refuses one that does not
        rows.append(["text", "last", *[draw(TEXT) for _ in labels], "", "", "", ""])
    rows += [["end_group", *[""] * (len(header) - 1)]] * depth
    settings_rows = [["form_id", "form_title", "form_title_ru", "style"], ["gen", draw(TEXT), draw(TEXT), "pages"]]
    return xlsform(rows, CHOICES, settings_rows)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(valid_forms())
def test_generated_valid_forms_round_trip(data):
    """Any form in the subset imports without errors, and its export reads back to the same definition."""
    first = read_xlsform(data, "gen.xlsx")
    assert first.errors == [], [str(e) for e in first.errors]
    second = read_xlsform(write_xlsform(first.definition), "gen.xlsx")
    assert second.errors == [] and second.definition == first.definition


HEADERS = ["type", "name", "label", "label::English (en)", "label:French", "hint", "relevant", "constraint",
           "required", "appearance", "bind", "control", "body", "calculation", "area", "indicator", "default",
           "constraint_message", "media::image", "choice_filter", "kobo--x", "type::en", "name::en", "relevant::en",
           "bind::relevant", "label::English"]
CELLS = st.one_of(st.sampled_from(["", "x", "yes", "${q}", ". > 1", "selected(${q}, 'a')", "pulldata('a')", "hlt",
                                   "multiline", "search('x')", "text", "select_one c", "begin_group", "end_group",
                                   "begin_repeat", "calculate", "select_one c or_other", "rank c", "note"]),
                  st.integers(-5, 5), TEXT)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(HEADERS), min_size=1, max_size=7, unique=True).flatmap(
    lambda header: st.lists(st.lists(CELLS, min_size=len(header), max_size=len(header)), max_size=6).map(
        lambda rows: [header, *rows])))
def test_arbitrary_sheets_never_crash_the_reader(rows):
    """Whatever the cells, the reader answers with a definition or located errors, never an exception."""
    result = read_xlsform(xlsform(rows, CHOICES), "junk.xlsx")
    assert (result.definition is None) == bool(result.errors)
