"""Check a whole class at once: problems run in parallel worker processes, each row in its own
time box, results handed back as rows finish.

Processes, not threads: checking is pure Python and SymPy, so threads would share one core
(the GIL). Workers are forked after SymPy is imported (each would otherwise pay the import)
and ignore Ctrl-C: the parent stops the pool, and no worker prints a traceback.
"""

from __future__ import annotations

import contextlib
import math
import multiprocessing
import os
import signal
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from ..errors import UsageError
from .check import DEFAULT_TOL, check_safely
from .diagnosis import KINDS
from .gradebook import Gradebook
from .results import CheckResult, Outcome, Problem, batch_document

ROW_SECONDS = 30.0  # one row's time box: a problem that takes longer is an error row
BUDGET_SECONDS = 600.0  # the whole batch (`--budget`): rows not done by then are error rows
OVER_BUDGET = "over budget"  # the method of a row the budget stopped or never started
MAX_JOBS = 64


@dataclass(frozen=True)
class Rules:
    """How every row of a batch is checked: tolerance, sampling seed, and the batch's
    deadline (a `time.monotonic()` instant, the same clock in every worker process)."""

    tol: float = DEFAULT_TOL
    seed: int = 0
    deadline: float | None = None


def rules(tol: float = DEFAULT_TOL, seed: int = 0, budget: float | None = None) -> Rules:
    """Rules whose deadline is `budget` seconds from now (None: no batch budget)."""
    if budget is not None and not (math.isfinite(budget) and budget > 0):
        raise UsageError(
            f"the time budget (--budget) must be a number of seconds > 0, not {budget!r}"
        )
    deadline = None if budget is None else time.monotonic() + budget
    return Rules(tol, seed, deadline)


def default_jobs() -> int:
    """The cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def check_row(problem: Problem, tol: float = DEFAULT_TOL, how: Rules | None = None) -> CheckResult:
    """One row inside its own time box, cut to what is left of the batch's budget; running
    out of time is an error row, never a verdict."""
    from ..core.timebox import within

    how = how or Rules(tol)
    left = math.inf if how.deadline is None else how.deadline - time.monotonic()
    if left <= 0:
        why = "not checked: the batch's time budget ran out before this row started"
        return _out_of_time(problem, OVER_BUDGET, why)
    seconds = min(ROW_SECONDS, left)
    method, why = (
        ("not checked", f"checking this problem took over {ROW_SECONDS:g} s; it was stopped")
        if seconds == ROW_SECONDS
        else (OVER_BUDGET, "stopped: the batch's time budget ran out while this row was checked")
    )
    return within(
        seconds,
        lambda: check_safely(problem, how.tol, how.seed),
        lambda: _out_of_time(problem, method, why),
    )


def _out_of_time(problem: Problem, method: str, why: str) -> CheckResult:
    return CheckResult(problem, Outcome.ERROR, method, error=why)


def over_budget(results: Iterable[CheckResult]) -> int:
    """Rows the batch's time budget stopped or never started."""
    return sum(1 for result in results if result.method == OVER_BUDGET)


def run_batch(
    problems: Sequence[Problem],
    tol: float = DEFAULT_TOL,
    jobs: int | None = None,
    how: Rules | None = None,
) -> Iterator[tuple[int, CheckResult]]:
    """(row index, result) for every problem, in the order the rows finish."""
    how = how or Rules(tol)
    jobs = min(default_jobs() if jobs is None else jobs, MAX_JOBS, max(1, len(problems)))
    if jobs <= 1:
        for index, problem in enumerate(problems):
            yield index, check_row(problem, how=how)
        return
    _warm_up()
    context = multiprocessing.get_context(
        "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    )
    pool = context.Pool(jobs, initializer=_worker_start)
    try:
        yield from pool.imap_unordered(_work, [(i, p, how) for i, p in enumerate(problems)])
        pool.close()
    except BaseException:
        pool.terminate()
        raise
    finally:
        pool.join()


def _warm_up() -> None:
    """Import what every row needs before forking, so no worker pays for it."""
    from ..symbolic import derivatives, equivalence, expressions  # noqa: F401

    expressions.sympy_module()


def _worker_start() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _work(task: tuple[int, Problem, Rules]) -> tuple[int, CheckResult]:
    index, problem, how = task
    return index, check_row(problem, how=how)


def collect(
    problems: Sequence[Problem],
    tol: float = DEFAULT_TOL,
    jobs: int | None = None,
    on_result: Callable[[int, CheckResult], None] | None = None,
    book: Gradebook | None = None,
    how: Rules | None = None,
) -> list[CheckResult]:
    """Every result in row order. `on_result` sees each one as it finishes; the gradebook
    gets each row as soon as every row before it is done, so it stays in the file's order."""
    results: list[CheckResult | None] = [None] * len(problems)

    def finished() -> Iterator[tuple[int, CheckResult]]:
        for index, result in run_batch(problems, tol, jobs, how):
            results[index] = result
            if on_result is not None:
                on_result(index, result)
            yield index, result

    for _, result in in_order(finished()):
        if book is not None:
            book.add(result)
    return [result for result in results if result is not None]


def in_order(
    finished: Iterable[tuple[int, CheckResult]],
) -> Iterator[tuple[int, CheckResult]]:
    """Results in row order, each released as soon as every row before it has finished."""
    waiting: dict[int, CheckResult] = {}
    following = 0
    for index, result in finished:
        waiting[index] = result
        while following in waiting:
            yield following, waiting.pop(following)
            following += 1


def mistake_counts(results: Iterable[CheckResult]) -> Counter[str]:
    """How many answers made each named mistake, most common first when listed."""
    return Counter(r.diagnosis.mistake for r in results if r.diagnosis is not None)


def mistake_lines(results: Iterable[CheckResult]) -> list[str]:
    """`chain factor missing: 41 students`, most common first (ties by name)."""
    counts = mistake_counts(results)
    return [
        f"{KINDS[kind]}: {count} student{'s' if count != 1 else ''}"
        for kind, count in sorted(counts.items(), key=lambda item: (-item[1], KINDS[item[0]]))
    ]


def check_class(
    problems: Sequence[Problem],
    how: Rules,
    jobs: int | None = None,
    gradebook: str | None = None,
    on_result: Callable[[int, CheckResult], None] | None = None,
) -> list[CheckResult]:
    """`collect` by the batch's rules, with the gradebook CSV at `gradebook` written as rows
    finish."""
    from .gradebook import open_gradebook

    with contextlib.ExitStack() as stack:
        book = stack.enter_context(open_gradebook(gradebook)) if gradebook is not None else None
        return collect(problems, how.tol, jobs, on_result=on_result, book=book, how=how)


def class_document(results: list[CheckResult], budget: float) -> dict[str, Any]:
    """The `check --problems --json` object: counts, summary, each record, the mistakes
    counted, and the batch's time budget with the rows it left unchecked."""
    return {
        **batch_document(results),
        "mistakes": mistakes_document(results),
        "budget": {"seconds": budget, "not_checked": over_budget(results)},
    }


def mistakes_document(results: Iterable[CheckResult]) -> dict[str, Any]:
    """The `mistakes` object of the batch JSON: kind -> count, most common first."""
    counts = mistake_counts(results)
    return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))
