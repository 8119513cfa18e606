"""What a picture of a graph holds, before it is drawn: visible nodes and edges, and their numbers.

A Scene is built once per program and point; the forward picture, the backward picture and
every step frame are views of the same Scene, so they share one geometry. Constants feeding one
gate are folded into it; `collapse` names steps drawn as one gate (the nodes of the step's
expression hidden, each outside argument joined to the gate by one edge carrying the summed
local gradient of all paths inside).

Backward states, as a teacher reads them:
- `inert`: the constant part of the graph (no gradient is wanted there);
- `cut`: no path from the output reaches it without passing a cut edge, where an op with a kink
  routes nothing (a dead relu, the loser of a max);
- otherwise the gradient reaches it, and it may be 0 because it was multiplied by 0.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..core.autodiff import Evaluation
from ..core.graph import CONST, INPUT, Graph
from ..core.ops import OPS
from ..errors import UsageError, did_you_mean
from .dot_style import PICTURE_DIGITS, factor, number
from .local_texts import local_texts
from .picture_names import Naming

MAX_SUM_TERMS = 4  # a fan-out gradient is written as a sum up to this many paths
EXACT_MAX = 10  # characters of an exact form shown beside a value


@dataclass(frozen=True)
class Options:
    """How numbers are written and which steps are collapsed."""

    digits: int = PICTURE_DIGITS
    decimals: int | None = None
    collapse: tuple[str, ...] = ()


@dataclass
class Edge:
    tail: int
    head: int
    local: float | None  # d head / d tail (summed over the paths inside a collapsed step)
    symbolic: str  # the same as a worksheet writes it: `z`, `2d`, `(−1)`
    cut: bool = False  # a kinked op routes nothing along it here


@dataclass
class Scene:
    graph: Graph
    evaluation: Evaluation | None
    options: Options
    exact: tuple | None = None
    naming: Naming = field(init=False)
    output: int = field(init=False)
    visible: list[int] = field(init=False)  # nodes drawn, in drawing order
    edges: list[Edge] = field(init=False)
    group: dict[int, int] = field(init=False)  # hidden node -> the collapsed gate holding it
    outgoing: dict[int, list[Edge]] = field(init=False)  # tail -> its edges (no scan per node)

    def __post_init__(self) -> None:
        graph = self.graph
        self.naming = Naming(graph)
        self.output = self.evaluation.output if self.evaluation else graph.output
        self.group = collapsed_groups(graph, self.options.collapse)
        hidden = set(self.naming.folded) | set(self.group)
        self.edges = []
        gates = set(self.group.values())
        for head, node in enumerate(graph.nodes):
            if head in hidden or not node.inputs:
                continue
            if head in gates:
                self.edges += self._collapsed_edges(head)
            else:
                self.edges += self._edges(head)
        self.visible = drawing_order(graph, hidden, self.edges)
        self.outgoing = {}
        for edge in self.edges:
            self.outgoing.setdefault(edge.tail, []).append(edge)

    # --- edges ---------------------------------------------------------------------------

    def _edges(self, head: int) -> list[Edge]:
        graph, naming = self.graph, self.naming
        node = graph.nodes[head]
        names = [naming.names[a] for a in node.inputs]
        constants = {i: naming.literal(a) for i, a in enumerate(node.inputs) if a in naming.folded}
        texts = local_texts(node.op, names, naming.names[head], constants)
        locals_ = self.evaluation.local_grads[head] if self.evaluation else [None] * len(names)
        kinked = OPS[node.op].kink is not None
        return [
            Edge(arg, head, local, text, cut=kinked and local == 0)
            for arg, local, text in zip(node.inputs, locals_, texts, strict=True)
            if arg not in naming.folded
        ]

    def _collapsed_edges(self, head: int) -> list[Edge]:
        """One edge per outside argument of a collapsed step: the sum over inner paths."""
        graph = self.graph
        members = [i for i, rep in self.group.items() if rep == head] + [head]
        members.sort()
        inside = set(members)
        slope: dict[int, float] = {head: 1.0}
        kinked = False
        for index in reversed(members):
            node = graph.nodes[index]
            kinked = kinked or (node.op in OPS and OPS[node.op].kink is not None)
            locals_ = (
                self.evaluation.local_grads[index] if self.evaluation else [0.0] * len(node.inputs)
            )
            for arg, local in zip(node.inputs, locals_, strict=True):
                slope[arg] = slope.get(arg, 0.0) + slope.get(index, 0.0) * (local or 0.0)
        outside = sorted({a for m in members for a in graph.nodes[m].inputs if a not in inside})
        name = self.naming.names[head]
        edges = []
        for arg in outside:
            local = slope[arg] if self.evaluation else None
            text = f"∂{name}/∂{self.naming.names[arg]}"
            edges.append(Edge(arg, head, local, text, cut=kinked and local == 0))
        return edges

    # --- numbers -------------------------------------------------------------------------

    def num(self, value: float | None) -> str:
        return number(value, self.options.digits, self.options.decimals)

    def value_text(self, index: int) -> str:
        assert self.evaluation is not None
        text = self.num(self.evaluation.values[index])
        exact = self.exact[0][index] if self.exact else None
        if exact and len(exact) <= EXACT_MAX and exact != text:
            text += f" = {exact}"
        return text

    def out_edges(self, index: int) -> list[Edge]:
        return self.outgoing.get(index, [])

    def carried(self, edge: Edge) -> float:
        assert self.evaluation is not None
        if edge.local is None:
            return float("nan")
        return self.evaluation.grads[edge.head] * edge.local

    def grad_lines(self, index: int) -> list[str]:
        """`−4`; at a fan-out `33` over `= 6 + 27`, so the sum of the paths is visible."""
        assert self.evaluation is not None
        total = self.num(self.evaluation.grads[index])
        parts = [self.carried(edge) for edge in self.out_edges(index)]
        if len(parts) < 2 or len(parts) > MAX_SUM_TERMS:
            return [total]
        text = self.num(parts[0])
        for part in parts[1:]:
            text += f" − {self.num(-part)}" if part < 0 else f" + {self.num(part)}"
        return [total, f"= {text}"]

    def edge_lines(self, edge: Edge) -> list[str]:
        """`−4`, `× 1`, `= −4` (a multiplication written down, as in school) with values;
        the symbolic local gradient `×z` without."""
        if self.evaluation is None:
            return [f"×{edge.symbolic}"]
        upstream = self.num(self.evaluation.grads[edge.head])
        local = factor(self.num(edge.local))
        return [upstream, f"× {local}", f"= {self.num(self.carried(edge))}"]

    # --- backward states -----------------------------------------------------------------

    def states(self) -> dict[int, str | None]:
        """`inert`, `cut` or None (the gradient reaches it) for every visible node."""
        graph = self.graph
        reached = {self.output}
        for edge in sorted(self.edges, key=lambda e: -e.head):
            if edge.head in reached and not edge.cut:
                reached.add(edge.tail)
        out: dict[int, str | None] = {}
        for index in self.visible:
            if not graph.varying[index] and graph.nodes[index].op != INPUT:
                out[index] = "inert"
            elif index not in reached and self.evaluation is not None:
                out[index] = "cut"
            else:
                out[index] = None
        return out


def collapsed_groups(graph: Graph, steps: tuple[str, ...]) -> dict[int, int]:
    """Hidden node -> the step it is drawn inside, for each step named in `steps`."""
    group: dict[int, int] = {}
    for step in steps:
        index = graph.names.get(step)
        if index is None or graph.nodes[index].op in (INPUT, CONST):
            choices = [n.name for n in graph.nodes if n.name and n.op not in (INPUT, CONST)]
            raise UsageError(
                f"--collapse: the program has no step named `{step}`",
                did_you_mean(step, choices) or f"steps: {', '.join(choices) or '(none)'}",
            )
        inside = {index}
        for member in range(index - 1, -1, -1):
            node = graph.nodes[member]
            if node.name is not None or node.op == INPUT:
                continue
            users = graph.consumers[member]
            if users and all(user in inside for user in users):
                inside.add(member)
                group[member] = index
    return group


def drawing_order(graph: Graph, hidden: set[int], edges: list[Edge]) -> list[int]:
    """Nodes in the order dot should meet them: each gate right after the arguments it uses
    first, so an input sits next to the gate that uses it (no interleaved inputs)."""
    args: dict[int, list[int]] = {}
    for edge in edges:
        args.setdefault(edge.head, []).append(edge.tail)
    order: list[int] = []
    placed: set[int] = set()
    for index in range(len(graph)):
        if index in hidden or graph.nodes[index].op in (INPUT, CONST):
            continue
        for arg in args.get(index, []):
            if arg not in placed and graph.nodes[arg].op in (INPUT, CONST):
                placed.add(arg)
                order.append(arg)
        placed.add(index)
        order.append(index)
    order += [i for i in range(len(graph)) if i not in placed and i not in hidden]
    return order
