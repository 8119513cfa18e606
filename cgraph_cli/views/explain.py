"""The backward pass as a textbook walks it, in text, Markdown or LaTeX: the entry point.

Forward values first, then the chain rule from the output back to the inputs in reverse
topological order: `∂f/∂f = 1`, one line per node's gradient with its edges written out
(`∂f/∂x = ∂f/∂q · ∂q/∂x = (-4)(1) = -4`), a fan-out as the sum of its paths, each local
gradient in symbols beside its number and the gate pattern named (add distributes, multiply
swaps, max routes, a fan-out accumulates). Last, each input's gradient in closed form
(`∂L/∂w = 2·d·x = 8`). Without values the walk is symbolic: every gradient in terms of the
program's names.

The walk itself is `chain.py`; the writers are `explain_text.py` (plain text, the base) and
`explain_latex.py` (LaTeX and Markdown).
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from .chain import EXPLAIN_MAX_OPS, Walk, walk
from .explain_latex import LatexWriter, MarkdownWriter, document
from .explain_text import Forms, TextWriter
from .wording import plain

if TYPE_CHECKING:
    from ..core.question import Question

EXPLAIN_DIGITS = 4  # significant digits a reader can follow by hand; --digits shows more

__all__ = [
    "EXPLAIN_DIGITS",
    "EXPLAIN_MAX_OPS",
    "Format",
    "explanation",
    "node_lines",
    "plain",
    "render",
    "walk",
]


class Format(StrEnum):
    text = "text"
    markdown = "markdown"
    latex = "latex"


_WRITERS = {Format.text: TextWriter, Format.markdown: MarkdownWriter, Format.latex: LatexWriter}


def render(
    result: Walk,
    fmt: Format = Format.text,
    digits: int = EXPLAIN_DIGITS,
    *,
    exact: Forms | None = None,
    standalone: bool = False,
) -> str:
    """The whole explanation; `standalone` LaTeX is a document pdflatex compiles as it is."""
    body = _WRITERS[fmt](result, digits, exact).render()
    return document(body) if standalone and fmt is Format.latex else body


def explanation(
    question: Question,
    fmt: Format = Format.text,
    digits: int = EXPLAIN_DIGITS,
    *,
    exact: bool = True,
    standalone: bool = False,
) -> str:
    """`cgraph explain` (and the API's `explain`): the walk of the question, at its point with
    exact forms beside the decimals, or in symbols when it has no point."""
    from ..symbolic.exact import exact_forms

    evaluation = question.evaluation
    forms = exact_forms(evaluation) if exact and evaluation is not None else None
    return render(walk(question.graph, evaluation), fmt, digits, exact=forms, standalone=standalone)


def node_lines(result: Walk, digits: int = EXPLAIN_DIGITS) -> tuple[dict[int, str], dict[int, str]]:
    """The text lines `render` prints, keyed by node: forward (`q = x + y = 5`) and backward
    (`∂f/∂x = ∂f/∂q · ∂q/∂x = (-4)(1) = -4   where ...`), for views that show one at a time."""
    writer = TextWriter(result, digits)
    forward = {i: line for i in result.forward if (line := writer.forward_line(i)) is not None}
    backward = {step.node: writer.step(step) for step in result.steps}
    return forward, backward
