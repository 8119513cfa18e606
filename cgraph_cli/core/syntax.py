"""Read cgraph's expression language: text -> Program (statements of syntax trees).

Text is tokenized and parsed here, never evaluated: no `eval`, no `sympify`. The parser is an
operator-precedence (shunting-yard) loop with explicit stacks, so nesting depth is limited only
by memory: `sin(sin(...(x)...))` 100,000 deep parses like anything else.

Precedence, loosest first: `+ -`, then `* /` and implicit multiplication (`2x`, `w x`,
`(x+1)(x-1)`), then unary `- +`, then `^`/`**` (right-associative, so `-x^2` is `-(x^2)` and
`2^3^2` is `2^9`). The operators, their binding strengths and associativity are read from the
op table (core/ops.py), so a new infix operator is a table entry, not a parser change.
"""

from __future__ import annotations

import keyword
import re
import string
import unicodedata
from dataclasses import dataclass
from itertools import accumulate

from ..errors import ParseError, did_you_mean
from .ops import BINARY_OPERATORS, FUNCTIONS, OPS, PREFIX, PREFIX_OPERATORS, arity_text
from .util import gc_paused

MAX_NAME_LENGTH = 64
# Python keywords read as variables would turn pasted code into a meaningless product
# (`not x` -> not*x); `lambda` stays usable, as the Greek letter.
_RESERVED = frozenset(keyword.kwlist) - {"lambda"}

# Characters people paste from PDFs and slides, read as the operator they mean.
_OPERATOR_ALIASES = {"−": "-", "×": "*", "·": "*", "÷": "/"}

# Operator tokens come from the op table; `+` is also the do-nothing sign (`+x`).
_OPERATORS = sorted({*BINARY_OPERATORS, *PREFIX_OPERATORS, "+"}, key=len, reverse=True)
_LONG_OPERATORS = "".join("|" + re.escape(token) for token in _OPERATORS if len(token) > 1)

# Every character belongs to exactly one piece, so a piece's offset is the sum of the lengths
# before it: `findall` and `accumulate` run in C, which makes tokenizing a million characters
# quick. A piece's kind follows from its first character.
_PIECE = re.compile(
    r"(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?"  # number
    r"|[A-Za-z_][A-Za-z0-9_]*"  # name
    rf"{_LONG_OPERATORS}"  # operators longer than one character (`**`)
    r"|[ \t\r\f\v]+"  # space
    r"|\#[^\n]*"  # comment
    r"|.",  # any other single character: an operator, a newline, or an error
    re.DOTALL,
)
_KIND_BY_FIRST = {
    **dict.fromkeys("0123456789.", "number"),
    **dict.fromkeys(string.ascii_letters + "_", "name"),
    **dict.fromkeys(" \t\r\x0c\x0b", "space"),
    **dict.fromkeys("(),=;" + "".join(_OPERATOR_ALIASES), "op"),
    **{token[0]: "op" for token in _OPERATORS},
    "#": "comment",
    "\n": "newline",
}

_CHARACTER_HINTS = {
    "[": "use parentheses ( ) for grouping; there are no lists or indexing",
    "]": "use parentheses ( ) for grouping; there are no lists or indexing",
    "{": "use parentheses ( ) for grouping",
    "}": "use parentheses ( ) for grouping",
    ".": "a number needs digits (`0.5`, `.5`); names have no attributes",
    "!": "factorials are not supported",
    "%": "the modulo operator is not supported",
    "'": "strings are not part of the language; write a math expression",
    '"': "strings are not part of the language; write a math expression",
    "\\": "backslashes are not part of the language",
    ":": "write an assignment as `name = expression`",
    "<": "comparisons are not supported",
    ">": "comparisons are not supported",
    "&": "logical operators are not supported",
    "|": "for an absolute value write abs(x)",
    "²": "write a power as x^2",
    "³": "write a power as x^3",
}


# --- syntax tree -------------------------------------------------------------------------


class Syntax:
    """A node of the syntax tree: a number, a name, or an op applied to argument nodes.

    `start`/`end` are character offsets into the source, for carets and for the text of steps.
    """

    __slots__ = ("kind", "op", "args", "value", "text", "start", "end", "node")

    def __init__(
        self,
        kind: str,
        op: str | None,
        args: tuple[Syntax, ...],
        value: float | None,
        text: str,
        start: int,
        end: int,
    ) -> None:
        self.kind = kind  # "number" | "name" | "op"
        self.op = op  # op name from ops.OPS when kind == "op"
        self.args = args
        self.value = value  # the number, when kind == "number"
        self.text = text  # the literal as written, or the name
        self.start = start
        self.end = end
        self.node = -1  # the graph node built from it (set by graph.py)

    def __repr__(self) -> str:
        if self.kind == "op":
            return f"{self.op}({', '.join(map(repr, self.args))})"
        return self.text


