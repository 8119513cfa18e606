"""The chain rule walked from the output back to the inputs: the data `cgraph explain` and
`cgraph page` show.

One Step per node in reverse topological order (breadth first from the output), each the sum
of its Terms, one per edge: d out / d consumer times the edge's local gradient, in symbols and
at the point. Without an evaluation the totals are symbolic, in the program's own names. The
closed forms say each input's gradient as one formula in the program's names, with unnamed
intermediate steps written out (`∂L/∂w = 2·x·(b - t + w·x)`). The walk, the closed forms and
the set of nodes worth explaining are each the one reverse sweep (core/sweep.py), with Terms,
formulas and reachability flowing along the edges.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import Any

from ..core.autodiff import Evaluation
from ..core.graph import CONST, INPUT, Graph
from ..core.ops import OPS
from ..core.sweep import reverse_sweep
from ..errors import TooComplex
from ..symbolic.expressions import constant, sympy_module
from ..symbolic.sweep import local_partial

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
    """The nodes with a gradient to explain: those the sweep reaches from the output (it
    carries nothing into constants)."""
    reached = reverse_sweep(graph, output, lambda index, flows: True, lambda *edge: True)
    return sorted(reached.adjoints)


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
    """The one reverse sweep (core/sweep.py) in reading order, every path kept as a Term."""
    sp = sympy_module()

    def total(index: int, terms: list[Term]) -> Any:
        if index == output:
            return 1.0 if evaluation is not None else sp.Integer(1)
        if evaluation is not None:
            return evaluation.grads[index]
        return _symbolic_total(sp, graph, index, terms)

    def flow(index: int, position: int, upstream: Any) -> Term:
        node = graph.nodes[index]
        args = [symbols[a] for a in node.inputs]
        local = local_partial(node.op, position, args, symbols[index])
        local_value = evaluation.local_grads[index][position] if evaluation is not None else local
        return Term(index, local, upstream, local_value)

    swept = reverse_sweep(graph, output, total, flow, order=order)
    return [
        Step(index, sorted(swept.flows[index], key=lambda t: t.consumer), swept.adjoints[index])
        for index in order
    ]


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


# --- closed forms --------------------------------------------------------------------------


_TOO_LONG = object()  # a closed form past SYMBOLIC_MAX_TERM, and every one it flows into


def closed_forms(result: Walk) -> dict[int, Any]:
    """Each input's gradient as one SymPy formula in the program's names, unnamed steps
    written out; an input whose formula runs past SYMBOLIC_MAX_TERM operations is left out.
    The one reverse sweep (core/sweep.py) again, its adjoints formulas in the labels."""
    sp = sympy_module()
    graph = result.graph
    symbols = _label_symbols(graph, result.output)

    def total(index: int, flows: list[Any]) -> Any:
        if index == result.output:
            return sp.Integer(1)
        if any(part is _TOO_LONG for part in flows):
            return _TOO_LONG  # a consumer's formula was too long: so is this one
        summed = sp.Add(*flows)
        return summed if sp.count_ops(summed) <= SYMBOLIC_MAX_TERM else _TOO_LONG

    def flow(index: int, position: int, adjoint: Any) -> Any:
        if adjoint is _TOO_LONG:
            return _TOO_LONG
        node = graph.nodes[index]
        args = [symbols[a] for a in node.inputs]
        return adjoint * local_partial(node.op, position, args, symbols[index])

    order = [step.node for step in result.steps]
    totals = reverse_sweep(graph, result.output, total, flow, order=order).adjoints
    unnamed = _definitions(sp, graph, result.output, symbols)
    forms = {}
    for index in order:
        if graph.nodes[index].op != INPUT or totals[index] is _TOO_LONG:
            continue
        form = totals[index]
        for step in sorted(unnamed, reverse=True):  # n14 = n12 + n13: n14 first, then those
            form = form.xreplace({symbols[step]: unnamed[step]})
        if sp.count_ops(form) <= SYMBOLIC_MAX_TERM:
            forms[index] = sp.factor_terms(form)
    return forms


def _definitions(sp: Any, graph: Graph, output: int, symbols: list[Any]) -> dict[int, Any]:
    """Unnamed operation nodes -> their op applied to their arguments' symbols."""
    return {
        index: OPS[node.op].sympy(sp, *[symbols[a] for a in node.inputs])
        for index, node in enumerate(graph.nodes[: output + 1])
        if node.name is None and node.op not in (INPUT, CONST)
    }
