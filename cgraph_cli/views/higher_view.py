"""Higher derivatives for people: `diff --order N` as equations, LaTeX or JSON, and the
Hessian of `eval --order 2` as a table or JSON."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from rich import box
from rich.table import Table

from ..core.numbers import format_number
from ..symbolic.higher import Hessian


class Higher:
    """One higher derivative: its name (∂²f/∂x²), the variable, the order, the expression and
    its value at the point (None without a point or where undefined)."""

    def __init__(self, name: str, wrt: str, order: int, expr: Any, value: float | None) -> None:
        self.name, self.wrt, self.order, self.expr, self.value = name, wrt, order, expr, value


def higher_text(items: Sequence[Higher], digits: int, with_point: bool) -> str:
    """`∂²f/∂x² = 6⋅x = 12`: SymPy's picture of each derivative, and its number at the point."""
    from ..symbolic.printing import equation

    lines = []
    for item in items:
        tail = ""
        if with_point and not item.expr.is_number:
            tail = f" = {format_number(item.value, digits)}"
        lines.append(equation(f"{item.name} = ", item.expr, tail))
    return "\n".join(lines)


def higher_latex(items: Sequence[Higher], output: str, digits: int, with_point: bool) -> str:
    """`\\frac{\\partial^{2} f}{\\partial x^{2}} = 6 x`, one per line."""
    from ..symbolic.printing import latex, number_latex, symbol_latex

    lines = []
    for item in items:
        top = rf"\partial^{{{item.order}}} {symbol_latex(output)}"
        bottom = rf"\partial {symbol_latex(item.wrt)}^{{{item.order}}}"
        line = rf"\frac{{{top}}}{{{bottom}}} = {latex(item.expr)}"
        if with_point and not item.expr.is_number:
            line += f" = {number_latex(item.value, digits)}"
        lines.append(line)
    return "\n".join(lines)


def higher_document(
    items: Sequence[Higher], source: str, output: str, point: Mapping[str, float] | None
) -> dict[str, Any]:
    """The `diff --order N --json` object."""
    from ..symbolic.printing import one_line

    return {
        "expression": source,
        "output": output,
        "values": dict(point) if point is not None else None,
        "derivatives": [
            {
                "wrt": item.wrt,
                "order": item.order,
                "name": item.name,
                "expr": one_line(item.expr),
                **({"value": item.value} if point is not None else {}),
            }
            for item in items
        ],
    }


def hessian_table(hessian: Hessian, digits: int) -> Table:
    """Rows and columns by input; the cell in row x, column y is ∂²f/∂x∂y at the point."""
    table = Table(box=box.SIMPLE_HEAVY, pad_edge=False, show_edge=False)
    table.add_column("", no_wrap=True)
    for name in hessian.inputs:
        table.add_column(name, justify="right", no_wrap=True)
    for name, row in zip(hessian.inputs, hessian.matrix, strict=True):
        table.add_row(name, *[format_number(value, digits) for value in row])
    return table


def hessian_document(hessian: Hessian) -> dict[str, Any]:
    """`{"inputs": [...], "matrix": [[...]], "exprs": [[...]]}`: the Hessian in JSON."""
    from ..symbolic.printing import one_line

    return {
        "inputs": list(hessian.inputs),
        "matrix": [list(row) for row in hessian.matrix],
        "exprs": [[one_line(e) for e in row] for row in hessian.exprs],
    }
