"""Draw a graph: forward and backward pictures as Graphviz DOT, and SVG/PNG/PDF files made from it.

The DOT text comes from small pure functions (Graph + Evaluation -> str) with stable ids
(`n0, n1, ...`), sorted attributes and no timestamps, so the same program always gives the same
bytes and golden files can hold it. Only the writers touch the disk or run Graphviz's `dot`,
which they find on PATH and run with a time limit. Colours follow the textbooks: forward values
in green, gradients in red.
"""

from __future__ import annotations

import contextlib
import enum
import html
import os
import secrets
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from ..core.autodiff import Evaluation
from ..core.graph import CONST, INPUT, Graph
from ..core.numbers import format_number
from ..core.ops import OPS
from ..errors import GraphvizMissing, OutputError, UsageError

MAX_NODES = 300  # beyond this `dot` can take minutes; --force or --format dot go past it
DOT_TIMEOUT = 120.0  # seconds; a layout that takes longer is stopped, not waited for
PICTURE_DIGITS = 4  # significant digits a slide can hold; --digits shows more
PNG_DPI = 192  # twice dot's default: sharp on a slide, still small
MAX_SUM_TERMS = 4  # a fan-out gradient is written as a sum up to this many paths

Forms = tuple[Sequence[str | None], Sequence[str | None]]  # exact (value, gradient) forms


class Format(enum.StrEnum):
    """File formats `cgraph render` writes (`dot` is the DOT source itself)."""

    svg = "svg"
    png = "png"
    pdf = "pdf"
    dot = "dot"


class Which(enum.StrEnum):
    """Which pictures to draw."""

    forward = "forward"
    backward = "backward"
    both = "both"


# --- look ----------------------------------------------------------------------------------

FONT = "Helvetica,Arial,sans-serif"
GREEN = "#1b7a3d"  # forward values
RED = "#b42318"  # gradients
INK = "#222222"
MUTED = "#6b6b6b"
FAINT = "#a3a3a3"

# One style per node kind: shape tells the kind apart in print, colour on screen.
STYLES: dict[str, dict[str, str]] = {
    "input": {
        "shape": "box",
        "style": "rounded,filled",
        "fillcolor": "#e8f0fa",
        "color": "#3a6ea5",
        "penwidth": "1.4",
    },
    "const": {
        "shape": "box",
        "style": "filled",
        "fillcolor": "#f3f3f3",
        "color": FAINT,
        "penwidth": "1",
        "fontsize": "12",
        "width": "0.3",
        "height": "0.3",
        "margin": "0.06,0.03",
    },
    "op": {
        "shape": "ellipse",
        "style": "filled",
        "fillcolor": "#ffffff",
        "color": "#4a4a4a",
        "penwidth": "1.4",
        "margin": "0.02,0.02",
    },
    "output": {
        "shape": "ellipse",
        "style": "filled",
        "fillcolor": "#fdf0e1",
        "color": "#b5651d",
        "penwidth": "1.6",
        "peripheries": "2",
        "margin": "0.02,0.02",
    },
}

# Backward-only overrides: nodes no gradient reaches, and the constant part of the graph.
BACKWARD_STYLES: dict[str, dict[str, str]] = {
    "dead": {"style": "dashed,filled", "fillcolor": "#f4f4f4", "color": FAINT},
    "inert": {"style": "filled", "fillcolor": "#f7f7f7", "color": "#cfcfcf"},
}

GRAPH_ATTRS = {
    "rankdir": "LR",
    "ordering": "in",
    "nodesep": "0.3",
    "ranksep": "0.55",
    "pad": "0.25",
    "bgcolor": "white",
    "fontname": FONT,
    "fontsize": "12",
    "fontcolor": MUTED,
    "labeljust": "l",
}
NODE_ATTRS = {"fontname": FONT, "fontsize": "14", "fontcolor": INK, "margin": "0.12,0.06"}
EDGE_ATTRS = {
    "fontname": FONT,
    "fontsize": "12",
    "color": "#555555",
    "arrowsize": "0.7",
    "penwidth": "1.2",
}
BACKWARD_EDGE = {"color": RED, "fontcolor": RED, "dir": "back"}
DEAD_EDGE = {"color": FAINT, "fontcolor": MUTED, "style": "dashed", "dir": "back"}
INERT_EDGE = {"color": "#cfcfcf", "style": "dotted", "arrowhead": "none"}


# --- DOT text: small pure functions --------------------------------------------------------


