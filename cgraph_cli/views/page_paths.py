"""The sum over paths (Colah's view of backprop): every path from the output down to an input,
the product of the local gradients along it, and their sum, which is the input's gradient."""

from __future__ import annotations

from typing import Any

from ..core.graph import INPUT, Graph
from ..core.numbers import format_number
from ..core.sweep import reverse_sweep
from .chain import Walk, closed_forms
from .wording import plain

MAX_PATHS = 48  # paths listed per input in the sum over paths; the rest are counted


def edge_index(graph: Graph) -> dict[tuple[int, int], int]:
    """(consumer, argument position) -> the edge's place in the picture's order."""
    index, count = {}, 0
    for to, node in enumerate(graph.nodes):
        for position in range(len(node.inputs)):
            index[(to, position)] = count
            count += 1
    return index


def formatter(digits: int) -> Any:
    return lambda value: format_number(value, digits)


def sum_over_paths(result: Walk, digits: int, limit: int = MAX_PATHS) -> list[dict]:
    """For each input: every path from the output down to it, with the product of the local
    gradients along it, and their sum (the input's gradient). Paths past `limit` are counted."""
    graph, evaluation = result.graph, result.evaluation
    assert evaluation is not None
    shown = {step.node for step in result.steps}
    edge_of = edge_index(graph)
    number = formatter(digits)
    out = graph.nodes[result.output].label
    inputs = [i for i in result.forward if graph.nodes[i].op == INPUT and i in shown]
    counts = _path_counts(graph, result.output, shown)
    forms = closed_forms(result)
    documents = []
    for target in inputs:
        paths = []
        for path in _paths(graph, result.output, target, shown, counts, limit):
            factors = [evaluation.local_grads[to][p] for to, p in path]
            product = 1.0
            for factor in factors:
                product = product * factor if factor is not None else float("nan")
            labels = [graph.nodes[result.output].label] + [
                graph.nodes[graph.nodes[to].inputs[p]].label for to, p in path
            ]
            symbols = [
                f"∂{graph.nodes[to].label}/∂{graph.nodes[graph.nodes[to].inputs[p]].label}"
                for to, p in path
            ]
            paths.append(
                {
                    "nodes": labels,
                    "edges": [edge_of[e] for e in path],
                    "text": "·".join(symbols)
                    + " = "
                    + "".join(f"({number(f)})" for f in factors)
                    + f" = {number(product)}",
                }
            )
        label = graph.nodes[target].label
        total = evaluation.grads[target]
        documents.append(
            {
                "input": label,
                "node": target,
                "count": counts[target],
                "paths": paths,
                "total": f"∂{out}/∂{label} = "
                + (f"{plain(forms[target]).replace('*', '·')} = " if target in forms else "")
                + number(total),
            }
        )
    return documents


def _path_counts(graph: Graph, output: int, shown: set[int]) -> dict[int, int]:
    """How many output-to-node paths reach each node: the one reverse sweep (core/sweep.py)
    with every local partial 1, so an adjoint is the number of paths."""
    swept = reverse_sweep(
        graph,
        output,
        lambda index, flows: sum(flows) if flows else 1,
        lambda index, position, count: count,
        order=sorted(shown, reverse=True),
    )
    return {index: swept.adjoints.get(index, 0) for index in shown}


def _paths(
    graph: Graph, output: int, target: int, shown: set[int], counts: dict[int, int], limit: int
) -> list[list[tuple[int, int]]]:
    """Up to `limit` paths as lists of (consumer, position) edges, found with an explicit stack."""
    reaches = _reaching(graph, target, shown)
    found: list[list[tuple[int, int]]] = []
    stack: list[tuple[int, list[tuple[int, int]]]] = [(output, [])]
    while stack and len(found) < limit:
        index, path = stack.pop()
        if index == target:
            found.append(path)
            continue
        args = list(enumerate(graph.nodes[index].inputs))
        for position, arg in reversed(args):
            if arg in reaches:
                stack.append((arg, [*path, (index, position)]))
    return found


def _reaching(graph: Graph, target: int, shown: set[int]) -> set[int]:
    """The shown nodes from which `target` can be reached going down the arguments."""
    reach = {target}
    for index in sorted(shown):
        if index > target and any(a in reach for a in graph.nodes[index].inputs):
            reach.add(index)
    return reach
