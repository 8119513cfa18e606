"""Real values of SymPy expressions at a point, with mpmath at 50 digits or more.

The sampler of `equivalence` judges two expressions by their values; this is where the values
come from. Evaluation is iterative over the tree (a deep graph must not exhaust the stack),
only the branch a Piecewise takes is evaluated, and anything without a real value (log of a
negative, 1/0, a fractional power of a negative) raises `Undefined`. Values past
MAGNITUDE_LIMIT raise `Unreliable`: such a point is skipped, never judged.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable
from dataclasses import dataclass

import mpmath
import sympy as sp

BASE_DPS = 50  # working precision, in decimal digits
NOISE_MARGIN_DIGITS = 15  # digits of BASE_DPS allowed to be lost to rounding and cancellation
CHECK_DIGITS = 30  # a value is computed again with this many more digits to measure its noise
REL_TOL = 1e-25  # 50-digit values, rounding bounded by the noise term: looser only hides errors
# Far past float range on purpose: `min(exp(x), 1e300)` differs from exp(x) only where exp(x)
# is past 1e300. The limit keeps the precision (and time) of one evaluation bounded.
MAGNITUDE_LIMIT = mpmath.mpf(10) ** 1000
EXP_LIMIT = 2300  # exp() of more than this is past MAGNITUDE_LIMIT
RETRY_DPS = (BASE_DPS, 300, 1100)  # precisions tried when a value is 0 only by rounding
TOP_DPS = 1100  # two values that look different are computed again at this precision
NEAR_ZERO = mpmath.mpf("1e-30")  # below this a log/division argument may be rounding noise


class Undefined(Exception):
    """The expression has no real value at the point (log of a negative, 1/0, ...)."""


class _NearZero(Undefined):
    """Undefined because a value is 0 or nearly: maybe only rounding (1 - sigmoid(2005) is
    e^-2005, which is 0 at 50 digits). Tried again at higher precision before it counts."""


class Unreliable(Exception):
    """A value left float range: the point says nothing either way and is skipped."""


_contexts = threading.local()


def context(dps: int) -> mpmath.MPContext:
    """A private mpmath context at `dps` digits, one per thread and precision: mpmath's global
    context is shared state, and making a context costs milliseconds."""
    cache = _contexts.__dict__.setdefault("by_dps", {})
    if dps not in cache:
        ctx = mpmath.MPContext()
        ctx.dps = dps
        cache[dps] = ctx
    return cache[dps]


@dataclass(frozen=True)
class Value:
    value: mpmath.mpf
    dps: int  # the precision `value` was computed at
    noise: mpmath.mpf  # its rounding error, measured (see `value_at`)
    bound: mpmath.mpf  # a cautious bound: the last digits of the largest intermediate value


def agree(left: Value, right: Value, *, cautious: bool = False) -> bool:
    """Equal within REL_TOL and the measured noise (`cautious`: the cautious bounds too)."""
    ctx = context(max(left.dps, right.dps))
    a, b = ctx.mpf(left.value), ctx.mpf(right.value)
    slack = left.noise + right.noise
    if cautious:
        slack = max(slack, left.bound + right.bound)
    return abs(a - b) <= REL_TOL * max(abs(a), abs(b)) + slack


def agree_at(
    left_expr: sp.Expr,
    right_expr: sp.Expr,
    point: dict[sp.Symbol, float],
    left: Value,
    right: Value,
) -> bool:
    """Do two values agree? They do when equal within their measured noise. When they look
    different, both are computed again at TOP_DPS digits and judged with the cautious
    bounds too: a cancellation that leaves 0 at 50 and at 80 digits (x*(1 - sigmoid(452)),
    whose value is 3.5e-200) must not make a correct answer wrong."""
    if agree(left, right):
        return True
    try:
        better_left = value_at(left_expr, point, precision=TOP_DPS)
        better_right = value_at(right_expr, point, precision=TOP_DPS)
    except Unreliable:
        return True  # the point says nothing either way (`_sample` skips such points too)
    if better_left is None or better_right is None:
        return better_left is None and better_right is None
    return agree(better_left, better_right, cautious=True)


def value_at(
    expr: sp.Expr,
    point: dict[sp.Symbol, float],
    *,
    checked: bool = True,
    precision: int = BASE_DPS,
) -> Value | None:
    """The real value of `expr` at `point`, or None where it has none.

    Evaluated with mpmath at 50 digits (more when values get large), so cancellation such as
    `1 - sigmoid(40)` still leaves many correct digits. The noise bound is measured, not
    guessed: the value is computed again with CHECK_DIGITS more digits, and the noise is ten
    times the difference (plus a last-digits floor). A bound taken from the largest
    intermediate value called 1/x and 2/x equal at x = 2e282 (both below 1e-53 "noise");
    rounding error is relative to the terms a sum cancels, and the second evaluation sees
    exactly that. `checked=False` skips the second evaluation (only definedness is wanted).
    `precision`: the digits to start from (`agree_at` asks for TOP_DPS).
    """
    for start in (precision, *[p for p in RETRY_DPS if p > precision]):
        try:
            value, biggest = evaluate(expr, point, start)
            dps = start
            if biggest > 1e10:
                dps = start + (int(mpmath.log10(biggest)) // 50 + 1) * 50  # few contexts
                value, biggest = evaluate(expr, point, dps)
            break
        except _NearZero:
            continue
        except Undefined:
            return None
    else:
        raise Unreliable("a value is 0 at every precision tried, maybe only by rounding")
    ctx = context(dps + CHECK_DIGITS)
    bound = ctx.mpf(10) ** (float(mpmath.log10(max(biggest, 1))) + NOISE_MARGIN_DIGITS - dps)
    if not checked:
        return Value(value, dps, ctx.inf, bound)
    try:
        better, _ = evaluate(expr, point, dps + CHECK_DIGITS)
    except Undefined:  # defined only by rounding at the lower precision: say nothing
        raise Unreliable("defined at one precision, not at a higher one") from None
    floor = abs(better) * ctx.mpf(10) ** (NOISE_MARGIN_DIGITS - dps)
    return Value(better, dps + CHECK_DIGITS, 10 * abs(ctx.mpf(value) - better) + floor, bound)


# --- the evaluator ----------------------------------------------------------------------------


def evaluate(
    expr: sp.Expr, point: dict[sp.Symbol, float], dps: int
) -> tuple[mpmath.mpf, mpmath.mpf]:
    """Real-arithmetic evaluation, iterative over the tree (deep graphs must not overflow the
    stack); returns the value and the largest intermediate magnitude."""
    ctx = context(dps)
    values: dict[sp.Basic, object] = {}
    biggest = [ctx.zero]

    def walk(root: sp.Basic) -> object:
        stack = [(root, False)]
        while stack:
            node, ready = stack.pop()
            if node in values:
                continue
            if isinstance(node, sp.Piecewise):
                values[node] = _piecewise(node, walk)
            elif ready or not node.args:
                values[node] = _node_value(ctx, node, [values[a] for a in node.args], point)
                _track(values[node], biggest)
            else:
                stack.append((node, True))
                stack.extend((arg, False) for arg in node.args)
        return values[root]

    value = walk(expr)
    if not isinstance(value, ctx.mpf):
        raise Undefined(f"not a number: {expr}")
    return value, biggest[0]


def _track(value: object, biggest: list) -> None:
    if isinstance(value, bool):
        return
    size = abs(value)
    if size > MAGNITUDE_LIMIT:
        raise Unreliable(f"value out of float range: {size}")
    biggest[0] = max(biggest[0], size)


def _piecewise(node: sp.Piecewise, walk: Callable[[sp.Basic], object]) -> object:
    """Only the branch taken is evaluated: the others may well be undefined at the point."""
    for pair in node.args:
        if walk(pair.cond) is True:
            return walk(pair.expr)
    raise Undefined("no branch of the Piecewise applies")


def _node_value(ctx: mpmath.MPContext, node: sp.Basic, args: list, point: dict) -> object:
    if node.is_Symbol:
        given = point[node]  # a float (repr is exact), or an mpf past float range (sampling)
        return ctx.mpf(repr(given)) if isinstance(given, float) else ctx.mpf(given)
    if not node.args:
        return _atom_value(ctx, node)
    if node.func is sp.Pow and node.args[0].is_zero and args[1] < 0:
        # a literal 0 (not a value that rounded to 0) to a negative power: `0^x` at x < 0
        raise Undefined("0 to a negative power")
    handler = _HANDLERS.get(node.func)
    if handler is not None:
        return handler(ctx, *args)
    if isinstance(node, sp.Function):
        return _fallback(ctx, node, args)
    raise Undefined(f"cannot evaluate {type(node).__name__}")


def _atom_value(ctx: mpmath.MPContext, node: sp.Basic) -> object:
    if node is sp.true or node is sp.false:
        return bool(node)
    if node.is_Rational:
        return ctx.mpf(node.p) / node.q
    if node.is_Float:
        return ctx.mpf(node._mpf_)
    if node.is_NumberSymbol:  # pi, E, ...
        return ctx.mpf(node.evalf(ctx.dps + 5)._mpf_)
    raise Undefined(f"no real value: {node}")  # I, zoo, oo, nan


def _fallback(ctx: mpmath.MPContext, node: sp.Function, args: list) -> object:
    """Functions outside the table (erf, ...) go through SymPy's evalf; non-real means undefined."""
    if any(isinstance(a, bool) for a in args):
        raise Undefined(f"cannot evaluate {node.func}")
    result = node.func(*(sp.Float(a, ctx.dps) for a in args)).evalf(ctx.dps)
    if not (result.is_Float or result.is_Rational):
        raise Undefined(f"{node.func} has no real value here")
    return ctx.mpf(sp.Float(result, ctx.dps)._mpf_)


