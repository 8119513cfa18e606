"""Tables that never cut a number: the width a table needs, and a stacked layout for narrow
terminals (one block of lines per row, each number whole on its own line).

Rich shrinks a table that is too wide by folding or cutting cells. Text columns may fold; a
number may not. So a view asks `fits` first and, when the numbers would not fit side by side,
prints the same rows stacked instead.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text

TEXT_COLUMN_MIN = 6  # a folding text column (expression, inputs) keeps at least this much
INDENT = "    "


def fits(console: Console, table: Table) -> bool:
    """Whether the table fits the console with every no-wrap (number) column whole and each
    folding text column at least TEXT_COLUMN_MIN wide. (Rich's own measure is clamped to the
    width it is given, so the sum is made here.)"""
    unbounded = console.options.update_width(10**6)
    needed = 0
    for column in table.columns:
        if not column.no_wrap:
            needed += max(TEXT_COLUMN_MIN, column.min_width or 0)
            continue
        cells = [column.header, *column.cells]
        needed += max(Measurement.get(console, unbounded, cell).maximum for cell in cells)
    count = len(table.columns)
    needed += 2 * count - (0 if table.pad_edge else 2)  # one space each side of a cell
    if table.box is not None:
        needed += count - 1 + (2 if table.show_edge else 0)  # dividers and edges
    return needed <= console.width


def labelled(label: str, cell: Text, width: int, label_width: int) -> list[Text]:
    """`    value      0.333333333333333` and `               = 1/3` under it; when label and
    number do not fit on one line, the number goes on the next line, indented once."""
    lines = cell.split("\n")
    head = INDENT + label.ljust(label_width) + "  "
    if len(head) + max(len(line) for line in lines) <= width:
        pad = " " * len(head)
        return [Text(head) + lines[0], *(Text(pad) + line for line in lines[1:])]
    return [Text(INDENT + label), *(Text(INDENT * 2) + line for line in lines)]


def print_stacked(
    console: Console,
    headings: Sequence[Text],
    fields: Sequence[Sequence[tuple[str, Text]]],
) -> None:
    """One block per row: its heading (which may wrap), then its labelled numbers."""
    for heading, row in zip(headings, fields, strict=True):
        label_width = max((len(label) for label, _ in row), default=0)
        console.print(heading)
        for label, cell in row:
            for line in labelled(label, cell, console.width, label_width):
                console.print(line, no_wrap=True, overflow="ignore", crop=False)
