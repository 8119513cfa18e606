"""The options every command shares, written once: the program, where values come from, output.

A command's own options live in its module under `commands/`.
"""

from __future__ import annotations

from typing import Annotated

import typer

ProgramArgs = Annotated[
    list[str] | None,
    typer.Argument(
        metavar="PROGRAM [--NAME VALUE]...",
        show_default=False,
        help='The program, e.g. "(x+y)*z" or "q = x + y; f = q * z", then values '
        "as --x 2 --y 3 (also --x=2).",
    ),
]
FileOpt = Annotated[
    str | None,
    typer.Option("-f", "--file", metavar="FILE", help="Read the program from FILE ('-': stdin)."),
]
AtOpt = Annotated[
    str | None, typer.Option("--at", metavar='"x=2,y=3"', help="Values as one string.")
]
ValuesOpt = Annotated[
    str | None,
    typer.Option("--values", metavar="FILE.json", help='Values from a JSON object {"x": 2}.'),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")]
DigitsOpt = Annotated[
    int, typer.Option("--digits", min=1, max=17, help="Significant digits shown (float64 has ~15).")
]
ExactOpt = Annotated[
    bool,
    typer.Option(
        "--exact/--no-exact", help="Show exact forms (1/3, sqrt(2)/2) beside the decimals."
    ),
]
