"""The arithmetic operators of the op table: + - * / ^ and the prefix minus, written infix."""

from __future__ import annotations

import math
from collections.abc import Sequence

from .spec import ADDITIVE, MULTIPLICATIVE, POWER, PREFIX, OpSpec


def _pow(base: float, exponent: float) -> float:
    """Real power; math.pow raises on a negative base with a fractional exponent and on 0^-1."""
    return math.pow(base, exponent)


def _pow_partials(out: float, base: float, exponent: float) -> tuple[float, float]:
    """d/dbase = n x^(n-1) (infinite at x = 0 for 0 < n < 1); d/dexponent = x^n ln x
    (undefined for a base <= 0: NaN)."""
    if exponent == 0:
        d_base = 0.0
    elif base == 0 and exponent < 1:
        d_base = math.inf  # x^0.5 at 0: an infinite slope, said as such (steep_by_arg)
    else:
        d_base = _power_slope(base, exponent)
    if base > 0:
        d_exponent = out * math.log(base)
    elif base == 0 and exponent > 0:
        d_exponent = 0.0
    else:
        d_exponent = math.nan  # matters only when the exponent depends on an input
    return d_base, d_exponent


def _power_slope(base: float, exponent: float) -> float:
    """n x^(n-1), with the sign of x^(n-1) taken from the exact integer n - 1: as a float,
    2^60 - 1 rounds to 2^60, and (-1)^(2^60) would be +1 where (-1)^(2^60 - 1) is -1.
    The magnitude is |x|^(n-1) times n, or n times x^n / x when that does not overflow."""
    if exponent.is_integer() and base < 0:
        magnitude = math.pow(-base, exponent - 1)
        odd = (int(exponent) - 1) % 2 == 1
        return exponent * (-magnitude if odd else magnitude)
    return exponent * math.pow(base, exponent - 1)


def _pow_domain(base: float, exponent: float) -> str:
    """The one problem at these values, not every way a power can fail."""
    if base == 0 and exponent < 0:
        return f"0 has no negative power (0^{exponent:g} divides by zero)"
    if base < 0 and not float(exponent).is_integer():
        return f"a negative base ({base:g}) needs a whole-number exponent, not {exponent:g}"
    return "the result is not a finite real number"


def _div_partials(out: float, a: float, b: float) -> tuple[float, float]:
    """d(a/b)/da = 1/b, d(a/b)/db = -(a/b)/b: the quotient first, as PyTorch does, since
    a/(b*b) overflows b*b long before the result (exp(400)/(exp(400)+exp(400)))."""
    return 1.0 / b, -(out / b)


def _product_size(position: int, sizes: Sequence[int]) -> int:
    return sizes[1 - position]  # d(ab)/da = b


def _quotient_size(position: int, sizes: Sequence[int]) -> int:
    return 1 + sizes[1] if position == 0 else 2 + sizes[0] + sizes[1]  # 1/b, -a/b^2


def _constant_size(position: int, sizes: Sequence[int]) -> int:
    return 0  # +1 or -1: nothing to multiply


OPERATORS: tuple[OpSpec, ...] = (
    OpSpec(
        name="add",
        forward=lambda a, b: a + b,
        partials=lambda out, a, b: (1.0, 1.0),
        sympy=lambda sp, a, b: sp.Add(a, b),
        symbol="+",
        min_args=2,
        max_args=2,
        infix=" + ",
        precedence=ADDITIVE,
        associative=True,
        latex="{0} + {1}",
        keeps_integers=True,
        flattens="add",
        partial_size=_constant_size,
    ),
    OpSpec(
        name="sub",
        forward=lambda a, b: a - b,
        partials=lambda out, a, b: (1.0, -1.0),
        sympy=lambda sp, a, b: sp.Add(a, sp.Mul(-1, b)),
        symbol="−",
        min_args=2,
        max_args=2,
        infix=" - ",
        precedence=ADDITIVE,
        latex="{0} - {1}",
        keeps_integers=True,
        flattens="add",
        partial_size=_constant_size,
    ),
    OpSpec(
        name="mul",
        forward=lambda a, b: a * b,
        partials=lambda out, a, b: (b, a),
        sympy=lambda sp, a, b: sp.Mul(a, b),
        symbol="×",
        min_args=2,
        max_args=2,
        infix=" * ",
        precedence=MULTIPLICATIVE,
        associative=True,
        latex=r"{0} \cdot {1}",
        keeps_integers=True,
        flattens="mul",
        partial_size=_product_size,
    ),
    OpSpec(
        name="div",
        forward=lambda a, b: a / b,
        partials=_div_partials,
        sympy=lambda sp, a, b: sp.Mul(a, sp.Pow(b, -1)),
        symbol="÷",
        min_args=2,
        max_args=2,
        infix=" / ",
        precedence=MULTIPLICATIVE,
        latex=r"\frac{{{0}}}{{{1}}}",
        flattens="mul",
        partial_size=_quotient_size,
        domain="division by zero",
    ),
    OpSpec(
        name="pow",
        forward=_pow,
        partials=_pow_partials,
        sympy=lambda sp, a, b: sp.Pow(a, b),
        # n x^(n-1), not SymPy's n x^n / x: that is 0/0 at x = 0, where the slope is 0 (n > 1)
        sympy_partials=lambda sp, a, b: (b * a ** (b - 1), a**b * sp.log(a)),
        symbol="pow",
        min_args=2,
        max_args=2,
        infix="^",
        spellings=("**",),
        precedence=POWER,
        right_associative=True,
        latex="{0}^{{{1}}}",
        power=True,
        domain="a negative base needs a whole-number exponent, and 0 has no negative power",
        domain_at=_pow_domain,
        steep="x^n has an infinite slope at x = 0 when n < 1, and x^y has no real slope in y "
        "for x <= 0 (it needs ln x)",
        steep_by_arg=(
            "x^n has an infinite slope at x = 0 when 0 < n < 1",
            "x^y has no real slope in the exponent y when x <= 0 (it needs ln x)",
        ),
    ),
    OpSpec(
        name="neg",
        forward=lambda a: -a,
        partials=lambda out, a: (-1.0,),
        sympy=lambda sp, a: sp.Mul(-1, a),
        symbol="−",
        prefix="-",
        precedence=PREFIX,
        latex="-{0}",
        keeps_integers=True,
        flattens="mul",
        partial_size=_constant_size,
    ),
)
