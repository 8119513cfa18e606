"""Read cgraph's expression language: text -> Program (statements of syntax trees).

Text is tokenized and parsed here, never evaluated: no `eval`, no `sympify`. The parser is an
operator-precedence (shunting-yard) loop with explicit stacks, so nesting depth is limited only
by memory: `sin(sin(...(x)...))` 100,000 deep parses like anything else.

Precedence, loosest first: `+ -`, then `* /` and implicit multiplication (`2x`, `w x`,
`(x+1)(x-1)`), then unary `- +`, then `^`/`**` (right-associative, so `-x^2` is `-(x^2)` and
`2^3^2` is `2^9`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from .errors import ParseError, did_you_mean
from .ops import BINARY_OPERATORS, FUNCTIONS, OPS, arity_text

MAX_NAME_LENGTH = 64

# Characters people paste from PDFs and slides, read as the operator they mean.
_OPERATOR_ALIASES = {"−": "-", "×": "*", "·": "*", "÷": "/"}

_TOKEN = re.compile(
    r"""
    (?P<number>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)
  | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<op>\*\*|[-+*/^(),=;]|[−×·÷])
  | (?P<newline>\n)
  | (?P<space>[ \t\r\f\v]+)
  | (?P<comment>\#[^\n]*)
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)

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

    __slots__ = ("kind", "op", "args", "value", "text", "start", "end")

    def __init__(self, kind: str, op: str | None, args: tuple[Syntax, ...], value: float | None,
                 text: str, start: int, end: int) -> None:
        self.kind = kind  # "number" | "name" | "op"
        self.op = op  # op name from ops.OPS when kind == "op"
        self.args = args
        self.value = value  # the number, when kind == "number"
        self.text = text  # the literal as written, or the name
        self.start = start
        self.end = end

    def __repr__(self) -> str:
        if self.kind == "op":
            return f"{self.op}({', '.join(map(repr, self.args))})"
        return self.text


@dataclass(frozen=True, slots=True)
class Statement:
    """`target = expr`, or a bare `expr` (target None); offsets point into the source."""

    target: str | None
    expr: Syntax
    start: int


@dataclass(frozen=True, slots=True)
class Program:
    statements: tuple[Statement, ...]
    source: str


# --- tokenizer ---------------------------------------------------------------------------


class Token:
    __slots__ = ("kind", "text", "start")

    def __init__(self, kind: str, text: str, start: int) -> None:
        self.kind, self.text, self.start = kind, text, start

    def __repr__(self) -> str:
        return f"{self.kind}:{self.text!r}@{self.start}"


def tokenize(source: str) -> list[Token]:
    """Tokens of the source; newlines inside parentheses are dropped so long expressions wrap."""
    tokens: list[Token] = []
    depth = 0
    for match in _TOKEN.finditer(source):
        kind = match.lastgroup
        text = match.group()
        start = match.start()
        if kind in ("space", "comment"):
            continue
        if kind == "other":
            raise _bad_character(source, text, start)
        if kind == "newline":
            if depth == 0:
                tokens.append(Token("end", "\n", start))
            continue
        if kind == "name" and len(text) > MAX_NAME_LENGTH:
            raise ParseError(f"name is too long ({len(text)} characters)", source, start,
                             f"names may have at most {MAX_NAME_LENGTH} characters")
        if kind == "op":
            text = _OPERATOR_ALIASES.get(text, text)
            if text == "(":
                depth += 1
            elif text == ")":
                depth = max(0, depth - 1)
            elif text == ";":
                tokens.append(Token("end", ";", start))
                continue
        tokens.append(Token(kind, text, start))  # type: ignore[arg-type]
    tokens.append(Token("end", "", len(source)))
    return tokens


def _bad_character(source: str, char: str, offset: int) -> ParseError:
    hint = _CHARACTER_HINTS.get(char)
    if char.isalpha() and not char.isascii():
        described = unicodedata.name(char, f"U+{ord(char):04X}")
        return ParseError(f"unexpected character {char!r} ({described})", source, offset,
                          "names use ASCII letters, digits and _ only (x, w1, alpha)")
    if not char.isprintable():
        return ParseError(f"unexpected control character U+{ord(char):04X}", source, offset,
                          "remove it; programs are plain text")
    return ParseError(f"unexpected character {char!r}", source, offset, hint)


# --- parser ------------------------------------------------------------------------------

