"""Where two expressions are compared: sample points that a gamed answer cannot dodge.

A wrong answer can agree with the truth on a region (`2*min(x, 10)` for the derivative of
x^2 agrees for x <= 10), at large or small scales only, or everywhere but near a switch point
(`2*x + relu(abs(x) - 10)`). So the points are:

- regular points: both signs (every sign pattern of up to 4 variables), magnitudes spread
  log-uniformly over bands from 1e-6 to 1e12, most of them between 1e-3 and 1e3; the first
  ones rounded to 4 significant digits (readable counterexamples), the rest at full precision
  (a period that divides every rounded number cannot hide then);
- switch points: for every place where either side changes formula (the argument of abs,
  sign, Heaviside; the pairs of max/min and relu; the conditions of a Piecewise), the sign
  changes of that switch function are found along each variable, at any magnitude: exactly
  when it is a polynomial in that variable (`x - 1e300`, `1e308*x - 1e318`), and by a scan
  (fine over ±1e-6..1e15, coarse out to ±1e-300 and the largest float) and bisection. Points
  are put just beside each one, on both sides. A sign change past float range (`x - 10^400`,
  found exactly, or by a sign at ±1e600 unlike the one at the largest float) cannot be
  sampled: the plan says so, and the verdict is then "undecided", never a sampled "correct".

Everything is seeded: the same seed gives the same points.
"""

from __future__ import annotations

import itertools
import math
import random
import time
from collections.abc import Iterator
from dataclasses import dataclass

import mpmath
import sympy as sp

from .realeval import Undefined, Unreliable, evaluate

MAX_ORTHANT_VARIABLES = 4  # up to this many variables, every sign pattern is sampled
# (low, high) decades of the magnitudes of regular points, and how many points of every 12
# come from each band: most where homework lives, some far out on both sides.
BANDS = ((-3, 3, 7), (3, 6, 2), (-6, -3, 1), (6, 12, 2))
ROUNDED_SHARE = 0.5  # this share of the regular points is rounded to 4 significant digits
SCAN_DECADES = (-6, 15)  # switch functions are scanned finely over ±10^-6 .. ±10^15,
SCAN_STEPS_PER_DECADE = 2
FAR_DECADES = (-300, 300)  # and coarsely out to ±10^-300 and ±10^300,
FAR_STEP_DECADES = 10
BEYOND = mpmath.mpf("1e600")  # where the sign past float range is read (below realeval's limit)
FLOAT_MAX = 1.7976931348623157e308
MAX_POLY_DEGREE = 8  # switch functions polynomial in a variable up to this degree: exact roots
SWITCH_OFFSETS = (1e-12, 1e-7, 1e-3)  # points beside a switch point, relative to its size
MAX_SWITCHES = 16  # switch functions scanned (the first ones found, both sides together)
MAX_SWITCH_POINTS = 96
MAX_ROOTS_PER_SWITCH = 8  # one switch function with many roots (sin) cannot crowd out the rest
MAX_PEAKS = 6  # local extrema of a switch function searched for a hidden crossing
PEAK_STEPS = 48  # golden-section steps per extremum (the bracket shrinks by 0.618 each)
SCAN_SECONDS = 5.0  # the switch-point search stops here (a safety net; ~0.1 s is usual)


@dataclass(frozen=True)
class SamplePlan:
    """The points to try, in order, and how many of them sit beside switch points."""

    points: list[dict[sp.Symbol, float]]
    switches: range  # the indices of `points` that sit beside switch points
    beyond: str | None = None  # a switch point past float range, described; None if none


