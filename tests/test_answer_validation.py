"""Server-side checks of one respondent's answers (shared by the web form and the importer)."""
from decimal import Decimal

import pytest

from smartcity_survey.answering import MAX_LONG_TEXT_LENGTH, MAX_TEXT_LENGTH, check_answers
from smartcity_survey.io.xlsform import read_xlsform
from tests.xlsform_helpers import DEFAULT_FORMS, simple_form, xlsform

FORM = read_xlsform(simple_form(
    ["select_one yes_no", "uses", "Do you use it?", "", "", "", "yes"],
    ["select_one rate", "rating", "Rate it", "", "${uses} = 'yes'", "", "yes"],
    ["select_one colours", "colour", "Colour", "", "", "", ""],
    ["select_multiple colours", "colours", "Colours", "", "", "count-selected(.) <= 2", ""],
    ["rank colours", "ranked", "Rank", "", "", "", ""],
    ["integer", "age", "Age", "", "", ". >= 18 and . <= 120", ""],
    ["decimal", "amount", "Amount", "", "", ". >= 0", ""],
    ["text", "name_of_thing", "Thing", "", "", "string-length(.) <= 10", ""],
    ["text", "free", "Free", "", "", "", ""],
    ["text", "other_colour", "Which other colour?", "", "selected(${colours}, 'other')", "", "yes"],
    ["integer", "older", "Older than age", "", "", ". > ${age}", ""],
    choices=[["yes_no", "yes", "Yes", "Да"], ["yes_no", "no", "No", "Нет"],
             ["colours", "red", "Red", "Красный"], ["colours", "blue", "Blue", "Синий"],
             ["colours", "green", "Green", "Зелёный"], ["colours", "other", "Other", "Другой"]]),
    "form.xlsx").definition


def check(**answers):
    return check_answers(FORM, {"uses": "no", **answers})


def test_valid_answers_come_back_cleaned():
    """Choices by name, lists in choice (or rank) order, numbers typed, text stripped."""
    result = check(uses="yes", rating="4", colour="red", colours="blue red", ranked=["green", "red"], age="42",
                   amount="12,50", free="  hello  ")
    assert result.errors == {}
    assert result.values == {"uses": "yes", "rating": "4", "colour": "red", "colours": ["red", "blue"],
                             "ranked": ["green", "red"], "age": 42, "amount": Decimal("12.50"), "free": "hello"}


@pytest.mark.parametrize("answers, name", [
    ({"colour": "purple"}, "colour"),
    ({"colour": "red blue"}, "colour"),
    ({"colour": ["red"]}, "colour"),
    ({"uses": "maybe"}, "uses"),
    ({"uses": "yes", "rating": "6"}, "rating"),
    ({"uses": "yes", "rating": "0"}, "rating"),
    ({"colours": "red purple"}, "colours"),
    ({"colours": ["red", 3]}, "colours"),
    ({"ranked": "red <script>"}, "ranked"),
])
def test_tampered_choice_values_are_refused(answers, name):
    """Anything that is not one of the question's choice names is refused, naming the question."""
    assert name in check(**answers).errors


def test_dont_know_only_where_the_list_offers_it():
    """'dk' is accepted for a rating whose list has it, and stored as that choice."""
    assert check(uses="yes", rating="dk").values["rating"] == "dk"
    no_dk = read_xlsform(xlsform([["type", "name", "label"], ["select_one r", "r", "R"]],
                                 [["list_name", "name", "label"], *[["r", str(n), str(n)] for n in range(1, 6)]]),
                         "x.xlsx").definition
    assert check_answers(no_dk, {"r": "dk"}).errors["r"] == "“dk” is not one of the options."


def test_required_only_when_relevant():
    """A required question hidden by skip logic needs no answer, and an answer sent anyway is dropped."""
    hidden = check(uses="no", rating="9")
    assert hidden.errors == {} and "rating" not in hidden.values
    shown = check(uses="yes")
    assert shown.errors == {"rating": "This question needs an answer."}


