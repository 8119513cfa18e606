"""How `cgraph check` shows its verdicts in the terminal: a few lines for one answer, a Rich
table and a summary line for a batch. JSON comes from `results.batch_document` instead."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..core.numbers import format_number, format_pair
from ..core.printable import one_line, printable
from ..homework.results import CheckResult, Comparison, Outcome, summary_line

BELOW_FLOAT = "they differ past float64's 17 digits"  # the values print alike at every digit
TABLE_DIGITS = 6  # a table cell has room for a short number; the single view shows 15 digits
_STYLE = {
    Outcome.CORRECT: "bold green",
    Outcome.WRONG: "bold red",
    Outcome.UNDECIDED: "bold yellow",
    Outcome.ERROR: "bold red",
}


def print_result(console: Console, result: CheckResult) -> None:
    """The verdict first, then the correct derivative, then the numbers that back it up."""
    for line in result_lines(result):
        console.print(line)


def result_lines(result: CheckResult) -> list[Text]:
    """The lines of one verdict; text that came from the user (the answer, names in the
    messages) is printed as it is, control characters replaced (`core.printable`)."""
    return [_printable(line) for line in _lines(result)]


def _printable(line: Text) -> Text:
    clean = printable(line.plain, newlines=True)
    if clean == line.plain:
        return line
    return Text(clean, style=line.style)


def _lines(result: CheckResult) -> list[Text]:
    lines = [_verdict(result)]
    if result.sampling and result.outcome is not Outcome.WRONG and result.method != "proved equal":
        lines.append(Text(f"sampled at {result.sampling['where']}"))
    name = result.name or f"∂{result.of}/∂{result.wrt}"
    if result.derivative is not None:
        lines.append(Text(f"{name} = {result.derivative}"))
    if result.outcome is Outcome.WRONG:
        lines.append(Text(f"your answer: {result.problem.answer}"))
    if result.diagnosis is not None:
        lines.append(Text(f"mistake: {result.diagnosis.message}", style="bold"))
    if result.counterexample is not None and result.counterexample != result.at_point:
        lines.append(_sides("they differ at", result.counterexample, name, differ=True))
    elif result.outcome is Outcome.WRONG and result.counterexample is None:
        lines.append(Text(result.method))  # proved different, too little to show at a point
    if result.at_point is not None:
        differ = result.outcome is Outcome.WRONG and result.counterexample == result.at_point
        lines.append(_sides("at", result.at_point, name, differ=differ))
    if result.outcome is Outcome.UNDECIDED:
        lines.append(
            Text("hint: give values (as in --x 2) to check the answer at one point", style="yellow")
        )
    lines.extend(Text(f"note: {note}", style="yellow") for note in result.notes)
    return lines


def _verdict(result: CheckResult) -> Text:
    """`correct (proved equal)`, `wrong`, `undecided: ...`."""
    style = _STYLE[result.outcome]
    if result.outcome is Outcome.CORRECT:
        return Text.assemble(("correct", style), f" ({result.method})")
    if result.outcome is Outcome.UNDECIDED:
        return Text(result.method, style=style)
    return Text(str(result.outcome), style=style)


def _sides(label: str, sides: Comparison, name: str, *, differ: bool, digits: int = 15) -> Text:
    """`at x = 2, w = 3:` and under it `  ∂f/∂w = 8, your answer = 9`: two lines, so a long
    point never breaks a number in two."""
    expected, answer = format_pair(sides.expected, sides.answer, digits)
    below = f" ({BELOW_FLOAT})" if differ and expected == answer else ""
    return Text(
        f"{label} {point_text(sides.point, digits)}:\n  {name} = {expected}, "
        f"your answer = {answer}{below}"
    )


def point_text(point: Mapping[str, float], digits: int = 15) -> str:
    return ", ".join(f"{name} = {format_number(value, digits)}" for name, value in point.items())


# --- batches -------------------------------------------------------------------------------


def print_batch(console: Console, results: Sequence[CheckResult]) -> None:
    console.print(batch_table(results))
    console.print()
    console.print(Text(summary_line(list(results)), style="bold"))


def batch_table(results: Sequence[CheckResult]) -> Table:
    """One row per problem: what was asked, the verdict, and why."""
    table = Table(box=box.SIMPLE_HEAVY, pad_edge=False, show_edge=False)
    table.add_column("#", no_wrap=True)
    table.add_column("expression", overflow="fold")
    table.add_column("wrt", no_wrap=True)
    table.add_column("answer", overflow="fold")
    table.add_column("verdict", no_wrap=True)
    table.add_column("details", overflow="fold", ratio=2)
    for result in results:
        problem = result.problem
        table.add_row(
            cell(problem.id),
            cell(problem.expression),
            cell(result.wrt or problem.wrt or ""),
            cell(problem.answer),
            Text(str(result.outcome), style=_STYLE[result.outcome]),
            cell(details(result)),
        )
    return table


def cell(text: str) -> Text:
    """File text in a table cell: shown as it is (never read as Rich markup: an id
    `[bold green]correct[/]` stays those characters), on one line, control characters
    replaced (`ESC[2J` cannot clear the screen)."""
    return Text(one_line(text))


def details(result: CheckResult) -> str:
    """The reason in one cell: how it was decided, or the correct derivative and a point."""
    if result.outcome is Outcome.ERROR:
        return (result.error or "").split("\n")[0]
    parts: list[Any] = []
    if result.outcome is Outcome.WRONG:
        if result.derivative is not None:
            parts.append(f"should be {result.derivative}")
        if result.diagnosis is not None:
            parts.append(result.diagnosis.message)
        sides = result.counterexample
        if sides is None:
            parts.append(result.method)  # proved different: no point to show
        elif result.diagnosis is None:  # the mistake says more
            expected, answer = format_pair(sides.expected, sides.answer, TABLE_DIGITS)
            below = f" ({BELOW_FLOAT})" if expected == answer else ""
            parts.append(
                f"at {point_text(sides.point, TABLE_DIGITS)}: {expected} ≠ {answer}{below}"
            )
    else:
        parts.append(result.method)
    parts.extend(f"note: {note}" for note in result.notes)
    return "; ".join(parts)