class Html(str):
    """A Graphviz HTML-like label: written between < and >, never quoted."""

    __slots__ = ()


class Span(NamedTuple):
    """A run of text in one font inside a node label."""

    text: str
    color: str | None = None
    size: int | None = None
    bold: bool = False


def quote(value: str) -> str:
    """A DOT attribute value: HTML labels as `<...>`, everything else in double quotes."""
    if isinstance(value, Html):
        return f"<{value}>"
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def attr_list(attrs: dict[str, str]) -> str:
    """` [a="1" b="2"]` with keys sorted, so the output never depends on dict order."""
    if not attrs:
        return ""
    return " [" + " ".join(f"{key}={quote(attrs[key])}" for key in sorted(attrs)) + "]"


def html_label(rows: Sequence[Sequence[Span]]) -> Html:
    """Stack rows of spans in a borderless table: one line per row, centred."""
    cells = []
    for row in rows:
        cells.append("<tr><td>" + "".join(_span(span) for span in row) + "</td></tr>")
    return Html(
        '<table border="0" cellborder="0" cellspacing="0" cellpadding="1">'
        + "".join(cells)
        + "</table>"
    )


def _span(span: Span) -> str:
    text = html.escape(span.text, quote=False).replace("\u00a0", "&#160;")
    if span.bold:
        text = f"<b>{text}</b>"
    attrs = []
    if span.color:
        attrs.append(f'color="{span.color}"')
    if span.size:
        attrs.append(f'point-size="{span.size}"')
    return f"<font {' '.join(attrs)}>{text}</font>" if attrs else text


def caption_label(lines: Sequence[str]) -> Html:
    """A left-aligned block of caption lines under the picture."""
    rows = "".join(
        f'<tr><td align="left">{html.escape(line, quote=False)}</td></tr>' for line in lines
    )
    return Html(f'<table border="0" cellborder="0" cellspacing="0" cellpadding="0">{rows}</table>')


def node_kind(graph: Graph, index: int, output: int) -> str:
    """`input`, `const`, `output` or `op`: the key into STYLES."""
    if index == output:
        return "output"
    op = graph.nodes[index].op
    return op if op in (INPUT, CONST) else "op"


def number(value: float | None, digits: int) -> str:
    """The one number formatter (as in the tables), so pictures and tables agree."""
    return format_number(value, digits)


def factor(value: float | None, digits: int) -> str:
    """A number written after `×`: negatives in parentheses, so `×(-4)` is not `×-4`."""
    text = number(value, digits)
    return f"({text})" if text.startswith("-") else text


def statement(name: str, attrs: dict[str, str]) -> str:
    return f"  {name}{attr_list(attrs)};"


def document(name: str, body: list[str], caption: Html | None) -> str:
    """The whole digraph: defaults first, then the body; one trailing newline."""
    graph_attrs = dict(GRAPH_ATTRS)
    if caption:
        graph_attrs["label"] = caption
    lines = [
        f"digraph {name} {{",
        f"  graph{attr_list(graph_attrs)};",
        f"  node{attr_list(NODE_ATTRS)};",
        f"  edge{attr_list(EDGE_ATTRS)};",
        *body,
        "}",
    ]
    return "\n".join(lines) + "\n"


def ranks(graph: Graph, output: int) -> list[str]:
    """Inputs in the leftmost column and a final output in the rightmost, as textbooks draw."""
    inputs = [node.id for node in graph.nodes if node.op == INPUT]
    lines = []
    if inputs:
        lines.append("  { rank=source; " + " ".join(f"{i};" for i in inputs) + " }")
    if not graph.consumers[output] and graph.nodes[output].op not in (INPUT, CONST):
        lines.append(f"  {{ rank=sink; {graph.nodes[output].id}; }}")
    return lines


def describe(
    graph: Graph, index: int, value: float | None, exact: str | None, digits: int
) -> list[list[Span]]:
    """The rows that say what a node is and holds: op symbol, then `name = value` in green.

    An input is its name over its value; a constant its literal (and value when they differ,
    as for `pi`). With no value (a structure-only picture) only the names are shown.
    """
    node = graph.nodes[index]
    shown = None if value is None else number(value, digits)
    if node.op == CONST:
        literal = node.text or node.label
        rows = [[Span(literal, color=MUTED)]]
        if shown is not None and shown != literal:
            rows.append([Span(shown, color=GREEN)])
        return rows
    if node.op == INPUT:
        rows = [[Span(node.label, bold=True, size=16)]]
        if shown is not None:
            rows.append([Span(shown, color=GREEN, bold=True)])
    else:
        symbol = OPS[node.op].symbol
        rows = [[Span(symbol, bold=True, size=22 if len(symbol) == 1 else 15)]]
        if shown is None:
            rows.append([Span(node.label, color=MUTED)])
        else:  # no-break space: SVG viewers drop a plain space at the edge of a text run
            rows.append(
                [Span(f"{node.label} =\u00a0", color=MUTED), Span(shown, color=GREEN, bold=True)]
            )
    if exact:
        rows.append([Span(f"= {exact}", color=GREEN, size=11)])
    return rows


