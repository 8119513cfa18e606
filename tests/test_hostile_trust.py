"""Issue 10, second pass: hostile cases per class, each a table.

- time boxes: an outer deadline passing while an inner box opens goes on up (never an
  UnboundLocalError); no module uses the racy `with time_box(...) as box` form; nothing uses
  SIGALRM. These tests drive the race directly instead of waiting for a busy machine to hit it.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import pytest

from cgraph_cli.core import timebox
from cgraph_cli.core.timebox import TimeUp, within

PACKAGE = Path(__file__).resolve().parents[1] / "cgraph_cli"


# --- time boxes -----------------------------------------------------------------------------


def _patch_watchdog(monkeypatch: pytest.MonkeyPatch, where: str, exception: type[TimeUp]) -> None:
    """The first `_watchdog.<where>` call is followed by `exception`, landing just after it
    as an asynchronous exception can: the race a busy machine hits now and then."""
    real = getattr(timebox._watchdog, where)
    calls = {"n": 0}

    def landing(*args: object) -> None:
        real(*args)
        calls["n"] += 1
        if calls["n"] == 1:
            raise exception

    monkeypatch.setattr(timebox._watchdog, where, landing)


def _time_up(box: object) -> type[TimeUp]:
    return type("TimeUp", (TimeUp,), {"box": box})


def test_an_outer_deadline_passing_while_a_box_opens_goes_on_up(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    outer = _time_up(timebox.Box(30))
    _patch_watchdog(monkeypatch, "open", outer)
    with pytest.raises(TimeUp) as raised:
        within(30, lambda: "done", lambda: "expired")
    assert type(raised.value) is outer  # the outer box's: not UnboundLocalError, not "expired"


def test_an_outer_deadline_passing_while_a_box_closes_is_sent_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    outer_box = timebox.Box(30)
    outer_box.fired = True
    _patch_watchdog(monkeypatch, "close", _time_up(outer_box))
    assert within(30, lambda: "done", lambda: "expired") == "done"
    assert outer_box.fired is False  # the watchdog sends the outer box's TimeUp once more


def test_its_own_deadline_passing_while_the_box_opens_is_expired(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real = timebox._watchdog.open

    def landing(box: timebox.Box) -> None:
        real(box)
        raise _time_up(box)

    monkeypatch.setattr(timebox._watchdog, "open", landing)
    assert within(30, lambda: "done", lambda: "expired") == "expired"


def test_within_returns_the_work_or_the_fallback() -> None:
    assert within(30, lambda: 42, lambda: -1) == 42

    def forever() -> int:
        while True:
            pass

    assert within(0.05, forever, lambda: -1) == -1


def test_no_module_uses_the_racy_time_box_form() -> None:
    racy = re.compile(r"with\s+time_box\(")
    users = [
        path.relative_to(PACKAGE).as_posix()
        for path in PACKAGE.rglob("*.py")
        if path.name != "timebox.py" and racy.search(path.read_text(encoding="utf-8"))
    ]
    assert users == []


def test_nothing_uses_sigalrm() -> None:
    users = [
        path.relative_to(PACKAGE).as_posix()
        for path in PACKAGE.rglob("*.py")
        if re.search(r"SIGALRM|setitimer|signal\.alarm", path.read_text(encoding="utf-8"))
        and path.name != "timebox.py"  # its docstring says why it is not SIGALRM
    ]
    assert users == []


# --- crashes and bad exits ------------------------------------------------------------------

from typer.testing import CliRunner  # noqa: E402

from cgraph_cli.cli.app import app  # noqa: E402

ENV = {"COLUMNS": "200", "NO_COLOR": "1", "TERM": "dumb"}


def _cli(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args), env=ENV)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("eval", "x^2", "--x", "3", "--gradcheck", "--tol", "inf", "--json"), 2, "finite"),
        (("eval", "x^2", "--x", "3", "--gradcheck", "--tol", "inf"), 2, "finite"),
        (("eval", "x^2", "--x", "3", "--gradcheck", "--tol", "nan", "--json"), 2, "--tol"),
        (("eval", "x", "--output", "n²", "--x", "1"), 2, "no step or variable named `n²`"),
        (("eval", "x", "--output", "n٣", "--x", "1"), 2, "no step or variable named"),
        (("eval", "x", "--output", "n" + "9" * 250, "--x", "1"), 2, "no step or variable"),
        (("eval", "x", "--output", "n" + "0" * 249 + "1", "--x", "1"), 2, "no step or variable"),
        (("eval", "x", "--output", "a" * 250, "--x", "1"), 2, "no step or variable named"),
        (("eval", "q = x + 1; f = q*2", "--output", "é" * 250, "--x", "1"), 2, "no step"),
        (("eval", "x*y", "--output", "n1", "--x", "1", "--y", "2"), 0, ""),  # an id still works
        (
            ("render", "x*y", "--x", "1", "--y", "2", "-o", "/tmp/" + "a" * 250),
            2,
            "File name too long",
        ),
        (
            ("render", "x*y", "--x", "1", "--y", "2", "-o", "/tmp/" + "é" * 200),
            2,
            "File name too long",
        ),
        (
            ("page", "x*y", "--x", "1", "--y", "2", "-o", "/tmp/" + "a" * 251 + ".html"),
            2,
            "too long",
        ),
        (("eval", "-f", "/tmp/" + "a" * 300), 2, "File name too long"),
        (("eval", "x", "--values", "/tmp/" + "a" * 300), 2, "File name too long"),
        (("check", "--problems", "/tmp/" + "a" * 300 + ".csv"), 2, "File name too long"),
        (("check", "--example", "homework.csv", "--csv", "/tmp/" + "a" * 300), 2, "too long"),
        (("check", "x", "--x", "1", "--table", "/tmp/" + "a" * 300 + ".csv"), 2, "too long"),
    ],
)
def test_crashes_become_clear_errors(args: tuple[str, ...], code: int, message: str) -> None:
    exit_code, out, err = _cli(*args)
    assert exit_code == code, out + err
    assert message in err
    assert "internal error" not in err


@pytest.mark.parametrize(
    ("program", "output"),
    [
        ("n5 = x*x; f = n5 + 1", None),
        ("n0 = x + 1; n1 = n0*n0; n2 = n1 - x", None),
        ("n1 = x + 1; n_2 = n1*3", None),  # n_2 is a name too: the ids step aside again
        ("n5 = x*x; f = n5 + 1", "n5"),
        ("a = x*2; n3 = a + x; b = n3*n3", "n3"),
    ],
)
def test_automatic_ids_never_equal_a_name(program: str, output: str | None) -> None:
    import json

    args = ["eval", program, "--x", "3", "--json"] + (["--output", output] if output else [])
    code, out, err = _cli(*args)
    assert code == 0, err
    document = json.loads(out)
    ids = {node["id"] for node in document["nodes"]}
    names = {node["name"] for node in document["nodes"]} - {None}
    assert not ids & names
    if output is not None:
        assert document["output"]["name"] == output  # the user's step, not the node with that id


# --- batch file text is data ----------------------------------------------------------------

HOSTILE_TEXT = [
    "[bold green]correct[/]",
    "[link=https://example.com]x[/link]",
    "[/]",
    "\x1b[2Jcleared",
    "bell\x07",
    "over\rwritten",
    "\u202eecnerrocn",  # a bidi override: reads backwards
    "zero\u200bwidth",
    "line\u2028break",
    "\x1b]8;;https://evil\x07link",
]
UNSAFE = ("\x1b", "\x07", "\r", "\u202e", "\u200b", "\u2028")


@pytest.mark.parametrize("field", ["id", "expression", "wrt", "answer"])
@pytest.mark.parametrize("text", HOSTILE_TEXT, ids=repr)
def test_problem_file_text_is_shown_as_data(field: str, text: str, tmp_path: Path) -> None:
    import json

    row = {"id": "s1", "expression": "x^2", "wrt": "x", "answer": "2*x"}
    row[field] = text if field in ("id",) else row[field] + text
    problems = tmp_path / "p.json"
    problems.write_text(json.dumps([row, {"expression": "x^3", "answer": "3x^2"}]))
    book = tmp_path / "grades.csv"
    code, out, err = _cli("check", "--problems", str(problems), "--csv", str(book), "-j", "1")
    assert code in (0, 1, 2), out + err  # the batch goes on whatever the hostile row is
    shown = out + err + book.read_text(encoding="utf-8")
    assert not any(char in shown for char in UNSAFE), repr(shown)
    assert "internal error" not in shown
    if field == "id" and text.startswith("["):
        assert text in out  # printed as the characters it is, not as markup
    assert "/2 correct" in out


def test_control_characters_in_an_error_message_are_replaced(tmp_path: Path) -> None:
    code, out, err = _cli("eval", "x + \x1b[2J", "--x", "1")
    assert code == 2
    assert "\x1b" not in err


# --- a batch-wide time budget ----------------------------------------------------------------

import time  # noqa: E402

from cgraph_cli.homework import batch  # noqa: E402
from cgraph_cli.homework.check import Outcome, Problem  # noqa: E402


def test_a_row_that_does_not_start_within_the_budget_is_an_error_row() -> None:
    late = batch.Rules(deadline=time.monotonic() - 1)
    result = batch.check_row(Problem("x^2", "x", "2*x"), how=late)
    assert (result.outcome, result.method) == (Outcome.ERROR, batch.OVER_BUDGET)
    assert result.error == "not checked: the batch's time budget ran out before this row started"
    on_time = batch.Rules(deadline=time.monotonic() + 1000)
    assert batch.check_row(Problem("x^2", "x", "2*x"), how=on_time).outcome is Outcome.CORRECT


def test_a_row_running_when_the_budget_ends_is_stopped() -> None:
    soon = batch.Rules(deadline=time.monotonic() + 0.01)
    result = batch.check_row(Problem("sin(x^2)*exp(x)/(1+x^4)", "x", "cos(x^2)"), how=soon)
    assert (result.outcome, result.method) == (Outcome.ERROR, batch.OVER_BUDGET)
    assert "budget ran out while this row was checked" in (result.error or "")


@pytest.mark.parametrize("budget", ["1e-9", "0.000001"])
def test_the_summary_says_how_many_rows_the_budget_left(budget: str, tmp_path: Path) -> None:
    problems = tmp_path / "p.csv"
    problems.write_text("expression,wrt,answer\nx^2,x,2x\nx^3,x,3x^2\nsin(x),x,cos(x)\n")
    code, out, err = _cli("check", "--problems", str(problems), "--budget", budget, "-j", "1")
    assert code == 2, out + err  # only error rows
    assert "3 rows were not checked: the batch's time budget of" in out
    assert "(give more with --budget SECONDS)" in out


@pytest.mark.parametrize("budget", ["0", "-1", "inf", "nan"])
def test_a_budget_is_a_positive_number_of_seconds(budget: str, tmp_path: Path) -> None:
    problems = tmp_path / "p.csv"
    problems.write_text("expression,wrt,answer\nx^2,x,2x\n")
    code, out, err = _cli("check", "--problems", str(problems), "--budget", budget)
    assert code == 2, out + err
    assert "--budget" in err


def test_the_batch_json_reports_the_budget(tmp_path: Path) -> None:
    import json

    problems = tmp_path / "p.csv"
    problems.write_text("expression,wrt,answer\nx^2,x,2x\n")
    code, out, _ = _cli("check", "--problems", str(problems), "--json", "-j", "1")
    assert code == 0
    assert json.loads(out)["budget"] == {"seconds": 600.0, "not_checked": 0}


# --- Ctrl-C: one line, exit 130, at any moment ----------------------------------------------

import subprocess  # noqa: E402
import sys  # noqa: E402

_INTERRUPTED_AT = """
import os, signal, sys

