"""`cgraph eval --gradcheck`: central differences beside the reverse-mode gradient.

Passes on every EXAMPLES.md row; exit 1 when a tolerance of 0 or a kink forces a failure;
the JSON fields; the core function's step size, one-sided differences and work bound.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from helpers import cgraph

from cgraph_cli.core import gradcheck as gradcheck_module
from cgraph_cli.core.gradcheck import gradcheck, step_size
from cgraph_cli.core.question import run
from cgraph_cli.errors import TooComplex

ENV = {"COLUMNS": "160", "NO_COLOR": "1"}

EXAMPLES = [  # (program, values) of EXAMPLES.md rows 1-10
    ("q = x + y; f = q * z", {"x": 2, "y": 3, "z": -4}),
    ("a = x + y; z = a * w", {"x": 2, "y": 3, "w": 4}),
    ("z = w * x; y = z + b; d = y - t; L = d^2", {"x": 2, "w": 3, "b": 1, "t": 5}),
    ("z = w * x; y = z + b; loss = y^2", {"x": 2, "w": 3, "b": 1}),
    ("a = x^2; b = x^3; y = a + b", {"x": 3}),
    ("d = a + b; e = b - c; Y = d * e", {"a": 2, "b": 1, "c": 0}),
    ("y = 3x^2 + 2x + 1", {"x": 1}),
    ("f = sin(x^2)", {"x": 1.5}),
    ("L = log(sigmoid(w*x + b))", {"w": 2, "x": 1, "b": -1}),
    ("z = max(x, y)", {"x": 3, "y": 1}),
    ("r = relu(x)", {"x": -2}),
]


def eval_args(program: str, values: dict[str, float], *extra: str) -> list[str]:
    pairs = [f"--{name}={value}" for name, value in values.items()]
    return ["eval", program, *pairs, "--gradcheck", *extra]


def invoke(args: list[str]) -> Any:
    return cgraph(*args, env=ENV)


@pytest.mark.parametrize(("program", "values"), EXAMPLES, ids=[p for p, _ in EXAMPLES])
def test_passes_on_the_examples(program: str, values: dict[str, float]) -> None:
    result = invoke(eval_args(program, values))
    assert result.exit_code == 0, result.output
    assert "gradient check passed: largest relative error" in result.stdout
    check = gradcheck(run(program, values))
    assert check.passed and check.worst < 1e-8, check


def test_table_shows_both_gradients() -> None:
    result = invoke(eval_args("f = sin(x^2)", {"x": 1.5}))
    lines = result.stdout.split("\n")
    row = next(line for line in lines if line.lstrip().startswith("x ") and "ok" in line)
    assert row.split() == ["x", "-1.88452086816822", "-1.88452086818651", "9.7e-12", "ok"]


def test_tolerance_zero_fails_with_exit_1() -> None:
    result = invoke(eval_args("f = sin(x^2)", {"x": 1.5}, "--tol", "0"))
    assert result.exit_code == 1, result.output
    assert "gradient check FAILED for x (tolerance 0)" in result.stdout


def test_a_kink_fails_with_exit_1_and_says_why() -> None:
    result = invoke(eval_args("relu(x) + x", {"x": 0}))
    assert result.exit_code == 1, result.output
    row = next(line for line in result.stdout.split("\n") if "FAIL" in line)
    assert row.split() == ["x", "1", "1.5", "3.3e-01", "FAIL"]  # relu'(0) = 0; FD says 1/2
    assert "at a kink" in result.stdout
    assert "relu is not differentiable at 0" in result.stdout


def test_json_fields() -> None:
    result = invoke(eval_args("q = x + y; f = q * z", {"x": 2, "y": 3, "z": -4}, "--json"))
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["gradients"] == {"x": -4.0, "y": -4.0, "z": 5.0}  # the schema is kept
    check = document["gradcheck"]
    assert check["tolerance"] == 1e-6 and check["passed"] is True
    assert set(check["inputs"]) == {"x", "y", "z"}
    x = check["inputs"]["x"]
    assert set(x) == {"analytic", "numeric", "error", "step", "method", "ok"}
    assert x["analytic"] == -4.0 and x["method"] == "central" and x["ok"] is True
    assert x["numeric"] == pytest.approx(-4.0, rel=1e-9)
    assert x["error"] < 1e-9 and x["step"] == pytest.approx(2e-6)
    assert check["max_error"] == max(entry["error"] for entry in check["inputs"].values())


def test_json_failure_exits_1_with_passed_false() -> None:
    result = invoke(eval_args("relu(x)", {"x": 0}, "--json"))
    assert result.exit_code == 1, result.output
    check = json.loads(result.stdout)["gradcheck"]
    assert check["passed"] is False and check["max_error"] == 0.5
    assert check["inputs"]["x"] == {
        "analytic": 0.0,
        "numeric": 0.5,
        "error": 0.5,
        "step": 1e-06,
        "method": "central",
        "ok": False,
    }


def test_a_symmetric_kink_passes() -> None:
    """abs at 0: both one-sided slopes average to 0, which is PyTorch's abs'(0) too."""
    result = invoke(eval_args("abs(x)", {"x": 0}))
    assert result.exit_code == 0, result.output


def test_without_the_flag_nothing_changes() -> None:
    result = invoke(["eval", "x*y", "--x", "2", "--y", "3", "--json"])
    assert result.exit_code == 0, result.output
    assert "gradcheck" not in json.loads(result.stdout)


# --- the core ------------------------------------------------------------------------------


def test_step_is_relative_and_exact_in_floats() -> None:
    for x in (0.0, 1.5, -3.0, 1e6, 1e-8):
        h = step_size(x)
        assert (x + h) - x == h
        assert h == pytest.approx(1e-6 * max(1.0, abs(x)), rel=1e-6)


def test_one_sided_next_to_a_domain_edge() -> None:
    check = gradcheck(run("log(x)", {"x": 5e-7}))  # x - h < 0: log is undefined there
    row = check.rows[0]
    assert row.method == "forward" and row.numeric is not None and not row.ok
    check = gradcheck(run("sqrt(x)", {"x": 1.0}))
    assert check.rows[0].method == "central" and check.passed


def test_absolute_floor_for_small_gradients() -> None:
    check = gradcheck(run("1e-9 * x^2", {"x": 0.5}))
    assert check.passed and check.rows[0].error < 1e-12


def test_the_work_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    evaluation = run("x*y + y*z", {"x": 1, "y": 2, "z": 3})  # 3 inputs, 6 nodes
    monkeypatch.setattr(gradcheck_module, "MAX_WORK", 2 * 3 * 6 - 1)
    with pytest.raises(TooComplex, match="6 forward passes of 6 nodes"):
        gradcheck(evaluation)
    monkeypatch.setattr(gradcheck_module, "MAX_WORK", 2 * 3 * 6)
    assert gradcheck(evaluation).passed
