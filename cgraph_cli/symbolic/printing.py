"""Formulas for people: SymPy results as terminal pictures, one-line text and LaTeX, and the
`cgraph diff` view built from them.

SymPy's pretty printer draws fractions and powers over several lines; a formula too wide for
the terminal (or too big to be worth drawing) falls back to one line, which the terminal wraps.
"""

from __future__ import annotations

import functools
import shutil
from collections.abc import Sequence
from typing import Any

from ..core.autodiff import Evaluation
from ..core.numbers import DEFAULT_DIGITS, format_number, format_with_exact
from .derivatives import Derivatives
from .expressions import sympy_module

PRETTY_MAX_OPS = 80  # bigger formulas are not drawn: one line is easier to read (and faster)
DEFAULT_WIDTH = 100  # when the terminal width is unknown


def terminal_width() -> int:
    return shutil.get_terminal_size((DEFAULT_WIDTH, 24)).columns


# --- single formulas -----------------------------------------------------------------------


def text(expr: Any, fast: bool = False) -> str:
    """A formula in cgraph's own language, which cgraph's parser reads back into an equal
    expression: `2*x*cos(x^2)`, `abs(x)`, `max(x, y)`, `heaviside(x - y, 1/2)`, `e`.
    `fast` keeps SymPy's internal order of terms (`1 + x^2 + 2*x`): 2.5 times quicker on big
    results."""
    settings = {"order": "none"} if fast else {}
    return _printer("text")(settings).doprint(expr).replace("**", "^")


def one_line(expr: Any, fast: bool = False) -> str:
    """The formula on one line: the same as `text`."""
    return text(expr, fast)


def latex(expr: Any) -> str:
    return _printer("latex")().doprint(expr)


def pretty(expr: Any) -> Any:
    """The formula drawn over several lines (a SymPy prettyForm)."""
    from sympy.printing.pretty.pretty_symbology import pretty_use_unicode

    # SymPy also reads a global flag, set from whatever sys.stdout was when SymPy was first
    # imported (a doctest's has no encoding: ASCII `*` ever after); set it for this drawing.
    unicode = _stdout_unicode()
    previous = pretty_use_unicode(unicode)
    try:
        return _printer("pretty")({"use_unicode": unicode, "wrap_line": False})._print(expr)
    finally:
        pretty_use_unicode(previous)


# --- the printer family ----------------------------------------------------------------------
#
# SymPy's printers, taught cgraph's spelling of the functions SymPy names differently (Abs,
# Max, Heaviside, E). Heaviside always shows its value at 0: `heaviside(x - y, 1/2)`, where
# SymPy prints θ(x - y) whether the value at 0 is 0, 1/2 or 1, which is how a kinked
# derivative's convention (relu'(0) = 0, a max tie split in halves or thirds) is written.
# Functions SymPy makes that the language lacks are written in ones it has (sec -> 1/cos).

_REWRITES = {  # SymPy-only function -> (language function, it is the reciprocal)
    "sec": ("cos", True),
    "csc": ("sin", True),
    "cot": ("tan", True),
    "sech": ("cosh", True),
    "csch": ("sinh", True),
    "coth": ("tanh", True),
}


@functools.cache
def _spelling() -> dict[str, Any]:
    """SymPy function name -> the op that spells it, read off the op table: each op whose SymPy
    form is one SymPy function of its arguments (Abs -> abs, Max -> max, Heaviside ->
    heaviside, Mod -> `%` if the table has it). A new op is printed as it is typed."""
    from ..core.ops import OPS

    sp = sympy_module()
    found: dict[str, Any] = {}
    for spec in OPS.values():
        args = [sp.Dummy(f"a{i}", real=True) for i in range(spec.min_args)]
        form = spec.sympy(sp, *args)
        if isinstance(form, sp.core.function.Application) and list(form.args) == args:
            found.setdefault(type(form).__name__, spec)
    return found