# --- forward -------------------------------------------------------------------------------


def forward_dot(
    graph: Graph,
    evaluation: Evaluation | None = None,
    *,
    digits: int = PICTURE_DIGITS,
    exact: Forms | None = None,
) -> str:
    """The forward picture: inputs left, output right, each node with its name, op and value.

    Without an evaluation the picture shows the structure only (no numbers).
    """
    output = evaluation.output if evaluation else graph.output
    body = ranks(graph, output)
    for index, node in enumerate(graph.nodes):
        rows = describe(
            graph,
            index,
            evaluation.values[index] if evaluation else None,
            exact[0][index] if exact else None,
            digits,
        )
        attrs = dict(STYLES[node_kind(graph, index, output)])
        attrs["label"] = html_label(rows)
        body.append(statement(node.id, attrs))
    for node in graph.nodes:
        for arg in node.inputs:
            body.append(f"  {graph.nodes[arg].id} -> {node.id};")
    caption = f"forward: {graph.output_name(output)} = {graph.texts[output]}"
    if evaluation is not None:
        caption += "   (values in green)"
    return document("forward", body, caption_label([caption]))


# --- backward ------------------------------------------------------------------------------


def contributions(graph: Graph, evaluation: Evaluation) -> list[list[float]]:
    """For each node, what comes back along each of its out-edges: grad(consumer) × local.

    Their sum is the node's gradient; a fan-out node shows it as that sum.
    """
    out: list[list[float]] = [[] for _ in graph.nodes]
    for to, node in enumerate(graph.nodes):
        upstream = evaluation.grads[to]
        for arg, local in zip(node.inputs, evaluation.local_grads[to], strict=True):
            out[arg].append(upstream * local if local is not None else 0.0)
    return out


def grad_text(
    graph: Graph, index: int, evaluation: Evaluation, parts: list[float], digits: int
) -> str:
    """`∂f/∂x = -4`; for a fan-out, `∂y/∂x = 6 + 27 = 33` so the sum is visible."""
    out = graph.output_name(evaluation.output)
    head = f"∂{out}/∂{graph.nodes[index].label} = "
    total = number(evaluation.grads[index], digits)
    if len(parts) < 2:
        return head + total
    if len(parts) > MAX_SUM_TERMS:
        return head + f"sum of {len(parts)} paths = {total}"
    return head + f"{sum_text(parts, digits)} = {total}"


def sum_text(parts: list[float], digits: int) -> str:
    """`6 + 27`, `-0.03703 + 0.09813`, `4 - 1`: a sum as a person writes it."""
    text = number(parts[0], digits)
    for part in parts[1:]:
        text += f" - {number(-part, digits)}" if part < 0 else f" + {number(part, digits)}"
    return text


def backward_state(graph: Graph, index: int, evaluation: Evaluation | None) -> str | None:
    """`inert` for the constant part (no gradient is wanted), `dead` where none arrives."""
    if not graph.varying[index]:
        return "inert"
    if evaluation is not None and evaluation.grads[index] == 0:
        return "dead"
    return None


