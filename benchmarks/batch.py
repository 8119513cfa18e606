"""Class-batch benchmark (issue 12): does `cgraph check --problems FILE` on N rows finish in
about N x (single-row time) / cores?

It writes N rows (a mix of correct answers, named mistakes and unnamed wrong answers, cycled,
each with its own id) to benchmarks/results/work/class_N.csv, measures the single-row time in
one process (`--jobs 1` on the first SAMPLE rows, whole process), then times the whole batch
with `--jobs` = the cores, gradebook CSV included, and prints both with the expected time.
Nothing here is a test; run it on an otherwise idle machine.

Usage: ``python benchmarks/batch.py [--rows 5000] [--sample 200] [--jobs N] [--unique]``
"""

from __future__ import annotations

import argparse
import csv
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
WORK = HERE / "results" / "work"
CGRAPH = Path(sys.executable).with_name("cgraph")

# (program, wrt, answer): correct answers, the usual mistakes, and wrong answers nobody foresaw
POOL = [
    ("sin(x^2)", "x", "2x cos(x^2)"),
    ("sin(x^2)", "x", "cos(x^2)"),
    ("x^2*sin(x)", "x", "2x sin(x) + x^2 cos(x)"),
    ("x^2*sin(x)", "x", "2x cos(x)"),
    ("x/(x^2+1)", "x", "(1 - x^2)/(x^2+1)^2"),
    ("x/(x^2+1)", "x", "(2x^2 - (x^2+1))/(x^2+1)^2"),
    ("(3x+1)^5", "x", "15(3x+1)^4"),
    ("(3x+1)^5", "x", "5(3x+1)^4"),
    ("exp(x)", "x", "x exp(x-1)"),
    ("cos(x)", "x", "sin(x)"),
    ("log10(x)", "x", "1/x"),
    ("a = x^2; b = x^3; y = a + b", "x", "2x + 3x^2"),
    ("a = x^2; b = x^3; y = a + b", "x", "3x^2"),
    ("(w*x+b-t)^2", "w", "2x(w x + b - t)"),
    ("(w*x+b-t)^2", "w", "2(w x + b - t)"),
    ("sigmoid(w*x+b)", "w", "x sigmoid(w*x+b)(1 - sigmoid(w*x+b))"),
    ("tanh(w*x+b)", "b", "1 - tanh(w*x+b)^2"),
    ("x^3", "x", "3x^3"),
    ("sin(x^2)", "x", "x^3 + 1"),
    ("x^2 y", "x", "x^2"),
]


def scaled(program: str, factor: int) -> str:
    """The program times `factor`: a statement program scales its last statement's right side."""
    *steps, last = program.split(";")
    name, equals, expression = last.rpartition("=")
    head = f"{name}{equals} " if equals else ""
    return ";".join([*steps, f"{head}{factor}*({expression.strip()})"])


def write_rows(rows: int, unique: bool) -> Path:
    """With `unique`, row k scales its program and answer by k + 2, so no two rows are the same
    question and SymPy's cache cannot answer a row from an earlier one (a real class repeats
    answers, so the cycled pool is the kinder, the unique one the harder measure)."""
    WORK.mkdir(parents=True, exist_ok=True)
    path = WORK / f"class_{rows}{'_unique' if unique else ''}.csv"
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "expression", "wrt", "answer"])
        for number in range(rows):
            program, wrt, answer = POOL[number % len(POOL)]
            if unique:
                program, answer = scaled(program, number + 2), f"{number + 2}*({answer})"
            writer.writerow([f"s{number + 1:05d}", program, wrt, answer])
    return path


def timed(args: list[str]) -> float:
    started = time.perf_counter()
    done = subprocess.run(
        [str(CGRAPH), "check", *args], capture_output=True, text=True, check=False
    )
    elapsed = time.perf_counter() - started
    if done.returncode not in (0, 1):
        sys.exit(f"cgraph check failed ({done.returncode}): {done.stderr[:500]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=5_000)
    parser.add_argument("--sample", type=int, default=200)
    parser.add_argument("--jobs", type=int, default=len(os.sched_getaffinity(0)))
    parser.add_argument("--unique", action="store_true", help="no two rows the same question")
    options = parser.parse_args()
    sample = write_rows(options.sample, options.unique)
    full = write_rows(options.rows, options.unique)
    single = timed(["--problems", str(sample), "--jobs", "1"]) / options.sample
    out = WORK / f"gradebook_{options.rows}.csv"
    whole = timed(["--problems", str(full), "--jobs", str(options.jobs), "--csv", str(out)])
    expected = options.rows * single / options.jobs
    print(f"rows: {options.rows:,}, cores used: {options.jobs}")
    print(f"single-row time (--jobs 1, {options.sample} rows, whole process): {single:.3f} s")
    print(f"expected: {options.rows:,} x {single:.3f} s / {options.jobs} = {expected:.0f} s")
    print(f"measured: {whole:.0f} s ({whole / expected:.2f} x expected)")
    print(f"gradebook: {out}")


if __name__ == "__main__":
    main()
