"""Forward and backward passes through the public API: every EXAMPLES.md row, reuse, --output,
domain errors.

Rows are `(program, point, values, gradients)`: `values` holds the forward value of named steps,
`gradients` holds d(output)/d(name) for inputs and named steps alike. Whole numbers must come
out exactly; the transcendental rows must round to the 15 significant digits EXAMPLES.md prints
and match their closed forms to float64 precision.
"""

from __future__ import annotations

import math

import pytest

from cgraph_cli import CgraphError, evaluate
from cgraph_cli.errors import EXIT_DOMAIN, EXIT_USAGE, EvaluationError, InputError, UsageError

ROWS = [
    pytest.param(
        "q = x + y; f = q * z",
        {"x": 2, "y": 3, "z": -4},
        {"q": 5, "f": -20},
        {"q": -4, "x": -4, "y": -4, "z": 5, "f": 1},
        id="1-seed",
    ),
    pytest.param(
        "a = x + y; z = a * w",
        {"x": 2, "y": 3, "w": 4},
        {"a": 5, "z": 20},
        {"x": 4, "y": 4, "w": 5, "a": 4},
        id="2-other-names",
    ),
    pytest.param(
        "z = w * x; y = z + b; d = y - t; L = d^2",
        {"x": 2, "w": 3, "b": 1, "t": 5},
        {"z": 6, "y": 7, "d": 2, "L": 4},
        {"w": 8, "b": 4, "x": 12, "t": -4, "d": 4, "y": 4, "z": 4},
        id="3-regression",
    ),
    pytest.param(
        "z = w * x; y = z + b; loss = y^2",
        {"x": 2, "w": 3, "b": 1},
        {"z": 6, "y": 7, "loss": 49},
        {"w": 28, "b": 14, "x": 42, "y": 14, "z": 14},
        id="4-pytorch",
    ),
    pytest.param(
        "a = x^2; b = x^3; y = a + b",
        {"x": 3},
        {"a": 9, "b": 27, "y": 36},
        {"x": 33, "a": 1, "b": 1},
        id="5-fan-out",
    ),
    pytest.param(
        "d = a + b; e = b - c; Y = d * e",
        {"a": 2, "b": 1, "c": 0},
        {"d": 3, "e": 1, "Y": 3},
        {"a": 1, "b": 4, "c": -3, "d": 1, "e": 3},
        id="6-shared-input",
    ),
    pytest.param("y = 3x^2 + 2x + 1", {"x": 1}, {"y": 6}, {"x": 8}, id="7-polynomial"),
    pytest.param(
        "f = sin(x^2)",
        {"x": 1.5},
        {"f": "0.778073196887921"},
        {"x": "-1.88452086816822"},
        id="8-chain-rule",
    ),
    pytest.param(
        "L = log(sigmoid(w*x + b))",
        {"w": 2, "x": 1, "b": -1},
        {"L": "-0.313261687518223"},
        {"w": "0.268941421369995", "x": "0.537882842739990", "b": "0.268941421369995"},
        id="9-logistic",
    ),
    pytest.param("z = max(x, y)", {"x": 3, "y": 1}, {"z": 3}, {"x": 1, "y": 0}, id="10a-max"),
    pytest.param("r = relu(x)", {"x": -2}, {"r": 0}, {"x": 0}, id="10b-dead-relu"),
]


def matches(got: float, expected: int | str) -> bool:
    """Whole numbers exactly; a decimal string from EXAMPLES.md to its 15 significant digits."""
    if isinstance(expected, int):
        return got == expected
    return float(f"{got:.15g}") == float(expected)


@pytest.mark.parametrize(("program", "point", "values", "gradients"), ROWS)
def test_examples_rows(
    program: str,
    point: dict[str, float],
    values: dict[str, int | str],
    gradients: dict[str, int | str],
) -> None:
    result = evaluate(program, **point)
    graph = result.graph
    named = {name: graph.names[name] for name in {**values, **gradients}}
    assert result.inputs == {name: float(v) for name, v in point.items()}
    for name, expected in values.items():
        got = result.values[named[name]]
        assert matches(got, expected), f"{program}: {name} = {got!r}, expected {expected}"
    for name, expected in gradients.items():
        got = result.grads[named[name]]
        assert matches(got, expected), f"{program}: d/d{name} = {got!r}, expected {expected}"
    last = list(values)[-1]
    assert result.output == graph.names[last] and result.value == result.values[named[last]]
    assert result.gradients == {name: result.grads[graph.names[name]] for name in point}
    assert result.notes == []


