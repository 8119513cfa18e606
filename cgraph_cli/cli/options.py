"""The options every command shares, written once: the program, where values come from, output.

A command's own options live in its module under `commands/`.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from ..errors import UsageError

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
    typer.Option(
        "-f",
        "--file",
        metavar="FILE",
        help="Read the program from FILE ('-': stdin; piped stdin is read without -f too).",
    ),
]
ExampleOpt = Annotated[
    str | None,
    typer.Option(
        "--example", metavar="NAME", help="Run a sample shipped with cgraph (cgraph examples)."
    ),
]
AtOpt = Annotated[
    str | None, typer.Option("--at", metavar='"x=2,y=3"', help="Values as one string.")
]
ValuesOpt = Annotated[
    str | None,
    typer.Option("--values", metavar="FILE.json", help='Values from a JSON object {"x": 2}.'),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="The same as --format json.")]
DigitsOpt = Annotated[
    int, typer.Option("--digits", min=1, max=17, help="Significant digits shown (float64 has ~15).")
]
ExactOpt = Annotated[
    bool,
    typer.Option(
        "--exact/--no-exact", help="Show exact forms (1/3, sqrt(2)/2) beside the decimals."
    ),
]


class TableFormat(StrEnum):
    """What `eval` and `check` print."""

    table = "table"
    json = "json"


def chosen_format(fmt: StrEnum, **synonyms: bool) -> StrEnum:
    """`--json` (or `--latex`) is a synonym of `--format json`; a clash is an error."""
    wanted = [name for name, on in synonyms.items() if on]
    if not wanted:
        return fmt
    chosen = type(fmt)(wanted[0])
    default = next(iter(type(fmt)))
    if len(wanted) > 1 or (fmt is not default and fmt is not chosen):
        raise UsageError(
            f"--format {fmt.value} and --{wanted[-1]} ask for two formats",
            f"choose one, as in --format {chosen.value}",
        )
    return chosen