def plan(
    exprs: list[sp.Expr],
    variables: list[sp.Symbol],
    *,
    seed: int,
    count: int,
    switches: bool = True,
) -> SamplePlan:
    """`count` regular points and the switch points of `exprs`: rounded regular points first
    (the counterexample a student reads), then switch points, then full-precision points."""
    rng = random.Random(seed)
    regular = list(regular_points(variables, rng, count))
    rounded = int(len(regular) * ROUNDED_SHARE)
    near, beyond = (
        switch_points(exprs, variables, regular[: max(2, rounded)], rng) if switches else ([], None)
    )
    points = regular[:rounded] + near + regular[rounded:]
    return SamplePlan(points, range(rounded, rounded + len(near)), beyond)


def regular_points(
    variables: list[sp.Symbol], rng: random.Random, count: int
) -> Iterator[dict[sp.Symbol, float]]:
    """Seeded points over both signs and many scales (see the module docstring)."""
    orthants = _orthants(len(variables), rng)
    bands = [band for low, high, weight in BANDS for band in [(low, high)] * weight]
    rounded = int(count * ROUNDED_SHARE)
    for index in range(count):
        if index % 3 == 2:
            negative = [False] * len(variables)  # functions living on x > 0 get points too
        elif orthants:
            negative = orthants.pop()
        else:
            negative = [rng.random() < 0.5 for _ in variables]
        point = {}
        for symbol, minus in zip(variables, negative, strict=True):
            low, high = bands[rng.randrange(len(bands))] if index >= 2 else (-1, 1)
            size = 10 ** rng.uniform(low, high)
            if index < rounded:
                size = float(f"{size:.4g}")
            point[symbol] = _signed(symbol, size, minus)
        yield point


def orthant_cover(variables: list[sp.Symbol]) -> int:
    """Points needed before every sign pattern has been visited (0: too many variables)."""
    if len(variables) > MAX_ORTHANT_VARIABLES:
        return 0
    return (3 * 2 ** len(variables) + 1) // 2


def _orthants(count: int, rng: random.Random) -> list[list[bool]]:
    """Every sign pattern of `count` variables in a seeded order; none when there are too many."""
    if count > MAX_ORTHANT_VARIABLES:
        return []
    patterns = [[bool(index >> bit & 1) for bit in range(count)] for index in range(2**count)]
    rng.shuffle(patterns)
    return patterns


def _signed(symbol: sp.Symbol, magnitude: float, negative: bool) -> float:
    """Respect sign assumptions: SymPy may already have simplified `sqrt(x^2)` to `x` for a
    positive `x`, and sampling outside its domain would then report a false disagreement."""
    if symbol.is_nonnegative:
        return magnitude
    if symbol.is_nonpositive:
        return -magnitude
    return -magnitude if negative else magnitude


# --- switch points ---------------------------------------------------------------------------


def switch_functions(exprs: list[sp.Expr]) -> list[sp.Expr]:
    """Expressions whose sign change switches a formula somewhere in `exprs` (no duplicates)."""
    found: dict[sp.Expr, None] = {}
    for node in _nodes(exprs):
        for switch in _switches_of(node):
            if switch.free_symbols and len(found) < MAX_SWITCHES:
                found.setdefault(min(switch, -switch, key=sp.default_sort_key), None)
    return sorted(found, key=sp.default_sort_key)  # the same order in every process


def _nodes(exprs: list[sp.Basic]) -> Iterator[sp.Basic]:
    """Every distinct subexpression, without recursion (a deep chain would exhaust the stack)."""
    seen: set[sp.Basic] = set()
    stack = list(exprs)
    while stack:
        node = stack.pop()
        if node in seen:
            continue
        seen.add(node)
        yield node
        stack.extend(node.args)


def _switches_of(node: sp.Basic) -> list[sp.Expr]:
    if isinstance(node, sp.Abs | sp.sign | sp.Heaviside):
        return [node.args[0]]
    if isinstance(node, sp.Max | sp.Min):
        return [a - b for a, b in itertools.combinations(node.args, 2)]
    if isinstance(node, sp.Piecewise):
        return [
            rel.lhs - rel.rhs
            for pair in node.args
            for rel in _nodes([pair.cond])
            if isinstance(rel, sp.core.relational.Relational)
        ]
    return []


