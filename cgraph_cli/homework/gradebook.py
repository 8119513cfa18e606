"""The gradebook CSV of a batch: one row per problem (id, verdict, score, mistake, message),
safe to open in a spreadsheet.

A cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is a formula to Excel,
LibreOffice and Google Sheets (CSV injection); such a cell is written with a leading `'`,
which spreadsheets show as text. Rows are written and flushed one at a time, so a batch that
is stopped keeps the rows it finished.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from ..core.printable import one_line
from ..core.util import is_folder
from ..errors import UsageError
from .results import CheckResult, Outcome

COLUMNS = ("id", "verdict", "score", "mistake", "message")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FORMULA_LOOKALIKES = ("=", "+", "-", "@", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def safe_cell(value: Any) -> str:
    """The cell's text on one line, control characters replaced (an ESC from a problem file
    never reaches the file), with a `'` in front when a spreadsheet would run it as a formula
    (also behind leading spaces, and for the full-width ＝ ＋ － ＠ some spreadsheets accept)."""
    raw = "" if value is None else str(value)
    text = one_line(raw)
    formula = raw.startswith(FORMULA_STARTS) or text.lstrip().startswith(FORMULA_LOOKALIKES)
    return "'" + text if formula else text


def gradebook_row(result: CheckResult) -> list[str]:
    """id, verdict, score (1 correct, 0 otherwise), mistake label, message."""
    diagnosis = result.diagnosis
    if result.outcome is Outcome.ERROR:
        message = (result.error or "").split("\n")[0]
    elif diagnosis is not None:
        message = diagnosis.message
    elif result.outcome is Outcome.WRONG and result.derivative is not None:
        message = f"should be {result.derivative}"
    else:
        message = result.method
    row = [
        result.problem.id,
        str(result.outcome),
        "1" if result.outcome is Outcome.CORRECT else "0",
        diagnosis.label if diagnosis is not None else "",
        message,
    ]
    return [safe_cell(cell) for cell in row]


class Gradebook:
    """A CSV file being written row by row."""

    def __init__(self, handle: IO[str]) -> None:
        self._handle = handle
        self._writer = csv.writer(handle, lineterminator="\n")
        self._writer.writerow(COLUMNS)

    def add(self, result: CheckResult) -> None:
        self._writer.writerow(gradebook_row(result))
        self._handle.flush()


@contextmanager
def open_gradebook(path: str) -> Iterator[Gradebook]:
    """A gradebook at `path` (folders are made); an unwritable path is a UsageError."""
    file = Path(path)
    if is_folder(file):
        raise UsageError(f"{path} is a folder; --csv takes a file name")
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        handle = file.open("w", newline="", encoding="utf-8")
    except OSError as error:
        raise UsageError(f"cannot write {path}: {error.strerror or error}") from None
    with handle:
        yield Gradebook(handle)
