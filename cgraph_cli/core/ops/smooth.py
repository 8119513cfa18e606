"""The smooth functions of the op table: trigonometric, hyperbolic, their inverses, exp and
the logarithms, sqrt, sigmoid, softplus and erf, each with its slope written so that it stays
exact where the textbook formula overflows or cancels."""

from __future__ import annotations

import math

from .spec import OpSpec, unary


def _sigmoid(x: float) -> float:
    """Logistic function, written so that neither branch overflows."""
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    z = math.exp(x)
    return z / (1.0 + z)


def _softplus(x: float) -> float:
    """log(1 + e^x) without overflow for large x."""
    return max(x, 0.0) + math.log1p(math.exp(-abs(x)))


def _atan_slope(x: float) -> float:
    """1/(1 + x^2) without squaring a huge x (1e160^2 overflows; the slope is 1e-320)."""
    if abs(x) <= 1.0:
        return 1.0 / (1.0 + x * x)
    inverse = 1.0 / x
    return inverse * inverse / (1.0 + inverse * inverse)


def _tanh_partials(out: float, x: float) -> tuple[float]:
    """1 - tanh^2 loses everything once tanh rounds to 1 (x > 19); 1/cosh^2 does not."""
    if -1.0 <= x <= 1.0:  # (1 - t)(1 + t) rounds better than 1 - t*t; 1/cosh^2 is 1 ulp off
        return ((1.0 - out) * (1.0 + out),)
    if abs(x) > 355.0:  # cosh^2 past float range: the slope is below 1e-308
        return (0.0,)
    inverse = 1.0 / math.cosh(x)
    return (inverse * inverse,)


def _sigmoid_partials(out: float, x: float) -> tuple[float]:
    """s(1 - s) as s(x) s(-x): 1 - s rounds to 0 for x > 37 while s(-x) is exact."""
    return (out * _sigmoid(-x),)


def _arcsine_slope(x: float) -> float:
    """1/sqrt(1 - x^2) with 1 - x^2 as (1 - x)(1 + x): exact near x = ±1."""
    return 1.0 / math.sqrt((1.0 - x) * (1.0 + x))


def _log(x: float, *base: float) -> float:
    """ln x, or the logarithm to a base: log(x, b) = ln x / ln b."""
    return math.log(x) / math.log(base[0]) if base else math.log(x)


def _log_partials(out: float, x: float, *base: float) -> tuple[float, ...]:
    """d/dx = 1/(x ln b); d/db = -log_b(x)/(b ln b)."""
    if not base:
        return (1.0 / x,)
    ln_b = math.log(base[0])
    return 1.0 / (x * ln_b), -out / (base[0] * ln_b)


_LN2, _LN10 = math.log(2.0), math.log(10.0)

_POSITIVE = "{op} needs a positive argument"
_OUTSIDE = "{op} needs an argument of size at least 1 (x <= -1 or x >= 1)"
_TWO_OVER_ROOT_PI = 2.0 / math.sqrt(math.pi)
_BOUNDED = "{op} needs an argument between -1 and 1"

