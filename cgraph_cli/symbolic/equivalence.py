"""Decide whether two SymPy expressions are the same real function: agreement at sampled
real points first (cheap, and it finds the counterexample for a wrong answer), then a
time-boxed symbolic proof to upgrade "equal at N sampled points" to "proved equal".

Where the points are, and why a gamed answer cannot dodge them, is `sampling`'s business; the
values come from `realeval` (mpmath, 50 digits or more).
"""

import math
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

import mpmath
import sympy as sp
from sympy.functions.elementary.hyperbolic import HyperbolicFunction
from sympy.functions.elementary.trigonometric import TrigonometricFunction

from ..core.timebox import within
from .faint import faint_difference
from .printing import text
from .realeval import Unreliable, Value, agree_at, value_at
from .sampling import orthant_cover, plan

Probe = Callable[[dict[sp.Symbol, float]], tuple[bool | None, bool | None]]
SAMPLE_POINTS = 48  # regular points; switch points come on top
MIN_VALID_POINTS = 8  # fewer points of agreement than this proves nothing
SAMPLE_SECONDS = 8.0  # sampling stops here and judges by the points done (a safety net)
EXPAND_OPS_LIMIT = 600  # expand/cancel beyond this size can take minutes
TRIGSIMP_OPS_LIMIT = 150
SIMPLIFY_OPS_LIMIT = 80  # simplify() is the slow one: only small differences get it


class Method(StrEnum):
    """How a verdict was reached."""

    PROVED = "proved"
    SAMPLED = "sampled"
    UNDECIDED = "undecided"


@dataclass(frozen=True)
class Counterexample:
    """A point where the two sides differ; a value is None where that side has no real value."""

    point: Mapping[str, float]
    expected: float | None
    answer: float | None


@dataclass(frozen=True)
class Sampling:
    """What the sampling looked at: how many points agreed, where, and the seed."""

    points: int  # points where both sides were defined and agreed
    switch_points: int  # of those, points just beside a switch point (max, min, abs, ...)
    smallest: float  # smallest and largest |value| of a variable among them
    largest: float
    seed: int

    def where(self) -> str:
        """`|values| from 0.001 to 7e+11, both signs, 12 beside switch points; seed 0`."""
        if not self.points:
            return f"no point; seed {self.seed}"
        near = f", {self.switch_points} beside switch points" if self.switch_points else ""
        return (
            f"|values| from {self.smallest:.1g} to {self.largest:.1g}, both signs{near};"
            f" seed {self.seed}"
        )

    def as_dict(self) -> dict[str, object]:
        return {
            "points": self.points,
            "switch_points": self.switch_points,
            "smallest": self.smallest,
            "largest": self.largest,
            "seed": self.seed,
            "where": self.where(),
        }


@dataclass(frozen=True)
class Verdict:
    """The outcome of `compare`; `equal` is False both for a wrong and an undecided answer."""

    equal: bool
    method: Method
    message: str
    points: int = 0  # sample points where both sides were defined and agreed
    counterexample: Counterexample | None = None
    sampling: Sampling | None = None
    agreed: tuple[dict[sp.Symbol, float], ...] = field(default=(), repr=False, compare=False)

    @property
    def decided(self) -> bool:
        """False when too few points had both sides defined: report it, never as correct."""
        return self.method is not Method.UNDECIDED


