"""`cgraph diff`: symbolic derivatives of the output (symbolic/)."""

from __future__ import annotations

from typing import Annotated

import typer

from ..inputs import load, point_evaluation, wrt_nodes
from ..options import AtOpt, DigitsOpt, FileOpt, JsonOpt, ProgramArgs, ValuesOpt
from ..output import print_json

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
LatexOpt = Annotated[bool, typer.Option("--latex", help="Print LaTeX.")]
StepsOpt = Annotated[
    bool | None,
    typer.Option(
        "--steps/--inputs",
        help="Write the derivatives in terms of the program's named steps, "
        "or everything in the inputs (default: the inputs unless that would run to pages).",
    ),
]


def command(
    args: ProgramArgs = None,
    file: FileOpt = None,
    wrt: WrtOpt = None,
    at: AtOpt = None,
    values: ValuesOpt = None,
    latex_output: LatexOpt = False,
    json_output: JsonOpt = False,
    steps: StepsOpt = None,
    digits: DigitsOpt = 15,
) -> None:
    """Symbolic derivatives of the output, simplified: drawn in the terminal, LaTeX or JSON.

    With values (--x 2 ..., or defaults in the program) each derivative's number at the point
    is shown too. Programs too big for symbolic work are refused: cgraph eval gives numbers.
    """
    from ...core.graph import compile_program
    from ...symbolic.derivatives import derivatives, exact_forms
    from ...symbolic.printing import derivatives_latex, derivatives_text

    source, given = load(args, file, at, values)
    graph = compile_program(source)
    evaluation = point_evaluation(graph, given)
    result = derivatives(graph, wrt_nodes(graph, wrt), in_steps=steps)
    exact = exact_forms(evaluation)[1] if evaluation is not None else None
    output = graph.output_name()
    if json_output:
        from ...views.report import derivatives_document

        print_json(
            derivatives_document(result, graph, graph.output, evaluation, exact, latex_output)
        )
    elif latex_output:
        typer.echo(derivatives_latex(result, output, evaluation, digits))
    else:
        typer.echo(derivatives_text(result, output, evaluation, exact, digits))
