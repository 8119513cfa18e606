"""Naming the mistake in a wrong derivative (homework/diagnosis.py): every mistake kind on at
least three functions, the sentence and node for the issue's own examples, and no diagnosis
ever for a correct answer or for a wrong answer that matches no variant exactly."""

from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cgraph_cli.cli.app import app
from cgraph_cli.homework.check import Outcome, Problem, check
from cgraph_cli.homework.diagnosis import KINDS

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "tests" / "data" / "equivalence_corpus.csv"
ENV = {"COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb"}

# (program, wrt, a wrong answer, the mistake it is)
ROWS = [
    ("sin(x^2)", "x", "cos(x^2)", "chain_factor_missing"),
    ("(3x+1)^5", "x", "5(3x+1)^4", "chain_factor_missing"),
    ("exp(-x^2)", "x", "exp(-x^2)", "chain_factor_missing"),
    ("log(x^2+1)", "x", "1/(x^2+1)", "chain_factor_missing"),
    ("sqrt(1 - x^2)", "x", "1/(2sqrt(1-x^2))", "chain_factor_missing"),
    ("x^2*sin(x)", "x", "2x cos(x)", "product_rule_as_product"),
    ("x*exp(x)", "x", "exp(x)", "product_rule_as_product"),
    ("(x+1)*log(x)", "x", "1/x", "product_rule_as_product"),
    ("x^2*sin(x)", "x", "2x sin(x)", "product_term_missing"),
    ("x*exp(x)", "x", "x exp(x)", "product_term_missing"),
    ("x^3*cos(x)", "x", "-x^3 sin(x)", "product_term_missing"),
    ("x/(x^2+1)", "x", "(2x^2 - (x^2+1))/(x^2+1)^2", "quotient_numerator_reversed"),
    ("sin(x)/x", "x", "(sin(x) - x cos(x))/x^2", "quotient_numerator_reversed"),
    ("(x+1)/(x-1)", "x", "2/(x-1)^2", "quotient_numerator_reversed"),
    ("x/(x^2+1)", "x", "(1 - x^2)/(x^2+1)", "quotient_square_missing"),
    ("sin(x)/x", "x", "(x cos(x) - sin(x))/x", "quotient_square_missing"),
    ("exp(x)/(x+2)", "x", "(exp(x)(x+2) - exp(x))/(x+2)", "quotient_square_missing"),
    ("x/(x^2+1)", "x", "(1+x^2)/(x^2+1)^2", "quotient_term_missing"),
    ("sin(x)/x", "x", "cos(x)/x", "quotient_term_missing"),
    ("x^2/(x+1)", "x", "-x^2/(x+1)^2", "quotient_term_missing"),
    ("x/(x^2+1)", "x", "1/(2x)", "quotient_as_ratio"),
    ("sin(x)/x", "x", "cos(x)", "quotient_as_ratio"),
    ("x^3/(x+1)", "x", "3x^2", "quotient_as_ratio"),
    ("x^3", "x", "3x^3", "power_exponent_kept"),
    ("(2x+1)^4", "x", "8(2x+1)^4", "power_exponent_kept"),
    ("sqrt(x)", "x", "sqrt(x)/2", "power_exponent_kept"),
    ("x^-2", "x", "-2x^-2", "power_exponent_kept"),
    ("x^3", "x", "x^2", "power_coefficient_missing"),
    ("(x^2+1)^3", "x", "2x(x^2+1)^2", "power_coefficient_missing"),
    ("sqrt(x)", "x", "1/sqrt(x)", "power_coefficient_missing"),
    ("exp(x)", "x", "x exp(x-1)", "exponential_as_power"),
    ("2^x", "x", "x*2^(x-1)", "exponential_as_power"),
    ("exp(3x)", "x", "9x exp(3x-1)", "exponential_as_power"),
    ("10^(x^2)", "x", "2x*x^2*10^(x^2-1)", "exponential_as_power"),
    ("cos(x)", "x", "sin(x)", "sign_error"),
    ("sin(x^2)", "x", "-2x cos(x^2)", "sign_error"),
    ("cosh(x^2)", "x", "-2x sinh(x^2)", "sign_error"),
    ("tanh(3x)", "x", "-3(1 - tanh(3x)^2)", "sign_error"),
    ("(w*x+b-t)^2", "t", "2(w*x+b-t)", "sign_error"),
    ("log(x)", "x", "log(x)", "log_vs_reciprocal"),
    ("1/x", "x", "log(x)", "log_vs_reciprocal"),
    ("x^-1", "x", "log(x)", "log_vs_reciprocal"),
    ("ln(x^2+1)", "x", "2x ln(x^2+1)", "log_vs_reciprocal"),
    ("log10(x)", "x", "1/x", "log_base_forgotten"),
    ("log2(x^2)", "x", "2/x", "log_base_forgotten"),
    ("2^x", "x", "2^x", "log_base_forgotten"),
    ("3^(2x)", "x", "2*3^(2x)", "log_base_forgotten"),
    ("a = x^2; b = x^3; y = a + b", "x", "3x^2", "fan_out_path_missing"),
    ("q = x*y; f = q + x", "x", "y", "fan_out_path_missing"),
    ("u = x + 1; v = u^2; f = v + sin(u)", "x", "cos(x+1)", "fan_out_path_missing"),
    ("(w*x+b-t)^2", "w", "2(w x + b - t) w", "wrong_variable"),
    ("x^2 y", "x", "x^2", "wrong_variable"),
    ("sin(x y)", "y", "y cos(x y)", "wrong_variable"),
    ("x^2", "x", "x^2", "original_function"),
    ("sin(x)*x", "x", "x sin(x)", "original_function"),
    ("x^3 + x", "x", "x^3 + x", "original_function"),
]