def switch_points(
    exprs: list[sp.Expr],
    variables: list[sp.Symbol],
    bases: list[dict[sp.Symbol, float]],
    rng: random.Random,
) -> tuple[list[dict[sp.Symbol, float]], str | None]:
    """Points just beside every switch found along each variable, from two base points; and
    a description of a switch point past float range, if one was found."""
    switches = switch_functions(exprs)
    if not switches or not variables or not bases:
        return [], None
    stop = time.monotonic() + SCAN_SECONDS
    found: list[dict[sp.Symbol, float]] = []
    beyond: str | None = None
    chosen = rng.sample(bases, min(2, len(bases)))
    for switch, variable, base in itertools.product(switches, variables, chosen):
        if variable not in switch.free_symbols:
            continue
        roots, far = _roots(switch, variable, base, stop)
        if far and beyond is None:
            beyond = f"{text_of(switch)} changes sign past |{variable}| = 1e308"
        for root in roots[:MAX_ROOTS_PER_SWITCH]:
            scale = abs(root) or 1e-6  # a switch at 0: beside it at homework scale
            for offset, side in itertools.product(SWITCH_OFFSETS, (-1, 1)):
                point = root + side * offset * scale
                if math.isfinite(point):
                    found.append({**base, variable: point})
        if len(found) >= MAX_SWITCH_POINTS or time.monotonic() > stop:
            break
    return found[:MAX_SWITCH_POINTS], beyond


def text_of(expr: sp.Expr) -> str:
    """Short: numbers to 4 digits (`x - 1.0e+400`), at most 40 characters."""
    shown = str(sp.N(expr, 4))
    return shown if len(shown) <= 40 else shown[:37] + "..."


def _scan_grid() -> list[float]:
    """Both signs: coarse from 1e-300 to 1e-6, fine from 1e-6 to 1e15, coarse to 1e300, and
    the largest float."""
    low, high = SCAN_DECADES
    far_low, far_high = FAR_DECADES
    steps = (high - low) * SCAN_STEPS_PER_DECADE
    small = [10.0**d for d in range(far_low, low, FAR_STEP_DECADES)]
    fine = [10 ** (low + k / SCAN_STEPS_PER_DECADE) for k in range(steps + 1)]
    large = [10.0**d for d in range(high + FAR_STEP_DECADES, far_high + 1, FAR_STEP_DECADES)]
    positive = small + fine + large + [FLOAT_MAX]  # a root up to the end of float range
    return [-t for t in reversed(positive)] + [0.0] + positive


_GRID = _scan_grid()


def _roots(
    switch: sp.Expr, variable: sp.Symbol, base: dict[sp.Symbol, float], stop: float
) -> tuple[list[float], bool]:
    """Where `switch` changes sign as `variable` moves (exact roots of a polynomial first, then
    the scan grid, bisected), and whether it also changes sign past float range."""

    def value(t: float | mpmath.mpf) -> mpmath.mpf | None:
        try:
            return evaluate(switch, {**base, variable: t}, 30)[0]
        except (Undefined, Unreliable, ZeroDivisionError, ValueError, TypeError):
            return None

    exact = _polynomial_roots(switch, variable, base)
    if exact is not None:  # every real root, exactly: no scan needed
        return [r for r in exact if math.isfinite(r)], not all(map(math.isfinite, exact))
    far = any(_sign_differs(value(side * _GRID[-1]), value(side * BEYOND)) for side in (-1, 1))
    return _scanned_roots(value, stop), far


def _sign_differs(a: mpmath.mpf | None, b: mpmath.mpf | None) -> bool:
    return a is not None and b is not None and a != 0 and b != 0 and (a < 0) != (b < 0)


