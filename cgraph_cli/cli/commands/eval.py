"""`cgraph eval`: every node's value and gradient, as a table or JSON."""

from __future__ import annotations

from typing import Annotated

import typer

from ...errors import EXIT_WRONG
from ...views.pictures import PICTURE_DIGITS, Format, Which  # light: no graphviz, no SymPy
from ..inputs import ask, given_explicitly
from ..options import (
    DigitsOpt,
    ExactOpt,
    JsonOpt,
    ProgramOpts,
    TableFormat,
    TableFormatOpt,
    chosen_format,
    program_options,
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


@program_options
def command(
    ctx: typer.Context,
    program: ProgramOpts,
    fmt: TableFormatOpt = TableFormat.table,
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
    from ...core.gradcheck import gradcheck as finite_differences
    from ...symbolic.exact import exact_forms
    from ...symbolic.higher import hessian
    from ...views.eval_view import Evaluated, eval_json, print_eval
    from ...views.tables import make_console

    fmt = chosen_format(fmt, json=json_output)
    evaluation = ask(ctx, program, output=output, needs_point=True).evaluation
    result = Evaluated(
        evaluation,
        exact_forms(evaluation) if exact else None,
        finite_differences(evaluation, tol) if gradcheck else None,
        hessian(evaluation.graph, evaluation.inputs, evaluation.output) if order == 2 else None,
    )
    if fmt is TableFormat.json:
        typer.echo(eval_json(result))
    else:
        print_eval(make_console(), result, digits, show_all, local)
    if svg is not None:
        picture_digits = digits if given_explicitly(ctx, "digits") else PICTURE_DIGITS
        draw(evaluation.graph, evaluation, svg, Format.svg, Which.both, False, picture_digits,
             result.forms, quiet_stdout=True)  # fmt: skip
    if result.check is not None and not result.check.passed:
        raise typer.Exit(EXIT_WRONG)