@dataclass(frozen=True, slots=True)
class Statement:
    """`target = expr`, or a bare `expr` (target None); offsets point into the source.

    `order` lists the expression's syntax nodes children-first (the order the parser made
    them, ending with `expr`), so the graph can be built in one flat loop.
    """

    target: str | None
    expr: Syntax
    start: int
    order: tuple[Syntax, ...] = ()


@dataclass(frozen=True, slots=True)
class Program:
    statements: tuple[Statement, ...]
    source: str


# --- tokenizer ---------------------------------------------------------------------------


Token = tuple[str, str, int]  # (kind, text, start); kind "end" closes a statement


def tokenize(source: str) -> list[Token]:
    """Tokens of the source; newlines inside parentheses are dropped so long expressions wrap.

    Written as whole-list passes rather than one loop with branches: this is the hot path for
    a million-character program, and the rare cases (aliases, errors) cost only when present.
    """
    pieces = _PIECE.findall(source)
    kinds = [_KIND_BY_FIRST.get(piece[0], "other") for piece in pieces]
    if "other" in kinds or "." in pieces:
        at = kinds.index("other") if "other" in kinds else len(pieces)
        at = min(at, pieces.index(".") if "." in pieces else at)
        raise _bad_character(source, pieces[at], sum(map(len, pieces[:at])))
    tokens = [
        (kind, piece, start)
        for kind, piece, start in zip(
            kinds, pieces, accumulate(map(len, pieces), initial=0), strict=False
        )
        if kind != "space" and kind != "comment"
    ]
    if any(char in source for char in _OPERATOR_ALIASES):
        tokens = [(kind, _OPERATOR_ALIASES.get(text, text), start) for kind, text, start in tokens]
    longest = max((len(text) for kind, text, _ in tokens if kind == "name"), default=0)
    if longest > MAX_NAME_LENGTH:
        kind, text, start = next(t for t in tokens if t[0] == "name" and len(t[1]) == longest)
        raise ParseError(
            f"name is too long ({longest} characters)",
            source,
            start,
            f"names may have at most {MAX_NAME_LENGTH} characters",
        )
    tokens = _statement_ends(tokens) if "\n" in source or ";" in source else tokens
    tokens.append(("end", "", len(source)))
    return tokens


def _statement_ends(tokens: list[Token]) -> list[Token]:
    """`;` and newlines end statements, except newlines inside parentheses (dropped)."""
    out: list[Token] = []
    depth = 0
    for token in tokens:
        text = token[1]
        if text == "(":
            depth += 1
        elif text == ")":
            depth = max(0, depth - 1)
        elif text == ";":
            token = ("end", ";", token[2])
        elif text == "\n":
            if depth:
                continue
            token = ("end", "\n", token[2])
        out.append(token)
    return out


def _bad_character(source: str, char: str, offset: int) -> ParseError:
    hint = _CHARACTER_HINTS.get(char)
    if char.isalpha() and not char.isascii():
        described = unicodedata.name(char, f"U+{ord(char):04X}")
        return ParseError(
            f"unexpected character {char!r} ({described})",
            source,
            offset,
            "names use ASCII letters, digits and _ only (x, w1, alpha)",
        )
    if not char.isprintable():
        return ParseError(
            f"unexpected control character U+{ord(char):04X}",
            source,
            offset,
            "remove it; programs are plain text",
        )
    return ParseError(f"unexpected character {char!r}", source, offset, hint)


# --- parser ------------------------------------------------------------------------------

# Binding strengths and associativity come from the op table; a pending operator is reduced
# when the next one binds no tighter. Implicit multiplication (`2x`) binds as `*` does.
_IMPLICIT = OPS["mul"]


