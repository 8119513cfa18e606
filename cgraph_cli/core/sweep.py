"""The one reverse sweep: adjoints from the output back to the inputs, over any algebra.

Reverse mode is the same walk whatever flows along the edges, so it is written once, here, and
each caller brings its algebra:

| caller                         | an adjoint is                  | flows to an argument        |
|--------------------------------|--------------------------------|-----------------------------|
| core/exact.py (exact forms)    | a Fraction                     | adjoint * local partial     |
| symbolic/sweep.py (diff, check,| SymPy, as linked-list products | (local partial, products)   |
|   exact forms past Fractions)  |                                |                             |
| views/chain.py (explain, page) | the float or SymPy total       | a Term a reader follows     |
| views/chain.py closed forms    | SymPy in the program's names   | adjoint * local partial     |
| views/chain.py (what to show)  | True: reached                  | True                        |
| symbolic/limits.py (sizes)     | an integer size estimate       | adjoint + size of partial   |
| views/page_paths.py            | the number of paths            | the same number             |

The sweep owns what every copy used to repeat: the order (a node only after all of its
consumers), the fan-in (the flows into a node, kept in arrival order, handed over together),
and which edges carry anything (only those into nodes that vary with an input). It lives in
core/ because it knows no algebra: no SymPy, so core/exact.py uses it with Fractions without
importing SymPy (eval's start-up stays fast).

The float pass (core/autodiff.py) stays separate on purpose: it is the hot loop for
100,000-node programs, written over flat lists with no call per edge.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from .graph import Graph

Total = Callable[[int, list[Any]], Any]  # (node, flows into it) -> its adjoint, or None
Flow = Callable[[int, int, Any], Any]  # (node, argument position, adjoint) -> a flow, or None


@dataclass(frozen=True)
class Swept:
    """What a sweep found: each reached node's adjoint (None: nothing flowed on from it) and
    the flows into it, one per out-edge that carried something, in the order they came."""

    adjoints: dict[int, Any]
    flows: dict[int, list[Any]]


def reverse_sweep(
    graph: Graph,
    output: int,
    total: Total,
    flow: Flow,
    order: Iterable[int] | None = None,
    stop: int = -1,
) -> Swept:
    """Adjoints d output / d node, from the output back.

    `total(index, flows)` makes a node's adjoint from the flows into it (the output gets no
    flows: its adjoint is the seed), or None when nothing should flow on from it.
    `flow(index, position, adjoint)` is what goes to the node's argument at `position`, or None
    for nothing. `order` is any reverse topological order of the nodes (default: by index,
    from the output down); a node at or below `stop` gets its adjoint but passes nothing on.
    Only edges into varying nodes (graph.varying) carry: a constant has no gradient.
    """
    varying = graph.varying
    nodes = graph.nodes
    flows: dict[int, list[Any]] = {output: []}
    adjoints: dict[int, Any] = {}
    walk = range(output, max(stop, 0) - 1, -1) if order is None else order
    for index in walk:
        if index not in flows:
            continue  # the output does not depend on it
        adjoint = adjoints[index] = total(index, flows[index])
        if adjoint is None or index <= stop:
            continue
        for position, arg in enumerate(nodes[index].inputs):
            if varying[arg]:
                carried = flow(index, position, adjoint)
                if carried is not None:
                    flows.setdefault(arg, []).append(carried)
    return Swept(adjoints, flows)


def ancestors(graph: Graph, output: int) -> list[int]:
    """The nodes the output depends on, constants and itself included, in topological order.
    (The sweep's reach, but through every edge: a constant is part of what is computed.)"""
    needed = [False] * (output + 1)
    needed[output] = True
    for index in range(output, -1, -1):
        if needed[index]:
            for arg in graph.nodes[index].inputs:
                needed[arg] = True
    return [i for i, flag in enumerate(needed) if flag]
