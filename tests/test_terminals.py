"""Terminals: no number is cut or folded at any width down to 40 columns (narrow terminals get
the rows stacked), ASCII fallbacks where stdout cannot encode `∂ ━ −`, a closed pipe ends
quietly, a full disk is a clear error."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from typing import Any

import pytest
from rich.console import Console

from cgraph_cli import evaluate
from cgraph_cli.core.gradcheck import gradcheck
from cgraph_cli.core.numbers import format_number
from cgraph_cli.symbolic.exact import exact_forms
from cgraph_cli.views.tables import print_evaluation, print_gradcheck

CGRAPH = [sys.executable, "-m", "cgraph_cli"]
WIDTHS = [40, 60, 80, 120]
PROGRAMS = [
    ("x/y + sin(t)", {"x": 1, "y": 3, "t": 0.7853981633974483}),
    ("q = x + y; f = q * z", {"x": 2, "y": 3, "z": -4}),
    ("loss_of_the_network = (weight_one*input_value + bias_term - target)^2",
     {"weight_one": 0.123456789, "input_value": -3.3333333, "bias_term": 1e-7,
      "target": 12345.678}),
    ("h = tanh(w1*x1 + w2*x2 + b); y = exp(h) / (1 + exp(h)); L = -log(y)",
     {"w1": 0.1, "x1": 1 / 3, "w2": -2.5, "x2": 7, "b": 0.2}),
]  # fmt: skip


def printed(width: int, program: str, values: dict[str, float], **options: Any) -> str:
    out = io.StringIO()
    console = Console(file=out, width=width, color_system=None, highlight=False)
    evaluation = evaluate(program, values)
    exact = options.pop("exact", None) or exact_forms(evaluation)
    print_evaluation(console, evaluation, exact=exact, **options)
    return out.getvalue()


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize(("program", "values"), PROGRAMS, ids=lambda v: str(v)[:20])
@pytest.mark.parametrize("local", [False, True])
def test_every_number_whole_on_one_line(
    width: int, program: str, values: dict[str, float], local: bool
) -> None:
    evaluation = evaluate(program, values)
    forms = exact_forms(evaluation)  # once: under load its time box may give up on a rerun
    text = printed(width, program, values, local=local, exact=forms)
    values_forms, grads_forms = forms
    wanted = [format_number(v) for v in evaluation.values]
    graph = evaluation.graph
    wanted += [
        format_number(g)
        for g, n in zip(evaluation.grads, graph.nodes, strict=True)
        if n.op != "const"
    ]  # a constant's gradient is shown as — (issue 13)
    wanted += [f"= {form}" for form in values_forms if form]
    wanted += [
        f"= {form}"
        for form, n in zip(grads_forms, graph.nodes, strict=True)
        if form and n.op != "const"
    ]
    lines = text.splitlines()
    for number in wanted:
        assert any(number in line for line in lines), f"{number!r} cut at width {width}:\n{text}"
    assert all(len(line.rstrip()) <= width for line in lines), text


def test_narrow_terminal_stacks_the_rows() -> None:
    text = printed(40, "x/y + sin(t)", {"x": 1, "y": 3, "t": 0.7853981633974483})
    lines = text.splitlines()
    block = lines.index("n3  x/y = x / y   div of x, y")
    assert lines[block + 1 : block + 4] == [
        "    value     0.333333333333333",
        "              = 1/3",
        "    ∂f/∂node  1",
    ], text
    wide = printed(120, "x/y + sin(t)", {"x": 1, "y": 3, "t": 0.7853981633974483})
    assert "━━━" in wide and "━━━" not in text


@pytest.mark.parametrize("width", WIDTHS)
def test_gradcheck_numbers_whole(width: int) -> None:
    evaluation = evaluate("sin(x)*exp(y)/z", {"x": 0.3, "y": -1.7, "z": 3.3})
    check = gradcheck(evaluation, 1e-6)
    out = io.StringIO()
    print_gradcheck(Console(file=out, width=width, color_system=None), check)
    lines = out.getvalue().splitlines()
    for row in check.rows:
        for number in (format_number(row.analytic), format_number(row.numeric)):
            assert any(number in line for line in lines), out.getvalue()


def run(
    args: list[str], env: dict[str, str] | None = None, **kwargs: object
) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [*CGRAPH, *args], capture_output=True, timeout=120, env={**os.environ, **(env or {})},
        **kwargs,  # type: ignore[arg-type]
    )  # fmt: skip


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["diff", "x^2"], "df/dx = 2*x"),
        (["eval", "(x+y)*z", "--x", "2", "--y", "3", "--z", "-4"], "df/dx = -4"),
        (["explain", "x*y", "--x", "2", "--y", "3"], "df/dy"),
    ],
)
def test_ascii_fallback_where_stdout_cannot_encode(args: list[str], expected: str) -> None:
    done = run(args, {"PYTHONIOENCODING": "cp1252", "COLUMNS": "100"})
    assert done.returncode == 0, done.stderr.decode("cp1252", "replace")
    text = done.stdout.decode("cp1252")
    assert expected in text, text
    assert "∂" not in text and "?" not in text, text


def test_a_closed_pipe_ends_quietly() -> None:
    program = "x" + " + x" * 3000
    done = subprocess.run(
        ["bash", "-c", f'{" ".join(CGRAPH)} eval "{program}" --x 1 --all --no-exact | head -1; '
         'echo "status ${PIPESTATUS[0]}" >&2'],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.stdout.startswith("node"), done.stdout
    status = done.stderr.splitlines()[-1]
    assert status in ("status 0", "status 141"), done.stderr
    assert done.stderr.splitlines()[:-1] == [], done.stderr


def test_a_full_disk_is_a_clear_error() -> None:
    with open("/dev/full", "wb") as full:
        done = subprocess.run(
            [*CGRAPH, "eval", "x*2", "--x", "1", "--json"], stdout=full, stderr=subprocess.PIPE,
            timeout=120, text=True,
        )  # fmt: skip
    assert done.returncode == 2, done.stderr
    assert done.stderr == (
        "error: cannot write the output: No space left on device\n"
        "hint: free some space, or write somewhere else\n"
    )
