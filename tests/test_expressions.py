"""The XLSForm expression subset: parsing, XPath evaluation, bounds, refusals, and no eval()."""
import math
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smartcity_survey.expressions import MAX_TOKENS, Bounds, ExpressionError, derive_bounds, parse
from smartcity_survey.xpath import is_valid_bin, to_string


@pytest.mark.parametrize("text, values, current, expected", [
    ("${a} = 'x'", {"a": "x"}, None, True),
    ("${a} != 'x'", {"a": "x"}, None, False),
    ("${a} = ''", {}, None, True),  # unanswered reads as the empty string
    ("${age} >= 18", {"age": 18}, None, True),
    ("${age} >= 18", {"age": Decimal("17.5")}, None, False),
    ("${age} >= 18", {}, None, False),  # "" is NaN as a number
    ("${n} = '5'", {"n": 5}, None, True),  # a number against a string compares as numbers
    ("${r} >= 4", {"r": "dk"}, None, False),
    ("selected(${m}, 'b')", {"m": ["a", "b"]}, None, True),
    ("selected(${m}, 'c')", {"m": "a b"}, None, False),
    ("count-selected(${m}) = 2", {"m": ["a", "b"]}, None, True),
    ("not(selected(${m}, 'a')) or ${x} = 'y'", {"m": ["a"], "x": "y"}, None, True),
    ("${a} = 'x' and ${b} = 'y'", {"a": "x", "b": "z"}, None, False),
    (". >= 0 and . <= 120", {}, 42, True),
    (". >= 0 and . <= 120", {}, 121, False),
    ("string-length(.) <= 3", {}, "abcd", False),
    ("regex(., '^[0-9]{3}$')", {}, "123", True),
    ("regex(., '[0-9]')", {}, "a1b", True),  # ODK: a match anywhere
    ("regex(., '^[0-9]{3}$')", {}, "1234", False),
    ("10 div 4 + 7 mod 3 - -1", {}, None, 4.5),
    ("(1 + 2) * 3", {}, None, 9.0),
    ("1 + 2 * 3", {}, None, 7.0),
    ("true() and not(false())", {}, None, True),
    ("bin-checksum(.)", {}, "180340021791", True),
    (". = ${other}", {"other": 3}, 3, True),
])
def test_evaluates_with_xpath_semantics(text, values, current, expected):
    """Comparisons, booleans, functions and arithmetic follow XPath 1.0 as ODK does."""
    assert parse(text).evaluate(values, current) == expected


def test_division_by_zero_follows_ieee():
    """div by zero gives infinity or NaN instead of raising."""
    assert parse("1 div 0").evaluate({}) == math.inf
    assert math.isnan(parse("0 div 0").evaluate({}))
    assert math.isnan(parse("5 mod 0").evaluate({}))


def test_numbers_print_like_xpath():
    """Integers print without a decimal point; NaN prints as NaN."""
    assert [to_string(5.0), to_string(2.5), to_string(math.nan)] == ["5", "2.5", "NaN"]


def test_references_are_collected():
    """The names an expression reads are known after parsing (to check the form's order)."""
    assert parse("selected(${a}, 'x') and ${b} > . + ${a}").references == {"a", "b"}


@pytest.mark.parametrize("text, message", [
    ("pulldata('f', 'x', 'y', ${a})", "unsupported function pulldata()"),
    ("once(${a})", "unsupported function once()"),
    ("indexed-repeat(${a}, ${r}, 1)", "unsupported function indexed-repeat()"),
    ("jr:choice-name(${a}, '${a}')", "unsupported function jr:choice-name()"),
    ("/data/a = 1", "unsupported syntax '/'"),
    ("../a = 1", "'..'"),
    ("${a}[1] = 1", "unsupported syntax '['"),
    ("$a = 1", "write references as ${name}"),
    ("a = 1", "unsupported name 'a'"),
    ("true", "unsupported name 'true'"),
    ("${1a} = 1", "not a valid reference"),
    ("${a} = ", "expected a value at the end"),
    ("(${a} = 1", "expected ')'"),
    ("${a} = 1 2", "unexpected '2'"),
    ("selected(${a})", "selected() takes 2 argument(s), not 1"),
    ("regex(., ${p})", "regex() needs its pattern as a quoted text"),
    ("regex(., '(')", "is not valid"),
    ("regex(., '" + "a" * 301 + "')", "longer than 300"),
    ("", "empty"),
    ("(" * 50 + "1" + ")" * 50, "nested too deeply"),
    ("1" + " + 1" * MAX_TOKENS, "more than"),
])
def test_refuses_what_is_outside_the_subset(text, message):
    """Everything outside the subset is refused at parse time, saying what."""
    with pytest.raises(ExpressionError) as error:
        parse(text)
    assert message in str(error.value)


