"""Higher derivatives: `check --order 2`, `check --wrt x,y` (mixed), `diff --order N` and
`eval --order 2` (the Hessian), each number checked two ways: against SymPy's own `diff` of
the expression and against central differences of cgraph's reverse-mode gradient."""

from __future__ import annotations

import json
from typing import Any

import pytest
import sympy as sp
from helpers import cgraph

from cgraph_cli.core.autodiff import evaluate
from cgraph_cli.core.graph import compile_program
from cgraph_cli.core.question import higher_sequence
from cgraph_cli.errors import UsageError
from cgraph_cli.homework.check import Outcome, Problem, check
from cgraph_cli.homework.problem_file import read_problems
from cgraph_cli.symbolic import higher

ENV = {"COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb"}


def invoke(*args: str) -> Any:
    return cgraph(*args, env=ENV)


def ok(code: int, *args: str) -> str:
    result = invoke(*args)
    assert result.exit_code == code, f"{result.exit_code}\n{result.stdout}\n{result.stderr}"
    assert "Traceback" not in result.output
    return result.stdout


@pytest.mark.parametrize(
    ("program", "wrt", "order", "answer", "verdict"),
    [
        ("x^3", "x", 2, "6x", Outcome.CORRECT),
        ("x^3", "x", 2, "3x^2", Outcome.WRONG),
        ("sin(x^2)", "x", 2, "2cos(x^2) - 4x^2 sin(x^2)", Outcome.CORRECT),
        ("sin(x^2)", "x", 2, "-4x^2 sin(x^2)", Outcome.WRONG),
        ("exp(2x)", "x", 3, "8exp(2x)", Outcome.CORRECT),
        ("log(x)", "x", 2, "-1/x^2", Outcome.CORRECT),
        ("sigmoid(x)", "x", 2, "sigmoid(x)(1-sigmoid(x))(1-2sigmoid(x))", Outcome.CORRECT),
        ("x^2*y^3", "x,y", 1, "6x y^2", Outcome.CORRECT),
        ("x^2*y^3", "y,x", 1, "6x y^2", Outcome.CORRECT),
        ("x^2*y^3", "x,y", 1, "2x", Outcome.WRONG),
        ("x^2*y^3", "x,x,y", 1, "6y^2", Outcome.CORRECT),
        ("(w*x+b-t)^2", "w,x", 1, "2(w x + b - t) + 2w x", Outcome.CORRECT),
        ("relu(x)*x", "x", 2, "2*relu(x)/x", Outcome.CORRECT),  # 2 for x > 0, 0 below
        ("abs(x)", "x", 2, "0", Outcome.CORRECT),
    ],
)
def test_check_higher(program: str, wrt: str, order: int, answer: str, verdict: Outcome) -> None:
    result = check(Problem(program, wrt, answer, order=order))
    assert result.outcome is verdict, result.method


def test_numeric_answer_at_a_point() -> None:
    right = check(Problem("x^2*y^3", "x,y", "24", {"x": 1.0, "y": 2.0}))
    assert (right.outcome, right.kind) == (Outcome.CORRECT, "numeric")
    wrong = check(Problem("x^3", "x", "12", {"x": 1.0}, order=2))
    assert wrong.outcome is Outcome.WRONG
    assert (wrong.at_point.expected, wrong.at_point.answer) == (6.0, 12.0)


