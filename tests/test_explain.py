"""`cgraph explain`: the chain rule as a textbook walks it, compared line by line.

EXAMPLES.md rows 1, 5 and 6 in text (exact expected output), row 1 in Markdown and row 5 in
LaTeX, gate patterns and closed forms, exact forms and digits, the symbolic walk without values, kink notes, the order of the walk, and the refusals.
"""

from __future__ import annotations

from typing import Any

import pytest
from helpers import cgraph

from cgraph_cli.core.autodiff import evaluate
from cgraph_cli.core.graph import compile_program
from cgraph_cli.views.explain import EXPLAIN_MAX_OPS, Format, plain, render, walk


def explain(*args: str) -> list[str]:
    result = cgraph("explain", *args)
    assert result.exit_code == 0, f"exit {result.exit_code}\n{result.output}"
    return result.stdout.rstrip("\n").split("\n")


def same_lines(got: list[str], want: str) -> None:
    """Line by line, so a failure names the first line that differs."""
    expected = want.strip("\n").split("\n")
    for number, (line, wanted) in enumerate(zip(got, expected, strict=False), 1):
        assert line == wanted, f"line {number} differs:\n got: {line!r}\nwant: {wanted!r}"
    assert len(got) == len(expected), "\n".join(got)


ROW_1 = """
Forward pass
  x = 2
  y = 3
  z = -4
  q = x + y = 5
  f = q * z = -20

Backward pass, from f back to the inputs
  ∂f/∂f = 1
  ∂f/∂q = z = -4   (multiply swaps)
  ∂f/∂z = q = 5   (multiply swaps)
  ∂f/∂x = ∂f/∂q · ∂q/∂x = (-4)(1) = -4   where ∂q/∂x = 1 (add distributes)
  ∂f/∂y = ∂f/∂q · ∂q/∂y = (-4)(1) = -4   where ∂q/∂y = 1 (add distributes)

Each input's gradient in closed form
  ∂f/∂x = z = -4
  ∂f/∂y = z = -4
  ∂f/∂z = q = 5
"""

ROW_5 = """
Forward pass
  x = 3
  a = x^2 = 9
  b = x^3 = 27
  y = a + b = 36

Backward pass, from y back to the inputs
  ∂y/∂y = 1
  ∂y/∂a = 1   (add distributes)
  ∂y/∂b = 1   (add distributes)
  ∂y/∂x = ∂y/∂a·∂a/∂x + ∂y/∂b·∂b/∂x = (1)(6) + (1)(27) = 6 + 27 = 33   where ∂a/∂x = 2*x = 6, ∂b/∂x = 3*x^2 = 27; a fan-out accumulates

Each input's gradient in closed form
  ∂y/∂x = x·(3·x + 2) = 33
"""  # noqa: E501 - the fan-out line is long on purpose: one line per gradient

ROW_6 = """
Forward pass
  a = 2
  b = 1
  c = 0
  d = a + b = 3
  e = b - c = 1
  Y = d * e = 3

Backward pass, from Y back to the inputs
  ∂Y/∂Y = 1
  ∂Y/∂d = e = 1   (multiply swaps)
  ∂Y/∂e = d = 3   (multiply swaps)
  ∂Y/∂a = ∂Y/∂d · ∂d/∂a = (1)(1) = 1   where ∂d/∂a = 1 (add distributes)
  ∂Y/∂b = ∂Y/∂d·∂d/∂b + ∂Y/∂e·∂e/∂b = (1)(1) + (3)(1) = 1 + 3 = 4   where ∂d/∂b = 1 (add distributes), ∂e/∂b = 1 (subtract distributes); a fan-out accumulates
  ∂Y/∂c = ∂Y/∂e · ∂e/∂c = (3)(-1) = -3   where ∂e/∂c = -1 (subtract distributes)

Each input's gradient in closed form
  ∂Y/∂a = e = 1
  ∂Y/∂b = d + e = 4
  ∂Y/∂c = -d = -3
"""


@pytest.mark.parametrize(
    ("program", "values", "want"),
    [
        ("q = x + y; f = q * z", ["--x", "2", "--y", "3", "--z", "-4"], ROW_1),
        ("a = x^2; b = x^3; y = a + b", ["--x", "3"], ROW_5),
        ("d = a + b; e = b - c; Y = d * e", ["--a", "2", "--b", "1", "--c", "0"], ROW_6),
    ],
    ids=["row1", "row5", "row6"],
)
def test_examples_rows_as_text(program: str, values: list[str], want: str) -> None:
    same_lines(explain(program, *values), want)


