"""Forward and reverse passes over a Graph: values, gradients and the local gradient of every edge.

Each pass is one loop over the topological order (no recursion), on float64. Backward adds into
the gradients, so a node used twice (`x*x`, a fan-out) receives the sum of what comes back.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

from ..errors import EvaluationError
from .graph import CONST, INPUT, Graph
from .ops import OPS
from .util import gc_paused


@dataclass(frozen=True)
class Evaluation:
    """The results of both passes at one point."""

    graph: Graph
    inputs: dict[str, float]  # every input's value, defaults included
    values: list[float]  # forward value of each node
    grads: list[float]  # d output / d node
    partials: list[tuple[float, ...]]  # per node: d node / d argument, in order (NaN: undefined)
    output: int  # index of the differentiated node
    notes: list[str] = field(default_factory=list)  # readings of ambiguous text, kinks met

    @cached_property
    def local_grads(self) -> list[tuple[float | None, ...]]:
        """The partials with undefined ones (NaN, inf) as None."""
        return [tuple(p if math.isfinite(p) else None for p in node) for node in self.partials]

    @property
    def value(self) -> float:
        return self.values[self.output]

    @property
    def gradients(self) -> dict[str, float]:
        """d output / d input for every input variable."""
        index = self.graph.names
        return {name: self.grads[index[name]] for name in self.graph.input_names}

    def edges(self) -> list[tuple[int, int, float]]:
        """(from, to, d to / d from) for every edge, in topological order of `to`; NaN undefined."""
        return [
            (arg, to, local)
            for to, node in enumerate(self.graph.nodes)
            for arg, local in zip(node.inputs, self.partials[to], strict=True)
        ]


def evaluate(graph: Graph, inputs: Mapping[str, float], output: int | None = None) -> Evaluation:
    """Forward then backward at the given input values (all inputs must be present)."""
    target = graph.output if output is None else output
    values = forward(graph, inputs)
    grads, local = backward(graph, values, target)
    notes = [*graph.notes, *kinks(graph, values, grads)]  # how the text was read, then kinks
    return Evaluation(
        graph,
        {name: float(inputs[name]) for name in graph.input_names},
        values,
        grads,
        local,
        target,
        notes,
    )


def forward(graph: Graph, inputs: Mapping[str, float]) -> list[float]:
    """Every node's value, in topological order."""
    with gc_paused():
        return _forward(graph, inputs)


def _forward(graph: Graph, inputs: Mapping[str, float]) -> list[float]:
    nodes = graph.nodes
    values = [0.0] * len(nodes)
    isfinite = math.isfinite
    for index, node in enumerate(nodes):
        op, args = node.op, node.inputs
        if op == INPUT:
            values[index] = float(inputs[node.name])  # type: ignore[index]
            continue
        if op == CONST:
            values[index] = node.value  # type: ignore[assignment]
            continue
        function = OPS[op].forward
        try:
            if len(args) == 1:
                result = function(values[args[0]])
            elif len(args) == 2:
                result = function(values[args[0]], values[args[1]])
            else:
                result = function(*[values[a] for a in args])
        except (ValueError, ZeroDivisionError, OverflowError) as error:
            raise _domain_error(graph, values, index, error) from None
        if not isfinite(result):
            raise _domain_error(graph, values, index, OverflowError("result is not finite"))
        values[index] = result
    return values


def backward(
    graph: Graph, values: list[float], output: int | None = None
) -> tuple[list[float], list[tuple[float, ...]]]:
    """d output / d node for every node, and d node / d argument for every edge.

    A local gradient that is undefined (x^n ln x for x <= 0) is NaN on the edge. It is an
    error when a nonzero gradient must flow through it into an input; a constant node behind
    it just gets NaN, shown as "undefined".
    """
    with gc_paused():
        return _backward(graph, values, graph.output if output is None else output)


