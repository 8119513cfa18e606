"""The OpSpec record every op-table entry is, the binding strengths, and the one-argument
builder the function entries use (one line of facts per function)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

Partials = Callable[..., tuple[float, ...]]

# Field defaults live outside the class: with slots=True, `OpSpec.steep` is a slot descriptor,
# not the string (a default taken from it printed `<member 'steep' of 'OpSpec' objects>`).
DEFAULT_DOMAIN = "the result is not a finite real number"
DEFAULT_STEEP = "its slope is infinite here"

# Binding strengths, loosest first; the parser and every printer read them from the entries.
ADDITIVE, MULTIPLICATIVE, PREFIX, POWER, ATOM = 1, 2, 3, 4, 9


@dataclass(frozen=True, slots=True, kw_only=True)
class OpSpec:
    """One operation: arithmetic, symbolic form, spelling, printing and domain."""

    name: str  # the op's name in JSON, tables and function calls ("add", "sin")
    forward: Callable[..., float]  # forward(*args) -> value
    partials: Partials  # partials(out, *args) -> d out / d arg, one per arg
    sympy: Callable[..., Any]  # sympy(sp, *args) -> SymPy expression
    # sympy_partials(sp, *args) -> one SymPy partial per arg, where differentiating `sympy`
    # would break a convention (kinks) or leave the language (DiracDelta); None: differentiate
    sympy_partials: Callable[..., tuple[Any, ...]] | None = None
    # the local partial written in the op's own output s, as textbooks do (tanh' = 1 - s^2)
    partial_in_output: Callable[[Any], Any] | None = None
    symbol: str  # the picture label ("+", "×", "sin")
    min_args: int = 1
    max_args: int | None = 1  # None: any number (max, min)
    infix: str | None = None  # a binary operator as printed (" + ", "^"); the token is stripped
    spellings: tuple[str, ...] = ()  # other tokens for the same operator ("**" for ^)
    prefix: str | None = None  # a unary operator written before its operand ("-")
    precedence: int = ATOM  # binding strength (ADDITIVE ... POWER); functions are atoms
    right_associative: bool = False  # 2^3^2 = 2^(3^2)
    associative: bool = False  # a + (b + c) may print as a + b + c
    latex: str = ""  # format string over {0}, {1} or {args}; "" is \operatorname{name}(...)
    power: bool = False  # base^exponent: exact forms bound its digits by the exponent
    keeps_integers: bool = False  # integer arguments give integer values and partials
    flattens: str | None = None  # "add"/"mul": SymPy merges nested ones (depth estimates)
    # size of the local partial given the argument sizes (the symbolic size estimate);
    # None: about as big as all the arguments together
    partial_size: Callable[[int, Sequence[int]], int] | None = None
    domain: str = DEFAULT_DOMAIN  # said on a domain error
    # domain_at(*args) -> the domain error for these values, naming the one problem there
    domain_at: Callable[..., str] | None = None
    steep: str = DEFAULT_STEEP  # said when a partial cannot be computed
    steep_by_arg: tuple[str, ...] = ()  # said when the partial by that argument cannot be
    kink: Callable[..., str | None] | None = None  # kink(*args) -> a note at a kink, else None

    @property
    def operator(self) -> str | None:
        """The operator token as typed (`+`, `^`), for an infix or prefix op."""
        if self.infix is not None:
            return self.infix.strip()
        return self.prefix


def unary(
    name: str,
    forward: Callable[[float], float],
    partials: Callable[[float, float], tuple[float]],
    sympy: Callable[..., Any],
    *,
    command: str = "",
    latex: str = "",
    **facts: Any,
) -> OpSpec:
    """A one-argument function op; partials(out, x) is its slope as a 1-tuple, written as one
    function (not a slope wrapped in a tuple by a second call: backward calls it once per
    node, and one Python call less keeps backward within 2x forward). `command` names its LaTeX
    command (`\\sin`) where there is one; the others print as \\operatorname{name}, unless
    a whole `latex` template is given."""
    return OpSpec(
        name=name,
        forward=forward,
        partials=partials,
        sympy=sympy,
        symbol=name,
        latex=latex or (braces(command) + r"\left({args}\right)" if command else ""),
        **facts,
    )


def braces(text: str) -> str:
    """Literal text inside a format template: its braces doubled (`\\operatorname{erf}`)."""
    return text.replace("{", "{{").replace("}", "}}")
