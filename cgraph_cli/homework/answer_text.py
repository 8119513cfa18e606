"""Read an answer as students write it, knowing the program it answers.

What they paste around it: `f'(x) = ...`, `dy/dx = ...`, `∂L/∂w = ...`, `d/dx(x^2 sin x) =
...`. The left side is dropped when it names the derivative that was asked for, and is an error
naming both when it names another one: an answer for ∂L/∂b given where ∂L/∂w was asked is a
mistake to point out, not a wrong verdict to explain later.

Factors run together as answer keys print them: `xe^x`, `2ax + b`. A name that is not a
variable of the program but splits wholly into its variables (and pi, e) is read as their
product, with a note; a name that does not split stays an error.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Collection

from ..core.graph import Graph
from ..core.lexer import tokenize
from ..core.names import is_reserved
from ..core.ops import CONSTANTS
from ..errors import InputError, ParseError

_NAME = r"[A-Za-z_\u0391-\u03c9][A-Za-z0-9_\u2080-\u2089]*"
# f'(x), y′, f’(x): Lagrange's prime notation.
_PRIME = re.compile(
    rf"\s*(?P<f>{_NAME})\s*(?P<primes>['′’]+)\s*(?:\(\s*(?P<var>[^()]*?)\s*\))?\s*\Z"
)
# dy/dx, d f / d x, ∂L/∂w, d/dx, d/dx(x^2), (d/dx) x^2: Leibniz's notation.
_LEIBNIZ = re.compile(
    rf"\s*\(?\s*[d∂]\s*(?P<f>{_NAME})?\s*/\s*[d∂]\s*(?P<var>{_NAME})\s*\)?(?P<rest>.*)\Z", re.S
)


def read_answer(
    answer: str, graph: Graph, wrt: int, variables: Collection[str]
) -> tuple[str, tuple[str, ...]]:
    """The answer's text as the parser should read it, and notes on what was changed."""
    return split_run_together(strip_left_side(answer, graph, wrt), variables)


def split_run_together(text: str, variables: Collection[str]) -> tuple[str, tuple[str, ...]]:
    """`xe^x` -> `x*e^x` when `xe` is no variable but x is (see the module docstring)."""
    try:
        tokens = tokenize(text)
    except ParseError:
        return text, ()  # the parser says what is wrong
    vocabulary = set(variables) | {name for name in CONSTANTS if name not in variables}
    notes = []
    for kind, name, start in reversed(tokens):
        if kind != "name" or name in vocabulary or is_reserved(name):
            continue
        parts = _split(name, vocabulary)
        if parts:
            text = text[:start] + "*".join(parts) + text[start + len(name) :]
            notes.append(f"read `{name}` as {'·'.join(parts)}: `{name}` is not a variable")
    return text, tuple(reversed(notes))


def _split(name: str, vocabulary: set[str]) -> list[str] | None:
    """The fewest names of `vocabulary` that spell `name` (at least two), else None."""
    best: list[list[str] | None] = [[]] + [None] * len(name)
    for end in range(1, len(name) + 1):
        for start in range(end):
            before, part = best[start], name[start:end]
            if before is not None and part in vocabulary:
                if best[end] is None or len(before) + 1 < len(best[end]):  # type: ignore[arg-type]
                    best[end] = [*before, part]
    found = best[len(name)]
    if found is None or len(found) < 2 or any(a == b for a, b in itertools.pairwise(found)):
        return None  # `tt` is a typo for t more often than t·t, which nobody prints
    return found


