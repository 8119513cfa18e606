"""Machine-readable results: the JSON documents the commands print with --json.

The `eval` schema is a contract (DESIGN.md): fields may be added, never renamed or removed.
Everything is strict JSON: values are finite by construction, and an undefined local gradient
is null.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from json.encoder import encode_basestring  # type: ignore[attr-defined]
from typing import Any

from ..core.autodiff import Evaluation

SCHEMA_VERSION = 1  # bumped only when a field is renamed or removed; fields may be added


def evaluation_document(
    evaluation: Evaluation, exact: tuple[Sequence[str | None], Sequence[str | None]] | None = None
) -> dict[str, Any]:
    """The `cgraph eval --json` object."""
    graph = evaluation.graph
    out = graph.nodes[evaluation.output]
    texts = graph.texts
    nodes = []
    for index, node in enumerate(graph.nodes):
        entry: dict[str, Any] = {
            "id": node.id,
            "name": node.name,
            "op": node.op,
            "inputs": [graph.nodes[a].id for a in node.inputs],
            "expr": texts[index],
            "value": _number(evaluation.values[index]),
            "grad": _number(evaluation.grads[index]),
        }
        if exact and exact[0][index]:
            entry["value_exact"] = exact[0][index]
        if exact and exact[1][index]:
            entry["grad_exact"] = exact[1][index]
        nodes.append(entry)
    return {
        "schema_version": SCHEMA_VERSION,
        "expression": graph.source,
        "inputs": {name: _number(value) for name, value in evaluation.inputs.items()},
        "output": {"node": out.id, "name": out.label, "value": _number(evaluation.value)},
        "gradients": {name: _number(g) for name, g in evaluation.gradients.items()},
        "nodes": nodes,
        "edges": [
            {"from": graph.nodes[src].id, "to": graph.nodes[dst].id, "local_grad": _number(local)}
            for src, dst, local in evaluation.edges()
        ],
        "notes": list(evaluation.notes),
    }


INDENT_LIMIT = 2_000  # nodes; past this, compact JSON (Python's indenting encoder is ~10x slower)


def dumps(document: Any) -> str:
    """Strict JSON (no NaN or Infinity tokens); indented unless the graph is big."""
    big = len(document.get("nodes", ())) > INDENT_LIMIT if isinstance(document, dict) else False
    return json.dumps(document, indent=None if big else 2, allow_nan=False, ensure_ascii=False)


def json_text(document: Mapping[str, Any]) -> str:
    """One JSON document as a command prints it: `schema_version` first (cgraph_cli/schemas)."""
    return dumps({"schema_version": SCHEMA_VERSION, **document})


def evaluation_json(
    evaluation: Evaluation,
    exact: tuple[Sequence[str | None], Sequence[str | None]] | None = None,
    extra: dict[str, Any] | None = None,
) -> str:
    """The `cgraph eval --json` text: `evaluation_document` plus `extra` fields, as `dumps`
    writes it. A big graph's text is written straight from the passes' lists (the same
    characters, about 5x sooner: no dict per node and per edge, no generic encoder walk)."""
    if len(evaluation.graph) <= INDENT_LIMIT:
        return dumps({**evaluation_document(evaluation, exact), **(extra or {})})
    return compact_json(evaluation, exact, extra or {})


def compact_json(
    evaluation: Evaluation,
    exact: tuple[Sequence[str | None], Sequence[str | None]] | None,
    extra: dict[str, Any],
) -> str:
    """`dumps(document)` for a big graph, character for character (tests/test_report.py)."""
    graph = evaluation.graph
    nodes = graph.nodes
    out = nodes[evaluation.output]
    head = {
        "schema_version": SCHEMA_VERSION,
        "expression": graph.source,
        "inputs": {name: _number(value) for name, value in evaluation.inputs.items()},
        "output": {"node": out.id, "name": out.label, "value": _number(evaluation.value)},
        "gradients": {name: _number(g) for name, g in evaluation.gradients.items()},
    }
    tail = {"notes": list(evaluation.notes), **extra}
    quote = encode_basestring  # json's own string writer (ensure_ascii=False): C speed
    ids = [f'"{node.id}"' for node in nodes]
    values, grads = _numbers(evaluation.values), _numbers(evaluation.grads)
    names = ["null" if node.name is None else quote(node.name) for node in nodes]
    ops = {op: quote(op) for op in {node.op for node in nodes}}
    texts = [quote(text) for text in graph.texts]
    entries = [
        f'{{"id": {ids[i]}, "name": {names[i]}, "op": {ops[node.op]}, "inputs": '
        f'[{", ".join([ids[a] for a in node.inputs])}], "expr": {texts[i]}, '
        f'"value": {values[i]}, "grad": {grads[i]}' + _exact_fields(exact, i) + "}"
        for i, node in enumerate(nodes)
    ]
    # Edges in one flat pass: (from, to, d to / d from) for every argument of every node.
    sources = [ids[a] for node in nodes for a in node.inputs]
    targets = [ids[to] for to, node in enumerate(nodes) for _ in node.inputs]
    locals_ = _numbers([p for partials in evaluation.partials for p in partials])
    edges = [
        f'{{"from": {a}, "to": {b}, "local_grad": {c}}}'
        for a, b, c in zip(sources, targets, locals_, strict=True)
    ]
    return (
        f'{_compact(head)[:-1]}, "nodes": [{", ".join(entries)}], "edges": [{", ".join(edges)}], '
        f"{_compact(tail)[1:]}"
    )


def _compact(document: Any) -> str:
    return json.dumps(document, allow_nan=False, ensure_ascii=False)


def _exact_fields(
    exact: tuple[Sequence[str | None], Sequence[str | None]] | None, index: int
) -> str:
    if not exact or not (exact[0][index] or exact[1][index]):
        return ""
    value, grad = exact[0][index], exact[1][index]
    return (f', "value_exact": {encode_basestring(value)}' if value else "") + (
        f', "grad_exact": {encode_basestring(grad)}' if grad else ""
    )


def _numbers(values: Sequence[float]) -> list[str]:
    """JSON text of each number as `_number` and `json.dumps` write it ("null" if undefined)."""
    return [repr(float(v) + 0.0) if v - v == 0.0 else "null" for v in values]


def _number(value: float | None) -> float | None:
    """Floats as floats (0.0 for -0.0); None, NaN and inf (undefined) become null."""
    return float(value) + 0.0 if value is not None and math.isfinite(value) else None


def derivatives_document(
    result: Any,
    graph: Any,
    output: int,
    evaluation: Evaluation | None = None,
    exact: Sequence[str | None] | None = None,
    with_latex: bool = False,
) -> dict[str, Any]:
    """The `cgraph diff --json` object: each derivative as SymPy text (and LaTeX with
    `--latex`: it costs as much again), the steps it is written in (`form` "steps"), and with
    values its number at the point."""
    from ..symbolic.printing import latex, one_line

    out = graph.nodes[output]
    items = []
    for item in result.items:
        node = graph.nodes[item.index]
        entry: dict[str, Any] = {
            "wrt": item.wrt,
            "node": node.id,
            "kind": "input" if node.op == "input" else "step",
            "expr": one_line(item.expr, fast=item.method == "none"),
            "tidied": item.method,
        }
        if with_latex:
            entry["latex"] = latex(item.expr)
        if evaluation is not None:
            entry["value"] = _number(evaluation.grads[item.index])
            if exact and exact[item.index]:
                entry["value_exact"] = exact[item.index]
        items.append(entry)
    document: dict[str, Any] = {
        "expression": graph.source,
        "output": {"node": out.id, "name": out.label},
        "form": "steps" if result.in_steps else "inputs",
        "derivatives": items,
        "steps": [
            {"name": name, "expr": one_line(expr), **({"latex": latex(expr)} if with_latex else {})}
            for name, expr in result.steps
        ],
    }
    if evaluation is not None:
        document["inputs"] = {name: _number(v) for name, v in evaluation.inputs.items()}
        document["notes"] = list(evaluation.notes)
    return document


def gradcheck_document(check: Any) -> dict[str, Any]:
    """The `gradcheck` field `eval --gradcheck --json` adds: per input, both gradients and
    their relative error; `passed` decides the exit code."""
    return {
        "tolerance": check.tolerance,
        "passed": check.passed,
        "max_error": _number(check.worst),
        "inputs": {
            row.name: {
                "analytic": _number(row.analytic),
                "numeric": _number(row.numeric),
                "error": _number(row.error),
                "step": _number(row.step),
                "method": row.method,
                "ok": row.ok,
            }
            for row in check.rows
        },
    }
