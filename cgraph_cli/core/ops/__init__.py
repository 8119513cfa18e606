"""The op table: every operation cgraph knows, one entry each, holding every fact about it.

An entry (`spec.OpSpec`) says how to compute the op on floats, its local partial derivatives
(given the output, so `exp`, `tanh` and `sigmoid` reuse it), its SymPy form and symbolic
partials (handed the `sympy` module, so the table never imports SymPy), how it is written
(infix spelling, precedence, associativity, LaTeX, picture label), its domain, and where it
has a kink. Adding an op is adding one entry to a section (`arithmetic`, `smooth`, `kinked`)
and a row of sample points in tests/test_ops.py: the parser, the printers, the symbolic sweep
and the pictures all read `OPS`, the one table assembled here.
"""

from __future__ import annotations

import math

from .arithmetic import OPERATORS
from .kinked import KINKED
from .smooth import SMOOTH
from .spec import (
    ADDITIVE,
    ATOM,
    DEFAULT_DOMAIN,
    DEFAULT_STEEP,
    MULTIPLICATIVE,
    POWER,
    PREFIX,
    OpSpec,
    Partials,
)
from .writing import write, write_latex

__all__ = [
    "ADDITIVE",
    "ATOM",
    "BINARY_OPERATORS",
    "CONSTANTS",
    "DEFAULT_DOMAIN",
    "DEFAULT_STEEP",
    "FUNCTIONS",
    "MULTIPLICATIVE",
    "OPS",
    "POWER",
    "PREFIX",
    "PREFIX_OPERATORS",
    "SPELLINGS",
    "OpSpec",
    "Partials",
    "arity_text",
    "op",
    "write",
    "write_latex",
]

_TABLE: tuple[OpSpec, ...] = (*OPERATORS, *SMOOTH, *KINKED)

OPS: dict[str, OpSpec] = {spec.name: spec for spec in _TABLE}

# Operators as typed, and function names as typed (aliases included), read off the table.
BINARY_OPERATORS: dict[str, str] = {
    token: spec.name
    for spec in _TABLE
    if spec.infix is not None
    for token in (spec.infix.strip(), *spec.spellings)
}
PREFIX_OPERATORS: dict[str, str] = {
    spec.prefix: spec.name for spec in _TABLE if spec.prefix is not None
}
# Other names for the same function, as textbooks and other countries write them.
SPELLINGS = {
    **{f"arc{name}": f"a{name}" for name in ("sin", "cos", "tan", "sec", "csc", "cot")},
    **{
        f"{prefix}{name}": f"a{name}"
        for prefix in ("ar", "arc")
        for name in ("sinh", "cosh", "tanh", "sech", "csch", "coth")
    },
    "cosec": "csc",
    "arccosec": "acsc",
    "tg": "tan",
    "ctg": "cot",
    "arctg": "atan",
    "arcctg": "acot",
    "sgn": "sign",
}
FUNCTIONS: dict[str, str] = {
    **{spec.name: spec.name for spec in _TABLE if spec.infix is None and spec.prefix is None},
    "ln": "log",
    "pow": "pow",
    **SPELLINGS,
}
CONSTANTS: dict[str, float] = {"pi": math.pi, "e": math.e}


def op(name: str) -> OpSpec:
    """The spec of an op; a missing one is a bug that names the op."""
    try:
        return OPS[name]
    except KeyError:
        raise KeyError(f"no rule for op {name!r}: add an entry to cgraph_cli/core/ops/") from None


def arity_text(spec: OpSpec) -> str:
    """'1 argument', '2 arguments', '1 or 2 arguments', 'at least 2 arguments'."""
    lo, hi = spec.min_args, spec.max_args
    if hi is None:
        return f"at least {lo} arguments"
    if lo == hi:
        return f"{lo} argument" + ("s" if lo != 1 else "")
    return f"{lo} or {hi} arguments"


# --- writing an op applied to written arguments ----------------------------------------------