class _Pending:
    """An operator waiting on the stack: binary, unary, an open parenthesis or function call."""

    __slots__ = ("kind", "op", "precedence", "start", "args")

    def __init__(self, kind: str, op: str | None, precedence: int, start: int) -> None:
        self.kind = kind  # "binary" | "unary" | "paren" | "call"
        self.op = op
        self.precedence = precedence
        self.start = start
        self.args = 0  # arguments completed so far, for calls


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
    position = 0
    while position < len(tokens):
        end = position
        while tokens[end][0] != "end":
            end += 1
        if end > position:
            statements.append(_parse_statement(source, tokens, position, end))
        position = end + 1
    if not statements:
        raise ParseError(
            "the program is empty",
            source,
            -1,
            'write an expression such as "(x+y)*z", or steps such as "q = x + y; f = q * z"',
        )
    return Program(tuple(statements), source)


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


def _parse_statement(source: str, tokens: list[Token], first: int, end: int) -> Statement:
    kind, name, start = tokens[first]
    if first + 1 < end and kind == "name" and tokens[first + 1][1] == "=":
        _refuse_reserved(name, source, start)
        if first + 2 == end:
            raise ParseError(
                f"nothing after `{name} =`",
                source,
                tokens[first + 1][2] + 1,
                f"write {name} = <expression>",
            )
        expr, order = _parse_expression(source, tokens, first + 2, end)
        return Statement(name, expr, start, order)
    expr, order = _parse_expression(source, tokens, first, end)
    return Statement(None, expr, start, order)


def _parse_expression(
    source: str, tokens: list[Token], first: int, end: int
) -> tuple[Syntax, tuple[Syntax, ...]]:
    """Shunting-yard over tokens[first:end]; the operand and operator stacks replace recursion.

    Returns the root and every node made, children first.
    """
    operands: list[Syntax] = []
    order: list[Syntax] = []
    pending: list[_Pending] = []
    expect_operand = True
    i = first
    while i < end:
        token = tokens[i]
        kind, text, start = token
        if expect_operand:
            if kind == "number":
                operands.append(_number(source, token))
                order.append(operands[-1])
                expect_operand = False
            elif kind == "name":
                if i + 1 < end and tokens[i + 1][1] == "(":
                    pending.append(_open_call(source, token, tokens[i + 2]))
                    i += 1  # the "(" belongs to the call
                else:
                    operands.append(_name(source, token))
                    order.append(operands[-1])
                    expect_operand = False
            elif text == "(":
                pending.append(_Pending("paren", None, 0, start))
            elif text in PREFIX_OPERATORS or text == "+":
                name = PREFIX_OPERATORS.get(text, "pos")  # a unary + changes nothing
                precedence = OPS[name].precedence if name in OPS else PREFIX
                pending.append(_Pending("unary", name, precedence, start))
            else:
                raise _expected_operand(source, tokens, i)
        elif text in BINARY_OPERATORS:
            op = BINARY_OPERATORS[text]
            precedence = OPS[op].precedence
            right_associative = OPS[op].right_associative
            while (
                pending
                and pending[-1].kind in ("binary", "unary")
                and (
                    pending[-1].precedence > precedence
                    or (pending[-1].precedence == precedence and not right_associative)
                )
            ):
                _reduce(pending.pop(), operands, order)
            pending.append(_Pending("binary", op, precedence, start))
            expect_operand = True
        elif text == ")":
            opener = _unwind(pending, operands, order)
            if opener is None:
                raise ParseError(
                    "unmatched ')'", source, start, "remove it, or add the '(' it closes"
                )
            if opener.kind == "call":
                opener.args += 1
                _reduce_call(source, opener, operands, order, start + 1)
        elif text == ",":
            opener = _unwind(pending, operands, order)
            if opener is None or opener.kind != "call":
                raise ParseError(
                    "unexpected ','",
                    source,
                    start,
                    "commas separate the arguments of a function, as in max(x, y)",
                )
            opener.args += 1
            pending.append(opener)
            expect_operand = True
        elif kind in ("name", "number") or text == "(":
            if kind == "number":
                raise ParseError(
                    f"missing operator before {text}",
                    source,
                    start,
                    f"write `*` for a product, as in x*{text}",
                )
            # Implicit multiplication: 2x, w x, 2(x+y), (x+1)(x-1), 3 sin(x).
            while (
                pending
                and pending[-1].kind in ("binary", "unary")
                and (pending[-1].precedence >= _IMPLICIT.precedence)
            ):
                _reduce(pending.pop(), operands, order)
            pending.append(_Pending("binary", _IMPLICIT.name, _IMPLICIT.precedence, start))
            expect_operand = True
            continue  # read the same token again, now as an operand
        elif text == "=":
            raise ParseError(
                "unexpected '='",
                source,
                start,
                "an assignment is `name = expression` at the start of a statement",
            )
        else:
            raise ParseError(f"unexpected {text!r}", source, start)
        i += 1
    if expect_operand:
        raise _expected_operand(source, tokens, end)
    while pending:
        item = pending.pop()
        if item.kind in ("paren", "call"):
            raise ParseError(
                "'(' is never closed",
                source,
                item.start if item.kind == "paren" else _call_paren(source, item),
                "add the missing ')'",
            )
        _reduce(item, operands, order)
    return operands[0], tuple(order)


