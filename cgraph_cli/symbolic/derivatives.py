"""The SymPy side: node expressions in the inputs, and exact forms of values and gradients.

SymPy is the symbolic back end only; text reaches it through our own parser, never through
`sympify`. Everything here is built on demand and bounded, so the numeric passes on a big graph
never touch SymPy.
"""

from __future__ import annotations

import functools
import math
import re
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from ..core.autodiff import Evaluation
from ..core.exact import rational_forms
from ..core.graph import CONST, INPUT, Graph
from ..core.ops import OPS
from ..core.timebox import TimeUp, time_box
from ..errors import TooComplex

__all__ = ["TimeUp", "time_box"]  # re-exported: the symbolic layer's users catch TimeUp

EXACT_MAX_NODES = 120  # exact forms are for homework-sized graphs
EXACT_MAX_EXPONENT = 64  # a bigger power's exact value is too long to show (or to compute)
EXACT_SECONDS = 1.0  # the last bound on exact forms, behind the size limits
_EXACT_MAX_LENGTH = 18  # longer exact forms help nobody; the decimal is shown alone


def sympy_module() -> Any:
    import sympy

    _allow_printing_constants()
    return sympy


def _allow_printing_constants() -> None:
    """Python refuses to print an int of more than 4,300 digits (a guard against quadratic
    str()); exact constants here may reach CONSTANT_MAX_DIGITS per power and a few times that
    in products, which print in milliseconds. The limit is only ever raised, never lowered."""
    limit = sys.get_int_max_str_digits()
    if 0 < limit < PRINT_MAX_DIGITS:
        sys.set_int_max_str_digits(PRINT_MAX_DIGITS)


def input_symbols(graph: Graph) -> dict[str, Any]:
    """A real SymPy symbol per input (real, so that Abs and sqrt(x^2) behave as on paper)."""
    sp = sympy_module()
    return {name: sp.Symbol(name, real=True) for name in graph.input_names}


def node_expressions(
    graph: Graph, leaves: dict[str, Any] | None = None, upto: int | None = None
) -> list[Any]:
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
            exprs.append(_apply(sp, graph, len(exprs), [exprs[a] for a in node.inputs]))
    return exprs


_LITERAL = re.compile(r"([0-9]*)\.?([0-9]*)(?:[eE]([+-]?[0-9]+))?\Z")


def constant(text: str, value: float) -> Any:
    """A literal as an exact SymPy number: `0.5` -> 1/2, `pi` -> pi, `1e-3` -> 1/1000.

    The digits and the exponent are read here, never by `Rational(text)`: `0e9999999999` would
    make it compute 10^9999999999 (a hang no time box can stop: one C call). An exact value
    with more than CONSTANT_MAX_DIGITS digits is refused.
    """
    sp = sympy_module()
    negative = text.startswith("-")
    body = text[1:] if negative else text
    literal = _LITERAL.match(body)
    if body == "pi":
        exact = sp.pi
    elif body == "e":
        exact = sp.E
    elif literal is None or not (literal.group(1) or literal.group(2)):
        exact = sp.Float(value)
    else:
        whole, fraction, power = literal.groups()
        digits = (whole + fraction).lstrip("0")
        shift = int(power or 0) - len(fraction)
        if not digits:
            exact = sp.Integer(0)
        elif len(digits) + abs(shift) > CONSTANT_MAX_DIGITS:
            raise TooComplex(
                f"the constant {body[:24]}{'...' if len(body) > 24 else ''} has too many "
                f"digits to work with exactly (over {CONSTANT_MAX_DIGITS:,})",
                _TOO_BIG_HINT,
            )
        else:
            exact = sp.Integer(int(digits)) * sp.Integer(10) ** shift
    return -exact if negative else exact


# --- exact forms at a point --------------------------------------------------------------


