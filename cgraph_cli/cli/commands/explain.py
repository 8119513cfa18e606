"""`cgraph explain`: the chain rule step by step (views/explain.py)."""

from __future__ import annotations

from typing import Annotated

import typer

from ...errors import UsageError
from ...views.explain import EXPLAIN_DIGITS, Format  # light: SymPy is imported lazily
from ..inputs import ask
from ..options import DigitsOpt, ExactOpt, ProgramOpts, program_options

NAME = "explain"
EXAMPLE = 'cgraph explain "(x+y)*z" --x 2 --y 3 --z -4'

StandaloneOpt = Annotated[
    bool,
    typer.Option("--standalone", help="With --format latex: a whole document for pdflatex."),
]
FormatOpt = Annotated[
    Format, typer.Option("--format", case_sensitive=False, help="text, markdown or latex.")
]


@program_options
def command(
    ctx: typer.Context,
    program: ProgramOpts,
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
    from ...views.explain import explanation

    if standalone and fmt is not Format.latex:
        raise UsageError("--standalone goes with --format latex", "add --format latex")
    question = ask(ctx, program)
    typer.echo(explanation(question, fmt, digits, exact=exact, standalone=standalone))
