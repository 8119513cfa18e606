"""What `cgraph eval` shows: the node table (or the JSON document), then, when asked for, the
finite-difference check of each gradient and the Hessian at the point."""

from __future__ import annotations

from typing import Any, NamedTuple

from rich.console import Console


class Evaluated(NamedTuple):
    """An evaluation and what was computed beside it (None where not asked for)."""

    evaluation: Any
    forms: Any = None  # exact forms of values and gradients
    check: Any = None  # the finite-difference comparison (core/gradcheck.py)
    hessian: Any = None  # second derivatives at the point (symbolic/higher.py)


def eval_json(result: Evaluated) -> str:
    """The `eval --json` text: the evaluation document, plus `gradcheck` and `hessian`."""
    from .report import evaluation_json, gradcheck_document

    extra: dict[str, Any] = {}
    if result.check is not None:
        extra["gradcheck"] = gradcheck_document(result.check)
    if result.hessian is not None:
        from .higher_view import hessian_document

        extra["hessian"] = hessian_document(result.hessian)
    return evaluation_json(result.evaluation, result.forms, extra or None)


def print_eval(
    console: Console, result: Evaluated, digits: int, show_all: bool, local: bool = False
) -> None:
    """The table of every node, then the gradient check and the Hessian below it."""
    from .tables import print_evaluation, print_gradcheck

    evaluation = result.evaluation
    print_evaluation(
        console, evaluation, digits=digits, exact=result.forms, show_all=show_all, local=local
    )
    if result.check is not None:
        print_gradcheck(console, result.check, digits, bool(evaluation.notes))
    if result.hessian is not None:
        from .higher_view import hessian_table

        console.print()
        output = evaluation.graph.output_name(evaluation.output)
        console.print(f"second derivatives ∂²{output}/∂row∂column:")
        console.print(hessian_table(result.hessian, digits))
