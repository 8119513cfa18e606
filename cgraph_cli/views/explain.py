"""The backward pass as a textbook walks it, in text, Markdown or LaTeX.

Forward values first, then the chain rule from the output back to the inputs in reverse
topological order: `∂f/∂f = 1`, one line per node's gradient with its edges written out
(`∂f/∂x = ∂f/∂q · ∂q/∂x = (-4)(1) = -4`), a fan-out as the sum of its paths, each local
gradient in symbols beside its number. Without values the walk is symbolic: every gradient in
terms of the program's names (`∂f/∂x = ∂f/∂q · ∂q/∂x = (z)(1) = z`).

Unnamed intermediate nodes go by their ids (`n2 = x^2`), as in the `eval` table.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from ..core.autodiff import Evaluation
from ..core.graph import CONST, INPUT, Graph
from ..core.numbers import DEFAULT_DIGITS, format_number
from ..core.ops import OPS
from ..errors import TooComplex
from ..symbolic.derivatives import constant, local_partial, sympy_module
from ..symbolic.printing import number_latex, partial_latex, partial_text, symbol_latex

EXPLAIN_MAX_OPS = 200  # a walk longer than this is read by nobody; `eval` lists every gradient
SYMBOLIC_MAX_OPS = 40  # without values: symbolic gradients grow with every reuse of a step
SYMBOLIC_MAX_TERM = 200  # ... and one longer than this (in SymPy ops) stops the walk
_NEED_VALUES = "give values (as --x 2) for a walk with numbers"


# How the common gates pass a gradient back, in the words textbooks use for them.
GATE_PATTERNS = {
    "add": ("add distributes", "the upstream gradient passes unchanged to each input"),
    "sub": ("subtract distributes", "the upstream gradient passes unchanged, negated on the right"),
    "neg": ("negation flips", "the upstream gradient passes with its sign flipped"),
    "mul": ("multiply swaps", "each input gets the upstream gradient times the other input"),
    "max": ("max routes", "the whole gradient goes to the larger input, none to the others"),
    "min": ("min routes", "the whole gradient goes to the smaller input, none to the others"),
    "relu": ("relu gates", "the gradient passes where the input is positive, else none"),
}
FAN_OUT = "a fan-out accumulates"


class Format(StrEnum):
    text = "text"
    markdown = "markdown"
    latex = "latex"


@dataclass(frozen=True)
class Term:
    """One path into a node: d out / d consumer times d consumer / d node."""

    consumer: int
    local: Any  # the local gradient in symbols (SymPy), in the consumer's argument names
    upstream: Any  # d out / d consumer: a float, or SymPy in symbolic mode
    local_value: Any  # the local gradient's float, or the same SymPy form in symbolic mode


@dataclass(frozen=True)
class Step:
    """One node's gradient, the sum of its terms."""

    node: int
    terms: list[Term]
    total: Any  # a float, or a SymPy expression in symbolic mode


@dataclass(frozen=True)
class Walk:
    """Everything a view needs: the forward lines and the backward steps in order."""

    graph: Graph
    output: int
    evaluation: Evaluation | None  # None: symbolic
    forward: list[int]  # nodes shown in the forward pass, topological order
    steps: list[Step]  # reverse topological order, the output first (its terms empty)

    @property
    def symbolic(self) -> bool:
        return self.evaluation is None


# --- the walk ------------------------------------------------------------------------------


def walk(graph: Graph, evaluation: Evaluation | None = None, output: int | None = None) -> Walk:
    """The chain rule from the output back, at the evaluation's point (or in symbols)."""
    target = (
        evaluation.output
        if evaluation is not None
        else (graph.output if output is None else output)
    )
    shown = _relevant(graph, target)
    ops = sum(1 for i in shown if graph.nodes[i].op != INPUT)
    if ops > EXPLAIN_MAX_OPS:
        raise TooComplex(
            f"the program has {ops:,} operations; explain walks at most {EXPLAIN_MAX_OPS}",
            "`cgraph eval` lists every node's gradient",
        )
    if evaluation is None and ops > SYMBOLIC_MAX_OPS:
        raise TooComplex(
            f"the program has {ops:,} operations; a symbolic walk takes at most {SYMBOLIC_MAX_OPS}",
            _NEED_VALUES,
        )
    symbols = _label_symbols(graph, target)
    order = _backward_order(graph, target, set(shown))
    steps = _steps(graph, target, order, symbols, evaluation)
    return Walk(graph, target, evaluation, sorted(shown), steps)


def _relevant(graph: Graph, output: int) -> list[int]:
    """Non-constant nodes the output depends on: the ones with a gradient to explain."""
    needed = {output}
    for index in range(output, -1, -1):
        if index in needed:
            needed.update(a for a in graph.nodes[index].inputs if graph.varying[a])
    return [i for i in needed if i == output or (graph.nodes[i].op != CONST and graph.varying[i])]


def _label_symbols(graph: Graph, output: int) -> list[Any]:
    """Each node as the symbol it is called by (its name or id); constants as exact numbers."""
    sp = sympy_module()
    return [
        constant(node.text or "", node.value)
        if node.op == CONST  # type: ignore[arg-type]
        else sp.Symbol(node.label, real=True)
        for node in graph.nodes[: output + 1]
    ]


