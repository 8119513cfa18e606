"""The op table: every operation cgraph knows, one entry each, holding every fact about it.

An entry says how to compute the op on floats, its local partial derivatives (given the output,
so `exp`, `tanh` and `sigmoid` reuse it), its SymPy form and symbolic partials (handed the
`sympy` module, so this module never imports SymPy), how it is written (infix spelling,
precedence, associativity, LaTeX, picture label), its domain, and where it has a kink.
Adding an op is adding one entry here (and a row of sample points in tests/test_ops.py): the
parser, the printers, the symbolic sweep and the pictures all read the table.

Conventions at non-differentiable points follow PyTorch: relu'(0) = 0, abs'(0) = 0,
leaky_relu'(0) = alpha, and a max/min tie splits the gradient equally among the tied inputs.
The symbolic partials say the same, for any number of arguments (`_route_partials`), written
with `heaviside(t, h0)` (h0 is the value at t = 0) so they read back as cgraph text.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

Partials = Callable[..., tuple[float, ...]]

# Field defaults live outside the class: with slots=True, `OpSpec.steep` is a slot descriptor,
# not the string (a default taken from it printed `<member 'steep' of 'OpSpec' objects>`).
DEFAULT_DOMAIN = "the result is not a finite real number"
DEFAULT_STEEP = "its slope is infinite here"

# Binding strengths, loosest first; the parser and every printer read them from the entries.
ADDITIVE, MULTIPLICATIVE, PREFIX, POWER, ATOM = 1, 2, 3, 4, 9


@dataclass(frozen=True, slots=True, kw_only=True)
class OpSpec:
    """One operation: arithmetic, symbolic form, spelling, printing and domain."""

    name: str  # the op's name in JSON, tables and function calls ("add", "sin")
    forward: Callable[..., float]  # forward(*args) -> value
    partials: Partials  # partials(out, *args) -> d out / d arg, one per arg
    sympy: Callable[..., Any]  # sympy(sp, *args) -> SymPy expression
    # sympy_partials(sp, *args) -> one SymPy partial per arg, where differentiating `sympy`
    # would break a convention (kinks) or leave the language (DiracDelta); None: differentiate
    sympy_partials: Callable[..., tuple[Any, ...]] | None = None
    # the local partial written in the op's own output s, as textbooks do (tanh' = 1 - s^2)
    partial_in_output: Callable[[Any], Any] | None = None
    symbol: str  # the picture label ("+", "×", "sin")
    min_args: int = 1
    max_args: int | None = 1  # None: any number (max, min)
    infix: str | None = None  # a binary operator as printed (" + ", "^"); the token is stripped
    spellings: tuple[str, ...] = ()  # other tokens for the same operator ("**" for ^)
    prefix: str | None = None  # a unary operator written before its operand ("-")
    precedence: int = ATOM  # binding strength (ADDITIVE ... POWER); functions are atoms
    right_associative: bool = False  # 2^3^2 = 2^(3^2)
    associative: bool = False  # a + (b + c) may print as a + b + c
    latex: str = ""  # format string over {0}, {1} or {args}; "" is \operatorname{name}(...)
    power: bool = False  # base^exponent: exact forms bound its digits by the exponent
    keeps_integers: bool = False  # integer arguments give integer values and partials
    flattens: str | None = None  # "add"/"mul": SymPy merges nested ones (depth estimates)
    # size of the local partial given the argument sizes (the symbolic size estimate);
    # None: about as big as all the arguments together
    partial_size: Callable[[int, Sequence[int]], int] | None = None
    domain: str = DEFAULT_DOMAIN  # said on a domain error
    steep: str = DEFAULT_STEEP  # said when a partial cannot be computed
    kink: Callable[..., str | None] | None = None  # kink(*args) -> a note at a kink, else None

    @property
    def operator(self) -> str | None:
        """The operator token as typed (`+`, `^`), for an infix or prefix op."""
        if self.infix is not None:
            return self.infix.strip()
        return self.prefix


# --- float helpers that keep the table one line per op -------------------------------------


def _sigmoid(x: float) -> float:
    """Logistic function, written so that neither branch overflows."""
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    z = math.exp(x)
    return z / (1.0 + z)


def _softplus(x: float) -> float:
    """log(1 + e^x) without overflow for large x."""
    return max(x, 0.0) + math.log1p(math.exp(-abs(x)))


def _pow(base: float, exponent: float) -> float:
    """Real power; math.pow raises on a negative base with a fractional exponent and on 0^-1."""
    return math.pow(base, exponent)


def _pow_partials(out: float, base: float, exponent: float) -> tuple[float, float]:
    """d/dbase = n x^(n-1); d/dexponent = x^n ln x (undefined for a base <= 0: NaN)."""
    d_base = 0.0 if exponent == 0 else _power_slope(base, exponent)
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


def _div_partials(out: float, a: float, b: float) -> tuple[float, float]:
    """d(a/b)/da = 1/b, d(a/b)/db = -(a/b)/b: the quotient first, as PyTorch does, since
    a/(b*b) overflows b*b long before the result (exp(400)/(exp(400)+exp(400)))."""
    return 1.0 / b, -(out / b)


def _atan_slope(x: float) -> float:
    """1/(1 + x^2) without squaring a huge x (1e160^2 overflows; the slope is 1e-320)."""
    if abs(x) <= 1.0:
        return 1.0 / (1.0 + x * x)
    inverse = 1.0 / x
    return inverse * inverse / (1.0 + inverse * inverse)


def _tanh_slope(out: float, x: float) -> float:
    """1 - tanh^2 loses everything once tanh rounds to 1 (x > 19); 1/cosh^2 does not."""
    if abs(x) <= 1.0:  # (1 - t)(1 + t) rounds better than 1 - t*t, and 1/cosh^2 is 1 ulp off
        return (1.0 - out) * (1.0 + out)
    if abs(x) > 355.0:  # cosh^2 past float range: the slope is below 1e-308
        return 0.0
    inverse = 1.0 / math.cosh(x)
    return inverse * inverse


def _sigmoid_slope(out: float, x: float) -> float:
    """s(1 - s) as s(x) s(-x): 1 - s rounds to 0 for x > 37 while s(-x) is exact."""
    return out * _sigmoid(-x)


def _arcsine_slope(x: float) -> float:
    """1/sqrt(1 - x^2) with 1 - x^2 as (1 - x)(1 + x): exact near x = ±1."""
    return 1.0 / math.sqrt((1.0 - x) * (1.0 + x))


def _route(out: float, args: tuple[float, ...]) -> tuple[float, ...]:
    """max/min: the gradient goes to the winner; a tie splits it equally (PyTorch)."""
    winners = sum(1 for a in args if a == out)
    return tuple(1.0 / winners if a == out else 0.0 for a in args)


def _route_partials(best: str) -> Callable[..., tuple[Any, ...]]:
    """The same rule in symbols, for any number of arguments: argument i gets
    [a_i wins] / (number of winners), where a_i wins when it is at least the best of the
    others. Two arguments: heaviside(a - b, 1/2), a half each at a tie."""
    direction = 1 if best == "Max" else -1

    def partials(sp: Any, *args: Any) -> tuple[Any, ...]:
        if len(args) == 2:
            a, b = args
            half = sp.Rational(1, 2)
            return sp.Heaviside(direction * (a - b), half), sp.Heaviside(direction * (b - a), half)
        pick = getattr(sp, best)
        wins = [
            sp.Heaviside(direction * (a - pick(*args[:i], *args[i + 1 :])), 1)
            for i, a in enumerate(args)
        ]
        share = 1 / sp.Add(*wins)
        return tuple(win * share for win in wins)

    return partials


def _kink_at_zero(op: str, convention: str) -> Callable[..., str | None]:
    def kink(x: float, *_: float) -> str | None:
        return (
            f"{op} is not differentiable at 0; the gradient is taken as {convention}"
            if (x == 0)
            else None
        )

    return kink


def _tie(op: str) -> Callable[..., str | None]:
    def kink(*args: float) -> str | None:
        best = max(args) if op == "max" else min(args)
        tied = sum(1 for a in args if a == best)
        if tied < 2:
            return None
        return (
            f"{op} has a tie ({tied} inputs equal {best:g}); the gradient is split equally, "
            f"1/{tied} to each (PyTorch's convention)"
        )

    return kink


def _sign(x: float) -> float:
    return 1.0 if x > 0 else -1.0 if x < 0 else x  # x: 0.0, -0.0 or NaN


def _heaviside(x: float, at_zero: float) -> float:
    """numpy.heaviside: 0 below 0, 1 above, `at_zero` at 0 (how kinked derivatives print)."""
    return at_zero if x == 0 else 1.0 if x > 0 else 0.0 if x < 0 else x


def _jump(op: str) -> Callable[..., str | None]:
    def kink(x: float, *_: float) -> str | None:
        return f"{op} jumps at 0; its slope there is taken as 0" if x == 0 else None

    return kink


def _log(x: float, *base: float) -> float:
    """ln x, or the logarithm to a base: log(x, b) = ln x / ln b."""
    return math.log(x) / math.log(base[0]) if base else math.log(x)


def _log_partials(out: float, x: float, *base: float) -> tuple[float, ...]:
    """d/dx = 1/(x ln b); d/db = -log_b(x)/(b ln b)."""
    if not base:
        return (1.0 / x,)
    ln_b = math.log(base[0])
    return 1.0 / (x * ln_b), -out / (base[0] * ln_b)


def _leaky_relu(x: float, alpha: float = 0.01) -> float:
    return x if x > 0 else alpha * x


def _leaky_relu_partials(out: float, x: float, *alpha: float) -> tuple[float, ...]:
    """One partial per argument given: alpha is optional (default 0.01)."""
    slope = 1.0 if x > 0 else (alpha[0] if alpha else 0.01)
    return (slope, 0.0 if x > 0 else x) if alpha else (slope,)


def _leaky_relu_sympy(sp: Any, x: Any, *alpha: Any) -> Any:
    slope = alpha[0] if alpha else sp.Rational(1, 100)
    return sp.Max(x, 0) + slope * sp.Min(x, 0)  # x above 0, slope * x at and below it


def _leaky_relu_sympy_partials(sp: Any, x: Any, *alpha: Any) -> tuple[Any, ...]:
    """slope 1 for x > 0, alpha at and below 0 (PyTorch); d/dalpha = min(x, 0)."""
    slope = alpha[0] if alpha else sp.Rational(1, 100)
    d_x = slope + (1 - slope) * sp.Heaviside(x, 0)
    return (d_x, sp.Min(x, 0)) if alpha else (d_x,)


def _function(
    name: str,
    forward: Callable[[float], float],
    derivative: Callable[[float, float], float],
    sympy: Callable[..., Any],
    *,
    command: str = "",
    latex: str = "",
    **facts: Any,
) -> OpSpec:
    """A one-argument function op; derivative(out, x) is its slope. `command` names its LaTeX
    command (`\\sin`) where there is one; the others print as \\operatorname{name}, unless
    a whole `latex` template is given."""
    return OpSpec(
        name=name,
        forward=forward,
        partials=lambda out, x: (derivative(out, x),),
        sympy=sympy,
        symbol=name,
        latex=latex or (_braces(command) + r"\left({args}\right)" if command else ""),
        **facts,
    )


def _braces(text: str) -> str:
    """Literal text inside a format template: its braces doubled (`\\operatorname{erf}`)."""
    return text.replace("{", "{{").replace("}", "}}")


def _product_size(position: int, sizes: Sequence[int]) -> int:
    return sizes[1 - position]  # d(ab)/da = b


def _quotient_size(position: int, sizes: Sequence[int]) -> int:
    return 1 + sizes[1] if position == 0 else 2 + sizes[0] + sizes[1]  # 1/b, -a/b^2


def _constant_size(position: int, sizes: Sequence[int]) -> int:
    return 0  # +1 or -1: nothing to multiply


_LN2, _LN10 = math.log(2.0), math.log(10.0)

_POSITIVE = "{op} needs a positive argument"
_OUTSIDE = "{op} needs an argument of size at least 1 (x <= -1 or x >= 1)"
_TWO_OVER_ROOT_PI = 2.0 / math.sqrt(math.pi)
_BOUNDED = "{op} needs an argument between -1 and 1"

_TABLE: tuple[OpSpec, ...] = (
    # binary arithmetic: written infix
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
        steep="x^n has an infinite slope at x = 0 when n < 1, and x^y has no real slope in y "
        "for x <= 0 (it needs ln x)",
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
    # functions
    _function(
        "sin", math.sin, lambda out, x: math.cos(x), lambda sp, x: sp.sin(x), command=r"\sin"
    ),
    _function(
        "cos", math.cos, lambda out, x: -math.sin(x), lambda sp, x: sp.cos(x), command=r"\cos"
    ),
    _function(
        "tan",
        math.tan,
        lambda out, x: 1.0 + out * out,
        lambda sp, x: sp.tan(x),
        command=r"\tan",
        partial_in_output=lambda s: 1 + s**2,
    ),
    _function(
        "exp",
        math.exp,
        lambda out, x: out,
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
    _function(
        "log2",
        math.log2,
        lambda out, x: (1.0 / x) / _LN2,
        lambda sp, x: sp.log(x, 2),
        domain=_POSITIVE.format(op="log2"),
    ),
    _function(
        "log10",
        math.log10,
        lambda out, x: (1.0 / x) / _LN10,
        lambda sp, x: sp.log(x, 10),
        domain=_POSITIVE.format(op="log10"),
    ),
    _function(
        "sqrt",
        math.sqrt,
        lambda out, x: 0.5 / out,
        lambda sp, x: sp.sqrt(x),
        latex=r"\sqrt{{{0}}}",
        domain="sqrt needs a non-negative argument",
        steep="sqrt has an infinite slope at 0",
    ),
    _function(
        "abs",
        abs,
        lambda out, x: 1.0 if x > 0 else -1.0 if x < 0 else 0.0,
        lambda sp, x: sp.Abs(x),
        sympy_partials=lambda sp, x: (sp.sign(x),),  # sign(0) = 0: abs'(0) = 0
        latex=r"\left|{0}\right|",
        keeps_integers=True,
        kink=_kink_at_zero("abs", "0"),
    ),
    _function(
        "tanh",
        math.tanh,
        _tanh_slope,
        lambda sp, x: sp.tanh(x),
        command=r"\tanh",
        partial_in_output=lambda s: 1 - s**2,
    ),
    _function(
        "sigmoid",
        _sigmoid,
        _sigmoid_slope,
        lambda sp, x: 1 / (1 + sp.exp(-x)),
        partial_in_output=lambda s: s * (1 - s),
    ),
    _function(
        "relu",
        lambda x: x if x > 0 else 0.0,
        lambda out, x: 1.0 if x > 0 else 0.0,
        lambda sp, x: sp.Max(0, x),
        sympy_partials=lambda sp, x: (sp.Heaviside(x, 0),),  # relu'(0) = 0
        keeps_integers=True,
        kink=_kink_at_zero("relu", "0"),
    ),
    _function(
        "softplus",
        _softplus,
        lambda out, x: _sigmoid(x),
        lambda sp, x: sp.log(1 + sp.exp(x)),
    ),
    _function(
        "asin",
        math.asin,
        lambda out, x: _arcsine_slope(x),
        lambda sp, x: sp.asin(x),
        domain=_BOUNDED.format(op="asin"),
        steep="asin has an infinite slope at -1 and 1",
    ),
    _function(
        "acos",
        math.acos,
        lambda out, x: -_arcsine_slope(x),
        lambda sp, x: sp.acos(x),
        domain=_BOUNDED.format(op="acos"),
        steep="acos has an infinite slope at -1 and 1",
    ),
    _function("atan", math.atan, lambda out, x: _atan_slope(x), lambda sp, x: sp.atan(x)),
    _function(
        "sinh", math.sinh, lambda out, x: math.cosh(x), lambda sp, x: sp.sinh(x), command=r"\sinh"
    ),
    _function(
        "cosh", math.cosh, lambda out, x: math.sinh(x), lambda sp, x: sp.cosh(x), command=r"\cosh"
    ),
    # the rest of a first-year differentiation chapter: reciprocal trig, their inverses,
    # inverse and reciprocal hyperbolics, the error function (issue 11)
    _function(
        "sec",
        lambda x: 1.0 / math.cos(x),
        lambda out, x: out * math.tan(x),
        lambda sp, x: sp.sec(x),
        command=r"\sec",
        domain="sec is undefined where cos x = 0",
    ),
    _function(
        "csc",
        lambda x: 1.0 / math.sin(x),
        lambda out, x: -out * math.cos(x) / math.sin(x),
        lambda sp, x: sp.csc(x),
        command=r"\csc",
        domain="csc is undefined where sin x = 0",
    ),
    _function(
        "cot",
        lambda x: math.cos(x) / math.sin(x),
        lambda out, x: -(1.0 + out * out),
        lambda sp, x: sp.cot(x),
        command=r"\cot",
        partial_in_output=lambda s: -(1 + s**2),
        domain="cot is undefined where sin x = 0",
    ),
    _function(
        "asec",
        lambda x: math.acos(1.0 / x),
        lambda out, x: 1.0 / (abs(x) * math.sqrt(x * x - 1.0)),
        lambda sp, x: sp.asec(x),
        domain=_OUTSIDE.format(op="asec"),
        steep="asec has an infinite slope at -1 and 1",
    ),
    _function(
        "acsc",
        lambda x: math.asin(1.0 / x),
        lambda out, x: -1.0 / (abs(x) * math.sqrt(x * x - 1.0)),
        lambda sp, x: sp.acsc(x),
        domain=_OUTSIDE.format(op="acsc"),
        steep="acsc has an infinite slope at -1 and 1",
    ),
    _function(
        "acot",
        lambda x: math.atan(1.0 / x) if x else math.pi / 2,  # SymPy's: atan(1/x), pi/2 at 0
        lambda out, x: -1.0 / (1.0 + x * x),
        lambda sp, x: sp.acot(x),
    ),
    _function(
        "asinh", math.asinh, lambda out, x: 1.0 / math.sqrt(1.0 + x * x), lambda sp, x: sp.asinh(x)
    ),
    _function(
        "acosh",
        math.acosh,
        lambda out, x: 1.0 / math.sqrt(x * x - 1.0),
        lambda sp, x: sp.acosh(x),
        domain="acosh needs an argument of at least 1",
        steep="acosh has an infinite slope at 1",
    ),
    _function(
        "atanh",
        math.atanh,
        lambda out, x: 1.0 / (1.0 - x * x),
        lambda sp, x: sp.atanh(x),
        domain="atanh needs an argument strictly between -1 and 1",
    ),
    _function(
        "sech",
        lambda x: 1.0 / math.cosh(x),
        lambda out, x: -out * math.tanh(x),
        lambda sp, x: sp.sech(x),
    ),
    _function(
        "csch",
        lambda x: 1.0 / math.sinh(x),
        lambda out, x: -out / math.tanh(x),
        lambda sp, x: sp.csch(x),
        domain="csch is undefined at 0",
    ),
    _function(
        "coth",
        lambda x: 1.0 / math.tanh(x),
        lambda out, x: 1.0 - out * out,
        lambda sp, x: sp.coth(x),
        partial_in_output=lambda s: 1 - s**2,
        domain="coth is undefined at 0",
    ),
    _function(
        "asech",
        lambda x: math.acosh(1.0 / x),
        lambda out, x: -1.0 / (x * math.sqrt(1.0 - x * x)),
        lambda sp, x: sp.asech(x),
        domain="asech needs an argument in (0, 1]",
        steep="asech has an infinite slope at 1",
    ),
    _function(
        "acsch",
        lambda x: math.asinh(1.0 / x),
        lambda out, x: -1.0 / (abs(x) * math.sqrt(1.0 + x * x)),
        lambda sp, x: sp.acsch(x),
        domain="acsch is undefined at 0",
    ),
    _function(
        "acoth",
        lambda x: math.atanh(1.0 / x),
        lambda out, x: 1.0 / (1.0 - x * x),
        lambda sp, x: sp.acoth(x),
        domain="acoth needs an argument outside [-1, 1]",
    ),
    _function(
        "erf",
        math.erf,
        lambda out, x: _TWO_OVER_ROOT_PI * math.exp(-x * x),
        lambda sp, x: sp.erf(x),
    ),
    _function(
        "erfc",
        math.erfc,
        lambda out, x: -_TWO_OVER_ROOT_PI * math.exp(-x * x),
        lambda sp, x: sp.erfc(x),
    ),
    # steps: what the derivatives of kinked ops are written with
    _function(
        "sign",
        _sign,
        lambda out, x: 0.0,
        lambda sp, x: sp.sign(x),
        sympy_partials=lambda sp, x: (sp.Integer(0),),
        keeps_integers=True,
        kink=_jump("sign"),
    ),
    OpSpec(
        name="heaviside",
        forward=_heaviside,
        partials=lambda out, x, at_zero: (0.0, 1.0 if x == 0 else 0.0),
        sympy=lambda sp, x, at_zero: sp.Heaviside(x, at_zero),
        # d/d at_zero is [x = 0] = heaviside(x, 1) heaviside(-x, 1)
        sympy_partials=lambda sp, x, at_zero: (
            sp.Integer(0),
            sp.Heaviside(x, 1) * sp.Heaviside(-x, 1),
        ),
        symbol="heaviside",
        min_args=2,
        max_args=2,
        keeps_integers=True,
        kink=_jump("heaviside"),
    ),
    OpSpec(
        name="leaky_relu",
        forward=_leaky_relu,
        partials=_leaky_relu_partials,
        sympy=_leaky_relu_sympy,
        sympy_partials=_leaky_relu_sympy_partials,
        symbol="leaky_relu",
        min_args=1,
        max_args=2,
        kink=_kink_at_zero("leaky_relu", "alpha"),
    ),
    OpSpec(
        name="max",
        forward=max,
        partials=lambda out, *xs: _route(out, xs),
        sympy=lambda sp, *xs: sp.Max(*xs),
        sympy_partials=_route_partials("Max"),
        symbol="max",
        min_args=2,
        max_args=None,
        kink=_tie("max"),
    ),
    OpSpec(
        name="min",
        forward=min,
        partials=lambda out, *xs: _route(out, xs),
        sympy=lambda sp, *xs: sp.Min(*xs),
        sympy_partials=_route_partials("Min"),
        symbol="min",
        min_args=2,
        max_args=None,
        kink=_tie("min"),
    ),
)

OPS: dict[str, OpSpec] = {spec.name: spec for spec in _TABLE}

# Operators as typed, and function names as typed (aliases included), read off the table.
BINARY_OPERATORS: dict[str, str] = {
    token: spec.name
    for spec in _TABLE
    if spec.infix is not None
    for token in (spec.infix.strip(), *spec.spellings)
}
PREFIX_OPERATORS: dict[str, str] = {
    spec.prefix: spec.name for spec in _TABLE if spec.prefix is not None
}
# Other names for the same function, as textbooks and other countries write them.
SPELLINGS = {
    **{f"arc{name}": f"a{name}" for name in ("sin", "cos", "tan", "sec", "csc", "cot")},
    **{
        f"{prefix}{name}": f"a{name}"
        for prefix in ("ar", "arc")
        for name in ("sinh", "cosh", "tanh", "sech", "csch", "coth")
    },
    "cosec": "csc",
    "arccosec": "acsc",
    "tg": "tan",
    "ctg": "cot",
    "arctg": "atan",
    "arcctg": "acot",
    "sgn": "sign",
}
FUNCTIONS: dict[str, str] = {
    **{spec.name: spec.name for spec in _TABLE if spec.infix is None and spec.prefix is None},
    "ln": "log",
    "pow": "pow",
    **SPELLINGS,
}
CONSTANTS: dict[str, float] = {"pi": math.pi, "e": math.e}


def op(name: str) -> OpSpec:
    """The spec of an op; a missing one is a bug that names the op."""
    try:
        return OPS[name]
    except KeyError:
        raise KeyError(f"no rule for op {name!r}: add an entry to cgraph_cli/core/ops.py") from None


def arity_text(spec: OpSpec) -> str:
    """'1 argument', '2 arguments', '1 or 2 arguments', 'at least 2 arguments'."""
    lo, hi = spec.min_args, spec.max_args
    if hi is None:
        return f"at least {lo} arguments"
    if lo == hi:
        return f"{lo} argument" + ("s" if lo != 1 else "")
    return f"{lo} or {hi} arguments"


# --- writing an op applied to written arguments ----------------------------------------------


def write(spec: OpSpec, parts: Sequence[tuple[str, int]]) -> tuple[str, int]:
    """The op applied to its arguments in cgraph text, each argument given as (text, binding
    strength); parentheses go where the parser would otherwise group differently. Returns
    the text and its own binding strength."""
    prec = spec.precedence
    if spec.infix is not None:
        (left, lp), (right, rp) = parts
        if lp < prec or (spec.right_associative and lp == prec):
            left = f"({left})"
        if rp < prec or (rp == prec and not spec.right_associative and not spec.associative):
            right = f"({right})"
        return f"{left}{spec.infix}{right}", prec
    if spec.prefix is not None:
        ((arg, ap),) = parts
        return (f"{spec.prefix}{arg}" if ap > prec else f"{spec.prefix}({arg})"), prec
    return f"{spec.name}({', '.join(text for text, _ in parts)})", ATOM


def write_latex(spec: OpSpec, parts: Sequence[str]) -> str:
    """The op applied to LaTeX arguments (already bracketed where they need it)."""
    name = spec.name.replace("_", "\\_")
    template = spec.latex or (_braces(rf"\operatorname{{{name}}}") + r"\left({args}\right)")
    return template.format(*parts, args=", ".join(parts))
