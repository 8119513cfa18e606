"""The backward pass as a textbook walks it, in text, Markdown or LaTeX.

Forward values first, then the chain rule from the output back to the inputs in reverse
topological order: `∂f/∂f = 1`, one line per node's gradient with its edges written out
(`∂f/∂x = ∂f/∂q · ∂q/∂x = (-4)(1) = -4`), a fan-out as the sum of its paths, each local
gradient in symbols beside its number and the gate pattern named (add distributes, multiply
swaps, max routes, a fan-out accumulates). Last, each input's gradient in closed form
(`∂L/∂w = 2·d·x = 8`). Without values the walk is symbolic: every gradient in terms of the
program's names. Markdown writes its maths as `$…$` (GitHub renders it); LaTeX as align*
environments, long lines broken, optionally a whole document that pdflatex compiles.

Unnamed intermediate nodes go by their ids (`n2 = x^2`), as in the `eval` table.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from ..core.numbers import format_number
from ..symbolic.printing import latex, number_latex, partial_latex, partial_text, symbol_latex
from .chain import (  # noqa: F401 - re-exported: explain is where callers look for the walk
    EXPLAIN_MAX_OPS,
    FAN_OUT,
    GATE_PATTERNS,
    SYMBOLIC_MAX_OPS,
    Step,
    Term,
    Walk,
    closed_forms,
    walk,
)
from .wording import escape_latex, plain, written, written_latex  # noqa: F401 - re-exported

LATEX_MAX_LINE = 220  # characters of LaTeX in a closed-form line that still fits the page
EXPLAIN_DIGITS = 4  # significant digits a reader can follow by hand; --digits shows more

Forms = tuple[list[str | None], list[str | None]]  # exact (value, gradient) forms, by node


class Format(StrEnum):
    text = "text"
    markdown = "markdown"
    latex = "latex"


def render(
    result: Walk,
    fmt: Format = Format.text,
    digits: int = EXPLAIN_DIGITS,
    *,
    exact: Forms | None = None,
    standalone: bool = False,
) -> str:
    """The whole explanation; `standalone` LaTeX is a document pdflatex compiles as it is."""
    writer = {Format.text: _Text, Format.markdown: _Markdown, Format.latex: _Latex}[fmt]
    body = writer(result, digits, exact).render()
    return _document(body) if standalone and fmt is Format.latex else body


def node_lines(result: Walk, digits: int = EXPLAIN_DIGITS) -> tuple[dict[int, str], dict[int, str]]:
    """The text lines `render` prints, keyed by node: forward (`q = x + y = 5`) and backward
    (`∂f/∂x = ∂f/∂q · ∂q/∂x = (-4)(1) = -4   where ...`), for views that show one at a time."""
    writer = _Text(result, digits)
    forward = {i: line for i in result.forward if (line := writer.forward_line(i)) is not None}
    backward = {step.node: writer.step(step) for step in result.steps}
    return forward, backward


class _Text:
    """Plain text; the other formats change how lines are wrapped and how math is written."""

    dot, sum_dot, times = " · ", "·", "·"
    local_separator = ", "

    def __init__(self, result: Walk, digits: int, exact: Forms | None = None) -> None:
        self.walk = result
        self.graph = result.graph
        self.digits = digits
        self.exact = exact
        self.out = self.graph.nodes[result.output].label

    # pieces a format may override

    def partial(self, top: str, bottom: str) -> str:
        return partial_text(top, bottom)

    def formula(self, expr: Any) -> str:
        return plain(expr)

    def closed(self, expr: Any) -> str:
        return plain(expr).replace("*", self.times)

    def number(self, value: Any) -> str:
        if value is None or isinstance(value, float | int):
            return format_number(value, self.digits)
        return self.formula(value)

    def with_exact(self, text: str, exact: str | None) -> str:
        return f"{text} (= {exact})" if exact and exact != text else text

    def written(self, index: int) -> str:
        return written(self.graph, index)

    def symbol(self, name: str) -> str:
        return name

    def inline(self, parts: list[str]) -> str:
        return " = ".join(_kept(parts))

    def equals(self, parts: list[str]) -> str:
        return self.inline(parts)

    def heading(self, title: str) -> str:
        return title

    def item(self, body: str) -> str:
        return "  " + body

    def note(self, note: str) -> str:
        return f"note: {note}"

    def where(self, text: str) -> str:
        return f"   where {text}"

    def gate(self, name: str) -> str:
        return f" ({name})"

    def aside(self, name: str) -> str:
        return f"   ({name})"

    def fan_out(self) -> str:
        return f"; {FAN_OUT}"

    def plus(self, texts: list[str]) -> str:
        """`6 + 27`, `6 - 27` (not `6 + -27`)."""
        return _plus(texts)

    # the document

    def render(self) -> str:
        lines = [
            self.heading("Forward pass"),
            *self.forward_lines(),
            "",
            self.heading(self.backward_title()),
            *self.backward_lines(),
        ]
        closing = self.closing_lines()
        if closing:
            lines += ["", self.heading("Each input's gradient in closed form"), *closing]
        notes = self.walk.evaluation.notes if self.walk.evaluation is not None else []
        if notes:
            lines += ["", *[self.note(note) for note in notes]]
        return "\n".join(lines)

    def backward_title(self) -> str:
        title = f"Backward pass, from {self.out} back to the inputs"
        if self.walk.symbolic:
            title += " (symbolic: give values, as --x 2, for numbers)"
        return title

    def forward_lines(self) -> list[str]:
        lines = [self.forward_line(index) for index in self.walk.forward]
        return [self.item(line) for line in lines if line is not None]

    def forward_line(self, index: int) -> str | None:
        """`q = x + y = 5`; None for an input without a value (nothing to say)."""
        evaluation = self.walk.evaluation
        node = self.graph.nodes[index]
        parts = [self.symbol(node.label)]
        if node.op not in ("input", "const"):
            parts.append(self.written(index))
        if evaluation is not None:
            exact = self.exact[0][index] if self.exact else None
            parts.append(self.with_exact(self.number(evaluation.values[index]), exact))
        return self.equals(parts) if len(parts) > 1 else None

    def backward_lines(self) -> list[str]:
        return [self.item(self.step(step)) for step in self.walk.steps]

    def total(self, step: Step) -> str:
        exact = self.exact[1][step.node] if self.exact and not self.walk.symbolic else None
        return self.with_exact(self.number(step.total), exact)

    def step(self, step: Step) -> str:
        node = self.graph.nodes[step.node]
        left = self.partial(self.out, node.label)
        if not step.terms:
            return self.equals([left, self.total(step)])
        if len(step.terms) == 1 and step.terms[0].consumer == self.walk.output:
            term = step.terms[0]
            name = _gate_name(self.graph, term.consumer)
            line = self.equals([left, self.formula(term.local), self.total(step)])
            return line + (self.aside(name) if name else "")
        many = len(step.terms) > 1
        chain = [self.link(term, node.label, many) for term in step.terms]
        factors = [f"({self.number(t.upstream)})({self.number(t.local_value)})" for t in step.terms]
        parts = [left, self.plus(chain), self.plus(factors)]
        if many:
            parts.append(self.plus([self.number(self.product(t)) for t in step.terms]))
        parts.append(self.total(step))
        return self.equals(parts) + self.locals(step, node.label)

    def link(self, term: Term, label: str, in_sum: bool) -> str:
        consumer = self.graph.nodes[term.consumer].label
        dot = self.sum_dot if in_sum else self.dot
        return f"{self.partial(self.out, consumer)}{dot}{self.partial(consumer, label)}"

    def product(self, term: Term) -> Any:
        if self.walk.symbolic:
            return term.upstream * term.local
        if term.upstream is None or term.local_value is None:
            return None
        return term.upstream * term.local_value

    def locals(self, step: Step, label: str) -> str:
        """`   where ∂q/∂x = 1 (add distributes)`: the local gradients behind the numbers, in
        symbols, each with its gate's pattern; a fan-out says that it accumulates."""
        shown = []
        for term in step.terms:
            consumer = self.graph.nodes[term.consumer].label
            parts = [self.partial(consumer, label), self.formula(term.local)]
            if not self.walk.symbolic:
                parts.append(self.number(term.local_value))
            name = _gate_name(self.graph, term.consumer)
            shown.append(self.inline(parts) + (self.gate(name) if name else ""))
        text = self.local_separator.join(dict.fromkeys(shown))
        return self.where(text + (self.fan_out() if len(step.terms) > 1 else ""))

    def closing_lines(self) -> list[str]:
        """`∂L/∂w = 2·d·x = 8` for each input: the gradient as one formula, then its value."""
        forms = closed_forms(self.walk)
        totals = {step.node: step for step in self.walk.steps}
        lines = []
        for index, form in sorted(forms.items()):  # inputs in the program's order
            parts = [self.partial(self.out, self.graph.nodes[index].label), self.closed(form)]
            if not self.walk.symbolic:
                parts.append(self.total(totals[index]))
            lines.append(self.item(self.equals(parts)))
        return lines


