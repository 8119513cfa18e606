"""The op table: every operation cgraph knows, one entry each.

An entry says how to compute the op on floats, its local partial derivatives (given the output,
so `exp`, `tanh` and `sigmoid` reuse it), its SymPy form (handed the `sympy` module, so this
module never imports SymPy), how to print it, what its domain is, and where it has a kink.
Adding an op is adding one entry here.

Conventions at non-differentiable points follow PyTorch: relu'(0) = 0, abs'(0) = 0,
leaky_relu'(0) = alpha, and a max/min tie splits the gradient equally among the tied inputs.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Partials = Callable[..., tuple[float, ...]]

# Field defaults live outside the class: with slots=True, `OpSpec.steep` is a slot descriptor,
# not the string (a default taken from it printed `<member 'steep' of 'OpSpec' objects>`).
DEFAULT_DOMAIN = "the result is not a finite real number"
DEFAULT_STEEP = "its slope is infinite here"


@dataclass(frozen=True, slots=True)
class OpSpec:
    """One operation: arithmetic, printing, symbolic form and domain."""

    name: str  # the op's name in JSON and tables ("add", "sin")
    forward: Callable[..., float]  # forward(*args) -> value
    partials: Partials  # partials(out, *args) -> d out / d arg, one per arg
    sympy: Callable[..., Any]  # sympy(sp, *args) -> SymPy expression
    symbol: str  # short label for pictures ("+", "×", "sin")
    min_args: int = 1
    max_args: int | None = 1  # None: any number (max, min)
    infix: str | None = None  # how a binary op is written in text (" + ", "^")
    precedence: int = 9  # binding strength when printed: 1 + -, 2 * /, 3 unary, 4 ^, 9 atom
    domain: str = DEFAULT_DOMAIN  # said on a domain error
    steep: str = DEFAULT_STEEP  # said when a partial cannot be computed
    kink: Callable[..., str | None] | None = None  # kink(*args) -> a note at a kink, else None


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
    d_base = 0.0 if exponent == 0 else exponent * math.pow(base, exponent - 1)
    if base > 0:
        d_exponent = out * math.log(base)
    elif base == 0 and exponent > 0:
        d_exponent = 0.0
    else:
        d_exponent = math.nan  # matters only when the exponent depends on an input
    return d_base, d_exponent


def _route(out: float, args: tuple[float, ...]) -> tuple[float, ...]:
    """max/min: the gradient goes to the winner; a tie splits it equally (PyTorch)."""
    winners = sum(1 for a in args if a == out)
    return tuple(1.0 / winners if a == out else 0.0 for a in args)


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


def _leaky_relu(x: float, alpha: float = 0.01) -> float:
    return x if x > 0 else alpha * x


def _leaky_relu_partials(out: float, x: float, *alpha: float) -> tuple[float, ...]:
    """One partial per argument given: alpha is optional (default 0.01)."""
    slope = 1.0 if x > 0 else (alpha[0] if alpha else 0.01)
    return (slope, 0.0 if x > 0 else x) if alpha else (slope,)


def _leaky_relu_sympy(sp: Any, x: Any, *alpha: Any) -> Any:
    slope = alpha[0] if alpha else sp.Rational(1, 100)
    return sp.Piecewise((x, x > 0), (slope * x, True))


def _unary(
    name: str,
    forward: Callable[[float], float],
    derivative: Callable[[float, float], float],
    sympy: Callable[..., Any],
    domain: str = DEFAULT_DOMAIN,
    steep: str = DEFAULT_STEEP,
    kink: Callable[..., str | None] | None = None,
) -> OpSpec:
    """A one-argument function op; derivative(out, x) is its slope."""
    return OpSpec(
        name,
        forward,
        lambda out, x: (derivative(out, x),),
        sympy,
        name,
        domain=domain,
        steep=steep,
        kink=kink,
    )


_LN2, _LN10 = math.log(2.0), math.log(10.0)

_POSITIVE = "{op} needs a positive argument"
_BOUNDED = "{op} needs an argument between -1 and 1"

_TABLE: tuple[OpSpec, ...] = (
    # binary arithmetic: written infix
    OpSpec(
        "add",
        lambda a, b: a + b,
        lambda out, a, b: (1.0, 1.0),
        lambda sp, a, b: sp.Add(a, b),
        "+",
        2,
        2,
        " + ",
        1,
    ),
    OpSpec(
        "sub",
        lambda a, b: a - b,
        lambda out, a, b: (1.0, -1.0),
        lambda sp, a, b: sp.Add(a, sp.Mul(-1, b)),
        "−",
        2,
        2,
        " - ",
        1,
    ),
    OpSpec(
        "mul",
        lambda a, b: a * b,
        lambda out, a, b: (b, a),
        lambda sp, a, b: sp.Mul(a, b),
        "×",
        2,
        2,
        " * ",
        2,
    ),
    OpSpec(
        "div",
        lambda a, b: a / b,
        lambda out, a, b: (1.0 / b, -a / (b * b)),
        lambda sp, a, b: sp.Mul(a, sp.Pow(b, -1)),
        "÷",
        2,
        2,
        " / ",
        2,
        domain="division by zero",
    ),
    OpSpec(
        "pow",
        _pow,
        _pow_partials,
        lambda sp, a, b: sp.Pow(a, b),
        "pow",
        2,
        2,
        "^",
        4,
        domain="a negative base needs a whole-number exponent, and 0 has no negative power",
        steep="x^n has an infinite slope at x = 0 when n < 1, and x^y has no real slope in y "
        "for x <= 0 (it needs ln x)",
    ),
    OpSpec(
        "neg", lambda a: -a, lambda out, a: (-1.0,), lambda sp, a: sp.Mul(-1, a), "−", precedence=3
    ),
    # functions
    _unary("sin", math.sin, lambda out, x: math.cos(x), lambda sp, x: sp.sin(x)),
    _unary("cos", math.cos, lambda out, x: -math.sin(x), lambda sp, x: sp.cos(x)),
    _unary("tan", math.tan, lambda out, x: 1.0 + out * out, lambda sp, x: sp.tan(x)),
    _unary("exp", math.exp, lambda out, x: out, lambda sp, x: sp.exp(x)),
    _unary(
        "log",
        math.log,
        lambda out, x: 1.0 / x,
        lambda sp, x: sp.log(x),
        domain=_POSITIVE.format(op="log"),
    ),
    _unary(
        "log2",
        math.log2,
        lambda out, x: 1.0 / (x * _LN2),
        lambda sp, x: sp.log(x, 2),
        domain=_POSITIVE.format(op="log2"),
    ),
    _unary(
        "log10",
        math.log10,
        lambda out, x: 1.0 / (x * _LN10),
        lambda sp, x: sp.log(x, 10),
        domain=_POSITIVE.format(op="log10"),
    ),
    _unary(
        "sqrt",
        math.sqrt,
        lambda out, x: 0.5 / out,
        lambda sp, x: sp.sqrt(x),
        domain="sqrt needs a non-negative argument",
        steep="sqrt has an infinite slope at 0",
    ),
    _unary(
        "abs",
        abs,
        lambda out, x: 1.0 if x > 0 else -1.0 if x < 0 else 0.0,
        lambda sp, x: sp.Abs(x),
        kink=_kink_at_zero("abs", "0"),
    ),
    _unary("tanh", math.tanh, lambda out, x: 1.0 - out * out, lambda sp, x: sp.tanh(x)),
    _unary(
        "sigmoid", _sigmoid, lambda out, x: out * (1.0 - out), lambda sp, x: 1 / (1 + sp.exp(-x))
    ),
    _unary(
        "relu",
        lambda x: x if x > 0 else 0.0,
        lambda out, x: 1.0 if x > 0 else 0.0,
        lambda sp, x: sp.Max(0, x),
        kink=_kink_at_zero("relu", "0"),
    ),
    _unary("softplus", _softplus, lambda out, x: _sigmoid(x), lambda sp, x: sp.log(1 + sp.exp(x))),
    _unary(
        "asin",
        math.asin,
        lambda out, x: 1.0 / math.sqrt(1.0 - x * x),
        lambda sp, x: sp.asin(x),
        domain=_BOUNDED.format(op="asin"),
        steep="asin has an infinite slope at -1 and 1",
    ),
    _unary(
        "acos",
        math.acos,
        lambda out, x: -1.0 / math.sqrt(1.0 - x * x),
        lambda sp, x: sp.acos(x),
        domain=_BOUNDED.format(op="acos"),
        steep="acos has an infinite slope at -1 and 1",
    ),
    _unary("atan", math.atan, lambda out, x: 1.0 / (1.0 + x * x), lambda sp, x: sp.atan(x)),
    _unary("sinh", math.sinh, lambda out, x: math.cosh(x), lambda sp, x: sp.sinh(x)),
    _unary("cosh", math.cosh, lambda out, x: math.sinh(x), lambda sp, x: sp.cosh(x)),
    OpSpec(
        "leaky_relu",
        _leaky_relu,
        _leaky_relu_partials,
        _leaky_relu_sympy,
        "leaky_relu",
        1,
        2,
        kink=_kink_at_zero("leaky_relu", "alpha"),
    ),
    OpSpec(
        "max",
        max,
        lambda out, *xs: _route(out, xs),
        lambda sp, *xs: sp.Max(*xs),
        "max",
        2,
        None,
        kink=_tie("max"),
    ),
    OpSpec(
        "min",
        min,
        lambda out, *xs: _route(out, xs),
        lambda sp, *xs: sp.Min(*xs),
        "min",
        2,
        None,
        kink=_tie("min"),
    ),
)

OPS: dict[str, OpSpec] = {spec.name: spec for spec in _TABLE}

# Operators as written in the text, and function names as typed (aliases included).
BINARY_OPERATORS: dict[str, str] = {
    "+": "add",
    "-": "sub",
    "*": "mul",
    "/": "div",
    "^": "pow",
    "**": "pow",
}
FUNCTIONS: dict[str, str] = {
    **{spec.name: spec.name for spec in _TABLE if spec.infix is None and spec.name != "neg"},
    "ln": "log",
    "pow": "pow",
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
