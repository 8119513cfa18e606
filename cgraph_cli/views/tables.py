"""Rich tables and panels for the terminal: the node table, the summary, notes.

Colour only on a terminal; plain text when piped or with NO_COLOR (Rich honours both). Numbers
are never wrapped or cut: text columns fold, and when the numbers still do not fit side by side
(a narrow terminal) the rows are printed stacked, one block per node (views/narrow.py).
"""

from __future__ import annotations

import errno
import os
from collections.abc import Sequence

from rich import box
from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from ..core.autodiff import Evaluation
from ..core.gradcheck import Gradcheck
from ..core.graph import CONST, INPUT
from ..core.numbers import DEFAULT_DIGITS, format_number, format_with_exact
from .narrow import fits, print_stacked
from .picture_names import Naming

HEAD_ROWS = TAIL_ROWS = 20  # a big graph shows its first and last rows and a count
PIPE_WIDTH = 160  # width when not on a terminal and COLUMNS is unset: tables stay on one line

_STYLE = {INPUT: "bold cyan", CONST: "dim", "output": "bold magenta"}


def make_console(stderr: bool = False) -> Console:
    """A console that is wide enough when piped, and plain when piped or NO_COLOR is set."""
    console = Console(stderr=stderr, highlight=False, soft_wrap=False)
    if not console.is_terminal and "COLUMNS" not in os.environ:
        console = Console(stderr=stderr, highlight=False, width=PIPE_WIDTH)
    console.on_broken_pipe = _pipe_closed  # type: ignore[method-assign]
    return console


def _pipe_closed() -> None:
    """Rich would exit 1 on a closed pipe; the CLI's guard ends quietly instead (exit 141)."""
    raise BrokenPipeError(errno.EPIPE, "the reader of the output went away")


def evaluation_table(
    evaluation: Evaluation,
    exact: tuple[Sequence[str | None], Sequence[str | None]] | None = None,
    digits: int = DEFAULT_DIGITS,
    show_all: bool = False,
    width: int | None = None,
    local: bool = False,
) -> Table:
    """One row per node in topological order: node, name, op, expression, inputs, value, grad.

    Unnamed nodes are named as the pictures name them (`w0·x0`); a constant's gradient is `—`
    (nobody differentiates by a constant; JSON keeps the number). `local` adds each node's
    local gradients, one per input edge (`q: −4, z: 5`).
    """
    names = Naming(evaluation.graph).names
    graph = evaluation.graph
    out_name = graph.output_name(evaluation.output)
    exact_values, exact_grads = exact or ([None] * len(graph), [None] * len(graph))
    rows: Sequence[int] = range(len(graph))
    hidden = 0
    if not show_all and len(graph) > HEAD_ROWS + TAIL_ROWS + 1:
        hidden = len(graph) - HEAD_ROWS - TAIL_ROWS
        rows = [*range(HEAD_ROWS), *range(len(graph) - TAIL_ROWS, len(graph))]
    values = [_number_cell(evaluation.values[i], exact_values[i], digits) for i in rows]
    grads = [
        _number_cell(
            evaluation.grads[i],
            exact_grads[i],
            digits,
            "dim" if evaluation.grads[i] == 0 and graph.varying[i] else "",
        )
        if graph.nodes[i].op != CONST
        else Text("—", style="dim")
        for i in rows
    ]
    table = Table(box=box.SIMPLE_HEAVY, pad_edge=False, show_edge=False)
    table.add_column("node", no_wrap=True)
    table.add_column("name", no_wrap=True)
    table.add_column("op", no_wrap=True)
    table.add_column("expression", overflow="fold", min_width=10)
    table.add_column("inputs", overflow="fold")
    # Text columns give way; numbers never wrap (print_evaluation stacks the rows instead).
    table.add_column("value", justify="right", no_wrap=True)
    table.add_column(f"∂{out_name}/∂node", justify="right", no_wrap=True)
    if local:
        table.add_column("local ∂node/∂input", no_wrap=True)
    texts = graph.texts
    for row, index in enumerate(rows):
        if hidden and index == len(graph) - TAIL_ROWS:
            table.add_row(
                "…",
                "",
                "",
                Text(f"{hidden:,} more nodes (--all shows every row)", style="italic"),
                "",
                "",
                "",
                *([""] if local else []),
            )
        node = graph.nodes[index]
        style = "output" if index == evaluation.output else node.op
        cells = [
            Text(node.id, style=_STYLE.get(style, "")),
            names[index] if node.op != CONST else "",
            node.op,
            texts[index],
            ", ".join(names[a] for a in node.inputs),
            values[row],
            grads[row],
        ]
        if local:
            cells.append(_local_cell(evaluation, names, index, digits))
        table.add_row(*cells)
    return table


