"""Pictures in a notebook and tables that tell the pictures' story (issue 13).

- `evaluate(...)` returns an Evaluation that draws itself: `to_graphviz` gives a
  graphviz.Digraph, Jupyter gets the backward SVG and an HTML node table, repr is one line;
- the terminal table names unnamed nodes as the pictures do, shows a constant's gradient as —
  (the JSON keeps the number), and `eval --local` adds each edge's local gradient.
"""

from __future__ import annotations

import json
import shutil
from typing import Any

import graphviz
import pytest

from cgraph_cli import evaluate
from cgraph_cli.core.autodiff import Evaluation
from cgraph_cli.errors import CgraphError

CLI_ENV = {"COLUMNS": "200", "NO_COLOR": "1", "TERM": "dumb"}
NEURON = "f = 1/(1+exp(-(w0*x0+w1*x1+w2)))"
NEURON_ARGS = ["--w0", "2", "--x0", "-1", "--w1", "-3", "--x1", "-2", "--w2", "-3"]


def invoke(*args: str) -> Any:
    from typer.testing import CliRunner

    from cgraph_cli.cli.app import app

    return CliRunner().invoke(app, list(args), env=CLI_ENV)


def test_to_graphviz_returns_a_digraph_per_pass() -> None:
    result = evaluate("q = x + y; f = q * z", x=2, y=3, z=-4)
    assert isinstance(result, Evaluation)
    forward, backward = result.to_graphviz("forward"), result.to_graphviz()
    assert isinstance(forward, graphviz.Digraph) and isinstance(backward, graphviz.Digraph)
    assert forward.name == "forward" and backward.name == "backward"
    assert "1<BR/>× (−4)<BR/>= −4" in backward.source
    with pytest.raises(CgraphError, match="forward"):
        result.to_graphviz("sideways")


def test_notebook_shows_the_backward_picture_and_the_table() -> None:
    assert shutil.which("dot"), "Graphviz's dot is not on PATH: run `make graphviz`"
    result = evaluate("d = 2 + x; L = d^2", x=1)
    bundle = result._repr_mimebundle_()
    assert bundle["text/plain"] == "<Evaluation L = 9; gradients x=6>"
    assert bundle["image/svg+xml"].lstrip().startswith("<?xml")
    page = bundle["text/html"]
    assert "<svg" in page and "<table>" in page
    assert "<td>L</td><td>pow</td><td>9</td><td>1</td>" in page
    assert "<td>2</td><td>const</td><td>2</td><td>—</td>" in page  # no gradient by a constant
    assert repr(result) == "<Evaluation L = 9; gradients x=6>"


def test_notebook_without_dot_still_shows_the_table(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    result = evaluate("x * y", x=2, y=3)
    assert result._repr_svg_() is None
    bundle = result._repr_mimebundle_()
    assert "image/svg+xml" not in bundle and "<table>" in bundle["text/html"]


def test_table_names_unnamed_rows_as_the_pictures_do() -> None:
    result = invoke("eval", NEURON, *NEURON_ARGS, "--no-exact", "--digits", "4")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    row = next(line for line in lines if line.startswith("n7 "))
    assert row.split()[:3] == ["n7", "w0·x0", "mul"]
    row = next(line for line in lines if line.startswith("n12 "))
    assert row.split()[:3] == ["n12", "exp(·)", "exp"]
    assert "n11" not in row  # inputs column: names, not ids


def test_constant_gradients_are_dashes_in_the_table_and_numbers_in_json() -> None:
    result = invoke("eval", "d = x - 1; L = d^2", "--x", "3", "--no-exact")
    assert result.exit_code == 0, result.output
    rows = [line.split() for line in result.output.splitlines() if " const " in line]
    assert rows and all(row[-1] == "—" for row in rows), rows
    document = json.loads(invoke("eval", "d = x - 1; L = d^2", "--x", "3", "--json").stdout)
    exponent = next(n for n in document["nodes"] if n["op"] == "const" and n["expr"] == "2")
    assert exponent["grad"] == pytest.approx(4 * 0.6931471805599453)  # ∂L/∂2 = d^2 ln d


def test_eval_local_adds_each_edges_local_gradient() -> None:
    result = invoke("eval", "q = x + y; f = q * z", "--x", "2", "--y", "3", "--z", "-4", "--local")
    assert result.exit_code == 0, result.output
    assert "local ∂node/∂input" in result.output
    f_row = next(line for line in result.output.splitlines() if line.startswith("n4 "))
    assert f_row.rstrip().endswith("q: -4, z: 5")
    q_row = next(line for line in result.output.splitlines() if line.startswith("n3 "))
    assert q_row.rstrip().endswith("x: 1, y: 1")
    plain = invoke("eval", "q = x + y; f = q * z", "--x", "2", "--y", "3", "--z", "-4")
    assert "local" not in plain.output