def exact_forms(
    evaluation: Evaluation, exact_inputs: dict[str, Any] | None = None
) -> tuple[list[str | None], list[str | None]]:
    """Short exact forms of each node's value and gradient, where they say more than the decimal.

    `1/3` beside 0.333333333333333 and `sqrt(2)/2` beside 0.707106781186548 are shown; `2` or
    `sin(9/4)` are not (the decimal already says it, or the form is no help). Empty for big
    graphs and for integer-only arithmetic, where SymPy would add time and nothing else.
    """
    graph = evaluation.graph
    size = len(graph.nodes)
    none: list[str | None] = [None] * size
    if size > EXACT_MAX_NODES or _integers_only(evaluation) or _huge_powers(evaluation):
        return none, list(none)
    rational = None if exact_inputs else rational_forms(evaluation)  # no SymPy import
    if rational is not None:
        return rational
    sympy_module()  # imported outside the box: on a busy machine the import alone takes 1 s
    try:
        with time_box(EXACT_SECONDS) as box:
            return _exact_forms(evaluation, exact_inputs or {})
    except TimeUp as up:
        if up.box is not box:
            raise
        return none, list(none)
    except Exception:  # noqa: BLE001 - exact forms are a bonus; the floats stand on their own
        return none, list(none)


def _huge_powers(evaluation: Evaluation) -> bool:
    """An exponent past EXACT_MAX_EXPONENT: exactly, (1/2)^(10^100) has 10^100 digits."""
    graph, values = evaluation.graph, evaluation.values
    return any(
        node.op not in (INPUT, CONST)
        and OPS[node.op].power
        and abs(values[node.inputs[1]]) > EXACT_MAX_EXPONENT
        for node in graph.nodes
    )


def _integers_only(evaluation: Evaluation) -> bool:
    """Whole-number inputs and constants through ops that keep integers (a power only with a
    whole constant exponent): every value and gradient is an integer, the decimal says all."""
    graph = evaluation.graph
    if any(not float(v).is_integer() for v in evaluation.inputs.values()):
        return False
    for node in graph.nodes:
        if node.op == CONST:
            if not (
                node.value is not None
                and node.value.is_integer()
                and node.text not in ("pi", "e", "-pi", "-e")
            ):
                return False
        elif node.op == INPUT:
            continue
        elif OPS[node.op].power:
            exponent = graph.nodes[node.inputs[1]]
            if not (
                exponent.op == CONST
                and exponent.value is not None
                and exponent.value.is_integer()
                and exponent.value >= 0
            ):
                return False
        elif not OPS[node.op].keeps_integers:
            return False
    return True


def _exact_forms(
    evaluation: Evaluation, exact_inputs: dict[str, Any]
) -> tuple[list[str | None], list[str | None]]:
    sp = sympy_module()
    graph = evaluation.graph
    leaves = {
        name: exact_inputs.get(name, _exact_input(value))
        for name, value in evaluation.inputs.items()
    }
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
                slope = local_partial(node.op, position, [values[a] for a in node.inputs])
                grads[arg] = grads[arg] + grads[index] * slope
    return (
        [_presentable(sp, v, f) for v, f in zip(values, evaluation.values, strict=True)],
        [_presentable(sp, g, f) for g, f in zip(grads, evaluation.grads, strict=True)],
    )


def _exact_input(value: float) -> Any:
    """An input's exact value: short decimals as rationals, 1/3 and pi/4 recognised."""
    sp = sympy_module()
    text = repr(float(value))
    if len(text.replace("-", "").replace(".", "").lstrip("0")) <= 8 and "e" not in text:
        return sp.Rational(text)
    guess = sp.nsimplify(value, [sp.pi], tolerance=1e-14, rational=False)
    if len(str(guess)) <= _EXACT_MAX_LENGTH and math.isclose(float(guess), value, rel_tol=1e-14):
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
    allowed = (
        sp.Add,
        sp.Mul,
        sp.Pow,
        sp.Rational,
        sp.log,
        type(sp.pi),
        type(sp.E),
        sp.core.numbers.NegativeOne,
        sp.core.numbers.Half,
        sp.core.numbers.One,
    )
    for part in sp.preorder_traversal(exact):
        if not isinstance(part, allowed) and not part.is_Rational:
            return None
    from .printing import text as cgraph_text

    text = cgraph_text(exact)
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


# --- symbolic derivatives: one reverse sweep over SymPy expressions ------------------------
#
# Reverse mode works on symbols as it does on floats: each op's local partial (its SymPy form
# differentiated once per op kind, then filled in with the argument expressions) times the
# adjoint flowing back, summed at fan-outs. The node expressions are shared Python objects, so
# one sweep costs about as much as building the output once, where SymPy's `diff` per variable
# walks the whole expression again for every input.
#
# A big program's derivatives written out in the inputs run to pages, so they are written in
# terms of the program's named steps instead (each step a symbol, defined once): the common
# subexpressions the author already named.