def _local_cell(evaluation: Evaluation, names: list[str], index: int, digits: int) -> str:
    """`q: −4, z: 5`: d node / d input along each edge into the node."""
    args = evaluation.graph.nodes[index].inputs
    return ", ".join(
        f"{names[a]}: {format_number(local, digits)}"
        for a, local in zip(args, evaluation.local_grads[index], strict=True)
    )


def _number_cell(value: float, exact: str | None, digits: int, style: str = "") -> Text:
    """The decimal, and under it the exact form when there is one (`= 1/3`)."""
    cell = Text(format_number(value, digits), style=style)
    if exact:
        cell.append(f"\n= {exact}", style="italic")
    return cell


def summary(
    evaluation: Evaluation,
    exact: tuple[Sequence[str | None], Sequence[str | None]] | None = None,
    digits: int = DEFAULT_DIGITS,
) -> Group:
    """`f = -20` and one `∂f/∂x = -4` line per input, then any notes on kinks."""
    graph = evaluation.graph
    out = graph.output_name(evaluation.output)
    exact_values, exact_grads = exact or ([None] * len(graph), [None] * len(graph))
    value = format_with_exact(evaluation.value, exact_values[evaluation.output], digits)
    lines = [Text.assemble((f"{out} = ", "bold"), (value, "bold magenta"))]
    for name in graph.input_names:
        index = graph.names[name]
        grad = format_with_exact(evaluation.grads[index], exact_grads[index], digits)
        lines.append(Text.assemble(f"∂{out}/∂{name} = ", (grad, "bold")))
    for note in evaluation.notes:
        lines.append(Text(f"note: {note}", style="yellow"))
    return Group(*lines)


def print_evaluation(
    console: Console,
    evaluation: Evaluation,
    *,
    digits: int = DEFAULT_DIGITS,
    exact: tuple[Sequence[str | None], Sequence[str | None]] | None = None,
    show_all: bool = False,
    local: bool = False,
) -> None:
    table = evaluation_table(evaluation, exact, digits, show_all, console.width, local)
    if fits(console, table):
        console.print(table)
    else:
        print_stacked(console, *stacked_rows(evaluation, exact, digits, show_all, local))
    console.print()
    console.print(summary(evaluation, exact, digits))


# --- eval --gradcheck ----------------------------------------------------------------------


def gradcheck_table(check: Gradcheck, digits: int = DEFAULT_DIGITS) -> Table:
    """One row per input: reverse mode, central difference, relative error, verdict."""
    table = Table(
        box=box.SIMPLE_HEAVY,
        pad_edge=False,
        title=f"gradient check (central differences, tolerance {check.tolerance:g})",
        title_justify="left",
    )
    table.add_column("input", no_wrap=True)
    table.add_column("reverse mode", justify="right", no_wrap=True)
    table.add_column("finite difference", justify="right", no_wrap=True)
    table.add_column("rel. error", justify="right", no_wrap=True)
    table.add_column("", no_wrap=True)
    for row in check.rows:
        numeric = format_number(row.numeric, digits)
        if row.method not in ("central", "none"):
            numeric += f" ({row.method})"
        error = "n/a" if row.error is None else f"{row.error:.1e}"
        table.add_row(
            row.name,
            format_number(row.analytic, digits),
            numeric,
            error,
            Text("ok", style="green") if row.ok else Text("FAIL", style="bold red"),
        )
    return table


