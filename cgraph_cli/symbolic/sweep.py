"""Reverse mode over SymPy expressions: adjoints from the output back, and each op's local
partials from the op table.

Reverse mode works on symbols as it does on floats: each op's local partial (its SymPy form
differentiated once per op kind, then filled in with the argument expressions) times the
adjoint flowing back, summed at fan-outs. The node expressions are shared Python objects, so
one sweep costs about as much as building the output once, where SymPy's `diff` per variable
walks the whole expression again for every input.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

from ..core.graph import Graph
from ..core.ops import OPS
from .expressions import sympy_module


def adjoint_terms(graph: Graph, exprs: list[Any], output: int, stop: int) -> list[Any]:
    """Adjoints d output / d node from the output down to node `stop`, summed over out-edges.

    An adjoint is kept as a sum of products, each product a linked list (factor, rest) that
    shares its tail with the adjoint it came from: a step costs O(1), where multiplying SymPy
    products as they grow costs O(length) each time, O(n^2) along a chain. A node reached by
    several paths becomes one SymPy sum when the sweep gets to it, so paths never multiply.
    """
    sp = sympy_module()
    terms: list[list[Any]] = [[] for _ in exprs]
    terms[output] = [None]  # one product with no factors: 1
    varying = graph.varying
    for index in range(output, stop, -1):
        node = graph.nodes[index]
        pending = terms[index]
        if not pending or not node.inputs:
            continue
        if len(pending) > 1:
            total = collapse(sp, pending)
            pending = terms[index] = [(total, None)] if total != 0 else []
        args = [exprs[a] for a in node.inputs]
        for position, arg in enumerate(node.inputs):
            if not pending or not varying[arg]:
                continue
            local = local_partial(node.op, position, args, exprs[index])
            if local != 0:
                terms[arg].extend(pending if local == 1 else [(local, t) for t in pending])
    return terms


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
