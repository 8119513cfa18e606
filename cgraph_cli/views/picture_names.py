"""What pictures and tables call each node, and what each gate shows.

- A constant that feeds one op is folded into it: CS231n draws one gate `+1`, `×2`, `^2`, `1/x`,
  not a `1` box feeding a `+`. `−x`, `e^x` and `σ` are gates too.
- An unnamed node is called by what it computes, in terms of its arguments' names (`w0·x0`,
  `w0·x0+w1·x1`); a long argument becomes `(·)` (`exp(·)`, `1+(·)`). Never an internal id.
- The caption writes the whole function, step by step (`q = x + y;  f = q·z`).

All of it is plain text from the graph alone, so the table and the pictures agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from ..core.graph import CONST, INPUT, Graph
from ..core.ops import OPS
from ..core.sweep import ancestors
from .dot_style import MINUS, minus_signs

NAME_BUDGET = 16  # characters in an unnamed node's name before its arguments become (·)
INLINE_BUDGET = 12  # an unnamed argument is written out inside a name up to this length
CAPTION_BUDGET = 400  # characters of one step in the caption
PLACEHOLDER = "(·)"

# How an op is written inline: (infix text, precedence); functions are written f(a, b).
INFIX = {
    "add": ("+", 1),
    "sub": (MINUS, 1),
    "mul": ("·", 2),
    "div": ("/", 2),
    "pow": ("^", 4),
}
FUNCTION_NAMES = {"sigmoid": "σ"}
# A gate with one folded constant: (op, constant on the right?) -> gate text, `{c}` the constant.
FOLDED_GATES = {
    ("add", True): "+{c}",
    ("add", False): "+{c}",
    ("sub", True): MINUS + "{c}",
    ("sub", False): "{c}" + MINUS + "x",
    ("mul", True): "×{c}",
    ("mul", False): "×{c}",
    ("div", True): "/{c}",
    ("div", False): "{c}/x",
    ("pow", True): "^{c}",
    ("pow", False): "{c}^x",
}
PLAIN_GATES = {
    "neg": MINUS + "x",
    "exp": "e^x",
    "sigmoid": "σ",
    "add": "+",
    "sub": MINUS,
    "pow": "^",
}
SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


@dataclass(frozen=True)
class Naming:
    """Names, gate texts and folded constants of one graph."""

    graph: Graph

    @cached_property
    def folded(self) -> frozenset[int]:
        """Constants drawn inside the gate they feed (at most one per binary gate)."""
        graph, out = self.graph, set[int]()
        for node in graph.nodes:
            if node.op in (INPUT, CONST):
                continue
            consts = [a for a in node.inputs if graph.nodes[a].op == CONST]
            if len(consts) == len(node.inputs):
                consts = consts[1:]  # all constants (`2*3`): keep one box to show an input
            if node.op in INFIX:
                consts = consts[-1:]
            out.update(a for a in consts if len(graph.consumers[a]) == 1)
        return frozenset(out)

    def literal(self, index: int) -> str:
        node = self.graph.nodes[index]
        return minus_signs(node.text or node.label)

    @cached_property
    def gates(self) -> list[str]:
        """The text inside each node's shape: an input's name, a constant, or the gate."""
        return [self._gate(index) for index in range(len(self.graph))]

    def _gate(self, index: int) -> str:
        node = self.graph.nodes[index]
        if node.op == INPUT:
            return node.label
        if node.op == CONST:
            return self.literal(index)
        folded = [a for a in node.inputs if a in self.folded]
        if not folded:
            return PLAIN_GATES.get(node.op, OPS[node.op].symbol)
        if node.op in INFIX:
            constant = folded[0]
            on_right = node.inputs[-1] == constant
            text = self.literal(constant)
            if node.op == "div" and not on_right and text == "1":
                return "1/x"
            if node.op == "pow" and not on_right and text == "e":
                return "e^x"
            if text.startswith(MINUS) and (on_right or node.op == "mul"):
                text = f"({text})"
            return FOLDED_GATES[(node.op, on_right)].format(c=text)
        args = [self.literal(a) if a in self.folded else "·" for a in node.inputs]
        return f"{FUNCTION_NAMES.get(node.op, node.op)}({', '.join(args)})"

    @cached_property
    def names(self) -> list[str]:
        """What each node is called: its name, its literal, or what it computes (unique)."""
        graph = self.graph
        short: list[tuple[str, int]] = []  # (name, precedence) of each node
        names: list[str] = []
        seen: dict[str, int] = {node.name: 1 for node in graph.nodes if node.name}
        for index, node in enumerate(graph.nodes):
            if node.name is not None or node.op in (INPUT, CONST):
                text = node.name or self.literal(index)
                prec = 3 if text.startswith(MINUS) else 9
                short.append((text, prec))
                names.append(text)
                continue
            text, prec = self._describe(index, short, INLINE_BUDGET)
            if len(text) > NAME_BUDGET:
                text, prec = self._describe(index, short, 0)
            count = seen.get(text, 0) + 1
            seen[text] = count
            if count > 1:
                text = f"{text}{str(count).translate(SUBSCRIPTS)}"
            short.append((text, prec))
            names.append(text)
        return names

    def _describe(self, index: int, short: list[tuple[str, int]], budget: int) -> tuple[str, int]:
        """A node written with its arguments' names; unnamed ones inline up to `budget`."""
        graph = self.graph
        parts = []
        for arg in graph.nodes[index].inputs:
            node = graph.nodes[arg]
            text, prec = short[arg]
            named = node.name is not None or node.op in (INPUT, CONST)
            numbered = text[-1] in "₀₁₂₃₄₅₆₇₈₉"  # a second `tanh(x)₂` is never inlined
            if not named and (len(text) > budget or PLACEHOLDER in text or numbered):
                text, prec = PLACEHOLDER, 9
            parts.append((text, prec))
        return write(graph.nodes[index].op, parts, spaced=False)

    def function_lines(self, output: int) -> list[str]:
        """The function drawn, one `name = expression` per named step the output needs."""
        graph = self.graph
        needed = set(ancestors(graph, output))
        full: list[tuple[str, int]] = []
        lines = []
        for index, node in enumerate(graph.nodes):
            if node.op in (INPUT, CONST):
                text = node.label if node.op == INPUT else self.literal(index)
                full.append((text, 3 if text.startswith(MINUS) else 9))
                continue
            parts = [
                (graph.nodes[a].name, 9) if graph.nodes[a].name else full[a] for a in node.inputs
            ]
            text, prec = write(node.op, parts, spaced=True)  # type: ignore[arg-type]
            if len(text) > CAPTION_BUDGET:
                text = text[:CAPTION_BUDGET] + "…"
            full.append((text, prec))
            if node.name is not None and index in needed:
                lines.append(f"{node.name} = {text}")
        return lines


def write(op: str, parts: list[tuple[str, int]], spaced: bool) -> tuple[str, int]:
    """One op written with its arguments (text, precedence), parenthesised where needed."""
    if op in INFIX:
        symbol, prec = INFIX[op]
        (left, lp), (right, rp) = parts
        if lp < prec or (op == "pow" and lp == prec):
            left = f"({left})"
        if rp < prec or (rp == prec and op in ("sub", "div")) or (op == "pow" and rp == 3):
            right = f"({right})"
        if spaced and prec == 1:
            symbol = f" {symbol} "
        return f"{left}{symbol}{right}", prec
    if op == "neg":
        ((arg, prec),) = parts
        return (f"{MINUS}{arg}" if prec >= 4 else f"{MINUS}({arg})"), 3
    name = FUNCTION_NAMES.get(op, op)
    args = ["·" if text == PLACEHOLDER else text for text, _ in parts]
    return f"{name}({', '.join(args)})", 9
