"""Formulas in the program's own words: a node as written (`q * z`, `x^{2}` in LaTeX, both
from the op table); SymPy results print through symbolic/printing (`plain` is its `text`)."""

from __future__ import annotations

from ..core.graph import CONST, Graph
from ..core.ops import OPS, write_latex
from ..symbolic.printing import symbol_latex
from ..symbolic.printing import text as plain  # noqa: F401 - the one text printer, re-exported


def escape_latex(text: str) -> str:
    """Text for LaTeX's text mode: its special characters escaped."""
    for char in "\\&%$#_{}":
        text = text.replace(char, "\\" + char)
    return text


def written(graph: Graph, index: int) -> str:
    """A node in terms of its arguments' names, in the program's own order: `q * z`."""
    node = graph.nodes[index]
    parts = [_atom(graph, a) for a in node.inputs]
    spec = OPS[node.op]
    if spec.infix is not None:
        return spec.infix.join(parts)
    if spec.prefix is not None:
        return f"{spec.prefix}{parts[0]}"
    return f"{node.op}({', '.join(parts)})"


def _atom(graph: Graph, index: int) -> str:
    label = graph.nodes[index].label
    return f"({label})" if label.startswith("-") else label


def written_latex(graph: Graph, index: int) -> str:
    """The same in LaTeX, in the op table's form: `q \\cdot z`, `\\frac{a}{b}`, `x^{2}`."""
    node = graph.nodes[index]
    return write_latex(OPS[node.op], [_atom_latex(graph, a) for a in node.inputs])


def _atom_latex(graph: Graph, index: int) -> str:
    node = graph.nodes[index]
    if node.op == CONST:
        text = {"pi": r"\pi", "-pi": r"-\pi"}.get(node.text or "", node.text or "")
        return f"\\left({text}\\right)" if text.startswith("-") else text
    return symbol_latex(node.label)
