"""The one reverse sweep (core/sweep.py) and every consumer of it agree.

On generated small programs (named steps, reuse, fan-out, kinks met at ties) at a point of
exact binary fractions, each input's gradient is found every way cgraph finds one, and all must
agree with the float pass (core/autodiff.py):

- exact Fractions (core/exact.py), when the program is rational, equal to SymPy's exactly;
- SymPy at the exact point (symbolic/sweep.py: what exact forms show);
- `diff`'s derivatives, in the inputs and in the named steps, evaluated at the point;
- explain's walk: each step's terms sum to its total, each symbolic local gradient equals the
  number shown beside it, and the symbolic walk's totals and the closed forms, evaluated at the
  point, equal the gradients.

Then reverse_sweep itself on integers: fan-in, constants, `stop` and a given order.
"""

from __future__ import annotations

import math
import re
from typing import Any

import pytest
import sympy as sp
from hypothesis import assume, given, note, settings
from hypothesis import strategies as st

from cgraph_cli.core.autodiff import Evaluation
from cgraph_cli.core.exact import rational_values
from cgraph_cli.core.graph import INPUT, Graph, compile_program
from cgraph_cli.core.numbers import format_number
from cgraph_cli.core.question import run
from cgraph_cli.core.sweep import reverse_sweep
from cgraph_cli.errors import CgraphError, TooComplex
from cgraph_cli.symbolic.derivatives import derivatives
from cgraph_cli.symbolic.exact import exact_forms
from cgraph_cli.symbolic.expressions import node_expressions
from cgraph_cli.symbolic.limits import measures
from cgraph_cli.symbolic.sweep import local_partial, symbolic_gradients
from cgraph_cli.views.chain import closed_forms, walk
from cgraph_cli.views.page import backward_steps

VARIABLES = ("x", "y", "z")
# One step each: {0}, {1}, {2} are operands (inputs, earlier steps or constants).
RATIONAL_STEPS = (
    "{0} + {1}",
    "{0} - {1}",
    "{0} * {1}",
    "{0} / (1 + {1}^2)",
    "({0})^2",
    "({0})^3",
    "-{0}",
    "{0} * {0} - {1}",
)
KINKED_STEPS = (
    "relu({0})",
    "abs({0})",
    "max({0}, {1})",
    "min({0}, {1})",
    "max({0}, {1}, {2})",
    "min({0}, {1}, {2})",
    "leaky_relu({0})",
)
SMOOTH_STEPS = (
    "sin({0})",
    "tanh({0})",
    "exp(sin({0}))",
    "sqrt(1 + {0}^2)",
    "(1 + {0}^2)^tanh({1})",
    "sigmoid({0})",
)
CONSTANTS = ("2", "0.5", "3")
Case = tuple[str, dict[str, float], str | None]  # program, point, output (None: the last)
VALUES = st.integers(-8, 8).map(lambda k: k / 4)  # exact binary fractions in [-2, 2]


@st.composite
def programs(draw: st.DrawFn, templates: tuple[str, ...]) -> Case:
    """A program of 1-5 named steps over x, y, z; operands repeat, so ties and reuse happen.
    The output is the last step, or now and then an earlier one (`--output`)."""
    pool = list(VARIABLES)
    lines = []
    for k in range(draw(st.integers(1, 5))):
        template = draw(st.sampled_from(templates))
        operands = [draw(st.sampled_from(pool + list(CONSTANTS[:1]))) for _ in range(3)]
        if all(o in CONSTANTS for o in operands):
            operands[0] = pool[-1]
        lines.append(f"s{k} = " + template.format(*operands))
        pool.append(f"s{k}")
    point = {name: draw(VALUES) for name in VARIABLES}
    output = draw(st.one_of(st.none(), st.sampled_from(pool[len(VARIABLES) :])))
    return "\n".join(lines), point, output