def _call(printer: Any, expr: Any) -> str | None:
    """An application of a table op, written as the language writes it; None if not one."""
    from ..core.ops import ATOM, write

    spec = _spelling().get(type(expr).__name__)
    if spec is None:
        return None
    if spec.name == "heaviside":
        t, at_zero = _heaviside_args(expr)
        return f"heaviside({printer._print(t)}, {printer._print(at_zero)})"
    parts = [
        (printer._print(a), ATOM if (a.is_Atom and not a.could_extract_minus_sign()) else 0)
        for a in expr.args
    ]
    return write(spec, parts)[0]


def _rewritten(expr: Any) -> Any:
    """sec(x) -> 1/cos(x) and the like, where the language has no such function."""
    sp = sympy_module()
    from ..core.ops import FUNCTIONS

    name = type(expr).__name__
    if name in _REWRITES and name not in FUNCTIONS:
        target, reciprocal = _REWRITES[name]
        inner = getattr(sp, target)(*expr.args)
        return sp.Pow(inner, -1, evaluate=False) if reciprocal else inner
    return None


def _heaviside_args(expr: Any) -> tuple[Any, Any]:
    sp = sympy_module()
    at_zero = expr.args[1] if len(expr.args) > 1 else sp.Rational(1, 2)
    return expr.args[0], at_zero


def _make_printers() -> dict[str, Any]:
    from sympy.printing.latex import LatexPrinter
    from sympy.printing.pretty.pretty import PrettyPrinter
    from sympy.printing.str import StrPrinter

    class Text(StrPrinter):  # type: ignore[misc]
        def _print(self, expr: Any, **settings: Any) -> str:
            written = _call(self, expr)
            return super()._print(expr, **settings) if written is None else written

        def _print_Function(self, expr: Any) -> str:
            other = _rewritten(expr)
            return super()._print_Function(expr) if other is None else self._print(other)

        def _print_Exp1(self, expr: Any) -> str:
            return "e"

    class Pretty(PrettyPrinter):  # type: ignore[misc]
        def _print_Function(self, expr: Any, sort: bool = False, func_name: Any = None) -> Any:
            other = _rewritten(expr)
            if other is not None:
                return self._print(other)
            return super()._print_Function(expr, sort, func_name)

        def _print_Max(self, expr: Any) -> Any:
            return self._helper_print_function(expr.func, expr.args, func_name="max")

        def _print_Min(self, expr: Any) -> Any:
            return self._helper_print_function(expr.func, expr.args, func_name="min")

        def _print_Heaviside(self, expr: Any) -> Any:
            return self._helper_print_function(
                expr.func, _heaviside_args(expr), func_name="heaviside"
            )

    class Latex(LatexPrinter):  # type: ignore[misc]
        def _print_Heaviside(self, expr: Any, exp: Any = None) -> str:
            t, at_zero = _heaviside_args(expr)
            body = (
                rf"\operatorname{{heaviside}}\left({self._print(t)}, {self._print(at_zero)}\right)"
            )
            return body if exp is None else rf"{body}^{{{exp}}}"

    return {"text": Text, "pretty": Pretty, "latex": Latex}


_PRINTERS: dict[str, Any] = {}


def _printer(kind: str) -> Any:
    """The printer classes, made on first use so that importing this module stays cheap."""
    if not _PRINTERS:
        _PRINTERS.update(_make_printers())
    return _PRINTERS[kind]


def symbol_latex(name: str) -> str:
    """A variable's name as LaTeX: `w1` -> `w_{1}`, `alpha` -> `\\alpha`."""
    sp = sympy_module()
    return sp.latex(sp.Symbol(name))


def partial_text(top: str, bottom: str) -> str:
    return f"∂{top}/∂{bottom}"


def partial_latex(top: str, bottom: str) -> str:
    return rf"\frac{{\partial {symbol_latex(top)}}}{{\partial {symbol_latex(bottom)}}}"


def number_latex(value: float | None, digits: int = DEFAULT_DIGITS) -> str:
    """`-4`, `0.25`, `1.5 \\cdot 10^{-7}`: format_number's digits in LaTeX."""
    text = format_number(value, digits)
    if "e" not in text:
        return text if text != "undefined" else r"\text{undefined}"
    mantissa, exponent = text.split("e")
    return rf"{mantissa} \cdot 10^{{{int(exponent)}}}"