def _unwind(
    pending: list[_Pending], operands: list[Syntax], order: list[Syntax]
) -> _Pending | None:
    """Reduce operators back to the nearest '(' or call and pop it; None if there is none."""
    while pending:
        item = pending.pop()
        if item.kind in ("paren", "call"):
            return item
        _reduce(item, operands, order)
    return None


def _reduce(item: _Pending, operands: list[Syntax], order: list[Syntax]) -> None:
    if item.kind == "unary":
        operand = operands.pop()
        if item.op == "pos":
            operands.append(operand)
            return
        if item.op == "neg" and operand.kind == "number" and operand.value is not None:
            # `-2` is the constant -2, not neg(2); `-2^2` is still -(2^2). The number was the
            # last node made (a unary minus binds tighter than anything but ^), so it is replaced.
            order[-1] = Syntax(
                "number", None, (), -operand.value, "-" + operand.text, item.start, operand.end
            )
        else:
            order.append(Syntax("op", item.op, (operand,), None, "", item.start, operand.end))
    else:
        right = operands.pop()
        left = operands.pop()
        order.append(Syntax("op", item.op, (left, right), None, "", left.start, right.end))
    operands.append(order[-1])


def _open_call(source: str, name: Token, after: Token) -> _Pending:
    """`name(` starts a call; a name that is not a function gets a suggestion."""
    _, text, start = name
    function = FUNCTIONS.get(text)
    if function is None:
        suggestion = did_you_mean(text, FUNCTIONS)
        hint = suggestion or (
            f"for a product write `{text}*(...)`; functions: " + ", ".join(sorted(FUNCTIONS))
        )
        raise ParseError(f"unknown function `{text}`", source, start, hint)
    if after[1] == ")":
        spec = OPS[function]
        raise ParseError(
            f"{text}() needs {arity_text(spec)}", source, after[2], f"for example {text}(x)"
        )
    return _Pending("call", function, 0, start)


def _reduce_call(
    source: str, call: _Pending, operands: list[Syntax], order: list[Syntax], end: int
) -> None:
    spec = OPS[call.op]  # type: ignore[index]
    count = call.args
    if count < spec.min_args or (spec.max_args is not None and count > spec.max_args):
        written = source[call.start : source.find("(", call.start)]
        raise ParseError(
            f"{written}() takes {arity_text(spec)}, got {count}", source, call.start, None
        )
    args = tuple(operands[-count:])
    del operands[-count:]
    order.append(Syntax("op", call.op, args, None, "", call.start, end))
    operands.append(order[-1])


def _call_paren(source: str, call: _Pending) -> int:
    return source.find("(", call.start)


def _number(source: str, token: Token) -> Syntax:
    _, text, start = token
    value = float(text)
    if value == float("inf"):
        raise ParseError(
            f"the number {_shorten(text)} is too large for a 64-bit float",
            source,
            start,
            "numbers must be below about 1.8e308",
        )
    return Syntax("number", None, (), value, text, start, start + len(text))


def _refuse_reserved(name: str, source: str, start: int) -> None:
    if name in _RESERVED or name.startswith("__"):
        raise ParseError(
            f"`{name}` cannot be a name here",
            source,
            start,
            "this is a math language: Python keywords and __names__ are not "
            "variables; use another name",
        )


def _name(source: str, token: Token) -> Syntax:
    _, text, start = token
    _refuse_reserved(text, source, start)
    if text in FUNCTIONS:
        raise ParseError(
            f"`{text}` is a function", source, start, f"call it with parentheses: {text}(x)"
        )
    return Syntax("name", None, (), None, text, start, start + len(text))


def _expected_operand(source: str, tokens: list[Token], i: int) -> ParseError:
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


def _shorten(text: str, width: int = 24) -> str:
    return text if len(text) <= width else text[: width - 3] + "..."
