"""OpenStax Calculus Volume 1, chapter 3 (and the hyperbolic functions of 6.9), typed as printed.

tests/data/openstax_ch3.csv holds 72 exercises and worked examples of sections 3.3
(differentiation rules), 3.5 (trigonometric), 3.6 (chain rule, the `y = f(u), u = g(x)` problems
as two-step programs), 3.7 (inverse functions: `sin^{−1}`, `sec^{−1}`, `arctan`), 3.9
(exponential and logarithmic: `e^{2x}`, `ln|x|`, `log_2`), 6.9 (hyperbolic), each with the
answer in the book's notation (`dy/dx = 2x − sec x tan x`, `f′(x) =`, `3/(2√x)`, `x^{1/2}`,
`cos x(x + cos x)`, LaTeX-style braces as pasted) and a wrong answer a student gives.

The file checks itself: its `sympy_*` columns are our own SymPy transcription of the exercise,
the key and the wrong answer, and the first test proves with SymPy (at 40 digits) that the key
is the derivative and the wrong answer is not, so a typo in the corpus cannot pass unseen.
Then cgraph, through `cgraph check --problems` exactly as a teacher runs it on the file:
every key must be "correct", every wrong answer "wrong"; and through the Python API, the
gradient at the row's point must match SymPy's derivative to 1e-12.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import sympy
from sympy.parsing.sympy_parser import parse_expr

from cgraph_cli import evaluate

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "tests" / "data" / "openstax_ch3.csv"
ROWS = list(csv.DictReader(CORPUS.read_text(encoding="utf-8").splitlines()))
IDS = [f"{row['id']}-{row['section']}" for row in ROWS]
X = sympy.Symbol("x", real=True)


def _sympy(text: str) -> sympy.Expr:
    """Our own transcription (trusted text written for this file, never user input)."""
    return parse_expr(text, local_dict={"x": X, "pi": sympy.pi, "E": sympy.E})


def _at(expr: sympy.Expr, x: float) -> sympy.Expr | None:
    value = sympy.N(expr.subs(X, sympy.Rational(str(x))), 40)
    return value if value.is_real and value.is_finite else None


def test_the_corpus_covers_the_chapter() -> None:
    assert len(ROWS) == 72
    assert {row["section"] for row in ROWS} == {"3.3", "3.5", "3.6", "3.7", "3.9", "6.9"}
    assert len({row["id"] for row in ROWS}) == len(ROWS)


@pytest.mark.parametrize("row", ROWS, ids=IDS)
def test_sympy_agrees_with_the_corpus(row: dict[str, str]) -> None:
    """The key is the derivative at the row's point (and at two more), the wrong answer is not
    (somewhere among a few points where both are real)."""
    truth = sympy.diff(_sympy(row["sympy_expression"]), X, int(row["order"]))
    key, wrong = _sympy(row["sympy_answer"]), _sympy(row["sympy_wrong"])
    x = float(row["x"])
    points = [x, x * 1.1, x * 0.9]
    for point in points:
        want, got = _at(truth, point), _at(key, point)
        assert want is not None and got is not None, point
        assert abs(want - got) <= sympy.Float("1e-30") * max(1, abs(want)), (point, want, got)
    differences = []
    for point in [x, -x, x * 0.9, 1.7 * x, -1.3 * x]:
        want, got = _at(truth, point), _at(wrong, point)
        if want is not None and got is not None:
            differences.append(abs(want - got) > sympy.Float("1e-20") * max(1, abs(want)))
    assert any(differences), "the wrong answer is the derivative at every point tried"


@cache
def _batch(column: str) -> dict[str, dict[str, Any]]:
    """`cgraph check --problems` on the corpus with `column` as the answers: records by id."""
    if column == "answer":
        path = CORPUS
    else:
        path = Path(os.environ.get("TMPDIR", "/tmp")) / f"openstax_{column}_{os.getpid()}.csv"
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, ["id", "expression", "wrt", "order", "answer"])
            writer.writeheader()
            for row in ROWS:
                writer.writerow({**{k: row[k] for k in ("id", "expression", "wrt", "order")},
                                 "answer": row[column]})  # fmt: skip
    done = subprocess.run(
        [sys.executable, "-m", "cgraph_cli", "check", "--problems", str(path), "--json",
         "--jobs", "2"],
        capture_output=True, text=True, timeout=900, cwd=REPO,
        env={**os.environ, "COLUMNS": "200", "NO_COLOR": "1"},
    )  # fmt: skip
    assert "Traceback" not in done.stderr, done.stderr
    document = json.loads(done.stdout)
    records = {record["id"]: record for record in document["results"]}
    records["_exit"] = {"code": done.returncode, "document": document}
    return records


def _verdict(column: str, row: dict[str, str]) -> dict[str, Any]:
    return _batch(column)[row["id"]]


@pytest.mark.parametrize("row", ROWS, ids=IDS)
def test_the_book_answer_is_correct(row: dict[str, str]) -> None:
    record = _verdict("answer", row)
    assert record["verdict"] == "correct", (row["expression"], row["answer"], record)


@pytest.mark.parametrize("row", ROWS, ids=IDS)
def test_the_wrong_answer_is_wrong(row: dict[str, str]) -> None:
    record = _verdict("wrong", row)
    assert record["verdict"] == "wrong", (row["expression"], row["wrong"], record)


def test_the_whole_key_as_a_batch_exits_0_and_the_wrong_answers_exit_1() -> None:
    assert _batch("answer")["_exit"]["code"] == 0
    assert _batch("wrong")["_exit"]["code"] == 1


@pytest.mark.parametrize("row", [r for r in ROWS if r["order"] == "1"], ids=lambda r: r["id"])
def test_the_gradient_at_the_point_is_sympys(row: dict[str, str]) -> None:
    """The numeric passes on the book's own notation: ∂y/∂x at the row's point."""
    x = float(row["x"])
    got = evaluate(row["expression"], x=x).gradients["x"]
    want = _at(sympy.diff(_sympy(row["sympy_expression"]), X), x)
    assert want is not None
    assert abs(got - float(want)) <= 1e-12 * max(1.0, abs(float(want))), (got, want)


@pytest.mark.parametrize(
    "typed,plain",
    [("e^{2x}", "e^(2x)"), ("x^{1/2}", "x^(1/2)"), ("sin^{−1}(x^2)", "asin(x^2)"),
     ("3^{x^2} ln 3", "3^(x^2)*ln(3)"), ("{x + 1}^{2}", "(x+1)^2"),
     ("log_{2}(3x + 1)", "log_2(3x + 1)"), ("log_{10} x", "log10(x)")],
)  # fmt: skip
def test_braces_as_printed_group_like_parentheses(typed: str, plain: str) -> None:
    assert evaluate(typed, x=0.3).gradients == pytest.approx(evaluate(plain, x=0.3).gradients)


@pytest.mark.parametrize(
    "typed,message",
    [("(x}", "`}` closes the `(` at column 1"), ("{x)", "`)` closes the `{` at column 1"),
     ("x^{2)", "`)` closes the `{` at column 3")],
)  # fmt: skip
def test_a_brace_closed_by_the_wrong_bracket_is_an_error(typed: str, message: str) -> None:
    from cgraph_cli.errors import ParseError

    with pytest.raises(ParseError) as raised:
        evaluate(typed, x=1)
    assert raised.value.message == message


@pytest.mark.parametrize(
    "answer,verdict",
    [
        ("f''(x) = 3 cos x − x sin x", "correct"),
        ("y'' = 3 cos x − x sin x", "correct"),
        ("y″ = 3 cos x − x sin x", "correct"),
        ("d²y/dx² = 3 cos x − x sin x", "correct"),
        ("d^{2}y/dx^{2} = 3 cos x − x sin x", "correct"),
        ("d²y/dx² = 2 cos x − x sin x", "wrong"),
    ],
)
def test_a_second_derivative_key_with_its_left_side(answer: str, verdict: str) -> None:
    """The book prints second derivatives as `d²y/dx² = ...`; Lagrange's `y''` too."""
    done = subprocess.run(
        [sys.executable, "-m", "cgraph_cli", "check", "y = x sin x − cos x", "--wrt", "x",
         "--order", "2", "--answer", answer],
        capture_output=True, text=True, timeout=120, cwd=REPO,
    )  # fmt: skip
    assert done.stdout.splitlines()[0].split(" ")[0] == verdict, done.stdout + done.stderr
    assert done.returncode == (0 if verdict == "correct" else 1)


@pytest.mark.parametrize(
    "answer,message",
    [
        ("y' = 3 cos x", "names a derivative of order 1, but the question asks for ∂²y/∂x²"),
        ("d^2y/dx = 3 cos x", "names no derivative (the orders above and below differ)"),
        ("f''(t) = 3 cos x", "names the derivative by t, but the question asks for ∂²y/∂x²"),
    ],
)
def test_a_left_side_naming_another_derivative_is_refused(answer: str, message: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "cgraph_cli", "check", "y = x sin x − cos x", "--wrt", "x",
         "--order", "2", "--answer", answer],
        capture_output=True, text=True, timeout=120, cwd=REPO,
    )  # fmt: skip
    assert done.returncode == 2
    assert message in done.stderr
