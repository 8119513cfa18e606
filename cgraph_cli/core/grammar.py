"""The expression grammar: an operator-precedence (shunting-yard) loop over one statement's
tokens, with explicit stacks, so nesting depth is limited only by memory.

Binding strengths come from the op table; a pending operator is reduced when the next one
binds no tighter. Implicit multiplication (`2x`) binds as `*` does; a function applied
without parentheses (`sin x`) binds tighter than that and looser than a prefix `-`.
"""

from __future__ import annotations

from ..errors import ParseError
from .heads import number, open_function, variable
from .lexer import Token
from .names import function_of
from .ops import BINARY_OPERATORS, MULTIPLICATIVE, OPS, PREFIX, PREFIX_OPERATORS, arity_text
from .readings import apply_note, call_paren, expected_operand, open_bar, product_note
from .tree import Pending, Syntax

_SPACE_BEFORE = frozenset(
    " \t\r\n\f\v\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
    "\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
)

_IMPLICIT = OPS["mul"]
_MULTIPLICATIVE = MULTIPLICATIVE
IN_PLACE = {"+=": "add", "-=": "sub", "*=": "mul", "/=": "div"}
_OPERATOR_KINDS = ("binary", "unary", "apply")
_GROUP_KINDS = ("paren", "call", "bar")


def parse_tokens(
    source: str, tokens: list[Token], first: int, end: int, notes: list[str]
) -> tuple[Syntax, tuple[Syntax, ...]]:
    """Shunting-yard over tokens[first:end]; the operand and operator stacks replace recursion.

    Returns the root and every node made, children first.
    """
    operands: list[Syntax] = []
    order: list[Syntax] = []
    pending: list[Pending] = []
    expect_operand = True
    i = first
    while i < end:
        token = tokens[i]
        kind, text, start = token
        if expect_operand:
            if kind == "number":
                operands.append(number(source, token))
                order.append(operands[-1])
                expect_operand = False
            elif kind == "name":
                head = function_of(text)
                if head is None:
                    operands.append(variable(source, tokens, i))
                    order.append(operands[-1])
                    expect_operand = False
                else:
                    item, i = open_function(source, tokens, i, end, head, order)
                    pending.append(item)
                    continue
            elif text == "(":
                pending.append(Pending("paren", None, 0, start))
            elif text == "|":
                pending.append(Pending("bar", "abs", 0, start))
            elif text in PREFIX_OPERATORS or text == "+":
                name = PREFIX_OPERATORS.get(text, "pos")  # a unary + changes nothing
                precedence = OPS[name].precedence if name in OPS else PREFIX
                pending.append(Pending("unary", name, precedence, start))
            else:
                raise expected_operand(source, tokens, i)
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
                    notes.append(apply_note(source, item, operands[-1], text))
                _reduce(item, operands, order, source, notes)
            pending.append(Pending("binary", op, precedence, start))
            expect_operand = True
        elif text == ")":
            opener = _unwind(pending, operands, order, source, notes)
            if opener is None:
                raise ParseError(
                    "unmatched ')'", source, start, "remove it, or add the '(' it closes"
                )
            if opener.kind == "bar":
                raise open_bar(source, opener)
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
        elif text == "=" or text in IN_PLACE:
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
        raise expected_operand(source, tokens, end)
    while pending:
        item = pending.pop()
        if item.kind == "bar":
            raise open_bar(source, item)
        if item.kind in _GROUP_KINDS:
            raise ParseError(
                "'(' is never closed",
                source,
                item.start if item.kind == "paren" else call_paren(source, item),
                "add the missing ')'",
            )
        _reduce(item, operands, order, source, notes)
    return operands[0], tuple(order)


def _juxtapose(
    source: str,
    token: Token,
    pending: list[Pending],
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
    product = Pending("binary", _IMPLICIT.name, _IMPLICIT.precedence, start)
    product.note = note
    pending.append(product)


def _innermost_group(pending: list[Pending]) -> str | None:
    for item in reversed(pending):
        if item.kind in _GROUP_KINDS:
            return item.kind
    return None


def _unwind(
    pending: list[Pending],
    operands: list[Syntax],
    order: list[Syntax],
    source: str,
    notes: list[str],
) -> Pending | None:
    """Reduce operators back to the nearest '(', call or '|' and pop it; None if none."""
    while pending:
        item = pending.pop()
        if item.kind in _GROUP_KINDS:
            return item
        _reduce(item, operands, order, source, notes)
    return None


def _reduce(
    item: Pending, operands: list[Syntax], order: list[Syntax], source: str, notes: list[str]
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
            notes.append(product_note(source, item.note, left, right, item.start))
        order.append(Syntax("op", item.op, (left, right), None, "", left.start, right.end))
    operands.append(order[-1])


def _finish_function(
    item: Pending, args: tuple[Syntax, ...], operands: list[Syntax], order: list[Syntax], end: int
) -> None:
    """The op node of a call or an application, with its base and its power (`sin^2 x`)."""
    if item.extra is not None:
        args = (*args, item.extra)
    order.append(Syntax("op", item.op, args, None, "", item.start, end))
    if item.power is not None:
        order.append(Syntax("op", "pow", (order[-1], item.power), None, "", item.start, end))
    operands.append(order[-1])


def _reduce_call(
    source: str, call: Pending, operands: list[Syntax], order: list[Syntax], end: int
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
