"""Read cgraph's expression language: text -> Program (statements of syntax trees).

Text is tokenized (`lexer`) and parsed here, never evaluated: no `eval`, no `sympify`. The
parser is an operator-precedence (shunting-yard) loop with explicit stacks, so nesting depth is
limited only by memory: `sin(sin(...(x)...))` 100,000 deep parses like anything else.

Precedence, loosest first: `+ -`; `* /` and implicit multiplication (`2x`, `w x`,
`(x+1)(x-1)`); a function applied without parentheses (`sin x`); unary `- +`; `^`/`**`
(right-associative, so `-x^2` is `-(x^2)` and `2^3^2` is `2^9`). The operators, their binding
strengths and associativity are read from the op table (core/ops.py).

Textbook forms (see the README's expression-language table): `sin x`, `sin 2x` = sin(2x) (the
argument is the product that follows without a space, and any power), `sin x cos x`,
`sin^2 x` = (sin x)^2, `sin^-1 x` = asin(x), `log_2 x`, `√x`, `|x|`, and a name that is not a
function before `(` multiplies it. Where a second reading is plausible, the reading taken is
recorded as a note (`sin x y` -> "read `sin x y` as sin(x)·y").
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import ParseError, did_you_mean
from .lexer import MAX_NAME_LENGTH, Token, tokenize
from .names import (
    INVERSES,
    NAME_ALIASES,
    NOT_VARIABLES,
    function_of,
    is_reserved,
    reserved_error,
)
from .ops import (
    BINARY_OPERATORS,
    FUNCTIONS,
    MULTIPLICATIVE,
    OPS,
    PREFIX,
    PREFIX_OPERATORS,
    arity_text,
)
from .util import gc_paused

__all__ = ["MAX_NAME_LENGTH", "Program", "Statement", "Syntax", "parse_program", "tokenize"]

MAX_NOTES = 8  # notes kept per program; more ambiguity than this is one more line
_SPACE_BEFORE = frozenset(
    " \t\r\n\f\v\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
    "\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
)


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
    """The statements, and notes on how ambiguous text was read (`sin x y` -> sin(x)·y)."""

    statements: tuple[Statement, ...]
    source: str
    notes: tuple[str, ...] = ()


# --- parser ------------------------------------------------------------------------------

# Binding strengths come from the op table; a pending operator is reduced when the next one
# binds no tighter. Implicit multiplication (`2x`) binds as `*` does; a function applied
# without parentheses (`sin x`) binds tighter than that and looser than a prefix `-`.
_IMPLICIT = OPS["mul"]
_MULTIPLICATIVE = MULTIPLICATIVE
_APPLY = (MULTIPLICATIVE + PREFIX) / 2
_IN_PLACE = {"+=": "add", "-=": "sub", "*=": "mul", "/=": "div"}
_OPERATOR_KINDS = ("binary", "unary", "apply")
_GROUP_KINDS = ("paren", "call", "bar")


class _Pending:
    """An operator waiting on the stack: binary, unary, a function applied without
    parentheses ("apply"), an open parenthesis, a call, or an open absolute-value bar."""

    __slots__ = ("kind", "op", "precedence", "start", "args", "extra", "power", "head", "note")

    def __init__(self, kind: str, op: str | None, precedence: float, start: int) -> None:
        self.kind = kind  # "binary" | "unary" | "apply" | "paren" | "call" | "bar"
        self.op = op
        self.precedence = precedence
        self.start = start
        self.args = 0  # arguments completed so far, for calls
        self.extra: Syntax | None = None  # a logarithm's base, the call's last argument
        self.power: Syntax | None = None  # `sin^2`: the power the result is raised to
        self.head = ""  # the function as written (`sin^2`, `√`), for notes and errors
        self.note: tuple | None = None  # an implicit product whose reading is noted


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
    if kind == "name" and (after == "=" or after in _IN_PLACE):
        body = first + 2
    elif kind == "name" and after == "(":
        body = _definition_body(tokens, first + 2, end)
    if body <= first:
        expr, order = _parse_expression(source, tokens, first, end, notes)
        return Statement(None, expr, start, order)
    target = _target(name, source, start)
    if body == end:
        raise ParseError(
            f"nothing after `{source[start : tokens[body - 1][2] + 1]}`",
            source,
            tokens[body - 1][2] + 1,
            f"write {target} = <expression>",
        )
    expr, order = _parse_expression(source, tokens, body, end, notes)
    if after in _IN_PLACE:  # `c += e` is `c = c + e`, the old c on the right
        ref = Syntax("name", None, (), None, target, start, start + len(name))
        expr = Syntax("op", _IN_PLACE[after], (ref, expr), None, "", start, expr.end)
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


def _parse_expression(
    source: str, tokens: list[Token], first: int, end: int, notes: list[str]
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
                head = function_of(text)
                if head is None:
                    operands.append(_name(source, tokens, i))
                    order.append(operands[-1])
                    expect_operand = False
                else:
                    item, i = _open_function(source, tokens, i, end, head, order)
                    pending.append(item)
                    continue
            elif text == "(":
                pending.append(_Pending("paren", None, 0, start))
            elif text == "|":
                pending.append(_Pending("bar", "abs", 0, start))
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
                and pending[-1].kind in _OPERATOR_KINDS
                and (
                    pending[-1].precedence > precedence
                    or (pending[-1].precedence == precedence and not right_associative)
                )
            ):
                item = pending.pop()
                if (
                    item.kind == "apply"
                    and precedence == _MULTIPLICATIVE
                    and operands[-1].kind == "number"
                ):
                    notes.append(_apply_note(source, item, operands[-1], text))
                _reduce(item, operands, order, source, notes)
            pending.append(_Pending("binary", op, precedence, start))
            expect_operand = True
        elif text == ")":
            opener = _unwind(pending, operands, order, source, notes)
            if opener is None:
                raise ParseError(
                    "unmatched ')'", source, start, "remove it, or add the '(' it closes"
                )
            if opener.kind == "bar":
                raise _open_bar(source, opener)
            if opener.kind == "call":
                opener.args += 1
                _reduce_call(source, opener, operands, order, start + 1)
        elif text == "|" and _innermost_group(pending) == "bar":
            opener = _unwind(pending, operands, order, source, notes)
            order.append(Syntax("op", "abs", (operands.pop(),), None, "", opener.start, start + 1))  # type: ignore[union-attr]
            operands.append(order[-1])
        elif text == ",":
            opener = _unwind(pending, operands, order, source, notes)
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
        elif kind in ("name", "number") or text in ("(", "|"):
            if kind == "number":
                raise ParseError(
                    f"missing operator before {text}",
                    source,
                    start,
                    f"write `*` for a product, as in x*{text}",
                )
            _juxtapose(source, token, pending, operands, order, notes)
            expect_operand = True
            continue  # read the same token again, now as an operand
        elif text == "=" or text in _IN_PLACE:
            raise ParseError(
                f"unexpected {text!r}",
                source,
                start,
                f"an assignment is `name {text} expression` at the start of a statement",
            )
        else:
            raise ParseError(f"unexpected {text!r}", source, start)
        i += 1
    if expect_operand:
        raise _expected_operand(source, tokens, end)
    while pending:
        item = pending.pop()
        if item.kind == "bar":
            raise _open_bar(source, item)
        if item.kind in _GROUP_KINDS:
            raise ParseError(
                "'(' is never closed",
                source,
                item.start if item.kind == "paren" else _call_paren(source, item),
                "add the missing ')'",
            )
        _reduce(item, operands, order, source, notes)
    return operands[0], tuple(order)


def _juxtapose(
    source: str,
    token: Token,
    pending: list[_Pending],
    operands: list[Syntax],
    order: list[Syntax],
    notes: list[str],
) -> None:
    """An implicit product: `2x`, `w x`, `x(x+1)`, `sin x cos x`, `|x|y`.

    A name written without a space continues the argument of a function applied without
    parentheses (`sin 2x` = sin(2x), `sin 2πx`); a space, a function, a parenthesis or a bar
    ends it (`sin x cos x`, `sec x(tan x + sec x)` = sec(x)·(tan x + sec x)). `1/2x`, `e^2x`
    and `sin x y` are read the usual way, (1/2)·x, (e^2)·x, sin(x)·y, with a note, since a
    second reading is plausible.
    """
    kind, text, start = token
    tight = start > 0 and source[start - 1] not in _SPACE_BEFORE
    starts_function = kind == "name" and function_of(text) is not None
    argument_is_number = operands[-1].kind == "number"
    note: tuple | None = None
    while pending:
        top = pending[-1]
        if top.kind == "apply":
            if tight and kind == "name" and not starts_function and top.head != "√":
                break  # `sin 2x`, `sin 2πx`: the argument goes on
            if note is None and not starts_function and (kind == "name" or argument_is_number):
                note = ("apply", top.head, operands[-1])  # `sin x y`, `sin 2(x + 1)`
        elif top.kind not in ("binary", "unary") or top.precedence < _MULTIPLICATIVE:
            break
        elif note is None and tight and top.kind == "binary":
            if top.op == "div" or (top.op == "pow" and operands[-1].kind == "number"):
                note = ("group", "", None)
        _reduce(pending.pop(), operands, order, source, notes)
    product = _Pending("binary", _IMPLICIT.name, _IMPLICIT.precedence, start)
    product.note = note
    pending.append(product)


def _innermost_group(pending: list[_Pending]) -> str | None:
    for item in reversed(pending):
        if item.kind in _GROUP_KINDS:
            return item.kind
    return None


def _unwind(
    pending: list[_Pending],
    operands: list[Syntax],
    order: list[Syntax],
    source: str,
    notes: list[str],
) -> _Pending | None:
    """Reduce operators back to the nearest '(', call or '|' and pop it; None if none."""
    while pending:
        item = pending.pop()
        if item.kind in _GROUP_KINDS:
            return item
        _reduce(item, operands, order, source, notes)
    return None


def _reduce(
    item: _Pending, operands: list[Syntax], order: list[Syntax], source: str, notes: list[str]
) -> None:
    kind = item.kind
    if kind == "unary":
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
    elif kind == "apply":
        argument = operands.pop()
        _finish_function(item, (argument,), operands, order, argument.end)
        return
    else:
        right = operands.pop()
        left = operands.pop()
        if item.note is not None:
            notes.append(_product_note(source, item.note, left, right, item.start))
        order.append(Syntax("op", item.op, (left, right), None, "", left.start, right.end))
    operands.append(order[-1])


def _finish_function(
    item: _Pending, args: tuple[Syntax, ...], operands: list[Syntax], order: list[Syntax], end: int
) -> None:
    """The op node of a call or an application, with its base and its power (`sin^2 x`)."""
    if item.extra is not None:
        args = (*args, item.extra)
    order.append(Syntax("op", item.op, args, None, "", item.start, end))
    if item.power is not None:
        order.append(Syntax("op", "pow", (order[-1], item.power), None, "", item.start, end))
    operands.append(order[-1])


def _open_function(
    source: str, tokens: list[Token], i: int, end: int, head: tuple[str, str | None], order: list
) -> tuple[_Pending, int]:
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
        item = _Pending("call", op, 0, start)
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
        item = _Pending("apply", op, _APPLY, start)
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


def _reduce_call(
    source: str, call: _Pending, operands: list[Syntax], order: list[Syntax], end: int
) -> None:
    spec = OPS[call.op]  # type: ignore[index]
    count = call.args
    total = count + (call.extra is not None)
    if total < spec.min_args or (spec.max_args is not None and total > spec.max_args):
        wanted = "1 argument" if call.extra is not None else arity_text(spec)
        raise ParseError(f"{call.head}() takes {wanted}, got {count}", source, call.start, None)
    args = tuple(operands[-count:])
    del operands[-count:]
    _finish_function(call, args, operands, order, end)


def _call_paren(source: str, call: _Pending) -> int:
    return source.find("(", call.start)


def _open_bar(source: str, bar: _Pending) -> ParseError:
    return ParseError(
        "'|' is never closed", source, bar.start, "close the absolute value with another '|'"
    )


def _number(source: str, token: Token) -> Syntax:
    _, text, start = token
    if text[-1] in "eE+-":
        raise ParseError(
            f"the number {_shorten(text)} has no exponent digits",
            source,
            start,
            f"write {text.rstrip('eE+-')}e3 for a power of ten, or {text.rstrip('eE+-')}*e "
            "for a product with e",
        )
    value = float(text)
    if value == float("inf"):
        raise ParseError(
            f"the number {_shorten(text)} is too large for a 64-bit float",
            source,
            start,
            "numbers must be below about 1.8e308",
        )
    return Syntax("number", None, (), value, text, start, start + len(text))


def _name(source: str, tokens: list[Token], i: int) -> Syntax:
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


def _apply_note(source: str, item: _Pending, argument: Syntax, operator: str) -> str:
    shown = _shorten(source[item.start : argument.end])
    return (
        f"read `{shown}{operator}…` as {item.head}({_shorten(_text(source, argument))}){operator}…"
    )


def _product_note(source: str, note: tuple, left: Syntax, right: Syntax, at: int) -> str:
    """`read `sin x y` as sin(x)·y` / `read `1/2x` as (1/2)·x`; `at` is where the second
    factor starts (a parenthesis is not part of its node's span)."""
    kind, head, argument = note
    end = _closed(source, at, right.end)
    written = _shorten(source[left.start : end], 40)
    if kind == "apply":
        first = f"{head}({_shorten(_text(source, argument))})"
    else:
        first = f"({_shorten(_text(source, left))})"
    return f"read `{written}` as {first}·{_shorten(source[at:end].strip())}"


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
