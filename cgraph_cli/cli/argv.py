"""The command line's own words: `--x 2` value pairs, `--x -inf`, and option-name checks.

Typer parses the declared options; what it leaves over (`--x 2 --y=3`) is read here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..core.question import KNOWN_OPTIONS
from ..errors import InputError, did_you_mean

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


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


def split_arguments(args: Iterable[str]) -> tuple[list[str], list[tuple[str, str]]]:
    """Separate positional words from `--name value` / `--name=value` pairs, keeping order."""
    positional: list[str] = []
    pairs: list[tuple[str, str]] = []
    words = list(args)
    i = 0
    while i < len(words):
        word = words[i]
        if word.startswith("--") and len(word) > 2:
            name, sep, value = word[2:].partition("=")
            if not sep:
                if i + 1 < len(words) and words[i + 1].startswith("--"):
                    raise InputError(
                        f"--{name} needs a value, but {words[i + 1]} follows it",
                        f"for example --{name} 2",
                    )
                if i + 1 >= len(words):
                    near = did_you_mean(name, KNOWN_OPTIONS)
                    if near:
                        raise InputError(f"no such option: --{name}", near.replace("`", "`--", 1))
                    raise InputError(f"--{name} needs a value", f"for example --{name} 2")
                value = words[i + 1]
                i += 1
            _check_option_name(name)
            pairs.append((name, value))
        else:
            positional.append(word)
        i += 1
    return positional, pairs


def _check_option_name(name: str) -> None:
    if _NAME.match(name):
        return
    near = did_you_mean(name, KNOWN_OPTIONS)
    raise InputError(
        f"--{name} is not an option or a variable name",
        near.replace("`", "`--", 1)
        if near
        else "variables are given as --x 2, with a name of letters, digits and _",
    )
