"""A first-year differentiation chapter typed as the textbook prints it, checked both ways.

`tests/data/textbook_derivatives.csv` holds 180 exercises (power, product, quotient and chain
rules, trigonometric, inverse trigonometric, exponential, logarithmic with bases, hyperbolic,
logarithmic differentiation) with their answer keys as printed (`sec x tan x`, `sin^2 x`,
`1/(x ln 2)`, `1/(|x|√(x² − 1))`, `π`, superscripts, `−`) and, beside each, a wrong answer a
student gives (a chain factor dropped, a sign flipped, a base forgotten). Every key must be
checked correct and every wrong answer wrong. The file is also a batch `cgraph check --file`
reads as it is (the `topic` and `wrong` columns are ignored there).
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from cgraph_cli.homework.check import CheckResult, Outcome, Problem, check_safely
from cgraph_cli.homework.problem_file import read_problems

CORPUS = Path(__file__).resolve().parent / "data" / "textbook_derivatives.csv"
ROWS = list(csv.DictReader(CORPUS.read_text(encoding="utf-8").splitlines()))


def _id(row: dict[str, str]) -> str:
    return f"{row['id']}-{row['topic'].replace(' ', '_')}"


def test_the_corpus_is_a_whole_chapter() -> None:
    assert len(ROWS) >= 150
    topics = {row["topic"] for row in ROWS}
    assert topics == {
        "power", "product", "quotient", "chain", "trig", "inverse trig", "exp", "log",
        "hyperbolic", "mixed",
    }  # fmt: skip


def verdict(expression: str, wrt: str, answer: str) -> CheckResult:
    """check_safely; no retry: the time boxes are deadlines (`core.timebox.within`), and a
    TimeUp can no longer escape the code a box guards."""
    return check_safely(Problem(expression, wrt, answer))


@pytest.mark.parametrize("row", ROWS, ids=_id)
def test_the_answer_key_is_correct(row: dict[str, str]) -> None:
    result = verdict(row["expression"], row["wrt"], row["answer"])
    assert result.outcome is Outcome.CORRECT, (result.method, result.error, result.derivative)


@pytest.mark.parametrize("row", ROWS, ids=_id)
def test_the_wrong_answer_is_wrong(row: dict[str, str]) -> None:
    result = verdict(row["expression"], row["wrt"], row["wrong"])
    assert result.outcome is Outcome.WRONG, (result.method, result.error, result.derivative)


def test_the_file_is_a_batch_check_reads_as_it_is() -> None:
    problems = read_problems(str(CORPUS))
    assert [p.answer for p in problems] == [row["answer"] for row in ROWS]
    assert all(p.error is None for p in problems)
