"""Symbolic derivatives for `diff` and `check`: d output / d node by one reverse sweep over
SymPy expressions (sweep.py), tidied for reading.

A big program's derivatives written out in the inputs run to pages, so they are written in
terms of the program's named steps instead (each step a symbol, defined once): the common
subexpressions the author already named. Sizes are checked first (limits.py), so a program
too big for SymPy is refused before any SymPy object exists.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..core.graph import CONST, INPUT, Graph
from ..core.timebox import within
from ..errors import TooComplex
from .expressions import apply, expressions, sympy_module
from .limits import (
    FACTOR_MAX_OPS,
    SIMPLIFY_BUDGET_SECONDS,
    SIMPLIFY_MAX_OPS,
    SIMPLIFY_SECONDS,
    STEPS_FACTOR_MAX_SIZE,
    SYMBOLIC_SECONDS,
    TOO_BIG_HINT,
    check_operations,
    check_symbolic_size,
    inline_is_small,
)
from .sweep import symbolic_gradients


@dataclass(frozen=True)
class Derivative:
    """d output / d `wrt` as a SymPy expression; `method` says how it was tidied."""

    wrt: str
    index: int
    expr: Any
    method: str  # "simplify", "factor_terms" (too big for simplify) or "none" (huge)


@dataclass(frozen=True)
class Derivatives:
    """The answer to `cgraph diff`: derivatives, and the steps they are written in, if any."""

    items: list[Derivative]
    in_steps: bool  # written in terms of the program's named steps
    steps: list[tuple[str, Any]]  # (name, definition) of each step the items use, in order


def derivatives(
    graph: Graph, wrt: Sequence[int], output: int | None = None, in_steps: bool | None = None
) -> Derivatives:
    """d output / d node for each node in `wrt`, by one reverse sweep over SymPy expressions.

    A step in `wrt` is a variable of the graph downstream of it (d f / d q = z for f = q * z).
    `in_steps`: True writes the results in terms of the named steps, False in the inputs,
    None picks the inputs unless that would be large. Raises TooComplex for programs too big
    or too deep for symbolic work, and when the job runs past SYMBOLIC_SECONDS.
    """
    target = graph.output if output is None else output
    check_operations(graph, target)  # first: a 100,000-node program is refused at once
    if in_steps is None:
        in_steps = not inline_is_small(graph, target, wrt)
    measures = check_symbolic_size(graph, target, wrt, in_steps)

    def expired() -> Derivatives:
        raise TooComplex(f"the symbolic derivatives took over {SYMBOLIC_SECONDS:g} s", TOO_BIG_HINT)

    try:
        return within(
            SYMBOLIC_SECONDS,
            lambda: _derivatives(graph, list(wrt), target, in_steps, measures.derivatives),
            expired,
        )
    except RecursionError:
        raise TooComplex(
            "the symbolic derivatives are nested too deeply to handle", TOO_BIG_HINT
        ) from None


def _derivatives(
    graph: Graph, wrt: list[int], output: int, in_steps: bool, size: int
) -> Derivatives:
    raw, written = _raw_derivatives(graph, wrt, output, in_steps)
    if in_steps:  # compact already: only common factors pulled out, and only if that is quick
        tidied = size <= STEPS_FACTOR_MAX_SIZE
        items = [
            Derivative(
                graph.nodes[i].label,
                i,
                sympy_module().factor_terms(raw[i]) if tidied else raw[i],
                "factor_terms" if tidied else "none",
            )
            for i in wrt
        ]
    else:
        budget = [SIMPLIFY_BUDGET_SECONDS]
        items = [Derivative(graph.nodes[i].label, i, *tidy(raw[i], budget)) for i in wrt]
    steps = (
        _steps_used(graph, [item.expr for item in items], output, written)
        if (in_steps and written)
        else []
    )
    return Derivatives(items, in_steps, steps)


def _raw_derivatives(
    graph: Graph, wrt: list[int], output: int, in_steps: bool
) -> tuple[dict[int, Any], list[Any]]:
    """Inputs (and, in steps mode, everything) share one sweep; each step asked for in inputs
    mode gets its own, which stops at the step. Also returns the shared sweep's expressions."""
    sp = sympy_module()
    leaves = _leaves(graph, output, in_steps)
    found: dict[int, Any] = {i: sp.Integer(0) for i in wrt if i > output}
    shared = [i for i in wrt if i <= output and (in_steps or i in leaves)]
    written: list[Any] = []
    if shared:
        written = expressions(graph, leaves, output)
        found.update(symbolic_gradients(graph, written, output, shared, stop=min(shared)))
    for step in (i for i in wrt if i <= output and i not in found):
        symbol = sp.Symbol(graph.nodes[step].label, real=True)
        exprs = expressions(graph, {**leaves, step: symbol}, output)
        found.update(symbolic_gradients(graph, exprs, output, [step], stop=step))
    return found, written