def test_row_8_closed_form() -> None:
    result = evaluate("f = sin(x^2)", x=1.5)
    assert result.value == math.sin(2.25)
    assert result.gradients["x"] == 2 * 1.5 * math.cos(2.25)


def test_row_9_closed_form() -> None:
    result = evaluate("L = log(sigmoid(w*x + b))", w=2, x=1, b=-1)
    s = 1 / (1 + math.exp(-1.0))  # sigmoid(w*x + b) = sigmoid(1)
    assert math.isclose(result.value, math.log(s), rel_tol=1e-15)
    for name, factor in (("w", 1.0), ("x", 2.0), ("b", 1.0)):  # dL/dn = 1 - s; times x, w, 1
        assert math.isclose(result.gradients[name], (1 - s) * factor, rel_tol=1e-15), name


def test_seed_edges_carry_their_local_gradients() -> None:
    """Add passes 1 to each input; multiply swaps the other input's value in."""
    result = evaluate("q = x + y; f = q * z", x=2, y=3, z=-4)
    ids = [node.id for node in result.graph.nodes]
    edges = [(ids[a], ids[b], local) for a, b, local in result.edges()]
    assert edges == [("n0", "n3", 1.0), ("n1", "n3", 1.0), ("n3", "n4", -4.0), ("n2", "n4", 5.0)]
    assert result.local_grads == [(), (), (), (1.0, 1.0), (-4.0, 5.0)]


def test_the_api_matches_the_mission_command() -> None:
    result = evaluate("(x+y)*z", x=2, y=3, z=-4)
    assert (result.value, result.gradients) == (-20.0, {"x": -4.0, "y": -4.0, "z": 5.0})
    assert result.graph.nodes[result.output].name == "f"


# --- reuse: backward adds, never overwrites ---------------------------------------------------


@pytest.mark.parametrize(
    ("program", "point", "value", "gradients"),
    [
        ("x*x", {"x": 3}, 9, {"x": 6}),
        ("x*x*x", {"x": 2}, 8, {"x": 12}),
        ("x + x + x", {"x": 5}, 15, {"x": 3}),
        ("x*y + x", {"x": 2, "y": 5}, 12, {"x": 6, "y": 2}),
        ("x/x", {"x": 4}, 1, {"x": 0}),
        ("x - x", {"x": 4}, 0, {"x": 0}),
        ("s = x + 1; a = s * 2; b = s^2; c = 3*s; f = a + b + c", {"x": 1}, 14, {"x": 9}),
        ("(a+b)*(b-c)", {"a": 2, "b": 1, "c": 0}, 3, {"a": 1, "b": 4, "c": -3}),
        ("sin(x)^2 + cos(x)^2", {"x": 0}, 1, {"x": 0}),
    ],
)
def test_reuse_sums_the_gradients(
    program: str, point: dict[str, float], value: float, gradients: dict[str, float]
) -> None:
    result = evaluate(program, **point)
    assert result.value == value
    assert result.gradients == gradients


def test_a_name_used_by_three_steps_gets_three_contributions() -> None:
    result = evaluate("s = x + 1; a = s * 2; b = s^2; c = 3*s; f = a + b + c", x=1)
    graph = result.graph
    s = graph.names["s"]
    # a contributes 2, b contributes 2s = 4, c contributes 3.
    contributions = [result.grads[to] * local for src, to, local in result.edges() if src == s]
    assert contributions == [2.0, 4.0, 3.0]
    assert result.grads[s] == 9.0


def test_x_times_x_has_two_edges_from_the_same_node() -> None:
    result = evaluate("x*x", x=3)
    assert result.edges() == [(0, 1, 3.0), (0, 1, 3.0)]


def test_one_graph_serves_many_points() -> None:
    from cgraph_cli import compile_program
    from cgraph_cli.core.autodiff import evaluate as evaluate_graph

    graph = compile_program("f = x^2 + y")
    first = evaluate_graph(graph, {"x": 1.0, "y": 0.0})
    second = evaluate_graph(graph, {"x": 3.0, "y": 0.0})
    assert (first.value, first.gradients) == (1.0, {"x": 2.0, "y": 1.0})
    assert (second.value, second.gradients) == (9.0, {"x": 6.0, "y": 1.0})
    assert first.graph is second.graph


# --- defaults and --output -------------------------------------------------------------------


