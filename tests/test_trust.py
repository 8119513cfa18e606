"""Issue 10: never a wrong verdict, never a wrong number. Hostile cases per class, as tables.

- the adversarial corpus (tests/data/adversarial_check.csv): wrong answers that agree with the
  truth on a region, at a point, or everywhere but near a kink; every row must be "wrong";
- the given point decides too: an answer wrong at the user's point is wrong;
- the time box works in any thread, nests, and leaves no stray exception behind.
"""

from __future__ import annotations

import csv
import threading
import time
from pathlib import Path

import pytest

from cgraph_cli.core.timebox import TimeUp, time_box
from cgraph_cli.homework.check import Outcome, Problem, check_safely, read_problems

ADVERSARIAL = Path(__file__).parent / "data" / "adversarial_check.csv"
ROWS = read_problems(str(ADVERSARIAL))
TRICKS = {
    str(number): row["trick"]
    for number, row in enumerate(
        csv.DictReader(ADVERSARIAL.read_text(encoding="utf-8").splitlines()), start=1
    )
}


def test_adversarial_corpus_is_big_and_varied() -> None:
    assert len(ROWS) >= 60
    functions = {
        name
        for problem in ROWS
        for name in ("exp", "log", "sin", "cos", "tan", "sqrt", "tanh", "sigmoid", "relu", "abs")
        if name in problem.expression
    }
    assert len(functions) == 10
    assert sum(1 for problem in ROWS if problem.values) >= 10  # "at a point" rows


@pytest.mark.parametrize("problem", ROWS, ids=lambda p: f"{p.id}:{p.expression}|{p.answer}")
def test_adversarial_answers_are_wrong(problem: Problem) -> None:
    result = check_safely(problem)
    assert result.outcome is Outcome.WRONG, (TRICKS[problem.id], result.method, result.error)
    assert result.counterexample is not None


# --- the given point is part of the verdict ----------------------------------------------


@pytest.mark.parametrize(
    ("expression", "answer", "values", "outcome"),
    [
        ("x^2", "2*min(x, 10)", {"x": 20.0}, Outcome.WRONG),
        ("x^2", "2*min(x, 10)", {"x": 5.0}, Outcome.WRONG),  # right there, wrong as a function
        ("x^2", "2*x", {"x": 20.0}, Outcome.CORRECT),
        ("exp(x)", "exp(min(x, 5))", {"x": 6.0}, Outcome.WRONG),
        ("x*y", "y", {"x": 1.0, "y": 2.0}, Outcome.CORRECT),
        ("x*y", "min(y, 1)", {"x": 1.0, "y": 2.0}, Outcome.WRONG),
        ("relu(x)", "relu(x)/x", {"x": 0.0}, Outcome.CORRECT),  # at the kink the rule decides
    ],
)
def test_the_given_point_counts(
    expression: str, answer: str, values: dict[str, float], outcome: Outcome
) -> None:
    result = check_safely(Problem(expression, "x", answer, values))
    assert result.outcome is outcome, result.method
    if outcome is Outcome.WRONG and values == {"x": 20.0}:
        assert result.counterexample is not None
        assert dict(result.counterexample.point) == values
        assert (result.counterexample.expected, result.counterexample.answer) == (40.0, 20.0)


# --- domains as written, not as SymPy simplified them --------------------------------------


@pytest.mark.parametrize(
    ("expression", "answer", "outcome"),
    [
        ("x^2", "2*sqrt(x)^2", Outcome.WRONG),  # SymPy builds sqrt(x)^2 as x
        ("x^2", "2*exp(log(x))", Outcome.WRONG),
        ("sqrt(x)^2", "1", Outcome.CORRECT),  # the program lives on x >= 0 only
        ("sqrt(x)^2", "sqrt(x)/sqrt(x)", Outcome.CORRECT),
        ("log(x)", "1/abs(x)", Outcome.CORRECT),  # equal wherever log(x) is defined
        ("log(x^2)", "1/abs(x)*2", Outcome.WRONG),
    ],
)
def test_domains_are_judged_as_written(expression: str, answer: str, outcome: Outcome) -> None:
    result = check_safely(Problem(expression, "x", answer))
    assert result.outcome is outcome, result.method


# --- the time box -------------------------------------------------------------------------


def _spin(seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        pass


def _boxed(seconds: float, work: float) -> tuple[bool, float]:
    start = time.monotonic()
    box = time_box(seconds)
    try:
        with box:
            _spin(work)
    except TimeUp as up:
        assert up.box is box
        return True, time.monotonic() - start
    return False, time.monotonic() - start


@pytest.mark.parametrize("where", ["main thread", "worker thread", "four threads"])
def test_time_box_stops_work_in_any_thread(where: str) -> None:
    results: list[tuple[bool, float]] = []
    count = {"main thread": 0, "worker thread": 1, "four threads": 4}[where]
    if count == 0:
        results.append(_boxed(0.2, 5.0))
    threads = [
        threading.Thread(target=lambda: results.append(_boxed(0.2, 5.0))) for _ in range(count)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert len(results) == max(count, 1)
    assert all(stopped and elapsed < 2.0 for stopped, elapsed in results), results


def test_time_box_nests_and_the_outer_deadline_wins() -> None:
    with pytest.raises(TimeUp) as raised:
        with time_box(0.2) as outer:
            try:
                with time_box(30):
                    _spin(5.0)
            except TimeUp as up:
                assert up.box is outer  # not the inner box's: it must go on up
                raise
    assert raised.value.box is outer


def test_time_box_leaves_no_stray_exception() -> None:
    """Blocks that end right at their deadline: a TimeUp sent late must never surface later."""
    stopped = sum(_boxed(0.002, 0.002)[0] for _ in range(200))
    _spin(0.8)  # a stray TimeUp would be raised here
    assert 0 <= stopped <= 200
