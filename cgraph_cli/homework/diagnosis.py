"""Name the mistake in a wrong derivative: rebuild the usual wrong derivatives from the graph
and see whether the answer is one of them.

Each variant is the correct forward-mode derivative with one mistake made at one node: a rule
from `wrong_rules.RULES` applied in place of the node's true chain-rule step (the product rule as
f'g', the power rule without lowering the exponent, a sign lost on cos, ...), the tangent of an
inner node taken as 1 (a chain factor forgotten), one edge of a fan-out dropped, the derivative
by another variable, or the function itself. Nothing is a list of textbook functions: the rules
are per op, so every program the parser reads gets its own variants.

Never a guess: a variant names the mistake only when `equivalence.compare` finds it equal to
the answer (proved or sampled, the same machinery as the verdict), and `diagnose` is only asked
about answers already found wrong. Variants are bounded in number and in time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from ..core.graph import CONST, INPUT, Graph
from .wrong_rules import RULES, SIGN_OPS, Texts, formula, sign_rule

MAX_VARIANTS = 120  # wrong derivatives tried per answer
MAX_OPS = 60  # programs bigger than this get no diagnosis (homework is smaller)
DIAGNOSIS_SECONDS = 5.0  # the whole search, in the project's (wall-clock) time box
SAMPLE_POINTS = 12  # as many agreeing points as the verdict itself needs

# One label per mistake kind: what a teacher reads in a class summary.
KINDS: dict[str, str] = {
    "chain_factor_missing": "chain factor missing",
    "product_rule_as_product": "product rule as f′g′",
    "product_term_missing": "product rule term missing",
    "quotient_numerator_reversed": "quotient rule numerator reversed",
    "quotient_square_missing": "quotient rule square missing",
    "quotient_term_missing": "quotient rule term missing",
    "quotient_as_ratio": "quotient rule as f′/g′",
    "power_exponent_kept": "power rule: exponent not lowered",
    "power_coefficient_missing": "power rule: coefficient missing",
    "exponential_as_power": "exponential differentiated as a power",
    "sign_error": "sign error",
    "log_vs_reciprocal": "1/x and ln x confused",
    "log_base_forgotten": "log base forgotten",
    "fan_out_path_missing": "fan-out path missing",
    "wrong_variable": "wrong variable",
    "original_function": "function instead of its derivative",
}


@dataclass(frozen=True)
class Diagnosis:
    """The mistake a wrong answer matches: its kind, the node it is made at, one sentence."""

    mistake: str  # a key of KINDS
    node: str | None  # the node's name or id (None for a whole-answer mistake)
    message: str
    method: str = ""  # how the match was found: "proved equal", "equal at 12 random points"

    @property
    def label(self) -> str:
        return KINDS[self.mistake]

    def as_dict(self) -> dict[str, Any]:
        return {
            "mistake": self.mistake,
            "label": self.label,
            "node": self.node,
            "message": self.message,
            "method": self.method,
        }


@dataclass(frozen=True)
class _Variant:
    mistake: str
    node: int | None
    expr: Any
    message: str


# --- the search ----------------------------------------------------------------------------


def diagnose(
    graph: Graph,
    wrt: int,
    answer: Any,
    expected: Any,
    symbols: Sequence[Any],
    seed: int = 0,
) -> Diagnosis | None:
    """The first variant equal to `answer` (a SymPy expression in the inputs), or None.

    `expected` is the correct derivative in the inputs: a variant equal to it is no mistake
    and is skipped. Only call this for an answer that is wrong.
    """
    from ..core.timebox import within
    from ..symbolic.equivalence import Method, compare

    if _operations(graph) > MAX_OPS:
        return None

    def search() -> Diagnosis | None:
        for tried, variant in enumerate(_variants(graph, wrt)):
            if tried >= MAX_VARIANTS:
                break
            quick = compare(variant.expr, answer, symbols, seed=seed, points=2, timeout_s=0)
            if quick.counterexample is not None or quick.method is Method.UNDECIDED:
                continue
            full = compare(
                variant.expr, answer, symbols, seed=seed, points=SAMPLE_POINTS, timeout_s=0.5
            )
            if full.equal and full.method in (Method.PROVED, Method.SAMPLED):
                node = None if variant.node is None else graph.nodes[variant.node].label
                return Diagnosis(variant.mistake, node, variant.message, full.message)
        return None

    try:
        return within(DIAGNOSIS_SECONDS, search, lambda: None)
    except (RecursionError, ValueError, TypeError, ZeroDivisionError, OverflowError):
        return None  # a variant SymPy cannot build is no diagnosis; the verdict stands


def _operations(graph: Graph) -> int:
    return sum(1 for node in graph.nodes if node.op not in (INPUT, CONST))


# --- forward mode with one mistake ---------------------------------------------------------


class _Sweep:
    """Symbolic forward mode over the graph: each node's expression and its tangent d/d wrt.

    `tangents(start, override)` recomputes the tangents from node `start` on, with the tangent
    of `start` given by `override` instead of the chain rule; the nodes before it keep theirs.
    """

    def __init__(self, graph: Graph, wrt: int) -> None:
        from ..symbolic.expressions import node_expressions, sympy_module

        self.sp = sympy_module()
        self.graph = graph
        self.wrt = wrt
        self.output = graph.output
        node = graph.nodes[wrt]
        self.step = None
        if node.op == INPUT:
            self.exprs = node_expressions(graph, upto=self.output)
        else:  # d f / d q for a step q: q is a variable downstream, replaced by its expression
            self.step = self.sp.Symbol(node.label, real=True)
            self.step_expr = node_expressions(graph, upto=wrt)[wrt]
            self.exprs = self._with_step_symbol()
        self.correct = self.tangents(0)

    def _with_step_symbol(self) -> list[Any]:
        """Node expressions with the step as a symbol: what comes after it is written in it."""
        from ..symbolic.expressions import expressions, input_symbols

        symbols = input_symbols(self.graph)
        leaves = {
            index: symbols[node.name]  # type: ignore[index]
            for index, node in enumerate(self.graph.nodes[: self.output + 1])
            if node.op == INPUT
        }
        return expressions(self.graph, {**leaves, self.wrt: self.step}, self.output)

    def in_inputs(self, expr: Any) -> Any:
        """A derivative written with the step symbol, back in the inputs."""
        return expr if self.step is None else expr.xreplace({self.step: self.step_expr})

    def local(self, index: int, position: int) -> Any:
        from ..symbolic.sweep import local_partial

        node = self.graph.nodes[index]
        return local_partial(node.op, position, [self.exprs[a] for a in node.inputs])

    def tangents(
        self,
        start: int,
        override: Callable[[list[Any]], Any] | None = None,
        dropped: tuple[int, int] | None = None,
        base: list[Any] | None = None,
    ) -> list[Any]:
        """Tangents with one change: `override(tangents)` at node `start`, or the edge
        `dropped` = (consumer, position) left out of the chain rule."""
        sp = self.sp
        zero = sp.Integer(0)
        tangents = list(base[:start]) if base is not None else []
        tangents += [zero] * (self.output + 1 - len(tangents))
        for index in range(start, self.output + 1):
            node = self.graph.nodes[index]
            if index == self.wrt:
                tangents[index] = sp.Integer(1)
            elif index < self.wrt and self.step is not None:
                tangents[index] = zero  # upstream of the step: not a function of it
            elif override is not None and index == start:
                tangents[index] = override(tangents)
            elif node.inputs:
                tangents[index] = sp.Add(
                    *[
                        self.local(index, position) * tangents[arg]
                        for position, arg in enumerate(node.inputs)
                        if tangents[arg] != 0 and (index, position) != dropped
                    ]
                )
        return tangents

    def variant(
        self,
        index: int,
        override: Callable[[list[Any]], Any] | None = None,
        dropped: tuple[int, int] | None = None,
    ) -> Any:
        start = index if dropped is None else dropped[0]
        return self.in_inputs(self.tangents(start, override, dropped, self.correct)[self.output])

    def text(self, index: int) -> str:
        """How the student wrote the node: its name, or its expression in its arguments
        (`x^2`, `sin(x^2)`, `a + b`)."""
        node = self.graph.nodes[index]
        if node.name and index != self.output:
            return node.name
        return self.graph.texts[index]

    def where(self, index: int) -> str:
        """`a = x^2` for a named step, the expression otherwise: how a student finds it."""
        node = self.graph.nodes[index]
        if node.name and node.op not in (INPUT, CONST) and index != self.output:
            return f"{node.name} = {self.graph.texts[index]}"
        return self.text(index)


def _variants(graph: Graph, wrt: int) -> Iterator[_Variant]:
    """Every wrong derivative, most specific kinds first (a product-rule slip before the
    fan-out edge that also explains it), each distinct one once."""
    sweep = _Sweep(graph, wrt)
    sp = sweep.sp
    correct = sweep.in_inputs(sweep.correct[sweep.output])
    seen: set[Any] = {correct}
    makers = (_rule_variants, _chain_variants, _fan_out_variants, _whole_variants)
    for make in makers:
        for variant in make(sweep):
            expr = sp.expand(variant.expr) if sp.count_ops(variant.expr) < 40 else variant.expr
            if expr in seen or variant.expr in seen:
                continue
            seen.add(expr)
            seen.add(variant.expr)
            yield variant


def _needed(sweep: _Sweep) -> list[int]:
    """Op nodes the output depends on and whose tangent is not 0, in topological order."""
    from ..symbolic.limits import ancestors

    graph = sweep.graph
    return [
        index
        for index in ancestors(graph, sweep.output)
        if graph.nodes[index].inputs and sweep.correct[index] != 0
    ]


def _rule_variants(sweep: _Sweep) -> Iterator[_Variant]:
    graph = sweep.graph
    sp = sweep.sp
    for index in _needed(sweep):
        node = graph.nodes[index]
        rule = RULES.get(node.op)
        sign = node.op in SIGN_OPS and len(node.inputs) == 1
        if rule is None and not sign:
            continue
        args = [sweep.exprs[a] for a in node.inputs]
        arg_tangents = [sweep.correct[a] for a in node.inputs]
        texts = Texts(sweep.text(index), [sweep.text(a) for a in node.inputs])
        found = (
            rule(sp, args, arg_tangents, texts)
            if rule is not None
            else sign_rule(sp, args, arg_tangents, texts, sweep.local(index, 0))
        )
        for mistake, wrong, message in found:
            yield _Variant(
                mistake,
                index,
                sweep.variant(index, override=lambda _t, wrong=wrong: wrong),
                message,
            )


# --- generic mistakes: a chain factor, a fan-out path, the variable, the function ----------

_LINEAR_USES = {"add", "sub", "neg", "mul"}  # an inner node used only here needs no chain factor


def _chain_variants(sweep: _Sweep) -> Iterator[_Variant]:
    """The tangent of one inner node taken as 1: its factor d(inner)/dx forgotten where an
    outer function uses it."""
    graph = sweep.graph
    one = sweep.sp.Integer(1)
    for index in _needed(sweep):
        factor = sweep.correct[index]
        if index == sweep.output or factor == 1:
            continue
        outer = next(
            (
                user
                for user in graph.consumers[index]
                if graph.nodes[user].op not in _LINEAR_USES
                and not (graph.nodes[user].op == "div" and graph.nodes[user].inputs[0] == index)
            ),
            None,
        )
        if outer is None:
            continue
        inner = sweep.text(index)
        shown = formula(factor)  # in the variable asked about, a step included
        var = graph.nodes[sweep.wrt].label
        yield _Variant(
            "chain_factor_missing",
            index,
            sweep.variant(index, override=lambda _t: one),
            f"the chain rule factor d({inner})/d{var} = {shown} of {sweep.text(outer)} is missing",
        )


def _fan_out_variants(sweep: _Sweep) -> Iterator[_Variant]:
    """One use of a node that feeds several (a fan-out) left out of the sum over paths."""
    graph = sweep.graph
    needed = set(_needed(sweep))
    for index in _ancestors_with_fan_out(sweep, needed):
        users = [user for user in graph.consumers[index] if user in needed]
        names = ", ".join(dict.fromkeys(sweep.where(u) for u in users))
        for user in dict.fromkeys(users):
            node = graph.nodes[user]
            for position, arg in enumerate(node.inputs):
                if arg != index:
                    continue
                yield _Variant(
                    "fan_out_path_missing",
                    index,
                    sweep.variant(index, dropped=(user, position)),
                    f"{sweep.text(index)} feeds {len(users)} places ({names}); the path "
                    f"through {sweep.where(user)} is missing: at a fan-out the gradients "
                    "of all paths add up",
                )


def _ancestors_with_fan_out(sweep: _Sweep, needed: set[int]) -> list[int]:
    graph = sweep.graph
    return [
        index
        for index in sorted(needed | {sweep.wrt})
        if sweep.correct[index] != 0
        and len([u for u in graph.consumers[index] if u in needed]) >= 2
    ]


def _whole_variants(sweep: _Sweep) -> Iterator[_Variant]:
    """The derivative by another input, and the function itself."""
    graph = sweep.graph
    var = graph.nodes[sweep.wrt].label
    out = graph.output_name()
    for name in graph.input_names:
        index = graph.names[name]
        if index == sweep.wrt:
            continue
        other = _Sweep(graph, index)
        yield _Variant(
            "wrong_variable",
            None,
            other.correct[graph.output],
            f"this is ∂{out}/∂{name}, the derivative with respect to {name}; "
            f"the question asks for ∂{out}/∂{var}",
        )
    yield _Variant(
        "original_function",
        None,
        sweep.in_inputs(sweep.exprs[sweep.output]),
        f"this is {out} itself, not its derivative ∂{out}/∂{var}",
    )
