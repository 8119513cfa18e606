"""Check one homework answer: is this expression (or number) the derivative of that program?

A symbolic answer is compared with the derivative from `symbolic.derivatives` as a real
function (`equivalence.compare`: random points, then a time-boxed proof) and, when a point was
given, at that point too; a number is compared with the reverse-mode gradient at the point.
The verdict is a `results.CheckResult`; files of problems are read by `problem_file.py`.
No Typer and no Rich here: the CLI and `check_table` present what this module returns.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from ..core.autodiff import Evaluation
from ..core.graph import INPUT, Graph
from ..core.question import COMMAND_LINE, Spelling, pose, wrt_nodes
from ..errors import CgraphError, InputError, TooComplex
from .answer import answer_expression, answer_graph, answer_names, answer_value
from .answer_text import read_answer
from .diagnosis import diagnose
from .results import CheckResult, Comparison, Outcome, Problem

DEFAULT_TOL = 1e-6  # relative tolerance of a numeric answer
SAMPLE_POINTS = 48  # regular sample points; points beside switch points come on top
PROOF_SECONDS = 2.0  # time box of the symbolic proof, per problem
UNDERFLOW = 2.2250738585072014e-308  # below this a float64 gradient has lost digits (or all)


def check(
    problem: Problem, tol: float = DEFAULT_TOL, seed: int = 0, spelling: Spelling = COMMAND_LINE
) -> CheckResult:
    """Check one answer; raises a CgraphError for a malformed problem (see `check_safely`).
    `spelling` is how the asker writes settings, for hints (the Python API's has no dashes)."""
    if problem.error is not None:
        raise InputError(problem.error)
    from .check_higher import check_higher, is_higher

    question = pose(problem.expression, problem.values, spelling=spelling)
    if is_higher(problem, spelling):
        return check_higher(problem, question, tol, seed)
    graph = question.graph
    wrt = wrt_nodes(graph, problem.wrt, "the only input", spelling)[0]
    text, read = read_answer(problem.answer, graph, wrt, answer_names(graph))
    answer = answer_graph(text, graph, spelling)
    at = question.evaluation
    base: dict[str, Any] = {
        "of": graph.output_name(),
        "wrt": graph.nodes[wrt].label,
        "notes": _reading_notes(graph, answer, read, at),
    }
    if at is not None and not answer.input_names:
        return _check_number(problem, graph, wrt, answer, at, tol, base)
    return _check_symbolic(problem, graph, wrt, answer, at, seed, base)


def check_safely(problem: Problem, tol: float = DEFAULT_TOL, seed: int = 0) -> CheckResult:
    """`check`, with a malformed problem turned into an error result: a batch goes on."""
    try:
        return check(problem, tol, seed)
    except CgraphError as error:
        return CheckResult(problem, Outcome.ERROR, "not checked", error=str(error))


def _reading_notes(
    graph: Graph, answer: Graph, read: tuple[str, ...], point: Evaluation | None
) -> tuple[str, ...]:
    """How ambiguous text was read (program, then answer), then kinks met at the point."""
    kinks = point.notes[len(graph.notes) :] if point is not None else []  # after the readings
    return (*graph.notes, *(f"answer: {note}" for note in (*read, *answer.notes)), *kinks)


def _check_number(
    problem: Problem,
    graph: Graph,
    wrt: int,
    answer: Graph,
    point: Evaluation,
    tol: float,
    base: dict[str, str],
) -> CheckResult:
    """A constant answer against the gradient at the point (relative `tol`): at high precision
    (`symbolic.at_point`) when the derivative can be had symbolically, else in floats, where a
    gradient that underflowed cannot be judged."""
    from ..symbolic.equivalence import compare_numbers

    values = _point_values(graph, point, wrt, answer)
    exact = _exactly(graph, wrt, answer, point, tol)
    if exact is not None:
        ok = exact.equal
        if exact.underflows:  # the float64 numbers shown cannot say it: the exact ones can
            base = {**base, "notes": (*base["notes"], f"at high precision: {exact.expected} "
                    f"(the gradient), {exact.answer} (your answer)")}  # fmt: skip
    else:
        ok = (
            values.answer is not None
            and values.expected is not None
            and compare_numbers(values.expected, values.answer, rel_tol=tol)
        )
        tiny = values.expected is not None and abs(values.expected) < UNDERFLOW
        if ok and tiny and not point.notes:  # at a kink the float pass is the convention
            return CheckResult(
                problem,
                Outcome.UNDECIDED,
                "undecided: the gradient at this point is below float64's range "
                f"(|∂| < {UNDERFLOW:g}), and its exact value could not be computed",
                "numeric",
                derivative=_derivative_text(graph, wrt),
                at_point=values,
                **base,
            )
    method = (
        f"equals the gradient at the point, relative tolerance {tol:g}"
        if ok
        else "not the gradient at the point"
    )
    return CheckResult(
        problem,
        Outcome.CORRECT if ok else Outcome.WRONG,
        method,
        "numeric",
        derivative=_derivative_text(graph, wrt),
        at_point=values,
        counterexample=None if ok else values,
        **base,
    )


def _check_symbolic(
    problem: Problem,
    graph: Graph,
    wrt: int,
    answer: Graph,
    point: Evaluation | None,
    seed: int,
    base: dict[str, str],
) -> CheckResult:
    """The answer against the derivative (`judge`), and the mistake a wrong one matches."""
    from ..symbolic.expressions import input_symbols, node_expressions

    derivative, shown = _derivative(graph, wrt)
    expected = _in_inputs(graph, wrt, derivative)
    answer_expr = answer_expression(graph, answer)
    inputs = input_symbols(graph)
    function = node_expressions(graph, upto=graph.output)[graph.output]
    verdict = judge(expected, answer_expr, inputs, point, seed,
                    domain=function, probe=_probe(graph, answer))  # fmt: skip
    found = (
        diagnose(graph, wrt, answer_expr, expected, list(inputs.values()), seed)
        if verdict["outcome"] is Outcome.WRONG
        else None
    )
    return CheckResult(
        problem,
        kind="symbolic",
        derivative=shown,
        at_point=_point_values(graph, point, wrt, answer) if point else None,
        diagnosis=found,
        **verdict,
        **base,
    )


def judge(
    expected: Any,
    answer: Any,
    inputs: Mapping[str, Any],
    point: Evaluation | None,
    seed: int,
    **options: Any,
) -> dict[str, Any]:
    """The verdict on a symbolic answer, for derivatives of any order: the outcome, how it was
    decided, the counterexample and the sampling. Compared as real functions of the inputs
    (`equivalence.compare`: sampled, then proved), and, when a point was given, at that point
    too: a wrong answer must not pass because it agrees with the derivative everywhere
    sampling looked but at the point the user asked about."""
    from ..symbolic.equivalence import Method, compare, compare_at

    verdict = compare(expected, answer, list(inputs.values()), seed=seed, points=SAMPLE_POINTS,
                      timeout_s=PROOF_SECONDS, **options)  # fmt: skip
    counter, method = verdict.counterexample, verdict.message
    if verdict.equal:
        outcome = Outcome.CORRECT
    else:
        outcome = Outcome.WRONG if verdict.method is not Method.UNDECIDED else Outcome.UNDECIDED
    if point is not None and not point.notes:  # at a kink the convention decides, not a formula
        at_point = compare_at(expected, answer, {inputs[n]: v for n, v in point.inputs.items()})
        if at_point is not None:  # the user's own point is the counterexample to show
            outcome, counter = Outcome.WRONG, at_point
            method = "not equal at the given point" + (
                f" (elsewhere: {verdict.message})" if verdict.equal else ""
            )
    return {
        "outcome": outcome,
        "method": method,
        "counterexample": Comparison(counter.point, counter.expected, counter.answer)
        if counter
        else None,
        "sampling": verdict.sampling.as_dict() if verdict.sampling else None,
    }


def _probe(graph: Graph, answer: Graph) -> Any:
    """Is the program, and is the answer as written, defined at a sample point?"""
    from .domains import defined

    def probe(point: Mapping[Any, float]) -> tuple[bool | None, bool | None]:
        inputs = {symbol.name: value for symbol, value in point.items()}
        program = defined(graph, inputs)
        if not answer.input_names or any(name not in inputs for name in answer.input_names):
            return program, None  # the answer uses named steps: judged by its SymPy form
        return program, defined(answer, inputs)

    return probe


def _exactly(graph: Graph, wrt: int, answer: Graph, point: Evaluation, tol: float) -> Any:
    """The numeric answer against the symbolic derivative at the point, at high precision;
    None when SymPy cannot give it (too big, too slow) or it has no value there."""
    from ..symbolic.at_point import number_verdict
    from ..symbolic.expressions import input_symbols

    if point.notes:  # a kink at the point: the convention (the float pass) decides
        return None
    try:
        expected = _in_inputs(graph, wrt, _derivative(graph, wrt)[0])
        answer_expr = answer_expression(graph, answer)
    except (TooComplex, RecursionError):
        return None
    inputs = input_symbols(graph)
    return number_verdict(
        expected, answer_expr, {inputs[n]: v for n, v in point.inputs.items()}, tol
    )


# --- the symbolic side ---------------------------------------------------------------------


def _derivative(graph: Graph, wrt: int) -> tuple[Any, str]:
    """d output / d wrt from the shared reverse sweep, and its text."""
    from ..symbolic.derivatives import derivatives
    from ..symbolic.printing import text

    expr = derivatives(graph, [wrt], in_steps=False).items[0].expr
    return expr, text(expr)


def _derivative_text(graph: Graph, wrt: int) -> str | None:
    """The derivative's text for a numeric check, which must also work where SymPy cannot
    (a program too big for symbolic work is still checked at the point)."""
    try:
        return _derivative(graph, wrt)[1]
    except TooComplex:
        return None


def _in_inputs(graph: Graph, wrt: int, derivative: Any) -> Any:
    """d f / d q for a step q is written in q; the answer is compared in the inputs, where q
    is its own expression (the answer may say `2*q` or `2*(x + y)`)."""
    node = graph.nodes[wrt]
    if node.op == INPUT:
        return derivative
    from ..symbolic.expressions import node_expressions, sympy_module

    step = sympy_module().Symbol(node.label, real=True)
    return derivative.xreplace({step: node_expressions(graph, upto=wrt)[wrt]})


# --- numbers at the point ------------------------------------------------------------------


def _point_values(graph: Graph, point: Evaluation, wrt: int, answer: Graph) -> Comparison:
    """The gradient at the point beside the answer's value there (None where undefined)."""
    expected = point.grads[wrt]
    return Comparison(
        dict(point.inputs),
        expected if math.isfinite(expected) else None,
        answer_value(graph, answer, point),
    )
