"""Reverse mode over SymPy expressions (the one sweep of core/sweep.py with SymPy adjoints),
and each op's local partials in symbols from the op table.

Reverse mode works on symbols as it does on floats: each op's local partial (its SymPy form
differentiated once per op kind, then filled in with the argument expressions) times the
adjoint flowing back, summed at fan-outs. The node expressions are shared Python objects, so
one sweep costs about as much as building the output once, where SymPy's `diff` per variable
walks the whole expression again for every input.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from typing import Any

from ..core.graph import Graph
from ..core.ops import OPS
from ..core.sweep import reverse_sweep
from .expressions import sympy_module


def symbolic_gradients(
    graph: Graph, exprs: Sequence[Any], output: int, wanted: Iterable[int], stop: int = -1
) -> dict[int, Any]:
    """d output / d node for each node in `wanted`, as SymPy expressions, by the one reverse
    sweep (core/sweep.py). `exprs` are the nodes' expressions: values at a point (exact
    forms) or expressions in symbols (diff, check). Nodes below `stop` are not reached (0).

    An adjoint is kept as a sum of products, each product a linked list (factor, rest) that
    shares its tail with the adjoint it came from: a step costs O(1), where multiplying SymPy
    products as they grow costs O(length) each time, O(n^2) along a chain. A node reached by
    several paths becomes one SymPy sum when the sweep gets to it, so paths never multiply.
    """
    sp = sympy_module()
    nodes = graph.nodes

    def total(index: int, flows: list[Any]) -> Any:
        if index == output:
            return [None]  # one product with no factors: 1
        products = [product for flowed in flows for product in flowed]
        if len(products) > 1:
            summed = collapse(sp, products)
            products = [(summed, None)] if summed != 0 else []
        return products or None

    def flow(index: int, position: int, products: list[Any]) -> Any:
        args = [exprs[a] for a in nodes[index].inputs]
        local = local_partial(nodes[index].op, position, args, exprs[index])
        if local == 0:
            return None
        return products if local == 1 else [(local, rest) for rest in products]

    adjoints = reverse_sweep(graph, output, total, flow, stop=stop).adjoints
    return {index: collapse(sp, adjoints.get(index) or []) for index in wanted}


def collapse(sp: Any, products: list[Any]) -> Any:
    """A sum of linked-list products as one SymPy expression (each product flattened once)."""
    total = []
    for product in products:
        factors = []
        while product is not None:
            factors.append(product[0])
            product = product[1]
        total.append(sp.Mul(*factors))
    return sp.Add(*total)


@functools.cache
def _partial_forms(op_name: str, arity: int) -> tuple[tuple[Any, ...], tuple[Any, ...]]:
    """The op's partials in placeholder symbols, made once per op kind and arity: the table's
    own symbolic partials (kinks as PyTorch), else its SymPy form differentiated."""
    sp = sympy_module()
    dummies = tuple(sp.Dummy(f"a{i}", real=True) for i in range(arity))
    spec = OPS[op_name]
    if spec.sympy_partials is not None:
        return dummies, tuple(spec.sympy_partials(sp, *dummies))
    form = spec.sympy(sp, *dummies)
    return dummies, tuple(sp.diff(form, d) for d in dummies)


def local_partial(op_name: str, position: int, args: Sequence[Any], own: Any = None) -> Any:
    """d op(args) / d args[position], from the op table (kinks as PyTorch).

    `own` is the node's own symbol where it has one: tanh' = 1 - h^2 then reuses it, as the
    numeric partials reuse the output.
    """
    in_output = OPS[op_name].partial_in_output
    if own is not None and own.is_Symbol and in_output is not None:
        return in_output(own)
    dummies, partials = _partial_forms(op_name, len(args))
    return partials[position].xreplace(dict(zip(dummies, args, strict=True)))