# Binding strengths; a pending operator is reduced when the next one binds no tighter.
_ADDITIVE, _MULTIPLICATIVE, _UNARY, _POWER = 1, 2, 3, 4
_PRECEDENCE = {"add": _ADDITIVE, "sub": _ADDITIVE, "mul": _MULTIPLICATIVE,
               "div": _MULTIPLICATIVE, "pow": _POWER}


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
    if "\x00" in source:
        raise ParseError("unexpected NUL byte", source, source.index("\x00"),
                         "remove it; programs are plain text")
    tokens = tokenize(source)
    statements: list[Statement] = []
    position = 0
    while position < len(tokens):
        end = position
        while tokens[end].kind != "end":
            end += 1
        if end > position:
            statements.append(_parse_statement(source, tokens, position, end))
        position = end + 1
    if not statements:
        raise ParseError("the program is empty", source, -1,
                         'write an expression such as "(x+y)*z", or steps such as '
                         '"q = x + y; f = q * z"')
    return Program(tuple(statements), source)


def parse_expression(source: str) -> Syntax:
    """Parse text that must be a single expression (an answer, a value): no assignments."""
    program = parse_program(source)
    statement = program.statements[0]
    if len(program.statements) > 1 or statement.target is not None:
        raise ParseError("expected a single expression", source, statement.start,
                         "remove the assignment and any other statements")
    return statement.expr


def _parse_statement(source: str, tokens: list[Token], first: int, end: int) -> Statement:
    head = tokens[first]
    if first + 1 < end and head.kind == "name" and tokens[first + 1].text == "=":
        if first + 2 == end:
            raise ParseError(f"nothing after `{head.text} =`", source, tokens[first + 1].start + 1,
                             f"write {head.text} = <expression>")
        return Statement(head.text, _parse_expression(source, tokens, first + 2, end), head.start)
    return Statement(None, _parse_expression(source, tokens, first, end), head.start)


def _parse_expression(source: str, tokens: list[Token], first: int, end: int) -> Syntax:
    """Shunting-yard over tokens[first:end]; the operand and operator stacks replace recursion."""
    operands: list[Syntax] = []
    pending: list[_Pending] = []
    expect_operand = True
    i = first
    while i < end:
        token = tokens[i]
        kind, text = token.kind, token.text
        if expect_operand:
            if kind == "number":
                operands.append(_number(source, token))
                expect_operand = False
            elif kind == "name":
                if i + 1 < end and tokens[i + 1].text == "(":
                    pending.append(_open_call(source, token, tokens[i + 2]))
                    i += 1  # the "(" belongs to the call
                else:
                    operands.append(_name(source, token))
                    expect_operand = False
            elif text == "(":
                pending.append(_Pending("paren", None, 0, token.start))
            elif text in ("-", "+"):
                pending.append(_Pending("unary", "neg" if text == "-" else "pos", _UNARY,
                                        token.start))
            else:
                raise _expected_operand(source, tokens, i)
        elif text in BINARY_OPERATORS:
            op = BINARY_OPERATORS[text]
            precedence = _PRECEDENCE[op]
            right_associative = op == "pow"
            while pending and pending[-1].kind in ("binary", "unary") and (
                pending[-1].precedence > precedence
                or (pending[-1].precedence == precedence and not right_associative)
            ):
                _reduce(pending.pop(), operands)
            pending.append(_Pending("binary", op, precedence, token.start))
            expect_operand = True
        elif text == ")":
            opener = _unwind(pending, operands)
            if opener is None:
                raise ParseError("unmatched ')'", source, token.start,
                                 "remove it, or add the '(' it closes")
            if opener.kind == "call":
                opener.args += 1
                _reduce_call(source, opener, operands, token.start + 1)
        elif text == ",":
            opener = _unwind(pending, operands)
            if opener is None or opener.kind != "call":
                raise ParseError("unexpected ','", source, token.start,
                                 "commas separate the arguments of a function, as in max(x, y)")
            opener.args += 1
            pending.append(opener)
            expect_operand = True
        elif kind in ("name", "number") or text == "(":
            if kind == "number":
                raise ParseError(f"missing operator before {text}", source, token.start,
                                 f"write `*` for a product, as in x*{text}")
            # Implicit multiplication: 2x, w x, 2(x+y), (x+1)(x-1), 3 sin(x).
            while pending and pending[-1].kind in ("binary", "unary") and (
                pending[-1].precedence >= _MULTIPLICATIVE
            ):
                _reduce(pending.pop(), operands)
            pending.append(_Pending("binary", "mul", _MULTIPLICATIVE, token.start))
            expect_operand = True
            continue  # read the same token again, now as an operand
        elif text == "=":
            raise ParseError("unexpected '='", source, token.start,
                             "an assignment is `name = expression` at the start of a statement")
        else:
            raise ParseError(f"unexpected {text!r}", source, token.start)
        i += 1
    if expect_operand:
        raise _expected_operand(source, tokens, end)
    while pending:
        item = pending.pop()
        if item.kind in ("paren", "call"):
            raise ParseError("'(' is never closed", source, item.start if item.kind == "paren"
                             else _call_paren(source, item), "add the missing ')'")
        _reduce(item, operands)
    return operands[0]


