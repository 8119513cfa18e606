"""`cgraph diff`: symbolic derivatives by one reverse sweep, checked against SymPy's own `diff`.

The core (`symbolic.derivatives`) on every EXAMPLES.md row and on reuse cases, compared with
SymPy differentiating the whole expression; then the command: pretty text, --wrt a step,
--latex, --json, values at a point, the named-steps form of big programs, and the refusals
(a 100,000-node program is refused quickly with exit 2, never hangs).
"""

from __future__ import annotations

import json
import random
from typing import Any

import pytest
import sympy as sp
from helpers import cgraph

from cgraph_cli.core.graph import compile_program
from cgraph_cli.errors import TooComplex
from cgraph_cli.symbolic.derivatives import derivatives
from cgraph_cli.symbolic.expressions import node_expressions

ENV = {"COLUMNS": "160", "NO_COLOR": "1"}

EXAMPLES = [  # EXAMPLES.md rows (row 10 is two programs)
    "q = x + y; f = q * z",
    "a = x + y; z = a * w",
    "z = w * x; y = z + b; d = y - t; L = d^2",
    "z = w * x; y = z + b; loss = y^2",
    "a = x^2; b = x^3; y = a + b",
    "d = a + b; e = b - c; Y = d * e",
    "y = 3x^2 + 2x + 1",
    "f = sin(x^2)",
    "L = log(sigmoid(w*x + b))",
    "z = max(x, y)",
    "r = relu(x)",
]
MORE = [  # reuse, fan-out and every kind of op
    "x*x",
    "x*y + x",
    "u = x*y; v = u + x; w = u*v; f = w + u",
    "(x+y)/(x-y)",
    "x^y",
    "exp(-x^2/2)",
    "tanh(w1*x1 + w2*x2 + b)",
    "sqrt(x^2 + y^2)",
    "abs(x - y) + min(x, y)",
    "atan(x/y) + log10(x) + log2(y)",
    "softplus(x) - leaky_relu(x, 0.1)",
    "h = tanh(x); g = sigmoid(h); f = g*h + cos(g)",
]


def invoke(*args: str) -> Any:
    return cgraph("diff", *args, env=ENV)


def succeeds(*args: str) -> str:
    result = invoke(*args)
    assert result.exit_code == 0, f"exit {result.exit_code}\n{result.output}"
    return result.stdout


def sympy_derivatives(program: str) -> dict[str, Any]:
    """What a person gets with SymPy alone: the whole output, differentiated per variable."""
    graph = compile_program(program)
    output = node_expressions(graph)[graph.output]
    return {name: sp.diff(output, sp.Symbol(name, real=True)) for name in graph.input_names}


def assert_same_function(ours: Any, theirs: Any, names: list[str]) -> None:
    """Proved equal by simplify, or (for Piecewise forms) equal at random points off the kinks."""
    difference = sp.simplify(ours - theirs)
    if difference == 0:
        return
    rng = random.Random(0)
    symbols = [sp.Symbol(name, real=True) for name in names]
    for _ in range(20):
        point = {s: rng.uniform(0.3, 2.0) * rng.choice((1, -1)) for s in symbols}
        a, b = complex(ours.evalf(subs=point)), complex(theirs.evalf(subs=point))
        if abs(b.imag) > 1e-12 or abs(a.imag) > 1e-12:
            continue  # outside the real domain (log of a negative): no verdict there
        assert abs(a - b) <= 1e-9 * max(1.0, abs(b)), f"{ours} != {theirs} at {point}"


@pytest.mark.parametrize("program", EXAMPLES + MORE)
def test_reverse_sweep_agrees_with_sympy_diff(program: str) -> None:
    graph = compile_program(program)
    wanted = sympy_derivatives(program)
    result = derivatives(graph, [graph.names[n] for n in graph.input_names])
    assert not result.in_steps
    for item in result.items:
        assert_same_function(item.expr, wanted[item.wrt], list(graph.input_names))


def test_derivatives_are_simplified() -> None:
    graph = compile_program("z = w * x; y = z + b; d = y - t; L = d^2")
    result = derivatives(graph, [graph.names["w"], graph.names["b"]])
    assert [str(item.expr) for item in result.items] == ["2*x*(b - t + w*x)", "2*(b - t + w*x)"]
    assert [item.method for item in result.items] == ["simplify", "simplify"]


