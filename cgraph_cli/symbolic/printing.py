"""Formulas for people: SymPy results as terminal pictures, one-line text and LaTeX, and the
`cgraph diff` view built from them.

SymPy's pretty printer draws fractions and powers over several lines; a formula too wide for
the terminal (or too big to be worth drawing) falls back to one line, which the terminal wraps.
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from typing import Any

from ..core.autodiff import Evaluation
from ..core.numbers import DEFAULT_DIGITS, format_number, format_with_exact
from .derivatives import Derivatives, sympy_module

PRETTY_MAX_OPS = 80  # bigger formulas are not drawn: one line is easier to read (and faster)
DEFAULT_WIDTH = 100  # when the terminal width is unknown


def terminal_width() -> int:
    return shutil.get_terminal_size((DEFAULT_WIDTH, 24)).columns


# --- single formulas -----------------------------------------------------------------------


def one_line(expr: Any, fast: bool = False) -> str:
    """SymPy's own text (`2*x*cos(x**2)`), which cgraph's parser reads back. `fast` keeps
    SymPy's internal order of terms (`1 + x**2 + 2*x`): 2.5 times quicker on big results."""
    return sympy_module().sstr(expr, order="none" if fast else None)


def latex(expr: Any) -> str:
    return sympy_module().latex(expr)


def symbol_latex(name: str) -> str:
    """A variable's name as LaTeX: `w1` -> `w_{1}`, `alpha` -> `\\alpha`."""
    sp = sympy_module()
    return sp.latex(sp.Symbol(name))


def partial_text(top: str, bottom: str) -> str:
    return f"∂{top}/∂{bottom}"


def partial_latex(top: str, bottom: str) -> str:
    return rf"\frac{{\partial {symbol_latex(top)}}}{{\partial {symbol_latex(bottom)}}}"


def number_latex(value: float | None, digits: int = DEFAULT_DIGITS) -> str:
    """`-4`, `0.25`, `1.5 \\cdot 10^{-7}`: format_number's digits in LaTeX."""
    text = format_number(value, digits)
    if "e" not in text:
        return text if text != "undefined" else r"\text{undefined}"
    mantissa, exponent = text.split("e")
    return rf"{mantissa} \cdot 10^{{{int(exponent)}}}"


def equation(label: str, expr: Any, tail: str = "", width: int | None = None) -> str:
    """`label expr tail` in the terminal: drawn by SymPy's pretty printer (label and tail on
    its baseline) when it is small and fits the width, else on one line."""
    sp = sympy_module()
    width = terminal_width() if width is None else width
    if sp.count_ops(expr) <= PRETTY_MAX_OPS:
        from sympy.printing.pretty.pretty import PrettyPrinter
        from sympy.printing.pretty.stringpict import prettyForm

        form = PrettyPrinter({"use_unicode": True, "wrap_line": False})._print(expr)
        form = prettyForm(*form.left(label))
        cases = expr.has(sp.Piecewise)  # `for x = y = 0.5` would misread: value goes below
        if not cases:
            form = prettyForm(*form.right(tail))
        lines = [line.rstrip() for line in form.render(wrap_line=False).split("\n")]
        if cases and tail:
            lines.append(" " * (len(label) - 2) + tail.lstrip())  # `=` under the label's
        if max(len(line) for line in lines) <= width:
            return "\n".join(lines)
    return f"{label}{one_line(expr)}{tail}"


# --- the diff view -------------------------------------------------------------------------


def derivatives_text(
    result: Derivatives,
    output: str,
    evaluation: Evaluation | None = None,
    exact: Sequence[str | None] | None = None,
    digits: int = DEFAULT_DIGITS,
    width: int | None = None,
) -> str:
    """One equation per derivative (`∂f/∂x = z = -4` with values), the steps they use, notes."""
    blocks = []
    for item in result.items:
        tail = _value_tail(item, evaluation, exact, digits)
        blocks.append(equation(f"{partial_text(output, item.wrt)} = ", item.expr, tail, width))
    text = "\n".join(blocks)
    if result.steps:
        text += "\n\nwhere (the program's own steps; --inputs writes everything in the inputs)"
        text += "".join(
            "\n" + _indent(equation(f"{name} = ", expr, width=width)) for name, expr in result.steps
        )
    if evaluation is not None and evaluation.notes:
        text += "".join(f"\nnote: {note}" for note in evaluation.notes)
    return text


def derivatives_latex(
    result: Derivatives,
    output: str,
    evaluation: Evaluation | None = None,
    digits: int = DEFAULT_DIGITS,
) -> str:
    """One LaTeX equation per line: `\\frac{\\partial f}{\\partial x} = z = -4`."""
    lines = []
    for item in result.items:
        line = f"{partial_latex(output, item.wrt)} = {latex(item.expr)}"
        value = _value(item, evaluation)
        if value is not None and not item.expr.is_number:
            line += f" = {number_latex(value, digits)}"
        lines.append(line)
    where = r"\text{where } "
    lines.extend(
        f"{'' if k else where}{symbol_latex(name)} = {latex(expr)}"
        for k, (name, expr) in enumerate(result.steps)
    )
    if evaluation is not None:
        lines.extend(rf"% note: {note}" for note in evaluation.notes)
    return "\n".join(lines)


def _value(item: Any, evaluation: Evaluation | None) -> float | None:
    return None if evaluation is None else evaluation.grads[item.index]


def _value_tail(
    item: Any, evaluation: Evaluation | None, exact: Sequence[str | None] | None, digits: int
) -> str:
    """` = -4` (and the exact form) after a derivative, unless it is that number already."""
    value = _value(item, evaluation)
    if value is None:
        return ""
    shown = format_with_exact(value, exact[item.index] if exact else None, digits)
    if item.expr.is_number and one_line(item.expr) == format_number(value, digits):
        return ""
    return f" = {shown}"


def _indent(text: str, prefix: str = "  ") -> str:
    return "\n".join(prefix + line for line in text.split("\n"))
