"""`cgraph check PROGRAM [values] --table FILE`: grading a backprop table worked by hand.

Each reason on its own row (numbers from EXAMPLES.md rows 3 and 6), blanks left ungraded,
CSV and JSON files, the sample in samples/, the summary and exit codes, and bad tables.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from helpers import cgraph, shown

from cgraph_cli.errors import InputError, UsageError
from cgraph_cli.homework.table import grade_table
from cgraph_cli.homework.table_file import Entry, read_table

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "samples" / "linear_regression_table.csv"
ENV = {"COLUMNS": "200", "NO_COLOR": "1", "TERM": "dumb"}
LINEAR = "z = w * x; y = z + b; d = y - t; L = d^2"
LINEAR_AT = {"x": 2.0, "w": 3.0, "b": 1.0, "t": 5.0}
FAN = "d = a + b; e = b - c; Y = d * e"
FAN_AT = {"a": 2.0, "b": 1.0, "c": 0.0}


def invoke(*args: str) -> Any:
    return cgraph("check", *args, env=ENV)


def one(program: str, at: dict[str, float], node: str, *, value: Any = None, grad: Any = None):
    """Grade a table of one row; return its only cell."""
    grade = grade_table(program, at, [Entry(node, value, grad, 2)])
    (cell,) = grade.cells
    return cell


@pytest.mark.parametrize(
    ("program", "at", "node", "grad", "mistake", "reason"),
    [
        (
            LINEAR,
            LINEAR_AT,
            "x",
            4.0,
            "upstream_only",
            "the upstream gradient ∂L/∂z = 4 was passed down without multiplying by the local "
            "gradient ∂z/∂x = 3",
        ),
        (
            LINEAR,
            LINEAR_AT,
            "b",
            1.0,
            "local_only",
            "the local gradient ∂y/∂b = 1 was not multiplied by the upstream gradient ∂L/∂y = 4",
        ),
        (
            LINEAR,
            LINEAR_AT,
            "w",
            12.0,
            "swapped_input",
            "at the multiply w * x, ∂z/∂w is the other input, x = 2, not w's own value 3: "
            "a multiply swaps its inputs",
        ),
        (LINEAR, LINEAR_AT, "t", 4.0, "sign", "the sign is wrong: ∂L/∂t = -4"),
        (
            FAN,
            FAN_AT,
            "b",
            3.0,
            "fan_out_path_missing",
            "b feeds 2 places; the path through d (1) was not added: at a fan-out the "
            "gradients add up",
        ),
        (
            FAN,
            FAN_AT,
            "b",
            1.0,
            "fan_out_path_missing",
            "b feeds 2 places; the path through e (3) was not added: at a fan-out the "
            "gradients add up",
        ),
        (FAN, FAN_AT, "c", 3.0, "sign", "the sign is wrong: ∂Y/∂c = -3"),
        (
            "a = x^2; b = x^3; y = a + b",
            {"x": 3.0},
            "x",
            27.0,
            "fan_out_path_missing",
            "x feeds 2 places; the path through a (6) was not added: at a fan-out the "
            "gradients add up",
        ),
    ],
)
def test_each_reason(
    program: str, at: dict[str, float], node: str, grad: float, mistake: str, reason: str
) -> None:
    cell = one(program, at, node, grad=grad)
    assert not cell.correct
    assert (cell.mistake, cell.reason) == (mistake, reason)


def test_error_carried_from_the_students_own_cell() -> None:
    grade = grade_table(FAN, FAN_AT, [Entry("d", None, 3.0, 2), Entry("a", None, 3.0, 3)])
    d, a = grade.cells
    assert d.mistake == "swapped_input"
    assert a.mistake == "carried"
    assert a.reason == (
        "follows from your ∂Y/∂d = 3, which is wrong: the local step is right, the error is "
        "carried down"
    )


def test_value_cells_sign_order_and_carried() -> None:
    # y - t = 2 reversed is t - y = -2, which is also the sign flipped: the sign is said first
    assert one(LINEAR, LINEAR_AT, "d", value=-2.0).mistake == "sign"
    grade = grade_table(LINEAR, LINEAR_AT, [Entry("z", 5.0, None, 2), Entry("y", 6.0, None, 3)])
    assert [c.mistake for c in grade.cells] == [None, "carried"]
    assert grade.cells[1].reason == (
        "follows from your z = 5, which is wrong: the step is right, the error is carried forward"
    )
    assert one("f = x / y", {"x": 1.0, "y": 4.0}, "f", value=4.0).mistake == "arguments_reversed"


def test_a_wrong_cell_with_no_usual_slip_has_no_reason() -> None:
    cell = one(LINEAR, LINEAR_AT, "w", grad=7.0)
    assert (cell.correct, cell.mistake, cell.reason) == (False, None, None)


def test_tolerance() -> None:
    entries = [Entry("L", 4.0001, None, 2)]
    assert not grade_table(LINEAR, LINEAR_AT, entries).cells[0].correct
    assert grade_table(LINEAR, LINEAR_AT, entries, tol=1e-3).cells[0].correct


def test_sample_table_on_the_command_line() -> None:
    result = invoke(LINEAR, "--x", "2", "--w", "3", "--b", "1", "--t", "5", "--table", str(SAMPLE))
    assert result.exit_code == 1, shown(result)
    lines = [line.rstrip() for line in result.stdout.strip().split("\n")]
    assert lines[-1] == "10/14 cells correct"
    assert lines[2].split()[:5] == ["x", "∂L/∂x", "4", "12", "wrong"]
    assert "Traceback" not in result.output


def test_all_correct_exits_0(tmp_path: Path) -> None:
    table = tmp_path / "t.csv"
    table.write_text("node,value,grad\nx,2,-4\ny,3,-4\nz,-4,5\nq,5,-4\nf,-20,1\n")
    result = invoke(
        "q = x + y; f = q * z", "--x", "2", "--y", "3", "--z", "-4", "--table", str(table)
    )
    assert result.exit_code == 0, shown(result)
    assert result.stdout.strip().split("\n")[-1] == "10/10 cells correct"


def test_json_file_and_json_output(tmp_path: Path) -> None:
    table = tmp_path / "t.json"
    table.write_text(
        json.dumps({"rows": [{"node": "e", "value": 1, "grad": 3}, {"node": "c", "grad": 3}]})
    )
    result = invoke(FAN, "--a", "2", "--b", "1", "--c", "0", "--table", str(table), "--json")
    assert result.exit_code == 1, shown(result)
    document = json.loads(result.stdout)
    assert (document["summary"], document["total"], document["wrong"]) == (
        "2/3 cells correct",
        3,
        1,
    )
    assert document["cells"][2] == {
        "node": "c",
        "id": "n2",
        "cell": "grad",
        "given": 3.0,
        "expected": -3.0,
        "correct": False,
        "mistake": "sign",
        "reason": "the sign is wrong: ∂Y/∂c = -3",
    }


def test_rounding_hint(tmp_path: Path) -> None:
    table = tmp_path / "t.csv"
    table.write_text("node,grad\nx,-1.8845\n")
    result = invoke("f = sin(x^2)", "--x", "1.5", "--table", str(table))
    assert result.exit_code == 1, shown(result)
    assert "pass --tol 0.001" in result.stdout


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("node,value,grad\nq,1,2\n", "no step or variable named `q`"),
        ("node,value,grad\nx,2,\nx,,3\n", "line 3: `x` is already on line 2"),
        ("node,value,grad\nx,two,\n", "line 2: the value for x is not a number"),
        ("name,size\nx,2\n", "has no node, value or grad columns"),
        ("node,value,grad\nx,,\n", "the table has no numbers to grade"),
    ],
)
def test_bad_tables_exit_2(tmp_path: Path, text: str, message: str) -> None:
    table = tmp_path / "t.csv"
    table.write_text(text)
    result = invoke("x^2", "--x", "2", "--table", str(table))
    assert result.exit_code == 2, shown(result)
    assert message in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[{", "is not valid JSON: Expecting property name enclosed in double quotes"),
        ("[" * 100_000 + "]" * 100_000, "is nested too deeply to read"),  # was exit 70
        ('[{"node": "x", "value": 1, "value": 2}]', "gives 'value' twice"),  # was the last
    ],
)
def test_bad_json_tables_exit_2(tmp_path: Path, text: str, message: str) -> None:
    """JSON tables are read by the one JSON reader of core/reading.py, like values files."""
    table = tmp_path / "t.json"
    table.write_text(text)
    result = invoke("x^2", "--x", "2", "--table", str(table))
    assert result.exit_code == 2, shown(result)
    assert message in result.stderr


def test_a_table_file_is_read_within_a_size_limit(tmp_path: Path) -> None:
    """The table reader was the one file reader without a limit (a table that is /dev/zero
    was read forever); it now reads through core/reading.py like every other input file."""
    endless = tmp_path / "table.csv"
    endless.symlink_to("/dev/zero")
    result = invoke("x^2", "--x", "2", "--table", str(endless))
    assert result.exit_code == 2, shown(result)
    assert "too big for a table: over 10,000,000 bytes" in result.stderr
    with pytest.raises(UsageError, match="too big for a table"):
        read_table(str(endless))


def test_no_point_and_other_options_are_usage_errors() -> None:
    with pytest.raises(UsageError, match="graded at a point"):
        grade_table("x*y", {}, [Entry("x", 1.0, None, 2)])
    result = invoke("x^2", "--x", "2", "--answer", "2x", "--table", str(SAMPLE))
    assert result.exit_code == 2, shown(result)
    with pytest.raises(UsageError, match="name the table .csv or .json"):
        read_table("table.txt")
    with pytest.raises(InputError, match="a constant"):
        grade_table("f = x + 2", {"x": 1.0}, [Entry("n1", 1.0, None, 2)])
