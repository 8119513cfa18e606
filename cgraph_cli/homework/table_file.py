"""Read a backprop table handed in as a file: a CSV with a header (`node,value,grad`) or JSON
rows (`[{"node": "q", "value": 5, "grad": -4}, ...]`, or `{"rows": [...]}`). A blank cell (or
null) is a number not filled in; anything else must be a number (`-4`, `1/3`, `pi/4`)."""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..core.reading import load_json, parse_number, read_text_file
from ..errors import InputError, UsageError
from . import sheet

NODE_COLUMNS = ("node", "name", "step")
VALUE_COLUMNS = ("value", "forward")
GRAD_COLUMNS = ("grad", "gradient", "backward")
MAX_ROWS = 10_000
MAX_TABLE_FILE_BYTES = 10_000_000  # README "Limits": 10,000 rows need far less
_HINT = "the first line must name the columns: node,value,grad"


@dataclass(frozen=True)
class Entry:
    """One row as handed in: the node as the student named it and the numbers (None: blank)."""

    node: str
    value: float | None
    grad: float | None
    line: int


def read_table(path: str) -> list[Entry]:
    """Rows from a .csv (with a header) or .json file (a list of {node, value, grad})."""
    suffix = Path(path).suffix.lower()
    if suffix not in (".csv", ".json"):
        raise UsageError(f"cannot tell the format of {path}", "name the table .csv or .json")
    text = read_text_file(path, MAX_TABLE_FILE_BYTES, "table", sheet.decode)  # maybe cp1252
    entries = _from_csv(text, path) if suffix == ".csv" else _from_json(text, path)
    if len(entries) > MAX_ROWS:
        raise InputError(f"{path} has {len(entries):,} rows; a table may have {MAX_ROWS:,}")
    return entries


def _column(columns: list[str], names: tuple[str, ...]) -> str | None:
    return next((c for c in columns if c.lower() in names), None)


def _from_csv(text: str, path: str) -> list[Entry]:
    reader = csv.DictReader(io.StringIO(text), delimiter=sheet.delimiter(text.split("\n", 1)[0]))
    try:
        columns = [c.strip() for c in reader.fieldnames or []]
        reader.fieldnames = columns
        node = _column(columns, NODE_COLUMNS)
        value, grad = _column(columns, VALUE_COLUMNS), _column(columns, GRAD_COLUMNS)
        if node is None or (value is None and grad is None):
            raise UsageError(f"{path} has no node, value or grad columns", _HINT)
        rows = [(reader.line_num, row) for row in reader]
    except csv.Error as error:
        raise UsageError(f"{path} is not valid CSV: {error} (line {reader.line_num})") from None
    return [
        _entry(
            row.get(node), row.get(value) if value else None, row.get(grad) if grad else None, line
        )
        for line, row in rows
        if any((cell or "").strip() for cell in row.values() if isinstance(cell, str))
    ]


def _cell(row: Mapping[str, Any], column: str | None) -> Any:
    return row.get(column) if column else None


def _from_json(text: str, path: str) -> list[Entry]:
    data = load_json(text, path, 'expected [{"node": "q", "value": 5, "grad": -4}, ...]')
    records = data.get("rows") if isinstance(data, dict) else data
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        raise UsageError(
            f"{path} holds no list of rows", 'expected [{"node": "q", "value": 5, "grad": -4}, ...]'
        )
    return [
        _entry(r.get("node"), _field(r, VALUE_COLUMNS), _field(r, GRAD_COLUMNS), number)
        for number, r in enumerate(records, start=1)
    ]


def _field(record: Mapping[str, Any], names: tuple[str, ...]) -> Any:
    return next((record[k] for k in record if str(k).lower() in names), None)


def _entry(node: Any, value: Any, grad: Any, line: int) -> Entry:
    name = str(node).strip() if node is not None else ""
    if not name:
        raise InputError(f"line {line}: no node named", _HINT)
    return Entry(name, _number(value, name, line), _number(grad, f"∂/∂{name}", line), line)


def _number(raw: Any, name: str, line: int) -> float | None:
    """A cell as a number; blank (or null) means not filled in."""
    if raw is None or isinstance(raw, bool):
        if isinstance(raw, bool):
            raise InputError(f"line {line}: the cell of {name} is not a number")
        return None
    if isinstance(raw, int | float):
        if not math.isfinite(raw):
            raise InputError(f"line {line}: the cell of {name} must be a finite number")
        return float(raw)
    text = str(raw).strip()
    if not text:
        return None
    try:
        return parse_number(text, name)
    except InputError as error:
        raise InputError(f"line {line}: {error.message}", error.hint) from None
