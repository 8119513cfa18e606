"""The command line's own words: `--x 2` value pairs, `--x -inf`, and unknown `--flags`.

Typer parses the declared options; what it leaves over (`--x 2 --y=3`) is read here. Option
names come from the Click commands themselves (`command_options`), never from a hand-kept list.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import Any

import typer

from ..core.lexer import NAME
from ..errors import UsageError, did_you_mean


def join_values(args: list[str], declared: set[str]) -> list[str]:
    """`--x -inf` -> `--x=-inf` for every `--name` that is not an option of ours."""
    joined: list[str] = []
    i = 0
    while i < len(args):
        word = args[i]
        following = args[i + 1] if i + 1 < len(args) else ""
        if (
            word.startswith("--")
            and "=" not in word
            and word not in declared
            and following.startswith("-")
            and not following.startswith("--")
        ):
            joined.append(f"{word}={following}")
            i += 2
            continue
        joined.append(word)
        i += 1
    return joined


def options_of(command: Any) -> set[str]:
    """Every long option name a Click command declares, without the dashes (`json`, `no-exact`)."""
    return {
        opt[2:]
        for param in command.params
        for opt in [*getattr(param, "opts", ()), *getattr(param, "secondary_opts", ())]
        if opt.startswith("--")
    }


@functools.cache
def option_names() -> frozenset[str]:
    """The long option names of every cgraph command, taken from the Typer app itself (never a
    hand-kept copy): the core is given them so a mistyped option (`--jsn 1`) whose name the
    program uses is still answered as one. Outside a running command, unlike command_options."""
    from .app import app

    group = typer.main.get_command(app)
    names = options_of(group)
    for command in getattr(group, "commands", {}).values():
        names |= options_of(command)
    return frozenset(names)


def command_options(ctx: typer.Context) -> tuple[set[str], set[str]]:
    """The running command's options, and the options of every cgraph command."""
    own = options_of(ctx.command)
    every = set(own)
    group = ctx.parent.command if ctx.parent is not None else None
    for command in getattr(group, "commands", {}).values():
        every |= options_of(command)
    return own, every


def no_such_option(name: str, own: Iterable[str], hint: str | None = None) -> UsageError:
    """`no such option: --jsn` with the near option of this command, or the given hint."""
    near = did_you_mean(name, own)
    return UsageError(f"no such option: --{name}", near.replace("`", "`--", 1) if near else hint)


def split_arguments(
    args: Iterable[str], own: Iterable[str] = ()
) -> tuple[list[str], list[tuple[str, str]]]:
    """Separate positional words from `--name value` / `--name=value` pairs, keeping order.

    A `--name` with no value after it (last, or followed by another `--option`) is a flag, and
    no flag is left over once Typer has taken ours: "no such option", not "needs a value".
    """
    positional: list[str] = []
    pairs: list[tuple[str, str]] = []
    words = list(args)
    i = 0
    while i < len(words):
        word = words[i]
        if word.startswith("--") and len(word) > 2:
            name, sep, value = word[2:].partition("=")
            if not NAME.match(name):
                raise no_such_option(
                    name, own, "variables are given as --x 2, with a name of letters, digits and _"
                )
            if not sep:
                if i + 1 >= len(words) or words[i + 1].startswith("--"):
                    raise no_such_option(
                        name, own, f"a variable's value goes after its name, as in --{name} 2"
                    )
                value = words[i + 1]
                i += 1
            pairs.append((name, value))
        else:
            positional.append(word)
        i += 1
    return positional, pairs
