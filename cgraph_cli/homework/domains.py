"""Where a program or an answer has a value, judged on its own graph, as it is written.

SymPy simplifies while it builds: `sqrt(x)^2` becomes `x`, `exp(log(x))` becomes `x`, and
the SymPy forms are then defined for x < 0 although what the student wrote is not. So the
sampler asks here, node by node on the graph: first in floats (fast), and where floats say
"undefined", again in exact-ish arithmetic (SymPy numbers at 60 digits), because floats also
fail where only rounding is to blame (`1 - sigmoid(40)` is 0 in floats).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from ..core.graph import CONST, INPUT, Graph
from ..core.ops import OPS

CONFIRM_DIGITS = 60


def defined(graph: Graph, inputs: Mapping[str, float]) -> bool | None:
    """True or False where the graph's output has a real value at `inputs` or has none; None
    where that cannot be told (a value past float range and past the confirmation)."""
    try:
        _float_forward(graph, inputs)
        return True
    except OverflowError:
        return None
    except (ValueError, ZeroDivisionError):
        return _confirmed(graph, inputs)


def _float_forward(graph: Graph, inputs: Mapping[str, float]) -> None:
    values: list[float] = []
    for node in graph.nodes:
        if node.op == INPUT:
            values.append(float(inputs[node.name]))  # type: ignore[index]
        elif node.op == CONST:
            values.append(node.value)  # type: ignore[arg-type]
        else:
            result = OPS[node.op].forward(*[values[a] for a in node.inputs])
            if not math.isfinite(result):
                raise OverflowError("not finite")
            values.append(result)


def _confirmed(graph: Graph, inputs: Mapping[str, float]) -> bool | None:
    """False only when a node has no real value at high precision either; None when unsure."""
    from ..symbolic.expressions import constant, sympy_module

    sp = sympy_module()
    values: list[Any] = []
    try:
        for node in graph.nodes:
            if node.op == INPUT:
                value = sp.Float(repr(float(inputs[node.name])), CONFIRM_DIGITS)  # type: ignore[index]
            elif node.op == CONST:
                value = constant(node.text or "", node.value)  # type: ignore[arg-type]
            else:
                value = OPS[node.op].sympy(sp, *values_of(values, node.inputs))
            value = sp.N(value, CONFIRM_DIGITS)
            if value.is_real is False and value.is_finite:
                return False  # sqrt or log of a negative, asin(2): no real value at all
            if not (value.is_real and value.is_finite):
                return None  # 1/0, log(0): maybe only rounding (1 - sigmoid(200) is 0 here)
            values.append(value)
    except (ValueError, ZeroDivisionError, TypeError, ArithmeticError):
        return None
    return True


def values_of(values: list[Any], indices: tuple[int, ...]) -> list[Any]:
    return [values[a] for a in indices]
