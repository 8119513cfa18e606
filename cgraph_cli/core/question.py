"""The question every command and the API asks: a program, values, an output, a point.

Values are constant expressions read by our own parser (`2`, `-4`, `1/3`, `pi/4`), so they are
never evaluated as code either. The program's own `x = 2` lines are defaults; a `--values` file
overrides them; `--at "x=2,y=3"` and `--x 2` override both (one name in both is an error).

The point rule, one for every command (`point`): a value given anywhere -- on the command line,
in a values file, or as the program's own default (`x = 2`) -- asks for a point, and then every
input needs a value: `x = 2; f = x*y` without a value for y is "missing value for y" in every
command. No value anywhere is no point: `eval` and `page` need one (the same missing-value
error), `diff` and `explain` answer in symbols, `render` draws the structure, `check` proves
the answer symbolically. A program without inputs always has its (empty) point.
"""

from __future__ import annotations

import json
import math
import re
import sys
from collections.abc import Collection, Iterable, Mapping
from pathlib import Path

from ..errors import CgraphError, InputError, ParseError, UsageError, did_you_mean
from .autodiff import Evaluation, evaluate
from .graph import INPUT, Graph, compile_program
from .lexer import NAME


def read_program(program: str | None, file: str | None) -> str:
    """The program text from the argument, or from `-f FILE` (`-f -` reads stdin)."""
    if program is not None and file is not None:
        raise UsageError("give the program either as an argument or with -f, not both")
    if file is None:
        if program is None:
            raise UsageError(
                "no program given",
                'pass one in quotes, as in cgraph eval "(x+y)*z" --x 2 --y 3 --z -4, '
                "or read a file with -f FILE",
            )
        return program
    if file == "-":
        return _decode(
            sys.stdin.buffer.read() if hasattr(sys.stdin, "buffer") else sys.stdin.read(),
            "standard input",
        )
    path = Path(file)
    if path.is_dir():
        raise UsageError(f"{file} is a folder, not a program file")
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise UsageError(f"no such file: {file}") from None
    except OSError as error:
        raise UsageError(f"cannot read {file}: {error.strerror or error}") from None
    return _decode(data, file)


def _decode(data: bytes | str, where: str) -> str:
    if isinstance(data, str):
        return data
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise UsageError(
            f"{where} is not UTF-8 text (bad byte at position {error.start})",
            "save the program as plain UTF-8 text",
        ) from None


def parse_number(text: str, name: str) -> float:
    """A value as typed: a number or a constant expression (`-4`, `1/3`, `pi/4`, `2e-3`)."""
    stripped = text.strip()
    if not stripped:
        raise InputError(f"the value for {name} is empty", f"give a number, as in {name}=2")
    try:
        value = float(stripped)
    except ValueError:
        value = _constant_expression(stripped, name)
    if not math.isfinite(value):
        raise InputError(f"the value for {name} must be a finite number, not {stripped!r}")
    return value


def _constant_expression(text: str, name: str) -> float:
    from .autodiff import forward

    try:
        graph = compile_program(text)
    except ParseError:
        raise InputError(
            f"the value for {name} is not a number: {text!r}",
            "values are numbers like 2, -4, 0.5, 1e-3, 1/3 or pi/4",
        ) from None
    if graph.input_names:
        raise InputError(
            f"the value for {name} is not a number: {text!r}",
            "a value may use numbers, pi and e, but no variables",
        )
    try:
        return forward(graph, {})[graph.output]
    except CgraphError as error:
        raise InputError(f"the value for {name} cannot be computed: {error.message}") from None


def values_from_pairs(pairs: Iterable[tuple[str, str]], source: str) -> dict[str, float]:
    """`[("x", "2"), ...]` -> `{"x": 2.0}`; a name given twice in one place is an error."""
    values: dict[str, float] = {}
    for name, text in pairs:
        if name in values:
            raise InputError(f"{name} is given twice in {source}", "give each variable once")
        values[name] = parse_number(text, name)
    return values


