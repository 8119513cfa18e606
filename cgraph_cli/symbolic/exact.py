"""Exact forms at a point: `1/3` beside 0.333333333333333, `sqrt(2)/2` beside 0.70710678.

The values are the graph's expressions at exact inputs; the gradients come from the one
reverse sweep (sweep.symbolic_gradients) run on those values. A bonus beside the floats,
bounded by size, by the exponents of powers and by a time box, and silently left out past
them. Rational graphs at short decimals never reach SymPy here:
core/exact.py answers them with Fractions (eval's start-up stays free of SymPy).
"""

from __future__ import annotations

import math
from typing import Any

from ..core.autodiff import Evaluation
from ..core.exact import rational_forms
from ..core.graph import CONST, INPUT
from ..core.ops import OPS
from ..core.timebox import within
from .expressions import node_expressions, sympy_module
from .limits import EXACT_MAX_EXPONENT, EXACT_MAX_NODES, EXACT_SECONDS
from .sweep import symbolic_gradients

_EXACT_MAX_LENGTH = 18  # longer exact forms help nobody; the decimal is shown alone


def exact_forms(
    evaluation: Evaluation, exact_inputs: dict[str, Any] | None = None
) -> tuple[list[str | None], list[str | None]]:
    """Short exact forms of each node's value and gradient, where they say more than the decimal.

    `1/3` beside 0.333333333333333 and `sqrt(2)/2` beside 0.707106781186548 are shown; `2` or
    `sin(9/4)` are not (the decimal already says it, or the form is no help). Empty for big
    graphs and for integer-only arithmetic, where SymPy would add time and nothing else.
    """
    graph = evaluation.graph
    size = len(graph.nodes)
    none: list[str | None] = [None] * size
    if size > EXACT_MAX_NODES or _integers_only(evaluation) or _huge_powers(evaluation):
        return none, list(none)
    rational = None if exact_inputs else rational_forms(evaluation)  # no SymPy import
    if rational is not None:
        return rational
    sympy_module()  # imported outside the box: on a busy machine the import alone takes 1 s
    try:
        return within(
            EXACT_SECONDS,
            lambda: _exact_forms(evaluation, exact_inputs or {}),
            lambda: (none, list(none)),
        )
    except Exception:  # noqa: BLE001 - exact forms are a bonus; the floats stand on their own
        return none, list(none)


def _huge_powers(evaluation: Evaluation) -> bool:
    """An exponent past EXACT_MAX_EXPONENT: exactly, (1/2)^(10^100) has 10^100 digits."""
    graph, values = evaluation.graph, evaluation.values
    return any(
        node.op not in (INPUT, CONST)
        and OPS[node.op].power
        and abs(values[node.inputs[1]]) > EXACT_MAX_EXPONENT
        for node in graph.nodes
    )


def _integers_only(evaluation: Evaluation) -> bool:
    """Whole-number inputs and constants through ops that keep integers (a power only with a
    whole constant exponent): every value and gradient is an integer, the decimal says all."""
    graph = evaluation.graph
    if any(not float(v).is_integer() for v in evaluation.inputs.values()):
        return False
    for node in graph.nodes:
        if node.op == CONST:
            if not (
                node.value is not None
                and node.value.is_integer()
                and node.text not in ("pi", "e", "-pi", "-e")
            ):
                return False
        elif node.op == INPUT:
            continue
        elif OPS[node.op].power:
            exponent = graph.nodes[node.inputs[1]]
            if not (
                exponent.op == CONST
                and exponent.value is not None
                and exponent.value.is_integer()
                and exponent.value >= 0
            ):
                return False
        elif not OPS[node.op].keeps_integers:
            return False
    return True


def _exact_forms(
    evaluation: Evaluation, exact_inputs: dict[str, Any]
) -> tuple[list[str | None], list[str | None]]:
    sp = sympy_module()
    graph = evaluation.graph
    leaves = {
        name: exact_inputs.get(name, _exact_input(value))
        for name, value in evaluation.inputs.items()
    }
    values = node_expressions(graph, leaves)
    found = symbolic_gradients(graph, values, evaluation.output, range(len(graph.nodes)))
    grads = [found[index] for index in range(len(graph.nodes))]
    return (
        [_presentable(sp, v, f) for v, f in zip(values, evaluation.values, strict=True)],
        [_presentable(sp, g, f) for g, f in zip(grads, evaluation.grads, strict=True)],
    )


def _exact_input(value: float) -> Any:
    """An input's exact value: short decimals as rationals, 1/3 and pi/4 recognised."""
    sp = sympy_module()
    text = repr(float(value))
    if len(text.replace("-", "").replace(".", "").lstrip("0")) <= 8 and "e" not in text:
        return sp.Rational(text)
    guess = sp.nsimplify(value, [sp.pi], tolerance=1e-14, rational=False)
    if len(str(guess)) <= _EXACT_MAX_LENGTH and math.isclose(float(guess), value, rel_tol=1e-14):
        return guess
    return sp.Float(value)


def _presentable(sp: Any, exact: Any, approx: float) -> str | None:
    """The exact form as text if it is short, exact and says more than the decimal."""
    if exact.has(sp.Float) or not exact.is_number:
        return None
    if exact.is_Integer:
        return None
    if exact.is_Rational and _terminates(exact.q):
        return None  # 1/4 is 0.25: the decimal is already exact
    allowed = (
        sp.Add,
        sp.Mul,
        sp.Pow,
        sp.Rational,
        sp.log,
        type(sp.pi),
        type(sp.E),
        sp.core.numbers.NegativeOne,
        sp.core.numbers.Half,
        sp.core.numbers.One,
    )
    for part in sp.preorder_traversal(exact):
        if not isinstance(part, allowed) and not part.is_Rational:
            return None
    from .printing import text as cgraph_text

    text = cgraph_text(exact)
    if len(text) > _EXACT_MAX_LENGTH:
        return None
    if not math.isclose(float(exact), approx, rel_tol=1e-9, abs_tol=1e-12):
        return None
    return text


def _terminates(denominator: int) -> bool:
    """Whether p/denominator has a finite decimal expansion (denominator = 2^a 5^b)."""
    for prime in (2, 5):
        while denominator % prime == 0:
            denominator //= prime
    return denominator == 1