def _backward(
    graph: Graph, values: list[float], target: int
) -> tuple[list[float], list[tuple[float, ...]]]:
    nodes = graph.nodes
    grads = [0.0] * len(nodes)
    grads[target] = 1.0
    local: list[tuple[float, ...]] = [()] * len(nodes)
    partials_of = {name: spec.partials for name, spec in OPS.items()}
    for index in range(len(nodes) - 1, -1, -1):
        node = nodes[index]
        args = node.inputs
        if not args:
            continue
        upstream = grads[index]
        try:
            if len(args) == 2:
                a, b = args
                partials = partials_of[node.op](values[index], values[a], values[b])
                local[index] = partials
                if upstream == 0.0:
                    continue
                # The common case inline: two finite contributions (x - x is 0 only then).
                da, db = upstream * partials[0], upstream * partials[1]
                if da - da == 0.0 and db - db == 0.0:
                    grads[a] += da
                    grads[b] += db
                    continue
            elif len(args) == 1:
                (a,) = args
                partials = partials_of[node.op](values[index], values[a])
                local[index] = partials
                if upstream == 0.0:
                    continue
                da = upstream * partials[0]
                if da - da == 0.0:
                    grads[a] += da
                    continue
            else:
                partials = partials_of[node.op](values[index], *[values[a] for a in args])
        except (ValueError, ZeroDivisionError, OverflowError) as error:
            if upstream != 0.0 and graph.varying[index]:
                raise _slope_error(graph, values, index, error) from None
            partials = (math.nan,) * len(args)
        local[index] = partials
        if upstream != 0.0:
            _accumulate(graph, values, grads, index, upstream, partials)
    return grads, local


def _accumulate(
    graph: Graph,
    values: list[float],
    grads: list[float],
    index: int,
    upstream: float,
    partials: tuple[float, ...],
) -> None:
    """grads[arg] += upstream * d node / d arg for each argument; an infinite or undefined
    contribution is an error into an input, and NaN ("undefined") into a constant."""
    args = graph.nodes[index].inputs
    for position, (arg, slope) in enumerate(zip(args, partials)):  # noqa: B905 - by contract
        contribution = upstream * slope
        if contribution - contribution != 0.0:  # inf or NaN
            if graph.varying[arg]:
                raise _slope_error(graph, values, index, OverflowError("not finite"), position)
            contribution = math.nan  # a constant's gradient: undefined, not an error
        grads[arg] += contribution


def kinks(graph: Graph, values: list[float], grads: list[float]) -> list[str]:
    """Notes for ops met at a non-differentiable point while a gradient flows through them."""
    notes = []
    varying = graph.varying
    for index, node in enumerate(graph.nodes):
        spec = OPS.get(node.op)
        if spec is None or spec.kink is None or grads[index] == 0.0 or not varying[index]:
            continue
        note = spec.kink(*[values[a] for a in node.inputs])
        if note:
            notes.append(f"{node.label} = {graph.texts[index]}: {note}")
    return notes


# --- errors ------------------------------------------------------------------------------


def _domain_error(
    graph: Graph, values: list[float], index: int, error: Exception
) -> EvaluationError:
    spec = OPS[graph.nodes[index].op]
    if isinstance(error, OverflowError):
        reason = "the result overflows a 64-bit float"
    elif spec.domain_at is not None:
        reason = spec.domain_at(*[values[a] for a in graph.nodes[index].inputs])
    else:
        reason = spec.domain
    return EvaluationError(
        f"math domain error in {_describe(graph, index)}: {reason}\n"
        f"  {_culprits(graph, values, index)}",
        f"choose input values where {graph.texts[index]} is defined",
    )


def _slope_error(
    graph: Graph, values: list[float], index: int, error: Exception, position: int | None = None
) -> EvaluationError:
    """`position`: the argument whose partial is infinite or undefined, when known; then the
    message is that partial's (`x^0.5` at 0 is about x, never about an exponent's ln x)."""
    spec = OPS[graph.nodes[index].op]
    known = position is not None and position < len(spec.steep_by_arg)
    steep = spec.steep_by_arg[position] if known else spec.steep  # type: ignore[index]
    return EvaluationError(
        f"the gradient cannot be computed through {_describe(graph, index)}: {steep}\n"
        f"  {_culprits(graph, values, index)}",
        "the value is fine, but the derivative is infinite or undefined at this point; "
        "choose another point",
    )


def _describe(graph: Graph, index: int) -> str:
    node = graph.nodes[index]
    return f"node {node.id} ({node.name + ' = ' if node.name else ''}{graph.texts[index]})"


def _culprits(graph: Graph, values: list[float], index: int) -> str:
    """The input values the failing node depends on, so the user knows what to change."""
    seen = set()
    stack = [index]
    while stack:
        current = stack.pop()
        if current in seen:
            continue
        seen.add(current)
        stack.extend(graph.nodes[current].inputs)
    inputs = [
        f"{graph.nodes[i].name} = {values[i]:.15g}"
        for i in sorted(seen)
        if graph.nodes[i].op == INPUT
    ]
    return (
        "at " + ", ".join(inputs[:12]) + (" ..." if len(inputs) > 12 else "")
        if inputs
        else "(the constants alone produce it)"
    )
