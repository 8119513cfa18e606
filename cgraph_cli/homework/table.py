"""Grade a backprop table worked by hand: every node's value and gradient against the passes.

A student hands in rows `node,value,grad` (CSV with a header, or JSON); each filled cell is
compared with the forward value or the gradient d output / d node (relative `tol`), and a
wrong cell gets the reason it matches, tried in `_grad_slips` order: the error carried from
the student's own wrong cell above it, a sign, the upstream gradient passed down without the
local one (or the local one without the upstream), one fan-out path missing, the value of the
wrong input swapped in at a multiply. The reasons are checked numerically at the point: a
reason is given only when the student's number is what that slip produces.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from ..core.autodiff import Evaluation
from ..core.graph import CONST, INPUT, Graph
from ..core.numbers import format_number
from ..core.ops import OPS
from ..core.question import pose
from ..errors import EXIT_OK, EXIT_WRONG, InputError, UsageError
from .table_file import Entry

ROUNDING_TOL = 1e-3  # a wrong cell this close is probably rounded by hand: say so


@dataclass(frozen=True)
class Cell:
    """One graded cell: `kind` is "value" or "grad"."""

    node: str
    id: str
    kind: str
    given: float
    expected: float
    correct: bool
    mistake: str | None = None  # a key of SLIPS
    reason: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "node": self.node,
            "id": self.id,
            "cell": self.kind,
            "given": self.given,
            "expected": _finite(self.expected),
            "correct": self.correct,
            "mistake": self.mistake,
            "reason": self.reason,
        }


# Labels of the slips, for summaries.
SLIPS: dict[str, str] = {
    "carried": "error carried from a wrong cell above",
    "sign": "sign",
    "upstream_only": "upstream gradient without the local one",
    "local_only": "local gradient without the upstream one",
    "fan_out_path_missing": "fan-out path missing",
    "swapped_input": "wrong input's value at a multiply",
    "arguments_reversed": "arguments in the wrong order",
    "output_seed": "output gradient is not 1",
    "input_value": "input value copied wrong",
}


@dataclass(frozen=True)
class TableGrade:
    """Every graded cell of a table, in the order handed in."""

    cells: list[Cell]
    output: str
    inputs: Mapping[str, float]
    tol: float

    @property
    def correct(self) -> int:
        return sum(1 for cell in self.cells if cell.correct)

    @property
    def summary(self) -> str:
        return f"{self.correct}/{len(self.cells)} cells correct"

    @property
    def rounded(self) -> int:
        """Wrong cells within ROUNDING_TOL: rounded by hand rather than wrong."""
        return sum(
            1
            for cell in self.cells
            if not cell.correct
            and math.isclose(cell.given, cell.expected, rel_tol=ROUNDING_TOL, abs_tol=1e-12)
        )

    @property
    def exit_code(self) -> int:
        return EXIT_OK if self.correct == len(self.cells) else EXIT_WRONG

    def as_dict(self) -> dict[str, Any]:
        return {
            "summary": self.summary,
            "output": self.output,
            "values": dict(self.inputs),
            "tol": self.tol,
            "total": len(self.cells),
            "correct": self.correct,
            "wrong": len(self.cells) - self.correct,
            "cells": [cell.as_dict() for cell in self.cells],
        }


# --- grading -------------------------------------------------------------------------------


def grade_table(
    source: str, given: Mapping[str, float], entries: list[Entry], tol: float = 1e-6
) -> TableGrade:
    """Grade `entries` against the program at the point `given` (program defaults count)."""
    question = pose(source, given)
    graph, point = question.graph, question.evaluation
    if point is None:  # the point rule of core/question.py: no value anywhere is no point
        raise UsageError(
            "a backprop table is graded at a point: give the values it was worked at",
            "for example " + " ".join(f"--{name} 2" for name in graph.input_names[:3]),
        )
    rows = _resolve(graph, entries)
    student = _StudentCells(rows)
    cells: list[Cell] = []
    for index, entry in rows:
        for kind, given_number in (("value", entry.value), ("grad", entry.grad)):
            if given_number is not None:
                cells.append(_grade(point, index, entry, kind, given_number, student, tol))
    if not cells:
        raise InputError("the table has no numbers to grade", "fill in a value or grad column")
    return TableGrade(cells, graph.output_name(), dict(point.inputs), tol)


def _resolve(graph: Graph, entries: list[Entry]) -> list[tuple[int, Entry]]:
    """Each row's node index; a name given twice or not in the program is an error."""
    seen: dict[int, int] = {}
    rows = []
    for entry in entries:
        try:
            index = graph.index_of(entry.node)
        except UsageError as error:
            raise InputError(f"line {entry.line}: {error.message}", error.hint) from None
        if graph.nodes[index].op == CONST:
            raise InputError(f"line {entry.line}: `{entry.node}` is a constant, not a node to fill")
        if index in seen:
            raise InputError(
                f"line {entry.line}: `{entry.node}` is already on line {seen[index]}",
                "give each node one row",
            )
        seen[index] = entry.line
        rows.append((index, entry))
    return rows


class _StudentCells:
    """The student's numbers by node index, for errors carried from one cell to the next."""

    def __init__(self, rows: list[tuple[int, Entry]]) -> None:
        self.values = {index: e.value for index, e in rows if e.value is not None}
        self.grads = {index: e.grad for index, e in rows if e.grad is not None}