def compare(
    expected: sp.Expr,
    answer: sp.Expr,
    symbols: Sequence[sp.Symbol],
    *,
    seed: int = 0,
    points: int = SAMPLE_POINTS,
    timeout_s: float = 2.0,
    domain: sp.Expr | None = None,
    probe: Probe | None = None,
) -> Verdict:
    """Is `answer` the same real function as `expected`? (`timeout_s <= 0` skips the proof.)

    Sampling runs first because a wrong answer is caught there in milliseconds, with a point to
    show; simplification only has to confirm answers that already agree everywhere we looked.
    Free symbols missing from `symbols` are sampled too, so a stray variable cannot hide.
    `domain`, when given (the function that was differentiated), limits the comparison to the
    points where it has a real value: outside them there is no derivative to check.
    `probe(point)`, when given, says whether the function and the answer *as written* are
    defined there (True, False, None: cannot tell); SymPy's forms may have lost that
    (`sqrt(x)^2` is built as `x`).
    """
    if points < 1:
        raise ValueError(f"points must be at least 1, got {points}")
    expected, answer = _as_expr(expected), _as_expr(answer)
    variables = _variables(symbols, expected, answer)
    sampled = _sample(
        expected, answer, variables, seed=seed, points=points, domain=domain, probe=probe
    )
    if sampled.counterexample is not None and not _hairline(sampled.counterexample):
        return sampled
    difference = _prove(expected, answer, timeout_s)
    if difference is not None and _is_zero(difference):  # exact: outvotes a hairline sample
        return Verdict(
            True, Method.PROVED, "proved equal", sampled.points, sampling=sampled.sampling
        )
    if difference is None and sampled.equal and sampled.agreed:
        faint = faint_difference(expected, answer, sampled.agreed)
        if faint is not None:  # below what the sampled values resolve: still a difference
            point, _ = faint
            return _differ(point, value_at(expected, point), value_at(answer, point))
    if difference is None:
        return sampled
    off = -difference
    shown = str(sp.N(off, 3)) if off.is_number else text(off, fast=True)
    if sampled.counterexample is not None and len(shown) > 60:
        return sampled  # a point with its digits says more than a formula cut short
    shown = shown if len(shown) <= 60 else shown[:57] + "..."
    message = f"proved different: the answer is off by {shown}"
    return Verdict(False, Method.PROVED, message, sampled.points, sampling=sampled.sampling)


def _hairline(counter: Counterexample) -> bool:
    """The two sides differ at the point by less than a billionth: a proof of the difference
    ("off by x/10^12") says more than two numbers that print alike."""
    if counter.expected is None or counter.answer is None:
        return False
    return math.isclose(counter.expected, counter.answer, rel_tol=1e-9, abs_tol=1e-300)


def compare_at(
    expected: sp.Expr, answer: sp.Expr, point: Mapping[sp.Symbol, float]
) -> Counterexample | None:
    """Where the user gave a point, the answer must agree there too (a sampled "equal" must
    never outvote it). None when they agree, or when the expected side has no value there (a
    kink such as relu at 0, where the convention decides, not the formula)."""
    values = dict(point)
    try:
        left, right = value_at(_as_expr(expected), values), value_at(_as_expr(answer), values)
    except Unreliable:
        return None
    if left is None or (right is not None and agree_at(expected, answer, values, left, right)):
        return None
    return Counterexample(
        {s.name: v for s, v in values.items()},
        float(left.value),
        None if right is None else float(right.value),
    )


def compare_numbers(
    expected: float, answer: float, rel_tol: float = 1e-6, abs_tol: float = 1e-12
) -> bool:
    """Numeric answer check; abs_tol only absorbs float noise around an expected 0."""
    expected, answer = float(expected), float(answer)
    if not (math.isfinite(expected) and math.isfinite(answer)):
        return False
    return math.isclose(expected, answer, rel_tol=rel_tol, abs_tol=abs_tol)


# --- sampling ---------------------------------------------------------------------------------


def _as_expr(value: object) -> sp.Expr:
    """Accept SymPy objects and plain numbers; strings are refused (sympify would eval them)."""
    if isinstance(value, sp.Basic):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return sp.Integer(value) if isinstance(value, int) else sp.Float(value)
    raise TypeError(f"expected a SymPy expression or a number, got {type(value).__name__}")


def _variables(symbols: Sequence[sp.Symbol], *exprs: sp.Expr) -> list[sp.Symbol]:
    """The given symbols in order, then any other free symbol sorted by name."""
    given = list(dict.fromkeys(symbols))
    extra = _symbols_in(exprs) - set(given)
    return given + sorted(extra, key=lambda s: s.name)


def _symbols_in(exprs: Sequence[sp.Basic]) -> set[sp.Symbol]:
    """Like `free_symbols`, without its recursion (a deep chain would exhaust the stack)."""
    found: set[sp.Symbol] = set()
    seen: set[int] = set()
    stack = list(exprs)
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if node.is_Symbol:
            found.add(node)
        stack.extend(node.args)
    return found


