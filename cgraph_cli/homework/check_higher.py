"""Check an answer for a higher derivative: `--wrt x --order 2` (∂²f/∂x²) or `--wrt x,y` (the
mixed ∂²f/∂x∂y: the list is differentiated in turn).

The same verdict rules as a first derivative (check.py): a symbolic answer is compared with
the derivative as a real function (sampled, then proved), a number with the derivative's value
at the given point within `tol`.
"""

from __future__ import annotations

from typing import Any

from ..core.question import COMMAND_LINE, Question, Spelling, higher_sequence, wrt_names
from ..symbolic import higher
from ..symbolic.printing import text as formula_text
from .answer import answer_expression, answer_graph, answer_names, answer_value
from .answer_text import split_run_together, strip_higher_left_side
from .check import judge
from .results import CheckResult, Comparison, Outcome, Problem


def is_higher(problem: Problem, spelling: Spelling = COMMAND_LINE) -> bool:
    """A question for this module: an order above 1, or several variables in turn."""
    return problem.order != 1 or len(wrt_names(problem.wrt, spelling) or ()) > 1


def check_higher(problem: Problem, question: Question, tol: float, seed: int = 0) -> CheckResult:
    """The answer against the higher derivative; raises a CgraphError for a bad problem."""
    from ..symbolic.equivalence import compare_numbers
    from ..symbolic.expressions import input_symbols

    graph = question.graph
    indices = higher_sequence(graph, problem.wrt, problem.order, question.spelling)
    answer_text = strip_higher_left_side(problem.answer, graph, indices)
    text, _ = split_run_together(answer_text, answer_names(graph))
    answer = answer_graph(text, graph, question.spelling)
    point = question.evaluation
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
    verdict = judge(expected, answer_expression(graph, answer), input_symbols(graph), point, seed)
    return CheckResult(problem, kind="symbolic", at_point=at_point, **verdict, **base)
