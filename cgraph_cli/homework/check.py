"""Check homework answers: is this expression (or number) the derivative of that program?

A symbolic answer is compared with the derivative from `symbolic.derivatives` as a real
function (`equivalence.compare`: random points, then a time-boxed proof); a number is compared
with the reverse-mode gradient at the given point. Batches come from CSV, JSON or TOML files.
No Typer and no Rich here: the CLI and `check_view` present what this module returns.
"""

from __future__ import annotations

import csv
import io
import math
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from ..core.autodiff import Evaluation, evaluate, forward
from ..core.graph import CONST, INPUT, Graph, compile_program
from ..core.question import (
    load_json,
    number_from_data,
    point,
    read_limited,
)
from ..core.syntax import parse_expression
from ..errors import (
    EXIT_OK,
    EXIT_USAGE,
    EXIT_WRONG,
    CgraphError,
    EvaluationError,
    InputError,
    TooComplex,
    UsageError,
    did_you_mean,
)
from .answer_text import read_answer
from .diagnosis import Diagnosis, diagnose

DEFAULT_TOL = 1e-6  # relative tolerance of a numeric answer
SAMPLE_POINTS = 48  # regular sample points; points beside switch points come on top
PROOF_SECONDS = 2.0  # time box of the symbolic proof, per problem
CONSTANT_MAX_DIGITS = 10_000  # an exact constant in an answer with more digits is refused
FORMATS = ("csv", "json", "toml")
MAX_PROBLEM_FILE_BYTES = 20_000_000  # README "Limits": a bigger problem file is refused


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


# --- one problem ---------------------------------------------------------------------------


def check(problem: Problem, tol: float = DEFAULT_TOL, seed: int = 0) -> CheckResult:
    """Check one answer; raises a CgraphError for a malformed problem (see `check_safely`)."""
    if problem.error is not None:
        raise InputError(problem.error)
    from .check_higher import check_higher, is_higher

    if is_higher(problem):
        return check_higher(problem, tol, seed)
    graph = compile_program(problem.expression)
    wrt = wrt_index(graph, problem.wrt)
    text, read = read_answer(problem.answer, graph, wrt, _answer_names(graph))
    answer_graph = _answer_graph(text)
    _check_answer_names(graph, answer_graph)
    point = _evaluation(graph, problem.values, wrt)
    base: dict[str, Any] = {
        "of": graph.output_name(),
        "wrt": graph.nodes[wrt].label,
        "notes": _reading_notes(graph, answer_graph, read, point),
    }
    if point is not None and not answer_graph.input_names:
        return _check_number(problem, graph, wrt, answer_graph, point, tol, base)
    return _check_symbolic(problem, graph, wrt, answer_graph, point, seed, base)


def check_safely(problem: Problem, tol: float = DEFAULT_TOL, seed: int = 0) -> CheckResult:
    """`check`, with a malformed problem turned into an error result: a batch goes on."""
    try:
        return check(problem, tol, seed)
    except CgraphError as error:
        return CheckResult(problem, Outcome.ERROR, "not checked", error=str(error))


def wrt_index(graph: Graph, wrt: str | None) -> int:
    """The node to differentiate by: a named input or step; the only input when not given."""
    if wrt is None or not wrt.strip():
        if len(graph.input_names) == 1:
            return graph.names[graph.input_names[0]]
        raise UsageError(
            "say which variable the derivative is taken with respect to",
            f"for example --wrt {graph.input_names[0] if graph.input_names else 'x'}"
            + (f" (inputs: {', '.join(graph.input_names)})" if graph.input_names else ""),
        )
    name = wrt.strip()
    if "," in name:
        raise UsageError(
            f"check takes one variable in --wrt, got {name!r}", "check each derivative on its own"
        )
    index = graph.index_of(name)
    if graph.nodes[index].op == CONST:
        raise UsageError(f"`{name}` is a constant; the derivative is taken by a variable")
    return index


def _answer_graph(text: str) -> Graph:
    """The answer read by our own parser (never `sympify`), with the grammar of programs:
    one expression, no assignments."""
    if not text.strip():
        raise UsageError("the answer is empty", 'give it as --answer "2*x"')
    parse_expression(text)  # refuses assignments and several statements
    return compile_program(text)


def _reading_notes(
    graph: Graph, answer: Graph, read: tuple[str, ...], point: Evaluation | None
) -> tuple[str, ...]:
    """How ambiguous text was read (program, then answer), then kinks met at the point."""
    kinks = point.notes[len(graph.notes) :] if point is not None else []  # after the readings
    return (*graph.notes, *(f"answer: {note}" for note in (*read, *answer.notes)), *kinks)


