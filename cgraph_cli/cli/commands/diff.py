"""`cgraph diff`: symbolic derivatives of the output (symbolic/, views/diff_view.py)."""

from __future__ import annotations

from typing import Annotated

import typer

from ...views.diff_view import Format  # light: SymPy is imported when it is needed
from ..inputs import ask
from ..options import DigitsOpt, JsonOpt, ProgramOpts, chosen_format, program_options
from ..output import print_notes
from ..terminal import working

NAME = "diff"
EXAMPLE = 'cgraph diff "(w*x+b-t)^2" --wrt w'

WrtOpt = Annotated[
    str | None,
    typer.Option(
        "--wrt",
        metavar="NAMES",
        help="Inputs or steps to differentiate by, comma-separated "
        "(default: every input). A step q gives df/dq with q as a variable.",
    ),
]
FormatOpt = Annotated[
    Format, typer.Option("--format", case_sensitive=False, help="text, latex or json.")
]
LatexOpt = Annotated[
    bool,
    typer.Option("--latex", help="The same as --format latex; with json, adds LaTeX fields."),
]
StepsOpt = Annotated[
    bool | None,
    typer.Option(
        "--steps/--inputs",
        help="Write the derivatives in terms of the program's named steps, "
        "or everything in the inputs (default: the inputs unless that would run to pages).",
    ),
]
OrderOpt = Annotated[
    int,
    typer.Option(
        "--order",
        min=1,
        help="The Nth derivative by each --wrt input (2: ∂²f/∂x²); inputs only.",
    ),
]


@program_options
def command(
    ctx: typer.Context,
    program: ProgramOpts,
    wrt: WrtOpt = None,
    fmt: FormatOpt = Format.text,
    latex_output: LatexOpt = False,
    json_output: JsonOpt = False,
    steps: StepsOpt = None,
    digits: DigitsOpt = 15,
    order: OrderOpt = 1,
) -> None:
    """Symbolic derivatives of the output, simplified: drawn in the terminal, LaTeX or JSON.

    With values (--x 2 ..., or defaults in the program) each derivative's number at the point
    is shown too. Programs too big for symbolic work are refused: cgraph eval gives numbers.
    """
    from ...core.question import wrt_nodes
    from ...symbolic.derivatives import derivatives
    from ...symbolic.exact import exact_forms
    from ...views.diff_view import derivatives_view, higher_view

    with_latex = latex_output or fmt is Format.latex  # JSON carries LaTeX fields when asked
    fmt = chosen_format(fmt, json=json_output, latex=latex_output and not json_output)
    question = ask(ctx, program)
    if question.evaluation is None:  # with a point, the notes come with the evaluation's
        print_notes(question.graph.notes)
    nodes = wrt_nodes(question.graph, wrt)
    if order > 1:
        typer.echo(higher_view(question, nodes, order, fmt, digits))
        return
    with working("differentiating..."):
        result = derivatives(question.graph, nodes, in_steps=steps)
    evaluation = question.evaluation
    exact = exact_forms(evaluation)[1] if evaluation is not None else None
    typer.echo(derivatives_view(result, question, fmt, digits, exact, with_latex))
