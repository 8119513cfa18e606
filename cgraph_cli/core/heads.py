"""Operands and function heads: numbers, variable names, and a function as textbooks write
it (`sin(x)`, `sin x`, `sin^2 x`, `sin^-1 x`, `log_2 x`, `log_b x`), opened on the parser's
stack."""

from __future__ import annotations

from ..errors import ParseError, did_you_mean
from .lexer import Token
from .names import INVERSES, NAME_ALIASES, NOT_VARIABLES, reserved_error
from .ops import FUNCTIONS, MULTIPLICATIVE, OPS, PREFIX, arity_text
from .readings import shorten
from .tree import Pending, Syntax

# A function applied without parentheses (`sin x`) binds tighter than a product and looser
# than a prefix `-`.
_APPLY = (MULTIPLICATIVE + PREFIX) / 2


def open_function(
    source: str, tokens: list[Token], i: int, end: int, head: tuple[str, str | None], order: list
) -> tuple[Pending, int]:
    """A function name starts a call `sin(x)` or an application `sin x`, maybe with a power
    (`sin^2`), an inverse (`sin^-1`, `sin⁻¹`) or a base (`log_2`, `log_b`). Returns the
    pending item and the index of the next token to read."""
    _, text, start = tokens[i]
    op, base = head
    j = i + 1
    item_power = None
    if j < end and tokens[j][1] in ("^", "**"):
        power, number, j = _function_power(source, tokens, j, end, text)
        if power == -1:
            inverse = INVERSES.get(op)
            if inverse is None or inverse not in OPS or base is not None:
                raise ParseError(
                    f"`{text}^-1` (the inverse function of {text}) is not supported",
                    source,
                    start,
                    f"for 1/{text}(x) write {text}(x)^-1",
                )
            op = inverse
        elif power > 1:
            item_power = Syntax(
                "number", None, (), float(power), number[1], number[2], number[2] + len(number[1])
            )
            order.append(item_power)
    written = source[start : tokens[j - 1][2] + len(tokens[j - 1][1])]
    extra = None if base is None else _base(source, text, start, base, order)
    following = tokens[j]
    if following[1] == "(":
        if tokens[j + 1][1] == ")":
            raise ParseError(
                f"{written}() needs {arity_text(OPS[op])}",
                source,
                tokens[j + 1][2],
                f"for example {written}(x)",
            )
        item = Pending("call", op, 0, start)
        j += 1
    elif j < end and (
        following[0] in ("name", "number")
        or following[1] == "|"
        or (following[1] in ("-", "+") and tokens[j + 1][2] == following[2] + 1)  # `sin -x`
    ):
        if OPS[op].min_args > (1 if extra is None else 2):
            raise ParseError(
                f"{written} needs parentheses around its arguments",
                source,
                start,
                f"for example {written}(x, y)",
            )
        item = Pending("apply", op, _APPLY, start)
    else:
        raise reserved_error(text, source, start)
    item.extra, item.power, item.head = extra, item_power, written
    return item, j


def _function_power(
    source: str, tokens: list[Token], j: int, end: int, name: str
) -> tuple[int, Token, int]:
    """The whole-number power written on a function: `^2`, `^-1`, `^(-1)`, `⁻¹`, `**2`.
    Returns it, its number token, and the index after it."""
    k = j + 1
    paren = k < end and tokens[k][1] == "("
    k += paren
    sign = 1
    if k < end and tokens[k][1] in ("-", "+"):
        sign = -1 if tokens[k][1] == "-" else 1
        k += 1
    number = tokens[k] if k < end else tokens[end]
    if number[0] != "number" or not number[1].isdigit() or (paren and tokens[k + 1][1] != ")"):
        raise ParseError(
            f"a power written on {name} must be a whole number, as in {name}^2 x",
            source,
            tokens[j][2],
            f"for {name}(x) to another power write ({name} x)^y",
        )
    power = sign * int(number[1])
    if power == 0 or power < -1:
        raise ParseError(
            f"`{name}^{power}` is ambiguous",
            source,
            tokens[j][2],
            f"write 1/{name}(x)^{-power} for a power of 1/{name}, or {name}^-1 x for the inverse"
            if power < 0
            else f"write {name}(x)^0, or 1",
        )
    return power, number, k + 1 + paren


def _base(source: str, text: str, start: int, base: str, order: list[Syntax]) -> Syntax:
    """The base of `log_3` / `log₃` / `log_b` as a node: a number or a variable."""
    at = start + len(text) - len(base)
    if base.isdigit():
        if base in ("0", "1"):
            raise ParseError(
                f"a logarithm has no base {base}", source, start, "the base is positive and not 1"
            )
        node = Syntax("number", None, (), float(base), base, at, at + len(base))
    else:
        node = Syntax("name", None, (), None, base, at, at + len(base))
    order.append(node)
    return node


def number(source: str, token: Token) -> Syntax:
    _, text, start = token
    if text[-1] in "eE+-":
        raise ParseError(
            f"the number {shorten(text)} has no exponent digits",
            source,
            start,
            f"write {text.rstrip('eE+-')}e3 for a power of ten, or {text.rstrip('eE+-')}*e "
            "for a product with e",
        )
    value = float(text)
    if value == float("inf"):
        raise ParseError(
            f"the number {shorten(text)} is too large for a 64-bit float",
            source,
            start,
            "numbers must be below about 1.8e308",
        )
    return Syntax("number", None, (), value, text, start, start + len(text))


def variable(source: str, tokens: list[Token], i: int) -> Syntax:
    """A variable (or pi, e). A one-letter name before `(` multiplies it (`x(x+1)`), as does
    any name with a space before `(`; a word written against `(` looks like a call of an
    unknown function (`sigmiod(x)`, `eval(x)`), so it is an error, never a silent product."""
    _, text, start = tokens[i]
    if text in NOT_VARIABLES or text[:2] == "__":  # functions never reach here
        raise reserved_error(text, source, start)
    end = start + len(text)
    name = NAME_ALIASES.get(text, text)
    following = tokens[i + 1]
    if following[1] == "(" and following[2] == end and sum(c.isalpha() for c in name) > 1:
        suggestion = did_you_mean(name, FUNCTIONS)
        raise ParseError(
            f"unknown function `{name}`",
            source,
            start,
            (f"{suggestion} For" if suggestion else "for")
            + f" a product write `{name}*(...)` or `{name} (...)`",
        )
    return Syntax("name", None, (), None, name, start, end)