def _check_answer_names(graph: Graph, answer: Graph) -> None:
    """An answer may use the program's inputs and its named steps, nothing else."""
    allowed = _answer_names(graph)
    for name in answer.input_names:
        if name not in allowed:
            choices = sorted(allowed)
            raise InputError(
                f"the answer uses `{name}`, which is not a variable of the program",
                did_you_mean(name, choices)
                or (
                    f"the program's variables are {', '.join(choices)}"
                    if choices
                    else "the program has no variables"
                ),
            )


def _answer_names(graph: Graph) -> dict[str, int]:
    """Name -> node index of what an answer may mention: inputs and named steps, the output
    included when the program named it (CS231n's sigmoid gradient is `(1 - f) f`), not when
    cgraph made its name up."""
    return {
        name: index
        for name, index in graph.names.items()
        if graph.nodes[index].op != CONST and (index != graph.output or graph.named_output)
    }


def _evaluation(graph: Graph, given: Mapping[str, float], wrt: int) -> Evaluation | None:
    """Forward and backward at the point (core/question.py's rule); None when there is none
    (a purely symbolic check)."""
    values = point(graph, given)
    return None if values is None else evaluate(graph, values)


def _check_number(
    problem: Problem,
    graph: Graph,
    wrt: int,
    answer: Graph,
    point: Evaluation,
    tol: float,
    base: dict[str, str],
) -> CheckResult:
    """A constant answer against the reverse-mode gradient at the point (relative `tol`)."""
    from ..symbolic.equivalence import compare_numbers

    values = _point_values(graph, point, wrt, answer)
    ok = (
        values.answer is not None
        and values.expected is not None
        and compare_numbers(values.expected, values.answer, rel_tol=tol)
    )
    method = (
        f"equals the gradient at the point, relative tolerance {tol:g}"
        if ok
        else "not the gradient at the point"
    )
    return CheckResult(
        problem,
        Outcome.CORRECT if ok else Outcome.WRONG,
        method,
        "numeric",
        derivative=_derivative_text(graph, wrt),
        at_point=values,
        counterexample=None if ok else values,
        **base,
    )


def _check_symbolic(
    problem: Problem,
    graph: Graph,
    wrt: int,
    answer: Graph,
    point: Evaluation | None,
    seed: int,
    base: dict[str, str],
) -> CheckResult:
    """The answer against the derivative as real functions of the program's inputs, and, when
    a point was given, at that point too: a wrong answer must not pass because it agrees with
    the derivative everywhere sampling looked but at the point the user asked about."""
    from ..symbolic.equivalence import Method, compare, compare_at
    from ..symbolic.expressions import input_symbols, node_expressions

    derivative, shown = _derivative(graph, wrt)
    expected = _in_inputs(graph, wrt, derivative)
    answer_expr = answer_expression(graph, answer)
    inputs = input_symbols(graph)
    function = node_expressions(graph, upto=graph.output)[graph.output]
    verdict = compare(
        expected,
        answer_expr,
        list(inputs.values()),
        seed=seed,
        points=SAMPLE_POINTS,
        timeout_s=PROOF_SECONDS,
        domain=function,
        probe=_probe(graph, answer),
    )
    counter = verdict.counterexample
    method = verdict.message
    if verdict.equal:
        outcome = Outcome.CORRECT
    else:
        outcome = Outcome.WRONG if verdict.method is not Method.UNDECIDED else Outcome.UNDECIDED
    if point is not None and not point.notes:  # at a kink the convention decides, not a formula
        at_point = compare_at(
            expected, answer_expr, {inputs[n]: v for n, v in point.inputs.items()}
        )
        if at_point is not None:  # the user's own point is the counterexample to show
            outcome, counter = Outcome.WRONG, at_point
            method = "not equal at the given point" + (
                f" (elsewhere: {verdict.message})" if verdict.equal else ""
            )
    found = (
        diagnose(graph, wrt, answer_expr, expected, list(inputs.values()), seed)
        if outcome is Outcome.WRONG
        else None
    )
    return CheckResult(
        problem,
        outcome,
        method,
        "symbolic",
        derivative=shown,
        counterexample=Comparison(counter.point, counter.expected, counter.answer)
        if counter
        else None,
        at_point=_point_values(graph, point, wrt, answer) if point else None,
        diagnosis=found,
        sampling=verdict.sampling.as_dict() if verdict.sampling else None,
        **base,
    )


