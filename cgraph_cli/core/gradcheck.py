"""Check reverse-mode gradients against central finite differences, input by input.

The second opinion a student or an engineer wants before trusting a gradient: for each input,
(f(x + h) - f(x - h)) / 2h beside d f / d x, with their relative error. Numbers only (two
forward passes per input), so it works on any graph `eval` handles, within a work bound.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import EvaluationError, TooComplex
from .autodiff import Evaluation, forward
from .numbers import tolerance

DEFAULT_TOL = 1e-6
STEP_SCALE = 1e-6  # h = 1e-6 * max(1, |x|): truncation ~h^2, rounding ~1e-16/h, both ~1e-10
ERROR_FLOOR = 1.0  # below 1 in size the error is absolute: a zero gradient has no scale
MAX_WORK = 40_000_000  # node evaluations (2 per input per node); past this, refuse


@dataclass(frozen=True)
class Row:
    """One input: the two gradients and how far apart they are."""

    name: str
    analytic: float  # reverse mode
    numeric: float | None  # finite difference; None if no difference could be taken
    error: float | None  # |analytic - numeric| / max(|analytic|, |numeric|, ERROR_FLOOR)
    step: float
    method: str  # "central", or "forward"/"backward" next to a domain edge, or "none"
    ok: bool


@dataclass(frozen=True)
class Gradcheck:
    rows: list[Row]
    tolerance: float

    @property
    def passed(self) -> bool:
        return all(row.ok for row in self.rows)

    @property
    def worst(self) -> float:
        return max((row.error for row in self.rows if row.error is not None), default=0.0)


def gradcheck(evaluation: Evaluation, tol: float = DEFAULT_TOL) -> Gradcheck:
    """Finite differences of the evaluated output for every input, compared with reverse mode.

    Fails an input whose relative error exceeds `tol`, or whose difference cannot be taken
    (the function is undefined on both sides of the point).
    """
    tol = tolerance(tol)
    graph = evaluation.graph
    work = 2 * len(graph.input_names) * len(graph)
    if work > MAX_WORK:
        raise TooComplex(
            f"a gradient check needs {2 * len(graph.input_names):,} forward passes "
            f"of {len(graph):,} nodes",
            "check a smaller program, or fewer inputs with --output on a step",
        )
    gradients = evaluation.gradients
    rows = [_row(evaluation, name, gradients[name], tol) for name in graph.input_names]
    return Gradcheck(rows, tol)


def _row(evaluation: Evaluation, name: str, analytic: float, tol: float) -> Row:
    x = evaluation.inputs[name]
    h = step_size(x)
    numeric, method = finite_difference(evaluation, name, h)
    if numeric is None:
        return Row(name, analytic, None, None, h, method, False)
    error = abs(analytic - numeric) / max(abs(analytic), abs(numeric), ERROR_FLOOR)
    return Row(name, analytic, numeric, error, h, method, error <= tol)


def step_size(x: float) -> float:
    """h = 1e-6 * max(1, |x|), rounded so that x + h - x == h exactly in floats."""
    h = STEP_SCALE * max(1.0, abs(x))
    return (x + h) - x


def finite_difference(evaluation: Evaluation, name: str, h: float) -> tuple[float | None, str]:
    """Central difference; a one-sided one where a side is outside the domain (sqrt near 0)."""
    x = evaluation.inputs[name]
    here = evaluation.value
    above = _value_at(evaluation, name, x + h)
    below = _value_at(evaluation, name, x - h)
    if above is not None and below is not None:
        return (above - below) / (2 * h), "central"
    if above is not None:
        return (above - here) / h, "forward"
    if below is not None:
        return (here - below) / h, "backward"
    return None, "none"


def _value_at(evaluation: Evaluation, name: str, x: float) -> float | None:
    point = {**evaluation.inputs, name: x}
    try:
        return forward(evaluation.graph, point)[evaluation.output]
    except EvaluationError:
        return None
