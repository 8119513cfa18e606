"""The one question rule (core/question.py): when is there a point, for every command alike.

A value given anywhere -- command line, values file, or the program's own `x = 2` default --
asks for a point, and then every input needs a value. No value anywhere is no point. Before
this rule the commands disagreed on `x = 2; f = x*y`: eval, diff and explain said "missing
value for y", render drew the structure and check proved the answer without a point.
"""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from cgraph_cli import evaluate
from cgraph_cli.cli.app import app
from cgraph_cli.cli.argv import option_names
from cgraph_cli.core.graph import compile_program
from cgraph_cli.core.question import point, resolve_inputs
from cgraph_cli.errors import InputError, UsageError

ENV = {"COLUMNS": "160", "NO_COLOR": "1"}
PARTIAL = "x = 2; f = x*y"

COMMANDS = [
    ["eval", PARTIAL],
    ["diff", PARTIAL],
    ["explain", PARTIAL],
    ["render", PARTIAL, "--format", "dot", "-o", "{tmp}/picture"],
    ["check", PARTIAL, "--wrt", "x", "--answer", "y"],
    ["page", PARTIAL, "-o", "{tmp}/page.html"],
]


def run(args: list[str], tmp: str) -> object:
    return CliRunner().invoke(app, [a.format(tmp=tmp) for a in args], env=ENV)


@pytest.mark.parametrize("args", COMMANDS, ids=[c[0] for c in COMMANDS])
def test_a_default_asks_for_a_point_in_every_command(args: list[str], tmp_path: object) -> None:
    result = run(args, str(tmp_path))
    assert result.exit_code == 2, result.output
    assert result.stderr == "error: missing value for y\nhint: give it, as in --y 1\n"


@pytest.mark.parametrize("args", COMMANDS, ids=[c[0] for c in COMMANDS])
def test_every_value_given_is_the_same_point_everywhere(args: list[str], tmp_path: object) -> None:
    result = run([*args, "--y", "3"], str(tmp_path))
    assert result.exit_code == 0, result.output


def test_without_any_value_each_command_answers_as_documented(tmp_path: object) -> None:
    program = "f = x*y"
    assert run(["eval", program], "").stderr.startswith("error: missing values for x, y")
    assert run(["diff", program], "").stdout == "∂f/∂x = y\n∂f/∂y = x\n"
    assert "(symbolic" in run(["explain", program], "").stdout
    drawn = run(["render", program, "--format", "dot", "-o", f"{tmp_path}/p"], "")
    assert drawn.exit_code == 0 and "structure only" in drawn.stderr
    proved = run(["check", program, "--wrt", "x", "--answer", "y"], "")
    assert proved.exit_code == 0 and proved.stdout.startswith("correct (proved equal)")


def test_the_rule_itself_and_the_api() -> None:
    graph = compile_program(PARTIAL)
    assert point(compile_program("f = x*y"), {}) is None
    assert point(graph, {"y": 3}) == {"x": 2.0, "y": 3.0}
    assert point(compile_program("2 + 3"), {}) == {}
    with pytest.raises(InputError, match="missing value for y"):
        point(graph, {})
    with pytest.raises(InputError, match="missing value for y") as caught:
        evaluate(PARTIAL)
    assert caught.value.hint == "give it, as in y=1"


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["eval", "x+y", "--x", "1", "--y", "2", "--jsn"], "jsn"),
        (["eval", "x+y", "--jsn", "1", "--x", "1", "--y", "2"], "jsn"),
        (["diff", "x*y", "--x", "1", "--y", "2", "--wtr", "1"], "wtr"),
    ],
)
def test_option_typos_are_answered_from_clicks_own_option_names(
    args: list[str], option: str
) -> None:
    result = run(args, "")
    assert result.exit_code == 2
    near = "json" if option == "jsn" else "wrt"
    assert result.stderr == f"error: no such option: --{option}\nhint: did you mean `--{near}`?\n"


def test_an_option_of_another_command_is_named_as_such() -> None:
    result = run(["eval", "x+y", "--x", "1", "--y", "2", "--answer", "3"], "")
    assert result.stderr == (
        "error: --answer is not an option of `cgraph eval`\n"
        "hint: `cgraph eval --help` lists its options\n"
    )


