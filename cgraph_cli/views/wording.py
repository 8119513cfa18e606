"""Formulas in the program's own words: a node as written (`q * z`, `x^{2}` in LaTeX) and
SymPy results as plain text with `^` for powers and readable kinks."""

from __future__ import annotations

from typing import Any

from ..core.graph import CONST, Graph
from ..core.ops import OPS
from ..symbolic.printing import symbol_latex


def escape_latex(text: str) -> str:
    """Text for LaTeX's text mode: its special characters escaped."""
    for char in "\\&%$#_{}":
        text = text.replace(char, "\\" + char)
    return text


def plain(expr: Any) -> str:
    """SymPy text with `^` for powers and readable kinks: `1 if x > 0 else 0`."""
    return _PlainPrinter().doprint(expr).replace("**", "^")


def _plain_printer_class() -> Any:
    from sympy.printing.str import StrPrinter

    class Plain(StrPrinter):  # type: ignore[misc]
        def _print_Piecewise(self, expr: Any) -> str:
            pieces = [
                f"{self._print(value)} if {self._print(cond)}" for value, cond in expr.args[:-1]
            ]
            last_value, last_cond = expr.args[-1]
            tail = (
                self._print(last_value)
                if last_cond == True  # noqa: E712 - SymPy's true, not Python truthiness
                else (f"{self._print(last_value)} if {self._print(last_cond)} else undefined")
            )
            return "(" + " else ".join([*pieces, tail]) + ")"

        def _print_Equality(self, expr: Any) -> str:
            return f"{self._print(expr.lhs)} = {self._print(expr.rhs)}"

    return Plain


class _PlainPrinter:
    """Built on first use, so that importing this module does not import SymPy's printers."""

    _class: Any = None

    def doprint(self, expr: Any) -> str:
        if _PlainPrinter._class is None:
            _PlainPrinter._class = _plain_printer_class()
        return _PlainPrinter._class().doprint(expr)


def written(graph: Graph, index: int) -> str:
    """A node in terms of its arguments' names, in the program's own order: `q * z`."""
    node = graph.nodes[index]
    parts = [_atom(graph, a) for a in node.inputs]
    spec = OPS[node.op]
    if spec.infix is not None:
        return spec.infix.join(parts)
    if node.op == "neg":
        return f"-{parts[0]}"
    return f"{node.op}({', '.join(parts)})"


def _atom(graph: Graph, index: int) -> str:
    label = graph.nodes[index].label
    return f"({label})" if label.startswith("-") else label


_LATEX_FUNCTIONS = {"sin", "cos", "tan", "exp", "log", "tanh", "sinh", "cosh"}


def written_latex(graph: Graph, index: int) -> str:
    """The same in LaTeX: `q \\cdot z`, `\\frac{a}{b}`, `x^{2}`, `\\operatorname{relu}(x)`."""
    node = graph.nodes[index]
    parts = [_atom_latex(graph, a) for a in node.inputs]
    op = node.op
    if op in ("add", "sub"):
        return f"{parts[0]} {'+' if op == 'add' else '-'} {parts[1]}"
    if op == "mul":
        return rf"{parts[0]} \cdot {parts[1]}"
    if op == "div":
        return rf"\frac{{{parts[0]}}}{{{parts[1]}}}"
    if op == "pow":
        return f"{parts[0]}^{{{parts[1]}}}"
    if op == "neg":
        return f"-{parts[0]}"
    if op == "sqrt":
        return rf"\sqrt{{{parts[0]}}}"
    if op == "abs":
        return rf"\left|{parts[0]}\right|"
    name = rf"\{op}" if op in _LATEX_FUNCTIONS else rf"\operatorname{{{escape_latex(op)}}}"
    return rf"{name}\left({', '.join(parts)}\right)"


def _atom_latex(graph: Graph, index: int) -> str:
    node = graph.nodes[index]
    if node.op == CONST:
        text = {"pi": r"\pi", "-pi": r"-\pi"}.get(node.text or "", node.text or "")
        return f"\\left({text}\\right)" if text.startswith("-") else text
    return symbol_latex(node.label)
