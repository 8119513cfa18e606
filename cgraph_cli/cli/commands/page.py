"""`cgraph page`: the step-through page, one self-contained HTML file (views/page.py)."""

from __future__ import annotations

from typing import Annotated

import typer

from ..inputs import ask
from ..options import DigitsOpt, ProgramOpts, program_options

NAME = "page"
EXAMPLE = 'cgraph page "(x+y)*z" --x 2 --y 3 --z -4 -o graph.html'

OutOpt = Annotated[
    str,
    typer.Option("-o", "--out", metavar="FILE.html", show_default=False, help="Where to write."),
]
QuizOpt = Annotated[
    bool,
    typer.Option(
        "--quiz", help="Numbers are blanks to fill in, checked in the page, with a score."
    ),
]


@program_options
def command(
    ctx: typer.Context,
    out: OutOpt,
    program: ProgramOpts,
    quiz: QuizOpt = False,
    digits: DigitsOpt = 4,
) -> None:
    """One HTML page that steps through the graph: forward one node at a time, backward one
    edge at a time, with the chain-rule line, the tape and the sum over paths beside the
    picture. It needs no network and no server: open it in a browser.
    """
    from ...views.page import write_page

    evaluation = ask(ctx, program, needs_point=True).evaluation
    written = write_page(evaluation, out, digits=digits, quiz=quiz)
    blanks = f", {written.blanks} blanks to fill in" if quiz else ""
    typer.echo(f"wrote {out}: {written.forward} steps forward, {written.backward} backward{blanks}")
