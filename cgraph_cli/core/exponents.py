"""Constant exponents the float passes would get wrong: refused at once, with the reason.

cgraph computes in float64, and a constant exponent is computed like any other constant:
`x^(2^53+1)` gets the exponent 2^53 + 1 rounded to 2^53, an even number, so at x = -1 the
value came out +1 (true -1) and the slope's sign flipped too. The parity of a whole-number
exponent decides the sign of a power of a negative base, so it must be exact. Here each
constant exponent is worked out exactly (fractions, from the literals as written); when float64
would change its parity, or would make a fraction a whole number (`x^(2^53 + 1/2)` has no real
value for x < 0, its float does), the program is refused with the exact number. Exponents
float64 holds exactly, or even ones it rounds to even ones (`x^(10^23)`), are computed as
before: their sign is right and the magnitude is off by a relative 1e-13 at most.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from fractions import Fraction
from typing import TYPE_CHECKING

from ..errors import UsageError

if TYPE_CHECKING:
    from .graph import Graph

MAX_BITS = 4_096  # larger exact values are left to floats (they overflow float64 anyway)
MAX_POWER = 4_096  # a^n is worked out exactly only for |n| up to this
_LITERAL = re.compile(r"[0-9]+\.?[0-9]*(?:[eE][+-]?[0-9]{1,3})?|\.[0-9]+(?:[eE][+-]?[0-9]{1,3})?")

_EXACT: dict[str, Callable[..., Fraction | None]] = {
    "add": lambda a, b: a + b,
    "sub": lambda a, b: a - b,
    "mul": lambda a, b: a * b,
    "div": lambda a, b: a / b if b else None,
    "neg": lambda a: -a,
    "pow": lambda a, n: _power(a, n),
}


def refuse_inexact_exponents(graph: Graph) -> None:
    """Raise UsageError for a constant exponent whose float64 value changes its parity or
    makes it whole (see the module docstring); nothing for every other program."""
    nodes, varying = graph.nodes, graph.varying
    exact: dict[int, Fraction | None] = {}
    for index, node in enumerate(nodes):
        if node.op != "pow" or varying[node.inputs[1]]:
            continue
        exponent = node.inputs[1]
        value = _exact_value(graph, exponent, exact)
        if value is None:
            continue
        rounded = float(value)
        if not rounded.is_integer() or Fraction(rounded) == value:
            continue
        if value.denominator != 1 or value.numerator % 2 != int(rounded) % 2:
            _refuse(graph, index, value, rounded)


def _refuse(graph: Graph, index: int, value: Fraction, rounded: float) -> None:
    written = graph.texts[graph.nodes[index].inputs[1]]
    number = str(value) if len(str(value)) <= 60 else f"a {len(str(value))}-character number"
    kind = "odd whole number" if value.denominator == 1 else "fraction"
    raise UsageError(
        f"the exponent {written} is the {kind} {number}; float64 rounds it to the even "
        f"{int(rounded)}, which would give a power of a negative number the wrong sign",
        "cgraph computes in float64: use an exponent below 2^53 = 9007199254740992",
    )


def _exact_value(graph: Graph, root: int, memo: dict[int, Fraction | None]) -> Fraction | None:
    """The exact value of a constant subgraph, iteratively; None when it is not rational
    (pi, sqrt) or too big to work out."""
    nodes = graph.nodes
    stack = [root]
    while stack:
        index = stack[-1]
        if index in memo:
            stack.pop()
            continue
        node = nodes[index]
        if node.op == "const":
            memo[index] = _literal(node.text or "")
            stack.pop()
            continue
        missing = [a for a in node.inputs if a not in memo]
        if missing:
            stack.extend(missing)
            continue
        stack.pop()
        args = [memo[a] for a in node.inputs]
        rule = _EXACT.get(node.op)
        value = None if rule is None or any(a is None for a in args) else rule(*args)
        memo[index] = None if value is None or _too_big(value) else value
    return memo[root]


def _literal(text: str) -> Fraction | None:
    """A decimal literal as written (`9007199254740993`, `0.5`, `1e20`); None for pi, e."""
    body = text[1:] if text.startswith("-") else text
    if not _LITERAL.fullmatch(body):
        return None
    value = Fraction(body)
    return -value if text.startswith("-") else value


def _power(base: Fraction, exponent: Fraction) -> Fraction | None:
    if exponent.denominator != 1 or abs(exponent) > MAX_POWER:
        return None
    if base == 0 and exponent < 0:
        return None
    if base.numerator.bit_length() * abs(exponent.numerator) > MAX_BITS:
        return None
    if base.denominator.bit_length() * abs(exponent.numerator) > MAX_BITS:
        return None
    return base ** int(exponent)


def _too_big(value: Fraction) -> bool:
    return value.numerator.bit_length() > MAX_BITS or value.denominator.bit_length() > MAX_BITS