SYMBOLIC_MAX_NODES = 5_000  # ops feeding the output; past this, printing alone takes minutes
SYMBOLIC_MAX_DEPTH = 120  # nesting after sums and products flatten; SymPy's printers recurse
SYMBOLIC_SECONDS = 20.0  # the whole job, a last resort behind the size limits
DERIVATIVES_MAX_SIZE = 60_000  # estimated size of the derivatives (see _measures)
INLINE_MAX_SIZE = 1_500  # derivatives estimated bigger than this in the inputs use the steps
SIMPLIFY_MAX_OPS = 20  # simplify() takes seconds on bigger ones (measured); factor_terms then
SIMPLIFY_SECONDS = 1.0  # per derivative
SIMPLIFY_BUDGET_SECONDS = 3.0  # for all derivatives of one question
FACTOR_MAX_OPS = 3_000  # factor_terms() beyond this costs more than it helps
STEPS_FACTOR_MAX_SIZE = 10_000  # steps form: factor_terms() only below this estimated size
CONSTANT_MAX_DIGITS = 10_000  # an exact constant with more digits is refused, not computed
PRINT_MAX_DIGITS = 100_000  # Python's int-to-text limit while SymPy is in use (default 4,300)
_PRODUCT_MAX_BITS = PRINT_MAX_DIGITS // 2 * 10 // 3  # a product of constants: half that
_TOO_BIG_HINT = "use `cgraph eval` for the numbers (it handles 100,000-node programs)"


@dataclass(frozen=True)
class Derivative:
    """d output / d `wrt` as a SymPy expression; `method` says how it was tidied."""

    wrt: str
    index: int
    expr: Any
    method: str  # "simplify", "factor_terms" (too big for simplify) or "none" (huge)


@dataclass(frozen=True)
class Derivatives:
    """The answer to `cgraph diff`: derivatives, and the steps they are written in, if any."""

    items: list[Derivative]
    in_steps: bool  # written in terms of the program's named steps
    steps: list[tuple[str, Any]]  # (name, definition) of each step the items use, in order


def derivatives(
    graph: Graph, wrt: Sequence[int], output: int | None = None, in_steps: bool | None = None
) -> Derivatives:
    """d output / d node for each node in `wrt`, by one reverse sweep over SymPy expressions.

    A step in `wrt` is a variable of the graph downstream of it (d f / d q = z for f = q * z).
    `in_steps`: True writes the results in terms of the named steps, False in the inputs,
    None picks the inputs unless that would be large. Raises TooComplex for programs too big
    or too deep for symbolic work, and when the job runs past SYMBOLIC_SECONDS.
    """
    target = graph.output if output is None else output
    _check_operations(graph, target)  # first: a 100,000-node program is refused at once
    if in_steps is None:
        in_steps = not _inline_is_small(graph, target, wrt)
    measures = check_symbolic_size(graph, target, wrt, in_steps)
    try:
        with time_box(SYMBOLIC_SECONDS) as box:
            return _derivatives(graph, list(wrt), target, in_steps, measures.derivatives)
    except TimeUp as up:
        if up.box is not box:
            raise
        raise TooComplex(
            f"the symbolic derivatives took over {SYMBOLIC_SECONDS:g} s", _TOO_BIG_HINT
        ) from None
    except RecursionError:
        raise TooComplex(
            "the symbolic derivatives are nested too deeply to handle", _TOO_BIG_HINT
        ) from None


def _inline_is_small(graph: Graph, output: int, wrt: Sequence[int]) -> bool:
    measures = _measures(graph, output, False, wrt)
    return measures.derivatives <= INLINE_MAX_SIZE and measures.depth <= SYMBOLIC_MAX_DEPTH


def _derivatives(
    graph: Graph, wrt: list[int], output: int, in_steps: bool, size: int
) -> Derivatives:
    raw, written = _raw_derivatives(graph, wrt, output, in_steps)
    if in_steps:  # compact already: only common factors pulled out, and only if that is quick
        tidied = size <= STEPS_FACTOR_MAX_SIZE
        items = [
            Derivative(
                graph.nodes[i].label,
                i,
                sympy_module().factor_terms(raw[i]) if tidied else raw[i],
                "factor_terms" if tidied else "none",
            )
            for i in wrt
        ]
    else:
        budget = [SIMPLIFY_BUDGET_SECONDS]
        items = [Derivative(graph.nodes[i].label, i, *tidy(raw[i], budget)) for i in wrt]
    steps = (
        _steps_used(graph, [item.expr for item in items], output, written)
        if (in_steps and written)
        else []
    )
    return Derivatives(items, in_steps, steps)