def test_row_1_as_markdown() -> None:
    same_lines(
        explain(
            "q = x + y; f = q * z", "--x", "2", "--y", "3", "--z", "-4", "--format", "markdown"
        ),
        """
**Forward pass**

- $x = 2$
- $y = 3$
- $z = -4$
- $q = x + y = 5$
- $f = q \\cdot z = -20$

**Backward pass, from f back to the inputs**

- $\\frac{\\partial f}{\\partial f} = 1$
- $\\frac{\\partial f}{\\partial q} = z = -4$ (multiply swaps)
- $\\frac{\\partial f}{\\partial z} = q = 5$ (multiply swaps)
- $\\frac{\\partial f}{\\partial x} = \\frac{\\partial f}{\\partial q} \\cdot \\frac{\\partial q}{\\partial x} = (-4)(1) = -4$, where $\\frac{\\partial q}{\\partial x} = 1$ (add distributes)
- $\\frac{\\partial f}{\\partial y} = \\frac{\\partial f}{\\partial q} \\cdot \\frac{\\partial q}{\\partial y} = (-4)(1) = -4$, where $\\frac{\\partial q}{\\partial y} = 1$ (add distributes)

**Each input's gradient in closed form**

- $\\frac{\\partial f}{\\partial x} = z = -4$
- $\\frac{\\partial f}{\\partial y} = z = -4$
- $\\frac{\\partial f}{\\partial z} = q = 5$
""",
    )


def test_row_5_as_latex() -> None:
    same_lines(
        explain("a = x^2; b = x^3; y = a + b", "--x", "3", "--format", "latex"),
        r"""
\noindent\textbf{Forward pass}
\begin{align*}
x &= 3 \\
a &= x^{2} = 9 \\
b &= x^{3} = 27 \\
y &= a + b = 36
\end{align*}

\noindent\textbf{Backward pass, from y back to the inputs}
\begin{align*}
\frac{\partial y}{\partial y} &= 1 \\
\frac{\partial y}{\partial a} &= 1 \quad \text{(add distributes)} \\
\frac{\partial y}{\partial b} &= 1 \quad \text{(add distributes)} \\
\frac{\partial y}{\partial x} &= \frac{\partial y}{\partial a} \cdot \frac{\partial a}{\partial x} + \frac{\partial y}{\partial b} \cdot \frac{\partial b}{\partial x} \\
&= (1)(6) + (1)(27) \\
&= 6 + 27 \\
&= 33 \\
&\qquad \text{where } \frac{\partial a}{\partial x} = 2 x = 6, \\
&\qquad\quad \frac{\partial b}{\partial x} = 3 x^{2} = 27; \\
&\qquad \text{a fan-out accumulates}
\end{align*}

\noindent\textbf{Each input's gradient in closed form}
\begin{align*}
\frac{\partial y}{\partial x} &= x \left(3 x + 2\right) = 33
\end{align*}
""",
    )


def test_without_values_the_walk_is_symbolic() -> None:
    same_lines(
        explain("z = w * x; y = z + b; d = y - t; L = d^2"),
        """
Forward pass
  z = w * x
  y = z + b
  d = y - t
  L = d^2

Backward pass, from L back to the inputs (symbolic: give values, as --x 2, for numbers)
  ∂L/∂L = 1
  ∂L/∂d = 2*d
  ∂L/∂y = ∂L/∂d · ∂d/∂y = (2*d)(1) = 2*d   where ∂d/∂y = 1 (subtract distributes)
  ∂L/∂t = ∂L/∂d · ∂d/∂t = (2*d)(-1) = -2*d   where ∂d/∂t = -1 (subtract distributes)
  ∂L/∂z = ∂L/∂y · ∂y/∂z = (2*d)(1) = 2*d   where ∂y/∂z = 1 (add distributes)
  ∂L/∂b = ∂L/∂y · ∂y/∂b = (2*d)(1) = 2*d   where ∂y/∂b = 1 (add distributes)
  ∂L/∂w = ∂L/∂z · ∂z/∂w = (2*d)(x) = 2*d*x   where ∂z/∂w = x (multiply swaps)
  ∂L/∂x = ∂L/∂z · ∂z/∂x = (2*d)(w) = 2*d*w   where ∂z/∂x = w (multiply swaps)

Each input's gradient in closed form
  ∂L/∂w = 2·d·x
  ∂L/∂x = 2·d·w
  ∂L/∂b = 2·d
  ∂L/∂t = -2·d
""",
    )


def test_symbolic_fan_out_is_summed() -> None:
    lines = explain("a = x^2; b = x^3; y = a + b")
    assert lines[-4] == (
        "  ∂y/∂x = ∂y/∂a·∂a/∂x + ∂y/∂b·∂b/∂x = (1)(2*x) + (1)(3*x^2) = "
        "2*x + 3*x^2 = x*(3*x + 2)   where ∂a/∂x = 2*x, ∂b/∂x = 3*x^2; a fan-out accumulates"
    )
    assert lines[-1] == "  ∂y/∂x = x·(3·x + 2)"