def _unwind(pending: list[_Pending], operands: list[Syntax]) -> _Pending | None:
    """Reduce operators back to the nearest '(' or call and pop it; None if there is none."""
    while pending:
        item = pending.pop()
        if item.kind in ("paren", "call"):
            return item
        _reduce(item, operands)
    return None


def _reduce(item: _Pending, operands: list[Syntax]) -> None:
    if item.kind == "unary":
        operand = operands.pop()
        if item.op == "pos":
            operands.append(operand)
        elif operand.kind == "number" and operand.value is not None:
            # `-2` is the constant -2, not neg(2); `-2^2` is still -(2^2).
            operands.append(Syntax("number", None, (), -operand.value, "-" + operand.text,
                                   item.start, operand.end))
        else:
            operands.append(Syntax("op", "neg", (operand,), None, "", item.start, operand.end))
        return
    right = operands.pop()
    left = operands.pop()
    operands.append(Syntax("op", item.op, (left, right), None, "", left.start, right.end))


def _open_call(source: str, name: Token, after: Token) -> _Pending:
    """`name(` starts a call; a name that is not a function gets a suggestion."""
    function = FUNCTIONS.get(name.text)
    if function is None:
        suggestion = did_you_mean(name.text, FUNCTIONS)
        hint = suggestion or (f"for a product write `{name.text}*(...)`; functions: "
                              + ", ".join(sorted(FUNCTIONS)))
        raise ParseError(f"unknown function `{name.text}`", source, name.start, hint)
    if after.text == ")":
        spec = OPS[function]
        raise ParseError(f"{name.text}() needs {arity_text(spec)}", source, after.start,
                         f"for example {name.text}(x)")
    return _Pending("call", function, 0, name.start)


def _reduce_call(source: str, call: _Pending, operands: list[Syntax], end: int) -> None:
    spec = OPS[call.op]  # type: ignore[index]
    count = call.args
    if count < spec.min_args or (spec.max_args is not None and count > spec.max_args):
        written = source[call.start:source.find("(", call.start)]
        raise ParseError(f"{written}() takes {arity_text(spec)}, got {count}", source,
                         call.start, None)
    args = tuple(operands[-count:])
    del operands[-count:]
    operands.append(Syntax("op", call.op, args, None, "", call.start, end))


def _call_paren(source: str, call: _Pending) -> int:
    return source.find("(", call.start)


def _number(source: str, token: Token) -> Syntax:
    value = float(token.text)
    if value == float("inf"):
        raise ParseError(f"the number {_shorten(token.text)} is too large for a 64-bit float",
                         source, token.start, "numbers must be below about 1.8e308")
    return Syntax("number", None, (), value, token.text, token.start,
                  token.start + len(token.text))


def _name(source: str, token: Token) -> Syntax:
    if token.text in FUNCTIONS:
        raise ParseError(f"`{token.text}` is a function", source, token.start,
                         f"call it with parentheses: {token.text}(x)")
    return Syntax("name", None, (), None, token.text, token.start,
                  token.start + len(token.text))


def _expected_operand(source: str, tokens: list[Token], i: int) -> ParseError:
    token = tokens[i]
    before = tokens[i - 1].text if i > 0 else ""
    if token.kind == "end":
        if before:
            return ParseError(f"the expression ends after {before!r}", source, token.start,
                              "finish it, or remove the trailing operator")
        return ParseError("expected an expression", source, token.start)
    if token.text == ")" and before == "(":
        return ParseError("empty parentheses", source, token.start, "put an expression inside")
    if token.text == "=":
        return ParseError("unexpected '='", source, token.start,
                          "an assignment is `name = expression` at the start of a statement")
    return ParseError(f"expected a number, name or '(' before {token.text!r}", source,
                      token.start, None if token.text not in ("*", "/", "^", "**") else
                      f"{token.text!r} needs a value on each side")


def _shorten(text: str, width: int = 24) -> str:
    return text if len(text) <= width else text[: width - 3] + "..."