def close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def label_values(graph: Graph, evaluation: Evaluation) -> dict[Any, Any]:
    """Each node's label symbol -> its exact value. Inputs are read as exact forms read them:
    k/4 exactly, and a constant step's default 0.4 (`s = 2/(1 + 2^2)`) as 2/5."""
    leaves = {name: sp.Rational(repr(v)) for name, v in evaluation.inputs.items()}
    exact = node_expressions(graph, leaves)
    return {sp.Symbol(node.label, real=True): exact[i] for i, node in enumerate(graph.nodes)}


def at_point(expr: Any, values: dict[Any, Any]) -> float:
    return float(sp.sympify(expr).xreplace(values))


def agree(program: str, point: dict[str, float], output: str | None = None) -> bool:
    """Every consumer of the sweep gives the float pass's gradients at `point` (False: the
    program has no finite gradients there, nothing to compare)."""
    used = {name: value for name, value in point.items() if re.search(rf"\b{name}\b", program)}
    try:
        evaluation = run(program, used, output)
    except CgraphError:
        return False
    graph = evaluation.graph
    if not all(math.isfinite(g) for g in evaluation.grads):
        return False
    inputs = [i for i, node in enumerate(graph.nodes) if node.op == INPUT]
    grads = evaluation.grads
    values = label_values(graph, evaluation)
    exact_values = [values[sp.Symbol(node.label, real=True)] for node in graph.nodes]

    # SymPy at the exact point: the sweep behind exact forms
    varying = [i for i in range(len(graph.nodes)) if graph.varying[i]]  # constants: no sweep
    at = symbolic_gradients(graph, exact_values, evaluation.output, varying)
    for index in varying:
        assert close(float(at[index]), grads[index]), (index, at[index], grads[index])

    # Fractions: exactly SymPy's numbers
    rational = rational_values(evaluation)
    if rational is not None:
        assert [sp.Rational(rational[1][i]) for i in varying] == [at[i] for i in varying]

    # diff, in the inputs and in the named steps
    for in_steps in (False, True):
        found = derivatives(graph, inputs, evaluation.output, in_steps=in_steps)
        steps = dict(values)
        for name, definition in found.steps:
            steps[sp.Symbol(name, real=True)] = definition.xreplace(steps)
        for item in found.items:
            assert close(at_point(item.expr, steps), grads[item.index]), (in_steps, item)

    # explain at the point: terms sum to totals, symbolic locals equal the numbers shown
    shown = walk(graph, evaluation)
    for step in shown.steps:
        assert step.total == (1.0 if step.node == shown.output else grads[step.node])
        if not step.terms:
            continue
        assert close(sum(t.upstream * t.local_value for t in step.terms), step.total)
        for term in step.terms:
            assert close(at_point(term.local, values), term.local_value), term
    for index, form in closed_forms(shown).items():
        assert close(at_point(form, values), grads[index]), (index, form)

    # explain without a point: symbolic totals
    try:
        symbolic = walk(graph, output=evaluation.output)
    except TooComplex:
        return True
    for step in symbolic.steps:
        assert close(at_point(step.total, values), grads[step.node]), step
    return True