def _positive(x: object, name: str) -> None:
    if x <= 0:
        raise (_NearZero if abs(x) < NEAR_ZERO else Undefined)(f"{name} of a non-positive number")


def _nonzero(x: object) -> object:
    if x == 0:
        raise _NearZero("division by zero")
    return x


def _in_range(x: object, low: int, high: int, name: str, *, open_: bool = False) -> object:
    if x < low or x > high or (open_ and (x == low or x == high)):
        raise Undefined(f"{name} outside its domain")
    return x


def _pow(ctx: mpmath.MPContext, base: object, exponent: object) -> object:
    """Real powers only: a negative base needs an integer exponent (SymPy's `x**(1/3)` is the
    complex principal root for x < 0, and cgraph's float evaluation rejects it too)."""
    if base == 0:
        if exponent < 0:
            raise _NearZero("division by zero")
        return ctx.one if exponent == 0 else ctx.zero
    if base < 0 and not ctx.isint(exponent):
        near = abs(base) < NEAR_ZERO
        raise (_NearZero if near else Undefined)("fractional power of a negative number")
    if abs(exponent * ctx.log(abs(base))) > EXP_LIMIT:
        raise Unreliable("power out of float range")
    return ctx.power(base, exponent)


def _exp(ctx: mpmath.MPContext, x: object) -> object:
    if x > EXP_LIMIT:
        raise Unreliable("exp out of float range")
    return ctx.exp(x)


