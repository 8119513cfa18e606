"""The program and its point as the command line gives them, by one convention for every command.

The program comes from the argument, `-f FILE` (`-` is stdin), `--example NAME`, or piped stdin
when none of those is given. Values come from the program's `x = 2` lines, then `--values`, then
`--at`, then `--x 2`: each later source overrides the earlier ones.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable
from typing import TYPE_CHECKING

import typer

from ..errors import UsageError, did_you_mean
from . import examples
from .argv import command_options, no_such_option, option_names, split_arguments
from .options import ProgramOpts

if TYPE_CHECKING:
    from ..core.question import Question

_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def ask(
    ctx: typer.Context,
    program: ProgramOpts,
    *,
    output: str | None = None,
    needs_point: bool = False,
) -> Question:
    """The question the command line asks (core/question.py poses it by the same rules as the
    Python API's), with the command line's option names for its hints."""
    from ..core.question import pose

    source, given = load(ctx, program)
    return pose(source, given, output=output, needs_point=needs_point, options=option_names())


def load(ctx: typer.Context, program: ProgramOpts) -> tuple[str, dict[str, float]]:
    """The program text and the values given for it, from every place a value can come from."""
    file, example = program.file, program.example
    own, every = command_options(ctx)
    positional, pairs = split_arguments(program.args or [], own)
    if len(positional) > 1 or (positional and (file is not None or example is not None)):
        extra = positional[1] if len(positional) > 1 else positional[0]
        raise UsageError(
            f"unexpected argument {extra!r}",
            'quote the whole program, as in cgraph eval "x + y" --x 1 --y 2; '
            "values take two dashes (--x 2)",
        )
    source = program_text(positional[0] if positional else None, file, example)
    refuse_options_of_others(ctx.info_name or "", [name for name, _ in pairs], source, own, every)
    return source, merged_values(program.values, program.at, pairs)


def program_text(program: str | None, file: str | None, example: str | None) -> str:
    """The program from the argument, -f FILE, --example NAME, or piped stdin."""
    from ..core.reading import read_program

    if example is not None:
        if file is not None:
            raise UsageError("give the program either with -f or with --example, not both")
        return examples.read(example)
    if program is None and file is None and not stdin_is_terminal():
        text = read_program(None, "-")
        if text.strip():
            return text
    if program is None and file is None:
        raise UsageError(
            "no program given",
            'pass one in quotes, as in cgraph eval "(x+y)*z" --x 2 --y 3 --z -4, '
            "read a file with -f FILE, pipe it in, or run a sample with --example NAME",
        )
    return read_program(program, file)


def stdin_is_terminal() -> bool:
    stdin = sys.stdin
    return stdin is None or stdin.closed or stdin.isatty()


def merged_values(
    values_file: str | None, at: str | None, pairs: list[tuple[str, str]]
) -> dict[str, float]:
    """--values, then --at, then --x 2: later sources override earlier ones (README: Values)."""
    from ..core.reading import values_from_at, values_from_file, values_from_pairs

    given: dict[str, float] = {}
    if values_file is not None:
        given.update(values_from_file(values_file))
    if at is not None:
        given.update(values_from_at(at))
    given.update(values_from_pairs(pairs, "the command line"))
    return given


def refuse_options_of_others(
    command: str, names: Iterable[str], source: str, own: set[str], every: set[str]
) -> None:
    """`--tol 1` on diff, `--jsn 1`: an option name the program does not use is a mistyped or
    misplaced option, not a variable. Names the program uses are left to the core."""
    words: set[str] | None = None
    for name in names:
        words = words if words is not None else set(_WORD.findall(source))
        if name in words or did_you_mean(name, words):
            continue
        if name in every:
            raise UsageError(
                f"--{name} is not an option of `cgraph {command}`",
                f"`cgraph {command} --help` lists its options",
            )
        if did_you_mean(name, own):
            raise no_such_option(name, own)


def given_explicitly(ctx: typer.Context, option: str) -> bool:
    """Whether the user typed this option (so `eval --svg` keeps slide-sized numbers otherwise)."""
    source = ctx.get_parameter_source(option)
    return source is not None and source.name != "DEFAULT"
