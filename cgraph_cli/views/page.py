"""The step-through page: one self-contained HTML file that walks a graph forward node by node
and backward edge by edge, with the chain-rule line, the tape and the sum over paths beside it.

Everything the page shows is computed here (numbers, `explain` lines, paths, quiz reasons) and
embedded as one JSON document; the hand-written script and stylesheet in `page_assets/` only
show and hide it. The picture is the structure-only forward SVG from `pictures.py`, inlined.
In quiz mode the JSON is XOR-ed with a fixed key and base64-encoded, so the answers are not in
plain sight in the file. That hides them from a glance at the source, nothing more: it is not
encryption, and a student who reads the script can decode them.
"""

from __future__ import annotations

import html
import json
import re
from importlib import resources
from pathlib import Path
from typing import Any, NamedTuple

from ..core.autodiff import Evaluation
from ..core.graph import CONST, INPUT, Graph
from ..core.numbers import format_number
from ..core.util import is_folder
from ..errors import OutputError, TooComplex
from .chain import GATE_PATTERNS, Walk, walk
from .explain import node_lines
from .page_paths import edge_index, formatter, sum_over_paths
from .page_quiz import QUIZ_TOL, decode, encode, quiz_blanks, step_of
from .wording import plain, written

PAGE_MAX_OPS = 100  # past this the steps are too many to follow and Graphviz takes minutes
PAGE_DIGITS = 4  # significant digits on the page, as on the pictures; --digits shows more
PLACEHOLDER = re.compile(r"/\*@(\w+)@\*/")


# --- the document the script reads ---------------------------------------------------------


def page_data(evaluation: Evaluation, *, digits: int = PAGE_DIGITS, quiz: bool = False) -> dict:
    """Everything the page shows, as JSON-ready data: nodes, edges, steps, paths, blanks."""
    graph = evaluation.graph
    ops = sum(1 for node in graph.nodes if node.op not in (INPUT, CONST))
    if ops > PAGE_MAX_OPS:
        raise TooComplex(
            f"the program has {ops:,} operations; a page steps through at most {PAGE_MAX_OPS}",
            "`cgraph render` draws it and `cgraph eval` lists every gradient",
        )
    result = walk(graph, evaluation)
    forward_text, backward_text = node_lines(result, digits)
    steps = forward_steps(result, forward_text, digits) + backward_steps(
        result, backward_text, digits
    )
    data = {
        "title": f"{graph.output_name(result.output)} = {graph.texts[result.output]}",
        "program": _statements(graph.source),
        "output": graph.nodes[result.output].label,
        "digits": digits,
        "quiz": quiz,
        "tol": QUIZ_TOL,
        "nodes": [_node(graph, evaluation, i, result, digits) for i in range(len(graph.nodes))],
        "edges": _edges(graph),
        "steps": steps,
        "paths": sum_over_paths(result, digits),
        "notes": list(evaluation.notes),
    }
    if quiz:
        data["blanks"] = quiz_blanks(result, steps, digits)
    return data


def _statements(source: str) -> str:
    """The program on one line, comments dropped: `z = w * x; y = z + b; ...`."""
    lines = (line.split("#", 1)[0].strip() for line in source.splitlines())
    return "; ".join(line.strip("; ") for line in lines if line.strip("; "))


def _node(graph: Graph, evaluation: Evaluation, index: int, result: Walk, digits: int) -> dict:
    node = graph.nodes[index]
    kind = "output" if index == result.output else node.op if node.op in (INPUT, CONST) else "op"
    # Constants, constant sub-expressions and steps the output does not use are known from the
    # start and have no gradient to show: no step is about them.
    stepped = index in result.forward
    return {
        "id": node.id,
        "label": node.label,
        "kind": kind,
        "op": node.op,
        "expr": "" if node.op in (INPUT, CONST) else written(graph, index),
        "value": format_number(evaluation.values[index], digits),
        "grad": format_number(evaluation.grads[index], digits) if graph.varying[index] else "",
        "given": not stepped,
    }


def _edges(graph: Graph) -> list[dict]:
    """Every edge in the picture's order, with its SVG title and which copy of it this is
    (`x*x` draws two edges with the same title)."""
    edges, seen = [], dict[str, int]()
    for to, node in enumerate(graph.nodes):
        for position, arg in enumerate(node.inputs):
            title = f"{graph.nodes[arg].id}->{node.id}"
            edges.append(
                {
                    "from": arg,
                    "to": to,
                    "position": position,
                    "title": title,
                    "copy": seen.get(title, 0),
                }
            )
            seen[title] = seen.get(title, 0) + 1
    return edges