def _grade(
    point: Evaluation,
    index: int,
    entry: Entry,
    kind: str,
    given: float,
    student: _StudentCells,
    tol: float,
) -> Cell:
    expected = (point.values if kind == "value" else point.grads)[index]
    node_id = point.graph.nodes[index].id
    if _close(expected, given, tol):
        return Cell(entry.node, node_id, kind, given, expected, True)
    slips = _value_slips if kind == "value" else _grad_slips
    for mistake, produced, reason in slips(point, index, student):
        if (
            produced is not None
            and not _close(expected, produced, tol)
            and _close(produced, given, tol)
        ):
            return Cell(entry.node, node_id, kind, given, expected, False, mistake, reason)
    return Cell(entry.node, node_id, kind, given, expected, False)


def _differs(right: list[float], theirs: Mapping[int, float], index: int) -> bool:
    """Whether the student filled in this node's cell with a wrong number."""
    return index in theirs and not _close(right[index], theirs[index], 1e-9)


def _close(expected: float, given: float, tol: float) -> bool:
    if not (math.isfinite(expected) and math.isfinite(given)):
        return False
    return math.isclose(expected, given, rel_tol=tol, abs_tol=1e-12)


_Slip = tuple[str, float | None, str]


def _n(value: float) -> str:
    return format_number(value, 6)


def usual_slips(point: Evaluation, index: int, kind: str) -> Iterator[_Slip]:
    """(mistake, the number it produces, reason) for one cell worked with nothing wrong around
    it: the quiz of `cgraph page` asks for cells one at a time."""
    slips = _value_slips if kind == "value" else _grad_slips
    return slips(point, index, _StudentCells([]))


def _grad_slips(point: Evaluation, index: int, student: _StudentCells) -> Iterator[_Slip]:
    """What the usual slips make of d output / d node, each with its reason."""
    graph, grads, values = point.graph, point.grads, point.values
    node = graph.nodes[index]
    expected = grads[index]
    name = f"∂{graph.output_name()}/∂{node.label}"
    if index == point.output:
        yield "output_seed", None, ""
        return
    uses = [
        (user, position)
        for user in dict.fromkeys(graph.consumers[index])
        for position, arg in enumerate(graph.nodes[user].inputs)
        if arg == index and user <= point.output
    ]

    def local(use: tuple[int, int]) -> float:
        return point.partials[use[0]][use[1]]

    def label(user: int) -> str:
        return f"∂{graph.output_name()}/∂{graph.nodes[user].label}"

    wrong_above = [
        u for u, _ in uses if u in student.grads and not _close(grads[u], student.grads[u], 1e-9)
    ]
    if wrong_above:
        carried = sum(student.grads.get(u, grads[u]) * local((u, p)) for u, p in uses)
        above = ", ".join(f"{label(u)} = {_n(student.grads[u])}" for u in wrong_above)
        yield (
            "carried",
            carried,
            f"follows from your {above}, which is wrong: the local step is right, "
            "the error is carried down",
        )
    yield "sign", -expected, f"the sign is wrong: {name} = {_n(expected)}"
    upstream = sum(grads[u] for u, _ in uses)
    locals_ = sum(local(use) for use in uses)
    first = uses[0][0] if uses else index
    yield (
        "upstream_only",
        upstream,
        f"the upstream gradient {label(first)} = {_n(upstream)} was passed down without "
        f"multiplying by the local gradient ∂{graph.nodes[first].label}/∂{node.label}"
        f" = {_n(locals_)}",
    )
    yield (
        "local_only",
        locals_,
        f"the local gradient ∂{graph.nodes[first].label}/∂{node.label} = {_n(locals_)} was "
        f"not multiplied by the upstream gradient {label(first)} = {_n(upstream)}",
    )
    if len(uses) >= 2:
        for use in uses:
            part = grads[use[0]] * local(use)
            yield (
                "fan_out_path_missing",
                expected - part,
                f"{node.label} feeds {len(uses)} places; the path through "
                f"{graph.nodes[use[0]].label} ({_n(part)}) was not added: at a fan-out "
                "the gradients add up",
            )
    for user, position in uses:
        consumer = graph.nodes[user]
        if consumer.op != "mul":
            continue
        other = consumer.inputs[1 - position]
        swapped = expected - grads[user] * values[other] + grads[user] * values[index]
        yield (
            "swapped_input",
            swapped,
            f"at the multiply {graph.texts[user]}, ∂{consumer.label}/∂{node.label} is the "
            f"other input, {graph.nodes[other].label} = {_n(values[other])}, not "
            f"{node.label}'s own value {_n(values[index])}: a multiply swaps its inputs",
        )


def _value_slips(point: Evaluation, index: int, student: _StudentCells) -> Iterator[_Slip]:
    """What the usual slips make of a node's forward value."""
    graph, values = point.graph, point.values
    node = graph.nodes[index]
    expected = values[index]
    if node.op == INPUT:
        yield "input_value", math.inf, ""
        return
    args = [values[a] for a in node.inputs]
    wrong_below = [
        a
        for a in node.inputs
        if a in student.values and not _close(values[a], student.values[a], 1e-9)
    ]
    if wrong_below:
        theirs = [student.values.get(a, values[a]) for a in node.inputs]
        names = ", ".join(f"{graph.nodes[a].label} = {_n(student.values[a])}" for a in wrong_below)
        yield (
            "carried",
            _apply(node.op, theirs),
            f"follows from your {names}, which is wrong: the step is right, the error is "
            "carried forward",
        )
    yield "sign", -expected, f"the sign is wrong: {node.label} = {_n(expected)}"
    if len(args) == 2 and node.op in ("sub", "div", "pow"):
        yield (
            "arguments_reversed",
            _apply(node.op, args[::-1]),
            f"the arguments of {graph.texts[index]} are in the wrong order",
        )


def _apply(op_name: str, args: list[float]) -> float | None:
    try:
        return float(OPS[op_name].forward(*args))
    except (ArithmeticError, ValueError):
        return None


def _finite(value: float) -> float | None:
    return float(value) if math.isfinite(value) else None
