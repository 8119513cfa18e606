"""Draw a Scene as a `graphviz.Digraph`: forward, backward, or one step frame, one geometry.

Every node is a small table: its value above (green), the gate or input box, its gradient below
(red), each slot a fixed-size cell sized for the widest thing it will ever hold (the number, a
`?`, a fan-out sum). Edge labels are fixed-size too. So dot lays out every picture of a Scene
the same way, and the forward and backward slides (and every step frame) line up exactly.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import Any

from ..core.graph import CONST, INPUT
from . import dot_style as S
from .dot_scene import Edge, Scene

LINE_HEIGHT = 1.25  # line height of a text row, in font sizes
BLANK = "?"  # a number not computed yet
WORKSHEET_SLOT = 40  # points: room for a handwritten number in a structure-only picture


@dataclass
class Reveal:
    """Which numbers a picture shows and what it highlights (a step frame shows part)."""

    values: set[int] = field(default_factory=set)
    grads: set[int] = field(default_factory=set)
    edges: set[int] = field(default_factory=set)  # indices into scene.edges
    backward: bool = False  # arrows point back, edges in red
    pending: bool = False  # numbers not shown yet are `?` (a step frame), else left out
    node: int | None = None  # highlighted node
    edge: int | None = None  # highlighted edge
    title: str = ""


def everything(scene: Scene, backward: bool) -> Reveal:
    """The whole forward (values) or backward (values, gradients, edge products) picture."""
    values = set(scene.visible)
    pending = scene.evaluation is None  # a worksheet: `?` where a number goes
    if not backward:
        return Reveal(values=values, pending=pending, title="forward")
    return Reveal(
        values=values,
        grads=set(scene.visible),
        edges=set(range(len(scene.edges))),
        backward=True,
        pending=pending,
        title="backward",
    )


# --- HTML-like labels ----------------------------------------------------------------------


def esc(text: str) -> str:
    return html.escape(text, quote=False).replace("\u00a0", "&#160;")


def font(text: str, size: int, color: str | None = None, bold: bool = False) -> str:
    body = esc(text) if text else " "
    if bold:
        body = f"<B>{body}</B>"
    color_attr = f' COLOR="{color}"' if color else ""
    return f'<FONT POINT-SIZE="{size}"{color_attr}>{body}</FONT>'


def cell(content: str, width: int, height: int, extra: str = "") -> str:
    return f'<TD FIXEDSIZE="TRUE" WIDTH="{width}" HEIGHT="{height}"{extra}>{content}</TD>'


def row_height(size: int, lines: int = 1) -> int:
    return round(size * LINE_HEIGHT * lines) + 2


@dataclass
class NodeLook:
    """The fixed geometry of one node: slot widths from every text it may ever show."""

    width: int
    gate_width: int
    gate_height: int


class Drawing:
    """Turns a Scene into Digraphs; the geometry is computed once and shared by every view."""

    def __init__(self, scene: Scene) -> None:
        self.scene = scene
        self.states = scene.states()
        self.collapsed = set(scene.group.values())
        self.values = {i: self._value_text(i) for i in scene.visible}
        self.grads = {i: self._grad_text(i) for i in scene.visible}
        self.looks = {i: self._look(i) for i in scene.visible}
        self.edge_lines = [scene.edge_lines(edge) for edge in scene.edges]
        self.edge_sizes = [self._edge_size(lines) for lines in self.edge_lines]

    # --- texts ---------------------------------------------------------------------------

    def gate(self, index: int) -> str:
        if index in self.collapsed:
            return self.scene.naming.names[index]
        return self.scene.naming.gates[index]

    def step_name(self, index: int) -> str:
        """A named step's name, written over its value (an input's is in its box)."""
        node = self.scene.graph.nodes[index]
        if node.name is None or node.op == INPUT or index in self.collapsed:
            return ""
        return node.name

    def _value_text(self, index: int) -> str:
        scene = self.scene
        if scene.graph.nodes[index].op == CONST and index not in self.collapsed:
            text = scene.value_text(index) if scene.evaluation else ""
            return "" if text == scene.naming.gates[index] else text  # `pi` shows 3.14
        if scene.evaluation is None:
            return BLANK  # a worksheet: a number to fill in
        return scene.value_text(index)

    def _grad_text(self, index: int) -> list[str]:
        scene = self.scene
        if self.states[index] == "inert":
            return [""]
        if scene.evaluation is None:
            return [BLANK]
        if scene.graph.nodes[index].op == CONST:
            return ["—"]
        return scene.grad_lines(index)

    def _look(self, index: int) -> NodeLook:
        texts = [self.values[index], *self.grads[index], self.step_name(index), BLANK]
        number_width = S.cell_width(texts, S.SIZE_NUMBER, bold=True)
        if self.scene.evaluation is None:
            number_width = max(number_width, WORKSHEET_SLOT)
        gate = self.gate(index)
        gate_width = max(S.cell_width([gate], S.SIZE_GATE, bold=True) + 8, 30)
        return NodeLook(max(number_width, gate_width), gate_width, row_height(S.SIZE_GATE) + 8)

    def _edge_size(self, lines: list[str]) -> tuple[int, int]:
        return S.cell_width([*lines, BLANK], S.SIZE_EDGE), row_height(S.SIZE_EDGE, len(lines))

    # --- nodes ---------------------------------------------------------------------------

    def node_label(self, index: int, reveal: Reveal) -> str:
        scene, look = self.scene, self.looks[index]
        node = scene.graph.nodes[index]
        state = self.states[index] if reveal.backward else None
        height = row_height(S.SIZE_NUMBER)
        value = self._slot([self.values[index]], index in reveal.values, reveal, S.GREEN)
        grad_color = S.MUTED if state == "cut" else S.RED
        grad = self._slot(self.grads[index], index in reveal.grads, reveal, grad_color)
        if node.op == INPUT:
            fill, line = S.INPUT_FILL, S.INPUT_LINE
        elif node.op == CONST or state == "inert":
            fill, line = S.INERT_FILL, S.FAINT
        elif index == scene.output:
            fill, line = S.OUTPUT_FILL, S.OUTPUT_LINE
        else:
            fill, line = S.GATE_FILL, S.GATE_LINE
        if reveal.node == index:
            fill = S.HIGHLIGHT
        dashed = ' STYLE="ROUNDED,DASHED"' if state == "cut" else ' STYLE="ROUNDED"'
        gate_color = S.MUTED if node.op == CONST else S.INK
        box = (
            f'<TABLE BORDER="1" CELLBORDER="0" CELLSPACING="0" CELLPADDING="0"{dashed} '
            f'BGCOLOR="{fill}" COLOR="{line}" FIXEDSIZE="TRUE" '
            f'WIDTH="{look.gate_width + 2}" HEIGHT="{look.gate_height + 2}">'
            "<TR>"
            + cell(
                font(self.gate(index), S.SIZE_GATE, gate_color, bold=True),
                look.gate_width,
                look.gate_height,
            )
            + "</TR></TABLE>"
        )
        name = self.step_name(index)
        rows = [cell(font(name, S.SIZE_NUMBER, S.INK), look.width, height)] if name else []
        rows += [
            cell(value, look.width, height),
            f"<TD>{box}</TD>",
            cell(grad, look.width, row_height(S.SIZE_NUMBER, len(self.grads[index]))),
        ]
        return (
            '<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="0">'
            + "".join(f"<TR>{row}</TR>" for row in rows)
            + "</TABLE>>"
        )

    def _slot(self, lines: list[str], shown: bool, reveal: Reveal, color: str) -> str:
        """A number slot: the number (and the sum under it), or `?` before it is known;
        also `?` in a worksheet (no values: the student fills them in)."""
        if not lines[0] or not reveal.pending and (not shown or self.scene.evaluation is None):
            return font("", S.SIZE_NUMBER)
        if not shown or self.scene.evaluation is None:
            return font(BLANK, S.SIZE_NUMBER, S.MUTED, bold=True)
        first = font(lines[0], S.SIZE_NUMBER, color, bold=True)
        return "<BR/>".join([first] + [font(line, S.SIZE_NUMBER, color) for line in lines[1:]])

    # --- edges ---------------------------------------------------------------------------

    def edge_attrs(self, number: int, reveal: Reveal) -> dict[str, str]:
        scene = self.scene
        edge: Edge = scene.edges[number]
        width, height = self.edge_sizes[number]
        attrs: dict[str, str] = {}
        if not reveal.backward:
            lines = [""]
            color = "#555555"
        else:
            attrs["dir"] = "back"
            lines = self.edge_lines[number] if number in reveal.edges else [BLANK]
            inert = not scene.graph.varying[edge.tail]
            cut = self.states.get(edge.head) == "cut" or edge.cut
            color = S.FAINT if inert or cut else S.RED
            if inert:
                attrs["style"] = "dotted"
                lines = [""]
            elif cut:
                attrs["style"] = "dashed"
            if scene.evaluation is None and not inert:
                lines = self.edge_lines[number]
        attrs["color"] = color
        if reveal.edge == number:
            attrs["penwidth"] = "3.5"
            attrs["color"] = "#d4a000"
        if len(scene.edges) > S.LABELLED_EDGES_MAX:
            return attrs
        text = "<BR/>".join(esc(line) for line in lines) or " "
        label_color = S.MUTED if color == S.FAINT else color
        attrs["label"] = (
            '<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="0"><TR>'
            + cell(
                f'<FONT POINT-SIZE="{S.SIZE_EDGE}" COLOR="{label_color}">{text}</FONT>',
                width,
                height,
            )
            + "</TR></TABLE>>"
        )
        return attrs

    # --- the digraph ---------------------------------------------------------------------

    def digraph(
        self, reveal: Reveal, caption: list[str], name: str, room: list[str] | None = None
    ) -> Any:
        """The picture; `room` holds every caption line any view of the scene may show, so
        each view's caption has one size and the drawing does not move between slides."""
        import graphviz  # type: ignore[import-untyped]

        graph = graphviz.Digraph(
            name,
            graph_attr={
                "rankdir": "LR",
                "nodesep": "0.12",
                "ranksep": "0.12",
                "pad": "0.2",
                "bgcolor": "white",
                "fontname": S.FONT,
                "fontsize": str(S.SIZE_CAPTION),
                "fontcolor": S.MUTED,
                "labeljust": "l",
                "label": caption_label(caption, room or caption),
            },
            node_attr={"shape": "plain", "fontname": S.FONT, "fontcolor": S.INK},
            edge_attr={
                "fontname": S.FONT,
                "arrowsize": "0.7",
                "penwidth": "1.3",
            },
        )
        for index in self.scene.visible:
            graph.node(f"n{index}", label=self.node_label(index, reveal))
        for number, edge in enumerate(self.scene.edges):
            attrs = self.edge_attrs(number, reveal)
            graph.edge(f"n{edge.tail}", f"n{edge.head}", **dict(sorted(attrs.items())))
        return graph


def caption_label(lines: list[str], room: list[str]) -> str:
    """Caption lines in a fixed-size block: as wide and as tall as `room` needs."""
    width = S.cell_width(room, S.SIZE_CAPTION)
    height = row_height(S.SIZE_CAPTION)
    padded = lines + [""] * (len(room) - len(lines))
    rows = "".join(
        f'<TR><TD ALIGN="LEFT" FIXEDSIZE="TRUE" WIDTH="{width}" HEIGHT="{height}">'
        f"{esc(line) or ' '}</TD></TR>"
        for line in padded
    )
    return f'<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="0">{rows}</TABLE>>'