def _leaves(graph: Graph, output: int, in_steps: bool) -> dict[int, Any]:
    """Symbols for the inputs, and in steps mode for the named steps before the output."""
    sp = sympy_module()
    return {
        index: sp.Symbol(node.name, real=True)  # type: ignore[arg-type]
        for index, node in enumerate(graph.nodes[: output + 1])
        if node.op == INPUT
        or (in_steps and node.name is not None and node.op != CONST and index != output)
    }


def _steps_used(
    graph: Graph, exprs: list[Any], output: int, written: list[Any]
) -> list[tuple[str, Any]]:
    """(name, definition) of the named steps the expressions mention, and of the steps those
    definitions mention, in topological order: what a reader needs to evaluate them.
    `written` holds the steps-mode node expressions (named steps as symbols)."""
    sp = sympy_module()
    leaves = _leaves(graph, output, True)
    steps = {leaves[i].name: i for i in leaves if graph.nodes[i].op != INPUT}
    steps[graph.nodes[output].label] = output
    pending = [s.name for e in exprs for s in e.free_symbols if s.name in steps]
    definitions: dict[int, Any] = {}
    while pending:
        index = steps[pending.pop()]
        if index in definitions:
            continue
        args = [written[a] for a in graph.nodes[index].inputs]
        definitions[index] = apply(sp, graph, index, args)
        pending.extend(s.name for s in definitions[index].free_symbols if s.name in steps)
    return [(graph.nodes[i].label, definitions[i]) for i in sorted(definitions)]


# --- tidying -------------------------------------------------------------------------------


def tidy(expr: Any, budget: list[float] | None = None) -> tuple[Any, str]:
    """simplify() for small expressions, time-boxed and drawing on a shared `budget` of
    seconds; factor_terms(), which only pulls out common factors and is about linear, for
    bigger ones; nothing at all for huge ones."""
    sp = sympy_module()
    ops = sp.count_ops(expr)
    left = SIMPLIFY_SECONDS if budget is None else min(SIMPLIFY_SECONDS, budget[0])
    if ops <= SIMPLIFY_MAX_OPS and left > 0:
        started = time.monotonic()
        try:
            simplified = within(left, lambda: _simplified(sp, expr), lambda: None)
        finally:
            if budget is not None:
                budget[0] -= time.monotonic() - started
        if simplified is not None:
            return simplified, "simplify"
    if ops <= FACTOR_MAX_OPS:
        return sp.factor_terms(expr), "factor_terms"
    return expr, "none"


def _simplified(sp: Any, expr: Any) -> Any:
    """simplify(), then common factors pulled out (2*b - 2*t -> 2*(b - t)) if that is shorter;
    never longer than what came in."""
    best = expr
    for candidate in (sp.simplify(expr),):
        factored = sp.factor_terms(candidate)
        for form in (candidate, factored):
            if sp.count_ops(form) <= sp.count_ops(best):
                best = form
    return best