def test_check_terminal_and_json() -> None:
    out = ok(1, "check", "x^3", "--wrt", "x", "--order", "2", "--answer", "3x^2", "--x", "1")
    assert out.split("\n")[:3] == ["wrong", "∂²f/∂x² = 6*x", "your answer: 3x^2"]
    assert out.split("\n")[-3:] == ["at x = 1:", "  ∂²f/∂x² = 6, your answer = 3", ""]
    document = json.loads(ok(0, "check", "x^2*y^3", "--wrt", "x,y", "--answer", "6x y^2", "--json"))
    assert (document["wrt"], document["order"], document["name"]) == ("x,y", 2, "∂²f/∂x∂y")
    assert document["derivative"] == "6*x*y^2"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("x*y", "--wrt", "x,y", "--order", "2"), "give either a list of variables"),
        (("x^2", "--order", "9"), "--order must be between 1 and 8"),
        (("q = x + 1; f = q^2", "--wrt", "q", "--order", "2"), "`q` is a step"),
        (("x*y", "--order", "2"), "say which variables"),
        (("x^2", "--wrt", "x,,x"), "--wrt has an empty name"),
    ],
)
def test_check_higher_usage_errors(args: tuple[str, ...], message: str) -> None:
    result = invoke("check", *args, "--answer", "0")
    assert result.exit_code == 2, result.output
    assert message in result.stderr


def test_order_column_in_a_problem_file(tmp_path: Any) -> None:
    path = tmp_path / "p.csv"
    path.write_text("expression,wrt,answer,order\nx^3,x,6x,2\nx^3,x,3x^2,\nx^3,x,6x,two\n")
    problems = read_problems(str(path))
    assert [p.order for p in problems] == [2, 1, 1]
    assert problems[2].error == "line 4: order must be a whole number like 2, got 'two'"
    assert [check(p).outcome for p in problems[:2]] == [Outcome.CORRECT, Outcome.CORRECT]


def test_names() -> None:
    graph = compile_program("x^2*y^3")
    x, y = graph.names["x"], graph.names["y"]
    assert higher.name("f", graph, [x]) == "∂f/∂x"
    assert higher.name("f", graph, [x, x]) == "∂²f/∂x²"
    assert higher.name("f", graph, [x, y]) == "∂²f/∂x∂y"
    assert higher.name("f", graph, [x, x, y]) == "∂³f/∂x²∂y"


# --- diff --order ----------------------------------------------------------------------------


def test_diff_order() -> None:
    assert ok(0, "diff", "x^3*y", "--order", "2", "--x", "2", "--y", "1").split("\n")[:2] == [
        "∂²f/∂x² = 6⋅x⋅y = 12",
        "∂²f/∂y² = 0",
    ]
    document = json.loads(ok(0, "diff", "sin(x^2)", "--order", "3", "--json"))
    (item,) = document["derivatives"]
    assert (item["name"], item["order"]) == ("∂³f/∂x³", 3)
    x = sp.Symbol("x", real=True)
    assert sp.simplify(sp.sympify(item["expr"], locals={"x": x}) - sp.diff(sp.sin(x**2), x, 3)) == 0
    latex = ok(0, "diff", "x^3", "--order", "2", "--latex", "--x", "2")
    assert latex.strip() == r"\frac{\partial^{2} f}{\partial x^{2}} = 6 x = 12"


# --- eval --order 2: the Hessian ---------------------------------------------------------------

PROGRAMS = [
    ("z = w * x; y = z + b; d = y - t; L = d^2", {"x": 2.0, "w": 3.0, "b": 1.0, "t": 5.0}),
    ("L = log(sigmoid(w*x + b))", {"w": 2.0, "x": 1.0, "b": -1.0}),
    ("f = sin(x^2)", {"x": 1.5}),
    ("f = x*y*exp(x - y) + tanh(x)/y", {"x": 0.3, "y": 1.7}),
]


def _central(graph: Any, point: dict[str, float], i: str, j: str, h: float = 1e-5) -> float:
    """∂/∂j of the reverse-mode ∂f/∂i, by a central difference."""
    up = evaluate(graph, {**point, j: point[j] + h}).gradients[i]
    down = evaluate(graph, {**point, j: point[j] - h}).gradients[i]
    return (up - down) / (2 * h)


