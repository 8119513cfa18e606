"""Exact forms by rational arithmetic (`fractions.Fraction`): `1/3` beside 0.333333333333333
without importing SymPy.

Most homework values are short decimals (1.5, 0.3, -4) and most homework graphs are rational
(+ - * /, whole-number powers). Then every value and every gradient is a fraction, and the
exact forms cost microseconds instead of SymPy's import. Anything else (pi, roots, logs,
kinks, a value like 0.333333333333333 that is a guess at 1/3) returns None, and the caller
asks SymPy, which gives the same text for the rational cases.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from fractions import Fraction

from .autodiff import Evaluation
from .graph import CONST, INPUT
from .sweep import reverse_sweep

MAX_BITS = 4_096  # a numerator or denominator past this: leave it to SymPy's time box
MAX_DIGITS = 8  # significant digits of a decimal read exactly (as symbolic/exact.py)
MAX_LENGTH = 18  # longer forms are not shown (the decimal says as much)
MAX_EXPONENT = 64

Forms = tuple[list[str | None], list[str | None]]

# op -> (value, partials): both on Fractions; partials(out, *args) as in core/ops.py.
_RATIONAL: dict[str, tuple[Callable[..., Fraction], Callable[..., tuple[Fraction, ...]]]] = {
    "add": (lambda a, b: a + b, lambda out, a, b: (Fraction(1), Fraction(1))),
    "sub": (lambda a, b: a - b, lambda out, a, b: (Fraction(1), Fraction(-1))),
    "mul": (lambda a, b: a * b, lambda out, a, b: (b, a)),
    "div": (lambda a, b: a / b, lambda out, a, b: (1 / b, -a / (b * b))),
    "neg": (lambda a: -a, lambda out, a: (Fraction(-1),)),
    "pow": (lambda a, n: a**n, lambda out, a, n: (n * a ** (n - 1), Fraction(0))),
}


class _TooBig(Exception):
    """An adjoint past MAX_BITS: SymPy's time box decides whether it is worth showing."""


def rational_forms(evaluation: Evaluation) -> Forms | None:
    """Exact forms of each node's value and gradient, or None when SymPy is needed."""
    exact = rational_values(evaluation)
    if exact is None:
        return None
    values, grads = exact
    return (
        [_presentable(v, f) for v, f in zip(values, evaluation.values, strict=True)],
        [_presentable(g, f) for g, f in zip(grads, evaluation.grads, strict=True)],
    )


def rational_values(evaluation: Evaluation) -> tuple[list[Fraction], list[Fraction]] | None:
    """Each node's exact value and gradient as Fractions, or None when they are not rational
    (or past MAX_BITS)."""
    graph = evaluation.graph
    nodes, varying = graph.nodes, graph.varying
    values: list[Fraction] = []
    try:
        for node in nodes:
            if node.op == INPUT:
                text = repr(float(evaluation.inputs[node.name]))  # type: ignore[index]
                exact = None if "e" in text else _decimal(text)  # 1e-05: SymPy's nsimplify
            elif node.op == CONST:
                exact = _decimal(node.text or "")
            elif node.op in _RATIONAL and _rational_step(node.op, node.inputs, values, varying):
                exact = _RATIONAL[node.op][0](*[values[a] for a in node.inputs])
            else:
                return None
            if exact is None or _too_big(exact):
                return None
            values.append(exact)
        return values, _gradients(evaluation, values)
    except (ZeroDivisionError, OverflowError, _TooBig):
        return None  # SymPy says what 0^-1 or 0 * x^-1 is at this point


def _gradients(evaluation: Evaluation, values: list[Fraction]) -> list[Fraction]:
    """Each node's exact gradient, by the one reverse sweep (core/sweep.py) on Fractions."""
    graph, output = evaluation.graph, evaluation.output
    nodes = graph.nodes

    def total(index: int, flows: list[Fraction]) -> Fraction | None:
        adjoint = Fraction(1) if index == output else sum(flows, Fraction(0))
        if _too_big(adjoint):
            raise _TooBig
        return adjoint or None  # a zero adjoint passes nothing on

    def flow(index: int, position: int, adjoint: Fraction) -> Fraction:
        node = nodes[index]
        args = [values[a] for a in node.inputs]
        return adjoint * _RATIONAL[node.op][1](values[index], *args)[position]

    adjoints = reverse_sweep(graph, output, total, flow).adjoints
    return [adjoints.get(index) or Fraction(0) for index in range(len(nodes))]


def _rational_step(
    op: str, args: tuple[int, ...], values: list[Fraction], varying: list[bool]
) -> bool:
    """A power is rational only with a constant whole-number exponent (x^n ln x otherwise)."""
    if op != "pow":
        return True
    exponent = values[args[1]]
    return not varying[args[1]] and exponent.denominator == 1 and abs(exponent) <= MAX_EXPONENT


def _decimal(text: str) -> Fraction | None:
    """A short decimal literal as an exact fraction (`0.3` -> 3/10); None for pi, 1e-20, ..."""
    body = text[1:] if text.startswith("-") else text
    if not body or not (body[0].isdigit() or body[0] == "."):
        return None  # pi, e
    mantissa, _, exponent = body.lower().partition("e")
    if len(mantissa.replace(".", "").lstrip("0")) > MAX_DIGITS or len(exponent) > 3:
        return None
    return Fraction(text)


def _too_big(value: Fraction) -> bool:
    return value.numerator.bit_length() > MAX_BITS or value.denominator.bit_length() > MAX_BITS


def _presentable(exact: Fraction, approx: float) -> str | None:
    """`1/3`; None for a whole number or a terminating decimal (the decimal says it all)."""
    q = exact.denominator
    while q % 2 == 0:
        q //= 2
    while q % 5 == 0:
        q //= 5
    if q == 1:
        return None
    text = f"{exact.numerator}/{exact.denominator}"
    if len(text) > MAX_LENGTH or not math.isclose(
        float(exact), approx, rel_tol=1e-9, abs_tol=1e-12
    ):
        return None
    return text
