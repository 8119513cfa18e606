"""`cgraph render`: the forward and backward pictures of the graph (views/pictures.py)."""

from __future__ import annotations

from typing import Annotated

import typer

from ...views.pictures import PICTURE_DIGITS, Fit, Format, Which  # light: no graphviz, no SymPy
from ..inputs import ask
from ..options import DigitsOpt, ExactOpt, ProgramOpts, program_options
from ..output import draw

NAME = "render"
EXAMPLE = 'cgraph render "(x+y)*z" --x 2 --y 3 --z -4 -o out/graph'

OutOpt = Annotated[
    str,
    typer.Option(
        "-o",
        "--out",
        metavar="PREFIX",
        show_default=False,
        help="Where to write: PREFIX.forward.svg and PREFIX.backward.svg (folders are made); "
        "'-' writes the one picture --which names to stdout.",
    ),
]
FormatOpt = Annotated[
    Format,
    typer.Option(
        "--format", case_sensitive=False, help="svg, png or pdf; dot writes the DOT source."
    ),
]
WhichOpt = Annotated[
    Which,
    typer.Option(
        "--which", case_sensitive=False, help="Draw the forward picture, the backward, or both."
    ),
]
ForceOpt = Annotated[
    bool,
    typer.Option(
        "--force", help="Draw a graph of more than 300 nodes (Graphviz may take minutes)."
    ),
]
DecimalsOpt = Annotated[
    int | None,
    typer.Option("--decimals", min=0, max=15, help="Fixed decimals (0.20) instead of --digits."),
]
FitOpt = Annotated[
    Fit,
    typer.Option(
        "--fit",
        case_sensitive=False,
        help="slide: scaled down to fit a 16:9 slide (13.33 x 7.5 in); none: natural size.",
    ),
]
CollapseOpt = Annotated[
    str | None,
    typer.Option(
        "--collapse",
        metavar="STEP,STEP",
        help="Draw these named steps as one gate each (h1,h2), hiding their inside.",
    ),
]
StepsOpt = Annotated[
    bool,
    typer.Option(
        "--steps",
        help="Write lecture frames PREFIX.step-01.svg, ...: forward one gate at a time, "
        "then backward one edge at a time, numbers not yet computed shown as ?.",
    ),
]


@program_options
def command(
    ctx: typer.Context,
    out: OutOpt,
    program: ProgramOpts,
    fmt: FormatOpt = Format.svg,
    which: WhichOpt = Which.both,
    force: ForceOpt = False,
    digits: DigitsOpt = PICTURE_DIGITS,
    decimals: DecimalsOpt = None,
    exact: ExactOpt = True,
    fit: FitOpt = Fit.slide,
    collapse: CollapseOpt = None,
    steps: StepsOpt = False,
) -> None:
    """Draw the graph: forward values and backward gradients, as SVG (or PNG, PDF, DOT).

    Without values the pictures show the structure only: a blank worksheet with the local
    gradient of every edge written symbolically (×z, ×1, ×2d).
    """
    from ...symbolic.exact import exact_forms

    question = ask(ctx, program)
    evaluation = question.evaluation
    if evaluation is None:
        typer.echo(
            "no values given: drawing the structure only (give values as --x 2 to see numbers)",
            err=True,
        )
    forms = exact_forms(evaluation) if exact and evaluation is not None else None
    steps_named = tuple(name.strip() for name in (collapse or "").split(",") if name.strip())
    draw(question.graph, evaluation, out, fmt, which, force, digits, forms,
         decimals=decimals, fit=fit, collapse=steps_named, steps=steps)  # fmt: skip