def _raw_derivatives(
    graph: Graph, wrt: list[int], output: int, in_steps: bool
) -> tuple[dict[int, Any], list[Any]]:
    """Inputs (and, in steps mode, everything) share one sweep; each step asked for in inputs
    mode gets its own, which stops at the step. Also returns the shared sweep's expressions."""
    sp = sympy_module()
    leaves = _leaves(graph, output, in_steps)
    found: dict[int, Any] = {i: sp.Integer(0) for i in wrt if i > output}
    shared = [i for i in wrt if i <= output and (in_steps or i in leaves)]
    written: list[Any] = []
    if shared:
        written = _expressions(graph, leaves, output)
        adjoints = _sweep(graph, written, output, min(shared))
        found.update({i: _collapse(sp, adjoints[i]) for i in shared})
    for step in (i for i in wrt if i <= output and i not in found):
        symbol = sp.Symbol(graph.nodes[step].label, real=True)
        exprs = _expressions(graph, {**leaves, step: symbol}, output)
        found[step] = _collapse(sp, _sweep(graph, exprs, output, step)[step])
    return found, written


def _leaves(graph: Graph, output: int, in_steps: bool) -> dict[int, Any]:
    """Symbols for the inputs, and in steps mode for the named steps before the output."""
    sp = sympy_module()
    return {
        index: sp.Symbol(node.name, real=True)  # type: ignore[arg-type]
        for index, node in enumerate(graph.nodes[: output + 1])
        if node.op == INPUT
        or (in_steps and node.name is not None and node.op != CONST and index != output)
    }


def _sweep(graph: Graph, exprs: list[Any], output: int, stop: int) -> list[Any]:
    """Adjoints d output / d node from the output down to node `stop`, summed over out-edges.

    An adjoint is kept as a sum of products, each product a linked list (factor, rest) that
    shares its tail with the adjoint it came from: a step costs O(1), where multiplying SymPy
    products as they grow costs O(length) each time, O(n^2) along a chain. A node reached by
    several paths becomes one SymPy sum when the sweep gets to it, so paths never multiply.
    """
    sp = sympy_module()
    terms: list[list[Any]] = [[] for _ in exprs]
    terms[output] = [None]  # one product with no factors: 1
    varying = graph.varying
    for index in range(output, stop, -1):
        node = graph.nodes[index]
        pending = terms[index]
        if not pending or not node.inputs:
            continue
        if len(pending) > 1:
            total = _collapse(sp, pending)
            pending = terms[index] = [(total, None)] if total != 0 else []
        args = [exprs[a] for a in node.inputs]
        for position, arg in enumerate(node.inputs):
            if not pending or not varying[arg]:
                continue
            local = local_partial(node.op, position, args, exprs[index])
            if local != 0:
                terms[arg].extend(pending if local == 1 else [(local, t) for t in pending])
    return terms


def _collapse(sp: Any, products: list[Any]) -> Any:
    """A sum of linked-list products as one SymPy expression (each product flattened once)."""
    total = []
    for product in products:
        factors = []
        while product is not None:
            factors.append(product[0])
            product = product[1]
        total.append(sp.Mul(*factors))
    return sp.Add(*total)


def _expressions(graph: Graph, leaves: dict[int, Any], upto: int) -> list[Any]:
    """Node expressions up to `upto`, with the nodes in `leaves` as the given symbols.

    Exact constants are checked before SymPy computes them: `9^9^9` would never return.
    """
    sp = sympy_module()
    exprs: list[Any] = []
    for index, node in enumerate(graph.nodes[: upto + 1]):
        if index in leaves:
            exprs.append(leaves[index])
        elif node.op == CONST:
            exprs.append(constant(node.text or "", node.value))  # type: ignore[arg-type]
        else:
            exprs.append(_apply(sp, graph, index, [exprs[a] for a in node.inputs]))
    return exprs


def _apply(sp: Any, graph: Graph, index: int, args: list[Any]) -> Any:
    """The node's op on SymPy arguments (a power of numbers checked for size first)."""
    spec = OPS[graph.nodes[index].op]
    if spec.power:
        _check_power(sp, graph, index, *args)
    result = spec.sympy(sp, *args)
    if result.is_Rational and (
        abs(result.p).bit_length() + result.q.bit_length() > _PRODUCT_MAX_BITS
    ):
        raise TooComplex(
            f"the constant {graph.texts[index][:40]} has too many digits to compute "
            f"exactly (over {PRINT_MAX_DIGITS // 2:,})",
            _TOO_BIG_HINT,
        )
    return result


