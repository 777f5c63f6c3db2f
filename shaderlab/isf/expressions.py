"""PASSES WIDTH/HEIGHT expressions (``"$WIDTH / 2.0"``, ``"max($HEIGHT * $scale, 1)"``),
evaluated by a small parser of their own — never Python's ``eval``.

Grammar: numbers, ``$NAME`` variables, function calls, ``+ - * / %``, ``^`` or ``**`` for
powers, comparisons (1.0 or 0.0), ``? :``, and parentheses. Variables are ``$WIDTH``,
``$HEIGHT`` (the render size) and every numeric input of the effect.

Whatever the text, the answer is a finite number or an :class:`ExpressionError` naming the
expression: NaN and infinity are refused (a size of ``int(nan)`` would end the show), and so is
nesting deeper than ``MAX_DEPTH`` (it would exhaust Python's stack).
"""

from __future__ import annotations

import math
import re
from typing import Callable, Mapping

FUNCTIONS: dict[str, Callable[..., float]] = {
    "min": min, "max": max, "abs": abs, "floor": math.floor, "ceil": math.ceil, "round": round,
    "trunc": math.trunc, "sqrt": math.sqrt, "pow": math.pow, "exp": math.exp, "log": math.log,
    "log2": math.log2, "log10": math.log10, "sin": math.sin, "cos": math.cos, "tan": math.tan,
    "asin": math.asin, "acos": math.acos, "atan": math.atan, "atan2": math.atan2,
    "clamp": lambda x, low, high: min(max(x, low), high), "mod": math.fmod,
    "sign": lambda x: float((x > 0) - (x < 0)), "fract": lambda x: x - math.floor(x),
}
CONSTANTS = {"pi": math.pi, "PI": math.pi, "e": math.e}
#: How deeply parentheses, calls and unary signs may nest (real files use a handful).
MAX_DEPTH = 64
_TOKEN = re.compile(r"\s*(?:(\d+\.?\d*(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?)|(\$?[A-Za-z_]\w*)|(\*\*|<=|>=|==|!=|&&|\|\||[-+*/%^(),<>?:!]))")
_BINARY = {  # operator: (precedence, right-associative)
    "||": (1, False), "&&": (2, False), "==": (3, False), "!=": (3, False),
    "<": (4, False), ">": (4, False), "<=": (4, False), ">=": (4, False),
    "+": (5, False), "-": (5, False), "*": (6, False), "/": (6, False), "%": (6, False),
    "^": (8, True), "**": (8, True),
}


class ExpressionError(ValueError):
    pass


def evaluate(text: str | float | int, variables: Mapping[str, float]) -> float:
    """The value of ``text``; raises :class:`ExpressionError` with the reason."""
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        return float(text)
    parser = _Parser(str(text), variables)
    value = parser.expression(0)
    if parser.peek() is not None:
        raise ExpressionError(f"unexpected {parser.peek()!r} in {_short(text)}")
    if not math.isfinite(value):
        raise ExpressionError(f"{_short(text)} is {value}, not a finite number")
    return value


def _short(text: str | float) -> str:
    """The expression quoted for a one-line message (a pathological one is cut short)."""
    text = repr(str(text))
    return text if len(text) <= 80 else text[:60] + "…" + text[-15:]


def _tokens(text: str) -> list[str]:
    tokens, position = [], 0
    text = text.strip()
    while position < len(text):
        match = _TOKEN.match(text, position)
        if not match or match.end() == position:
            raise ExpressionError(f"cannot read {_short(text[position:])} in {_short(text)}")
        tokens.append(next(g for g in match.groups() if g is not None))
        position = match.end()
    return tokens


class _Parser:
    def __init__(self, text: str, variables: Mapping[str, float]):
        self.text = _short(text)
        self.tokens = _tokens(text)
        self.position = 0
        self.variables = variables
        self.depth = 0

    def peek(self) -> str | None:
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def take(self, expected: str | None = None) -> str:
        token = self.peek()
        if token is None or (expected is not None and token != expected):
            raise ExpressionError(f"expected {expected or 'more'} in {self.text}")
        self.position += 1
        return token

    def expression(self, min_precedence: int) -> float:
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                raise ExpressionError(f"{self.text} nests deeper than {MAX_DEPTH} levels")
            return self._expression(min_precedence)
        finally:
            self.depth -= 1

    def _expression(self, min_precedence: int) -> float:
        left = self.unary()
        while True:
            token = self.peek()
            if token == "?" and min_precedence == 0:
                self.take()
                yes = self.expression(0)
                self.take(":")
                no = self.expression(0)
                left = yes if left else no
                continue
            if token not in _BINARY or _BINARY[token][0] < min_precedence:
                return left
            precedence, right_assoc = _BINARY[self.take()]
            right = self.expression(precedence if right_assoc else precedence + 1)
            left = _apply(token, left, right, self.text)

    def unary(self) -> float:
        token = self.take()
        if token == "-":
            return -self.expression(7)
        if token == "+":
            return self.expression(7)
        if token == "!":
            return float(not self.expression(7))
        if token == "(":
            value = self.expression(0)
            self.take(")")
            return value
        if token[0].isdigit() or token[0] == ".":
            return float(token)
        if token.startswith("$"):
            name = token[1:]
            if name not in self.variables:
                raise ExpressionError(f"unknown variable {token} in {self.text}")
            return float(self.variables[name])
        if token in FUNCTIONS and self.peek() == "(":
            self.take("(")
            args = [] if self.peek() == ")" else [self.expression(0)]
            while self.peek() == ",":
                self.take()
                args.append(self.expression(0))
            self.take(")")
            try:
                return float(FUNCTIONS[token](*args))
            except (TypeError, ValueError, OverflowError) as exc:
                raise ExpressionError(f"{token}() in {self.text}: {exc}") from None
        if token in CONSTANTS:
            return CONSTANTS[token]
        if token in self.variables:  # a variable written without its $
            return float(self.variables[token])
        raise ExpressionError(f"unknown name {token!r} in {self.text}")


def _apply(op: str, a: float, b: float, text: str) -> float:
    try:
        if op == "+":
            return a + b
        if op == "-":
            return a - b
        if op == "*":
            return a * b
        if op == "/":
            return a / b
        if op == "%":
            return math.fmod(a, b)
        if op in ("^", "**"):
            return float(math.pow(a, b))
    except (ZeroDivisionError, ValueError, OverflowError) as exc:
        raise ExpressionError(f"{text}: {exc}") from None
    comparisons = {"<": a < b, ">": a > b, "<=": a <= b, ">=": a >= b, "==": a == b, "!=": a != b,
                   "&&": bool(a) and bool(b), "||": bool(a) or bool(b)}
    return float(comparisons[op])