def gradcheck_summary(check: Gradcheck, at_kink: bool = False) -> Text:
    """`gradient check passed: ...` or which inputs failed (and why, at a kink)."""
    if check.passed:
        return Text(
            f"gradient check passed: largest relative error {check.worst:.1e} "
            f"<= {check.tolerance:g}",
            style="green",
        )
    failed = ", ".join(row.name for row in check.rows if not row.ok)
    why = (
        "; the point is at a kink (see the note above), where a central difference "
        "averages the two one-sided slopes"
        if at_kink
        else ""
    )
    return Text(
        f"gradient check FAILED for {failed} (tolerance {check.tolerance:g}){why}", style="bold red"
    )


def print_gradcheck(
    console: Console, check: Gradcheck, digits: int = DEFAULT_DIGITS, at_kink: bool = False
) -> None:
    console.print()
    table = gradcheck_table(check, digits)
    if fits(console, table):
        console.print(table)
    else:
        console.print(table.title or "")
        print_stacked(console, *stacked_gradcheck(check, digits))
    console.print(gradcheck_summary(check, at_kink))


# --- narrow terminals: the same rows, stacked ---------------------------------------------


def stacked_rows(
    evaluation: Evaluation,
    exact: tuple[Sequence[str | None], Sequence[str | None]] | None,
    digits: int,
    show_all: bool,
    local: bool,
) -> tuple[list[Text], list[list[tuple[str, Text]]]]:
    """Per node: a heading (`n3  q = x + y   add of x, y`) and its labelled numbers."""
    graph = evaluation.graph
    names = Naming(graph).names
    out_name = graph.output_name(evaluation.output)
    exact_values, exact_grads = exact or ([None] * len(graph), [None] * len(graph))
    rows: Sequence[int] = range(len(graph))
    if not show_all and len(graph) > HEAD_ROWS + TAIL_ROWS + 1:
        rows = [*range(HEAD_ROWS), *range(len(graph) - TAIL_ROWS, len(graph))]
    headings, fields = [], []
    for index in rows:
        if len(rows) < len(graph) and index == len(graph) - TAIL_ROWS:
            hidden = len(graph) - len(rows)
            headings.append(Text(f"… {hidden:,} more nodes (--all shows every row)", "italic"))
            fields.append([])
        node = graph.nodes[index]
        style = "output" if index == evaluation.output else node.op
        heading = Text(node.id, style=_STYLE.get(style, ""))
        name = names[index] if node.op != CONST else ""
        text = graph.texts[index]
        heading.append(f"  {name} = {text}" if name and name != text else f"  {text}")
        inputs = ", ".join(names[a] for a in node.inputs)
        heading.append(f"   {node.op}" + (f" of {inputs}" if inputs else ""), style="dim")
        grad = (
            _number_cell(evaluation.grads[index], exact_grads[index], digits)
            if node.op != CONST
            else Text("—", style="dim")
        )
        row = [
            ("value", _number_cell(evaluation.values[index], exact_values[index], digits)),
            (f"∂{out_name}/∂node", grad),
        ]
        if local:
            row += [
                (f"∂node/∂{names[a]}", Text(format_number(g, digits)))
                for a, g in zip(node.inputs, evaluation.local_grads[index], strict=True)
            ]
        headings.append(heading)
        fields.append(row)
    return headings, fields


def stacked_gradcheck(
    check: Gradcheck, digits: int
) -> tuple[list[Text], list[list[tuple[str, Text]]]]:
    headings, fields = [], []
    for row in check.rows:
        verdict = Text("ok", style="green") if row.ok else Text("FAIL", style="bold red")
        headings.append(Text(f"{row.name}  ") + verdict)
        numeric = format_number(row.numeric, digits)
        if row.method not in ("central", "none"):
            numeric += f" ({row.method})"
        error = "n/a" if row.error is None else f"{row.error:.1e}"
        fields.append(
            [
                ("reverse mode", Text(format_number(row.analytic, digits))),
                ("finite difference", Text(numeric)),
                ("rel. error", Text(error)),
            ]
        )
    return headings, fields