def _steps_used(
    graph: Graph, exprs: list[Any], output: int, written: list[Any]
) -> list[tuple[str, Any]]:
    """(name, definition) of the named steps the expressions mention, and of the steps those
    definitions mention, in topological order: what a reader needs to evaluate them.
    `written` holds the steps-mode node expressions (named steps as symbols)."""
    sp = sympy_module()
    leaves = _leaves(graph, output, True)
    steps = {leaves[i].name: i for i in leaves if graph.nodes[i].op != INPUT}
    steps[graph.nodes[output].label] = output
    pending = [s.name for e in exprs for s in e.free_symbols if s.name in steps]
    definitions: dict[int, Any] = {}
    while pending:
        index = steps[pending.pop()]
        if index in definitions:
            continue
        args = [written[a] for a in graph.nodes[index].inputs]
        definitions[index] = _apply(sp, graph, index, args)
        pending.extend(s.name for s in definitions[index].free_symbols if s.name in steps)
    return [(graph.nodes[i].label, definitions[i]) for i in sorted(definitions)]


def _check_power(sp: Any, graph: Graph, index: int, base: Any, exponent: Any) -> None:
    """Refuse an exact power of numbers with more than CONSTANT_MAX_DIGITS digits.

    For a fraction p/q the digits are those of p^n and q^n together: `(1 + 10^-20)^(10^30)`
    is about 1.0 as a float but has 2*10^31 digits exactly.
    """
    if not (base.is_number and exponent.is_number) or base.is_zero or exponent.is_zero:
        return
    try:
        if base.is_Rational:
            size = math.log10(abs(base.p)) + math.log10(base.q)  # exact for big ints too
            digits = abs(float(exponent.evalf(8))) * size
        else:
            digits = abs(float(exponent.evalf(8))) * abs(float(sp.log(sp.Abs(base), 10).evalf(8)))
    except (TypeError, ValueError, OverflowError):
        digits = math.inf
    if not digits <= CONSTANT_MAX_DIGITS:
        raise TooComplex(
            f"the constant {graph.texts[index]} has too many digits to compute "
            f"exactly (over {CONSTANT_MAX_DIGITS:,})",
            _TOO_BIG_HINT,
        )


@functools.cache
def _partial_forms(op_name: str, arity: int) -> tuple[tuple[Any, ...], tuple[Any, ...]]:
    """The op's partials in placeholder symbols, made once per op kind and arity: the table's
    own symbolic partials (kinks as PyTorch), else its SymPy form differentiated."""
    sp = sympy_module()
    dummies = tuple(sp.Dummy(f"a{i}", real=True) for i in range(arity))
    spec = OPS[op_name]
    if spec.sympy_partials is not None:
        return dummies, tuple(spec.sympy_partials(sp, *dummies))
    form = spec.sympy(sp, *dummies)
    return dummies, tuple(sp.diff(form, d) for d in dummies)


def local_partial(op_name: str, position: int, args: Sequence[Any], own: Any = None) -> Any:
    """d op(args) / d args[position], from the op table (kinks as PyTorch).

    `own` is the node's own symbol where it has one: tanh' = 1 - h^2 then reuses it, as the
    numeric partials reuse the output.
    """
    in_output = OPS[op_name].partial_in_output
    if own is not None and own.is_Symbol and in_output is not None:
        return in_output(own)
    dummies, partials = _partial_forms(op_name, len(args))
    return partials[position].xreplace(dict(zip(dummies, args, strict=True)))


def check_symbolic_size(
    graph: Graph, output: int, wrt: Sequence[int] = (), in_steps: bool = False
) -> _Measures:
    """Refuse, before any SymPy object exists, a program too big or deep for symbolic work;
    return the measures taken."""
    _check_operations(graph, output)
    measures = _measures(graph, output, in_steps, wrt)
    if measures.depth > SYMBOLIC_MAX_DEPTH:
        raise TooComplex(
            f"the expression is nested {measures.depth:,} levels deep; symbolic "
            f"derivatives are limited to {SYMBOLIC_MAX_DEPTH}",
            f"name some inner steps (`u = ...`) to cut the nesting, or {_TOO_BIG_HINT}",
        )
    if measures.derivatives > DERIVATIVES_MAX_SIZE:
        raise TooComplex(
            "the derivatives written out would run to about "
            f"{measures.derivatives:,} terms (limit {DERIVATIVES_MAX_SIZE:,}): "
            "steps reused along many paths",
            _TOO_BIG_HINT,
        )
    return measures