class _Latex(_Text):
    """Two align* environments (three with the closed forms); long lines broken into rows."""

    dot = sum_dot = times = r" \cdot "
    terms_per_row = 3  # terms of a sum per row: the A4 text width holds three chains
    local_separator = ", \\\\\n&\\qquad\\quad "  # one local gradient per row

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

    def heading(self, title: str) -> str:
        return rf"\noindent\textbf{{{_text_latex(title)}}}"

    def item(self, body: str) -> str:
        return body

    def equals(self, parts: list[str]) -> str:
        """`a &= b = c`; with more than three parts, one row per `=`."""
        kept = _kept(parts)
        if len(kept) <= 3:
            return kept[0] + " &= " + " = ".join(kept[1:]) if len(kept) > 1 else kept[0]
        return kept[0] + " &= " + "".join(f"{p} \\\\\n&= " for p in kept[1:-1]) + kept[-1]

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
        return " \\\\\n&\\quad + ".join(_plus(row) for row in rows)

    def note(self, note: str) -> str:
        return rf"\noindent\textit{{Note: {_text_latex(note)}}}"

    def forward_lines(self) -> list[str]:
        return _align(super().forward_lines())

    def backward_lines(self) -> list[str]:
        return _align(super().backward_lines())

    def closing_lines(self) -> list[str]:
        lines = [line for line in super().closing_lines() if len(line) <= LATEX_MAX_LINE]
        return _align(lines) if lines else []