# --- steps ---------------------------------------------------------------------------------


def forward_steps(result: Walk, lines: dict[int, str], digits: int) -> list[dict]:
    """The inputs together, then one step per operation in topological order."""
    graph, evaluation = result.graph, result.evaluation
    assert evaluation is not None
    inputs = [i for i in result.forward if graph.nodes[i].op == INPUT]
    given = ", ".join(lines[i] for i in inputs if i in lines)
    steps = [
        {
            "kind": "inputs",
            "phase": "forward",
            "title": "Inputs",
            "text": f"Start from the inputs: {given}." if given else "The program has no inputs.",
            "chain": given,
            "nodes": inputs,
            "values": inputs,
            "grads": [],
        }
    ]
    for index in result.forward:
        node = graph.nodes[index]
        if node.op == INPUT:
            continue
        arguments = [graph.nodes[a] for a in node.inputs]
        known = ", ".join(
            f"{a.label} = {format_number(evaluation.values[i], digits)}"
            for a, i in zip(arguments, node.inputs, strict=True)
            if a.op != CONST
        )
        steps.append(
            {
                "kind": "forward",
                "phase": "forward",
                "title": f"Forward: {node.label}",
                "text": f"{node.label} = {written(graph, index)}"
                + (f", with {known}" if known else ""),
                "chain": lines.get(index, ""),
                "nodes": [index],
                "values": [index],
                "grads": [],
            }
        )
    return steps


def backward_steps(result: Walk, lines: dict[int, str], digits: int) -> list[dict]:
    """The seed ∂L/∂L = 1, then one step per edge: a consumer's gradient times the edge's
    local gradient, added into its argument's gradient (`+=` where the argument fans out)."""
    graph, evaluation = result.graph, result.evaluation
    assert evaluation is not None
    out = graph.nodes[result.output].label
    number = formatter(digits)
    edge_of = edge_index(graph)
    terms = {step.node: step for step in result.steps}
    steps = [
        {
            "kind": "seed",
            "phase": "backward",
            "title": f"Backward: ∂{out}/∂{out}",
            "text": f"The backward pass starts at the output: ∂{out}/∂{out} = 1.",
            "chain": lines[result.output],
            "nodes": [result.output],
            "values": [],
            "grads": [[result.output, "1", True]],
        }
    ]
    running: dict[int, float] = {}
    done: dict[int, int] = {}
    for step in result.steps:
        consumer = graph.nodes[step.node]
        upstream = evaluation.grads[step.node]
        for position, arg in enumerate(consumer.inputs):
            if arg not in terms:
                continue
            local = evaluation.local_grads[step.node][position]
            product = None if local is None else upstream * local
            running[arg] = running.get(arg, 0.0) + (product or 0.0)
            done[arg] = done.get(arg, 0) + 1
            paths = len(terms[arg].terms)
            if done[arg] == paths:  # the float pass's sum (its order): what every view shows
                running[arg] = evaluation.grads[arg]
            steps.append(
                _edge_step(
                    result,
                    step.node,
                    position,
                    arg,
                    local,
                    product,
                    running[arg],
                    (done[arg], paths),
                    number,
                )
                | {"edge": edge_of[(step.node, position)], "chain": lines[arg]}
            )
    return steps


def _edge_step(
    result: Walk,
    consumer: int,
    position: int,
    arg: int,
    local: float | None,
    product: float | None,
    total: float,
    count: tuple[int, int],
    number: Any,
) -> dict:
    graph, evaluation = result.graph, result.evaluation
    assert evaluation is not None
    out = graph.nodes[result.output].label
    top, bottom = graph.nodes[consumer].label, graph.nodes[arg].label
    formula = plain(_local_formula(result, consumer, position, arg))
    upstream = evaluation.grads[consumer]
    done, paths = count
    sign = "+=" if paths > 1 and done > 1 else "="
    chain = f"∂{out}/∂{bottom} {sign} ∂{out}/∂{top} · ∂{top}/∂{bottom} = ({number(upstream)})"
    line = f"{chain}({number(local)}) = {number(product)}"
    if paths > 1:
        line += f" (path {done} of {paths}: ∂{out}/∂{bottom} is now {number(total)})"
    pattern = GATE_PATTERNS.get(graph.nodes[consumer].op)
    gate = f"{pattern[0]}: {pattern[1]}" if pattern else ""
    if paths > 1:
        fan = f"a fan-out accumulates: {bottom} feeds {paths} places, their gradients add up"
        gate = f"{gate}; {fan}" if gate else fan
    return {
        "kind": "edge",
        "phase": "backward",
        "title": f"Backward: ∂{out}/∂{bottom} through {top}",
        "text": line,
        "ask": f"{chain}(?) = ?",
        "local": f"∂{top}/∂{bottom} = {formula} = {number(local)}"
        if formula != number(local)
        else f"∂{top}/∂{bottom} = {number(local)}",
        "localAsk": f"∂{top}/∂{bottom} = {formula}",
        "localValue": number(local),
        "gate": gate,
        "nodes": [arg],
        "from": consumer,
        "values": [],
        "grads": [[arg, number(total), done == paths]],
    }


