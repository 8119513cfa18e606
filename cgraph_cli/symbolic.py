"""The SymPy side: node expressions in the inputs, and exact forms of values and gradients.

SymPy is the symbolic back end only; text reaches it through our own parser, never through
`sympify`. Everything here is built on demand and bounded, so the numeric passes on a big graph
never touch SymPy.
"""

from __future__ import annotations

import math
from typing import Any

from .autodiff import Evaluation
from .graph import CONST, INPUT, Graph
from .ops import OPS

EXACT_MAX_NODES = 120  # exact forms are for homework-sized graphs
_EXACT_MAX_LENGTH = 18  # longer exact forms help nobody; the decimal is shown alone
_INTEGER_OPS = {"add", "sub", "mul", "neg", "max", "min", "relu", "abs"}


def sympy_module() -> Any:
    import sympy

    return sympy


def input_symbols(graph: Graph) -> dict[str, Any]:
    """A real SymPy symbol per input (real, so that Abs and sqrt(x^2) behave as on paper)."""
    sp = sympy_module()
    return {name: sp.Symbol(name, real=True) for name in graph.input_names}


def node_expressions(graph: Graph, leaves: dict[str, Any] | None = None,
                     upto: int | None = None) -> list[Any]:
    """Each node's SymPy expression in the inputs (or in `leaves`), built in one forward loop.

    `upto` stops after that node index, for a question about one node.
    """
    sp = sympy_module()
    leaves = input_symbols(graph) if leaves is None else leaves
    exprs: list[Any] = []
    last = len(graph.nodes) - 1 if upto is None else upto
    for node in graph.nodes[: last + 1]:
        if node.op == INPUT:
            exprs.append(leaves[node.name])  # type: ignore[index]
        elif node.op == CONST:
            exprs.append(constant(node.text or "", node.value))  # type: ignore[arg-type]
        else:
            exprs.append(OPS[node.op].sympy(sp, *[exprs[a] for a in node.inputs]))
    return exprs


def constant(text: str, value: float) -> Any:
    """A literal as an exact SymPy number: `0.5` -> 1/2, `pi` -> pi, `1e-3` -> 1/1000."""
    sp = sympy_module()
    negative = text.startswith("-")
    body = text[1:] if negative else text
    if body == "pi":
        exact = sp.pi
    elif body == "e":
        exact = sp.E
    else:
        try:
            exact = sp.Rational(body)
        except (TypeError, ValueError):
            exact = sp.Float(value)
    return -exact if negative else exact


# --- exact forms at a point --------------------------------------------------------------


def exact_forms(evaluation: Evaluation, exact_inputs: dict[str, Any] | None = None
                ) -> tuple[list[str | None], list[str | None]]:
    """Short exact forms of each node's value and gradient, where they say more than the decimal.

    `1/3` beside 0.333333333333333 and `sqrt(2)/2` beside 0.707106781186548 are shown; `2` or
    `sin(9/4)` are not (the decimal already says it, or the form is no help). Empty for big
    graphs and for integer-only arithmetic, where SymPy would add time and nothing else.
    """
    graph = evaluation.graph
    size = len(graph.nodes)
    none: list[str | None] = [None] * size
    if size > EXACT_MAX_NODES or _integers_only(evaluation):
        return none, list(none)
    try:
        return _exact_forms(evaluation, exact_inputs or {})
    except Exception:  # noqa: BLE001 - exact forms are a bonus; the floats stand on their own
        return none, list(none)


def _integers_only(evaluation: Evaluation) -> bool:
    graph = evaluation.graph
    if any(not float(v).is_integer() for v in evaluation.inputs.values()):
        return False
    for node in graph.nodes:
        if node.op == CONST:
            if not (node.value is not None and node.value.is_integer()
                    and node.text not in ("pi", "e", "-pi", "-e")):
                return False
        elif node.op == "pow":
            exponent = graph.nodes[node.inputs[1]]
            if not (exponent.op == CONST and exponent.value is not None
                    and exponent.value.is_integer() and exponent.value >= 0):
                return False
        elif node.op != INPUT and node.op not in _INTEGER_OPS:
            return False
    return True


def _exact_forms(evaluation: Evaluation, exact_inputs: dict[str, Any]
                 ) -> tuple[list[str | None], list[str | None]]:
    sp = sympy_module()
    graph = evaluation.graph
    leaves = {name: exact_inputs.get(name, _exact_input(value))
              for name, value in evaluation.inputs.items()}
    values = node_expressions(graph, leaves)
    grads: list[Any] = [sp.Integer(0)] * len(graph.nodes)
    grads[evaluation.output] = sp.Integer(1)
    varying = graph.varying
    for index in range(len(graph.nodes) - 1, -1, -1):
        node = graph.nodes[index]
        if not node.inputs or grads[index] == 0:
            continue
        for position, arg in enumerate(node.inputs):
            if varying[arg]:
                grads[arg] = grads[arg] + grads[index] * _local_exact(sp, node, position, values)
    return ([_presentable(sp, v, f) for v, f in zip(values, evaluation.values, strict=True)],
            [_presentable(sp, g, f) for g, f in zip(grads, evaluation.grads, strict=True)])


def _local_exact(sp: Any, node: Any, position: int, values: list[Any]) -> Any:
    """d node / d argument `position`, exactly, by differentiating the op's SymPy form."""
    dummies = [sp.Dummy(f"a{i}", real=True) for i in range(len(node.inputs))]
    form = OPS[node.op].sympy(sp, *dummies)
    slope = sp.diff(form, dummies[position])
    return slope.subs({d: values[a] for d, a in zip(dummies, node.inputs, strict=True)})


def _exact_input(value: float) -> Any:
    """An input's exact value: short decimals as rationals, 1/3 and pi/4 recognised."""
    sp = sympy_module()
    text = repr(float(value))
    if len(text.replace("-", "").replace(".", "").lstrip("0")) <= 8 and "e" not in text:
        return sp.Rational(text)
    guess = sp.nsimplify(value, [sp.pi], tolerance=1e-14, rational=False)
    if len(str(guess)) <= _EXACT_MAX_LENGTH and math.isclose(float(guess), value,
                                                              rel_tol=1e-14):
        return guess
    return sp.Float(value)


def _presentable(sp: Any, exact: Any, approx: float) -> str | None:
    """The exact form as text if it is short, exact and says more than the decimal."""
    if exact.has(sp.Float) or not exact.is_number:
        return None
    if exact.is_Integer:
        return None
    if exact.is_Rational and _terminates(exact.q):
        return None  # 1/4 is 0.25: the decimal is already exact
    allowed = (sp.Add, sp.Mul, sp.Pow, sp.Rational, sp.log, type(sp.pi), type(sp.E),
               sp.core.numbers.NegativeOne, sp.core.numbers.Half, sp.core.numbers.One)
    for part in sp.preorder_traversal(exact):
        if not isinstance(part, allowed) and not part.is_Rational:
            return None
    text = sp.sstr(exact)
    if len(text) > _EXACT_MAX_LENGTH:
        return None
    if not math.isclose(float(exact), approx, rel_tol=1e-9, abs_tol=1e-12):
        return None
    return text


def _terminates(denominator: int) -> bool:
    """Whether p/denominator has a finite decimal expansion (denominator = 2^a 5^b)."""
    for prime in (2, 5):
        while denominator % prime == 0:
            denominator //= prime
    return denominator == 1
