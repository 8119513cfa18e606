"""What `cgraph diff` prints: each derivative as text, LaTeX or JSON, with its number at the
point when the question has one; the same three forms for higher derivatives (`--order N`)."""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from typing import Any

from ..core.question import Question, higher_sequence


class Format(StrEnum):
    text = "text"
    latex = "latex"
    json = "json"


def derivatives_view(
    result: Any,
    question: Question,
    fmt: Format,
    digits: int,
    exact: Sequence[str | None] | None = None,
    with_latex: bool = False,
) -> str:
    """First derivatives (`derivatives.derivatives`' result) in the chosen form; JSON carries
    LaTeX fields too when `with_latex`."""
    from ..symbolic.printing import derivatives_latex, derivatives_text
    from .report import derivatives_document, json_text

    graph, evaluation = question.graph, question.evaluation
    if fmt is Format.json:
        document = derivatives_document(result, graph, graph.output, evaluation, exact, with_latex)
        return json_text(document)
    if fmt is Format.latex:
        return derivatives_latex(result, graph.output_name(), evaluation, digits)
    return derivatives_text(result, graph.output_name(), evaluation, exact, digits)


def higher_view(
    question: Question, nodes: Sequence[int], order: int, fmt: Format, digits: int
) -> str:
    """`diff --order N`: the Nth derivative by each of `nodes`, with its number at the point."""
    from ..symbolic import higher
    from .higher_view import Higher, higher_document, higher_latex, higher_text
    from .report import json_text

    graph, evaluation = question.graph, question.evaluation
    point = dict(evaluation.inputs) if evaluation is not None else None
    output = graph.output_name()
    items = []
    for node in nodes:
        name = graph.nodes[node].label
        indices = higher_sequence(graph, name, order, question.spelling)
        expr = higher.higher_derivative(graph, indices)
        value = higher.value_at(expr, point) if point is not None else None
        items.append(Higher(higher.name(output, graph, indices), name, order, expr, value))
    if fmt is Format.json:
        return json_text(higher_document(items, graph.source, output, point))
    if fmt is Format.latex:
        return higher_latex(items, output, digits, point is not None)
    return higher_text(items, digits, point is not None)
