"""The XLSForm expression subset used by `relevant` and `constraint`: parsed once, evaluated safely.

A tokenizer and a recursive-descent parser build a small tree; evaluation walks it with XPath 1.0
semantics (conversions and functions in xpath.py). Nothing is ever passed to eval(), and only the
functions below exist.

    ${name}          the answer to question `name` ("" when unanswered; choices space-separated)
    .                the answer being checked (constraints)
    'text' "text" 12 3.5
    = != < <= > >=   and  or  + - * div mod  unary -  ( )
    selected(x, 'choice')  count-selected(x)  string-length(x)  regex(x, 'pattern')
    not(x)  true()  false()  bin-checksum(x)  (12-digit Kazakhstan BIN/IIN with a valid check digit)

regex() follows ODK: the pattern must match somewhere in the value (anchor it with ^ and $). The
pattern must be a literal, at most 300 characters, and is compiled when the form is imported.
"""
from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from .xpath import (FUNCTIONS, RELATIONS, Value, arithmetic, compiled_pattern, equals, from_answer, to_boolean,
                    to_number)

MAX_EXPRESSION_LENGTH = 2000
MAX_DEPTH = 40
#: bounds the height of the tree, so evaluation never nears Python's recursion limit
MAX_TOKENS = 400
MAX_PATTERN_LENGTH = 300
NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*")


class ExpressionError(ValueError):
    """The text is not in the supported subset; the message says what and where."""


# The tree ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Literal:
    value: str | float


@dataclass(frozen=True)
class Ref:
    name: str


@dataclass(frozen=True)
class Current:
    pass


@dataclass(frozen=True)
class Negate:
    operand: Node


@dataclass(frozen=True)
class Binary:
    op: str
    left: Node
    right: Node


@dataclass(frozen=True)
class Call:
    name: str
    args: tuple[Node, ...]


Node = Literal | Ref | Current | Negate | Binary | Call


# Tokens -----------------------------------------------------------------------------------------
_TOKEN = re.compile(r"""
    (?P<space>\s+)
  | (?P<ref>\$\{(?P<refname>[^}]*)\})
  | (?P<number>\d+(?:\.\d*)?|\.\d+)
  | (?P<string>'[^']*'|"[^"]*")
  | (?P<op>!=|<=|>=|=|<|>|\+|-|\*|\(|\)|,)
  | (?P<dots>\.\.?)
  | (?P<name>[A-Za-z_][A-Za-z0-9_.:-]*)
""", re.VERBOSE)


@dataclass(frozen=True)
class _Token:
    kind: str  # ref, number, string, op, dot, name, end
    text: str
    position: int


def _tokenize(text: str) -> list[_Token]:
    tokens, position = [], 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None:
            raise ExpressionError(f"unsupported syntax {text[position]!r} at position {position + 1}"
                                  + _hint_for(text[position]))
        kind = match.lastgroup if match.lastgroup != "refname" else "ref"
        if kind == "dots" and match.group() == "..":
            raise ExpressionError(f"'..' at position {position + 1}: paths are not supported; use ${{name}}")
        if kind == "ref" and not NAME.fullmatch(match.group("refname")):
            raise ExpressionError(f"{match.group()!r} is not a valid reference to a question")
        if kind != "space":
            tokens.append(_Token("dot" if kind == "dots" else kind, match.group(), position))
        position = match.end()
    if len(tokens) > MAX_TOKENS:
        raise ExpressionError(f"the expression has more than {MAX_TOKENS} parts; split the rule")
    tokens.append(_Token("end", "", len(text)))
    return tokens


def _hint_for(char: str) -> str:
    if char in "/@[]":
        return ": paths and predicates are not supported; refer to questions as ${name}"
    if char == "$":
        return ": write references as ${name}"
    return ""