@pytest.mark.parametrize(("program", "point"), PROGRAMS)
def test_hessian_against_sympy_and_finite_differences(
    program: str, point: dict[str, float]
) -> None:
    graph = compile_program(program)
    hessian = higher.hessian(graph, point)
    symbols = {name: sp.Symbol(name, real=True) for name in graph.input_names}
    from cgraph_cli.symbolic.expressions import node_expressions

    f = node_expressions(graph, symbols)[graph.output]
    exact = {symbols[n]: sp.Rational(repr(v)) for n, v in point.items()}
    for a, i in enumerate(hessian.inputs):
        for b, j in enumerate(hessian.inputs):
            value = hessian.matrix[a][b]
            by_sympy = float(sp.diff(f, symbols[i], symbols[j]).xreplace(exact).evalf(30))
            assert value == pytest.approx(by_sympy, rel=1e-12, abs=1e-12), (i, j, value, by_sympy)
            by_differences = _central(graph, point, i, j)
            assert value == pytest.approx(by_differences, rel=1e-5, abs=1e-6), (i, j)
            assert hessian.matrix[b][a] == value


def test_eval_order_2_table_and_json() -> None:
    args = ("eval", "(w*x+b-t)^2", "--x", "2", "--w", "3", "--b", "1", "--t", "5", "--order", "2")
    lines = [line.rstrip() for line in ok(0, *args).strip().split("\n")]
    assert lines[-7:] == [
        "second derivatives ∂²f/∂row∂column:",
        "     w    x    b    t",
        "━━━━━━━━━━━━━━━━━━━━━",
        "w    8   16    4   -4",
        "x   16   18    6   -6",
        "b    4    6    2   -2",
        "t   -4   -6   -2    2",
    ]
    document = json.loads(ok(0, *args, "--json"))
    assert document["hessian"]["inputs"] == ["w", "x", "b", "t"]
    assert document["hessian"]["matrix"][1] == [16.0, 18.0, 6.0, -6.0]
    assert document["hessian"]["exprs"][0][0] == "2*x^2"


def test_eval_order_bounds() -> None:
    result = invoke("eval", "x*y", "--x", "1", "--y", "2", "--order", "3")
    assert result.exit_code == 2
    many = " + ".join(f"x{i}^2" for i in range(13))
    values = [arg for i in range(13) for arg in (f"--x{i}", "1")]
    result = invoke("eval", many, *values, "--order", "2")
    assert result.exit_code == 2, result.output
    assert "up to 12 inputs" in result.stderr


def test_hessian_of_kinks_follows_pytorch() -> None:
    """relu'' = 0 and abs'' = 0, as PyTorch's double backward gives, even at the kink."""
    graph = compile_program("relu(x)*y + abs(x)")
    assert higher.hessian(graph, {"x": 0.0, "y": 2.0}).matrix == [[0.0, 0.0], [0.0, 0.0]]
    assert higher.hessian(graph, {"x": 1.0, "y": 2.0}).matrix == [[0.0, 1.0], [1.0, 0.0]]


def test_sequence_rejects_a_step() -> None:
    with pytest.raises(UsageError, match="is a step"):
        higher_sequence(compile_program("q = x + 1; f = q^2"), "q", 2)


def test_the_given_point_decides_for_higher_derivatives_too() -> None:
    """First derivatives were judged at the given point as well as by sampling; the copy of
    that rule for higher ones was not, so an answer 9e300 off at the user's own point was
    "correct (equal at 48 sampled points)". One rule now (check.judge)."""
    at = {"x": 1e301, "y": 1.0}
    second = check(Problem("x*y", "x", "relu(x - 1e300)", at, order=2))
    # the method says the point decided (sampling now finds the switch at 1e300 as well)
    assert second.outcome is Outcome.WRONG
    assert second.method.startswith("not equal at the given point")
    assert second.counterexample is not None
    assert (second.counterexample.expected, second.counterexample.answer) == (0.0, 9e300)
    mixed = check(Problem("x*y", "x,y", "1 + relu(x - 1e300)", at))
    assert mixed.outcome is Outcome.WRONG
    assert mixed.method.startswith("not equal at the given point")