def test_program_defaults_are_a_point() -> None:
    lines = explain("-f", "samples/fan_out.cg")
    assert lines[-4].startswith("  ∂y/∂x = ∂y/∂a·∂a/∂x + ∂y/∂b·∂b/∂x = (1)(6) + (1)(27)")


def test_unnamed_steps_go_by_id_and_functions_show_their_local_gradient() -> None:
    same_lines(
        explain("f = sin(x^2)", "--x", "1.5", "--digits", "15"),
        """
Forward pass
  x = 1.5
  n2 = x^2 = 2.25
  f = sin(n2) = 0.778073196887921

Backward pass, from f back to the inputs
  ∂f/∂f = 1
  ∂f/∂n2 = cos(n2) = -0.628173622722739
  ∂f/∂x = ∂f/∂n2 · ∂n2/∂x = (-0.628173622722739)(3) = -1.88452086816822   where ∂n2/∂x = 2*x = 3

Each input's gradient in closed form
  ∂f/∂x = 2·x·cos(x^2) = -1.88452086816822
""",
    )


def test_sigmoid_and_tanh_are_written_in_their_output() -> None:
    text = "\n".join(explain("-f", "samples/logistic_neuron.cg"))
    assert "∂n5/∂n4 = n5*(1 - n5) = 0.1966" in text
    assert "∂n1/∂x = 1 - n1^2 = 0.786447732965927" in "\n".join(
        explain("x + tanh(x)", "--x", "0.5", "--digits", "15")
    )


def test_kinks_are_noted_and_follow_pytorch() -> None:
    lines = explain("r = relu(x) + max(x, y)", "--x", "0", "--y", "0")
    assert lines[-9] == (
        "  ∂r/∂x = ∂r/∂n2·∂n2/∂x + ∂r/∂n3·∂n3/∂x = (1)(0) + (1)(0.5) = 0 + 0.5 "
        "= 0.5   where ∂n2/∂x = heaviside(x, 0) = 0 (relu gates), ∂n3/∂x = heaviside(x - y, "
        "1/2) = 0.5 (max routes); a fan-out accumulates"
    )
    assert lines[-2] == (
        "note: n2 = relu(x): relu is not differentiable at 0; the gradient is taken as 0"
    )
    assert lines[-1].startswith("note: n3 = max(x, y): max has a tie")


def test_markdown_notes_are_block_quotes() -> None:
    lines = explain("abs(x)", "--x", "0", "--format", "markdown")
    assert lines[-1] == (
        "> **Note:** f = abs(x): abs is not differentiable at 0; the gradient is taken as 0"
    )


def test_a_node_used_twice_by_one_op_gets_both_edges() -> None:
    lines = explain("x*x", "--x", "3")
    assert lines[-4] == (
        "  ∂f/∂x = ∂f/∂f·∂f/∂x + ∂f/∂f·∂f/∂x = (1)(3) + (1)(3) = 3 + 3 = 6   where ∂f/∂x = x = 3"
        " (multiply swaps); a fan-out accumulates"
    )
    assert lines[-1] == "  ∂f/∂x = 2·x = 6"


def test_order_is_reverse_topological_breadth_first() -> None:
    graph = compile_program("q = x + y; f = q * z")
    labels = [graph.nodes[s.node].label for s in walk(graph).steps]
    assert labels == ["f", "q", "z", "x", "y"]
    graph = compile_program("d = a + b; e = b - c; Y = d * e")
    labels = [graph.nodes[s.node].label for s in walk(graph).steps]
    assert labels == ["Y", "d", "e", "a", "b", "c"]  # b waits for both d and e


def test_core_walk_totals_match_the_engine() -> None:
    graph = compile_program("u = x*y; v = u + x; f = u*v")
    evaluation = evaluate(graph, {"x": 1.5, "y": -2.0})
    for step in walk(graph, evaluation).steps:
        assert step.total == evaluation.grads[step.node]
    text = render(walk(graph, evaluation), Format.text)
    assert (
        "∂f/∂x = ∂f/∂u·∂u/∂x + ∂f/∂v·∂v/∂x = (-4.5)(-2) + (-3)(1) = 9 - 3 = 6   where "
        "∂u/∂x = y = -2 (multiply swaps), ∂v/∂x = 1 (add distributes); a fan-out accumulates"
    ) in text
    assert (
        "∂f/∂x = u + y·(u + v) = 6" in text
    )  # v + u·1 via v, plus (u + v)·y via u  # f = xy(xy + x): 2xy^2 + 2xy = 6


