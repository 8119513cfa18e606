"""The SymPy side of a graph: each node's expression in the inputs, built in one forward loop.

SymPy is the symbolic back end only; text reaches it through cgraph's own parser, never through
`sympify`. Everything here is built on demand and bounded (an exact constant or power is sized
before SymPy computes it), so the numeric passes on a big graph never touch SymPy.
"""

from __future__ import annotations

import math
import re
import sys
from typing import Any

from ..core.graph import CONST, INPUT, Graph
from ..core.ops import OPS
from ..errors import TooComplex
from .limits import CONSTANT_MAX_DIGITS, PRINT_MAX_DIGITS, PRODUCT_MAX_BITS, TOO_BIG_HINT


def sympy_module() -> Any:
    import sympy

    _allow_printing_constants()
    return sympy


def _allow_printing_constants() -> None:
    """Python refuses to print an int of more than 4,300 digits (a guard against quadratic
    str()); exact constants here may reach CONSTANT_MAX_DIGITS per power and a few times that
    in products, which print in milliseconds. The limit is only ever raised, never lowered."""
    limit = sys.get_int_max_str_digits()
    if 0 < limit < PRINT_MAX_DIGITS:
        sys.set_int_max_str_digits(PRINT_MAX_DIGITS)


def input_symbols(graph: Graph) -> dict[str, Any]:
    """A real SymPy symbol per input (real, so that Abs and sqrt(x^2) behave as on paper)."""
    sp = sympy_module()
    return {name: sp.Symbol(name, real=True) for name in graph.input_names}


def node_expressions(
    graph: Graph, leaves: dict[str, Any] | None = None, upto: int | None = None
) -> list[Any]:
    """Each node's SymPy expression in the inputs (or in `leaves`, by input name).

    `upto` stops after that node index, for a question about one node.
    """
    symbols = input_symbols(graph) if leaves is None else leaves
    last = len(graph.nodes) - 1 if upto is None else upto
    by_index = {
        index: symbols[node.name]  # type: ignore[index]
        for index, node in enumerate(graph.nodes[: last + 1])
        if node.op == INPUT
    }
    return expressions(graph, by_index, last)


_LITERAL = re.compile(r"([0-9]*)\.?([0-9]*)(?:[eE]([+-]?[0-9]+))?\Z")


def constant(text: str, value: float) -> Any:
    """A literal as an exact SymPy number: `0.5` -> 1/2, `pi` -> pi, `1e-3` -> 1/1000.

    The digits and the exponent are read here, never by `Rational(text)`: `0e9999999999` would
    make it compute 10^9999999999 (a hang no time box can stop: one C call). An exact value
    with more than CONSTANT_MAX_DIGITS digits is refused.
    """
    sp = sympy_module()
    negative = text.startswith("-")
    body = text[1:] if negative else text
    literal = _LITERAL.match(body)
    if body == "pi":
        exact = sp.pi
    elif body == "e":
        exact = sp.E
    elif literal is None or not (literal.group(1) or literal.group(2)):
        exact = sp.Float(value)
    else:
        whole, fraction, power = literal.groups()
        digits = (whole + fraction).lstrip("0")
        shift = int(power or 0) - len(fraction)
        if not digits:
            exact = sp.Integer(0)
        elif len(digits) + abs(shift) > CONSTANT_MAX_DIGITS:
            raise TooComplex(
                f"the constant {body[:24]}{'...' if len(body) > 24 else ''} has too many "
                f"digits to work with exactly (over {CONSTANT_MAX_DIGITS:,})",
                TOO_BIG_HINT,
            )
        else:
            exact = sp.Integer(int(digits)) * sp.Integer(10) ** shift
    return -exact if negative else exact


def expressions(graph: Graph, leaves: dict[int, Any], upto: int) -> list[Any]:
    """Node expressions up to `upto` in one forward loop, with the nodes in `leaves` (inputs,
    or named steps written as symbols) as the given expressions.

    Exact constants are checked before SymPy computes them: `9^9^9` would never return.
    """
    sp = sympy_module()
    exprs: list[Any] = []
    for index, node in enumerate(graph.nodes[: upto + 1]):
        if index in leaves:
            exprs.append(leaves[index])
        elif node.op == CONST:
            exprs.append(constant(node.text or "", node.value))  # type: ignore[arg-type]
        else:
            exprs.append(apply(sp, graph, index, [exprs[a] for a in node.inputs]))
    return exprs


def apply(sp: Any, graph: Graph, index: int, args: list[Any]) -> Any:
    """The node's op on SymPy arguments (a power of numbers checked for size first)."""
    spec = OPS[graph.nodes[index].op]
    if spec.power:
        check_power(sp, graph, index, *args)
    result = spec.sympy(sp, *args)
    if result.is_Rational and (
        abs(result.p).bit_length() + result.q.bit_length() > PRODUCT_MAX_BITS
    ):
        raise TooComplex(
            f"the constant {graph.texts[index][:40]} has too many digits to compute "
            f"exactly (over {PRINT_MAX_DIGITS // 2:,})",
            TOO_BIG_HINT,
        )
    return result


def check_power(sp: Any, graph: Graph, index: int, base: Any, exponent: Any) -> None:
    """Refuse an exact power of numbers with more than CONSTANT_MAX_DIGITS digits.

    For a fraction p/q the digits are those of p^n and q^n together: `(1 + 10^-20)^(10^30)`
    is about 1.0 as a float but has 2*10^31 digits exactly.
    """
    if not (base.is_number and exponent.is_number) or base.is_zero or exponent.is_zero:
        return
    try:
        if base.is_Rational:
            size = math.log10(abs(base.p)) + math.log10(base.q)  # exact for big ints too
            digits = abs(float(exponent.evalf(8))) * size
        else:
            digits = abs(float(exponent.evalf(8))) * abs(float(sp.log(sp.Abs(base), 10).evalf(8)))
    except (TypeError, ValueError, OverflowError):
        digits = math.inf
    if not digits <= CONSTANT_MAX_DIGITS:
        raise TooComplex(
            f"the constant {graph.texts[index]} has too many digits to compute "
            f"exactly (over {CONSTANT_MAX_DIGITS:,})",
            TOO_BIG_HINT,
        )