def _not_huge(x: object) -> object:
    if abs(x) > EXP_LIMIT:
        raise Unreliable("sinh/cosh past the magnitude limit")
    return x


def _log(ctx: mpmath.MPContext, x: object) -> object:
    _positive(x, "log")
    return ctx.log(x)


def _heaviside(ctx: mpmath.MPContext, x: object, at_zero: object = None) -> object:
    if x == 0:
        if at_zero is None:
            raise Undefined("Heaviside(0) has no value")
        return at_zero
    return ctx.one if x > 0 else ctx.zero


def _relational(compare: Callable[[object, object], bool]) -> Callable:
    def handler(ctx: mpmath.MPContext, left: object, right: object) -> bool:
        return bool(compare(left, right))

    return handler


_HANDLERS: dict[type, Callable] = {
    sp.Add: lambda ctx, *a: ctx.fsum(a),
    sp.Mul: lambda ctx, *a: ctx.fprod(a),
    sp.Pow: _pow,
    sp.exp: _exp,
    sp.log: _log,
    sp.sin: lambda ctx, x: ctx.sin(x),
    sp.cos: lambda ctx, x: ctx.cos(x),
    sp.tan: lambda ctx, x: ctx.sin(x) / _nonzero(ctx.cos(x)),
    sp.cot: lambda ctx, x: ctx.cos(x) / _nonzero(ctx.sin(x)),
    sp.sec: lambda ctx, x: 1 / _nonzero(ctx.cos(x)),
    sp.csc: lambda ctx, x: 1 / _nonzero(ctx.sin(x)),
    sp.asin: lambda ctx, x: ctx.asin(_in_range(x, -1, 1, "asin")),
    sp.acos: lambda ctx, x: ctx.acos(_in_range(x, -1, 1, "acos")),
    sp.atan: lambda ctx, x: ctx.atan(x),
    sp.sinh: lambda ctx, x: ctx.sinh(_not_huge(x)),
    sp.cosh: lambda ctx, x: ctx.cosh(_not_huge(x)),
    sp.tanh: lambda ctx, x: ctx.tanh(x),
    sp.asinh: lambda ctx, x: ctx.asinh(x),
    sp.acosh: lambda ctx, x: ctx.acosh(_in_range(x, 1, math.inf, "acosh")),
    sp.atanh: lambda ctx, x: ctx.atanh(_in_range(x, -1, 1, "atanh", open_=True)),
    sp.Abs: lambda ctx, x: abs(x),
    sp.sign: lambda ctx, x: ctx.sign(x),
    sp.Heaviside: _heaviside,
    sp.Max: lambda ctx, *a: max(a),
    sp.Min: lambda ctx, *a: min(a),
    sp.floor: lambda ctx, x: ctx.floor(x),
    sp.ceiling: lambda ctx, x: ctx.ceil(x),
    sp.StrictLessThan: _relational(lambda a, b: a < b),
    sp.LessThan: _relational(lambda a, b: a <= b),
    sp.StrictGreaterThan: _relational(lambda a, b: a > b),
    sp.GreaterThan: _relational(lambda a, b: a >= b),
    sp.Equality: _relational(lambda a, b: a == b),
    sp.Unequality: _relational(lambda a, b: a != b),
    sp.And: lambda ctx, *a: all(a),
    sp.Or: lambda ctx, *a: any(a),
    sp.Not: lambda ctx, a: not a,
}
