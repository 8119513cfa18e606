"""The text printer's promise: every formula cgraph prints as text, cgraph's own parser reads
back into an equal expression. Checked on generated SymPy expressions over EVERY op of the
table (each op's own SymPy form, so a new op is covered the day it is added), including the
kinked ones (relu, abs, max/min with 2 and 3 arguments, leaky_relu with and without its
slope) and powers with variable exponents; and on the derivatives of those expressions as
`cgraph diff` computes them (the kinked partials print as heaviside(t, h0) and sign(t)).

Profiles (`ci`, `fuzz`) live in tests/conftest.py.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
import sympy as sp
from hypothesis import given, note
from hypothesis import strategies as st
from typer.testing import CliRunner

from cgraph_cli.cli.app import app
from cgraph_cli.core.graph import compile_program
from cgraph_cli.core.ops import OPS
from cgraph_cli.symbolic.derivatives import derivatives
from cgraph_cli.symbolic.expressions import node_expressions
from cgraph_cli.symbolic.printing import latex, pretty, text
from cgraph_cli.symbolic.sweep import local_partial

NAMES = ("x", "y", "w1", "alpha")
SYMBOLS = [sp.Symbol(name, real=True) for name in NAMES]
LEAVES = st.sampled_from(
    [*SYMBOLS, sp.Integer(2), sp.Integer(-3), sp.Rational(1, 2), sp.Rational(-5, 7), sp.pi, sp.E]
)


def arities(name: str) -> list[int]:
    spec = OPS[name]
    top = spec.max_args if spec.max_args is not None else 3
    return list(range(spec.min_args, top + 1))


APPLICATIONS = [(name, n) for name in sorted(OPS) for n in arities(name)]


def applied(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """An op of the table on generated arguments, or one of its local partials there."""

    @st.composite
    def build(draw: Any) -> Any:
        name, count = draw(st.sampled_from(APPLICATIONS))
        args = [draw(children) for _ in range(count)]
        if draw(st.booleans()):
            return OPS[name].sympy(sp, *args)
        return local_partial(name, draw(st.integers(0, count - 1)), args)

    return build()


EXPRESSIONS = st.recursive(LEAVES, applied, max_leaves=6)


def read_back(written: str, symbols: Any = ()) -> Any:
    """The text parsed by cgraph and built as SymPy, names as the given real symbols."""
    graph = compile_program(written)
    known = {s.name: s for s in [*SYMBOLS, *symbols]}
    return node_expressions(graph, {n: known[n] for n in graph.input_names})[graph.output]


def same(a: Any, b: Any) -> bool:
    return a == b or sp.simplify(a - b) == 0


def printable(expr: Any) -> bool:
    """Skip what is not a real formula at all: 1/0, log(-2) and the like."""
    return not expr.has(sp.zoo, sp.oo, -sp.oo, sp.nan, sp.I)


@given(EXPRESSIONS)
def test_every_printed_formula_reads_back_equal(expr: Any) -> None:
    if not printable(expr):
        return
    written = text(expr)
    note(f"printed: {written}")
    assert "**" not in written and "Piecewise" not in written and "Heaviside" not in written
    assert same(read_back(written), expr), written


@pytest.mark.parametrize(
    ("expr", "written"),
    [
        (sp.Heaviside(SYMBOLS[0], sp.Rational(1, 2)), "heaviside(x, 1/2)"),
        (sp.Heaviside(SYMBOLS[0]), "heaviside(x, 1/2)"),  # SymPy's default value at 0
        (sp.Heaviside(SYMBOLS[0], 0), "heaviside(x, 0)"),
        (sp.sign(SYMBOLS[0]) * SYMBOLS[1] ** 2, "y^2*sign(x)"),
        (sp.Max(SYMBOLS[0], SYMBOLS[1], 0), "max(0, x, y)"),
        (sp.Abs(SYMBOLS[0]) ** SYMBOLS[1], "abs(x)^y"),
        (sp.E ** SYMBOLS[0] + sp.E, "exp(x) + e"),
        (sp.sec(SYMBOLS[0]), "sec(x)"),  # table ops (issue 11) print as typed
        (sp.coth(SYMBOLS[0]), "coth(x)"),
        (sp.erf(SYMBOLS[0]), "erf(x)"),
        (SYMBOLS[3] ** -2, "alpha^(-2)"),
    ],
)
def test_spelling(expr: Any, written: str) -> None:
    assert text(expr) == written
    assert same(read_back(written), expr)


def test_pretty_and_latex_show_heavisides_value_at_zero() -> None:
    """SymPy draws θ(x - y) whatever the value at 0; the convention is the whole point."""
    x, y = SYMBOLS[:2]
    form = sp.Heaviside(x - y, sp.Rational(1, 2))
    assert "heaviside(x - y, 1/2)" in pretty(form).render(wrap_line=False)
    assert latex(form) == r"\operatorname{heaviside}\left(x - y, \frac{1}{2}\right)"


PROGRAMS = [
    "relu(x) * leaky_relu(y, a) + abs(x*y)",
    "max(x, y, z) + min(x, 2*y)",
    "max(x, y)^z",
    "leaky_relu(x)",
    "x^y + y^(x + 1)",
    "sigmoid(w*x + b)",
    "q = x + y; f = q * z",
    "log2(x) + log10(y) + sqrt(x*y)",
    "tanh(x)^2 + tan(y) - exp(-x)",
    "sign(x) * heaviside(y, 1/2) + asin(x/2) + acos(y/3) + atan(x) + sinh(y) + cosh(x)",
    "softplus(x) - cos(y) * sin(x)",
]


@pytest.mark.parametrize("program", PROGRAMS)
@pytest.mark.parametrize("form", ["--inputs", "--steps"])
def test_diff_json_formulas_read_back(program: str, form: str) -> None:
    """`diff --json` prints derivatives and step definitions that the parser reads back into
    the expressions the symbolic sweep computes (tidying is time-boxed, so equal up to
    simplification)."""
    result = CliRunner().invoke(app, ["diff", program, "--json", form])
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    graph = compile_program(program)
    wrt = [graph.index_of(item["wrt"]) for item in document["derivatives"]]
    computed = derivatives(graph, wrt, in_steps=form == "--steps")
    steps = dict(computed.steps)
    for item, ours in zip(document["derivatives"], computed.items, strict=True):
        assert "**" not in item["expr"]
        assert same(read_back(item["expr"], ours.expr.free_symbols), ours.expr), item
    for step in document.get("steps", []):
        assert same(read_back(step["expr"], steps[step["name"]].free_symbols), steps[step["name"]])