def strip_left_side(answer: str, graph: Graph, wrt: int) -> str:
    """The answer without a left side that names the derivative asked for (∂output/∂wrt)."""
    if "=" not in answer:
        return answer
    left, _, right = answer.partition("=")
    left = left.replace("″", "′′").replace("‴", "′′′")  # double and triple prime characters
    output, variable = graph.output_name(), graph.nodes[wrt].label
    asked = f"∂{output}/∂{variable}"
    if not left.strip():  # `=2*x`: a spreadsheet formula's `=`, or a left side left out
        raise InputError(
            "the answer starts with `=`", f"give the derivative itself: {right.strip()}"
        )
    if "=" in right:
        raise InputError(
            "the answer has more than one `=`", f"give only the derivative, as in {asked} = 2x"
        )
    if not right.strip():
        raise InputError("the answer has nothing after `=`", f"give the derivative after {asked} =")
    prime, leibniz = _PRIME.match(left), _LEIBNIZ.match(left)
    if prime is not None:
        if len(prime["primes"]) > 1:
            _refuse(left, f"a derivative of order {len(prime['primes'])}", asked)
        function, by = prime["f"], (prime["var"] or "").strip() or None
    elif leibniz is not None:
        function, by = leibniz["f"], leibniz["var"]
    else:
        raise InputError(
            f"cannot read the left side `{left.strip()}` of the answer",
            f"give only the derivative, or start it with {asked} = , d{output}/d{variable} = "
            f"or {output}'({variable}) =",
        )
    if by is not None and by != variable:
        _refuse(left, f"the derivative by {by}", asked)
    if function and function != output and function in graph.names:
        _refuse(left, f"the derivative of {function}", asked)
    return right


# d²y/dx², d^2y/dx^2, d^{2}y/dx^{2}, ∂²f/∂x²: Leibniz's notation for the nth derivative.


def _order(group: str) -> str:
    return rf"(?:\^\s*\{{?\s*(?P<{group}>[0-9]+)\s*\}}?|(?P<{group}s>[²³⁴⁵⁶⁷⁸⁹]))"


_LEIBNIZ_N = re.compile(
    rf"\s*[d∂]\s*{_order('n')}?\s*(?P<f>{_NAME})?\s*/\s*[d∂]\s*(?P<var>{_NAME})\s*"
    rf"{_order('m')}?\s*\Z"
)
_SUPERSCRIPT_ORDERS = {char: index + 2 for index, char in enumerate("²³⁴⁵⁶⁷⁸⁹")}


def strip_higher_left_side(answer: str, graph: Graph, wrt: list[int]) -> str:
    """The answer to a higher derivative without a left side naming it: `f''(x) =`,
    `y'' =`, `d²y/dx² =`, `d^2y/dx^2 =` (one variable, as many primes or as high an order as
    asked); a left side naming another order or variable is an error saying both."""
    if "=" not in answer:
        return answer
    left, _, right = answer.partition("=")
    left = left.replace("″", "′′").replace("‴", "′′′")  # double and triple prime characters
    output, order = graph.output_name(), len(wrt)
    variables = {graph.nodes[i].label for i in wrt}
    variable = next(iter(variables))
    power = "²" if order == 2 else f"^{order}"
    asked = f"∂{power}{output}/∂{variable}{power}"
    if len(variables) > 1 or "=" in right or not right.strip() or not left.strip():
        raise InputError(
            f"cannot read the left side `{left.strip()}` of the answer",
            "give only the derivative, without a left side",
        )
    prime, leibniz = _PRIME.match(left), _LEIBNIZ_N.match(left)
    if prime is not None:
        function, by, given = prime["f"], (prime["var"] or "").strip() or None, len(prime["primes"])
    elif leibniz is not None:
        function, by = leibniz["f"], leibniz["var"]
        top = leibniz["n"] or _SUPERSCRIPT_ORDERS.get(leibniz["ns"] or "", 1)
        bottom = leibniz["m"] or _SUPERSCRIPT_ORDERS.get(leibniz["ms"] or "", 1)
        if int(top) != int(bottom):
            _refuse(left, "no derivative (the orders above and below differ)", asked)
        given = int(top)
    else:
        raise InputError(
            f"cannot read the left side `{left.strip()}` of the answer",
            f"give only the derivative, or start it with {output}{chr(39) * order}({variable}) =",
        )
    if given != order:
        _refuse(left, f"a derivative of order {given}", asked)
    if by is not None and by != variable:
        _refuse(left, f"the derivative by {by}", asked)
    if function and function != output and function in graph.names:
        _refuse(left, f"the derivative of {function}", asked)
    return right


def _refuse(left: str, what: str, asked: str) -> None:
    raise InputError(
        f"the answer's left side `{left.strip()}` names {what}, but the question asks for {asked}",
        "check the --wrt variable, or remove the left side",
    )
