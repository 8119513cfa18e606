"""What a check says: the problem asked, its verdict, both sides at a point, and the summary of
many. Plain data, read by the views, the gradebook and `--json`; no checking happens here.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from ..errors import EXIT_OK, EXIT_USAGE, EXIT_WRONG
from .diagnosis import Diagnosis


class Outcome(StrEnum):
    """The verdict on one problem. Undecided is never reported as correct."""

    CORRECT = "correct"
    WRONG = "wrong"
    UNDECIDED = "undecided"  # too few random points where both sides are defined
    ERROR = "error"  # the problem itself is malformed: nothing was checked


@dataclass(frozen=True)
class Problem:
    """One question: a program, the variable to differentiate by, an answer, maybe a point.

    `error` marks a problem that could not even be read from its file (a missing field, bad
    values); checking it yields an error row instead of stopping the batch.
    """

    expression: str
    wrt: str | None
    answer: str
    values: Mapping[str, float] = field(default_factory=dict)
    id: str = ""
    error: str | None = None
    order: int = 1  # 2 for a second derivative (check_higher.py)
    source: str = ""  # where in its file: "line 4" (CSV) or "problem 3" (JSON, TOML)


@dataclass(frozen=True)
class Comparison:
    """Both sides at one point; a side is None where it has no real value."""

    point: Mapping[str, float]
    expected: float | None
    answer: float | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "point": dict(self.point),
            "expected": _finite(self.expected),
            "answer": _finite(self.answer),
        }


@dataclass(frozen=True)
class CheckResult:
    """Everything `cgraph check` reports about one problem."""

    problem: Problem
    outcome: Outcome
    method: str  # how it was decided: "proved equal", "equal at 12 random points", ...
    kind: str = ""  # "symbolic" or "numeric" (empty for an error)
    of: str = ""  # the output's name, for ∂f/∂w
    wrt: str = ""
    derivative: str | None = None  # the correct derivative, as text
    counterexample: Comparison | None = None  # where a wrong answer differs, both values
    at_point: Comparison | None = None  # both sides at the given point, when values were given
    notes: tuple[str, ...] = ()  # kinks met at the given point
    error: str | None = None
    diagnosis: Diagnosis | None = None  # the mistake a wrong answer matches (diagnosis.py)
    sampling: Mapping[str, Any] | None = None  # points, where, seed (symbolic checks)
    name: str = ""  # the derivative's name when not ∂of/∂wrt: ∂²f/∂x², ∂²f/∂x∂y

    @property
    def exit_code(self) -> int:
        """0 correct, 2 malformed, 1 wrong or undecided (an answer not shown to be right)."""
        if self.outcome is Outcome.CORRECT:
            return EXIT_OK
        return EXIT_USAGE if self.outcome is Outcome.ERROR else EXIT_WRONG

    def as_dict(self) -> dict[str, Any]:
        """The `--json` record: plain, strict-JSON-safe data."""
        problem = self.problem
        return {
            "id": problem.id or None,
            "expression": problem.expression,
            "wrt": self.wrt or problem.wrt,
            "output": self.of or None,
            "answer": problem.answer,
            "values": dict(problem.values),
            "verdict": str(self.outcome),
            "kind": self.kind or None,
            "method": self.method,
            "derivative": self.derivative,
            "counterexample": self.counterexample.as_dict() if self.counterexample else None,
            "at_point": self.at_point.as_dict() if self.at_point else None,
            "notes": list(self.notes),
            "sampling": dict(self.sampling) if self.sampling else None,
            "error": self.error,
            "diagnosis": self.diagnosis.as_dict() if self.diagnosis else None,
            "order": problem.order * len(self.wrt.split(",")) if self.wrt else problem.order,
            "name": self.name or (f"∂{self.of}/∂{self.wrt}" if self.of else None),
        }


def _finite(value: float | None) -> float | None:
    return None if value is None or not math.isfinite(value) else float(value) + 0.0


# --- many results --------------------------------------------------------------------------


def summary_line(results: list[CheckResult]) -> str:
    """`6/9 correct (2 wrong, 1 error)`: the line a teacher reads first."""

    def count(outcome: Outcome) -> int:
        return sum(1 for result in results if result.outcome is outcome)

    errors = count(Outcome.ERROR)
    rest = [
        f"{count(Outcome.WRONG)} wrong",
        f"{count(Outcome.UNDECIDED)} undecided",
        f"{errors} error{'s' if errors != 1 else ''}",
    ]
    rest = [part for part in rest if not part.startswith("0 ")]
    line = f"{count(Outcome.CORRECT)}/{len(results)} correct"
    return line + (f" ({', '.join(rest)})" if rest else "")


def batch_document(results: list[CheckResult]) -> dict[str, Any]:
    """The `check --problems --json` object: counts, the summary line, one record per problem."""
    counts = {outcome: sum(1 for r in results if r.outcome is outcome) for outcome in Outcome}
    return {
        "summary": summary_line(results),
        "total": len(results),
        "correct": counts[Outcome.CORRECT],
        "wrong": counts[Outcome.WRONG],
        "undecided": counts[Outcome.UNDECIDED],
        "errors": counts[Outcome.ERROR],
        "results": [result.as_dict() for result in results],
    }


def batch_exit_code(results: list[CheckResult]) -> int:
    """1 if any answer is wrong or undecided, else 2 if any problem is malformed, else 0."""
    if any(r.outcome in (Outcome.WRONG, Outcome.UNDECIDED) for r in results):
        return EXIT_WRONG
    return EXIT_USAGE if any(r.outcome is Outcome.ERROR for r in results) else EXIT_OK