def test_a_step_is_a_variable_of_the_graph_downstream() -> None:
    graph = compile_program("u = x*y; v = u + x; f = u*v")
    result = derivatives(graph, [graph.names["u"], graph.names["v"], graph.names["x"]])
    assert [str(item.expr) for item in result.items] == ["2*u + x", "x*y", "2*x*y*(y + 1)"]


def test_steps_form_names_the_common_subexpressions() -> None:
    graph = compile_program("h = tanh(w*x + b); y = v*h + c; L = (y - t)^2")
    result = derivatives(graph, [graph.names["w"]], in_steps=True)
    assert result.in_steps
    assert str(result.items[0].expr) == "2*v*x*(1 - h**2)*(-t + y)"
    assert [name for name, _ in result.steps] == ["h", "y"]
    inline = derivatives(graph, [graph.names["w"]], in_steps=False).items[0].expr
    h, y = (sp.Symbol(n, real=True) for n in "hy")
    written_out = result.items[0].expr.xreplace({y: dict(result.steps)["y"]})
    written_out = written_out.xreplace({h: dict(result.steps)["h"]})
    assert sp.simplify(written_out - inline) == 0


def test_kinks_follow_pytorch_in_the_symbolic_form() -> None:
    x, y = sp.Symbol("x", real=True), sp.Symbol("y", real=True)
    relu = derivatives(compile_program("relu(x)"), [0]).items[0].expr
    assert relu.subs(x, 0) == 0  # relu'(0) = 0, where SymPy's Heaviside(0) says 1/2
    top = derivatives(compile_program("max(x, y)"), [0, 1]).items
    assert [item.expr.subs({x: 1, y: 1}) for item in top] == [sp.Rational(1, 2)] * 2
    assert derivatives(compile_program("abs(x)"), [0]).items[0].expr.subs(x, 0) == 0


# --- the command ---------------------------------------------------------------------------


def test_pretty_text_with_values() -> None:
    assert succeeds("q = x + y; f = q * z", "--x", "2", "--y", "3", "--z", "-4") == (
        "∂f/∂x = z = -4\n∂f/∂y = z = -4\n∂f/∂z = x + y = 5\n"
    )


def test_pretty_text_draws_fractions() -> None:
    assert succeeds(
        "L = log(sigmoid(w*x + b))", "--wrt", "w", "--w", "2", "--x", "1", "--b", "-1"
    ) == (
        "             x\n"
        "∂L/∂w = ──────────── = 0.268941421369995\n"
        "         b + w⋅x\n"
        "        ℯ        + 1\n"
    )


def test_values_at_the_point_come_with_exact_forms_and_kink_notes() -> None:
    out = succeeds("log(x)/x", "--x", "3")
    assert "= -0.0109569209631233 (= 1/9 - log(3)/9)" in out
    out = succeeds("z = max(x, y)", "--x", "1", "--y", "1", "--wrt", "x")
    assert out.split("\n")[-3:] == [
        "∂z/∂x = heaviside(x - y, 1/2) = 0.5",
        "note: z = max(x, y): max has a tie (2 inputs equal 1); the gradient is split "
        "equally, 1/2 to each (PyTorch's convention)",
        "",
    ]


def test_wrt_a_step() -> None:
    assert succeeds("q = x + y; f = q * z", "--wrt", "q,x") == "∂f/∂q = z\n∂f/∂x = z\n"
    assert succeeds("u = x*y; v = u + x; f = u*v", "--wrt", "u", "--x", "1.5", "--y", "-2") == (
        "∂f/∂u = 2⋅u + x = -4.5\n"
    )


def test_latex() -> None:
    assert succeeds("f = sin(x^2)", "--latex", "--x", "1.5") == (
        r"\frac{\partial f}{\partial x} = 2 x \cos{\left(x^{2} \right)} = -1.88452086816822"
        "\n"
    )


def test_json() -> None:
    document = json.loads(
        succeeds(
            "q = x + y; f = q * z",
            "--json",
            "--latex",
            "--wrt",
            "q,z",
            "--x",
            "2",
            "--y",
            "3",
            "--z",
            "-4",
        )
    )
    assert document == {
        "schema_version": 1,
        "expression": "q = x + y; f = q * z",
        "output": {"node": "n4", "name": "f"},
        "form": "inputs",
        "derivatives": [
            {
                "wrt": "q",
                "node": "n3",
                "kind": "step",
                "expr": "z",
                "tidied": "simplify",
                "latex": "z",
                "value": -4.0,
            },
            {
                "wrt": "z",
                "node": "n2",
                "kind": "input",
                "expr": "x + y",
                "tidied": "simplify",
                "latex": "x + y",
                "value": 5.0,
            },
        ],
        "steps": [],
        "inputs": {"x": 2.0, "y": 3.0, "z": -4.0},
        "notes": [],
    }


