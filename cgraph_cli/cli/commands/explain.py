"""`cgraph explain`: the chain rule step by step (views/explain.py)."""

from __future__ import annotations

from typing import Annotated

import typer

from ...errors import UsageError
from ...views.explain import EXPLAIN_DIGITS, Format  # light: SymPy is imported lazily
from ..inputs import load, point_evaluation
from ..options import AtOpt, DigitsOpt, ExactOpt, ExampleOpt, FileOpt, ProgramArgs, ValuesOpt

NAME = "explain"
EXAMPLE = 'cgraph explain "(x+y)*z" --x 2 --y 3 --z -4'

StandaloneOpt = Annotated[
    bool,
    typer.Option("--standalone", help="With --format latex: a whole document for pdflatex."),
]
FormatOpt = Annotated[
    Format, typer.Option("--format", case_sensitive=False, help="text, markdown or latex.")
]


def command(
    ctx: typer.Context,
    args: ProgramArgs = None,
    file: FileOpt = None,
    at: AtOpt = None,
    values: ValuesOpt = None,
    example: ExampleOpt = None,
    fmt: FormatOpt = Format.text,
    digits: DigitsOpt = EXPLAIN_DIGITS,
    exact: ExactOpt = True,
    standalone: StandaloneOpt = False,
) -> None:
    """The backward pass as a textbook walks it: forward values, then the chain rule from the
    output back to the inputs, one line per gradient, local gradients in symbols beside the
    numbers.

    Without values (and no defaults in the program) the walk is symbolic: every gradient in
    terms of the program's names.
    """
    from ...core.graph import compile_program
    from ...views.explain import render, walk

    if standalone and fmt is not Format.latex:
        raise UsageError("--standalone goes with --format latex", "add --format latex")
    source, given = load(ctx, args, file, at, values, example)
    graph = compile_program(source)
    evaluation = point_evaluation(graph, given)
    forms = None
    if exact and evaluation is not None:
        from ...symbolic.exact import exact_forms

        forms = exact_forms(evaluation)
    result = walk(graph, evaluation)
    typer.echo(render(result, fmt, digits, exact=forms, standalone=standalone))