# Parser ------------------------------------------------------------------------------------------
class _Parser:
    """Precedence, lowest first: or, and, = !=, < <= > >=, + -, * div mod, unary -, primary."""

    def __init__(self, text: str):
        self.tokens = _tokenize(text)
        self.index = 0
        self.depth = 0

    @property
    def token(self) -> _Token:
        return self.tokens[self.index]

    def _take(self) -> _Token:
        token = self.token
        self.index += 1
        return token

    def _at(self, kind: str, *texts: str) -> bool:
        return self.token.kind == kind and (not texts or self.token.text in texts)

    def _expect_op(self, text: str) -> None:
        if not self._at("op", text):
            raise ExpressionError(f"expected {text!r} {self._where()}")
        self.index += 1

    def _where(self) -> str:
        if self.token.kind == "end":
            return "at the end of the expression"
        return f"but found {self.token.text!r} at position {self.token.position + 1}"

    def parse(self) -> Node:
        node = self._binary(0)
        if self.token.kind != "end":
            raise ExpressionError(f"unexpected {self.token.text!r} at position {self.token.position + 1}")
        return node

    _LEVELS = (("name", ("or",)), ("name", ("and",)), ("op", ("=", "!=")),
               ("op", ("<", "<=", ">", ">=")), ("op", ("+", "-")), ("op", ("*",)))

    def _binary(self, level: int) -> Node:
        if level == len(self._LEVELS):
            return self._unary()
        kind, ops = self._LEVELS[level]
        node = self._binary(level + 1)
        while self._at(kind, *ops) or (level == len(self._LEVELS) - 1 and self._at("name", "div", "mod")):
            op = self._take().text
            node = Binary(op, node, self._binary(level + 1))
        return node

    def _unary(self) -> Node:
        self._enter()
        try:
            if self._at("op", "-"):
                self.index += 1
                return Negate(self._unary())
            return self._primary()
        finally:
            self.depth -= 1

    def _enter(self) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ExpressionError("the expression is nested too deeply")

    def _primary(self) -> Node:
        token = self._take()
        if token.kind == "number":
            return Literal(float(token.text))
        if token.kind == "string":
            return Literal(token.text[1:-1])
        if token.kind == "ref":
            return Ref(token.text[2:-1])
        if token.kind == "dot":
            return Current()
        if token.kind == "op" and token.text == "(":
            node = self._binary(0)
            self._expect_op(")")
            return node
        if token.kind == "name" and self._at("op", "("):
            return self._call(token.text)
        if token.kind == "name":
            raise ExpressionError(f"unsupported name {token.text!r} at position {token.position + 1}; "
                                  "refer to questions as ${name}")
        self.index -= 1
        raise ExpressionError(f"expected a value {self._where()}")

    def _call(self, name: str) -> Node:
        if name not in FUNCTIONS:
            raise ExpressionError(f"unsupported function {name}()")
        self._expect_op("(")
        args: list[Node] = []
        if not self._at("op", ")"):
            args.append(self._binary(0))
            while self._at("op", ","):
                self.index += 1
                args.append(self._binary(0))
        self._expect_op(")")
        expected = FUNCTIONS[name][0]
        if len(args) != expected:
            raise ExpressionError(f"{name}() takes {expected} argument(s), not {len(args)}")
        if name == "regex":
            _check_pattern(args[1])
        return Call(name, tuple(args))


def _check_pattern(node: Node) -> None:
    if not isinstance(node, Literal) or not isinstance(node.value, str):
        raise ExpressionError("regex() needs its pattern as a quoted text")
    if len(node.value) > MAX_PATTERN_LENGTH:
        raise ExpressionError(f"the regex() pattern is longer than {MAX_PATTERN_LENGTH} characters")
    try:
        compiled_pattern(node.value)
    except re.error as exc:
        raise ExpressionError(f"the regex() pattern {node.value!r} is not valid: {exc}") from None


# The parsed expression --------------------------------------------------------------------------
@dataclass(frozen=True)
class Expression:
    text: str
    root: Node
    #: question names the expression reads through ${...}
    references: frozenset[str]

    def evaluate(self, values: Mapping[str, object], current: object = None) -> Value:
        """values: answers by question name (None/absent = unanswered); current: the value of `.`."""
        return _evaluate(self.root, values, from_answer(current))

    def holds(self, values: Mapping[str, object], current: object = None) -> bool:
        return to_boolean(self.evaluate(values, current))


