"""XPath 1.0 values as the XLSForm expression subset uses them: conversions, comparisons, arithmetic
and the supported functions. Pure; used by expressions.py."""
from __future__ import annotations

import math
import re
from collections.abc import Callable
from decimal import Decimal
from functools import lru_cache

#: regex() over longer values answers false instead of risking a slow match
MAX_REGEX_INPUT = 5000

Value = str | float | bool


def from_answer(value: object) -> Value:
    if value is None:
        return ""
    if isinstance(value, bool | str):
        return value
    if isinstance(value, int | float | Decimal):
        return float(value)
    if isinstance(value, list | tuple):
        return " ".join(str(item) for item in value)
    raise TypeError(f"cannot use a {type(value).__name__} in an expression")


_NUMBER = re.compile(r"\s*-?(?:\d+(?:\.\d*)?|\.\d+)\s*")


def to_number(value: Value) -> float:
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, float):
        return value
    return float(value) if _NUMBER.fullmatch(value) else math.nan


def to_string(value: Value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    return str(int(value)) if value.is_integer() else format(Decimal(repr(value)), "f")


def to_boolean(value: Value) -> bool:
    if isinstance(value, str):
        return value != ""
    if isinstance(value, float):
        return not (value == 0 or math.isnan(value))
    return value


def equals(left: Value, right: Value) -> bool:
    if isinstance(left, bool) or isinstance(right, bool):
        return to_boolean(left) == to_boolean(right)
    if isinstance(left, float) or isinstance(right, float):
        return to_number(left) == to_number(right)
    return left == right


RELATIONS = {"<": lambda a, b: a < b, "<=": lambda a, b: a <= b,
              ">": lambda a, b: a > b, ">=": lambda a, b: a >= b}


def arithmetic(op: str, left: float, right: float) -> float:
    if op == "+":
        return left + right
    if op == "-":
        return left - right
    if op == "*":
        return left * right
    if op == "mod":
        return math.fmod(left, right) if right != 0 and not math.isinf(left) else math.nan
    if right == 0:  # XPath division follows IEEE 754 instead of raising
        return math.nan if left == 0 or math.isnan(left) else math.copysign(math.inf, left)
    return left / right



# Functions ---------------------------------------------------------------------------------------
def is_valid_bin(text: str) -> bool:
    """A Kazakhstan BIN (or IIN): 12 digits whose last is the check digit. Weights 1..11 over the first
    11 digits, mod 11; a remainder of 10 is recomputed with weights 3..11, 1, 2; 10 again is invalid."""
    if not re.fullmatch(r"[0-9]{12}", text):
        return False
    digits = [int(c) for c in text]
    check = sum(d * w for d, w in zip(digits, range(1, 12))) % 11
    if check == 10:
        check = sum(d * w for d, w in zip(digits, (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2))) % 11
    return check != 10 and check == digits[11]


@lru_cache(maxsize=512)
def compiled_pattern(source: str) -> re.Pattern:
    return re.compile(source)


def _regex(value: Value, pattern: Value) -> bool:
    text = to_string(value)
    return len(text) <= MAX_REGEX_INPUT and compiled_pattern(to_string(pattern)).search(text) is not None


#: name -> (argument count, implementation over evaluated arguments)
FUNCTIONS: dict[str, tuple[int, Callable[..., Value]]] = {
    "selected": (2, lambda items, choice: to_string(choice) in to_string(items).split()),
    "count-selected": (1, lambda items: float(len(to_string(items).split()))),
    "string-length": (1, lambda value: float(len(to_string(value)))),
    "regex": (2, _regex),
    "not": (1, lambda value: not to_boolean(value)),
    "true": (0, lambda: True),
    "false": (0, lambda: False),
    "bin-checksum": (1, lambda value: is_valid_bin(to_string(value))),
}