def test_defaults_from_the_program_and_their_override() -> None:
    assert evaluate("x = 2; y = 3; f = x*y").value == 6.0
    assert evaluate("x = 2; y = 3; f = x*y", y=10).inputs == {"x": 2.0, "y": 10.0}


@pytest.mark.parametrize(
    ("output", "value", "gradients"),
    [
        ("q", 5, {"x": 1, "y": 1, "z": 0}),
        ("f", -20, {"x": -4, "y": -4, "z": 5}),
        ("n3", 5, {"x": 1, "y": 1, "z": 0}),  # by id
        ("z", -4, {"x": 0, "y": 0, "z": 1}),  # an input differentiates to itself
    ],
)
def test_output_of_a_named_step(output: str, value: float, gradients: dict[str, float]) -> None:
    result = evaluate("q = x + y; f = q * z", output=output, x=2, y=3, z=-4)
    assert result.value == value
    assert result.gradients == gradients
    assert result.graph.output == 4  # the program's output is unchanged; only the target moves


def test_output_differentiates_an_inner_step_of_the_regression() -> None:
    result = evaluate("z = w * x; y = z + b; d = y - t; L = d^2", output="y", x=2, w=3, b=1, t=5)
    assert (result.value, result.gradients) == (7.0, {"w": 2.0, "x": 3.0, "b": 1.0, "t": 0.0})


def test_output_that_does_not_exist() -> None:
    with pytest.raises(UsageError) as caught:
        evaluate("q = x + y; f = q * z", output="qq", x=2, y=3, z=-4)
    assert caught.value.message == "the program has no step or variable named `qq`"
    assert caught.value.hint == "did you mean `q`?"
    assert caught.value.exit_code == EXIT_USAGE


# --- errors ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("program", "point", "message"),
    [
        (
            "log(x)",
            {"x": -1},
            "math domain error in node n1 (f = log(x)): log needs a positive argument\n  at x = -1",
        ),
        (
            "q = x - 1; f = 1/q",
            {"x": 1},
            "math domain error in node n4 (f = 1 / q): division by zero\n  at x = 1",
        ),
        (
            "sqrt(x)",
            {"x": -1},
            "math domain error in node n1 (f = sqrt(x)): sqrt needs a non-negative argument\n"
            "  at x = -1",
        ),
        (
            "exp(x)",
            {"x": 1000},
            "math domain error in node n1 (f = exp(x)): the result overflows a 64-bit float\n"
            "  at x = 1000",
        ),
        (
            "q = x - 2; r = log(q); f = r*3",
            {"x": 1},
            "math domain error in node n3 (r = log(q)): log needs a positive argument\n  at x = 1",
        ),
        (
            "x^0.5",
            {"x": -4},
            "math domain error in node n2 (f = x^0.5): a negative base (-4) needs a "
            "whole-number exponent, not 0.5\n  at x = -4",
        ),
        (
            "asin(x) + y",
            {"x": 2, "y": 0},
            "math domain error in node n2 (asin(x)): asin needs an argument between -1 and 1\n"
            "  at x = 2",
        ),
        (
            "sqrt(x)",
            {"x": 0},
            "the gradient cannot be computed through node n1 (f = sqrt(x)): sqrt has an infinite "
            "slope at 0\n  at x = 0",
        ),
    ],
)
def test_domain_errors_name_the_node(program: str, point: dict[str, float], message: str) -> None:
    with pytest.raises(EvaluationError) as caught:
        evaluate(program, **point)
    assert caught.value.message == message
    assert caught.value.exit_code == EXIT_DOMAIN == 3


def test_domain_error_hint_says_what_to_do() -> None:
    with pytest.raises(EvaluationError) as caught:
        evaluate("log(x)", x=-1)
    assert caught.value.hint == "choose input values where log(x) is defined"


def test_missing_values_are_listed_together() -> None:
    with pytest.raises(InputError) as caught:
        evaluate("(x+y)*z", x=1)
    assert str(caught.value) == "missing values for y, z\nhint: give them, as in y=1, z=1"
    assert caught.value.exit_code == EXIT_USAGE


def test_unknown_value_suggests_the_near_name() -> None:
    with pytest.raises(InputError) as caught:
        evaluate("alpha*x", alpah=1, x=2)
    assert caught.value.message == "the program has no variable named alpah"
    assert caught.value.hint == "did you mean `alpha`?"


def test_errors_are_one_family() -> None:
    for program, point in (("x +", {}), ("log(x)", {"x": -1}), ("x", {})):
        with pytest.raises(CgraphError):
            evaluate(program, **point)
