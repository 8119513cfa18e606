"""Every bound on symbolic work, in one place, and the size checks that apply them.

The numeric passes handle 100,000-node programs; SymPy does not. Symbolic work is refused
before it can hang: first by size, predicted from the graph alone in integers
(`check_symbolic_size`, cheap even for a huge graph), then by the digits of an exact constant
(expressions.check_power: `9^9^9` would never return), and last by time (core/timebox.py,
with the seconds set here). Engineers tuning a limit edit this module.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from ..core.graph import CONST, INPUT, Graph
from ..core.ops import OPS
from ..core.sweep import ancestors, reverse_sweep
from ..errors import TooComplex

# exact forms beside the decimals (eval, render, diff, explain)
EXACT_MAX_NODES = 120  # exact forms are for homework-sized graphs
EXACT_MAX_EXPONENT = 64  # a bigger power's exact value is too long to show (or to compute)
EXACT_SECONDS = 1.0  # the last bound on exact forms, behind the size limits
# symbolic derivatives (diff, check)
SYMBOLIC_MAX_NODES = 5_000  # ops feeding the output; past this, printing alone takes minutes
SYMBOLIC_MAX_DEPTH = 120  # nesting after sums and products flatten; SymPy's printers recurse
SYMBOLIC_SECONDS = 20.0  # the whole job, a last resort behind the size limits
DERIVATIVES_MAX_SIZE = 60_000  # estimated size of the derivatives (see `measures`)
INLINE_MAX_SIZE = 1_500  # derivatives estimated bigger than this in the inputs use the steps
SIMPLIFY_MAX_OPS = 20  # simplify() takes seconds on bigger ones (measured); factor_terms then
SIMPLIFY_SECONDS = 1.0  # per derivative
SIMPLIFY_BUDGET_SECONDS = 3.0  # for all derivatives of one question
FACTOR_MAX_OPS = 3_000  # factor_terms() beyond this costs more than it helps
STEPS_FACTOR_MAX_SIZE = 10_000  # steps form: factor_terms() only below this estimated size
CONSTANT_MAX_DIGITS = 10_000  # an exact constant with more digits is refused, not computed
PRINT_MAX_DIGITS = 100_000  # Python's int-to-text limit while SymPy is in use (default 4,300)
PRODUCT_MAX_BITS = PRINT_MAX_DIGITS // 2 * 10 // 3  # a product of constants: half that
TOO_BIG_HINT = "use `cgraph eval` for the numbers (it handles 100,000-node programs)"


def check_symbolic_size(
    graph: Graph,
    output: int,
    wrt: Sequence[int] = (),
    in_steps: bool = False,
    subject: str = "the program",
) -> Measures:
    """Refuse, before any SymPy object exists, a program (or an answer: `subject`) too big or
    deep for symbolic work; return the measures taken."""
    check_operations(graph, output, subject)
    found = measures(graph, output, in_steps, wrt)
    if found.depth > SYMBOLIC_MAX_DEPTH:
        raise TooComplex(
            f"the expression is nested {found.depth:,} levels deep; symbolic "
            f"derivatives are limited to {SYMBOLIC_MAX_DEPTH}",
            f"name some inner steps (`u = ...`) to cut the nesting, or {TOO_BIG_HINT}",
        )
    if found.derivatives > DERIVATIVES_MAX_SIZE:
        raise TooComplex(
            "the derivatives written out would run to about "
            f"{found.derivatives:,} terms (limit {DERIVATIVES_MAX_SIZE:,}): "
            "steps reused along many paths",
            TOO_BIG_HINT,
        )
    return found


def check_operations(graph: Graph, output: int, subject: str = "the program") -> None:
    needed = ancestors(graph, output)
    ops = sum(1 for i in needed if graph.nodes[i].op not in (INPUT, CONST))
    if ops > SYMBOLIC_MAX_NODES:
        raise TooComplex(
            f"{subject} has {ops:,} operations; symbolic work is limited to {SYMBOLIC_MAX_NODES:,}",
            TOO_BIG_HINT,
        )


class Measures(NamedTuple):
    depth: int  # deepest nesting, sums and products flattened as SymPy does
    derivatives: int  # estimated size of all the derivatives asked for, written out


def measures(graph: Graph, output: int, in_steps: bool, wrt: Sequence[int]) -> Measures:
    """Sizes predicted from the graph alone, in integers (cheap even for a huge graph).

    A node's size is its expression written out (a named step is one symbol in steps mode).
    The derivative estimate is the one reverse sweep (core/sweep.py) run on sizes: an adjoint
    is as big as the adjoints flowing into it plus the local partials that multiply them. It
    overestimates (SymPy merges like terms) but grows as the real thing does, exponentially
    when steps are reused along many paths.
    """
    cap = 10**12
    size = [1] * (output + 1)
    depth = [0] * (output + 1)
    deepest = 0
    for index, node in enumerate(graph.nodes[: output + 1]):
        if not node.inputs:
            continue
        flat = OPS[node.op].flattens
        depth[index] = max(
            depth[a] + (0 if flat and _flattens(graph, a) == flat else 1) for a in node.inputs
        )
        deepest = max(deepest, depth[index])
        named = in_steps and node.name is not None and index != output
        size[index] = 1 if named else min(cap, 1 + sum(size[a] for a in node.inputs))
        if named:
            depth[index] = 0

    def flow(index: int, position: int, adjoint: int) -> int:
        node = graph.nodes[index]
        return adjoint + _local_size(node.op, position, [size[a] for a in node.inputs])

    adjoints = reverse_sweep(
        graph, output, lambda index, flows: min(cap, sum(flows)) if flows else 1, flow
    ).adjoints
    return Measures(deepest, sum(adjoints.get(i, 0) for i in wrt if i <= output))


def _flattens(graph: Graph, index: int) -> str | None:
    op_name = graph.nodes[index].op
    return None if op_name in (INPUT, CONST) else OPS[op_name].flattens


def _local_size(op_name: str, position: int, sizes: list[int]) -> int:
    """Size of a local partial, as the op table estimates it (default: all its arguments)."""
    estimate = OPS[op_name].partial_size
    return 1 + sum(sizes) if estimate is None else estimate(position, sizes)


def inline_is_small(graph: Graph, output: int, wrt: Sequence[int]) -> bool:
    """Whether the derivatives written out in the inputs stay readable (else: steps form)."""
    found = measures(graph, output, False, wrt)
    return found.derivatives <= INLINE_MAX_SIZE and found.depth <= SYMBOLIC_MAX_DEPTH
