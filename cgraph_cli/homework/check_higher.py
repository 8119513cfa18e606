"""Check an answer for a higher derivative: `--wrt x --order 2` (∂²f/∂x²) or `--wrt x,y` (the
mixed ∂²f/∂x∂y: the list is differentiated in turn).

The same verdict rules as a first derivative (check.py): a symbolic answer is compared with
the derivative as a real function (sampled, then proved), a number with the derivative's value
at the given point within `tol`.
"""

from __future__ import annotations

from typing import Any

from ..core.graph import compile_program
from ..symbolic import higher
from ..symbolic.printing import text as formula_text
from .answer import answer_expression, answer_graph, answer_names, answer_value
from .answer_text import split_run_together, strip_higher_left_side
from .check import PROOF_SECONDS, SAMPLE_POINTS, _evaluation
from .results import CheckResult, Comparison, Outcome, Problem


def is_higher(problem: Problem) -> bool:
    """A question for this module: an order above 1, or several variables in turn."""
    return problem.order != 1 or "," in (problem.wrt or "")


def check_higher(problem: Problem, tol: float, seed: int = 0) -> CheckResult:
    """The answer against the higher derivative; raises a CgraphError for a bad problem."""
    from ..symbolic.equivalence import Method, compare, compare_numbers
    from ..symbolic.expressions import input_symbols

    graph = compile_program(problem.expression)
    indices = higher.sequence(graph, problem.wrt, problem.order)
    answer_text = strip_higher_left_side(problem.answer, graph, indices)
    text, _ = split_run_together(answer_text, answer_names(graph))
    answer = answer_graph(text, graph)
    point = _evaluation(graph, problem.values, indices[0])
    expected = higher.higher_derivative(graph, indices)
    base: dict[str, Any] = {
        "of": graph.output_name(),
        "wrt": ",".join(graph.nodes[i].label for i in indices[: len(indices) // problem.order]),
        "derivative": formula_text(expected),
        "name": higher.name(graph.output_name(), graph, indices),
    }
    at_point = None
    if point is not None:
        at_point = Comparison(
            dict(point.inputs),
            higher.value_at(expected, point.inputs),
            answer_value(graph, answer, point),
        )
    if at_point is not None and not answer.input_names:
        ok = (
            at_point.expected is not None
            and at_point.answer is not None
            and compare_numbers(at_point.expected, at_point.answer, rel_tol=tol)
        )
        return CheckResult(
            problem,
            Outcome.CORRECT if ok else Outcome.WRONG,
            f"equals the derivative at the point, relative tolerance {tol:g}"
            if ok
            else "not the derivative at the point",
            "numeric",
            at_point=at_point,
            counterexample=None if ok else at_point,
            **base,
        )
    symbols = list(input_symbols(graph).values())
    verdict = compare(
        expected,
        answer_expression(graph, answer),
        symbols,
        seed=seed,
        points=SAMPLE_POINTS,
        timeout_s=PROOF_SECONDS,
    )
    if verdict.equal:
        outcome = Outcome.CORRECT
    else:
        outcome = Outcome.WRONG if verdict.method is not Method.UNDECIDED else Outcome.UNDECIDED
    counter = verdict.counterexample
    return CheckResult(
        problem,
        outcome,
        verdict.message,
        "symbolic",
        counterexample=Comparison(counter.point, counter.expected, counter.answer)
        if counter
        else None,
        at_point=at_point,
        **base,
    )
