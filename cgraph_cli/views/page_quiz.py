"""The quiz: one blank per number a student works out, each with the answer and the wrong
answers a grader expects, with the reason for each; and the encoding that keeps them out of
plain sight in the page (XOR with a fixed key, then base64: not encryption)."""

from __future__ import annotations

import base64
import json
import math
from itertools import combinations

from ..core.numbers import format_number
from ..homework.table import usual_slips
from .chain import Step, Term, Walk

QUIZ_TOL = 1e-6  # relative tolerance of an answer, as `cgraph check`
MAX_SUBSET_TERMS = 8  # fan-outs up to this size get "a path is missing" reasons
QUIZ_KEY = b"cgraph-quiz"  # the XOR key; page.js holds the same bytes


def quiz_blanks(result: Walk, steps: list[dict], digits: int) -> list[dict]:
    """One blank per number a student works out, in step order: each operation's value, then
    each node's gradient at the step that completes it. With the answer and the usual wrong
    answers, each with the reason a grader would give."""
    evaluation = result.evaluation
    assert evaluation is not None
    blanks = []
    for number, step in enumerate(steps):
        if step["kind"] == "forward":
            index = step["nodes"][0]
            value = evaluation.values[index]
            blanks.append(
                _blank(number, index, "value", value, _mistakes(result, index, "value"), digits)
            )
        elif step["kind"] == "edge" and step["grads"][0][2]:
            index = step["nodes"][0]
            total = evaluation.grads[index]
            mistakes = _mistakes(result, index, "grad")
            blanks.append(_blank(number, index, "grad", total, mistakes, digits))
    return blanks


def _blank(
    step: int, node: int, what: str, answer: float, mistakes: list[tuple[float, str]], digits: int
) -> dict:
    return {
        "step": step,
        "node": node,
        "what": what,
        "answer": answer,
        "shown": format_number(answer, digits),
        "mistakes": _distinct(answer, mistakes),
    }


def _distinct(answer: float, mistakes: list[tuple[float, str]]) -> list[list]:
    """The first reason for each wrong number; none for a number that is the answer."""
    kept: list[list] = []
    for value, reason in mistakes:
        seen = [answer, *(k[0] for k in kept)]
        if math.isfinite(value) and not any(math.isclose(value, s, rel_tol=1e-9) for s in seen):
            kept.append([value, reason])
    return kept


# The table grader's slips (homework/table.py finds the numbers they produce), said without
# giving the answer away: the student tries again.
QUIZ_REASONS = {
    "sign": "the sign is wrong",
    "upstream_only": "that is the upstream gradient ∂{out}/∂{top} alone: multiply it by the "
    "local gradient ∂{top}/∂{me}",
    "local_only": "that is the local gradient ∂{top}/∂{me} alone: multiply it by the upstream "
    "gradient ∂{out}/∂{top}",
    "fan_out_path_missing": "{me} fans out to {count} places and the gradients of all of them "
    "add up: 1 of the {count} paths is missing",
    "swapped_input": "at a multiply the local gradient is the other input's value, not "
    "{me}'s own: a multiply swaps",
    "arguments_reversed": "the arguments of {text} are in the wrong order",
}


def _mistakes(result: Walk, index: int, kind: str) -> list[tuple[float, str]]:
    """The usual wrong numbers for this blank, each with its reason, most specific first."""
    graph, evaluation = result.graph, result.evaluation
    assert evaluation is not None
    terms = step_of(result, index).terms if kind == "grad" else []
    words = {
        "out": graph.nodes[result.output].label,
        "me": graph.nodes[index].label,
        "top": graph.nodes[terms[0].consumer].label if terms else "",
        "count": len(terms),
        "text": graph.texts[index],
    }
    found = [
        (produced, QUIZ_REASONS[mistake].format(**words))
        for mistake, produced, _ in usual_slips(evaluation, index, kind)
        if mistake in QUIZ_REASONS and produced is not None
    ]
    return found + _fan_out_mistakes(result, terms, words["me"])


def _fan_out_mistakes(result: Walk, terms: list[Term], me: str) -> list[tuple[float, str]]:
    """At a fan-out of three or more: several paths missing; at any fan-out: paths multiplied."""
    if any(t.local_value is None for t in terms) or not 1 < len(terms) <= MAX_SUBSET_TERMS:
        return []
    products = [t.upstream * t.local_value for t in terms]
    count = len(products)
    mistakes = []
    for size in range(1, count - 1):  # one path missing is the table grader's
        missing = count - size
        reason = (
            f"{me} fans out to {count} places and the gradients of all of them add up: "
            f"{missing} of the {count} paths are missing"
        )
        for subset in combinations(range(count), size):
            mistakes.append((sum(products[i] for i in subset), reason))
    mistakes.append(
        (math.prod(products), f"{me} fans out: the paths' gradients are added, not multiplied")
    )
    return mistakes


def encode(data: dict) -> str:
    """JSON, XOR-ed with QUIZ_KEY, in base64: not in plain sight, and not encryption."""
    raw = json.dumps(data, ensure_ascii=False, allow_nan=False).encode("utf-8")
    mixed = bytes(byte ^ QUIZ_KEY[i % len(QUIZ_KEY)] for i, byte in enumerate(raw))
    return base64.b64encode(mixed).decode("ascii")


def decode(text: str) -> dict:
    """The inverse of `encode` (for tests and for anyone curious)."""
    mixed = base64.b64decode(text)
    raw = bytes(byte ^ QUIZ_KEY[i % len(QUIZ_KEY)] for i, byte in enumerate(mixed))
    return json.loads(raw.decode("utf-8"))


def step_of(result: Walk, index: int) -> Step:
    return next(step for step in result.steps if step.node == index)