def _backward_order(graph: Graph, output: int, shown: set[int]) -> list[int]:
    """Reverse topological order, breadth first from the output: a node comes once all its
    consumers have, and the arguments of one op come together (q, then z; then x, y)."""
    pending = dict.fromkeys(shown, 0)
    for index in shown:
        for arg in graph.nodes[index].inputs:
            if arg in shown:
                pending[arg] += 1
    order, queue = [], deque([output])
    while queue:
        index = queue.popleft()
        order.append(index)
        for arg in graph.nodes[index].inputs:
            if arg in pending:
                pending[arg] -= 1
                if pending[arg] == 0:
                    queue.append(arg)
    return order


def _steps(
    graph: Graph, output: int, order: list[int], symbols: list[Any], evaluation: Evaluation | None
) -> list[Step]:
    sp = sympy_module()
    terms: dict[int, list[Term]] = {i: [] for i in order}
    totals: dict[int, Any] = {}
    steps = []
    for index in order:
        if index == output:
            totals[index] = 1.0 if evaluation is not None else sp.Integer(1)
        elif evaluation is not None:
            totals[index] = evaluation.grads[index]
        else:
            totals[index] = _symbolic_total(sp, graph, index, terms[index])
        steps.append(Step(index, sorted(terms[index], key=lambda t: t.consumer), totals[index]))
        node = graph.nodes[index]
        args = [symbols[a] for a in node.inputs]
        for position, arg in enumerate(node.inputs):
            if arg not in terms:
                continue
            local = local_partial(node.op, position, args, symbols[index])
            local_value = (
                evaluation.local_grads[index][position] if evaluation is not None else local
            )
            terms[arg].append(Term(index, local, totals[index], local_value))
    return steps


def _symbolic_total(sp: Any, graph: Graph, index: int, terms: list[Term]) -> Any:
    """The sum of a node's paths in symbols, refused once it is too long to read."""
    total = sp.Add(*[t.upstream * t.local for t in terms])
    if sp.count_ops(total) > SYMBOLIC_MAX_TERM:
        raise TooComplex(
            f"the symbolic gradient of {graph.nodes[index].label} runs past "
            f"{SYMBOLIC_MAX_TERM} operations",
            _NEED_VALUES,
        )
    return sp.factor_terms(total)


# --- rendering -----------------------------------------------------------------------------


def render(result: Walk, fmt: Format = Format.text, digits: int = DEFAULT_DIGITS) -> str:
    writer = {Format.text: _Text, Format.markdown: _Markdown, Format.latex: _Latex}[fmt]
    return writer(result, digits).render()


def node_lines(result: Walk, digits: int = DEFAULT_DIGITS) -> tuple[dict[int, str], dict[int, str]]:
    """The text lines `render` prints, keyed by node: forward (`q = x + y = 5`) and backward
    (`∂f/∂x = ∂f/∂q · ∂q/∂x = (-4)(1) = -4   where ...`), for views that show one at a time."""
    writer = _Text(result, digits)
    forward = {i: line for i in result.forward if (line := writer.forward_line(i)) is not None}
    backward = {step.node: writer.step(step) for step in result.steps}
    return forward, backward


