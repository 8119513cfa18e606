"""Read cgraph's expression language: text -> Program (statements of syntax trees).

Text is tokenized (`lexer`) and parsed here, never evaluated: no `eval`, no `sympify`. The
parser is an operator-precedence (shunting-yard) loop with explicit stacks, so nesting depth is
limited only by memory: `sin(sin(...(x)...))` 100,000 deep parses like anything else.

Precedence, loosest first: `+ -`; `* /` and implicit multiplication (`2x`, `w x`,
`(x+1)(x-1)`); a function applied without parentheses (`sin x`); unary `- +`; `^`/`**`
(right-associative, so `-x^2` is `-(x^2)` and `2^3^2` is `2^9`). The operators, their binding
strengths and associativity are read from the op table (core/ops/).

Textbook forms (see the README's expression-language table): `sin x`, `sin 2x` = sin(2x) (the
argument is the product that follows without a space, and any power), `sin x cos x`,
`sin^2 x` = (sin x)^2, `sin^-1 x` = asin(x), `log_2 x`, `√x`, `|x|`, and a name that is not a
function before `(` multiplies it. Where a second reading is plausible, the reading taken is
recorded as a note (`sin x y` -> "read `sin x y` as sin(x)·y").

Here: statements (`q = ...`, `c += ...`, `f(x) = ...`). The parts: `lexer` (tokens),
`grammar` (the shunting-yard loop over one expression), `heads` (operands and function heads
such as `sin^2`, `log_2`), `readings` (notes and error messages), `tree` (the records made).
"""

from __future__ import annotations

from ..errors import ParseError
from .grammar import IN_PLACE, parse_tokens
from .lexer import MAX_NAME_LENGTH, Token, tokenize
from .names import NAME_ALIASES, is_reserved, reserved_error
from .tree import Program, Statement, Syntax
from .util import gc_paused

__all__ = ["MAX_NAME_LENGTH", "Program", "Statement", "Syntax", "parse_program", "tokenize"]

MAX_NOTES = 8  # notes kept per program; more ambiguity than this is one more line


def parse_program(source: str) -> Program:
    """Parse a whole program: statements separated by newlines or `;`."""
    with gc_paused():
        return _parse_program(source)


def _parse_program(source: str) -> Program:
    if "\x00" in source:
        raise ParseError(
            "unexpected NUL byte",
            source,
            source.index("\x00"),
            "remove it; programs are plain text",
        )
    tokens = tokenize(source)
    statements: list[Statement] = []
    notes: list[str] = []
    position = 0
    while position < len(tokens):
        end = position
        while tokens[end][0] != "end":
            end += 1
        if end > position:
            statements.append(_parse_statement(source, tokens, position, end, notes))
            # A parsed statement's tokens are dropped (its `end` token stays, for the next
            # statement's errors): tokens and tree are never both whole, which halves the
            # parse's peak memory on a program of many short steps.
            tokens[position:end] = [None] * (end - position)  # type: ignore[list-item]
        position = end + 1
    if not statements:
        raise ParseError(
            "the program is empty",
            source,
            -1,
            'write an expression such as "(x+y)*z", or steps such as "q = x + y; f = q * z"',
        )
    if len(notes) > MAX_NOTES:
        notes[MAX_NOTES:] = [f"... and {len(notes) - MAX_NOTES} more readings like these"]
    return Program(tuple(statements), source, tuple(notes))


def parse_expression(source: str) -> Syntax:
    """Parse text that must be a single expression (an answer, a value): no assignments."""
    program = parse_program(source)
    statement = program.statements[0]
    if len(program.statements) > 1 or statement.target is not None:
        raise ParseError(
            "expected a single expression",
            source,
            statement.start,
            "remove the assignment and any other statements",
        )
    return statement.expr


def _parse_statement(
    source: str, tokens: list[Token], first: int, end: int, notes: list[str]
) -> Statement:
    """`name = expr`, `name += expr` (also -= *= /=), `f(x) = expr`, or a bare expression."""
    kind, name, start = tokens[first]
    after = tokens[first + 1][1] if first + 1 < end else ""
    body = first
    if kind == "name" and (after == "=" or after in IN_PLACE):
        body = first + 2
    elif kind == "name" and after == "(":
        body = _definition_body(tokens, first + 2, end)
    if body <= first:
        expr, order = parse_tokens(source, tokens, first, end, notes)
        return Statement(None, expr, start, order)
    target = _target(name, source, start)
    if body == end:
        raise ParseError(
            f"nothing after `{source[start : tokens[body - 1][2] + 1]}`",
            source,
            tokens[body - 1][2] + 1,
            f"write {target} = <expression>",
        )
    expr, order = parse_tokens(source, tokens, body, end, notes)
    if after in IN_PLACE:  # `c += e` is `c = c + e`, the old c on the right
        ref = Syntax("name", None, (), None, target, start, start + len(name))
        expr = Syntax("op", IN_PLACE[after], (ref, expr), None, "", start, expr.end)
        order = (ref, *order, expr)
    return Statement(target, expr, start, order)


def _definition_body(tokens: list[Token], i: int, end: int) -> int:
    """`f(x, y) = ...` defines f: the index after its `=`, or -1 when this is no definition."""
    while i + 1 < end and tokens[i][0] == "name" and tokens[i + 1][1] in (",", ")"):
        if tokens[i + 1][1] == ")":
            return i + 3 if i + 2 < end and tokens[i + 2][1] == "=" else -1
        i += 2
    return -1


def _target(name: str, source: str, start: int) -> str:
    if is_reserved(name) or name in NAME_ALIASES:
        raise reserved_error(name, source, start, assigned=True)
    return name
