"""`cgraph check`: the homework corpus through the checker, numeric answers, the traps, hostile
answers, batch files with a broken row, JSON fields and the note at a kink.

The core (`cgraph_cli.homework.check`) is tested directly for the whole corpus; the command
line runs through Typer's CliRunner with a fixed width and colour off, and every exit-code
assertion carries the output as its message.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest
from helpers import cgraph, shown

from cgraph_cli.errors import InputError, ParseError, UsageError
from cgraph_cli.homework.check import Outcome, Problem, check, check_safely
from cgraph_cli.homework.problem_file import read_problems
from cgraph_cli.homework.results import batch_exit_code, summary_line

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "tests" / "data" / "equivalence_corpus.csv"
HOMEWORK = REPO / "samples" / "homework.csv"
ENV = {"COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb"}
NEURON = ("(w*x+b-t)^2", "--wrt", "w")
POINT = ("--x", "2", "--w", "3", "--b", "1", "--t", "5")

# Answers our parser refuses by design (`x 2` is a missing operator, not a product): they
# must come out as errors, never as correct.
PARSER_REFUSES = {"x 2^(x-1)"}


def invoke(*args: str) -> Any:
    return cgraph("check", *args, env=ENV)


def run(code: int, *args: str) -> str:
    """Run `cgraph check ...`, expect exit `code` and no traceback; return stdout."""
    result = invoke(*args)
    assert result.exit_code == code, shown(result)
    assert "Traceback" not in result.output, shown(result)
    return result.stdout


def refused(*args: str) -> str:
    """A bad input: exit 2, nothing on stdout, one `error:` message on stderr."""
    result = invoke(*args)
    assert result.exit_code == 2, shown(result)
    assert result.stdout == "", shown(result)
    assert result.stderr.startswith("error: "), shown(result)
    assert "Traceback" not in result.output, shown(result)
    return result.stderr


def lines(text: str) -> list[str]:
    return [line.rstrip() for line in text.strip("\n").split("\n")]


# --- the corpus ----------------------------------------------------------------------------


def corpus() -> list[dict[str, str]]:
    with CORPUS.open(newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.parametrize(
    "row", corpus(), ids=lambda r: f"{r['expression']} d/d{r['wrt']} {r['answer']}"
)
def test_corpus_verdicts(row: dict[str, str]) -> None:
    """A wrong answer is never accepted and a correct one never rejected."""
    result = check_safely(Problem(row["expression"], row["wrt"], row["answer"]))
    if row["answer"] in PARSER_REFUSES:
        assert result.outcome is Outcome.ERROR, result
        return
    assert result.outcome == row["verdict"], f"{row}: {result.method} {result.error}"
    if result.outcome is Outcome.WRONG:
        assert result.counterexample is not None
        assert result.derivative


def test_corpus_as_a_batch_file() -> None:
    """An answer key with extra columns (verdict, topic) is checked as it is."""
    document = json.loads(run(1, "--problems", str(CORPUS), "--json"))
    rows = corpus()
    wrong = sum(1 for r in rows if r["verdict"] == "wrong") - len(PARSER_REFUSES)
    correct = len(rows) - wrong - len(PARSER_REFUSES)
    assert document["summary"] == f"{correct}/{len(rows)} correct ({wrong} wrong, 1 error)"
    verdicts = [r["verdict"] if r["answer"] not in PARSER_REFUSES else "error" for r in rows]
    assert [r["verdict"] for r in document["results"]] == verdicts


# --- one answer through the command line ---------------------------------------------------


def test_correct_answer() -> None:
    out = run(0, *NEURON, "--answer", "2*(w*x+b-t)*x")
    assert lines(out) == ["correct (proved equal)", "∂f/∂w = 2*x*(b - t + w*x)"]


@pytest.mark.parametrize(
    "answer", ["2x(w*x+b-t)", "(w*x+b-t)*2*x", "2 x (w x + b - t)", "2*w*x^2 + 2*b*x - 2*t*x"]
)
def test_equivalent_forms_pass(answer: str) -> None:
    assert lines(run(0, *NEURON, "--answer", answer))[0] == "correct (proved equal)"


def test_wrong_answer_shows_the_derivative_and_a_point_with_both_values() -> None:
    out = run(1, *NEURON, "--answer", "-2*(w*x+b-t)*x")
    assert lines(out) == [
        "wrong",
        "∂f/∂w = 2*x*(b - t + w*x)",
        "your answer: -2*(w*x+b-t)*x",
        "they differ at w = 0.3662, x = 3.248, b = -1.725, t = -0.317:",
        "  ∂f/∂w = -1.4199112704, your answer = 1.4199112704",
    ]


@pytest.mark.parametrize("answer", ["2(w*x+b-t)", "(w*x+b-t)*x", "2x(t-w*x-b)", "2*x"])
def test_wrong_forms_fail(answer: str) -> None:
    """A missing chain-rule factor, a factor of 2 off, a sign error, a missing term."""
    assert lines(run(1, *NEURON, "--answer", answer))[0] == "wrong"


def test_sampled_verdict_is_named_as_such() -> None:
    out = run(0, "relu(w*x)", "--wrt", "w", "--answer", "x*max(0, x*w)/(x*w)")
    assert lines(out)[:2] == [
        "correct (equal at 72 sampled points, not proved)",
        "sampled at |values| from 1e-18 to 7e+11, both signs, 24 beside switch points; seed 0",
    ]


def test_symbolic_answer_with_values_also_gives_the_value_at_the_point() -> None:
    out = run(0, *NEURON, "--answer", "2x(w x + b - t)", *POINT)
    assert lines(out) == [
        "correct (proved equal)",
        "∂f/∂w = 2*x*(b - t + w*x)",
        "at w = 3, x = 2, b = 1, t = 5:",
        "  ∂f/∂w = 8, your answer = 8",
    ]


def test_wrong_symbolic_answer_with_values_shows_both_points() -> None:
    out = run(1, *NEURON, "--answer", "2(w*x+b-t)", *POINT)
    assert "at w = 3, x = 2, b = 1, t = 5:" in lines(out)
    assert "  ∂f/∂w = 8, your answer = 4" in lines(out)


# --- numeric answers -----------------------------------------------------------------------


def test_numeric_answer_at_the_point() -> None:
    out = run(0, *NEURON, "--answer", "8", *POINT)
    assert lines(out) == [
        "correct (equals the gradient at the point, relative tolerance 1e-06)",
        "∂f/∂w = 2*x*(b - t + w*x)",
        "at w = 3, x = 2, b = 1, t = 5:",
        "  ∂f/∂w = 8, your answer = 8",
    ]


def test_numeric_answer_off_by_one_is_wrong() -> None:
    out = run(1, *NEURON, "--answer", "9", *POINT)
    assert lines(out) == [
        "wrong",
        "∂f/∂w = 2*x*(b - t + w*x)",
        "your answer: 9",
        "at w = 3, x = 2, b = 1, t = 5:",
        "  ∂f/∂w = 8, your answer = 9",
    ]


@pytest.mark.parametrize(
    ("answer", "tol", "code"),
    [
        ("8.000001", "1e-6", 0),
        ("8.0001", "1e-6", 1),
        ("8.0001", "1e-3", 0),
        ("-8", "1", 1),
        ("16/2", "1e-6", 0),
        ("8 + 0*pi", "1e-6", 0),
    ],
)
def test_tolerance_is_relative(answer: str, tol: str, code: int) -> None:
    run(code, *NEURON, "--answer", answer, *POINT, "--tol", tol)


def test_values_from_at_and_negative_numbers() -> None:
    run(0, *NEURON, "--answer", "-8", "--at", "x=2, w=3, b=1, t=9")


def test_numeric_check_works_where_symbolic_work_is_refused() -> None:
    """6,000 additions are past the symbolic limit; the gradient at a point is still checked."""
    program = "+".join(["x"] * 6000)
    out = run(0, program, "--wrt", "x", "--answer", "6000", "--x", "1")
    assert lines(out)[0].startswith("correct (equals the gradient at the point")


def test_program_defaults_are_the_point() -> None:
    run(0, "x = 3; f = x^2", "--wrt", "x", "--answer", "6")
    run(1, "x = 3; f = x^2", "--wrt", "x", "--answer", "5")


# --- the traps -----------------------------------------------------------------------------


def test_sqrt_of_square_is_not_x() -> None:
    out = run(1, "x^2/2", "--wrt", "x", "--answer", "sqrt(x^2)")
    assert lines(out)[-2:] == ["they differ at x = -3.28:", "  ∂f/∂x = -3.28, your answer = 3.28"]
    run(1, "sqrt(x^2)", "--wrt", "x", "--answer", "1")
    run(0, "sqrt(x^2)", "--wrt", "x", "--answer", "x/abs(x)")


def test_log_of_product_is_not_sum_of_logs() -> None:
    """At x, y < 0 the program is defined and the answer is not: that is a disagreement."""
    out = run(1, "x*log(x*y)", "--wrt", "x", "--answer", "log(x) + log(y) + 1")
    assert lines(out)[-1].endswith("your answer = undefined")
    run(0, "x*log(x*y)", "--wrt", "x", "--answer", "log(x*y) + 1")


def test_derivative_by_a_step() -> None:
    """∂f/∂q for a step q: the answer may name the step or write it out."""
    for answer in ("2q", "2(x+y)", "2*x + 2*y"):
        run(0, "q = x + y; f = q*q", "--wrt", "q", "--answer", answer)
    run(1, "q = x + y; f = q*q", "--wrt", "q", "--answer", "q")


def test_only_input_is_the_default_wrt() -> None:
    run(0, "x^3", "--answer", "3x^2")
    assert "say which variable" in refused("x*y", "--answer", "y")


def test_too_few_defined_points_is_undecided_never_correct() -> None:
    out = run(1, "log(-x^2 - 1)", "--wrt", "x", "--answer", "2*x/(x^2 + 1) + log(-x^2 - 2)")
    assert lines(out)[0].startswith("undecided: both sides were defined at only")
    assert "hint: give values" in out


# --- bad input -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "answer",
    [
        "__import__('os')",
        "__import__('os').system('touch {}')",
        "x.__class__",
        "lambda: 1",
        "[x for x in ()]",
        "x; y",
        "f = 2*x",
        "",
        "9^9^9",
        "2*x)",
    ],
)
def test_hostile_or_broken_answers_are_refused(answer: str, tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    refused("x^2", "--wrt", "x", "--answer", answer.format(marker))
    assert not marker.exists()


def test_import_answer_points_at_the_quote() -> None:
    message = refused("x^2", "--wrt", "x", "--answer", "__import__('os')")
    assert message.startswith('error: unexpected character "\'" (column 12)')


def test_answer_with_a_name_the_program_lacks_suggests_one() -> None:
    message = refused(*NEURON, "--answer", "2*(w*x+b-tt)*x")
    assert message == (
        "error: the answer uses `tt`, which is not a variable of the program\n"
        "hint: did you mean `t`?\n"
    )


@pytest.mark.parametrize(
    "args",
    [
        (*NEURON,),  # no answer
        ("--problems", str(HOMEWORK), "--answer", "2"),  # a file and a single problem
        (*NEURON, "--answer", "2x", "--z", "1"),  # a value for no variable
        ("(w*x+b-t)^2", "--wrt", "v", "--answer", "2x"),
    ],
)
def test_usage_errors(args: tuple[str, ...]) -> None:
    refused(*args)


def test_domain_error_at_the_point_is_exit_3() -> None:
    result = invoke("log(x)", "--wrt", "x", "--answer", "1/x", "--x", "-1")
    assert result.exit_code == 3, shown(result)
    assert "log needs a positive argument" in result.stderr


# --- kinks ---------------------------------------------------------------------------------


def test_kink_note_with_the_convention() -> None:
    out = run(0, "relu(x)", "--wrt", "x", "--answer", "0", "--x", "0")
    assert lines(out)[-1] == (
        "note: f = relu(x): relu is not differentiable at 0; the gradient is taken as 0"
    )


def test_answer_against_another_convention_is_wrong_with_the_note() -> None:
    out = run(1, "relu(x)", "--wrt", "x", "--answer", "1", "--x", "0")
    assert "note: f = relu(x): relu is not differentiable at 0" in out


def test_no_note_away_from_the_kink() -> None:
    assert "note" not in run(0, "relu(x)", "--wrt", "x", "--answer", "1", "--x", "2")


# --- JSON ----------------------------------------------------------------------------------


def test_json_fields_of_a_wrong_answer() -> None:
    document = json.loads(run(1, *NEURON, "--answer", "9", *POINT, "--json"))
    assert document == {
        "schema_version": 1,
        "id": None,
        "expression": "(w*x+b-t)^2",
        "wrt": "w",
        "output": "f",
        "answer": "9",
        "values": {"x": 2.0, "w": 3.0, "b": 1.0, "t": 5.0},
        "verdict": "wrong",
        "kind": "numeric",
        "method": "not the gradient at the point",
        "derivative": "2*x*(b - t + w*x)",
        "counterexample": {
            "point": {"w": 3.0, "x": 2.0, "b": 1.0, "t": 5.0},
            "expected": 8.0,
            "answer": 9.0,
        },
        "at_point": {
            "point": {"w": 3.0, "x": 2.0, "b": 1.0, "t": 5.0},
            "expected": 8.0,
            "answer": 9.0,
        },
        "notes": [],
        "sampling": None,
        "error": None,
        "diagnosis": None,
        "order": 1,
        "name": "∂f/∂w",
    }


def test_json_of_a_correct_symbolic_answer_and_a_kink() -> None:
    document = json.loads(
        run(0, "abs(x)", "--wrt", "x", "--answer", "x/abs(x)", "--x", "0", "--json")
    )
    assert document["verdict"] == "correct"
    assert document["kind"] == "symbolic"
    assert document["method"] == "equal at 60 sampled points, not proved"
    assert document["sampling"] == {
        "points": 60,
        "switch_points": 12,
        "smallest": pytest.approx(1e-18),
        "largest": 72660000000.0,
        "seed": 0,
        "where": "|values| from 1e-18 to 7e+10, both signs, 12 beside switch points; seed 0",
    }
    assert document["derivative"] == "sign(x)"
    assert document["counterexample"] is None
    assert document["at_point"] == {"point": {"x": 0.0}, "expected": 0.0, "answer": None}
    assert document["notes"] == [
        "f = abs(x): abs is not differentiable at 0; the gradient is taken as 0"
    ]


# --- batches -------------------------------------------------------------------------------


def test_sample_homework_table_and_summary() -> None:
    out = run(1, "--problems", str(HOMEWORK))
    assert lines(out)[-4:] == [
        "6/9 correct (2 wrong, 1 error)",
        "mistakes:",
        "  chain factor missing: 1 student",
        "  quotient rule term missing: 1 student",
    ]
    assert "should be 2*x*cos(x^2)" in out
    assert "'(' is never closed" in out


@pytest.mark.parametrize("name", ["homework.csv", "homework.toml"])
def test_sample_homework_verdicts(name: str) -> None:
    document = json.loads(run(1, "--problems", str(REPO / "samples" / name), "--json"))
    assert document["summary"] == "6/9 correct (2 wrong, 1 error)"
    assert (document["total"], document["correct"], document["wrong"], document["errors"]) == (
        9,
        6,
        2,
        1,
    )
    assert [r["verdict"] for r in document["results"]] == [
        "correct",
        "wrong",
        "correct",
        "correct",
        "correct",
        "wrong",
        "correct",
        "correct",
        "error",
    ]
    broken = document["results"][8]
    assert broken["error"].startswith("'(' is never closed")
    assert broken["id"] == "9"


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_json_problem_file(tmp_path: Path) -> None:
    problems = [
        {"expression": "x^2", "wrt": "x", "answer": "2x"},
        {"expression": "x*y", "wrt": "y", "answer": 3, "values": {"x": 3, "y": 1}},
        {"expression": "x*y", "wrt": "y", "answer": "x", "values": "x=3;y=1", "id": "2b"},
        {"expression": "x*y", "answer": "x"},  # which variable? an error row
        "not a problem",
        {"expression": "x^2", "wrt": "x"},  # no answer
    ]
    document = json.loads(
        run(2, "--problems", write(tmp_path, "p.json", json.dumps(problems)), "--json")
    )
    assert [r["verdict"] for r in document["results"]] == [
        "correct",
        "correct",
        "correct",
        "error",
        "error",
        "error",
    ]
    assert document["summary"] == "3/6 correct (3 errors)"
    assert document["results"][2]["id"] == "2b"
    assert document["results"][5]["error"] == "problem 6: no answer given"
    assert document["results"][4]["error"] == "problem 5 is not a table of fields"


def test_csv_row_errors_name_the_line(tmp_path: Path) -> None:
    text = (
        "expression,wrt,answer,values\n"
        "x^2,x,2x,\n"
        "x^2,x,,\n"
        "x^2,x,4,x=2;y\n"
        "x^2,x,4,x=two\n"
        "x^2,x,4,x=2\n"
    )
    problems = read_problems(write(tmp_path, "p.csv", text))
    assert [p.error for p in problems] == [
        None,
        "line 3: no answer given",
        "line 4: values must be name=value pairs like x=2;y=3, got 'x=2;y'",
        "line 5: the value for x is not a number: 'two'",
        None,
    ]


def test_all_correct_batch_exits_0(tmp_path: Path) -> None:
    out = run(
        0,
        "--problems",
        write(tmp_path, "p.toml", '[[problem]]\nexpression = "x^2"\nwrt = "x"\nanswer = "2x"\n'),
    )
    assert lines(out)[-1] == "1/1 correct"


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("missing.csv", None, "no such file"),
        ("p.txt", "x", "cannot tell the format"),
        ("p.csv", "", "is empty"),
        ("p.csv", "expression,wrt\nx^2,x\n", "has no `answer` column"),
        ("p.json", "[{", "is not valid JSON"),
        ("p.json", '{"expression": "x"}', "holds no list of problems"),
        ("p.toml", "[[problem]\n", "is not valid TOML"),
        ("p.toml", 'title = "no problems"\n', "holds no list of problems"),
    ],
)
def test_unreadable_problem_files_exit_2(
    tmp_path: Path, name: str, text: str | None, message: str
) -> None:
    path = tmp_path / name if text is None else Path(write(tmp_path, name, text))
    assert message in refused("--problems", str(path))


def test_not_utf8_exits_2(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    # 0x81 and 0x8d are neither UTF-8 nor Windows-1252 (which a spreadsheet's plain CSV is,
    # and which is read: tests/test_teacher_files.py)
    path.write_bytes(b"expression,wrt,answer\n\x81\x8d,x,1\n")
    assert "not UTF-8" in refused("--problems", str(path))


# --- the core directly -------------------------------------------------------------------


def test_check_raises_the_error_family_for_malformed_problems() -> None:
    with pytest.raises(ParseError):
        check(Problem("x^2", "x", "2*x)"))
    with pytest.raises(InputError):
        check(Problem("x^2", "x", "2*y"))
    with pytest.raises(UsageError):
        check(Problem("x^2", "x", "  "))


def test_summary_and_exit_code_of_a_batch() -> None:
    results = [check_safely(Problem("x^2", "x", answer)) for answer in ("2x", "x", "2*x)")]
    assert summary_line(results) == "1/3 correct (1 wrong, 1 error)"
    assert batch_exit_code(results) == 1
    assert batch_exit_code(results[:1]) == 0
    assert batch_exit_code([results[0], results[2]]) == 2


def test_file_of_problems_is_the_deprecated_spelling_of_problems(tmp_path: Path) -> None:
    """`check --file p.csv` still checks the problems (one release), with a note on stderr;
    `-f PROGRAM` is the program file, as in every command."""
    problems = write(tmp_path, "p.csv", "expression,wrt,answer\nx^2,x,2x\nx^3,x,3x\n")
    result = invoke("--file", problems)
    assert result.exit_code == 1, shown(result)
    assert result.stdout.splitlines()[-1] == "1/2 correct (1 wrong)", shown(result)
    assert result.stderr == (
        f"note: `check --file {problems}` is deprecated; write `check --problems {problems}`\n"
    )
    program = write(tmp_path, "f.cg", "f = x^3")
    result = invoke("-f", program, "--answer", "3x^2")
    assert result.exit_code == 0, shown(result)
    assert result.stderr == "", shown(result)


def test_an_answer_off_by_less_than_float_rounding_is_wrong() -> None:
    """QA: `2*x + 10^-400` agreed with 2*x at every sampled point and was graded correct."""
    out = run(1, "x^2", "--wrt", "x", "--answer", "2*x + 10^-400")
    assert lines(out) == [
        "wrong",
        "∂f/∂x = 2*x",
        "your answer: 2*x + 10^-400",
        "proved different: the answer is off by 1.00e-400",
    ]


# --- counterexamples show the digits that differ (QA F6) ----------------------------------------
HAIRLINE = [
    (
        ("x^2", "--wrt", "x", "--answer", "2*min(x, 1e13)"),
        "= 20000000000020, your answer = 20000000000000",
    ),
    (
        ("sin(x)", "--wrt", "x", "--answer", "cos(x)*(1 + 1e-12)"),
        "= -0.990436984097473, your answer = -0.990436984098463",
    ),
    (
        ("sin(x)", "--wrt", "x", "--answer", "cos(x)*(1 + 10^-20)"),
        "= -0.99043698409747305, your answer = -0.99043698409747305"
        " (they differ past float64's 17 digits)",
    ),
]


@pytest.mark.parametrize(("args", "line"), HAIRLINE)
def test_a_near_miss_is_shown_with_the_digits_that_differ(args: tuple[str, ...], line: str) -> None:
    result = invoke(*args)
    assert result.exit_code == 1, result.output
    assert line in " ".join(result.output.split())  # Rich may wrap the long line


def test_a_huge_answer_is_named_as_the_answer() -> None:
    """QA F8: a 6,000-term answer was reported as 'the program has 5,999 operations'."""
    result = invoke("x^2", "--wrt", "x", "--answer", "+".join(["x"] * 6000))
    assert result.exit_code == 2, result.output
    assert "the answer has 5,999 operations; symbolic work is limited to 5,000" in result.output
