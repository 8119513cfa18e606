"""Property tests: on generated expressions and programs, gradients agree with SymPy and with
central differences.

The strategies write programs as TEXT in cgraph's language (minimal parentheses, `^` and `**`,
implicit products such as `2x`, `3 sin(y)` and `w1 x`, `;` or newlines, comments, `x = 1.5`
default lines) and build, alongside, an independent SymPy expression of what the text means.
So each example is checked three ways at a random point:

- the engine's gradient against `sympy.diff` of the independent expression (catches parsing and
  graph-building mistakes as well as wrong partials);
- against `sympy.diff` of `symbolic.node_expressions` (the project's own SymPy view of the graph);
- against central finite differences of the engine's forward pass.

Every op is applied only where it stays in its domain and smooth (`log` and `sqrt` of `1 + a^2`,
`exp` of a bounded argument, division by `1 + b^2`), and each expression carries a bound on its
magnitude so nothing overflows. Profiles (`ci`, `fuzz`) live in tests/conftest.py.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import sympy as sp
from hypothesis import given, note
from hypothesis import strategies as st

from cgraph_cli import evaluate
from cgraph_cli.core.syntax import parse_expression
from cgraph_cli.symbolic.expressions import node_expressions

VARIABLES = ("x", "y", "w1")
SYMBOLS = {name: sp.Symbol(name, real=True) for name in VARIABLES}
LIMIT = 1e6  # largest magnitude a generated expression may reach
RTOL = 1e-9
ATOL = 1e-9


@dataclass(frozen=True)
class Expr:
    """Program text, its binding strength, what it means (SymPy) and a bound on |value|."""

    text: str
    prec: int  # 1 + -, 2 * /, 3 unary minus, 4 ^, 9 atom (name, number, call, parentheses)
    sym: Any
    bound: float
    leaf: str = ""  # "name" or "number" for leaves, which may start an implicit product

    def __repr__(self) -> str:
        return f"Expr({self.text!r})"


def wrap(e: Expr, needed: bool) -> str:
    return f"({e.text})" if needed else e.text


def number(text: str, value: Any) -> Expr:
    return Expr(text, 9, value, float(abs(value)), "number")


ONE, TWO = number("1", sp.Integer(1)), number("2", sp.Integer(2))


def binary(op: str, left: Expr, right: Expr, spaced: bool = True) -> Expr:
    prec = {"+": 1, "-": 1, "*": 2, "/": 2, "^": 4, "**": 4}[op]
    if op in ("^", "**"):
        lhs = wrap(left, left.prec <= 4)  # `(a^b)^c`, `(-a)^2`
        rhs = wrap(right, right.prec < 9)
        sym, bound = left.sym**right.sym, math.inf
    else:
        lhs = wrap(left, left.prec < prec)
        rhs = wrap(right, right.prec < prec or (right.prec == prec and op in "-/"))
        sym = {
            "+": left.sym + right.sym,
            "-": left.sym - right.sym,
            "*": left.sym * right.sym,
            "/": left.sym / right.sym,
        }[op]
        bound = {
            "+": left.bound + right.bound,
            "-": left.bound + right.bound,
            "*": left.bound * right.bound,
            "/": math.inf,
        }[op]
    space = " " if spaced else ""
    return Expr(f"{lhs}{space}{op}{space}{rhs}", prec, sym, bound)


def call(name: str, arg: Expr, sym: Any, bound: float) -> Expr:
    return Expr(f"{name}({arg.text})", 9, sym, bound)


def bounded(e: Expr, bound: float) -> Expr:
    return replace(e, bound=bound)


def power(a: Expr, n: int, spelling: str) -> Expr:
    return bounded(binary(spelling, a, number(str(n), sp.Integer(n)), spaced=False), a.bound**n)


def one_plus_square(a: Expr, spelling: str = "^") -> Expr:
    """1 + a^2: at least 1, so log, sqrt and division by it are always defined."""
    return bounded(binary("+", ONE, power(a, 2, spelling)), 1 + a.bound**2)


def negate(a: Expr) -> Expr:
    return Expr("-" + wrap(a, a.prec < 3), 3, -a.sym, a.bound)


def sigmoid(s: Any) -> Any:
    return 1 / (1 + sp.exp(-s))


def safe_exp(name: str, fn: Callable[[Any], Any]) -> Callable[[Expr], Expr | None]:
    def build(a: Expr) -> Expr | None:
        if a.bound > 12:
            return None
        return call(name, a, fn(a.sym), math.exp(a.bound))

    return build


def log_of(name: str, base: int | None) -> Callable[[Expr], Expr]:
    def build(a: Expr) -> Expr:
        inner = one_plus_square(a)
        sym = sp.log(inner.sym) if base is None else sp.log(inner.sym) / sp.log(base)
        return call(name, inner, sym, math.log1p(a.bound**2) + 1)

    return build


UNARY: dict[str, Callable[[Expr], Expr | None]] = {
    "neg": negate,
    "square": lambda a: power(a, 2, "^"),
    "cube": lambda a: power(a, 3, "**"),
    "sin": lambda a: call("sin", a, sp.sin(a.sym), 1),
    "cos": lambda a: call("cos", a, sp.cos(a.sym), 1),
    "tanh": lambda a: call("tanh", a, sp.tanh(a.sym), 1),
    "sigmoid": lambda a: call("sigmoid", a, sigmoid(a.sym), 1),
    "atan": lambda a: call("atan", a, sp.atan(a.sym), 2),
    "softplus": lambda a: call("softplus", a, sp.log(1 + sp.exp(a.sym)), a.bound + 1),
    "tan": lambda a: call("tan", call("tanh", a, sp.tanh(a.sym), 1), sp.tan(sp.tanh(a.sym)), 2),
    "asin": lambda a: call(
        "asin", binary("/", call("tanh", a, sp.tanh(a.sym), 1), TWO), sp.asin(sp.tanh(a.sym) / 2), 1
    ),
    "acos": lambda a: call(
        "acos", binary("/", call("sin", a, sp.sin(a.sym), 1), TWO), sp.acos(sp.sin(a.sym) / 2), 3
    ),
    "exp": safe_exp("exp", sp.exp),
    "sinh": safe_exp("sinh", sp.sinh),
    "cosh": safe_exp("cosh", sp.cosh),
    "ln_exp": lambda a: (
        None
        if a.bound > 12
        else call("ln", call("exp", a, sp.exp(a.sym), math.exp(a.bound)), a.sym, a.bound)
    ),
    "log": log_of("log", None),
    "ln": log_of("ln", None),
    "log2": log_of("log2", 2),
    "log10": log_of("log10", 10),
    "sqrt": lambda a: call("sqrt", one_plus_square(a), sp.sqrt(1 + a.sym**2), 1 + a.bound),
    "reciprocal": lambda a: bounded(binary("/", ONE, wrap_group(one_plus_square(a, "**"))), 1),
}


def wrap_group(e: Expr) -> Expr:
    """Parenthesise explicitly (the printed text keeps the parentheses)."""
    return Expr(f"({e.text})", 9, e.sym, e.bound)


def product(left: Expr, right: Expr, style: int) -> Expr:
    """`a * b`, `a*b`, or an implicit product where the language allows one."""
    explicit = binary("*", left, right, spaced=style % 2 == 0)
    rhs = wrap(right, right.prec < 2)
    starts = rhs[:1]
    if style >= 2 and left.leaf == "number" and (starts.isalpha() or starts == "("):
        return Expr(f"{left.text}{' ' if style == 3 else ''}{rhs}", 2, explicit.sym, explicit.bound)
    if style >= 2 and left.leaf == "name" and starts.isalpha():
        return Expr(f"{left.text} {rhs}", 2, explicit.sym, explicit.bound)
    return explicit


BINARY: dict[str, Callable[[Expr, Expr, int], Expr | None]] = {
    "add": lambda a, b, s: binary("+", a, b, spaced=s % 2 == 0),
    "sub": lambda a, b, s: binary("-", a, b, spaced=s % 2 == 0),
    "mul": product,
    "div": lambda a, b, s: bounded(binary("/", a, wrap_group(one_plus_square(b))), a.bound),
    "div_exp": lambda a, b, s: (
        None
        if b.bound > 12
        else bounded(
            binary("/", a, call("exp", b, sp.exp(b.sym), math.exp(b.bound))),
            a.bound * math.exp(b.bound),
        )
    ),
    # a variable exponent on a base >= 1: (1 + a^2)^tanh(b)
    "pow": lambda a, b, s: bounded(
        binary(
            "^" if s % 2 else "**",
            wrap_group(one_plus_square(a)),
            call("tanh", b, sp.tanh(b.sym), 1),
        ),
        1 + a.bound**2,
    ),
}


def fits(e: Expr | None) -> bool:
    return e is not None and e.bound <= LIMIT


NUMBERS = [
    number("2", sp.Integer(2)),
    number("3", sp.Integer(3)),
    number("0.5", sp.Rational(1, 2)),
    number(".5", sp.Rational(1, 2)),
    number("1.5", sp.Rational(3, 2)),
    number("1e-1", sp.Rational(1, 10)),
    number("2.5e0", sp.Rational(5, 2)),
    Expr("pi", 9, sp.pi, math.pi, "name"),
]


def expressions(names: list[Expr], max_leaves: int = 10) -> st.SearchStrategy[Expr]:
    named = st.sampled_from(names)
    leaves = st.one_of(named, named, st.sampled_from(NUMBERS))  # two names to each number

    def extend(sub: st.SearchStrategy[Expr]) -> st.SearchStrategy[Expr]:
        unary = st.tuples(st.sampled_from(sorted(UNARY)), sub).map(lambda t: UNARY[t[0]](t[1]))
        pairs = st.tuples(st.sampled_from(sorted(BINARY)), sub, sub, st.integers(0, 3))
        return st.one_of(unary, pairs.map(lambda t: BINARY[t[0]](t[1], t[2], t[3]))).filter(fits)

    return st.recursive(leaves, extend, max_leaves=max_leaves)


VARIABLE_LEAVES = [Expr(name, 9, SYMBOLS[name], 2.0, "name") for name in VARIABLES]
# Inputs are k/4 for |k| <= 8: exact binary fractions in [-2, 2].
VALUES = st.integers(-8, 8).map(lambda k: k / 4)
POINTS = st.fixed_dictionaries(dict.fromkeys(VARIABLES, VALUES))


@dataclass(frozen=True)
class Case:
    text: str
    sym: Any  # meaning of the differentiated node
    point: dict[str, float]  # values of VARIABLES, defaults included
    given: dict[str, float]  # what is passed to evaluate()
    output: str | None


@st.composite
def single_expressions(draw: st.DrawFn) -> Case:
    e = draw(expressions(VARIABLE_LEAVES))
    point = draw(POINTS)
    return Case(e.text, e.sym, point, point, None)


@st.composite
def programs(draw: st.DrawFn) -> Case:
    point = draw(POINTS)
    defaults = draw(st.lists(st.sampled_from(VARIABLES), unique=True, max_size=2))
    overridden = draw(st.lists(st.sampled_from(defaults), unique=True)) if defaults else []
    lines = []
    given = dict(point)
    for name in defaults:  # `x = 1.5` lines; some are overridden from the "command line"
        default = draw(VALUES)
        lines.append(f"{name} = {default!r}")
        if name not in overridden:
            given.pop(name)
            point[name] = default
    names = list(VARIABLE_LEAVES)
    steps: list[Expr] = []
    for k in range(draw(st.integers(1, 4))):
        e = draw(expressions(names, max_leaves=6))
        steps.append(e)
        lines.append(f"s{k + 1} = {e.text}")
        names.append(Expr(f"s{k + 1}", 9, e.sym, e.bound, "name"))
    if draw(st.booleans()) or parse_expression(steps[-1].text).kind == "number":
        # A bare last expression (the output "f"). `s2 = 2` would be a default line, and a
        # default line at the end is not the output.
        lines[-1] = lines[-1].split(" = ", 1)[1]
    separator = draw(st.sampled_from(["\n", "; ", ";\n", "  # a comment\n"]))
    output = None
    target = steps[-1]
    if len(steps) > 1 and draw(st.booleans()):
        index = draw(st.integers(0, len(steps) - 2))
        output, target = f"s{index + 1}", steps[index]
    return Case(separator.join(lines), target.sym, point, given, output)


# --- the checks ----------------------------------------------------------------------------


def run(case: Case) -> Any:
    note(f"program: {case.text!r}\nvalues: {case.given}\noutput: {case.output}")
    result = evaluate(
        case.text, output=case.output, **{k: v for k, v in case.given.items() if k in _inputs(case)}
    )
    return result


def _inputs(case: Case) -> set[str]:
    from cgraph_cli.core.graph import compile_program

    return set(compile_program(case.text).input_names)


def exact(expr: Any, point: dict[str, float]) -> float:
    value = complex(expr.evalf(30, subs={SYMBOLS[k]: sp.Rational(v) for k, v in point.items()}))
    assert abs(value.imag) <= 1e-12 * max(1.0, abs(value.real)), f"complex value {value}"
    return value.real


def agree(got: float, expected: float, what: str, rtol: float = RTOL, atol: float = ATOL) -> None:
    assert abs(got - expected) <= max(atol, rtol * abs(expected)), (
        f"{what}:\n  cgraph: {got!r}\n  sympy:  {expected!r}"
    )


def check_against_sympy(case: Case) -> None:
    result = run(case)
    graph = result.graph
    point = {k: v for k, v in case.point.items() if k in graph.input_names}
    scale = max(1.0, abs(exact(case.sym, point)))
    agree(result.value, exact(case.sym, point), "value", atol=ATOL * scale)
    # A step that is a plain number (`s2 = 2`) is an input with a default: use its value.
    leaves = {
        name: SYMBOLS.get(name, sp.Rational(graph.defaults.get(name, 0.0)))
        for name in graph.input_names
    }
    own = node_expressions(graph, leaves)[result.output]
    for name in VARIABLES:
        got = result.gradients.get(name, 0.0)
        if name not in graph.input_names:
            assert sp.diff(case.sym, SYMBOLS[name]) == 0, name
            continue
        independent = exact(sp.diff(case.sym, SYMBOLS[name]), point)
        agree(got, independent, f"d/d{name} vs diff of the meaning of the text", atol=ATOL * scale)
        agree(
            got,
            exact(sp.diff(own, SYMBOLS[name]), point),
            f"d/d{name} vs diff of node_expressions",
            atol=ATOL * scale,
        )


def check_against_differences(case: Case) -> None:
    result = run(case)
    graph = result.graph
    for name in graph.input_names:
        if name not in case.given:
            continue  # a default the case does not vary
        h = 1e-5 * max(1.0, abs(case.given[name]))
        values = {k: v for k, v in case.given.items() if k in graph.input_names}
        up = evaluate(case.text, output=case.output, **{**values, name: values[name] + h})
        down = evaluate(case.text, output=case.output, **{**values, name: values[name] - h})
        numeric = (up.value - down.value) / (2 * h)
        analytic = result.gradients[name]
        noise = 1e-15 * max(abs(up.value), abs(down.value), 1.0) / h
        assert abs(analytic - numeric) <= 1e-5 * max(1.0, abs(analytic)) + 100 * noise, (
            f"d/d{name}:\n  analytic: {analytic!r}\n  numeric:  {numeric!r}"
        )


@given(single_expressions())
def test_expression_gradients_match_sympy(case: Case) -> None:
    check_against_sympy(case)


@given(programs())
def test_program_gradients_match_sympy(case: Case) -> None:
    check_against_sympy(case)


@given(single_expressions())
def test_expression_gradients_match_central_differences(case: Case) -> None:
    check_against_differences(case)


@given(programs())
def test_program_gradients_match_central_differences(case: Case) -> None:
    check_against_differences(case)