def backward_dot(
    graph: Graph,
    evaluation: Evaluation | None = None,
    *,
    digits: int = PICTURE_DIGITS,
    exact: Forms | None = None,
) -> str:
    """The backward picture: arrows from the output back to the inputs.

    Each node shows ∂out/∂node in red (a fan-out as the sum of its paths); each edge the local
    gradient it multiplies by and the product it carries (`×(-4) → -4`). Nodes and edges that
    receive nothing are grey and dashed, so a dead ReLU or the loser of a max stands out. The
    layout is the forward one, so the two pictures can be laid side by side.
    """
    output = evaluation.output if evaluation else graph.output
    out_name = graph.output_name(output)
    parts = contributions(graph, evaluation) if evaluation else None
    body = ranks(graph, output)
    for index, node in enumerate(graph.nodes):
        state = backward_state(graph, index, evaluation)
        rows = describe(
            graph,
            index,
            evaluation.values[index] if evaluation else None,
            exact[0][index] if exact else None,
            digits,
        )
        if state != "inert":
            color = MUTED if state == "dead" else RED
            if evaluation is not None and parts is not None:
                rows.append(
                    [
                        Span(
                            grad_text(graph, index, evaluation, parts[index], digits),
                            color=color,
                            bold=state is None,
                        )
                    ]
                )
                grad_exact = exact[1][index] if exact else None
                if grad_exact:
                    rows.append([Span(f"= {grad_exact}", color=color, size=11)])
            else:
                rows.append([Span(f"∂{out_name}/∂{node.label}", color=color)])
        attrs = dict(STYLES[node_kind(graph, index, output)])
        attrs.update(BACKWARD_STYLES.get(state or "", {}))
        attrs["label"] = html_label(rows)
        body.append(statement(node.id, attrs))
    for to, node in enumerate(graph.nodes):
        locals_ = evaluation.local_grads[to] if evaluation else (None,) * len(node.inputs)
        for arg, local in zip(node.inputs, locals_, strict=True):
            body.append(
                f"  {graph.nodes[arg].id} -> {node.id}"
                f"{attr_list(edge_attrs(graph, arg, to, local, evaluation, digits))};"
            )
    return document("backward", body, backward_caption(graph, evaluation, out_name))


def backward_caption(graph: Graph, evaluation: Evaluation | None, out_name: str) -> str:
    """What the colours and edge labels mean, and the grey nodes when there are any."""
    lines = [f"backward: ∂{out_name}/∂node in red"]
    if evaluation is not None:
        lines.append("edge: ×local gradient → what it carries back")
        if any(backward_state(graph, i, evaluation) == "dead" for i in range(len(graph))):
            lines.append("grey, dashed: no gradient reaches it")
        lines += [f"note: {note}" for note in evaluation.notes]  # kinks: relu at 0, max ties
    return caption_label(lines)


def edge_attrs(
    graph: Graph, arg: int, to: int, local: float | None, evaluation: Evaluation | None, digits: int
) -> dict[str, str]:
    """How one backward edge looks: red with `×local → product`, grey when nothing flows."""
    if not graph.varying[arg]:
        return dict(INERT_EDGE)
    if evaluation is None:
        return dict(BACKWARD_EDGE)
    carried = evaluation.grads[to] * local if local is not None else 0.0
    attrs = dict(DEAD_EDGE if carried == 0 else BACKWARD_EDGE)
    attrs["label"] = f"×{factor(local, digits)} → {number(carried, digits)}"
    return attrs


def picture_dot(
    which: str,
    graph: Graph,
    evaluation: Evaluation | None = None,
    *,
    digits: int = PICTURE_DIGITS,
    exact: Forms | None = None,
) -> str:
    """`forward` or `backward` DOT text."""
    draw = forward_dot if which == "forward" else backward_dot
    return draw(graph, evaluation, digits=digits, exact=exact)


# --- files ---------------------------------------------------------------------------------


def output_paths(
    prefix: str | os.PathLike[str], which: Which | str, fmt: Format | str
) -> dict[str, Path]:
    """`out/graph` -> {"forward": out/graph.forward.svg, ...}; `out/graph.svg` means the same.

    A prefix that is a folder is refused: `-o out/` would write files named `.forward.svg`.
    """
    which, fmt = Which(which), Format(fmt)
    path = Path(prefix)
    if str(prefix).endswith(("/", os.sep)) or path.is_dir():
        raise OutputError(
            f"{prefix} is a folder; -o takes a file prefix",
            f"for example -o {path / 'graph'} writes {path / 'graph'}.forward.{fmt.value}",
        )
    if path.suffix.lower() in {f".{f.value}" for f in Format}:
        path = path.with_suffix("")
    kinds = ["forward", "backward"] if which is Which.both else [which.value]
    return {kind: path.with_name(f"{path.name}.{kind}.{fmt.value}") for kind in kinds}


def prepare_folder(path: Path) -> None:
    """Create the output's folder if missing; say clearly when that or the file cannot be."""
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError(
            f"cannot create the folder {folder}: {_reason(error)}", "choose another -o prefix"
        ) from None
    if path.is_dir():
        raise OutputError(f"cannot write {path}: it is a folder", "choose another -o prefix")


