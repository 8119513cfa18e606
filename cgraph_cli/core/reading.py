"""Reading what the user gives, safely and within limits: the program's text (an argument, a
file, standard input) and values (`2`, `-4`, `1/3`, `pi/4`, from the command line or a file).

Values are constant expressions read by our own parser, so they are never evaluated as code.
Every size limit of the README's "Limits" table is checked here, before anything is parsed
(a 10 MB program used to take 4.4 GB).
"""

from __future__ import annotations

import json
import math
import re
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

from ..errors import CgraphError, InputError, ParseError, UsageError
from .graph import compile_program
from .lexer import NAME
from .util import is_folder

_PLAIN_NUMBER = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
# Input size limits (README "Limits"): a program or file past them is refused at once.
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


def read_text_file(
    path: str, limit: int, what: str, decode: Callable[[bytes, str], str] | None = None
) -> str:
    """A text file of at most `limit` bytes: UTF-8 (a byte-order mark is dropped) unless
    `decode(data, path)` reads it otherwise; every failure is a UsageError naming the file."""
    data = read_limited(path, limit, what)
    if decode is not None:
        return decode(data, path)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise UsageError(f"{path} is not UTF-8 text (bad byte at position {error.start})") from None


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
    deep for Python's parser, an integer too long to read (over 4,300 digits), a key given
    twice."""

    def unique_keys(pairs: list[tuple[str, object]]) -> dict[str, object]:
        found: dict[str, object] = {}
        for key, value in pairs:
            if key in found:  # JSON itself would keep the last one without a word
                raise InputError(f"{path} gives {key[:40]!r} twice", "keep the one you mean")
            found[key] = value
        return found

    try:
        return json.loads(raw, object_pairs_hook=unique_keys)
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