class _Text:
    """Plain text; the other formats change how lines are wrapped and how math is written."""

    def __init__(self, result: Walk, digits: int) -> None:
        self.walk = result
        self.graph = result.graph
        self.digits = digits
        self.out = self.graph.nodes[result.output].label

    # pieces a format may override

    def partial(self, top: str, bottom: str) -> str:
        return partial_text(top, bottom)

    def formula(self, expr: Any) -> str:
        return plain(expr)

    def number(self, value: Any) -> str:
        if value is None or isinstance(value, float | int):
            return format_number(value, self.digits)
        return self.formula(value)

    def written(self, index: int) -> str:
        return written(self.graph, index)

    dot, sum_dot = " · ", "·"

    # the document

    def render(self) -> str:
        lines = [
            self.heading("Forward pass"),
            *self.forward_lines(),
            "",
            self.heading(self.backward_title()),
            *self.backward_lines(),
        ]
        notes = self.walk.evaluation.notes if self.walk.evaluation is not None else []
        if notes:
            lines += ["", *[self.note(note) for note in notes]]
        return "\n".join(lines)

    def heading(self, title: str) -> str:
        return title

    def backward_title(self) -> str:
        title = f"Backward pass, from {self.out} back to the inputs"
        if self.walk.symbolic:
            title += " (symbolic: give values, as --x 2, for numbers)"
        return title

    def item(self, body: str) -> str:
        return "  " + body

    def note(self, note: str) -> str:
        return f"note: {note}"

    def forward_lines(self) -> list[str]:
        lines = [self.forward_line(index) for index in self.walk.forward]
        return [self.item(line) for line in lines if line is not None]

    def forward_line(self, index: int) -> str | None:
        """`q = x + y = 5`; None for an input without a value (nothing to say)."""
        evaluation = self.walk.evaluation
        node = self.graph.nodes[index]
        parts = [self.symbol(node.label)]
        if node.op not in (INPUT, CONST):
            parts.append(self.written(index))
        if evaluation is not None:
            parts.append(self.number(evaluation.values[index]))
        return self.equals(parts) if len(parts) > 1 else None

    def symbol(self, name: str) -> str:
        return name

    def equals(self, parts: list[str]) -> str:
        """`a = b = c`, dropping a part equal to the one before it."""
        kept = [parts[0]]
        for part in parts[1:]:
            if part != kept[-1]:
                kept.append(part)
        return " = ".join(kept)

    def backward_lines(self) -> list[str]:
        return [self.item(self.step(step)) for step in self.walk.steps]

    def step(self, step: Step) -> str:
        node = self.graph.nodes[step.node]
        left = self.partial(self.out, node.label)
        if not step.terms:
            return self.equals([left, self.number(step.total)])
        if len(step.terms) == 1 and step.terms[0].consumer == self.walk.output:
            term = step.terms[0]
            return self.equals([left, self.formula(term.local), self.number(step.total)])
        chain = [self.link(term, node.label, len(step.terms) > 1) for term in step.terms]
        factors = [f"({self.number(t.upstream)})({self.number(t.local_value)})" for t in step.terms]
        parts = [left, " + ".join(chain), _plus(factors)]
        if len(step.terms) > 1:
            parts.append(_plus([self.number(self.product(t)) for t in step.terms]))
        parts.append(self.number(step.total))
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
        """`   where ∂q/∂x = 1`: the local gradients behind the numbers, in symbols."""
        shown = []
        for term in step.terms:
            consumer = self.graph.nodes[term.consumer].label
            parts = [self.partial(consumer, label), self.formula(term.local)]
            if not self.walk.symbolic:
                parts.append(self.number(term.local_value))
            shown.append(self.equals(parts))
        return self.where(", ".join(dict.fromkeys(shown)))

    def where(self, text: str) -> str:
        return f"   where {text}"


class _Markdown(_Text):
    """Headings in bold, one bullet per line, formulas in code spans."""

    def heading(self, title: str) -> str:
        return f"**{title}**\n"

    def item(self, body: str) -> str:
        return f"- {body}"

    def equals(self, parts: list[str]) -> str:
        return f"`{super().equals(parts)}`"

    def where(self, text: str) -> str:
        return f", where {text}"

    def note(self, note: str) -> str:
        return f"> **Note:** {note}"

    def render(self) -> str:
        return super().render().replace("\n\n\n", "\n\n")


class _Latex(_Text):
    """Two align* environments; notes as italic text."""

    dot = sum_dot = r" \cdot "

    def partial(self, top: str, bottom: str) -> str:
        return partial_latex(top, bottom)

    def formula(self, expr: Any) -> str:
        return sympy_module().latex(expr)

    def number(self, value: Any) -> str:
        if value is None or isinstance(value, float | int):
            return number_latex(value, self.digits)
        return self.formula(value)

    def symbol(self, name: str) -> str:
        return symbol_latex(name)

    def written(self, index: int) -> str:
        return written_latex(self.graph, index)

    def heading(self, title: str) -> str:
        return rf"\noindent\textbf{{{_escape(title)}}}"

    def item(self, body: str) -> str:
        return body

    def equals(self, parts: list[str]) -> str:
        kept = super().equals(parts)
        return kept.replace(" = ", " &= ", 1)

    def where(self, text: str) -> str:
        return rf" && \text{{where }} {text}"

    def locals(self, step: Step, label: str) -> str:
        return super().locals(step, label).replace(" &= ", " = ")

    def note(self, note: str) -> str:
        return rf"\noindent\textit{{Note: {_escape(note)}}}"

    def forward_lines(self) -> list[str]:
        return _align(super().forward_lines())

    def backward_lines(self) -> list[str]:
        return _align(super().backward_lines())


def _align(lines: list[str]) -> list[str]:
    body = [line + r" \\" for line in lines[:-1]] + lines[-1:]
    return [r"\begin{align*}", *body, r"\end{align*}"]


def _escape(text: str) -> str:
    for char in "\\&%$#_{}":
        text = text.replace(char, "\\" + char)
    return text


def _plus(texts: list[str]) -> str:
    """`6 + 27`, `6 - 27` (not `6 + -27`)."""
    out = texts[0]
    for text in texts[1:]:
        out += f" - {text[1:]}" if text.startswith("-") else f" + {text}"
    return out


# --- formulas in the program's own words ---------------------------------------------------


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
    name = rf"\{op}" if op in _LATEX_FUNCTIONS else rf"\operatorname{{{_escape(op)}}}"
    return rf"{name}\left({', '.join(parts)}\right)"


def _atom_latex(graph: Graph, index: int) -> str:
    node = graph.nodes[index]
    if node.op == CONST:
        text = {"pi": r"\pi", "-pi": r"-\pi"}.get(node.text or "", node.text or "")
        return f"\\left({text}\\right)" if text.startswith("-") else text
    return symbol_latex(node.label)
