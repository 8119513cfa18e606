"""A class batch in the terminal: a progress bar while rows finish (only on a terminal), then
the table, the summary and how many students made each mistake."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

from rich.console import Console
from rich.text import Text

from ..core.printable import one_line
from ..homework.batch import mistake_lines, over_budget
from ..homework.results import CheckResult, summary_line
from .check_table import batch_table


@contextmanager
def progress_bar(total: int, console: Console | None = None) -> Iterator[Callable[[], None]]:
    """`advance()` once per finished row; a Rich bar on stderr when it is a terminal, and
    nothing at all when stderr is piped or redirected."""
    console = console or Console(stderr=True)
    if not console.is_terminal or total < 2:
        yield lambda: None
        return
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    with Progress(
        TextColumn("checking"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=True,
    ) as bar:
        task = bar.add_task("rows", total=total)
        yield lambda: bar.advance(task)


def print_class(
    console: Console,
    results: Sequence[CheckResult],
    table: bool = True,
    budget: float | None = None,
) -> None:
    """The table (unless asked not to), the summary line, the rows the time budget left
    unchecked, then the mistakes counted."""
    if table:
        console.print(batch_table(results))
        console.print()
    console.print(Text(summary_line(list(results)), style="bold"))
    unchecked = over_budget(results)
    if unchecked:
        rows = f"{unchecked} row{'s were' if unchecked != 1 else ' was'}"
        console.print(
            Text(
                f"{rows} not checked: the batch's time budget of {budget or 0:g} s ran out "
                "(give more with --budget SECONDS)",
                style="bold yellow",
            )
        )
    lines = mistake_lines(results)
    if lines:
        console.print("mistakes:")
        for line in lines:
            console.print(Text(f"  {one_line(line)}"))