def test_required_at_top_level():
    """A required question without skip logic must be answered."""
    assert check_answers(FORM, {}).errors == {"uses": "This question needs an answer."}


def test_relevance_follows_a_multiple_choice():
    """selected() on an earlier multiple choice shows the follow-up question."""
    assert check(colours="other").errors == {"other_colour": "This question needs an answer."}
    assert check(colours="other", other_colour="Violet").values["other_colour"] == "Violet"


def test_group_relevance_hides_its_questions():
    """A false relevant on a group drops every answer inside it."""
    definition = read_xlsform(xlsform([
        ["type", "name", "label", "relevant", "required"],
        ["integer", "n", "N", "", ""],
        ["begin_group", "g", "G", "${n} > 0", ""],
        ["text", "inside", "Inside", "", "yes"],
        ["end_group", "", "", "", ""]]), "g.xlsx").definition
    assert check_answers(definition, {"n": "0", "inside": "x"}).values == {"n": 0}
    assert check_answers(definition, {"n": "1"}).errors == {"inside": "This question needs an answer."}


@pytest.mark.parametrize("answers, message", [
    ({"age": "17"}, "The answer must be at least 18."),
    ({"age": "121"}, "The answer must be at most 120."),
    ({"age": "42.5"}, "Enter a whole number."),
    ({"age": "forty"}, "Enter a number."),
    ({"age": "1e9999"}, "Enter a number."),
    ({"age": "NaN"}, "Enter a number."),
    ({"amount": "-0,01"}, "The answer must be at least 0."),
    ({"amount": "10000000000000"}, "Enter a number."),
])
def test_number_bounds_and_types(answers, message):
    """Integers and decimals are parsed and held to the bounds the constraint sets."""
    assert list(check(**answers).errors.values()) == [message]


def test_choice_counts():
    """Multiple choice: at most the constraint's count, each option once; ranking: distinct items."""
    assert check(colours="red blue green").errors == {"colours": "Choose at most 2 options."}
    assert check(colours="red red").errors == {"colours": "Choose each option only once."}
    assert check(ranked="red red").errors == {"ranked": "Choose each option only once."}
    assert check(ranked="red blue green other").values["ranked"] == ["red", "blue", "green", "other"]


def test_text_length_caps():
    """The constraint's string-length limit applies, and every text has a hard cap."""
    assert check(name_of_thing="x" * 11).errors == {"name_of_thing": "The answer is longer than 10 characters."}
    assert "free" in check(free="x" * (MAX_TEXT_LENGTH + 1)).errors
    long_form = read_xlsform(xlsform([["type", "name", "label", "appearance"], ["text", "t", "T", "multiline"]]),
                             "t.xlsx").definition
    assert check_answers(long_form, {"t": "x" * MAX_TEXT_LENGTH * 2}).errors == {}
    assert "t" in check_answers(long_form, {"t": "x" * (MAX_LONG_TEXT_LENGTH + 1)}).errors


def test_constraints_see_earlier_answers():
    """A constraint may compare with an earlier answer."""
    assert check(age="30", older="31").errors == {}
    assert check(age="30", older="30").errors == {"older": "This answer does not meet the question's rule."}


def test_constraint_message_in_the_respondents_language():
    """The form's own constraint message is shown, in the language asked for."""
    definition = read_xlsform(xlsform([
        ["type", "name", "label::English (en)", "constraint", "constraint_message::English (en)",
         "constraint_message::Russian (ru)"],
        ["integer", "n", "N", ". < 5", "Less than five, please", "Меньше пяти, пожалуйста"]]), "c.xlsx").definition
    assert check_answers(definition, {"n": "7"}, "ru").errors == {"n": "Меньше пяти, пожалуйста"}
    assert check_answers(definition, {"n": "7"}, "kk").errors == {"n": "Less than five, please"}


