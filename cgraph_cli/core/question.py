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
from .util import is_folder

_PLAIN_NUMBER = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
# Input size limits (README "Limits"): a program or file past them is refused at once, before
# it is parsed (a 10 MB program used to take 4.4 GB).
MAX_PROGRAM_CHARS = 4_000_000
MAX_VALUES_FILE_BYTES = 10_000_000
MAX_VALUES = 100_000  # names in one values file


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
        stream = sys.stdin.buffer if hasattr(sys.stdin, "buffer") else sys.stdin
        return check_program_size(
            _decode(stream.read(4 * MAX_PROGRAM_CHARS + 1), "standard input"), "standard input"
        )
    path = Path(file)
    if is_folder(path):
        raise UsageError(f"{file} is a folder, not a program file")
    data = read_limited(file, 4 * MAX_PROGRAM_CHARS, "program file")
    return check_program_size(_decode(data, file), file)


def check_program_size(source: str, where: str = "the program") -> str:
    """Refuse a program past MAX_PROGRAM_CHARS before parsing it (memory grows with it)."""
    if len(source) > MAX_PROGRAM_CHARS:
        raise UsageError(
            f"{where} is too long: over {MAX_PROGRAM_CHARS:,} characters",
            "cgraph reads programs of up to 4,000,000 characters (about 200,000 statements)",
        )
    return source


def read_limited(path: str, limit: int, what: str) -> bytes:
    """At most `limit` bytes of a file (a FIFO or /dev/zero never ends): more is an error."""
    try:
        with open(path, "rb") as stream:
            data = stream.read(limit + 1)
    except FileNotFoundError:
        raise UsageError(f"no such file: {path}") from None
    except IsADirectoryError:
        raise UsageError(f"{path} is a folder, not a {what}") from None
    except OSError as error:
        raise UsageError(f"cannot read {path}: {error.strerror or error}") from None
    if len(data) > limit:
        raise UsageError(f"{path} is too big for a {what}: over {limit:,} bytes")
    return data


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
    if _PLAIN_NUMBER.fullmatch(stripped):  # float() alone would take "1_0", "١٢", "nan"
        value = float(stripped)
    else:
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
        raw = read_limited(path, MAX_VALUES_FILE_BYTES, "values file")
    except UsageError as error:
        raise InputError(error.message.replace("no such file", "no such values file")) from None
    data = load_json(raw, path, 'expected an object like {"x": 2, "y": 3}')
    if not isinstance(data, dict):
        raise InputError(
            f"{path} must hold a JSON object of name -> number", 'for example {"x": 2, "y": 3}'
        )
    if len(data) > MAX_VALUES:
        raise InputError(f"{path} holds {len(data):,} values; the limit is {MAX_VALUES:,}")
    return {name: number_from_data(value, name, path) for name, value in data.items()}


def load_json(raw: bytes | str, path: str, hint: str) -> object:
    """JSON from a file, every failure a clear InputError: bad syntax, not UTF-8, nesting too
    deep for Python's parser, an integer too long to read (over 4,300 digits)."""
    try:
        return json.loads(raw)
    except UnicodeDecodeError as error:
        raise InputError(f"{path} is not UTF-8 text (bad byte at position {error.start})") from None
    except json.JSONDecodeError as error:
        raise InputError(
            f"{path} is not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}",
            hint,
        ) from None
    except RecursionError:
        raise InputError(f"{path} is nested too deeply to read", hint) from None
    except ValueError as error:  # an integer past Python's 4,300-digit limit
        raise InputError(f"{path} cannot be read: {str(error)[:80]}", hint) from None


def number_from_data(value: object, name: str, where: str) -> float:
    """A value from a JSON or TOML file: a number, or text read as a value is typed. A date,
    a list, a boolean is an error, never a number made from its digits."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        kind = type(value).__name__.replace("datetime", "date and time").replace("dict", "table")
        raise InputError(
            f"the value of {str(name)[:40]!r} in {where} must be a number, not a {kind}"
        )
    if isinstance(value, int):
        try:
            return float(value)
        except OverflowError:
            raise InputError(
                f"the value of {str(name)[:40]!r} in {where} is too large for a 64-bit float"
            ) from None
    if isinstance(value, float):
        if not math.isfinite(value):
            raise InputError(
                f"the value of {str(name)[:40]!r} in {where} must be a finite number, not {value!r}"
            )
        return value
    return parse_number(value, str(name)[:40])


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
    return {name: _as_value(values[name], name) for name in graph.input_names}


def _as_value(value: object, name: str) -> float:
    """A given value as a float: numbers as they are, text as typed on the command line; NaN,
    infinities and other types are InputErrors (the Python API gets them as given)."""
    if isinstance(value, str):
        return parse_number(value, name)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InputError(f"the value for {name} must be a number, not {type(value).__name__}")
    try:
        number = float(value)
    except OverflowError:
        raise InputError(f"the value for {name} is too large for a 64-bit float") from None
    if not math.isfinite(number):
        raise InputError(f"the value for {name} must be a finite number, not {number!r}")
    return number


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
    names = ", ".join(str(n)[:40] for n in unknown[:10])
    if len(unknown) > 10:
        names += f" and {len(unknown) - 10:,} more"
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
    graph = compile_program(check_program_size(source))
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