SMOOTH: tuple[OpSpec, ...] = (
    unary("sin", math.sin, lambda out, x: (math.cos(x),), lambda sp, x: sp.sin(x), command=r"\sin"),
    unary(
        "cos", math.cos, lambda out, x: (-math.sin(x),), lambda sp, x: sp.cos(x), command=r"\cos"
    ),
    unary(
        "tan",
        math.tan,
        lambda out, x: (1.0 + out * out,),
        lambda sp, x: sp.tan(x),
        command=r"\tan",
        partial_in_output=lambda s: 1 + s**2,
    ),
    unary(
        "exp",
        math.exp,
        lambda out, x: (out,),
        lambda sp, x: sp.exp(x),
        command=r"\exp",
        partial_in_output=lambda s: s,
    ),
    OpSpec(
        name="log",
        forward=_log,
        partials=_log_partials,
        sympy=lambda sp, x, *base: sp.log(x, *base),
        symbol="log",
        max_args=2,  # log(x, b) is the logarithm to base b, SymPy's order (`log_b x`)
        latex=r"\log\left({args}\right)",
        domain=_POSITIVE.format(op="log"),  # a base is checked where it is written (log_1)
    ),
    unary(
        "log2",
        math.log2,
        lambda out, x: ((1.0 / x) / _LN2,),
        lambda sp, x: sp.log(x, 2),
        domain=_POSITIVE.format(op="log2"),
    ),
    unary(
        "log10",
        math.log10,
        lambda out, x: ((1.0 / x) / _LN10,),
        lambda sp, x: sp.log(x, 10),
        domain=_POSITIVE.format(op="log10"),
    ),
    unary(
        "sqrt",
        math.sqrt,
        lambda out, x: (0.5 / out,),
        lambda sp, x: sp.sqrt(x),
        latex=r"\sqrt{{{0}}}",
        domain="sqrt needs a non-negative argument",
        steep="sqrt has an infinite slope at 0",
    ),
    unary(
        "tanh",
        math.tanh,
        _tanh_partials,
        lambda sp, x: sp.tanh(x),
        command=r"\tanh",
        partial_in_output=lambda s: 1 - s**2,
    ),
    unary(
        "sigmoid",
        _sigmoid,
        _sigmoid_partials,
        lambda sp, x: 1 / (1 + sp.exp(-x)),
        partial_in_output=lambda s: s * (1 - s),
    ),
    unary(
        "softplus",
        _softplus,
        lambda out, x: (_sigmoid(x),),
        lambda sp, x: sp.log(1 + sp.exp(x)),
    ),
    unary(
        "asin",
        math.asin,
        lambda out, x: (_arcsine_slope(x),),
        lambda sp, x: sp.asin(x),
        domain=_BOUNDED.format(op="asin"),
        steep="asin has an infinite slope at -1 and 1",
    ),
    unary(
        "acos",
        math.acos,
        lambda out, x: (-_arcsine_slope(x),),
        lambda sp, x: sp.acos(x),
        domain=_BOUNDED.format(op="acos"),
        steep="acos has an infinite slope at -1 and 1",
    ),
    unary("atan", math.atan, lambda out, x: (_atan_slope(x),), lambda sp, x: sp.atan(x)),
    unary(
        "sinh",
        math.sinh,
        lambda out, x: (math.cosh(x),),
        lambda sp, x: sp.sinh(x),
        command=r"\sinh",
    ),
    unary(
        "cosh",
        math.cosh,
        lambda out, x: (math.sinh(x),),
        lambda sp, x: sp.cosh(x),
        command=r"\cosh",
    ),
    # the rest of a first-year differentiation chapter: reciprocal trig, their inverses,
    # inverse and reciprocal hyperbolics, the error function (issue 11)
    unary(
        "sec",
        lambda x: 1.0 / math.cos(x),
        lambda out, x: (out * math.tan(x),),
        lambda sp, x: sp.sec(x),
        command=r"\sec",
        domain="sec is undefined where cos x = 0",
    ),
    unary(
        "csc",
        lambda x: 1.0 / math.sin(x),
        lambda out, x: (-out * math.cos(x) / math.sin(x),),
        lambda sp, x: sp.csc(x),
        command=r"\csc",
        domain="csc is undefined where sin x = 0",
    ),
    unary(
        "cot",
        lambda x: math.cos(x) / math.sin(x),
        lambda out, x: (-(1.0 + out * out),),
        lambda sp, x: sp.cot(x),
        command=r"\cot",
        partial_in_output=lambda s: -(1 + s**2),
        domain="cot is undefined where sin x = 0",
    ),
    unary(
        "asec",
        lambda x: math.acos(1.0 / x),
        lambda out, x: (1.0 / (abs(x) * math.sqrt(x * x - 1.0)),),
        lambda sp, x: sp.asec(x),
        domain=_OUTSIDE.format(op="asec"),
        steep="asec has an infinite slope at -1 and 1",
    ),
    unary(
        "acsc",
        lambda x: math.asin(1.0 / x),
        lambda out, x: (-1.0 / (abs(x) * math.sqrt(x * x - 1.0)),),
        lambda sp, x: sp.acsc(x),
        domain=_OUTSIDE.format(op="acsc"),
        steep="acsc has an infinite slope at -1 and 1",
    ),
    unary(
        "acot",
        lambda x: math.atan(1.0 / x) if x else math.pi / 2,  # SymPy's: atan(1/x), pi/2 at 0
        lambda out, x: (-1.0 / (1.0 + x * x),),
        lambda sp, x: sp.acot(x),
    ),
    unary(
        "asinh",
        math.asinh,
        lambda out, x: (1.0 / math.sqrt(1.0 + x * x),),
        lambda sp, x: sp.asinh(x),
    ),
    unary(
        "acosh",
        math.acosh,
        lambda out, x: (1.0 / math.sqrt(x * x - 1.0),),
        lambda sp, x: sp.acosh(x),
        domain="acosh needs an argument of at least 1",
        steep="acosh has an infinite slope at 1",
    ),
    unary(
        "atanh",
        math.atanh,
        lambda out, x: (1.0 / (1.0 - x * x),),
        lambda sp, x: sp.atanh(x),
        domain="atanh needs an argument strictly between -1 and 1",
    ),
    unary(
        "sech",
        lambda x: 1.0 / math.cosh(x),
        lambda out, x: (-out * math.tanh(x),),
        lambda sp, x: sp.sech(x),
    ),
    unary(
        "csch",
        lambda x: 1.0 / math.sinh(x),
        lambda out, x: (-out / math.tanh(x),),
        lambda sp, x: sp.csch(x),
        domain="csch is undefined at 0",
    ),
    unary(
        "coth",
        lambda x: 1.0 / math.tanh(x),
        lambda out, x: (1.0 - out * out,),
        lambda sp, x: sp.coth(x),
        partial_in_output=lambda s: 1 - s**2,
        domain="coth is undefined at 0",
    ),
    unary(
        "asech",
        lambda x: math.acosh(1.0 / x),
        lambda out, x: (-1.0 / (x * math.sqrt(1.0 - x * x)),),
        lambda sp, x: sp.asech(x),
        domain="asech needs an argument in (0, 1]",
        steep="asech has an infinite slope at 1",
    ),
    unary(
        "acsch",
        lambda x: math.asinh(1.0 / x),
        lambda out, x: (-1.0 / (abs(x) * math.sqrt(1.0 + x * x)),),
        lambda sp, x: sp.acsch(x),
        domain="acsch is undefined at 0",
    ),
    unary(
        "acoth",
        lambda x: math.atanh(1.0 / x),
        lambda out, x: (1.0 / (1.0 - x * x),),
        lambda sp, x: sp.acoth(x),
        domain="acoth needs an argument outside [-1, 1]",
    ),
    unary(
        "erf",
        math.erf,
        lambda out, x: (_TWO_OVER_ROOT_PI * math.exp(-x * x),),
        lambda sp, x: sp.erf(x),
    ),
    unary(
        "erfc",
        math.erfc,
        lambda out, x: (-_TWO_OVER_ROOT_PI * math.exp(-x * x),),
        lambda sp, x: sp.erfc(x),
    ),
)
