"""A whole class at once: `check --problems FILE` in parallel processes (--jobs), each row in
its own time box, the gradebook CSV (--csv) in row order and spreadsheet-safe, the mistakes
counted across the class, and nothing extra on stderr when it is not a terminal."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest
from helpers import cgraph

from cgraph_cli.homework import batch
from cgraph_cli.homework.batch import collect, in_order, mistake_lines
from cgraph_cli.homework.check import Outcome, Problem
from cgraph_cli.homework.gradebook import safe_cell

ENV = {"COLUMNS": "160", "NO_COLOR": "1", "TERM": "dumb"}
ROWS = [
    ("a1", "sin(x^2)", "x", "cos(x^2)"),
    ("a2", "sin(x^2)", "x", "2x cos(x^2)"),
    ("a3", "x^2*sin(x)", "x", "2x cos(x)"),
    ("a4", "sin(x^2)", "x", "cos(x^2)"),
    ("=cmd|' /C calc'!A0", "x^3", "x", "3x^3"),
    ("a6", "x^3", "x", "x^2 + 1"),
    ("a7", "log(", "x", "1/x"),
    ("+a8", "a = x^2; b = x^3; y = a + b", "x", "3x^2"),
]


def write(path: Path, rows: list[tuple[str, ...]]) -> Path:
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "expression", "wrt", "answer"])
        writer.writerows(rows)
    return path


def problems() -> list[Problem]:
    return [Problem(e, w, a, id=i) for i, e, w, a in ROWS]


def invoke(*args: str) -> Any:
    return cgraph("check", *args, env=ENV)


def test_parallel_results_in_row_order() -> None:
    results = collect(problems(), jobs=2)
    assert [r.problem.id for r in results] == [row[0] for row in ROWS]
    assert [(r.outcome, r.diagnosis.mistake if r.diagnosis else None) for r in results] == [
        (Outcome.WRONG, "chain_factor_missing"),
        (Outcome.CORRECT, None),
        (Outcome.WRONG, "product_rule_as_product"),
        (Outcome.WRONG, "chain_factor_missing"),
        (Outcome.WRONG, "power_exponent_kept"),
        (Outcome.WRONG, None),
        (Outcome.ERROR, None),
        (Outcome.WRONG, "fan_out_path_missing"),
    ]


def test_results_are_seen_as_they_finish() -> None:
    seen: list[int] = []
    collect(problems(), jobs=2, on_result=lambda index, _result: seen.append(index))
    assert sorted(seen) == list(range(len(ROWS)))


def test_in_order_releases_each_row_once_the_rows_before_it_are_done() -> None:
    finished = [(2, "c"), (0, "a"), (3, "d"), (1, "b")]
    assert list(in_order(finished)) == [(0, "a"), (1, "b"), (2, "c"), (3, "d")]  # type: ignore[arg-type]


def test_a_row_out_of_time_is_an_error_row(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(batch, "ROW_SECONDS", 1e-4)
    result = batch.check_row(Problem("sin(x^2)*exp(x)/(1+x^4)", "x", "cos(x^2)"))
    assert result.outcome is Outcome.ERROR
    assert result.error == "checking this problem took over 0.0001 s; it was stopped"


def test_mistakes_counted_across_the_class() -> None:
    assert mistake_lines(collect(problems(), jobs=1)) == [
        "chain factor missing: 2 students",
        "fan-out path missing: 1 student",
        "power rule: exponent not lowered: 1 student",
        "product rule as f′g′: 1 student",
    ]


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ("=1+2", "'=1+2"),
        ("+1", "'+1"),
        ("-2x", "'-2x"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "' x"),  # a formula start, and a control character: both made safe
        ("\rx", "' x"),
        (" =1+2", "' =1+2"),
        ("\uff1dcmd", "'\uff1dcmd"),  # full-width =
        ("a\x1b[2Jb", "a\ufffd[2Jb"),
        ("2x", "2x"),
        ("", ""),
        (None, ""),
    ],
)
def test_spreadsheet_safe_cells(cell: Any, written: str) -> None:
    assert safe_cell(cell) == written


def test_gradebook_and_summary_on_the_command_line(tmp_path: Path) -> None:
    book = tmp_path / "out" / "grades.csv"
    result = invoke(
        "--problems", str(write(tmp_path / "p.csv", ROWS)), "--csv", str(book), "-j", "2"
    )
    assert result.exit_code == 1, result.output
    assert result.stderr == ""  # no progress bar when stderr is not a terminal
    lines = [line.rstrip() for line in result.stdout.strip().split("\n")]
    assert lines[-6:] == [
        "1/8 correct (6 wrong, 1 error)",
        "mistakes:",
        "  chain factor missing: 2 students",
        "  fan-out path missing: 1 student",
        "  power rule: exponent not lowered: 1 student",
        "  product rule as f′g′: 1 student",
    ]
    with book.open(newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["id", "verdict", "score", "mistake", "message"]
    assert [row[0] for row in rows[1:]] == [
        "a1", "a2", "a3", "a4", "'=cmd|' /C calc'!A0", "a6", "a7", "'+a8"
    ]  # fmt: skip
    assert rows[1] == [
        "a1",
        "wrong",
        "0",
        "chain factor missing",
        "the chain rule factor d(x^2)/dx = 2x of sin(x^2) is missing",
    ]
    assert rows[2][:3] == ["a2", "correct", "1"]
    assert rows[7][:3] == ["a7", "error", "0"]
    for row in rows:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell


def test_batch_json_counts_mistakes(tmp_path: Path) -> None:
    result = invoke("--file", str(write(tmp_path / "p.csv", ROWS)), "--json", "--jobs", "1")
    document = json.loads(result.stdout)
    assert document["mistakes"] == {
        "chain_factor_missing": 2,
        "fan_out_path_missing": 1,
        "power_exponent_kept": 1,
        "product_rule_as_product": 1,
    }
    assert document["results"][0]["diagnosis"]["mistake"] == "chain_factor_missing"


def test_jobs_and_csv_need_a_problem_file() -> None:
    for option in (("--jobs", "2"), ("--csv", "g.csv"), ("--budget", "5")):
        result = invoke("x^2", "--answer", "2x", *option)
        assert result.exit_code == 2, result.output
        assert "--jobs, --csv and --budget are for a file of problems" in result.stderr


def test_unwritable_gradebook_is_a_usage_error(tmp_path: Path) -> None:
    result = invoke("--problems", str(write(tmp_path / "p.csv", ROWS[:1])), "--csv", str(tmp_path))
    assert result.exit_code == 2, result.output
    assert "is a folder" in result.stderr
