"""How numbers are shown everywhere (tables, pictures, explanations): one formatter.

Float64 carries about 15 significant digits, so that is the default: enough to match a
homework key exactly, with binary noise (0.30000000000000004) removed. `digits` shortens it for
slides.
"""

from __future__ import annotations

import math

from ..errors import UsageError

DEFAULT_DIGITS = 15


def format_number(value: float | None, digits: int = DEFAULT_DIGITS) -> str:
    """`-20`, `0.778073196887921`, `1.5e-07`; `undefined` for a missing or NaN value."""
    if value is None or value != value:  # None or NaN
        return "undefined"
    if value == 0:
        return "0"  # also folds -0.0
    if value.is_integer() and abs(value) < 10 ** min(digits, 15):
        return str(int(value))
    text = f"{value:.{digits}g}"
    if "e" in text:
        mantissa, exponent = text.split("e")
        text = f"{mantissa}e{int(exponent)}"
    return text


FLOAT_DIGITS = 17  # enough to tell any two different float64 values apart


def format_pair(a: float | None, b: float | None, digits: int = DEFAULT_DIGITS) -> tuple[str, str]:
    """Two numbers shown with as many digits as it takes to tell them apart (up to 17, all a
    float has): a wrong answer shown as `2e13 ≠ 2e13` tells the student nothing."""
    left, right = format_number(a, digits), format_number(b, digits)
    for shown in range(digits + 1, FLOAT_DIGITS + 1):
        if left != right:
            break
        left, right = format_number(a, shown), format_number(b, shown)
    return left, right


def format_with_exact(value: float | None, exact: str | None, digits: int = DEFAULT_DIGITS) -> str:
    """`0.333333333333333 (= 1/3)` when an exact form is known, else the number alone."""
    number = format_number(value, digits)
    return f"{number} (= {exact})" if exact else number


def tolerance(tol: float) -> float:
    """A relative tolerance as given (`--tol`): a finite number >= 0. `inf` would call every
    answer correct and cannot be written as strict JSON; NaN compares false with everything."""
    if not (isinstance(tol, int | float) and not isinstance(tol, bool)) or not (
        math.isfinite(tol) and tol >= 0
    ):
        raise UsageError(
            f"the tolerance (--tol) must be a finite number >= 0, not {tol!r}",
            "relative tolerances are small: --tol 1e-6 is the default",
        )
    return float(tol)
