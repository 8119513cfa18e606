"""Kinked ops: the symbolic partials (op table `sympy_partials`) and the float partials follow
one convention, for any number of arguments, and `cgraph diff` prints a formula that, read
back by cgraph's own parser, gives the number it prints beside it.

The review that found the split: at a three-way tie `diff "max(x,y,z)"` printed θ(x - Max(y, z))
(a half at 0) beside the number 1/3.
"""

from __future__ import annotations

import json
import re

import pytest
from typer.testing import CliRunner

from cgraph_cli import evaluate
from cgraph_cli.cli.app import app

ENV = {"COLUMNS": "160", "NO_COLOR": "1"}

POINTS = [
    ("max(x, y, z)", {"x": 1.0, "y": 1.0, "z": 1.0}),  # three-way tie: 1/3 each
    ("max(x, y, z)", {"x": 1.0, "y": 1.0, "z": 0.0}),  # two of three: 1/2, 1/2, 0
    ("max(x, y, z)", {"x": 2.0, "y": 1.0, "z": 0.0}),
    ("min(x, y, z)", {"x": 1.0, "y": 1.0, "z": 1.0}),
    ("min(x, y, z)", {"x": 0.0, "y": 1.0, "z": 0.0}),
    ("max(x, y, z, w)", {"x": 3.0, "y": 3.0, "z": 3.0, "w": 1.0}),
    ("max(x, y)", {"x": 1.0, "y": 1.0}),
    ("min(x, y)", {"x": -1.0, "y": -1.0}),
    ("relu(x)", {"x": 0.0}),
    ("abs(x)", {"x": 0.0}),
    ("leaky_relu(x)", {"x": 0.0}),
    ("leaky_relu(x, a)", {"x": 0.0, "a": 0.2}),
    ("leaky_relu(x, a)", {"x": -2.0, "a": 0.2}),
    ("sign(x) * x", {"x": 0.0}),
    ("heaviside(x, h) * y", {"x": 0.0, "h": 0.5, "y": 3.0}),
    ("max(x*y, relu(x), abs(y))", {"x": 0.0, "y": 0.0}),
]


def diff_json(program: str, point: dict[str, float]) -> dict:
    at = ",".join(f"{k}={v:g}" for k, v in point.items())
    result = CliRunner().invoke(app, ["diff", program, "--at", at, "--json"], env=ENV)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


@pytest.mark.parametrize(("program", "point"), POINTS)
def test_printed_formula_read_back_gives_the_printed_number(
    program: str, point: dict[str, float]
) -> None:
    floats = evaluate(program, **point).gradients
    document = diff_json(program, point)
    for item in document["derivatives"]:
        formula = item["expr"]
        names = set(re.findall(r"[A-Za-z_]\w*", formula)) & set(point)
        value = evaluate(formula, **{n: point[n] for n in names}).value
        assert value == pytest.approx(floats[item["wrt"]], abs=1e-12), (item, floats)


def test_three_way_tie_formula_and_number_agree_in_the_terminal() -> None:
    result = CliRunner().invoke(app, ["diff", "max(x,y,z)", "--at", "x=1,y=1,z=1"], env=ENV)
    assert result.exit_code == 0
    assert "∂f/∂x = " in result.output and "= 0.333333333333333 (= 1/3)" in result.output
    assert "heaviside(x - max(y, z), 1)" in result.output
    assert "θ" not in result.output and "Max" not in result.output
    share = (
        "heaviside(x - max(y, z), 1)/(heaviside(x - max(y, z), 1) + heaviside(y - max(x, z), "
        "1) + heaviside(z - max(x, y), 1))"
    )
    assert diff_json("max(x,y,z)", {"x": 1, "y": 1, "z": 1})["derivatives"][0]["expr"] == share
    assert evaluate(share, x=1, y=1, z=1).value == pytest.approx(1 / 3)
    assert evaluate(share, x=1, y=1, z=0).value == 0.5
    assert evaluate(share, x=0, y=1, z=1).value == 0.0
