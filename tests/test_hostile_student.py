"""A hostile student against the grader: wrong answers built to be graded "correct", and input
built to crash it.

tests/data/hostile_answers.csv is a problem file (the `expect` and `why` columns are ignored by
`check --problems`): answers equal to the derivative except past the sampled range, in a
narrow bump, by a relative 1e-12, at the given point only, on one sign only; answers that try
to pin x with a default or rebind it; code, markup and non-numbers. Each must come out as
expected (`wrong`, `error`; a few controls `correct`). The file is checked the way a grader
runs it, in one `cgraph check --problems --json`, and the crash attempts below one by one
through the command line: every one ends with its documented exit code in bounded time and
never with a traceback or exit 70.
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

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "tests" / "data" / "hostile_answers.csv"
ROWS = list(csv.DictReader(CORPUS.read_text(encoding="utf-8").splitlines()))
ENV = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1", "TERM": "dumb"}


def cgraph(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cgraph_cli", *args],
        capture_output=True, text=True, timeout=timeout, cwd=REPO, env=ENV,
    )  # fmt: skip


@cache
def _batch() -> dict[str, Any]:
    done = cgraph("check", "--problems", str(CORPUS), "--json", "--jobs", "2", timeout=900)
    assert "Traceback" not in done.stderr, done.stderr
    document = json.loads(done.stdout)
    return {"exit": done.returncode, "records": {r["id"]: r for r in document["results"]}}


def test_the_corpus() -> None:
    assert len(ROWS) == 38
    assert {row["expect"] for row in ROWS} == {"wrong", "error", "correct"}


@pytest.mark.parametrize("row", ROWS, ids=[f"{r['id']}-{r['expect']}" for r in ROWS])
def test_each_hostile_answer_gets_its_verdict(row: dict[str, str]) -> None:
    record = _batch()["records"][row["id"]]
    assert record["verdict"] == row["expect"], (row["answer"], row["why"], record)


def test_the_batch_exits_1_because_answers_are_wrong() -> None:
    assert _batch()["exit"] == 1


# --- crash attempts, one command each ----------------------------------------------------------


def _check(expression: str, answer: str, *more: str, wrt: str = "x") -> list[str]:
    return ["check", expression, "--wrt", wrt, "--answer", answer, *more]


CRASHES: list[tuple[str, list[str], set[int]]] = [
    ("a tower of powers", _check("x^2", "9^9^9^9"), {1, 2}),
    ("x^(10^10)", _check("x^2", "x^(10^10)"), {1, 2}),
    ("exp of exp of exp", _check("x^2", "exp(exp(exp(exp(x))))"), {1, 2}),
    ("sin(10^100 x)", _check("x^2", "sin(10^100*x)"), {1, 2}),
    ("a factorial", _check("x^2", "x!"), {2}),
    ("a control character", _check("x^2", "2x\x01"), {2}),
    ("an escape sequence", _check("x^2", "\x1b[2J2x"), {2}),
    ("tol nan", _check("x^2", "6", "--x", "3", "--tol", "nan"), {2}),
    ("tol -1", _check("x^2", "6", "--x", "3", "--tol", "-1"), {2}),
    ("order 0", _check("x^2", "x^2", "--order", "0"), {2}),
    ("order -1", _check("x^2", "2x", "--order", "-1"), {2}),
    ("order 10^30", _check("x^2", "0", "--order", "1" + "0" * 30), {0, 2}),
    ("order 60", _check("sin(x^2)*exp(x^3)", "0", "--order", "60"), {1, 2}),
    ("--wrt x 14 times", _check("sin(x)*exp(x^2)", "0", wrt=",".join(["x"] * 14)), {1, 2}),
    ("an empty --wrt", _check("x^2", "2x", wrt=""), {0, 2}),
    ("an empty answer", _check("x^2", ""), {2}),
]


@pytest.mark.parametrize("name,args,codes", CRASHES, ids=[c[0] for c in CRASHES])
def test_a_crash_attempt_ends_with_a_documented_exit(
    name: str, args: list[str], codes: set[int]
) -> None:
    done = cgraph(*args, timeout=180)
    assert "Traceback" not in done.stderr, done.stderr[-2000:]
    assert done.returncode in codes, (done.returncode, done.stdout[-500:], done.stderr[-500:])
    if done.returncode == 2:
        assert done.stderr.lower().startswith("error: ") or "\nError: " in done.stderr
    assert "\x1b[2J" not in done.stdout + done.stderr


@pytest.mark.parametrize(
    "answer,why",
    [
        ("2*x + exp(-(x - 1234.5)^2*1e6)", "a bump no sampled point sees: exp(...) > 0"),
        ("2*x + 10^-30/(1 + x^2)", "positive everywhere, below float64 at every sampled point"),
        ("2*x - 10^-30*exp(-x^2)", "negative everywhere"),
    ],
)
def test_a_difference_sympy_knows_has_one_sign_is_proved_different(answer: str, why: str) -> None:
    from cgraph_cli import check

    result = check("x^2", answer, wrt="x")
    assert result.outcome.value == "wrong", (why, result.method)
    assert result.method.startswith("proved different"), (why, result.method)
    assert result.exit_code == 1


def test_zero_to_a_negative_power_is_undefined_not_skipped() -> None:
    """`0^x` is 0 for x > 0 and undefined for x < 0; the points x < 0 must count against it
    (they were skipped as 'maybe zero only by rounding', which made 2x + 0^x 'correct')."""
    from cgraph_cli import check

    result = check("x^2", "2*x + 0^x", wrt="x")
    assert result.outcome.value == "wrong"
    assert result.counterexample.point["x"] < 0
    assert result.counterexample.answer is None


@pytest.mark.parametrize(
    "answer,verdict",
    [
        ("(" * 100_000 + "2*x" + ")" * 100_000, "correct"),
        ("+".join(["x"] * 250_000), "error"),  # over the 5,000-operation symbolic limit
        ("-" * 200_000 + "x", "error"),
    ],
    ids=["100,000 parentheses around 2*x", "a 1 MB sum", "200,000 minus signs"],
)
def test_a_huge_answer_in_a_problem_file_is_one_row_not_a_crash(
    tmp_path: Path, answer: str, verdict: str
) -> None:
    """Too long for a command line: one student's answer cell in the class file (over csv's
    default field limit of 131,072 characters, which failed the whole file)."""
    problems = tmp_path / "class.csv"
    problems.write_text(f"id,expression,wrt,answer\nbig,x^2,x,{answer}\nok,x^2,x,2x\n")
    done = cgraph("check", "--problems", str(problems), "--json", "--jobs", "1", timeout=300)
    assert "Traceback" not in done.stderr, done.stderr[-2000:]
    records = {r["id"]: r for r in json.loads(done.stdout)["results"]}
    assert records["ok"]["verdict"] == "correct"
    assert records["big"]["verdict"] == verdict
    assert done.returncode == {"correct": 0, "wrong": 1, "error": 2}[verdict]


@pytest.mark.parametrize(
    "answer,verdict",
    [
        ("cos(x)*(1 + 1e-12)", "wrong"),  # equal to 12 digits at every sampled point
        ("cos(x)*(sin(1)^2 + cos(1)^2)", "correct"),  # 1 written another way
        ("2*cos(x)/2", "correct"),
    ],
)
def test_an_answer_off_by_a_constant_factor_is_wrong(answer: str, verdict: str) -> None:
    """QA finding F2 (fixed by trust: the sampler's tolerance is measured noise, not 1e-9)."""
    from cgraph_cli import check

    result = check("sin(x)", answer, wrt="x")
    assert result.outcome.value == verdict, result.method
