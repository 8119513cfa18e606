"""The options commands share, written once: the program and where its values come from (one
block, added to a command by `program_options`), the output format, digits, exact forms.

A command's own options live in its module under `commands/`.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from dataclasses import dataclass, fields
from enum import StrEnum
from typing import Annotated, Any, get_type_hints

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


TableFormatOpt = Annotated[
    TableFormat, typer.Option("--format", case_sensitive=False, help="table or json.")
]


@dataclass(frozen=True)
class ProgramOpts:
    """Where the program and its values come from, as typed: PROGRAM [--x 2 ...], -f FILE,
    --at, --values, --example (cli/inputs.py reads them by one convention)."""

    args: ProgramArgs = None
    file: FileOpt = None
    at: AtOpt = None
    values: ValuesOpt = None
    example: ExampleOpt = None


def program_options(command: Callable[..., None]) -> Callable[..., None]:
    """Give a command the program options, declared once here: its `program: ProgramOpts`
    parameter stands, in Typer's eyes, for the five options of `ProgramOpts`, in that place."""
    keyword = inspect.Parameter.KEYWORD_ONLY
    hints = get_type_hints(ProgramOpts, include_extras=True)
    block = [
        inspect.Parameter(f.name, keyword, default=f.default, annotation=hints[f.name])
        for f in fields(ProgramOpts)
    ]
    signature = inspect.signature(command, eval_str=True)
    parameters: list[inspect.Parameter] = []
    for parameter in signature.parameters.values():
        parameters += block if parameter.name == "program" else [parameter.replace(kind=keyword)]

    @functools.wraps(command)
    def run(**given: Any) -> None:
        program = ProgramOpts(**{f.name: given.pop(f.name) for f in fields(ProgramOpts)})
        command(program=program, **given)

    run.__signature__ = signature.replace(parameters=parameters)  # type: ignore[attr-defined]
    run.__annotations__ = {parameter.name: parameter.annotation for parameter in parameters}
    return run


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
