"""The wrong chain-rule steps students take, one rule per op: the product rule as f′g′, the
quotient rule reversed, the power rule without lowering the exponent, e^x as a power, a sign
lost on cos, a log base forgotten, ... Each rule gets the node's arguments, their (correct)
tangents and the words for a message, and returns the node's wrong tangents, each with its
mistake kind (a key of diagnosis.KINDS) and the sentence a student reads. diagnosis.py runs
them at every node of the graph.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


def formula(expr: Any) -> str:
    """A derivative as cgraph reads it, with `2*x` written `2x` as on paper."""
    from ..symbolic.printing import text

    return re.sub(r"(?<![\w.])(\d+)\*(?=[A-Za-z(])", r"\1", text(expr))


def _paren(text: str) -> str:
    """`x` and `sin(x)` stay as they are; `x + 1` gets parentheses."""
    return text if re.fullmatch(r"[\w.]+(\(.*\))?", text) else f"({text})"


@dataclass(frozen=True)
class Texts:
    """The words a message needs: the node (`sin(x^2)`) and its arguments (`x^2`)."""

    node: str
    args: list[str]


# A rule takes (sp, args, the args' tangents, the texts) and returns the node's wrong
# tangents, each with its mistake kind and the sentence that says what went wrong.
Found = list[tuple[str, Any, str]]
Rule = Callable[[Any, list[Any], list[Any], Texts], Found]


def _product(sp: Any, a: list[Any], t: list[Any], w: Texts) -> Found:
    if t[0] == 0 or t[1] == 0:
        return []
    f, g = w.args
    return [
        (
            "product_rule_as_product",
            t[0] * t[1],
            f"the product rule at {w.node} was applied as f′·g′; it is f′·g + f·g′ "
            f"with f = {f}, g = {g}",
        ),
        (
            "product_term_missing",
            t[0] * a[1],
            f"the product rule at {w.node} is missing its second term f·g′ "
            f"(f = {f}, g = {g}): d(uv) = u′v + uv′",
        ),
        (
            "product_term_missing",
            a[0] * t[1],
            f"the product rule at {w.node} is missing its first term f′·g "
            f"(f = {f}, g = {g}): d(uv) = u′v + uv′",
        ),
    ]


def _quotient(sp: Any, a: list[Any], t: list[Any], w: Texts) -> Found:
    if t[1] == 0:
        return []
    numerator = t[0] * a[1] - a[0] * t[1]
    f, g = w.args
    out = [
        (
            "quotient_numerator_reversed",
            -numerator / a[1] ** 2,
            f"the quotient rule at {w.node} has its numerator reversed: it is "
            f"(f′g − fg′)/g², f = {f}, g = {g}",
        ),
        (
            "quotient_square_missing",
            numerator / a[1],
            f"the quotient rule at {w.node} is missing the square in the denominator: "
            f"it is (f′g − fg′)/g² with g = {g}",
        ),
    ]
    if t[0] != 0:
        out += [
            (
                "quotient_term_missing",
                t[0] * a[1] / a[1] ** 2,
                f"the quotient rule at {w.node} is missing the term −f·g′ of its numerator: "
                f"it is (f′g − fg′)/g², f = {f}, g = {g}",
            ),
            (
                "quotient_term_missing",
                -a[0] * t[1] / a[1] ** 2,
                f"the quotient rule at {w.node} is missing the term f′·g of its numerator: "
                f"it is (f′g − fg′)/g², f = {f}, g = {g}",
            ),
        ]
        out.append(
            (
                "quotient_as_ratio",
                t[0] / t[1],
                f"the quotient rule at {w.node} was applied as f′/g′; it is (f′g − fg′)/g², "
                f"f = {f}, g = {g}",
            )
        )
    if a[0].is_number:  # c/u: its derivative is not c·ln(u)
        out.append(
            (
                "log_vs_reciprocal",
                a[0] * sp.log(a[1]) * t[1],
                f"the derivative of {w.node} is −{f}/{_paren(g)}², not "
                f"{'' if f == '1' else f + '·'}ln({g}): "
                "ln is what you get by integrating 1/u",
            )
        )
    return out


def _power(sp: Any, a: list[Any], t: list[Any], w: Texts) -> Found:
    base, exponent = a
    if t[1] == 0:  # u^n with a constant n
        n = exponent
        out = [
            (
                "power_exponent_kept",
                n * base**n * t[0],
                f"the power rule at {w.node} was applied without lowering the exponent: "
                "d(u^n) = n·u^(n−1)·u′",
            ),
            (
                "power_coefficient_missing",
                base ** (n - 1) * t[0],
                f"the power rule at {w.node} is missing the factor n = {w.args[1]}: "
                "d(u^n) = n·u^(n−1)·u′",
            ),
        ]
        if n == -1:
            out.append(
                (
                    "log_vs_reciprocal",
                    sp.log(base) * t[0],
                    f"the derivative of {w.node} is −1/{_paren(w.args[0])}², not ln({w.args[0]}): "
                    "ln is what you get by integrating 1/u",
                )
            )
        return out
    if t[0] == 0:  # a^u with a constant base
        return [
            (
                "exponential_as_power",
                exponent * base ** (exponent - 1) * t[1],
                f"{w.node} is an exponential, not a power: d(a^u) = a^u·ln(a)·u′, not u·a^(u−1)",
            ),
            (
                "log_base_forgotten",
                base**exponent * t[1],
                f"the factor ln({w.args[0]}) of d({w.node}) is missing: d(a^u) = a^u·ln(a)·u′",
            ),
        ]
    return []


def _sqrt(sp: Any, a: list[Any], t: list[Any], w: Texts) -> Found:
    half = sp.Rational(1, 2)
    return [
        (
            "power_exponent_kept",
            half * sp.sqrt(a[0]) * t[0],
            f"the power rule at {w.node} was applied without lowering the exponent: "
            "sqrt(u) = u^(1/2) has the derivative (1/2)·u^(−1/2)·u′",
        ),
        (
            "power_coefficient_missing",
            a[0] ** -half * t[0],
            f"the power rule at {w.node} is missing the factor 1/2: d sqrt(u) = (1/2)·u^(−1/2)·u′",
        ),
    ]


def _exp(sp: Any, a: list[Any], t: list[Any], w: Texts) -> Found:
    return [
        (
            "exponential_as_power",
            a[0] * sp.exp(a[0] - 1) * t[0],
            f"{w.node} is an exponential, not a power: d(e^u) = e^u·u′, not u·e^(u−1)",
        )
    ]


def _log(sp: Any, a: list[Any], t: list[Any], w: Texts) -> Found:
    return [
        (
            "log_vs_reciprocal",
            sp.log(a[0]) * t[0],
            f"the derivative of {w.node} is 1/{_paren(w.args[0])}, not {w.node}",
        )
    ]


def _log_base(base: int) -> Rule:
    def rule(sp: Any, a: list[Any], t: list[Any], w: Texts) -> Found:
        return [
            (
                "log_base_forgotten",
                t[0] / a[0],
                f"the base of {w.node} is forgotten: d log_{base}(u) = u′/(u·ln {base}), "
                "the factor 1/ln "
                f"{base} is missing",
            )
        ]

    return rule


def sign_rule(sp: Any, a: list[Any], t: list[Any], w: Texts, local: Any) -> Found:
    return [
        (
            "sign_error",
            -local * t[0],
            f"the sign of the derivative of {w.node} is wrong: "
            f"d/du {w.node.split('(')[0]}(u) = {_show(sp, local, a[0])}",
        )
    ]


def _subtract(sp: Any, a: list[Any], t: list[Any], w: Texts) -> Found:
    if t[1] == 0:
        return []
    return [
        (
            "sign_error",
            t[0] + t[1],
            f"the minus sign in {w.node} is lost: the derivative of −({w.args[1]}) is "
            f"−d({w.args[1]})",
        )
    ]


def _show(sp: Any, local: Any, arg: Any) -> str:
    return formula(local.xreplace({arg: sp.Symbol("u", real=True)}))


# Ops whose derivative students get with the wrong sign: trigonometric and hyperbolic
# functions and their inverses (only those in the op table are ever met).
SIGN_OPS = frozenset(
    "sin cos tan sec csc cot sinh cosh tanh sech csch coth "
    "asin acos atan asec acsc acot asinh acosh atanh".split()
)

RULES: dict[str, Rule] = {
    "mul": _product,
    "div": _quotient,
    "pow": _power,
    "sqrt": _sqrt,
    "exp": _exp,
    "log": _log,
    "log2": _log_base(2),
    "log10": _log_base(10),
    "sub": _subtract,
}