def test_json_without_values_has_no_numbers() -> None:
    document = json.loads(succeeds("(w*x+b-t)^2", "--wrt", "w", "--json"))
    assert document["derivatives"] == [
        {
            "wrt": "w",
            "node": "n0",
            "kind": "input",
            "expr": "2*x*(b - t + w*x)",
            "tidied": "simplify",
        }
    ]
    assert "inputs" not in document


def test_a_big_program_is_written_in_its_steps() -> None:
    lines = [
        f"h{j} = tanh(" + " + ".join(f"w{j}_{i}*x{i}" for i in range(8)) + f" + b{j})"
        for j in range(8)
    ]
    lines += ["y = " + " + ".join(f"v{j}*h{j}" for j in range(8)), "L = (y - t)^2"]
    document = json.loads(succeeds("\n".join(lines), "--json"))  # 89 derivatives
    assert document["form"] == "steps"
    found = {d["wrt"]: d["expr"] for d in document["derivatives"]}
    assert len(found) == 8 * 8 + 8 + 8 + 8 + 1  # w, x, b, v, t
    assert found["w0_0"] == "2*v0*x0*(1 - h0^2)*(-t + y)"
    assert found["b3"] == "2*v3*(1 - h3^2)*(-t + y)"
    assert [s["name"] for s in document["steps"]] == [f"h{j}" for j in range(8)] + ["y"]
    inputs = json.loads(succeeds("\n".join(lines), "--json", "--wrt", "w0_0", "--inputs"))
    assert inputs["form"] == "inputs" and inputs["steps"] == []


def test_default_is_every_input_and_the_program_defaults_are_a_point() -> None:
    assert succeeds("-f", "samples/fan_out.cg") == "∂y/∂x = x⋅(3⋅x + 2) = 33\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["f = sin(x^2)", "--wrt", "q"], "no step or variable named `q`"),
        (["a = x*2; b = a + x", "--wrt", "n1"], "is a constant"),
        (["2 + 3"], "no inputs"),
        (["x*y", "--wrt", ","], "--wrt is empty"),
        (["x*y", "--x", "1"], "missing value for y"),
        (["9^9^9^9*x"], "too many digits"),
    ],
)
def test_bad_input_exits_2(args: list[str], message: str) -> None:
    result = invoke(*args)
    assert result.exit_code == 2, result.output
    assert message in result.stderr, result.stderr


def test_infinite_slope_at_the_point_exits_3() -> None:
    result = invoke("sqrt(x)", "--x", "0")
    assert result.exit_code == 3, result.output


def test_a_100000_node_program_is_refused_quickly(monkeypatch: pytest.MonkeyPatch) -> None:
    # Quickly = before any SymPy work (counted, not timed: timings live in benchmarks/).
    def no_sympy() -> None:
        raise AssertionError("SymPy was used before the size check")

    for module in ("derivatives", "expressions", "sweep"):
        monkeypatch.setattr(f"cgraph_cli.symbolic.{module}.sympy_module", no_sympy)
    program = "\n".join(["s0 = sin(x)"] + [f"s{k} = s{k - 1} * 0.5 + x" for k in range(1, 50_000)])
    result = invoke(program)
    assert result.exit_code == 2, result.output
    assert "symbolic work is limited to 5,000" in result.stderr
    assert "cgraph eval" in result.stderr


@pytest.mark.parametrize(
    ("program", "message"),
    [
        (
            "x" + "".join(" + sin(x)*y" for _ in range(1)) + "+" + "sin(" * 150 + "x" + ")" * 150,
            "nested 151 levels deep",
        ),
        (
            "s1 = x*y + y; "
            + "; ".join(f"s{k} = s{k - 1}*s{k - 1} + s{k - 1}" for k in range(2, 40)),
            "would run to about",
        ),
    ],
)
def test_deep_or_exploding_programs_are_refused(program: str, message: str) -> None:
    with pytest.raises(TooComplex, match=message):
        graph = compile_program(program)
        derivatives(graph, [graph.names["x"]], in_steps=False)


def test_help_ends_with_an_example() -> None:
    result = invoke("--help")
    assert result.exit_code == 0, result.output
    assert result.stdout.rstrip().endswith('Example: cgraph diff "(w*x+b-t)^2" --wrt w')
