"""The explanation as plain text: the writer every format builds on.

`TextWriter` walks the `chain.Walk` and writes each line; its small methods (`partial`,
`formula`, `equals`, `where`, ...) are the pieces a format changes (`explain_latex.py` writes
the maths in LaTeX, for LaTeX documents and Markdown). Unnamed intermediate nodes go by their
ids (`n2 = x^2`), as in the `eval` table.
"""

from __future__ import annotations

from typing import Any

from ..core.numbers import format_number
from ..symbolic.printing import partial_text
from .chain import FAN_OUT, GATE_PATTERNS, Step, Term, Walk, closed_forms
from .wording import plain, written

Forms = tuple[list[str | None], list[str | None]]  # exact (value, gradient) forms, by node


class TextWriter:
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
        return " = ".join(kept(parts))

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
        return plus(texts)

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
            name = gate_name(self.graph, term.consumer)
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
            name = gate_name(self.graph, term.consumer)
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


def kept(parts: list[str]) -> list[str]:
    """The parts of `a = b = c`, dropping a part equal to the one before it."""
    kept = [parts[0]]
    for part in parts[1:]:
        if part != kept[-1]:
            kept.append(part)
    return kept


def gate_name(graph: Any, consumer: int) -> str | None:
    pattern = GATE_PATTERNS.get(graph.nodes[consumer].op)
    return pattern[0] if pattern else None


def plus(texts: list[str]) -> str:
    """`6 + 27`, `6 - 27` (not `6 + -27`)."""
    out = texts[0]
    for text in texts[1:]:
        out += f" - {text[1:]}" if text.startswith("-") else f" + {text}"
    return out
