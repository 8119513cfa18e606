"""The program and its point as the command line gives them: argument or file, and values from
`--values`, `--at` and `--x 2`, merged by one rule."""

from __future__ import annotations

from typing import Any

import typer

from ..errors import InputError, UsageError
from .argv import split_arguments


def load(
    args: list[str] | None, file: str | None, at: str | None, values_file: str | None
) -> tuple[str, dict[str, float]]:
    """The program text and the values given for it, from every place a value can come from."""
    from ..core.question import read_program, values_from_at, values_from_file, values_from_pairs

    positional, pairs = split_arguments(args or [])
    if len(positional) > 1 or (positional and file is not None):
        extra = positional[1] if len(positional) > 1 else positional[0]
        raise UsageError(
            f"unexpected argument {extra!r}",
            'quote the whole program, as in cgraph eval "x + y" --x 1 --y 2; '
            "values take two dashes (--x 2)",
        )
    source = read_program(positional[0] if positional else None, file)
    given: dict[str, float] = {}
    if values_file is not None:
        given.update(values_from_file(values_file))  # the command line may override a file
    at_values = values_from_at(at) if at is not None else {}
    option_values = values_from_pairs(pairs, "the command line")
    clash = sorted(set(at_values) & set(option_values))
    if clash:
        raise InputError(
            f"{clash[0]} is given twice on the command line (in --at and as --{clash[0]})",
            "give each variable once",
        )
    return source, {**given, **at_values, **option_values}


def wrt_nodes(graph: Any, wrt: str | None) -> list[int]:
    """`--wrt x,q` as node indices (default: every input); constants are refused."""
    if wrt is None:
        if not graph.input_names:
            raise UsageError("the program has no inputs, so there is nothing to differentiate")
        return [graph.names[name] for name in graph.input_names]
    names = [name.strip() for name in wrt.split(",") if name.strip()]
    if not names:
        raise UsageError("--wrt is empty", "name inputs or steps, as in --wrt x,y")
    nodes: list[int] = []
    for name in names:
        index = graph.index_of(name)
        if graph.nodes[index].op == "const":
            raise UsageError(f"`{name}` is a constant; derivatives are taken by inputs or steps")
        if index not in nodes:
            nodes.append(index)
    return nodes


def point_evaluation(graph: Any, given: dict[str, float]) -> Any:
    """Both passes at the given values (program defaults included), or None when no value is
    given anywhere. Some values but not all is a point with gaps: an error, as in eval."""
    from ..core.autodiff import evaluate
    from ..core.question import resolve_inputs

    if not given and not graph.defaults and graph.input_names:
        return None
    return evaluate(graph, resolve_inputs(graph, given))


def given_explicitly(ctx: typer.Context, option: str) -> bool:
    """Whether the user typed this option (so `eval --svg` keeps slide-sized numbers otherwise)."""
    source = ctx.get_parameter_source(option)
    return source is not None and source.name != "DEFAULT"