def _probe(graph: Graph, answer: Graph) -> Any:
    """Is the program, and is the answer as written, defined at a sample point?"""
    from .domains import defined

    def probe(point: Mapping[Any, float]) -> tuple[bool | None, bool | None]:
        inputs = {symbol.name: value for symbol, value in point.items()}
        program = defined(graph, inputs)
        if not answer.input_names or any(name not in inputs for name in answer.input_names):
            return program, None  # the answer uses named steps: judged by its SymPy form
        return program, defined(answer, inputs)

    return probe


# --- the symbolic side ---------------------------------------------------------------------


def _derivative(graph: Graph, wrt: int) -> tuple[Any, str]:
    """d output / d wrt from the shared reverse sweep, and its text."""
    from ..symbolic.derivatives import derivatives

    expr = derivatives(graph, [wrt], in_steps=False).items[0].expr
    return expr, expression_text(expr)


def _derivative_text(graph: Graph, wrt: int) -> str | None:
    """The derivative's text for a numeric check, which must also work where SymPy cannot
    (a program too big for symbolic work is still checked at the point)."""
    try:
        return _derivative(graph, wrt)[1]
    except TooComplex:
        return None


def _in_inputs(graph: Graph, wrt: int, derivative: Any) -> Any:
    """d f / d q for a step q is written in q; the answer is compared in the inputs, where q
    is its own expression (the answer may say `2*q` or `2*(x + y)`)."""
    node = graph.nodes[wrt]
    if node.op == INPUT:
        return derivative
    from ..symbolic.expressions import node_expressions, sympy_module

    step = sympy_module().Symbol(node.label, real=True)
    return derivative.xreplace({step: node_expressions(graph, upto=wrt)[wrt]})


def answer_expression(graph: Graph, answer: Graph) -> Any:
    """The answer as a SymPy expression in the program's own real input symbols; a named
    step in the answer stands for its expression."""
    from ..symbolic.expressions import node_expressions
    from ..symbolic.limits import check_symbolic_size

    check_symbolic_size(answer, answer.output)  # exact constants are bounded as they are built
    names = _answer_names(graph)
    wanted = max((names[name] for name in answer.input_names), default=-1)
    program = node_expressions(graph, upto=wanted) if wanted >= 0 else []
    return node_expressions(answer, {name: program[names[name]] for name in answer.input_names})[
        answer.output
    ]


def expression_text(expr: Any) -> str:
    """A SymPy expression written as cgraph input is (`x^2`, `abs(x)`), so it can be pasted."""
    from ..symbolic.printing import text

    return text(expr)


# --- numbers at the point ------------------------------------------------------------------


def _point_values(graph: Graph, point: Evaluation, wrt: int, answer: Graph) -> Comparison:
    """The gradient at the point beside the answer's value there (None where undefined)."""
    known = {name: point.values[index] for name, index in _answer_names(graph).items()}
    try:
        value: float | None = forward(answer, {n: known[n] for n in answer.input_names})[
            answer.output
        ]
    except EvaluationError:
        value = None
    expected = point.grads[wrt]
    return Comparison(dict(point.inputs), expected if math.isfinite(expected) else None, value)


def _finite(value: float | None) -> float | None:
    return None if value is None or not math.isfinite(value) else float(value) + 0.0


# --- batches -------------------------------------------------------------------------------


def check_all(problems: Iterable[Problem], tol: float = DEFAULT_TOL) -> list[CheckResult]:
    """Every problem checked; a malformed one gives an error result and the rest go on."""
    return [check_safely(problem, tol) for problem in problems]


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
    """The `check --file --json` object: counts, the summary line, one record per problem."""
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


def read_problems(path: str) -> list[Problem]:
    """Problems from a .csv, .json or .toml file; an unreadable file is a UsageError (exit 2),
    a malformed problem in it is a Problem with `error` set."""
    suffix = Path(path).suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        raise UsageError(f"cannot tell the format of {path}", "name the file .csv, .json or .toml")
    text = _read_text(path)
    if suffix == "csv":
        return _problems_from_csv(text, path)
    return _problems_from_records(_records(text, path, suffix), path)


def _read_text(path: str) -> str:
    file = Path(path)
    if file.is_dir():
        raise UsageError(f"{path} is a folder, not a problem file")
    try:
        data = read_limited(path, MAX_PROBLEM_FILE_BYTES, "problem file")
        return data.decode("utf-8-sig")
    except FileNotFoundError:
        raise UsageError(f"no such file: {path}") from None
    except OSError as error:
        raise UsageError(f"cannot read {path}: {error.strerror or error}") from None
    except UnicodeDecodeError as error:
        raise UsageError(f"{path} is not UTF-8 text (bad byte at position {error.start})") from None


