"""Each node's expression as the user would write it (`q * z`, `sin(n3)`), for tables, JSON
and error messages: `Graph.texts`."""

from __future__ import annotations

from .graph import CONST, INPUT, Graph
from .ops import ATOM, OPS, PREFIX, write


def expression_texts(graph: Graph, budget: int = 48) -> list[str]:
    """Each node's expression as the user would write it, in terms of its arguments.

    Named arguments appear by name (`q * z`); an unnamed argument is written out when short,
    otherwise by id (`n17`). Bounded by `budget`, so a 100,000-deep chain stays linear.
    """
    full: list[tuple[str, int]] = []  # (text, precedence) of each node written out
    texts: list[str] = []
    for node in graph.nodes:
        if node.op in (INPUT, CONST):
            text, prec = node.label, ATOM
            if node.op == CONST and node.text and node.text.startswith("-"):
                prec = PREFIX
            full.append((text, prec))
            texts.append(text)
            continue
        parts: list[tuple[str, int]] = []
        for arg in node.inputs:
            arg_node = graph.nodes[arg]
            if arg_node.op == CONST:
                parts.append(full[arg])
            elif arg_node.name is not None:
                parts.append((arg_node.name, ATOM))
            elif len(full[arg][0]) <= budget:
                parts.append(full[arg])
            else:
                parts.append((arg_node.id, ATOM))
        written = write(OPS[node.op], parts)
        texts.append(written[0])
        full.append(written if node.name is None else (node.name, ATOM))
    return texts