def _sample(
    expected: sp.Expr,
    answer: sp.Expr,
    variables: list[sp.Symbol],
    *,
    seed: int,
    points: int,
    domain: sp.Expr | None,
    probe: Probe | None,
) -> Verdict:
    """Evaluate both sides at every planned point until one disagrees.

    A point where one side is real and the other is not is a disagreement (that is how
    `sqrt(x^2)` vs `x` and `log(x*y)` vs `log(x)+log(y)` fail); a point where neither is real,
    or where `domain` is not, is skipped, never counted as agreement. Every point is tried
    (no early stop): one disagreement anywhere decides.
    """
    exprs = [expected, answer] + ([domain] if domain is not None else [])
    if variables:
        count = max(points, 2 * orthant_cover(variables))
        # a quick screen (fewer points than a verdict needs) skips the switch-point search
        schedule = plan(
            exprs, variables, seed=seed, count=count, switches=points >= MIN_VALID_POINTS
        )
        candidates, switches, beyond = schedule.points, schedule.switches, schedule.beyond
    else:
        candidates, switches, beyond = [{}], range(0), None
    stop = time.monotonic() + SAMPLE_SECONDS
    agreed: list[dict[sp.Symbol, float]] = []
    near = 0
    for index, point in enumerate(candidates):
        if time.monotonic() > stop and len(agreed) >= MIN_VALID_POINTS:
            break
        function_defined, answer_defined = probe(point) if probe else (None, None)
        try:
            if function_defined is False or (
                function_defined is None
                and domain is not None
                and value_at(domain, point, checked=False) is None
            ):
                continue
            left, right = value_at(expected, point), value_at(answer, point)
        except Unreliable:
            continue
        if answer_defined is False:
            right = None  # SymPy's form has a value there, what the student wrote has not
        if left is None and right is None:
            continue
        if left is None or right is None or not agree_at(expected, answer, point, left, right):
            return _differ(point, left, right)
        agreed.append(point)
        near += index in switches
    verdict = _sampled_verdict(agreed, near, seed, bool(variables), min(points, MIN_VALID_POINTS))
    if verdict.equal and beyond is not None:  # agreement says nothing about past float range
        message = f"undecided: {beyond}, where no sample point can go"
        return Verdict(False, Method.UNDECIDED, message, verdict.points, sampling=verdict.sampling)
    return verdict


def _sampled_verdict(
    agreed: list[dict[sp.Symbol, float]], near: int, seed: int, has_variables: bool, needed: int
) -> Verdict:
    sizes = [abs(v) for point in agreed for v in point.values()] or [0.0]
    sampling = Sampling(len(agreed), near, min(sizes), max(sizes), seed)
    if not has_variables and agreed:
        return Verdict(True, Method.SAMPLED, "numerically equal", len(agreed), sampling=sampling)
    if len(agreed) < needed:
        message = (
            f"undecided: both sides were defined at only {len(agreed)} sampled points"
            f" (need {needed})"
        )
        return Verdict(False, Method.UNDECIDED, message, len(agreed), sampling=sampling)
    message = f"equal at {len(agreed)} sampled points, not proved"
    return Verdict(
        True, Method.SAMPLED, message, len(agreed), sampling=sampling, agreed=tuple(agreed)
    )


def _differ(point: dict[sp.Symbol, float], left: Value | None, right: Value | None) -> Verdict:
    where = " at " + ", ".join(f"{s.name} = {v:.10g}" for s, v in point.items()) if point else ""
    counterexample = Counterexample(
        point={s.name: v for s, v in point.items()},
        expected=None if left is None else float(left.value),
        answer=None if right is None else float(right.value),
    )
    digits = _digits_apart(left, right)
    expected, answer = (
        "undefined" if side is None else _show(side.value, digits) for side in (left, right)
    )
    message = f"not equal{where}: expected {expected}, answer {answer}"
    return Verdict(False, Method.SAMPLED, message, counterexample=counterexample)