@pytest.mark.parametrize("text", [
    "__import__('os').system('echo hacked')",
    "eval('1')",
    "().__class__.__bases__[0]",
    "${a}.__class__",
    "lambda: 1",
    "open('/etc/passwd')",
])
def test_never_evaluates_python(text):
    """Python syntax is just an unsupported expression: nothing is executed."""
    with pytest.raises(ExpressionError):
        parse(text)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80))
def test_any_text_parses_or_is_refused_cleanly(text):
    """Arbitrary input never crashes the parser with anything but ExpressionError."""
    try:
        expression = parse(text)
    except ExpressionError:
        return
    expression.evaluate({}, "x")


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["${a}", ".", "1", "'x'", "=", "!=", "<", "and", "or", "+", "*", "div", "(", ")",
                                 "selected(", ",", "count-selected(", "not("]), max_size=30))
def test_token_soup_parses_or_is_refused_cleanly(tokens):
    """Random sequences of valid tokens either parse and evaluate or raise ExpressionError."""
    try:
        expression = parse(" ".join(tokens))
    except ExpressionError:
        return
    expression.evaluate({"a": ["x"]}, 2)


@pytest.mark.parametrize("text, bounds", [
    (". >= 0 and . <= 120", Bounds(min_value=0, max_value=120)),
    ("120 >= . and 0 <= .", Bounds(min_value=0, max_value=120)),
    (". >= 1 and . >= 5 and . <= 9 and . <= 7", Bounds(min_value=5, max_value=7)),
    ("count-selected(.) <= 3", Bounds(max_choices=3)),
    ("count-selected(.) = 2", Bounds(min_choices=2, max_choices=2)),
    ("string-length(.) <= 1000", Bounds(max_length=1000)),
    (". > 0", Bounds()),  # exclusive limits are left to the constraint itself
    (". >= 0 or . <= 5", Bounds()),  # only necessary (and-ed) limits count
    ("regex(., '^[0-9]+$') and . <= 10", Bounds(max_value=10)),
])
def test_derives_bounds_from_and_conjuncts(text, bounds):
    """Simple comparisons of `.` with numbers become min/max hints; anything else adds none."""
    assert derive_bounds(parse(text)) == bounds


@pytest.mark.parametrize("bin_text, valid", [
    ("180340021791", True),  # weights 1..11 give remainder 1, the last digit
    ("180340021792", False),  # wrong check digit
    ("000000000000", True),  # remainder 0
    ("000000000101", True),  # weights 1..11 leave 10, so weights 3..11,1,2 are used: remainder 1
    ("000000000100", False),  # ... and a check digit of 0 is then wrong
    ("12345678901", False),  # 11 digits
    ("1234567890123", False),  # 13 digits
    ("12345678901a", False),
    ("１８０３４００２１７９１", False),  # full-width digits are not ASCII digits
    ("", False),
])
def test_bin_checksum(bin_text, valid):
    """12 ASCII digits whose last is the check digit of the Kazakhstan BIN/IIN algorithm."""
    assert is_valid_bin(bin_text) is valid


def test_bin_with_both_remainders_ten_is_invalid():
    """When the second weighting also leaves 10, no check digit is valid."""
    base = _digits_with_double_ten()
    assert all(not is_valid_bin(base + str(d)) for d in range(10))


def _digits_with_double_ten() -> str:
    for n in range(10 ** 6):
        digits = [int(c) for c in f"{n:011d}"]
        first = sum(d * w for d, w in zip(digits, range(1, 12))) % 11
        second = sum(d * w for d, w in zip(digits, (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2))) % 11
        if first == 10 and second == 10:
            return f"{n:011d}"
    raise AssertionError("no such prefix")
