"""The quiz: one blank per number a student works out, each with the answer and the wrong
answers a grader expects, with the reason for each; and the encoding that keeps them out of
plain sight in the page (XOR with a fixed key, then base64: not encryption)."""

from __future__ import annotations

import base64
import json
from itertools import combinations

from ..core.numbers import format_number
from .chain import Step, Walk

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
            blanks.append(_blank(number, index, "value", value, _value_mistakes(value), digits))
        elif step["kind"] == "edge" and step["grads"][0][2]:
            index = step["nodes"][0]
            total = evaluation.grads[index]
            mistakes = _grad_mistakes(result, step_of(result, index), total)
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
    seen = {answer}
    kept = []
    for value, reason in mistakes:
        if value not in seen:
            seen.add(value)
            kept.append([value, reason])
    return kept


def _value_mistakes(value: float) -> list[tuple[float, str]]:
    return [(-value, "the sign is wrong")] if value else []


def _grad_mistakes(result: Walk, step: Step, total: float) -> list[tuple[float, str]]:
    """The wrong gradients a backprop table usually holds, most specific first."""
    graph = result.graph
    out = graph.nodes[result.output].label
    me = graph.nodes[step.node].label
    mistakes: list[tuple[float, str]] = []
    products = []
    for term in step.terms:
        top = graph.nodes[term.consumer].label
        upstream, local = term.upstream, term.local_value
        if local is None:
            return mistakes
        products.append(upstream * local)
        if local not in (1, -1):  # times -1 is a sign error, named below
            mistakes.append(
                (
                    upstream,
                    f"that is the upstream gradient ∂{out}/∂{top} alone: multiply it "
                    f"by the local gradient ∂{top}/∂{me}",
                )
            )
        if upstream not in (1, -1):
            mistakes.append(
                (
                    local,
                    f"that is the local gradient ∂{top}/∂{me} alone: multiply it by the "
                    f"upstream gradient ∂{out}/∂{top}",
                )
            )
    count = len(products)
    if 1 < count <= MAX_SUBSET_TERMS:
        for size in range(1, count):
            missing = count - size
            reason = (
                f"{me} fans out to {count} places and the gradients of all of them add up: "
                f"{missing} of the {count} paths {'is' if missing == 1 else 'are'} missing"
            )
            for subset in combinations(range(count), size):
                mistakes.append((sum(products[i] for i in subset), reason))
        product = 1.0
        for value in products:
            product *= value
        mistakes.append((product, f"{me} fans out: the paths' gradients are added, not multiplied"))
    if total:
        mistakes.append((-total, "the sign is wrong"))
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