class _Markdown(_Latex):
    """Bold headings, one bullet per line, maths as `$…$` (GitHub and most viewers render it)."""

    local_separator = ", "

    def heading(self, title: str) -> str:
        return f"**{title}**\n"

    def item(self, body: str) -> str:
        return f"- {body}"

    def inline(self, parts: list[str]) -> str:
        return f"${_Text.inline(self, parts)}$"

    def equals(self, parts: list[str]) -> str:
        return self.inline(parts)

    def plus(self, texts: list[str]) -> str:
        return _plus(texts)

    def where(self, text: str) -> str:
        return f", where {text}"

    def gate(self, name: str) -> str:
        return f" ({name})"

    def aside(self, name: str) -> str:
        return f" ({name})"

    def fan_out(self) -> str:
        return f"; {FAN_OUT}"

    def note(self, note: str) -> str:
        return f"> **Note:** {note}"

    def forward_lines(self) -> list[str]:
        return _Text.forward_lines(self)

    def backward_lines(self) -> list[str]:
        return _Text.backward_lines(self)

    def closing_lines(self) -> list[str]:
        return _Text.closing_lines(self)

    def render(self) -> str:
        return super().render().replace("\n\n\n", "\n\n")


def _kept(parts: list[str]) -> list[str]:
    """The parts of `a = b = c`, dropping a part equal to the one before it."""
    kept = [parts[0]]
    for part in parts[1:]:
        if part != kept[-1]:
            kept.append(part)
    return kept


def _gate_name(graph: Any, consumer: int) -> str | None:
    pattern = GATE_PATTERNS.get(graph.nodes[consumer].op)
    return pattern[0] if pattern else None


def _align(lines: list[str]) -> list[str]:
    body = [line + r" \\" for line in lines[:-1]] + lines[-1:]
    return [r"\begin{align*}", *body, r"\end{align*}"]


def _plus(texts: list[str]) -> str:
    """`6 + 27`, `6 - 27` (not `6 + -27`)."""
    out = texts[0]
    for text in texts[1:]:
        out += f" - {text[1:]}" if text.startswith("-") else f" + {text}"
    return out


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


def _document(body: str) -> str:
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
