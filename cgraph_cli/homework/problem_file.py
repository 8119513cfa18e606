"""Problems from a homework file: `.csv` rows, `.json` objects or `.toml` `[[problem]]` tables.

An unreadable file is a UsageError (exit 2); a malformed problem in a readable file becomes a
Problem with `error` set, so one bad row is an error row and the rest of the class is checked.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..core.reading import load_json, number_from_data, read_text_file
from ..errors import CgraphError, InputError, UsageError
from . import sheet
from .results import Problem

FORMATS = ("csv", "json", "toml")
MAX_PROBLEM_FILE_BYTES = 20_000_000  # README "Limits": a bigger problem file is refused


def read_problems(path: str) -> list[Problem]:
    """Problems from a .csv, .json or .toml file; an unreadable file is a UsageError (exit 2),
    a malformed problem in it is a Problem with `error` set."""
    suffix = Path(path).suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        raise UsageError(f"cannot tell the format of {path}", "name the file .csv, .json or .toml")
    # what a spreadsheet wrote may be Windows-1252 (homework/sheet.py); JSON and TOML are UTF-8
    decode = sheet.decode if suffix == "csv" else None
    text = read_text_file(path, MAX_PROBLEM_FILE_BYTES, "problem file", decode)
    if suffix == "csv":
        return _problems_from_csv(text, path)
    return _problems_from_records(_records(text, path, suffix), path)


def repeated_ids(problems: list[Problem]) -> list[str]:
    """Notes for ids given more than once (`note: id s001 is on 2 rows (line 2, line 4)`)."""
    return sheet.repeated_ids((problem.id, problem.source) for problem in problems)


_CSV_HINT = "the first line must name the columns: expression,wrt,answer,values"


def _problems_from_csv(text: str, path: str) -> list[Problem]:
    """Columns expression, wrt, answer and optional values (`x=2;y=3`) and id, in any case
    and separated by `,`, `;` or tabs (homework/sheet.py); other columns (a name, a topic, an
    expected verdict) are ignored, so an answer key can be checked as it is."""
    columns, rows = sheet.read_rows(text, path, _CSV_HINT)
    missing = [c for c in ("expression", "answer") if c not in columns]
    if missing:
        raise UsageError(f"{path} has no `{missing[0]}` column", _CSV_HINT)
    return [
        _problem(row, f"line {line}", str(number))
        for number, (line, row) in enumerate(rows, start=1)
    ]


def _records(text: str, path: str, suffix: str) -> list[Any]:
    """The list of problem objects in a JSON file (a list, or {"problems": [...]}) or a TOML
    file (`[[problem]]` tables)."""
    if suffix == "json":
        hint = 'expected a list of objects like {"expression": ..., "wrt": ..., "answer": ...}'
        try:
            data = load_json(text, path, hint)
        except InputError as error:
            raise UsageError(error.message, error.hint) from None
        records = data.get("problems") if isinstance(data, dict) else data
    else:
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as error:
            raise UsageError(f"{path} is not valid TOML: {error}") from None
        except RecursionError:
            raise UsageError(f"{path} is nested too deeply to read") from None
        records = data.get("problem")
        hint = "expected [[problem]] tables with expression, wrt and answer"
    if not isinstance(records, list):
        raise UsageError(f"{path} holds no list of problems", hint)
    return records


def _problems_from_records(records: list[Any], path: str) -> list[Problem]:
    problems = []
    for number, record in enumerate(records, start=1):
        if not isinstance(record, dict):
            problems.append(
                Problem(
                    "", None, "", id=str(number), error=f"problem {number} is not a table of fields"
                )
            )
            continue
        problems.append(_problem(record, f"problem {number}", str(number)))
    return problems


def _problem(record: Mapping[str, Any], where: str, number: str) -> Problem:
    """One problem from a row or table; what is wrong with it goes into `error`."""
    fields = {key: _text(record.get(key)) for key in ("expression", "wrt", "answer", "id")}
    ident = fields["id"] or number
    expression, answer = fields["expression"] or "", fields["answer"] or ""
    missing = [key for key in ("expression", "answer") if not (fields[key] or "").strip()]
    error = f"{where}: no {missing[0]} given" if missing else None
    values: dict[str, float] = {}
    order = 1
    if error is None:
        try:
            values = _values(record.get("values"))
            order = _order(record.get("order"))
        except CgraphError as problem:
            error = f"{where}: {problem.message}"
    return Problem(expression, fields["wrt"], answer, values, ident, error, order, where)


def _order(raw: Any) -> int:
    """The optional `order` field: blank is 1, else a whole number from 1 up."""
    text = _text(raw)
    if text is None or not text.strip():
        return 1
    try:
        order = int(text.strip())
    except ValueError:
        raise InputError(f"order must be a whole number like 2, got {text!r}") from None
    if order < 1:
        raise InputError(f"order must be 1 or more, got {order}")
    return order


def _text(value: Any) -> str | None:
    """A field as text; a number stays exact (TOML and JSON answers may be plain numbers)."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _values(raw: Any) -> dict[str, float]:
    """`"x=2;y=3"` (CSV) or a table / object `{x = 2}` (TOML, JSON); empty means none."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return {}
    if isinstance(raw, str):
        pairs = [part.partition("=") for part in re.split(r"[;,]", raw) if part.strip()]
        bad = next((name for name, sep, _ in pairs if not sep or not name.strip()), None)
        if bad is not None:
            raise InputError(f"values must be name=value pairs like x=2;y=3, got {raw!r}")
        raw = {name.strip(): value for name, _, value in pairs}
    if not isinstance(raw, dict):
        raise InputError("values must be text like x=2;y=3 or a table of name = number")
    values: dict[str, float] = {}
    for name, value in raw.items():
        values[str(name)] = number_from_data(value, str(name), "the values")
    return values
