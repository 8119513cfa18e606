"""What a name means: a function as a textbook writes it, a constant, or a variable.

Functions come from the op table (`ops.FUNCTIONS`, spellings included); here are the forms
around them: `sin^-1` is the inverse, `log_2`, `log₂` and `log_b` are logarithms with a base.
Every function name, and every common mathematical function cgraph does not compute, is
reserved: it can never silently become a variable (`2x - sec` is an error, not `2x - sec·1`).
"""

from __future__ import annotations

import keyword
import re

from ..errors import ParseError
from .ops import FUNCTIONS

# Names typed as pasted, read as the name meant (π is the constant pi; the micro sign is mu).
NAME_ALIASES = {"π": "pi", "µ": "μ"}

# `f^-1` as every textbook writes it: the inverse function.
INVERSES = {
    "sin": "asin",
    "cos": "acos",
    "tan": "atan",
    "sec": "asec",
    "csc": "acsc",
    "cot": "acot",
    "sinh": "asinh",
    "cosh": "acosh",
    "tanh": "atanh",
    "sech": "asech",
    "csch": "acsch",
    "coth": "acoth",
}

# Mathematical functions cgraph does not compute, with what to write instead.
UNSUPPORTED: dict[str, str] = {
    "gamma": "for the Greek letter as a variable write γ",
    "lgamma": "the log-Gamma function is not supported",
    "digamma": "the digamma function is not supported",
    "factorial": "factorials are not supported",
    "fact": "factorials are not supported",
    "floor": "step functions have no useful derivative",
    "ceil": "step functions have no useful derivative",
    "round": "step functions have no useful derivative",
    "trunc": "step functions have no useful derivative",
    "mod": "the modulo operator is not supported",
    "gcd": "integer functions are not supported",
    "lcm": "integer functions are not supported",
    "lg": "lg means log base 10 or base 2 depending on the book: write log_10 x or log_2 x",
    "lb": "write log_2 x",
    "arg": "complex numbers are not supported",
    "Re": "complex numbers are not supported",
    "Im": "complex numbers are not supported",
    "conj": "complex numbers are not supported",
    "det": "matrices are not supported",
    "Li": "the logarithmic integral is not supported",
    "li": "the logarithmic integral is not supported",
    "Ei": "the exponential integral is not supported",
    "Si": "the sine integral is not supported",
    "Ci": "the cosine integral is not supported",
    "sinc": "write sin(x)/x",
    "cis": "complex numbers are not supported",
    "lambertw": "the Lambert W function is not supported",
    "hypot": "write sqrt(x^2 + y^2)",
    "cbrt": "write x^(1/3)",
    "nthroot": "write x^(1/n)",
    "exp2": "write 2^x",
    "exp10": "write 10^x",
    "ln1p": "write ln(1 + x)",
    "heaviside": "step functions have no useful derivative",
    "dirac": "distributions are not supported",
}

_KEYWORDS = frozenset(keyword.kwlist) - {"lambda"}  # `lambda` stays usable, as the letter

# A function the op table gains stops being unsupported without an edit here.
UNSUPPORTED = {name: hint for name, hint in UNSUPPORTED.items() if name not in FUNCTIONS}

_LOG_BASE = re.compile(r"log(?:_([0-9]+|[A-Za-z])|([₀₁₂₃₄₅₆₇₈₉]+))\Z")
_SUBSCRIPT = str.maketrans("₀₁₂₃₄₅₆₇₈₉", "0123456789")


# (op, base) of every plain function name, made once: the parser asks for every name it reads.
_HEADS: dict[str, tuple[str, str | None]] = {
    **{name: (op, None) for name, op in FUNCTIONS.items()},
    "√": ("sqrt", None),
}
# What can never be a variable, besides functions (checked for every variable read).
NOT_VARIABLES = frozenset(UNSUPPORTED) | _KEYWORDS


def function_of(name: str) -> tuple[str, str | None] | None:
    """(op, base) for a name that is a function as written, else None.

    `base` is the text of a logarithm's base when it becomes a second argument (`log_3` ->
    ("log", "3"), `log_b` -> ("log", "b")); bases 2, 10 and e are their own ops.
    """
    head = _HEADS.get(name)
    if head is not None or name[:3] != "log":
        return head
    match = _LOG_BASE.match(name)
    if match is None:
        return None
    base = match.group(1) or match.group(2).translate(_SUBSCRIPT)
    if base.isdigit():
        base = str(int(base))
    return {"2": ("log2", None), "10": ("log10", None), "e": ("log", None)}.get(base, ("log", base))


def is_reserved(name: str) -> bool:
    """A name that can never be a variable: a function, a known unsupported one, a keyword."""
    return (
        name in FUNCTIONS
        or name in UNSUPPORTED
        or name in _KEYWORDS
        or name.startswith("__")
        or function_of(name) is not None
    )


def reserved_error(name: str, source: str, start: int, *, assigned: bool = False) -> ParseError:
    """Why `name` cannot be used as a variable, pointing at it."""
    if name in _KEYWORDS or name.startswith("__"):
        return ParseError(
            f"`{name}` cannot be a name here",
            source,
            start,
            "this is a math language: Python keywords and __names__ are not "
            "variables; use another name",
        )
    if name in UNSUPPORTED:
        return ParseError(
            f"`{name}` is a mathematical function cgraph does not support",
            source,
            start,
            UNSUPPORTED[name] + ("; choose another name" if assigned else ""),
        )
    if assigned:
        return ParseError(
            f"`{name}` is a function and cannot be assigned", source, start, "choose another name"
        )
    return ParseError(
        f"`{name}` is a function and needs an argument",
        source,
        start,
        f"write {name}(x) or {name} x",
    )