_CSV_HINT = "the first line must name the columns: expression,wrt,answer,values"


def _problems_from_csv(text: str, path: str) -> list[Problem]:
    """Columns expression, wrt, answer and optional values (`x=2;y=3`) and id; other columns
    (a topic, an expected verdict) are ignored, so an answer key can be checked as it is."""
    reader = csv.DictReader(io.StringIO(text))
    rows: list[tuple[int, dict[str, Any]]] = []
    try:
        columns = [column.strip() for column in reader.fieldnames or []]
        if not columns:
            raise UsageError(f"{path} is empty", _CSV_HINT)
        missing = [c for c in ("expression", "answer") if c not in columns]
        if missing:
            raise UsageError(f"{path} has no `{missing[0]}` column", _CSV_HINT)
        reader.fieldnames = columns
        for row in reader:
            rows.append((reader.line_num, row))
    except csv.Error as error:
        raise UsageError(f"{path} is not valid CSV: {error} (line {reader.line_num})") from None
    return [
        _problem(row, f"line {line}", str(number))
        for number, (line, row) in enumerate(rows, start=1)
    ]


def _records(text: str, path: str, suffix: str) -> list[Any]:
    """The list of problem objects in a JSON file (a list, or {"problems": [...]}) or a TOML
    file (`[[problem]]` tables)."""
    if suffix == "json":
        hint = 'expected a list of objects like {"expression": ..., "wrt": ..., "answer": ...}'
        try:
            data = load_json(text, path, hint)
        except InputError as error:
            raise UsageError(error.message, error.hint) from None
        records = data.get("problems") if isinstance(data, dict) else data
    else:
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as error:
            raise UsageError(f"{path} is not valid TOML: {error}") from None
        except RecursionError:
            raise UsageError(f"{path} is nested too deeply to read") from None
        records = data.get("problem")
        hint = "expected [[problem]] tables with expression, wrt and answer"
    if not isinstance(records, list):
        raise UsageError(f"{path} holds no list of problems", hint)
    return records


def _problems_from_records(records: list[Any], path: str) -> list[Problem]:
    problems = []
    for number, record in enumerate(records, start=1):
        if not isinstance(record, dict):
            problems.append(
                Problem(
                    "", None, "", id=str(number), error=f"problem {number} is not a table of fields"
                )
            )
            continue
        problems.append(_problem(record, f"problem {number}", str(number)))
    return problems


def _problem(record: Mapping[str, Any], where: str, number: str) -> Problem:
    """One problem from a row or table; what is wrong with it goes into `error`."""
    fields = {key: _text(record.get(key)) for key in ("expression", "wrt", "answer", "id")}
    ident = fields["id"] or number
    expression, answer = fields["expression"] or "", fields["answer"] or ""
    missing = [key for key in ("expression", "answer") if not (fields[key] or "").strip()]
    error = f"{where}: no {missing[0]} given" if missing else None
    values: dict[str, float] = {}
    order = 1
    if error is None:
        try:
            values = _values(record.get("values"))
            order = _order(record.get("order"))
        except CgraphError as problem:
            error = f"{where}: {problem.message}"
    return Problem(expression, fields["wrt"], answer, values, ident, error, order)


def _order(raw: Any) -> int:
    """The optional `order` field: blank is 1, else a whole number from 1 up."""
    text = _text(raw)
    if text is None or not text.strip():
        return 1
    try:
        order = int(text.strip())
    except ValueError:
        raise InputError(f"order must be a whole number like 2, got {text!r}") from None
    if order < 1:
        raise InputError(f"order must be 1 or more, got {order}")
    return order


def _text(value: Any) -> str | None:
    """A field as text; a number stays exact (TOML and JSON answers may be plain numbers)."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _values(raw: Any) -> dict[str, float]:
    """`"x=2;y=3"` (CSV) or a table / object `{x = 2}` (TOML, JSON); empty means none."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return {}
    if isinstance(raw, str):
        pairs = [part.partition("=") for part in re.split(r"[;,]", raw) if part.strip()]
        bad = next((name for name, sep, _ in pairs if not sep or not name.strip()), None)
        if bad is not None:
            raise InputError(f"values must be name=value pairs like x=2;y=3, got {raw!r}")
        raw = {name.strip(): value for name, _, value in pairs}
    if not isinstance(raw, dict):
        raise InputError("values must be text like x=2;y=3 or a table of name = number")
    values: dict[str, float] = {}
    for name, value in raw.items():
        values[str(name)] = number_from_data(value, str(name), "the values")
    return values