@pytest.mark.parametrize(("program", "wrt", "answer", "mistake"), ROWS)
def test_each_mistake_is_named(program: str, wrt: str, answer: str, mistake: str) -> None:
    result = check(Problem(program, wrt, answer))
    assert result.outcome is Outcome.WRONG
    assert result.diagnosis is not None, f"{program} / {answer}: no diagnosis"
    assert result.diagnosis.mistake == mistake, result.diagnosis.message


def test_every_kind_has_three_rows() -> None:
    counts = Counter(row[3] for row in ROWS)
    assert set(counts) == set(KINDS)
    assert min(counts.values()) >= 3, counts


@pytest.mark.parametrize(
    ("program", "wrt", "answer", "node", "message"),
    [
        (
            "sin(x^2)",
            "x",
            "cos(x^2)",
            "n2",
            "the chain rule factor d(x^2)/dx = 2x of sin(x^2) is missing",
        ),
        (
            "a = x^2; b = x^3; y = a + b",
            "x",
            "3x^2",
            "x",
            "x feeds 2 places (a = x^2, b = x^3); the path through a = x^2 is missing: "
            "at a fan-out the gradients of all paths add up",
        ),
        (
            "x^2*sin(x)",
            "x",
            "2x cos(x)",
            "f",
            "the product rule at x^2 * sin(x) was applied as f′·g′; it is f′·g + f·g′ "
            "with f = x^2, g = sin(x)",
        ),
        (
            "cos(x)",
            "x",
            "sin(x)",
            "f",
            "the sign of the derivative of cos(x) is wrong: d/du cos(u) = -sin(u)",
        ),
        (
            "(w*x+b-t)^2",
            "w",
            "2(w x + b - t) w",
            None,
            "this is ∂f/∂x, the derivative with respect to x; the question asks for ∂f/∂w",
        ),
    ],
)
def test_the_sentence_and_the_node(
    program: str, wrt: str, answer: str, node: str | None, message: str
) -> None:
    diagnosis = check(Problem(program, wrt, answer)).diagnosis
    assert diagnosis is not None
    assert (diagnosis.node, diagnosis.message) == (node, message)


def test_a_step_as_the_variable() -> None:
    """d f / d q for a step q: the variants are built with q as the variable."""
    diagnosis = check(Problem("q = x + y; f = sin(q^2)", "q", "cos(q^2)")).diagnosis
    assert diagnosis is not None
    assert diagnosis.mistake == "chain_factor_missing"
    assert diagnosis.message == "the chain rule factor d(q^2)/dq = 2q of sin(q^2) is missing"


def _corpus() -> list[dict[str, str]]:
    with CORPUS.open(newline="") as handle:
        return list(csv.DictReader(handle))


def test_no_correct_answer_gets_a_diagnosis() -> None:
    """Every correct answer of the corpus, and the right answer to every mistake row."""
    correct = [row for row in _corpus() if row["verdict"] == "correct"]
    assert len(correct) >= 50
    for row in correct:
        result = check(Problem(row["expression"], row["wrt"], row["answer"]))
        if result.outcome is Outcome.CORRECT:
            assert result.diagnosis is None, row
            assert result.as_dict()["diagnosis"] is None


@pytest.mark.parametrize(
    ("program", "answer"),
    [
        ("sin(x^2)", "cos(x^2) + 1e-6"),  # close to a variant is not a variant
        ("sin(x^2)", "17"),
        ("sin(x^2)", "x^3"),
        ("x^2*sin(x)", "2x cos(x) + x"),
        ("x^3", "3x^3 + 1"),
        ("a = x^2; b = x^3; y = a + b", "3x^2 + 2"),
    ],
)
def test_no_guess_for_an_answer_that_matches_no_variant(program: str, answer: str) -> None:
    result = check(Problem(program, "x", answer))
    assert result.outcome is Outcome.WRONG
    assert result.diagnosis is None


def test_json_diagnosis_object() -> None:
    result = CliRunner().invoke(
        app, ["check", "sin(x^2)", "--wrt", "x", "--answer", "cos(x^2)", "--json"], env=ENV
    )
    assert result.exit_code == 1, result.output
    assert json.loads(result.stdout)["diagnosis"] == {
        "mistake": "chain_factor_missing",
        "label": "chain factor missing",
        "node": "n2",
        "message": "the chain rule factor d(x^2)/dx = 2x of sin(x^2) is missing",
        "method": "proved equal",
    }


def test_terminal_says_the_mistake() -> None:
    result = CliRunner().invoke(app, ["check", "x^3", "--wrt", "x", "--answer", "3x^3"], env=ENV)
    assert result.exit_code == 1, result.output
    assert (
        "mistake: the power rule at x^3 was applied without lowering the exponent: "
        "d(u^n) = n·u^(n−1)·u′"
    ) in result.stdout