def _show(value: mpmath.mpf, digits: int) -> str:
    return f"{float(value):.{digits}g}" if digits <= 17 else mpmath.nstr(value, digits)


def _digits_apart(left: Value | None, right: Value | None) -> int:
    """Ten significant digits, or as many as it takes for the two values to print apart."""
    if left is None or right is None:
        return 10
    for digits in (10, 17, 25, 35):
        if _show(left.value, digits) != _show(right.value, digits):
            return digits
    return 35


# --- the symbolic proof -----------------------------------------------------------------------


def _prove(expected: sp.Expr, answer: sp.Expr, timeout_s: float) -> sp.Expr | None:
    """expected - answer in the first canonical form that settles it: 0 proves them equal; a
    nonzero constant or nonzero polynomial proves them different, however small the difference
    (`2*x + 10^-400` agrees with `2*x` at every float64 point); None when nothing settled it.
    Cheapest forms first, each skipped when the expression is too big for it, all inside one
    time limit. Decimals become exact fractions (`0.5*x` is `x/2`)."""
    if timeout_s <= 0:
        return None

    def settle() -> sp.Expr | None:
        difference = _rationalize(expected - answer)
        for step in _proof_steps(difference):
            reduced = step(difference)
            if _is_zero(reduced) or _is_nonzero(reduced):
                return reduced
        return None

    try:
        return within(timeout_s, settle, lambda: None)
    except RecursionError:
        return None


def _proof_steps(difference: sp.Expr) -> Iterator[Callable[[sp.Expr], sp.Expr]]:
    """Cheap to slow; the slow ones rely on the time box (rewriting a 27-op tanh/exp identity
    in terms of exp and cancelling took 214 s when measured, and trigsimp/simplify are no
    better)."""
    yield lambda e: e
    size = sp.count_ops(difference)
    if size <= EXPAND_OPS_LIMIT and not _has_big_power(difference):
        yield sp.expand
        yield sp.cancel
        if difference.has(TrigonometricFunction, HyperbolicFunction):
            yield lambda e: sp.cancel(sp.expand(e.rewrite(sp.exp)))
    if size <= TRIGSIMP_OPS_LIMIT and difference.has(TrigonometricFunction):
        yield sp.trigsimp
    if size <= SIMPLIFY_OPS_LIMIT:
        yield sp.simplify


def _has_big_power(expr: sp.Expr) -> bool:
    """`(a + b)^50` expands into thousands of terms: such sums are never expanded."""
    return any(p.base.is_Add and p.exp.is_Integer and abs(p.exp) > 12 for p in expr.atoms(sp.Pow))


def _rationalize(expr: sp.Expr) -> sp.Expr:
    return expr.xreplace({f: sp.Rational(str(f)) for f in expr.atoms(sp.Float)})


def _is_nonzero(expr: sp.Expr) -> bool:
    """A nonzero number, or a polynomial with a coefficient SymPy knows is nonzero: it differs
    from 0 everywhere except at finitely many points (no kink, no domain edge can hide that)."""
    if expr.is_number:
        return expr.is_zero is False
    symbols = sorted(expr.free_symbols, key=str)
    if not expr.is_polynomial(*symbols):
        return _has_one_sign(expr)
    try:
        coefficients = sp.Poly(expr, *symbols).coeffs()
    except sp.PolynomialError:
        return False
    return any(c.is_zero is False for c in coefficients)


def _has_one_sign(expr: sp.Expr) -> bool:
    """SymPy knows the difference is > 0 (or < 0) for every real value of its variables, so it
    is nonzero wherever it is defined: `exp(-(x - 1234.5)^2*10^6)` is a bump too narrow for any
    sampled point to see, and too small for float64 where it is not."""
    real = expr.xreplace({s: sp.Dummy(s.name, real=True) for s in expr.free_symbols})
    return real.is_positive is True or real.is_negative is True


def _is_zero(expr: sp.Expr) -> bool:
    """Structural zero only: `Float(0.0) == 0` is False in SymPy, hence the is_number check."""
    return expr == 0 or (expr.is_number and expr.is_zero is True)
