"""The explanation in LaTeX (align* environments, long lines broken, optionally a whole document
that pdflatex compiles) and in Markdown (maths as `$…$`, which GitHub renders).

Both write their maths the same way (`LatexMath`) and lay it out their own way over the plain
`TextWriter`.
"""

from __future__ import annotations

from typing import Any

from ..symbolic.printing import latex, number_latex, partial_latex, symbol_latex
from .chain import FAN_OUT
from .explain_text import TextWriter, kept, plus
from .wording import escape_latex, written_latex

LATEX_MAX_LINE = 220  # characters of LaTeX in a closed-form line that still fits the page


class LatexMath(TextWriter):
    """The maths of a line in LaTeX: partials, formulas, numbers, exact forms, names."""

    dot = sum_dot = times = r" \cdot "

    def partial(self, top: str, bottom: str) -> str:
        return partial_latex(top, bottom)

    def formula(self, expr: Any) -> str:
        return latex(expr)

    def closed(self, expr: Any) -> str:
        return self.formula(expr)

    def number(self, value: Any) -> str:
        if value is None or isinstance(value, float | int):
            return number_latex(value, self.digits)
        return self.formula(value)

    def with_exact(self, text: str, exact: str | None) -> str:
        if not exact or exact == text:
            return text
        return rf"{text} \; \left(= {_exact_latex(exact)}\right)"

    def symbol(self, name: str) -> str:
        return symbol_latex(name)

    def written(self, index: int) -> str:
        return written_latex(self.graph, index)


class LatexWriter(LatexMath):
    """Two align* environments (three with the closed forms); long lines broken into rows."""

    terms_per_row = 3  # terms of a sum per row: the A4 text width holds three chains
    local_separator = ", \\\\\n&\\qquad\\quad "  # one local gradient per row

    def heading(self, title: str) -> str:
        return rf"\noindent\textbf{{{_text_latex(title)}}}"

    def item(self, body: str) -> str:
        return body

    def equals(self, parts: list[str]) -> str:
        """`a &= b = c`; with more than three parts, one row per `=`."""
        shown = kept(parts)
        if len(shown) <= 3:
            return shown[0] + " &= " + " = ".join(shown[1:]) if len(shown) > 1 else shown[0]
        return shown[0] + " &= " + "".join(f"{p} \\\\\n&= " for p in shown[1:-1]) + shown[-1]

    def where(self, text: str) -> str:
        return " \\\\\n" + rf"&\qquad \text{{where }} {text}"

    def gate(self, name: str) -> str:
        return rf"\ \text{{({name})}}"

    def aside(self, name: str) -> str:
        return rf" \quad \text{{({name})}}"

    def fan_out(self) -> str:
        return "; \\\\\n" + rf"&\qquad \text{{{FAN_OUT}}}"

    def plus(self, texts: list[str]) -> str:
        size = self.terms_per_row
        rows = [texts[i : i + size] for i in range(0, len(texts), size)]
        return " \\\\\n&\\quad + ".join(plus(row) for row in rows)

    def note(self, note: str) -> str:
        return rf"\noindent\textit{{Note: {_text_latex(note)}}}"

    def forward_lines(self) -> list[str]:
        return _align(super().forward_lines())

    def backward_lines(self) -> list[str]:
        return _align(super().backward_lines())

    def closing_lines(self) -> list[str]:
        lines = [line for line in super().closing_lines() if len(line) <= LATEX_MAX_LINE]
        return _align(lines) if lines else []


class MarkdownWriter(LatexMath):
    """Bold headings, one bullet per line, maths as `$…$` (GitHub and most viewers render it)."""

    def heading(self, title: str) -> str:
        return f"**{title}**\n"

    def item(self, body: str) -> str:
        return f"- {body}"

    def inline(self, parts: list[str]) -> str:
        return f"${super().inline(parts)}$"

    def where(self, text: str) -> str:
        return f", where {text}"

    def aside(self, name: str) -> str:
        return f" ({name})"

    def note(self, note: str) -> str:
        return f"> **Note:** {note}"

    def render(self) -> str:
        return super().render().replace("\n\n\n", "\n\n")


def _align(lines: list[str]) -> list[str]:
    body = [line + r" \\" for line in lines[:-1]] + lines[-1:]
    return [r"\begin{align*}", *body, r"\end{align*}"]


_TEXT_SYMBOLS = {"∂": r"$\partial$", "·": r"$\cdot$", "−": "-", "½": "1/2", "≤": r"$\le$"}


def _text_latex(text: str) -> str:
    """Prose for LaTeX's text mode: special characters escaped, the few symbols notes use."""
    text = escape_latex(text)
    for char, symbol in _TEXT_SYMBOLS.items():
        text = text.replace(char, symbol)
    return text


def _exact_latex(exact: str) -> str:
    """An exact form (`sqrt(2)/2`, cgraph's own syntax) in LaTeX, read by cgraph's parser."""
    from ..core.graph import compile_program
    from ..symbolic.expressions import node_expressions

    try:
        graph = compile_program(exact)
        return latex(node_expressions(graph)[graph.output])
    except Exception:  # noqa: BLE001 - a form we cannot read is shown as typed
        return rf"\texttt{{{escape_latex(exact)}}}"


def document(body: str) -> str:
    """A whole article: amsmath for align*, wide text, display breaks across pages allowed."""
    return "\n".join(
        [
            r"\documentclass[11pt]{article}",
            r"\usepackage{amsmath}",
            r"\addtolength{\oddsidemargin}{-1.5cm}",
            r"\addtolength{\textwidth}{3cm}",
            r"\addtolength{\topmargin}{-1.5cm}",
            r"\addtolength{\textheight}{3cm}",
            r"\allowdisplaybreaks",
            r"\begin{document}",
            body,
            r"\end{document}",
            "",
        ]
    )