def test_plain_writes_powers_with_a_caret() -> None:
    import sympy as sp

    x = sp.Symbol("x")
    assert plain(3 * x**2) == "3*x^2"


def test_too_big_is_refused_with_a_pointer_to_eval() -> None:
    program = "; ".join(
        f"s{k} = sin(s{k - 1})" if k else "s0 = sin(x)" for k in range(EXPLAIN_MAX_OPS + 1)
    )
    result = cgraph("explain", program, "--x", "1")
    assert result.exit_code == 2, result.output
    assert "explain walks at most 200" in result.stderr
    assert "cgraph eval" in result.stderr


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["sqrt(x)", "--x", "0"], 3),
        (["log(x)", "--x", "-1"], 3),
        (["x +", "--x", "1"], 2),
        (["x", "--y", "1"], 2),
        (["x", "--x", "1", "--format", "pdf"], 2),
    ],
)
def test_errors_exit_with_their_codes(args: list[str], code: int) -> None:
    result: Any = cgraph("explain", *args)
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output


def test_a_long_symbolic_walk_asks_for_values() -> None:
    program = "; ".join(["s0 = sin(x)"] + [f"s{k} = s{k - 1} * x" for k in range(1, 41)])
    result = cgraph("explain", program)
    assert result.exit_code == 2, result.output
    assert "a symbolic walk takes at most 40" in result.stderr
    assert "give values" in result.stderr
    result = cgraph("explain", program, "--x", "0.5")
    assert result.exit_code == 0, result.output


def test_a_program_without_inputs_is_walked_at_once() -> None:
    same_lines(
        explain("2 + 3"),
        """
Forward pass
  f = 2 + 3 = 5

Backward pass, from f back to the inputs
  ∂f/∂f = 1
""",
    )


def test_the_seed_closing_lines_in_step_names_and_in_inputs() -> None:
    """The tutorial writes ∂L/∂w = 2(y - t)·x = 8: named steps stay names, unnamed ones are
    written out."""
    named = explain("-f", "samples/linear_regression.cg")
    assert named[-5:] == [
        "Each input's gradient in closed form",
        "  ∂L/∂x = 2·d·w = 12",
        "  ∂L/∂w = 2·d·x = 8",
        "  ∂L/∂b = 2·d = 4",
        "  ∂L/∂t = -2·d = -4",
    ]
    unnamed = explain("L = (w*x + b - t)^2", "--at", "x=2,w=3,b=1,t=5")
    assert "  ∂L/∂w = 2·x·(b - t + w·x) = 8" in unnamed
    assert "  ∂L/∂t = 2·(-b + t - w·x) = -4" in unnamed


def test_four_digits_by_default_more_on_request() -> None:
    assert "  f = sin(n2) = 0.7781" in explain("f = sin(x^2)", "--x", "1.5")
    assert "  f = sin(n2) = 0.7780732" in explain("f = sin(x^2)", "--x", "1.5", "--digits", "8")


def test_exact_forms_beside_the_numbers_as_eval_shows_them() -> None:
    lines = explain("sqrt(x)/y", "--x", "2", "--y", "0.5")
    assert "  ∂f/∂y = -sqrt(x)/y^2 = -5.657 (= -4*sqrt(2))" in lines
    assert "  ∂f/∂y = -sqrt(x)/y^2 = -5.657" in explain(
        "sqrt(x)/y", "--x", "2", "--y", "0.5", "--no-exact"
    )
    latex = "\n".join(explain("sqrt(x)/y", "--x", "2", "--y", "0.5", "--format", "latex"))
    assert r"-5.657 \; \left(= - 4 \sqrt{2}\right)" in latex


def test_markdown_maths_is_dollar_delimited_not_code() -> None:
    text = "\n".join(explain("-f", "samples/linear_regression.cg", "--format", "markdown"))
    assert "`" not in text
    assert "- $\\frac{\\partial L}{\\partial w} = 2 d x = 8$" in text


def test_standalone_latex_is_a_document_with_short_rows() -> None:
    """pdflatex compiles it without an overfull box (checked by hand; TeX is not a test
    dependency): every row of an align* stays short, a fan-out breaks into rows."""
    lines = explain("-f", "samples/mlp_loss.cg", "--format", "latex", "--standalone")
    assert lines[0] == r"\documentclass[11pt]{article}"
    assert lines[-1] == r"\end{document}"
    assert lines.count(r"\begin{align*}") == lines.count(r"\end{align*}") == 3
    assert max(len(line) for line in lines) <= 220, max(lines, key=len)


def test_standalone_needs_latex() -> None:
    result = cgraph("explain", "x", "--x", "1", "--standalone")
    assert result.exit_code == 2
    assert "--standalone goes with --format latex" in result.stderr