def test_a_message_only_in_another_language_gives_way_to_the_platforms():
    """A label in some other language is better than none, but a required or constraint message that the
    form gives only in Kazakh is not shown to a Russian respondent: the platform's own message is, in
    the page's language."""
    definition = read_xlsform(xlsform([
        ["type", "name", "label::Kazakh (kk)", "label::Russian (ru)", "required", "required_message::Kazakh (kk)",
         "constraint", "constraint_message::Kazakh (kk)"],
        ["integer", "n", "Сан", "Число", "yes", "Жауап беріңіз", ". < 5", "Бестен аз болсын"]]), "c.xlsx").definition
    assert check_answers(definition, {"n": "7"}, "kk").errors == {"n": "Бестен аз болсын"}
    assert check_answers(definition, {"n": ""}, "kk").errors == {"n": "Жауап беріңіз"}
    assert check_answers(definition, {"n": "7"}, "ru").errors == {"n": "This answer does not meet the question's rule."}
    assert check_answers(definition, {"n": ""}, "ru").errors == {"n": "This question needs an answer."}


def test_constraint_message_also_when_a_bound_of_the_constraint_fails():
    """A bound read from the constraint (. <= 5, count-selected(.) <= 1, string-length(.) <= 3) was checked
    first with the platform's message, so the form's constraint_message never showed for it; a hard cap
    that is not the form's (5000 characters) keeps the platform's message."""
    definition = read_xlsform(xlsform([
        ["type", "name", "label", "constraint", "constraint_message::English (en)", "constraint_message::Russian (ru)",
         "appearance"],
        ["integer", "n", "N", ". >= 1 and . <= 5", "From 1 to 5", "От 1 до 5", ""],
        ["select_multiple c", "m", "M", "count-selected(.) <= 1", "Just one", "Только один", ""],
        ["text", "t", "T", "string-length(.) <= 3", "Three letters at most", "Не больше трёх букв", ""],
        ["text", "long", "L", "string-length(.) <= 9000", "Too long", "Слишком длинно", "multiline"]],
        [["list_name", "name", "label"], ["c", "a", "A"], ["c", "b", "B"]]), "c.xlsx").definition
    errors = check_answers(definition, {"n": "9", "m": "a b", "t": "four", "long": "x" * (MAX_LONG_TEXT_LENGTH + 1)},
                           "ru").errors
    assert errors == {"n": "От 1 до 5", "m": "Только один", "t": "Не больше трёх букв",
                      "long": f"The answer is longer than {MAX_LONG_TEXT_LENGTH} characters."}
    assert check_answers(definition, {"n": "0"}, "en").errors == {"n": "From 1 to 5"}
    assert check_answers(definition, {"n": "x"}, "en").errors == {"n": "Enter a number."}  # not the constraint's


def test_unknown_questions_and_answers_to_notes_are_refused():
    """A tampered form posting extra fields gets an error per unknown name."""
    definition = read_xlsform(xlsform([["type", "name", "label"], ["note", "hi", "Hi"], ["text", "t", "T"]]),
                              "n.xlsx").definition
    errors = check_answers(definition, {"t": "ok", "is_admin": "1", "hi": "x"}).errors
    assert errors == {"is_admin": "There is no question is_admin in this questionnaire.",
                      "hi": "hi is a note and takes no answer."}


@pytest.mark.parametrize("bin_text, valid", [
    ("180340021791", True), ("000000000101", True), ("180340021792", False), ("18034002179", False),
    ("18034002179O", False), (" 180340021791 ", True),
])
def test_bin_is_checked_in_the_business_questionnaire(bin_text, valid):
    """The shipped business form's BIN takes 12 digits with a valid Kazakhstan check digit."""
    business = read_xlsform(DEFAULT_FORMS / "business.xlsx").definition
    errors = check_answers(business, {"bin": bin_text}, "ru").errors
    assert ("bin" not in errors) is valid
    if not valid:
        assert errors["bin"].startswith("Это не действительный БИН")


def test_a_nul_in_a_text_answer_is_refused():
    """PostgreSQL's text columns cannot hold NUL; a draft saved before input_guard could: named, not stored."""
    result = check(free="a\x00b")
    assert "NUL" in result.errors["free"] and "free" not in result.values
