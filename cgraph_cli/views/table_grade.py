"""How a graded backprop table looks in the terminal: one line per cell, then the summary.
JSON comes from `TableGrade.as_dict` instead."""

from __future__ import annotations

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..core.numbers import format_number
from ..core.printable import one_line
from ..homework.table import ROUNDING_TOL, TableGrade

DIGITS = 10  # enough to see where a hand-worked number went off


def print_table_grade(console: Console, grade: TableGrade) -> None:
    console.print(cells_table(grade))
    console.print()
    console.print(Text(grade.summary, style="bold"))
    if grade.rounded:
        console.print(
            Text(
                f"hint: {grade.rounded} wrong cell{'s are' if grade.rounded != 1 else ' is'} "
                f"within {ROUNDING_TOL:g} of the right number: if you rounded by hand, "
                f"pass --tol {ROUNDING_TOL:g}",
                style="yellow",
            )
        )


def cells_table(grade: TableGrade) -> Table:
    """Node, which cell, the student's number, the right one, the verdict and the reason."""
    table = Table(box=box.SIMPLE_HEAVY, pad_edge=False, show_edge=False)
    table.add_column("node", no_wrap=True)
    table.add_column("cell", no_wrap=True)
    table.add_column("yours", justify="right", no_wrap=True)
    table.add_column("correct", justify="right", no_wrap=True)
    table.add_column("verdict", no_wrap=True)
    table.add_column("reason", overflow="fold", ratio=1)
    output = grade.output
    for cell in grade.cells:
        table.add_row(
            Text(one_line(cell.node)),  # file text: never markup, no control characters
            Text(one_line("value" if cell.kind == "value" else f"∂{output}/∂{cell.node}")),
            format_number(cell.given, DIGITS),
            format_number(cell.expected, DIGITS),
            Text("correct", style="green") if cell.correct else Text("wrong", style="bold red"),
            Text(one_line(cell.reason or "")),
        )
    return table
