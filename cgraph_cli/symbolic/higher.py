"""Higher derivatives: ∂²f/∂x², the mixed ∂²f/∂x∂y, and the Hessian of the output at a point.

The first derivative comes from the one reverse sweep (`derivatives.derivatives`, kinks as
PyTorch takes them); each further order differentiates that SymPy expression by the next
variable. The Hessian is the symbolic sweep's gradient differentiated once more per input,
then evaluated exactly at the point and rounded once.

Why the symbolic sweep and not forward-over-reverse: forward-over-reverse needs the
derivative of every op's *partials*, which the op table does not hold (it holds float
partials and a SymPy form), so it would mean a dual-number rule for every op, a second copy
of the table's knowledge. The symbolic route gets second partials from the same SymPy forms
the first ones come from, gives exact numbers (no rounding in the partials), and its cost
(inputs² derivatives of a small expression) is bounded here: at most HESSIAN_MAX_INPUTS
inputs, SYMBOLIC_MAX_NODES operations (checked before SymPy starts) and a time box.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from ..core.graph import Graph
from ..core.timebox import within
from ..errors import TooComplex, UsageError
from .derivatives import derivatives, tidy
from .expressions import input_symbols, sympy_module

T = TypeVar("T")

HESSIAN_MAX_INPUTS = 12  # 144 second derivatives: a small program's Hessian
HIGHER_SECONDS = 10.0  # the whole job
_SUPERSCRIPTS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
_HINT = "higher derivatives are for small programs; cgraph eval gives the first derivatives"


def name(output: str, graph: Graph, indices: Sequence[int]) -> str:
    """`∂f/∂x`, `∂²f/∂x²`, `∂²f/∂x∂y`, `∂³f/∂x²∂y`: runs of one variable written as powers."""
    runs: list[list[Any]] = []
    for index in indices:
        label = graph.nodes[index].label
        if runs and runs[-1][0] == label:
            runs[-1][1] += 1
        else:
            runs.append([label, 1])
    order = _power(len(indices))
    bottom = "".join(f"∂{label}{_power(count)}" for label, count in runs)
    return f"∂{order}{output}/{bottom}"


def _power(count: int) -> str:
    return "" if count == 1 else str(count).translate(_SUPERSCRIPTS)


def higher_derivative(graph: Graph, indices: Sequence[int]) -> Any:
    """The derivative of the output by each input of `indices` in turn, in the inputs."""

    def work() -> Any:
        expr = derivatives(graph, [indices[0]], in_steps=False).items[0].expr
        symbols = input_symbols(graph)
        for index in indices[1:]:
            expr = sympy_module().diff(expr, symbols[graph.nodes[index].label])
        return _tidy(expr)

    return _bounded(work)


def _tidy(expr: Any) -> Any:
    """Kinks as PyTorch takes them, then simplified as `diff` simplifies.

    Differentiating a kink again gives SymPy's distributions: DiracDelta (from sign, the
    derivative of abs) is 0 away from the kink and is taken as 0 at it, and Heaviside (from
    Max, Min) is 1 past the kink and 0 at it, as relu'(0) = 0; so the second derivative of
    abs or relu is 0, as PyTorch's double backward says.
    """
    sp = sympy_module()
    expr = expr.replace(sp.DiracDelta, lambda *args: sp.Integer(0))
    expr = expr.replace(sp.Heaviside, lambda u, *at: sp.Piecewise((1, u > 0), (0, True)))
    if expr.has(sp.Piecewise):
        expr = sp.piecewise_fold(expr)
    return tidy(expr)[0]


def _bounded(work: Callable[[], T]) -> T:
    """`work()` in the job's time box; running out, or SymPy's recursion limit, is TooComplex."""
    sympy_module()  # imported outside the box: an import cut short leaves SymPy half-made

    def expired() -> T:
        raise TooComplex(f"the higher derivative took over {HIGHER_SECONDS:g} s", _HINT)

    try:
        return within(HIGHER_SECONDS, work, expired)
    except RecursionError:
        raise TooComplex("the higher derivative is nested too deeply", _HINT) from None


def value_at(expr: Any, point: Mapping[str, float]) -> float | None:
    """The derivative's number at the point: exact inputs (short decimals as fractions),
    evaluated at 30 digits, rounded once; None where it has no real finite value."""
    sp = sympy_module()
    exact = {sp.Symbol(name, real=True): _exact(value) for name, value in point.items()}
    try:
        number = sp.N(expr.xreplace(exact), 30)
        if not number.is_real:
            return None
        value = float(number)
    except (TypeError, ValueError, ZeroDivisionError, OverflowError):
        return None
    return value if math.isfinite(value) else None


def _exact(value: float) -> Any:
    sp = sympy_module()
    text = repr(float(value))
    return sp.Rational(text) if "e" not in text and "n" not in text else sp.Float(value, 30)


@dataclass(frozen=True)
class Hessian:
    """Second derivatives of the output over the inputs at a point; `exprs[i][j]` is
    ∂²f/∂x_i∂x_j, `matrix` its numbers (None where undefined)."""

    inputs: list[str]
    exprs: list[list[Any]]
    matrix: list[list[float | None]]


def hessian(graph: Graph, point: Mapping[str, float], output: int | None = None) -> Hessian:
    """The Hessian of `output` (default: the program's) at the point, from the symbolic
    gradient differentiated once more."""
    names = list(graph.input_names)
    if len(names) > HESSIAN_MAX_INPUTS:
        raise TooComplex(
            f"the Hessian of {len(names)} inputs has {len(names) ** 2:,} entries; "
            f"--order 2 is for programs of up to {HESSIAN_MAX_INPUTS} inputs",
            _HINT,
        )
    if not names:
        raise UsageError("the program has no inputs, so it has no second derivatives")
    sp = sympy_module()
    symbols = input_symbols(graph)

    def work() -> list[list[Any]]:
        wrt = [graph.names[n] for n in names]
        gradient = derivatives(graph, wrt, output, in_steps=False).items
        exprs: list[list[Any]] = [[None] * len(names) for _ in names]
        for i, item in enumerate(gradient):
            for j in range(i, len(names)):
                exprs[i][j] = exprs[j][i] = _tidy(sp.diff(item.expr, symbols[names[j]]))
        return exprs

    exprs = _bounded(work)
    matrix = [[value_at(e, point) for e in row] for row in exprs]
    return Hessian(names, exprs, matrix)