def test_the_core_is_given_the_option_names_from_the_typer_app() -> None:
    """cli/argv.option_names reads the Typer app (no hand-kept copy); the core uses them for
    its hints, and the Python API, which passes none, never talks about options."""
    names = option_names()
    assert {"json", "wrt", "no-exact", "answer", "format", "example"} <= names
    graph = compile_program("x + y")
    with pytest.raises(InputError) as cli:
        resolve_inputs(graph, {"x": 1, "y": 2, "jsn": 1}, names)
    assert (cli.value.message, cli.value.hint) == (
        "the program has no variable named jsn",
        "did you mean `--json`?",
    )
    with pytest.raises(InputError) as api:
        resolve_inputs(graph, {"x": 1, "y": 2, "jsn": 1})
    assert api.value.hint == "the program's inputs are x, y"
    with pytest.raises(InputError, match="--wrt is not an option of this command"):
        resolve_inputs(graph, {"x": 1, "y": 2, "wrt": 1}, names)


# --- the wrt rule and the API's words (core/question.py: wrt_nodes, higher_sequence, PYTHON) ---


def test_wrt_is_read_by_one_rule_in_every_command() -> None:
    """`x,,y` was accepted by diff and refused by check --order; `--wrt ""` was an error in diff
    and "not given" in check: one rule now, in core/question.py."""
    for args in (
        ["diff", "x*y", "--wrt", "x,,y"],
        ["check", "x*y", "--wrt", "x,,y", "--answer", "1"],
    ):
        result = run(args, "")
        assert result.exit_code == 2, result.output
        assert result.stderr == (
            "error: --wrt has an empty name: 'x,,y'\nhint: write it as --wrt x,y\n"
        )
    assert run(["diff", "x*y", "--wrt", ""], "").stdout == "∂f/∂x = y\n∂f/∂y = x\n"
    assert run(["check", "x^2", "--wrt", " ", "--answer", "2x"], "").exit_code == 0


def test_a_constant_is_refused_as_wrt_with_the_same_words_everywhere() -> None:
    for args in (["diff", "2*x", "--wrt", "n1"], ["check", "2*x", "--wrt", "n1", "--answer", "0"]):
        result = run(args, "")
        assert result.exit_code == 2, result.output
        assert "`n1` is a constant; derivatives are taken by inputs or steps" in result.stderr
    result = run(["check", "2*x", "--wrt", "n1", "--order", "2", "--answer", "0"], "")
    assert "`n1` is a constant; higher derivatives are taken by the program's inputs" in (
        result.stderr
    )


def test_the_python_api_never_talks_about_flags() -> None:
    from cgraph_cli import check, diff, explain

    with pytest.raises(InputError) as missing:
        evaluate(PARTIAL)
    assert missing.value.hint == "give it, as in y=1"
    with pytest.raises(InputError) as both:
        evaluate("f = x*y")
    assert both.value.hint == "give them, as in x=1, y=1"
    with pytest.raises(UsageError) as which:
        check("x*y", "y")
    assert which.value.hint == 'for example wrt="x" (inputs: x, y)'
    with pytest.raises(UsageError) as empty:
        check("x^2", "", wrt="x")
    assert empty.value.hint == 'give it as answer="2*x"'
    with pytest.raises(UsageError) as gap:
        diff("x*y", wrt="x,,y")
    assert (gap.value.message, gap.value.hint) == (
        "wrt has an empty name: 'x,,y'",
        'write it as wrt="x,y"',
    )
    with pytest.raises(UsageError) as order:
        check("x*y", "0", wrt="x,y,x,y,x,y,x,y,x")
    assert order.value.message == "at most 8 variables in wrt, got 9"
    for error in (missing, both, which, empty, gap, order):
        assert "--" not in f"{error.value.message} {error.value.hint}"
    assert diff("x*y", wrt="") == {"x": "y", "y": "x"}
    assert diff("x*y", wrt=["y"]) == {"y": "x"}
    with pytest.raises(UsageError, match="no inputs, so there is nothing to differentiate"):
        diff("2 + 3")
    assert explain("f = x / 3", x=1).splitlines()[-1].strip() == (
        "∂f/∂x = 1/3 = 0.333333333333333 (= 1/3)"
    )


def test_the_api_refuses_a_program_past_the_size_limit_before_parsing_it() -> None:
    from cgraph_cli import check, diff, explain
    from cgraph_cli.core.reading import MAX_PROGRAM_CHARS

    huge = "x" + "+x" * (MAX_PROGRAM_CHARS // 2)
    for call in (lambda: diff(huge), lambda: explain(huge), lambda: check(huge, "1", wrt="x")):
        with pytest.raises(UsageError, match="too long: over 4,000,000 characters"):
            call()
