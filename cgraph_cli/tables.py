"""Rich tables and panels for the terminal: the node table, the summary, notes.

Colour only on a terminal; plain text when piped or with NO_COLOR (Rich honours both). Numbers
are never wrapped or cut: only the expression column folds.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from rich import box
from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from .autodiff import Evaluation
from .graph import CONST, INPUT
from .numbers import DEFAULT_DIGITS, format_number, format_with_exact

HEAD_ROWS = TAIL_ROWS = 20  # a big graph shows its first and last rows and a count
PIPE_WIDTH = 160  # width when not on a terminal and COLUMNS is unset: tables stay on one line

_STYLE = {INPUT: "bold cyan", CONST: "dim", "output": "bold magenta"}


def make_console(stderr: bool = False) -> Console:
    """A console that is wide enough when piped, and plain when piped or NO_COLOR is set."""
    console = Console(stderr=stderr, highlight=False, soft_wrap=False)
    if not console.is_terminal and "COLUMNS" not in os.environ:
        console = Console(stderr=stderr, highlight=False, width=PIPE_WIDTH)
    return console


def evaluation_table(evaluation: Evaluation, exact: tuple[Sequence[str | None],
                     Sequence[str | None]] | None = None, digits: int = DEFAULT_DIGITS,
                     show_all: bool = False) -> Table:
    """One row per node in topological order: node, name, op, expression, inputs, value, grad."""
    graph = evaluation.graph
    out_name = graph.output_name(evaluation.output)
    table = Table(box=box.SIMPLE_HEAVY, title_justify="left", pad_edge=False)
    table.add_column("node", no_wrap=True)
    table.add_column("name", no_wrap=True)
    table.add_column("op", no_wrap=True)
    table.add_column("expression", overflow="fold", min_width=12)
    table.add_column("inputs", overflow="fold")
    table.add_column("value", justify="right", no_wrap=True)
    table.add_column(f"∂{out_name}/∂node", justify="right", no_wrap=True)
    exact_values, exact_grads = exact or ([None] * len(graph), [None] * len(graph))
    rows = range(len(graph))
    hidden = 0
    if not show_all and len(graph) > HEAD_ROWS + TAIL_ROWS + 1:
        hidden = len(graph) - HEAD_ROWS - TAIL_ROWS
        rows = [*range(HEAD_ROWS), *range(len(graph) - TAIL_ROWS, len(graph))]
    texts = graph.texts
    for index in rows:
        if hidden and index == len(graph) - TAIL_ROWS:
            table.add_row("…", "", "", Text(f"{hidden:,} more nodes (--all shows every row)",
                                            style="italic"), "", "", "")
        node = graph.nodes[index]
        style = "output" if index == evaluation.output else node.op
        grad = evaluation.grads[index]
        table.add_row(
            Text(node.id, style=_STYLE.get(style, "")),
            node.name or "",
            node.op,
            texts[index],
            ", ".join(graph.nodes[a].label for a in node.inputs),
            format_with_exact(evaluation.values[index], exact_values[index], digits),
            Text(format_with_exact(grad, exact_grads[index], digits),
                 style="dim" if grad == 0 and graph.varying[index] else ""),
        )
    return table


def summary(evaluation: Evaluation, exact_grads: Sequence[str | None] | None = None,
            digits: int = DEFAULT_DIGITS) -> Group:
    """`f = -20` and one `∂f/∂x = -4` line per input, then any notes on kinks."""
    graph = evaluation.graph
    out = graph.output_name(evaluation.output)
    lines = [Text.assemble((f"{out} = ", "bold"),
                           (format_number(evaluation.value, digits), "bold magenta"))]
    for name in graph.input_names:
        index = graph.names[name]
        grad = format_with_exact(evaluation.grads[index],
                                 exact_grads[index] if exact_grads else None, digits)
        lines.append(Text.assemble(f"∂{out}/∂{name} = ", (grad, "bold")))
    for note in evaluation.notes:
        lines.append(Text(f"note: {note}", style="yellow"))
    return Group(*lines)


def print_evaluation(console: Console, evaluation: Evaluation, *, digits: int = DEFAULT_DIGITS,
                     exact: tuple[Sequence[str | None], Sequence[str | None]] | None = None,
                     show_all: bool = False) -> None:
    console.print(evaluation_table(evaluation, exact, digits, show_all))
    console.print(summary(evaluation, exact[1] if exact else None, digits))
