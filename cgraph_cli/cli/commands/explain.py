"""`cgraph explain`: the chain rule step by step (views/explain.py)."""

from __future__ import annotations

from typing import Annotated

import typer

from ...views.explain import Format  # light: SymPy is imported lazily
from ..inputs import load, point_evaluation
from ..options import AtOpt, DigitsOpt, FileOpt, ProgramArgs, ValuesOpt

NAME = "explain"
EXAMPLE = 'cgraph explain "(x+y)*z" --x 2 --y 3 --z -4'

FormatOpt = Annotated[
    Format, typer.Option("--format", case_sensitive=False, help="text, markdown or latex.")
]


def command(
    args: ProgramArgs = None,
    file: FileOpt = None,
    at: AtOpt = None,
    values: ValuesOpt = None,
    fmt: FormatOpt = Format.text,
    digits: DigitsOpt = 15,
) -> None:
    """The backward pass as a textbook walks it: forward values, then the chain rule from the
    output back to the inputs, one line per gradient, local gradients in symbols beside the
    numbers.

    Without values (and no defaults in the program) the walk is symbolic: every gradient in
    terms of the program's names.
    """
    from ...core.graph import compile_program
    from ...views.explain import render, walk

    source, given = load(args, file, at, values)
    graph = compile_program(source)
    typer.echo(render(walk(graph, point_evaluation(graph, given)), fmt, digits))
