"""`cgraph eval`: every node's value and gradient, as a table or JSON."""

from __future__ import annotations

from typing import Annotated, Any, NamedTuple

import typer

from ...errors import EXIT_WRONG
from ...views.pictures import PICTURE_DIGITS, Format, Which  # light: no graphviz, no SymPy
from ..inputs import given_explicitly, load
from ..options import (
    AtOpt,
    DigitsOpt,
    ExactOpt,
    ExampleOpt,
    FileOpt,
    JsonOpt,
    ProgramArgs,
    TableFormat,
    ValuesOpt,
    chosen_format,
)
from ..output import draw

NAME = "eval"
EXAMPLE = 'cgraph eval "(x+y)*z" --x 2 --y 3 --z -4'

OutputOpt = Annotated[
    str | None,
    typer.Option(
        "--output", metavar="NAME", help="Differentiate this named step instead of the last."
    ),
]
FormatOpt = Annotated[
    TableFormat, typer.Option("--format", case_sensitive=False, help="table or json.")
]
AllOpt = Annotated[bool, typer.Option("--all", help="Show every row of a big graph.")]
SvgOpt = Annotated[
    str | None,
    typer.Option(
        "--svg", metavar="PREFIX", help="Also draw PREFIX.forward.svg and PREFIX.backward.svg."
    ),
]
GradcheckOpt = Annotated[
    bool,
    typer.Option(
        "--gradcheck",
        help="Compare each gradient with a central finite difference; exit 1 "
        "if one differs by more than --tol.",
    ),
]
LocalOpt = Annotated[
    bool,
    typer.Option("--local", help="Add each node's local gradients, one per input edge."),
]
TolOpt = Annotated[
    float, typer.Option("--tol", min=0.0, help="Largest relative error --gradcheck accepts.")
]
OrderOpt = Annotated[
    int,
    typer.Option(
        "--order",
        min=1,
        max=2,
        help="2: also the second derivatives of the output over the inputs at the point "
        "(the Hessian; programs of up to 12 inputs).",
    ),
]


class Result(NamedTuple):
    evaluation: Any
    forms: Any  # exact forms of values and gradients, or None
    check: Any  # the finite-difference comparison, or None


def command(
    ctx: typer.Context,
    args: ProgramArgs = None,
    file: FileOpt = None,
    at: AtOpt = None,
    values: ValuesOpt = None,
    example: ExampleOpt = None,
    fmt: FormatOpt = TableFormat.table,
    json_output: JsonOpt = False,
    output: OutputOpt = None,
    digits: DigitsOpt = 15,
    show_all: AllOpt = False,
    exact: ExactOpt = True,
    svg: SvgOpt = None,
    gradcheck: GradcheckOpt = False,
    tol: TolOpt = 1e-6,
    local: LocalOpt = False,
    order: OrderOpt = 1,
) -> None:
    """Forward and backward pass: every node's value and gradient, as a table or JSON."""
    fmt = chosen_format(fmt, json=json_output)
    source, given = load(ctx, args, file, at, values, example)
    result = compute(source, given, output, exact, tol if gradcheck else None)
    hessian = second_derivatives(result.evaluation) if order == 2 else None
    show(result, fmt is TableFormat.json, digits, show_all, local, hessian)
    if svg is not None:
        picture_digits = digits if given_explicitly(ctx, "digits") else PICTURE_DIGITS
        graph = result.evaluation.graph
        draw(graph, result.evaluation, svg, Format.svg, Which.both, False, picture_digits,
             result.forms, quiet_stdout=True)  # fmt: skip
    if result.check is not None and not result.check.passed:
        raise typer.Exit(EXIT_WRONG)


def compute(
    source: str, given: dict[str, float], output: str | None, exact: bool, tol: float | None
) -> Result:
    """Both passes, then the exact forms and the finite-difference check when asked for."""
    from ...core.gradcheck import gradcheck as finite_differences
    from ...core.question import run
    from ...symbolic.exact import exact_forms
    from ..argv import option_names

    evaluation = run(source, given, output, option_names())
    check = finite_differences(evaluation, tol) if tol is not None else None
    forms = exact_forms(evaluation) if exact else None
    return Result(evaluation, forms, check)


def second_derivatives(evaluation: Any) -> Any:
    """`--order 2`: the Hessian of the evaluated output at the point (symbolic/higher.py)."""
    from ...symbolic.higher import hessian

    return hessian(evaluation.graph, evaluation.inputs, evaluation.output)


def show(
    result: Result,
    json_output: bool,
    digits: int,
    show_all: bool,
    local: bool = False,
    hessian: Any = None,
) -> None:
    evaluation, forms, check = result
    if json_output:
        from ...views.report import evaluation_json, gradcheck_document

        extra: dict[str, Any] = {}
        if check is not None:
            extra["gradcheck"] = gradcheck_document(check)
        if hessian is not None:
            from ...views.higher_view import hessian_document

            extra["hessian"] = hessian_document(hessian)
        typer.echo(evaluation_json(evaluation, forms, extra or None))
        return
    from ...views.tables import make_console, print_evaluation, print_gradcheck

    print_evaluation(
        make_console(), evaluation, digits=digits, exact=forms, show_all=show_all, local=local
    )
    if check is not None:
        print_gradcheck(make_console(), check, digits, bool(evaluation.notes))
    if hessian is not None:
        from ...views.higher_view import hessian_table

        console = make_console()
        console.print()
        output = evaluation.graph.output_name(evaluation.output)
        console.print(f"second derivatives ∂²{output}/∂row∂column:")
        console.print(hessian_table(hessian, digits))