AGREEMENT = settings(max_examples=max(10, settings.default.max_examples // 2))


@AGREEMENT
@given(programs(RATIONAL_STEPS))
def test_rational_programs_agree_every_way(case: Case) -> None:
    note(case[0])
    assume(agree(*case))


@AGREEMENT
@given(programs(RATIONAL_STEPS + KINKED_STEPS))
def test_kinked_programs_agree_every_way_at_ties(case: Case) -> None:
    note(case[0])
    assume(agree(*case))


@AGREEMENT
@given(programs(RATIONAL_STEPS + SMOOTH_STEPS))
def test_smooth_programs_agree_every_way(case: Case) -> None:
    note(case[0])
    assume(agree(*case))


@pytest.mark.parametrize(
    ("program", "point"),
    [
        ("s0 = max(x, x)", {"x": 1.0}),  # a tie with itself: 1/2 + 1/2
        ("s0 = max(x, y, z)", {"x": 1.0, "y": 1.0, "z": 1.0}),  # a three-way tie: 1/3 each
        ("s0 = min(x, y, 0.5) * x", {"x": 0.5, "y": 0.5}),
        ("s0 = relu(x) + abs(y)\ns1 = s0 * s0", {"x": 0.0, "y": 0.0}),
        ("s0 = x * y\ns1 = s0 + x\ns2 = s1 * s0", {"x": 0.25, "y": -1.5}),
        ("s0 = x / (1 + y^2)\ns1 = s0^3 - s0", {"x": 1.5, "y": 0.5}),
    ],
)
def test_the_issue_cases_agree_every_way(program: str, point: dict[str, float]) -> None:
    assert agree(program, point)


# --- the sweep itself ------------------------------------------------------------------------


def counts(program: str, **options: Any) -> dict[str, int]:
    """The sweep on integers with every local partial 1: the number of output-to-node paths."""
    graph = compile_program(program)
    swept = reverse_sweep(
        graph,
        graph.output,
        lambda index, flows: sum(flows) if flows else 1,
        lambda index, position, count: count,
        **options,
    )
    return {graph.nodes[i].label: n for i, n in swept.adjoints.items()}


def test_fan_in_sums_every_path_and_constants_get_nothing() -> None:
    # a = x*y; b = a + x; f = a*b: x reaches f by a (twice: directly and through b) and b
    found = counts("a = x * y\nb = a + x\nf = a * b + 2")
    assert {k: v for k, v in found.items() if not k.startswith("n")} == {
        "f": 1,
        "a": 2,
        "b": 1,
        "x": 3,
        "y": 2,
    }


def test_a_reused_argument_flows_once_per_position() -> None:
    assert counts("f = x * x")["x"] == 2


def test_stop_gives_the_stop_node_its_adjoint_and_passes_nothing_below() -> None:
    graph = compile_program("a = x * y\nf = sin(a) + a")
    a = graph.index_of("a")
    found = counts("a = x * y\nf = sin(a) + a", stop=a)
    assert found["a"] == 2 and "x" not in found and "y" not in found
    assert a == max(graph.index_of("x"), graph.index_of("y")) + 1


def test_a_node_the_output_does_not_need_is_never_reached() -> None:
    found = counts("a = exp(x)\nb = y * y\nf = b")
    assert "a" not in found and "x" not in found and found["y"] == 2


def test_the_size_estimate_is_the_sweep_on_integers() -> None:
    # f = x*x: the adjoint of x is 2 flows of (1 + size of the other argument, 1) = 4
    graph = compile_program("f = x * x")
    assert measures(graph, graph.output, False, [graph.index_of("x")]).derivatives == 4


# --- disagreements found while merging the copies ----------------------------------------


def test_exact_forms_at_a_zero_base_show_the_constant() -> None:
    # SymPy's d(x^n)/dx is n x^n / x: 0/0 at x = 0, so the exact gradient was NaN and the
    # "(= pi)" beside 3.14159265358979 went missing. The table now gives n x^(n-1).
    _, grads = exact_forms(run("x^3 + pi*x", {"x": 0}))
    assert grads[0] == "pi"


def test_explain_writes_a_power_slope_as_diff_does() -> None:
    x, y = sp.symbols("x y", real=True)
    assert local_partial("pow", 0, [x, y]) == y * x ** (y - 1)  # explain printed x^y*y/x
    assert derivatives(compile_program("x^y"), [0]).items[0].expr == y * x ** (y - 1)


def test_the_page_ends_each_gradient_on_the_tables_number() -> None:
    # The page added a fan-out's paths in its reading order, the float pass in node order:
    # the last step said 0.0600000000000001 where eval said 0.0599999999999999.
    program = "a = x*0.85\nb = x*-0.73\nc = x*0.43\nd = x*-0.49\nf = a + b + c + d"
    evaluation = run(program, {"x": 1})
    shown = walk(evaluation.graph, evaluation)
    lines = dict.fromkeys(range(len(evaluation.graph.nodes)), "")
    finished = [
        grad for step in backward_steps(shown, lines, 15) for grad in step["grads"] if grad[2]
    ]
    x = evaluation.graph.index_of("x")
    assert [text for node, text, _ in finished if node == x] == ["0.0599999999999999"]
    assert format_number(evaluation.grads[x], 15) == "0.0599999999999999"