def _polynomial_roots(
    switch: sp.Expr, variable: sp.Symbol, base: dict[sp.Symbol, float]
) -> list[float] | None:
    """Every real root of `switch` in `variable` (the other variables at `base`, exactly) as
    a float (±inf past float range), when it is a polynomial of small degree: `x - 1e300` has
    its root found however far it is. None when it is not such a polynomial."""
    others = {s: sp.Rational(v) for s, v in base.items() if s != variable}
    expr = switch.xreplace(others)
    expr = expr.xreplace({f: sp.Rational(f) for f in expr.atoms(sp.Float)})
    try:
        if not expr.is_polynomial(variable):
            return None
        poly = sp.Poly(expr, variable)
        if not 1 <= poly.degree() <= MAX_POLY_DEGREE or poly.domain not in (sp.QQ, sp.ZZ):
            return None
        return [_as_float(root) for root in poly.real_roots()]
    except (sp.PolynomialError, ValueError, TypeError, NotImplementedError):
        return None


def _as_float(root: sp.Expr) -> float:
    try:
        return float(sp.N(root, 20))
    except OverflowError:
        return math.inf


def _scanned_roots(value, stop: float) -> list[float]:  # type: ignore[no-untyped-def]
    """Sign changes over the scan grid, bisected; and crossings hidden between grid points
    near a local extremum (golden-section search)."""
    scanned: list[tuple[float, mpmath.mpf | None]] = []
    for t in _GRID:
        if time.monotonic() > stop:
            break
        scanned.append((t, value(t)))
    roots: list[float] = []
    for (a, ga), (b, gb) in itertools.pairwise(scanned):
        if ga is None or gb is None:
            continue
        if ga == 0:
            roots.append(a)
        elif gb != 0 and (ga < 0) != (gb < 0):
            roots.append(_bisect(value, a, b, ga < 0))
    peaks = [
        (a, c, gb < 0)
        for (a, ga), (b, gb), (c, gc) in zip(scanned, scanned[1:], scanned[2:], strict=False)
        if None not in (ga, gb, gc)
        and gb != 0
        and ((gb < 0 and gb > ga and gb > gc) or (gb > 0 and gb < ga and gb < gc))
    ]
    peaks.sort(key=lambda peak: abs(peak[0]))  # the ones nearest homework scales first
    for low, high, negative in peaks[:MAX_PEAKS]:  # a peak may cross 0 unseen (tan near a pole)
        if time.monotonic() > stop:
            break
        roots.extend(_hidden_roots(value, low, high, negative))
    return roots


def _hidden_roots(value, low: float, high: float, negative: bool) -> list[float]:  # type: ignore[no-untyped-def]
    """Golden-section search for the extremum between low and high; if it crosses zero, the
    two sign changes on either side of it."""
    ratio = 0.6180339887498949
    a, b = low, high
    for _ in range(PEAK_STEPS):
        c, d = b - ratio * (b - a), a + ratio * (b - a)
        gc, gd = value(c), value(d)
        if gc is None or gd is None:
            return []
        if (gc > gd) == negative:  # keep the side nearer the peak
            b = d
        else:
            a = c
        peak = (a + b) / 2
        gp = value(peak)
        if gp is not None and gp != 0 and (gp < 0) != negative:
            return [_bisect(value, low, peak, negative), _bisect(value, peak, high, not negative)]
    return []


def _bisect(value, low: float, high: float, low_negative: bool) -> float:  # type: ignore[no-untyped-def]
    """The sign change between low and high, to about float precision. Across decades of one
    sign the middle is geometric (1e-300..1e-6 halves in exponent, not in value)."""
    for _ in range(200):
        if low * high > 0 and max(abs(low), abs(high)) > 4 * min(abs(low), abs(high)):
            middle = math.copysign(math.sqrt(abs(low)) * math.sqrt(abs(high)), low)
        else:
            middle = (low + high) / 2
        if middle in (low, high):
            break
        current = value(middle)
        if current is None:
            break
        if current == 0:
            return middle
        if (current < 0) == low_negative:
            low = middle
        else:
            high = middle
    return (low + high) / 2
