"""`cgraph render`: the forward and backward pictures of the graph (views/pictures.py)."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from ...views.pictures import PICTURE_DIGITS, Format, Which  # light: no graphviz, no SymPy
from ..inputs import load
from ..options import AtOpt, DigitsOpt, FileOpt, ProgramArgs, ValuesOpt
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
        help="Where to write: PREFIX.forward.svg and PREFIX.backward.svg (folders are made).",
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
ExactOpt = Annotated[
    bool,
    typer.Option(
        "--exact/--no-exact", help="Show exact forms (1/3, sqrt(2)/2) under the decimals."
    ),
]


def command(
    out: OutOpt,
    args: ProgramArgs = None,
    file: FileOpt = None,
    at: AtOpt = None,
    values: ValuesOpt = None,
    fmt: FormatOpt = Format.svg,
    which: WhichOpt = Which.both,
    force: ForceOpt = False,
    digits: DigitsOpt = PICTURE_DIGITS,
    exact: ExactOpt = True,
) -> None:
    """Draw the graph: forward values and backward gradients, as SVG (or PNG, PDF, DOT).

    Without values the pictures show the structure only.
    """
    source, given = load(args, file, at, values)
    graph, evaluation, forms = numbers_if_given(source, given, exact)
    draw(graph, evaluation, out, fmt, which, force, digits, forms)


def numbers_if_given(source: str, given: dict[str, float], exact: bool) -> tuple[Any, Any, Any]:
    """The graph, and its evaluation and exact forms when every input has a value."""
    from ...core.autodiff import evaluate
    from ...core.graph import compile_program
    from ...core.question import resolve_inputs

    graph = compile_program(source)
    if not given and not all(name in graph.defaults for name in graph.input_names):
        typer.echo(
            "no values given: drawing the structure only (give values as --x 2 to see numbers)",
            err=True,
        )
        return graph, None, None
    evaluation = evaluate(graph, resolve_inputs(graph, given))
    if not exact:
        return graph, evaluation, None
    from ...symbolic.derivatives import exact_forms

    return graph, evaluation, exact_forms(evaluation)