def equation(label: str, expr: Any, tail: str = "", width: int | None = None) -> str:
    """`label expr tail` in the terminal: drawn by SymPy's pretty printer (label and tail on
    its baseline) when it is small and fits the width, else on one line."""
    sp = sympy_module()
    width = terminal_width() if width is None else width
    if sp.count_ops(expr) <= PRETTY_MAX_OPS:
        from sympy.printing.pretty.stringpict import prettyForm

        form = pretty(expr)
        form = prettyForm(*form.left(label))
        cases = expr.has(sp.Piecewise)  # `for x = y = 0.5` would misread: value goes below
        if not cases:
            form = prettyForm(*form.right(tail))
        lines = [line.rstrip() for line in form.render(wrap_line=False).split("\n")]
        if cases and tail:
            lines.append(" " * (len(label) - 2) + tail.lstrip())  # `=` under the label's
        if max(len(line) for line in lines) <= width:
            return "\n".join(lines)
    return f"{label}{one_line(expr)}{tail}"


# --- the diff view -------------------------------------------------------------------------


def derivatives_text(
    result: Derivatives,
    output: str,
    evaluation: Evaluation | None = None,
    exact: Sequence[str | None] | None = None,
    digits: int = DEFAULT_DIGITS,
    width: int | None = None,
) -> str:
    """One equation per derivative (`∂f/∂x = z = -4` with values), the steps they use, notes."""
    blocks = []
    for item in result.items:
        tail = _value_tail(item, evaluation, exact, digits)
        blocks.append(equation(f"{partial_text(output, item.wrt)} = ", item.expr, tail, width))
    text = "\n".join(blocks)
    if result.steps:
        text += "\n\nwhere (the program's own steps; --inputs writes everything in the inputs)"
        text += "".join(
            "\n" + _indent(equation(f"{name} = ", expr, width=width)) for name, expr in result.steps
        )
    if evaluation is not None and evaluation.notes:
        text += "".join(f"\nnote: {note}" for note in evaluation.notes)
    return text


def derivatives_latex(
    result: Derivatives,
    output: str,
    evaluation: Evaluation | None = None,
    digits: int = DEFAULT_DIGITS,
) -> str:
    """One LaTeX equation per line: `\\frac{\\partial f}{\\partial x} = z = -4`."""
    lines = []
    for item in result.items:
        line = f"{partial_latex(output, item.wrt)} = {latex(item.expr)}"
        value = _value(item, evaluation)
        if value is not None and not item.expr.is_number:
            line += f" = {number_latex(value, digits)}"
        lines.append(line)
    where = r"\text{where } "
    lines.extend(
        f"{'' if k else where}{symbol_latex(name)} = {latex(expr)}"
        for k, (name, expr) in enumerate(result.steps)
    )
    if evaluation is not None:
        lines.extend(rf"% note: {note}" for note in evaluation.notes)
    return "\n".join(lines)


def _value(item: Any, evaluation: Evaluation | None) -> float | None:
    return None if evaluation is None else evaluation.grads[item.index]


def _value_tail(
    item: Any, evaluation: Evaluation | None, exact: Sequence[str | None] | None, digits: int
) -> str:
    """` = -4` (and the exact form) after a derivative, unless it is that number already."""
    value = _value(item, evaluation)
    if value is None:
        return ""
    shown = format_with_exact(value, exact[item.index] if exact else None, digits)
    if item.expr.is_number and one_line(item.expr) == format_number(value, digits):
        return ""
    return f" = {shown}"


def _indent(text: str, prefix: str = "  ") -> str:
    return "\n".join(prefix + line for line in text.split("\n"))


def _stdout_unicode() -> bool:
    """Whether stdout can take SymPy's Unicode drawing (a cp1252 console cannot: ASCII then)."""
    import sys

    try:
        "∂⎛⎞─⋅√".encode(getattr(sys.stdout, "encoding", None) or "utf-8")
    except (UnicodeEncodeError, LookupError):
        return False
    return True