def _local_formula(result: Walk, consumer: int, position: int, arg: int) -> Any:
    """The local gradient in symbols, from the walk's terms (same order as the arguments)."""
    node = result.graph.nodes[consumer]
    same = [p for p, a in enumerate(node.inputs) if a == arg]
    mine = [t for t in step_of(result, arg).terms if t.consumer == consumer]
    return mine[same.index(position)].local


# --- the file ------------------------------------------------------------------------------


def asset(name: str) -> str:
    """A file of page_assets/, shipped as package data."""
    return resources.files(__package__).joinpath("page_assets", name).read_text(encoding="utf-8")


def inline_svg(svg: bytes | str) -> str:
    """Graphviz's SVG without its XML prolog and doctype, ready to sit inside HTML."""
    text = svg.decode("utf-8") if isinstance(svg, bytes) else svg
    start = text.find("<svg")
    return text[start:].strip() if start >= 0 else ""


def html_page(data: dict, svg: str) -> str:
    """The whole page: the template with the stylesheet, script, picture and data filled in."""
    payload = encode(data) if data["quiz"] else _json_in_html(data)
    fields = {
        "TITLE": html.escape(f"cgraph: {data['title']}"),
        "HEADING": html.escape(data["title"]),
        "PROGRAM": html.escape(data["program"]),
        "CSS": asset("page.css"),
        "JS": asset("page.js"),
        "SVG": inline_svg(svg),
        "DATA": payload,
        "MODE": "quiz" if data["quiz"] else "steps",
        "ENCODING": "xor-base64" if data["quiz"] else "json",
    }
    return PLACEHOLDER.sub(lambda match: fields[match.group(1)], asset("page.html"))


def _json_in_html(data: dict) -> str:
    """JSON that cannot close its <script> element early."""
    text = json.dumps(data, ensure_ascii=False, allow_nan=False)
    return text.replace("</", "<\\/").replace("<!--", "<\\!--")


def structure_svg(graph: Graph) -> str:
    """The structure-only forward picture (names and ops, no numbers) as SVG text, from the
    pictures module; the page writes the numbers in as the steps go."""
    from .picture_files import run_dot  # a missing dot is GraphvizMissing, as before
    from .pictures import picture_dot

    return inline_svg(
        run_dot(roomy(picture_dot("forward", graph, None, marks=False, fit="none")), "svg")
    )


def roomy(dot: str) -> str:
    """The picture's DOT with more space between nodes, where the page writes each node's
    value (below it) and gradient (above it). Root graph attributes: the last setting wins."""
    body, brace, tail = dot.rpartition("}")
    return f"{body}  graph [nodesep=0.75, ranksep=0.85];\n{brace}{tail}" if brace else dot


class Written(NamedTuple):
    """What `write_page` wrote: the size and how many steps and blanks the page has."""

    size: int
    forward: int
    backward: int
    blanks: int


def write_page(
    evaluation: Evaluation, path: str | Path, *, digits: int = PAGE_DIGITS, quiz: bool = False
) -> Written:
    """Write the page to `path` (all or nothing)."""
    from .picture_files import atomic_write, prepare_folder

    data = page_data(evaluation, digits=digits, quiz=quiz)
    page = html_page(data, structure_svg(evaluation.graph)).encode("utf-8")
    target = Path(path)
    if is_folder(target) or str(path).endswith(("/", "\\")):
        raise OutputError(
            f"{path} is a folder; -o takes the page's file name",
            f"for example -o {target / 'graph.html'}",
        )
    prepare_folder(target)
    atomic_write(target, page)
    forward = sum(1 for step in data["steps"] if step["phase"] == "forward")
    return Written(len(page), forward, len(data["steps"]) - forward, len(data.get("blanks", [])))


__all__ = ["page_data", "html_page", "write_page", "encode", "decode"]