def _check_operations(graph: Graph, output: int) -> None:
    needed = _ancestors(graph, output)
    ops = sum(1 for i in needed if graph.nodes[i].op not in (INPUT, CONST))
    if ops > SYMBOLIC_MAX_NODES:
        raise TooComplex(
            f"the program has {ops:,} operations; symbolic derivatives are limited "
            f"to {SYMBOLIC_MAX_NODES:,}",
            _TOO_BIG_HINT,
        )


def _ancestors(graph: Graph, output: int) -> list[int]:
    """The nodes the output depends on, itself included (one reverse loop)."""
    needed = [False] * (output + 1)
    needed[output] = True
    for index in range(output, -1, -1):
        if needed[index]:
            for arg in graph.nodes[index].inputs:
                needed[arg] = True
    return [i for i, flag in enumerate(needed) if flag]


class _Measures(NamedTuple):
    depth: int  # deepest nesting, sums and products flattened as SymPy does
    derivatives: int  # estimated size of all the derivatives asked for, written out


def _measures(graph: Graph, output: int, in_steps: bool, wrt: Sequence[int]) -> _Measures:
    """Sizes predicted from the graph alone, in integers (cheap even for a huge graph).

    A node's size is its expression written out (a named step is one symbol in steps mode).
    The derivative estimate runs reverse mode on sizes: an adjoint is as big as the adjoints
    flowing into it plus the local partials that multiply them. It overestimates (SymPy merges
    like terms) but grows as the real thing does, exponentially when steps are reused along
    many paths.
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
    adjoint = [0] * (output + 1)
    adjoint[output] = 1
    varying = graph.varying
    for index in range(output, -1, -1):
        node = graph.nodes[index]
        if not adjoint[index] or not node.inputs:
            continue
        sizes = [size[a] for a in node.inputs]
        for position, arg in enumerate(node.inputs):
            if varying[arg]:
                grown = adjoint[index] + _local_size(node.op, position, sizes)
                adjoint[arg] = min(cap, adjoint[arg] + grown)
    return _Measures(deepest, sum(adjoint[i] for i in wrt if i <= output))


def _flattens(graph: Graph, index: int) -> str | None:
    op_name = graph.nodes[index].op
    return None if op_name in (INPUT, CONST) else OPS[op_name].flattens


def _local_size(op_name: str, position: int, sizes: list[int]) -> int:
    """Size of a local partial, as the op table estimates it (default: all its arguments)."""
    estimate = OPS[op_name].partial_size
    return 1 + sum(sizes) if estimate is None else estimate(position, sizes)


# --- tidying -------------------------------------------------------------------------------


def tidy(expr: Any, budget: list[float] | None = None) -> tuple[Any, str]:
    """simplify() for small expressions, time-boxed and drawing on a shared `budget` of
    seconds; factor_terms(), which only pulls out common factors and is about linear, for
    bigger ones; nothing at all for huge ones."""
    sp = sympy_module()
    ops = sp.count_ops(expr)
    left = SIMPLIFY_SECONDS if budget is None else min(SIMPLIFY_SECONDS, budget[0])
    if ops <= SIMPLIFY_MAX_OPS and left > 0:
        started = time.monotonic()
        try:
            with time_box(left) as box:
                return _simplified(sp, expr), "simplify"
        except TimeUp as up:
            if up.box is not box:
                raise
        finally:
            if budget is not None:
                budget[0] -= time.monotonic() - started
    if ops <= FACTOR_MAX_OPS:
        return sp.factor_terms(expr), "factor_terms"
    return expr, "none"


def _simplified(sp: Any, expr: Any) -> Any:
    """simplify(), then common factors pulled out (2*b - 2*t -> 2*(b - t)) if that is shorter;
    never longer than what came in."""
    best = expr
    for candidate in (sp.simplify(expr),):
        factored = sp.factor_terms(candidate)
        for form in (candidate, factored):
            if sp.count_ops(form) <= sp.count_ops(best):
                best = form
    return best