def atomic_write(path: Path, data: bytes) -> None:
    """Write the whole file or nothing: a temporary file in the same folder, then a rename."""
    temp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        descriptor = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
        os.replace(temp, path)
    except OSError as error:
        with contextlib.suppress(OSError):  # best effort: never leave a partial file
            temp.unlink()
        raise OutputError(
            f"cannot write {path}: {_reason(error)}",
            "check that the folder exists and is writable, or choose another -o prefix",
        ) from None


def _reason(error: OSError) -> str:
    return error.strerror or str(error)


def find_dot() -> str | None:
    """Graphviz's `dot` on PATH, or None."""
    return shutil.which("dot")


def run_dot(dot: str, source: str, fmt: Format | str, timeout: float = DOT_TIMEOUT) -> bytes:
    """Lay out and draw DOT text with `dot -T<fmt>`; the picture's bytes."""
    fmt = Format(fmt)
    command = [dot, f"-T{fmt.value}"]
    if fmt is Format.png:
        command.append(f"-Gdpi={PNG_DPI}")  # dot's 96 dpi blurs on a projector
    try:
        result = subprocess.run(
            command, input=source.encode("utf-8"), capture_output=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired:
        raise OutputError(
            f"Graphviz's dot took more than {timeout:g} s and was stopped",
            "write the DOT source with --format dot and lay it out separately, "
            "or draw a smaller graph",
        ) from None
    except OSError as error:
        raise GraphvizMissing(
            f"cannot run Graphviz's dot ({dot}): {_reason(error)}", INSTALL_HINT
        ) from None
    if result.returncode != 0 or not result.stdout:
        message = result.stderr.decode("utf-8", "replace").strip().splitlines()
        raise OutputError(
            "Graphviz's dot failed" + (f": {message[-1]}" if message else ""),
            "this is likely a bug in cgraph; --format dot writes the DOT source",
        )
    return result.stdout


INSTALL_HINT = (
    "install Graphviz, then run the command again: sudo apt-get install graphviz "
    "(Debian/Ubuntu), brew install graphviz (macOS) or conda install -c conda-forge "
    "graphviz"
)


def check_size(graph: Graph, fmt: Format | str, force: bool) -> None:
    """Refuse to hand `dot` a graph so big it would seem to hang, unless asked to."""
    if force or Format(fmt) is Format.dot or len(graph) <= MAX_NODES:
        return
    raise UsageError(
        f"the graph has {len(graph):,} nodes; drawing more than {MAX_NODES} can "
        "take Graphviz minutes",
        "add --force to draw it anyway (cgraph render ... --force), or --format dot "
        "to write the DOT source only",
    )


def write_pictures(
    graph: Graph,
    evaluation: Evaluation | None,
    prefix: str | os.PathLike[str],
    *,
    fmt: Format | str = Format.svg,
    which: Which | str = Which.both,
    force: bool = False,
    digits: int = PICTURE_DIGITS,
    exact: Forms | None = None,
    timeout: float = DOT_TIMEOUT,
) -> list[Path]:
    """Draw the pictures and write them next to each other; the paths written, in order.

    Without `dot` on PATH the DOT source is written instead and GraphvizMissing (exit 4) says
    which files hold it and how to install Graphviz.
    """
    fmt = Format(fmt)
    check_size(graph, fmt, force)
    paths = output_paths(prefix, which, fmt)
    for path in paths.values():
        prepare_folder(path)
    sources = {
        kind: picture_dot(kind, graph, evaluation, digits=digits, exact=exact) for kind in paths
    }
    if fmt is Format.dot:
        for kind, path in paths.items():
            atomic_write(path, sources[kind].encode("utf-8"))
        return list(paths.values())
    dot = find_dot()
    if dot is None:
        written = []
        for kind, path in paths.items():
            dot_path = path.with_suffix(".dot")
            atomic_write(dot_path, sources[kind].encode("utf-8"))
            written.append(str(dot_path))
        raise GraphvizMissing(
            f"Graphviz's `dot` program was not found on PATH, so no {fmt.value.upper()} was "
            f"drawn; the DOT source is in {', '.join(written)}",
            INSTALL_HINT + f"; or convert by hand: dot -T{fmt.value} {written[0]} -o "
            f"{paths[next(iter(paths))]}",
        )
    for kind, path in paths.items():
        atomic_write(path, run_dot(dot, sources[kind], fmt, timeout))
    return list(paths.values())