@lru_cache(maxsize=4096)
def parse(text: str) -> Expression:
    """Parse an expression, or raise ExpressionError saying what is not supported."""
    if len(text) > MAX_EXPRESSION_LENGTH:
        raise ExpressionError(f"the expression is longer than {MAX_EXPRESSION_LENGTH} characters")
    if not text.strip():
        raise ExpressionError("the expression is empty")
    root = _Parser(text).parse()
    return Expression(text, root, frozenset(_references(root)))


def _references(node: Node) -> set[str]:
    if isinstance(node, Ref):
        return {node.name}
    if isinstance(node, Negate):
        return _references(node.operand)
    if isinstance(node, Binary):
        return _references(node.left) | _references(node.right)
    if isinstance(node, Call):
        return set().union(*(_references(arg) for arg in node.args))
    return set()


# Evaluation --------------------------------------------------------------------------------------
def _evaluate(node: Node, values: Mapping[str, object], current: Value) -> Value:
    if isinstance(node, Literal):
        return node.value
    if isinstance(node, Ref):
        return from_answer(values.get(node.name))
    if isinstance(node, Current):
        return current
    if isinstance(node, Negate):
        return -to_number(_evaluate(node.operand, values, current))
    if isinstance(node, Call):
        return FUNCTIONS[node.name][1](*(_evaluate(arg, values, current) for arg in node.args))
    if node.op in ("and", "or"):
        left = to_boolean(_evaluate(node.left, values, current))
        if left == (node.op == "or"):  # short-circuit like XPath
            return left
        return to_boolean(_evaluate(node.right, values, current))
    left, right = _evaluate(node.left, values, current), _evaluate(node.right, values, current)
    if node.op in ("=", "!="):
        return equals(left, right) == (node.op == "=")
    if node.op in ("<", "<=", ">", ">="):
        return RELATIONS[node.op](to_number(left), to_number(right))
    return arithmetic(node.op, to_number(left), to_number(right))


# Bounds ------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Bounds:
    min_value: float | None = None
    max_value: float | None = None
    min_choices: int | None = None
    max_choices: int | None = None
    max_length: int | None = None


_MIRRORED = {">=": "<=", "<=": ">=", "=": "="}


def derive_bounds(expression: Expression) -> Bounds:
    """Limits implied by the constraint's top-level `and` conjuncts of the forms
    `. >= n`, `. <= n`, `count-selected(.) <=|>=|= n` and `string-length(.) <= n` (either side)."""
    found: dict[str, float] = {}
    for conjunct in _conjuncts(expression.root):
        if not isinstance(conjunct, Binary) or conjunct.op not in _MIRRORED:
            continue
        op, target, limit = conjunct.op, conjunct.left, conjunct.right
        if isinstance(target, Literal):
            op, target, limit = _MIRRORED[op], limit, target
        if isinstance(limit, Literal) and isinstance(limit.value, float):
            _record(found, _measure(target), op, limit.value)
    return Bounds(found.get("value_min"), found.get("value_max"),
                  _int(found.get("choices_min")), _int(found.get("choices_max")), _int(found.get("length_max")))


def _conjuncts(node: Node) -> list[Node]:
    if isinstance(node, Binary) and node.op == "and":
        return _conjuncts(node.left) + _conjuncts(node.right)
    return [node]


def _measure(node: Node) -> str | None:
    if isinstance(node, Current):
        return "value"
    if isinstance(node, Call) and node.args == (Current(),) and node.name in ("count-selected", "string-length"):
        return "choices" if node.name == "count-selected" else "length"
    return None


def _record(found: dict[str, float], measure: str | None, op: str, limit: float) -> None:
    if measure is None or (measure == "length" and op != "<="):
        return
    if op in (">=", "="):
        found[f"{measure}_min"] = max(limit, found.get(f"{measure}_min", -math.inf))
    if op in ("<=", "="):
        found[f"{measure}_max"] = min(limit, found.get(f"{measure}_max", math.inf))


def _int(value: float | None) -> int | None:
    return None if value is None else int(value)
