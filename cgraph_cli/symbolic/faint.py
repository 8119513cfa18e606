"""Differences too small for the sampled values to show: `2*x + 1e-30*heaviside(x - 3, 0)`.

Sampling compares two values, each computed to 35 digits or more; a wrong term of relative size
1e-40 sits below that, and where the proof cannot settle the difference (it is piecewise, not a
constant or a polynomial) the answer came out "equal at N sampled points". The difference
itself has no such floor: SymPy cancels the common terms when it subtracts (2x - (2x + t) is -t),
`expand` cancels more, and the rest evaluated at a point is either rounding noise (measured, as
`realeval` does: it changes with the precision) or a number that does not change: a
difference. So before a sampled "correct", the difference is evaluated at the points that
agreed, and one that is really there makes the answer wrong, with the point and the amount.
"""

from __future__ import annotations

from collections.abc import Sequence

import mpmath
import sympy as sp

from ..core.timebox import within
from .realeval import Undefined, Unreliable, value_at

EXPAND_OPS = 400  # expand a difference up to this size (cancels 2x - 2x(1 + t) to -2xt)
SECONDS = 2.0


def faint_difference(
    expected: sp.Expr, answer: sp.Expr, points: Sequence[dict[sp.Symbol, float]]
) -> tuple[dict[sp.Symbol, float], str] | None:
    """A point where `expected - answer` is really nonzero, with answer - expected (3 digits,
    `-1.24e-997`: past float range too); None if the
    difference is noise (or 0) at every point, or cannot be evaluated in time."""
    return within(SECONDS, lambda: _search(expected, answer, points), lambda: None)


def _search(
    expected: sp.Expr, answer: sp.Expr, points: Sequence[dict[sp.Symbol, float]]
) -> tuple[dict[sp.Symbol, float], str] | None:
    difference = expected - answer
    if difference == 0:
        return None
    forms = [difference]
    if sp.count_ops(difference) <= EXPAND_OPS:
        forms.append(sp.expand(difference))
    for point in points:
        for form in forms:
            try:
                value = value_at(form, point)
            except (Unreliable, Undefined, ValueError, TypeError, ZeroDivisionError):
                continue
            if value is not None and value.value != 0 and abs(value.value) > value.noise:
                return point, str(mpmath.nstr(-value.value, 3))
    return None
