"""A number against a derivative at one point, judged at high precision.

The float reverse pass cannot judge every numeric answer: at x = 1e-200 the gradient of x^3
is 3e-400, which is 0 in float64, so an answer of 0 "matched" it; and float64's absolute
tolerance (1e-12, there to absorb rounding around an expected 0) called 0 right for 3e-14 at
x = 1e-7. Here both sides are exact SymPy expressions evaluated with mpmath (`realeval`): the
answer's constants as written (3e-400 stays 3e-400), the point as the floats the pass used.

What an exact comparison must still forgive is the rounding of the point itself: `--x pi` is
the float nearest pi, where the slope of cos is -1.2e-16, not the 0 a student writes. So the
slack is the change of the derivative across that rounding: the sum over the inputs of
|d(derivative)/d(input)| times the input's last binary digit (ulp), four times over. It is
3e-16 at pi and 1e-415 at x = 1e-200.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import sympy as sp

from ..core.timebox import within
from .realeval import Unreliable, context, value_at

SLACK_ULPS = 4  # the point's rounding, in last binary digits of each input
SECONDS = 2.0  # differentiating the derivative for the slack; past this the floats decide
TINY = 2.2250738585072014e-308  # smallest normal float64: below it digits are lost


@dataclass(frozen=True)
class NumberVerdict:
    equal: bool
    expected: str  # both values at high precision, 6 digits (`3e-400`), for the user
    answer: str
    underflows: bool  # float64 cannot show one of them (0 or subnormal where they are not)


def number_verdict(
    expected: sp.Expr, answer: sp.Expr, point: Mapping[sp.Symbol, float], rel_tol: float
) -> NumberVerdict | None:
    """Is `answer` `expected` at `point`, within `rel_tol` and the point's rounding? None when
    that cannot be told here (no value there, as at a kink, where the convention decides; too
    slow): the float pass decides then."""
    values = dict(point)
    try:
        left, right = value_at(expected, values), value_at(answer, {})
        slack = within(SECONDS, lambda: _rounding_slack(expected, values), lambda: None)
    except (Unreliable, RecursionError, ValueError, TypeError, ZeroDivisionError):
        return None
    if left is None or right is None or slack is None:
        return None
    ctx = context(max(left.dps, right.dps))
    a, b = ctx.mpf(left.value), ctx.mpf(right.value)
    equal = abs(a - b) <= rel_tol * max(abs(a), abs(b)) + left.noise + right.noise + slack
    lost = any(v != 0 and abs(v) < TINY for v in (a, b))
    return NumberVerdict(bool(equal), ctx.nstr(a, 6), ctx.nstr(b, 6), lost)


def _rounding_slack(expected: sp.Expr, point: dict[sp.Symbol, float]) -> object | None:
    total = context(60).zero
    for symbol, value in point.items():
        if symbol not in expected.free_symbols:
            continue
        change = value_at(sp.diff(expected, symbol), point, checked=False)
        if change is None:
            return None  # a kink (DiracDelta) right at the point: no slack can be given
        total += abs(change.value) * math.ulp(value) * SLACK_ULPS
    return total
