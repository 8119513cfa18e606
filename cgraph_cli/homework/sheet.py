"""A spreadsheet export read the way spreadsheets write it: the rows of a CSV problem file.

A teacher's file comes out of Excel, LibreOffice or Google Sheets, so besides plain CSV it may
have a byte-order mark and CRLF line ends (Excel's "CSV UTF-8"), semicolons between fields
(Excel in a locale with a decimal comma), tabs ("Text (Tab delimited)" renamed .csv),
Windows-1252 bytes (Excel's plain "CSV" on Windows: `José` is not UTF-8), headers typed as
`Expression` or `Answer `, and rows of empty cells where the sheet had empty rows. All of
those are read here; what cannot be read is a UsageError that says what to do.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Iterable

from ..errors import UsageError

DELIMITERS = (",", ";", "\t")  # in order of preference when a header splits equally
FIELD_LIMIT = 20_000_000  # one cell may be as long as a problem file may be (csv's 131,072
# default made one student's long answer fail the whole class's file)


def decode(data: bytes, path: str) -> str:
    """UTF-8 (with or without a byte-order mark), else Windows-1252, which is what Excel's
    plain "CSV" writes on Windows; a file that is neither is refused."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            raise UsageError(
                f"{path} is not UTF-8 text (bad byte at position {error.start})",
                "save it from the spreadsheet as CSV UTF-8",
            ) from None


def delimiter(header: str) -> str:
    """The separator that splits the header line into the most columns (`,` on a tie)."""
    widths = {d: len(next(csv.reader([header], delimiter=d), [])) for d in DELIMITERS}
    return max(DELIMITERS, key=lambda d: widths[d])


def read_rows(
    text: str, path: str, hint: str
) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """The column names (trimmed, lower case) and every row that has a filled cell, with its
    line; a row of empty cells is a spreadsheet's empty row, not a problem."""
    csv.field_size_limit(max(csv.field_size_limit(), FIELD_LIMIT))
    header = text.split("\n", 1)[0]
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter(header))
    rows: list[tuple[int, dict[str, str]]] = []
    try:
        columns = [(column or "").strip().lower() for column in reader.fieldnames or []]
        if not any(columns):
            raise UsageError(f"{path} is empty", hint)
        reader.fieldnames = columns
        for row in reader:
            if any((value or "").strip() for key, value in row.items() if key is not None):
                rows.append((reader.line_num, row))  # the line the row ends on
    except csv.Error as error:
        raise UsageError(f"{path} is not valid CSV: {error} (line {reader.line_num})") from None
    return columns, rows


def repeated_ids(ids_and_places: Iterable[tuple[str, str]]) -> list[str]:
    """`note: id s001 is on 2 rows (line 2, line 4)` for every id given more than once (a
    resubmission, or two students with one id: either way the teacher should know)."""
    places: dict[str, list[str]] = defaultdict(list)
    for ident, place in ids_and_places:
        if ident:
            places[ident].append(place)
    return [
        f"note: id {ident} is on {len(at)} rows ({', '.join(at)})"
        for ident, at in places.items()
        if len(at) > 1
    ]
