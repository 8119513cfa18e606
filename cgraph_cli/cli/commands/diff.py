"""`cgraph diff`: symbolic derivatives of the output (symbolic/)."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

import typer

from ..inputs import load, point_evaluation, wrt_nodes
from ..options import (
    AtOpt,
    DigitsOpt,
    ExampleOpt,
    FileOpt,
    JsonOpt,
    ProgramArgs,
    ValuesOpt,
    chosen_format,
)
from ..output import print_json, print_notes
from ..terminal import working

NAME = "diff"
EXAMPLE = 'cgraph diff "(w*x+b-t)^2" --wrt w'


class Format(StrEnum):
    text = "text"
    latex = "latex"
    json = "json"


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


def command(
    ctx: typer.Context,
    args: ProgramArgs = None,
    file: FileOpt = None,
    wrt: WrtOpt = None,
    at: AtOpt = None,
    values: ValuesOpt = None,
    example: ExampleOpt = None,
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
    from ...core.graph import compile_program
    from ...symbolic.derivatives import derivatives
    from ...symbolic.exact import exact_forms
    from ...symbolic.printing import derivatives_latex, derivatives_text

    with_latex = latex_output or fmt is Format.latex  # JSON carries LaTeX fields when asked
    fmt = (
        chosen_format(fmt, json=json_output)
        if json_output
        else chosen_format(fmt, latex=latex_output)
    )
    source, given = load(ctx, args, file, at, values, example)
    graph = compile_program(source)
    evaluation = point_evaluation(graph, given)
    if evaluation is None:  # with a point, the notes come with the evaluation's
        print_notes(graph.notes)
    if order > 1:
        show_higher(graph, wrt, order, evaluation, fmt, digits)
        return
    with working("differentiating..."):
        result = derivatives(graph, wrt_nodes(graph, wrt), in_steps=steps)
    exact = exact_forms(evaluation)[1] if evaluation is not None else None
    if fmt is Format.json:
        from ...views.report import derivatives_document

        print_json(derivatives_document(result, graph, graph.output, evaluation, exact, with_latex))
    elif fmt is Format.latex:
        typer.echo(derivatives_latex(result, graph.output_name(), evaluation, digits))
    else:
        typer.echo(derivatives_text(result, graph.output_name(), evaluation, exact, digits))


def show_higher(
    graph: Any,
    wrt: str | None,
    order: int,
    evaluation: Any,
    fmt: Format,
    digits: int,
) -> None:
    """`diff --order N`: the Nth derivative by each input, with its number at the point."""
    from ...symbolic import higher
    from ...views.higher_view import Higher, higher_document, higher_latex, higher_text

    names = [n.strip() for n in wrt.split(",")] if wrt else list(graph.input_names)
    point = dict(evaluation.inputs) if evaluation is not None else None
    output = graph.output_name()
    items = []
    for name in names:
        indices = higher.sequence(graph, name, order)
        expr = higher.higher_derivative(graph, indices)
        value = higher.value_at(expr, point) if point is not None else None
        items.append(Higher(higher.name(output, graph, indices), name, order, expr, value))
    if fmt is Format.json:
        print_json(higher_document(items, graph.source, output, point))
    elif fmt is Format.latex:
        typer.echo(higher_latex(items, output, digits, point is not None))
    else:
        typer.echo(higher_text(items, digits, point is not None))