class CtrlC:
    fired = False
    def find_spec(self, name, path=None, target=None):
        if name == {module!r} and not CtrlC.fired:
            CtrlC.fired = True
            os.kill(os.getpid(), signal.SIGINT)
        return None

sys.meta_path.insert(0, CtrlC())
sys.argv = ["cgraph", *{args!r}]
from cgraph_cli.cli import main
main()
"""


@pytest.mark.parametrize(
    ("module", "args"),
    [
        ("typer", ["eval", "x^2", "--x", "3"]),  # the first heavy import
        ("typer._click.core", ["eval", "x^2", "--x", "3"]),
        ("rich", ["eval", "x^2", "--x", "3"]),
        ("cgraph_cli.cli.app", ["eval", "x^2", "--x", "3"]),
        ("sympy", ["check", "x^2", "--wrt", "x", "--answer", "2*x"]),  # inside the command
        ("mpmath", ["check", "x^2", "--wrt", "x", "--answer", "2*x"]),
        ("multiprocessing.pool", ["check", "--example", "homework.csv", "-j", "2"]),
        ("cgraph_cli.homework.diagnosis", ["check", "x^3", "--wrt", "x", "--answer", "3x"]),
    ],
)
def test_ctrl_c_is_one_line_and_exit_130(module: str, args: list[str]) -> None:
    """The interrupt is delivered while `module` is being imported: deterministic, whatever
    the load of the machine (a timer would hit a different moment on every run)."""
    script = _INTERRUPTED_AT.format(module=module, args=args)
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 130, done.stderr
    assert done.stderr.strip() == "interrupted", done.stderr


# --- exact constant exponents, and messages that name the real problem ----------------------


@pytest.mark.parametrize(
    ("program", "values", "code", "message"),
    [
        ("x^(2^53+1)", ("--x", "-1"), 2, "the odd whole number 9007199254740993"),
        ("x^9007199254740993", ("--x", "-1"), 2, "odd whole number 9007199254740993"),
        ("x^(2^60 + 1)", ("--x", "-1"), 2, "odd whole number 1152921504606846977"),
        ("x^(2^53 + 1/2)", ("--x", "-1"), 2, "the fraction 18014398509481985/2"),
        ("x^-(2^53+1)", ("--x", "-1"), 2, "odd whole number"),  # an exponent under a minus
        ("y = 2^53 + 1; f = x^(y*1)", ("--x", "-1"), 3, ""),  # y is an input: a float like --y
        ("x^(10^23)", ("--x", "-1"), 0, ""),  # even, rounded to an even float: sign right
        ("x^(2^53)", ("--x", "-1"), 0, ""),
        ("x^(2^60)", ("--x", "-1"), 0, ""),
    ],
)
def test_constant_exponents_are_exact_or_refused(
    program: str, values: tuple[str, ...], code: int, message: str
) -> None:
    exit_code, out, err = _cli("eval", program, *values)
    assert exit_code == code, out + err
    assert message in err


@pytest.mark.parametrize(
    ("program", "values", "message", "not_said"),
    [
        (
            "x^y",
            ("--x", "-2", "--y", "0.5"),
            "a negative base (-2) needs a whole-number exponent",
            "0 has",
        ),
        ("x^0.5", ("--x", "0"), "x^n has an infinite slope at x = 0 when 0 < n < 1", "ln x"),
        ("x^(1/3)", ("--x", "0"), "infinite slope at x = 0", "ln x"),
        (
            "x^y",
            ("--x", "-2", "--y", "3"),
            "no real slope in the exponent y when x <= 0",
            "infinite",
        ),
        ("x^y", ("--x", "0", "--y", "-1"), "0 has no negative power", "negative base"),
        ("sqrt(x)", ("--x", "0"), "sqrt has an infinite slope at 0", "ln"),
    ],
)
def test_power_errors_name_the_real_problem(
    program: str, values: tuple[str, ...], message: str, not_said: str
) -> None:
    exit_code, out, err = _cli("eval", program, *values)
    assert exit_code == 3, out + err
    assert message in err
    assert not_said not in err.split("hint:")[0]


# --- values compared with their measured noise ------------------------------------------------


@pytest.mark.parametrize(
    ("expression", "answer", "values", "outcome"),
    [
        ("log(x)", "1/x + heaviside(log(x) - 650, 0)/x", {"x": 1.96e282}, Outcome.WRONG),
        ("log(x)", "2/x", {"x": 1e300}, Outcome.WRONG),
        ("x^2", "2*x + 1e-290", {"x": 1e-280}, Outcome.WRONG),
        ("sigmoid(w*x+b)", "x*sigmoid(w*x+b)*(1-sigmoid(w*x+b))", {}, Outcome.CORRECT),
        ("log(x)", "1/x", {"x": 1e300}, Outcome.CORRECT),
        ("tanh(x)", "1 - tanh(x)^2", {"x": 300.0}, Outcome.CORRECT),
    ],
)
def test_tiny_values_are_compared_with_their_real_noise(
    expression: str, answer: str, values: dict[str, float], outcome: Outcome
) -> None:
    from cgraph_cli.homework.check import check_safely

    wrt = "w" if "w" in expression else "x"
    result = check_safely(Problem(expression, wrt, answer, values))
    assert result.outcome is outcome, (result.method, result.error)


def test_the_seed_is_an_option_and_is_shown() -> None:
    import json

    sampled = ("check", "relu(w*x)", "--wrt", "w", "--answer", "x*max(0, x*w)/(x*w)")
    code, out, err = _cli(*sampled, "--seed", "7")
    assert code == 0, out + err
    assert out.splitlines()[1].endswith("; seed 7")
    code, out, err = _cli(*sampled, "--seed", "7", "--json")
    assert json.loads(out)["sampling"]["seed"] == 7
    _, other, _ = _cli(*sampled, "--json")
    assert json.loads(other)["sampling"]["seed"] == 0


# --- numeric answers where float64 underflows or rounds -------------------------------------


@pytest.mark.parametrize(
    ("program", "answer", "values", "outcome", "note"),
    [
        ("x^3", "0", {"x": 1e-200}, Outcome.WRONG, "3.0e-400 (the gradient)"),
        ("x^3", "1e-300", {"x": 1e-200}, Outcome.WRONG, "3.0e-400 (the gradient)"),
        ("x^3", "3e-400", {"x": 1e-200}, Outcome.CORRECT, "3.0e-400 (your answer)"),
        ("x^3", "0", {"x": 1e-7}, Outcome.WRONG, ""),  # 3e-14: float64's abs_tol took it
        ("x^3", "3e-14", {"x": 1e-7}, Outcome.CORRECT, ""),
        ("exp(x)", "0", {"x": -800.0}, Outcome.WRONG, "the gradient"),  # e^-800 underflows
        ("x*y", "1e-320", {"x": 1e-170, "y": 1e-170}, Outcome.WRONG, ""),  # ∂/∂x = y = 1e-170
        ("cos(x)", "0", {"x": math.pi}, Outcome.CORRECT, ""),  # the float nearest pi: -1.2e-16
        ("sin(x)", "0", {"x": math.pi / 2}, Outcome.CORRECT, ""),
        ("relu(x)", "0", {"x": 0.0}, Outcome.CORRECT, ""),  # a kink: the convention decides
        ("x^2", "8", {"x": 4.0}, Outcome.CORRECT, ""),
        ("x^2", "8.0000001", {"x": 4.0}, Outcome.CORRECT, ""),  # within the relative 1e-6
        ("x^2", "8.0001", {"x": 4.0}, Outcome.WRONG, ""),
    ],
)
def test_numeric_answers_are_judged_at_high_precision(
    program: str, answer: str, values: dict[str, float], outcome: Outcome, note: str
) -> None:
    from cgraph_cli.homework.check import check_safely

    result = check_safely(Problem(program, "x", answer, values))
    assert result.outcome is outcome, (result.method, result.notes, result.error)
    assert note in " ".join(result.notes)


def test_the_entry_point_imports_nothing_before_it_handles_ctrl_c() -> None:
    """Everything imported before `main` installs its handler is a window where Ctrl-C prints
    a traceback: the package and `cgraph_cli.cli` must import no core module, Typer or Rich."""
    probe = (
        "import sys, cgraph_cli.cli; "
        "print(sorted(m for m in sys.modules if m.startswith("
        "('cgraph_cli.core', 'cgraph_cli.cli.app', 'typer', 'rich', 'sympy', 'click'))))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert done.stdout.strip() == "[]", done.stdout + done.stderr


# --- differences below what the sampled values resolve -------------------------------------


@pytest.mark.parametrize(
    ("answer", "note"),
    [
        ("2*x + 1e-20*relu(x)", ""),
        ("2*x + 1e-30*heaviside(x - 3, 0)", ""),
        ("2*x*(1 + 1e-1000*heaviside(x - 3, 0))", ""),  # past float range
        ("2*x + 1e-30*sign(x)*x", ""),
        ("2*x*(1 + 1e-12*sign(x))", ""),
        ("2*x + 1e-15*abs(x)", ""),
        ("2*x + 1e-40*max(x, 1)", ""),
        ("2*x + 10^-300*min(x, 0)", ""),
    ],
)
def test_a_difference_below_the_sampled_values_is_still_wrong(answer: str, note: str) -> None:
    from cgraph_cli.homework.check import check_safely

    result = check_safely(Problem("x^2", "x", answer))
    assert result.outcome is Outcome.WRONG, (result.method, result.error)
    assert note in " ".join(result.notes) + result.method


@pytest.mark.parametrize(
    "answer",
    [
        "2*x + abs(x) - sqrt(x^2)",
        "2*x + relu(x) - max(x, 0)",
        "(x + 1)^2 - x^2 - 1 + 0*heaviside(x, 0)",
        "2*x*(sin(x)^2 + cos(x)^2)",
        "x*(1 + sign(x)^2) + x*(1 - sign(x)^2)",
    ],
)
def test_equal_forms_stay_correct(answer: str) -> None:
    from cgraph_cli.homework.check import check_safely

    result = check_safely(Problem("x^2", "x", answer))
    assert result.outcome is Outcome.CORRECT, (result.method, result.error, result.notes)
