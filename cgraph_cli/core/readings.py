"""What the parser says: notes on how ambiguous text was read (`sin x y` -> sin(x)·y) and
the error messages that need a look at the tokens around the mistake."""

from __future__ import annotations

from ..errors import ParseError
from .lexer import Token
from .ops import BINARY_OPERATORS
from .tree import Pending, Syntax


def apply_note(source: str, item: Pending, argument: Syntax, operator: str) -> str:
    shown = shorten(source[item.start : argument.end])
    return (
        f"read `{shown}{operator}…` as {item.head}({shorten(_text(source, argument))}){operator}…"
    )


def product_note(source: str, note: tuple, left: Syntax, right: Syntax, at: int) -> str:
    """`read `sin x y` as sin(x)·y` / `read `1/2x` as (1/2)·x`; `at` is where the second
    factor starts (a parenthesis is not part of its node's span)."""
    kind, head, argument = note
    end = _closed(source, at, right.end)
    written = shorten(source[left.start : end], 40)
    if kind == "apply":
        first = f"{head}({shorten(_text(source, argument))})"
    else:
        first = f"({shorten(_text(source, left))})"
    return f"read `{written}` as {first}·{shorten(source[at:end].strip())}"


def _closed(source: str, start: int, end: int) -> int:
    """`end` moved past the parentheses and bars that source[start:end] leaves open."""
    depth = source.count("(", start, end) - source.count(")", start, end)
    bars = source.count("|", start, end) % 2
    while (depth > 0 or bars) and end < len(source):
        char = source[end]
        depth += (char == "(") - (char == ")")
        bars ^= char == "|"
        end += 1
    return end


def _text(source: str, node: Syntax) -> str:
    return source[node.start : node.end].strip()


def expected_operand(source: str, tokens: list[Token], i: int) -> ParseError:
    kind, text, start = tokens[i]
    before = tokens[i - 1][1] if i > 0 else ""
    if kind == "end":
        if before:
            return ParseError(
                f"the expression ends after {before!r}",
                source,
                start,
                "finish it, or remove the trailing operator",
            )
        return ParseError("expected an expression", source, start)
    if text == ")" and before == "(":
        return ParseError("empty parentheses", source, start, "put an expression inside")
    if text == "=":
        return ParseError(
            "unexpected '='",
            source,
            start,
            "an assignment is `name = expression` at the start of a statement",
        )
    return ParseError(
        f"expected a number, name or '(' before {text!r}",
        source,
        start,
        f"{text!r} needs a value on each side" if text in BINARY_OPERATORS else None,
    )


def open_bar(source: str, bar: Pending) -> ParseError:
    return ParseError(
        "'|' is never closed", source, bar.start, "close the absolute value with another '|'"
    )


def call_paren(source: str, call: Pending) -> int:
    return source.find("(", call.start)


def shorten(text: str, width: int = 24) -> str:
    return text if len(text) <= width else text[: width - 3] + "..."
