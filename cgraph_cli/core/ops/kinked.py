"""The kinked ops of the op table: abs, relu, leaky_relu, max, min, and the steps (sign,
heaviside) their derivatives are written with.

Conventions at non-differentiable points follow PyTorch: relu'(0) = 0, abs'(0) = 0,
leaky_relu'(0) = alpha, and a max/min tie splits the gradient equally among the tied inputs.
The symbolic partials say the same, for any number of arguments (`_route_partials`), written
with `heaviside(t, h0)` (h0 is the value at t = 0) so they read back as cgraph text.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .spec import OpSpec, unary


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


KINKED: tuple[OpSpec, ...] = (
    unary(
        "abs",
        abs,
        lambda out, x: (1.0 if x > 0 else -1.0 if x < 0 else 0.0,),
        lambda sp, x: sp.Abs(x),
        sympy_partials=lambda sp, x: (sp.sign(x),),  # sign(0) = 0: abs'(0) = 0
        latex=r"\left|{0}\right|",
        keeps_integers=True,
        kink=_kink_at_zero("abs", "0"),
    ),
    unary(
        "relu",
        lambda x: x if x > 0 else 0.0,
        lambda out, x: (1.0 if x > 0 else 0.0,),
        lambda sp, x: sp.Max(0, x),
        sympy_partials=lambda sp, x: (sp.Heaviside(x, 0),),  # relu'(0) = 0
        keeps_integers=True,
        kink=_kink_at_zero("relu", "0"),
    ),
    # steps: what the derivatives of kinked ops are written with
    unary(
        "sign",
        _sign,
        lambda out, x: (0.0,),
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