def values_from_at(text: str) -> dict[str, float]:
    """`--at "x=2, y=3"` (commas or semicolons between assignments)."""
    pairs = []
    for part in re.split(r"[,;]", text):
        part = part.strip()
        if not part:
            continue
        name, sep, value = part.partition("=")
        name = name.strip()
        if not sep or not NAME.match(name):
            raise InputError(
                f"--at expects name=value pairs, got {part!r}", 'for example --at "x=2, y=3"'
            )
        pairs.append((name, value))
    if not pairs:
        raise InputError("--at is empty", 'for example --at "x=2, y=3"')
    return values_from_pairs(pairs, "--at")


def values_from_file(path: str) -> dict[str, float]:
    """A JSON object of name -> number (`{"x": 2, "y": 3}`)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"no such values file: {path}") from None
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"cannot read values file {path}: {error}") from None
    except json.JSONDecodeError as error:
        raise InputError(
            f"{path} is not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}",
            'expected an object like {"x": 2, "y": 3}',
        ) from None
    if not isinstance(data, dict):
        raise InputError(
            f"{path} must hold a JSON object of name -> number", 'for example {"x": 2, "y": 3}'
        )
    values = {}
    for name, value in data.items():
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            raise InputError(f"the value of {name!r} in {path} must be a number")
        values[name] = parse_number(str(value), name)
    return values


def resolve_inputs(
    graph: Graph, given: Mapping[str, float], options: Collection[str] = ()
) -> dict[str, float]:
    """Program defaults overridden by the given values; every input present, nothing unknown.

    `options` are the command line's option names (the CLI takes them from Click), so that a
    mistyped option (`--jsn 1`) is answered as one; the Python API has none."""
    names, nodes = graph.names, graph.nodes  # dict lookups: `in input_names` (a tuple) is O(n)
    unknown = [name for name in given if name not in names or nodes[names[name]].op != INPUT]
    if unknown:
        raise _unknown_values(graph, unknown, options)
    values = {**graph.defaults, **given}
    missing = [name for name in graph.input_names if name not in values]
    if missing:
        example = " ".join(f"--{name} 1" for name in missing)
        raise InputError(
            f"missing value{'s' if len(missing) > 1 else ''} for " + ", ".join(missing),
            f"give {'them' if len(missing) > 1 else 'it'}, as in {example}",
        )
    return {name: float(values[name]) for name in graph.input_names}


def _unknown_values(graph: Graph, unknown: list[str], options: Collection[str]) -> InputError:
    name = unknown[0]
    inputs = list(graph.input_names)
    if name in graph.names:
        node = graph.nodes[graph.names[name]]
        what = "a constant" if node.op == "const" else "a step the program computes"
        return InputError(
            f"{name} is {what}, not an input, so it takes no value",
            f"inputs: {', '.join(inputs) or 'none'}",
        )
    if name in options:
        return InputError(f"--{name} is not an option of this command")
    hint = did_you_mean(name, inputs) or (
        f"the program's inputs are {', '.join(inputs)}" if inputs else "the program has no inputs"
    )
    near_option = did_you_mean(name, sorted(options))
    if near_option and not did_you_mean(name, inputs):
        hint = near_option.replace("`", "`--", 1)
    names = ", ".join(unknown)
    return InputError(f"the program has no variable named {names}", hint)


def point(
    graph: Graph, given: Mapping[str, float], options: Collection[str] = ()
) -> dict[str, float] | None:
    """The point a question is asked at, by the one rule above; None when there is none."""
    if not given and not graph.defaults and graph.input_names:
        return None
    return resolve_inputs(graph, given, options)


def run(
    source: str,
    values: Mapping[str, float],
    output: str | None = None,
    options: Collection[str] = (),
) -> Evaluation:
    """Compile, resolve inputs and evaluate: the whole of `cgraph eval` minus the printing."""
    graph = compile_program(source)
    try:
        target = None if output is None else graph.index_of(output)
    except UsageError as error:
        if output in options or not NAME.match(output or ""):
            raise UsageError(
                error.message,
                f"--output names a step; to give a variable named "
                f'"output" a value, write --at "output={output}"',
            ) from None
        raise
    return evaluate(graph, resolve_inputs(graph, values, options), target)
