"""A tired teacher grading a class from a spreadsheet export (tests/data/teacher/*.csv).

What spreadsheets really write: a byte-order mark and CRLF (Excel "CSV UTF-8"), semicolons
(Excel in a European locale), tabs, Windows-1252 (Excel's plain "CSV"), headers typed as
`Expression,WRT,Answer`, name and e-mail columns, a row cut short, quoted commas, the rows of
commas a sheet writes for empty rows, a student twice, cells a spreadsheet changed (a fraction
turned into a date, E notation, non-breaking spaces, a trailing tab, smart quotes, a leading
`=`), a decimal comma, and a file with no answer column. Each is run the way the teacher runs
it, `cgraph check --problems FILE` (with `--json`, `--csv`, a 60-column terminal, `| head`),
and must grade every readable row, give an error row (never a crash) for a bad one, and exit
with the documented code.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]
FILES = REPO / "tests" / "data" / "teacher"
ENV = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1", "TERM": "dumb"}


def run(*args: str, columns: int = 200) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [sys.executable, "-m", "cgraph_cli", *args],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=REPO,
        env={**ENV, "COLUMNS": str(columns)},
    )
    assert "Traceback" not in done.stderr, done.stderr
    return done


def grade(name: str) -> tuple[int, dict[str, Any], list[tuple[str, str]], str]:
    """exit code, the JSON document, (id, verdict) in file order, stderr."""
    done = run("check", "--problems", str(FILES / name), "--json", "--jobs", "1")
    document = json.loads(done.stdout)
    verdicts = [(r["id"], r["verdict"]) for r in document["results"]]
    return done.returncode, document, verdicts, done.stderr


def test_excel_utf8_with_a_byte_order_mark_and_crlf() -> None:
    code, document, verdicts, _ = grade("bom_crlf.csv")
    assert verdicts == [
        ("s001", "correct"), ("s002", "correct"), ("s003", "correct"), ("s004", "wrong"),
    ]  # fmt: skip
    assert document["summary"] == "3/4 correct (1 wrong)"
    assert code == 1


@pytest.mark.parametrize("name", ["semicolon.csv", "tabs.csv"])
def test_semicolons_and_tabs_between_fields(name: str) -> None:
    code, _, verdicts, _ = grade(name)
    expected = {
        "semicolon.csv": [
            ("s001", "correct"), ("s002", "correct"), ("s003", "correct"), ("s004", "wrong"),
        ],
        "tabs.csv": [("s001", "correct"), ("s002", "correct")],
    }[name]  # fmt: skip
    assert verdicts == expected
    assert code == (1 if name == "semicolon.csv" else 0)


def test_headers_in_any_case() -> None:
    code, _, verdicts, _ = grade("header_case.csv")
    assert verdicts == [("s001", "correct"), ("s002", "correct")]
    assert code == 0


def test_windows_1252_from_excels_plain_csv() -> None:
    code, _, verdicts, _ = grade("windows_1252.csv")
    assert verdicts == [("s001", "correct"), ("s002", "correct")]
    assert code == 0


def test_other_columns_are_ignored_and_a_short_row_is_one_error_row() -> None:
    code, document, verdicts, _ = grade("extra_and_missing_columns.csv")
    assert verdicts == [
        ("s001", "correct"), ("s002", "correct"), ("s003", "error"), ("s004", "correct"),
    ]  # fmt: skip
    assert document["results"][2]["error"] == "line 4: no answer given"
    assert code == 2  # no wrong answer, one malformed row


def test_quoted_commas_stay_in_their_field() -> None:
    code, _, verdicts, _ = grade("quoted_commas.csv")
    # min(3, 1) is y: d/dx is 0, so the student's 1 is wrong
    assert verdicts == [
        ("s001", "correct"), ("s002", "correct"), ("s003", "correct"), ("s004", "wrong"),
    ]  # fmt: skip
    assert code == 1


def test_blank_lines_and_rows_of_commas_are_not_students() -> None:
    code, document, verdicts, _ = grade("blank_lines.csv")
    assert verdicts == [("s001", "correct"), ("s002", "correct")]
    assert document["summary"] == "2/2 correct"
    assert code == 0


def test_a_student_twice_is_graded_twice_and_named_on_stderr() -> None:
    code, _, verdicts, stderr = grade("duplicate_ids.csv")
    assert verdicts == [("s001", "wrong"), ("s002", "correct"), ("s001", "correct")]
    assert "note: id s001 is on 2 rows (line 2, line 4)" in stderr
    assert code == 1


def test_cells_a_spreadsheet_changed() -> None:
    code, document, verdicts, _ = grade("excel_mangled.csv")
    assert verdicts == [
        ("s001", "error"), ("s002", "correct"), ("s003", "correct"), ("s004", "correct"),
        ("\u201cs005\u201d", "correct"), ("s006", "error"),
    ]  # fmt: skip
    errors = {r["id"]: r["error"] for r in document["results"] if r["error"]}
    assert "`Mar`" in errors["s001"]  # 3/4 turned into the date 4-Mar
    assert "`=`" in errors["s006"]
    assert code == 2


def test_a_decimal_comma_in_a_value_is_that_row_only() -> None:
    code, document, verdicts, _ = grade("decimal_comma.csv")
    assert verdicts == [("s001", "error"), ("s002", "correct")]
    assert "'x=2,5'" in document["results"][0]["error"]
    assert code == 2


def test_a_file_without_an_answer_column_says_so() -> None:
    done = run("check", "--problems", str(FILES / "no_answer_column.csv"))
    assert done.returncode == 2
    assert done.stderr.startswith("error: ")
    assert "has no `answer` column" in done.stderr
    assert done.stdout == ""


def test_the_gradebook_of_a_messy_file_keeps_the_files_order(tmp_path: Path) -> None:
    book = tmp_path / "grades" / "gradebook.csv"
    done = run(
        "check", "--problems", str(FILES / "extra_and_missing_columns.csv"), "--csv", str(book),
    )  # fmt: skip
    assert done.returncode == 2
    rows = book.read_text(encoding="utf-8").splitlines()
    assert rows[0] == "id,verdict,score,mistake,message"
    assert [row.split(",")[:3] for row in rows[1:]] == [
        ["s001", "correct", "1"], ["s002", "correct", "1"], ["s003", "error", "0"],
        ["s004", "correct", "1"],
    ]  # fmt: skip


def test_a_60_column_terminal_wraps_and_never_cuts(tmp_path: Path) -> None:
    done = run("check", "--problems", str(FILES / "quoted_commas.csv"), "--jobs", "1", columns=60)
    lines = done.stdout.splitlines()
    assert max(len(line) for line in lines) <= 60
    assert "…" not in done.stdout
    for ident in ("s001", "s002", "s003", "s004"):
        assert any(line.startswith(ident) for line in lines), ident
    assert lines[-1] == "3/4 correct (1 wrong)"


def test_piping_into_head_ends_quietly_and_the_gradebook_is_whole(tmp_path: Path) -> None:
    book = tmp_path / "gradebook.csv"
    command = (
        f"{sys.executable} -m cgraph_cli check --problems {FILES / 'bom_crlf.csv'} --jobs 1"
        f" --csv {book} | head -n 0; echo ${{PIPESTATUS[0]}}"
    )
    done = subprocess.run(
        ["bash", "-c", command], capture_output=True, text=True, timeout=300, cwd=REPO, env=ENV
    )
    assert done.stderr == ""
    assert done.stdout.strip() == "141"
    assert len(book.read_text(encoding="utf-8").splitlines()) == 5


def test_a_hand_worked_table_saved_by_a_european_excel() -> None:
    """`--table` reads the same exports: a byte-order mark, CRLF, semicolons, `Node,Value,Grad`
    headers and an empty row; x's gradient 4 is the upstream one passed down unmultiplied."""
    done = run(
        "check", "z = w * x; y = z + b; d = y - t; L = d^2", "--x", "2", "--w", "3", "--b", "1",
        "--t", "5", "--table", str(FILES / "table_semicolon.csv"), "--json",
    )  # fmt: skip
    document = json.loads(done.stdout)
    cells = {(c["node"], c["cell"]): c["correct"] for c in document["cells"]}
    assert cells == {
        ("x", "value"): True, ("x", "grad"): False, ("w", "value"): True,
        ("w", "grad"): True, ("L", "value"): True, ("L", "grad"): True,
    }  # fmt: skip
    assert document["summary"] == "5/6 cells correct"
    assert done.returncode == 1
