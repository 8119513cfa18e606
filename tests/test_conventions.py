"""One convention for every command: where the program comes from (argument, -f, --example,
piped stdin), `-` as stdout, one --format per printing command, unknown --flags, the shipped
samples, -h, --version and the exit codes in --help and the README."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from helpers import cgraph as invoke
from helpers import shown

from cgraph_cli import __version__

REPO = Path(__file__).resolve().parents[1]
CGRAPH = [sys.executable, "-m", "cgraph_cli"]


def run(code: int, *args: str, stdin: str | None = None) -> Any:
    result = invoke(*args, stdin=stdin)
    assert result.exit_code == code, shown(result)
    assert "Traceback" not in result.output, shown(result)
    return result


# --- where the program comes from ---------------------------------------------------------

# Each command with the arguments it needs besides the program, and a line its output holds
# for the program "f = x^2" at x = 3 (or, for render, a file it writes).
COMMANDS = {
    "eval": ((), "∂f/∂x = 6"),
    "diff": ((), "∂f/∂x = 2⋅x = 6"),
    "explain": ((), "∂f/∂x"),
    "check": (("--answer", "2x"), "correct (proved equal)"),
}


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_program_from_argument_file_and_piped_stdin(command: str, tmp_path: Path) -> None:
    extra, expected = COMMANDS[command]
    program = tmp_path / "p.cg"
    program.write_text("f = x^2\n")
    outputs = [
        run(0, command, "f = x^2", "--x", "3", *extra).stdout,
        run(0, command, "-f", str(program), "--x", "3", *extra).stdout,
        run(0, command, "-f", "-", "--x", "3", *extra, stdin="f = x^2\n").stdout,
        run(0, command, "--x", "3", *extra, stdin="f = x^2\n").stdout,  # piped, no -f
    ]
    assert expected in outputs[0], outputs[0]
    assert outputs == [outputs[0]] * 4


def test_piped_stdin_through_a_real_pipe() -> None:
    done = subprocess.run(
        [*CGRAPH, "eval", "--x", "3", "--json"],
        input="f = x^2\n",
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["gradients"] == {"x": 6.0}


def test_no_program_anywhere_says_every_way_to_give_one() -> None:
    result = run(2, "eval", stdin="")
    assert result.stderr.startswith("error: no program given\nhint: "), shown(result)
    assert "pipe it in" in result.stderr and "--example NAME" in result.stderr


# --- the samples ---------------------------------------------------------------------------


def test_examples_lists_every_shipped_sample() -> None:
    listed = run(0, "examples").stdout.splitlines()
    names = [line.split()[0] for line in listed]
    programs = sorted(p.stem for p in (REPO / "samples").glob("*.cg"))
    files = sorted(p.name for p in (REPO / "samples").glob("*.csv"))
    assert names[: len(programs) + len(files)] == [*programs, *files]
    assert "homework.toml" in names
    described = [" ".join(line.split()) for line in listed]
    assert "linear_regression Squared-error loss of a one-weight linear regression." in described


@pytest.mark.parametrize("command", ["eval", "diff", "explain"])
def test_example_on_every_command(command: str) -> None:
    text = (REPO / "samples" / "linear_regression.cg").read_text()
    assert run(0, command, "--example", "linear_regression").stdout == (
        run(0, command, text).stdout
    )


def test_example_for_check_and_render(tmp_path: Path) -> None:
    result = run(0, "check", "--example", "linear_regression", "--wrt", "w", "--answer", "8")
    assert result.stdout.startswith("correct"), shown(result)
    batch = run(1, "check", "--example", "homework.csv")
    assert "6/9 correct (2 wrong, 1 error)" in batch.stdout.splitlines(), shown(batch)
    out = tmp_path / "g"
    run(0, "render", "--example", "seed_basic", "--format", "dot", "-o", str(out))
    assert "digraph" in (tmp_path / "g.backward.dot").read_text()


def test_unknown_example_suggests_the_near_one() -> None:
    result = run(2, "eval", "--example", "linear_regresion")
    assert result.stderr == (
        "error: no example named 'linear_regresion'\nhint: did you mean `linear_regression`?\n"
    )


def test_example_runs_from_an_installed_copy_in_another_folder(tmp_path: Path) -> None:
    done = subprocess.run(
        [*CGRAPH, "eval", "--example", "linear_regression", "--json"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["gradients"] == {"x": 12.0, "w": 8.0, "b": 4.0, "t": -4.0}


# --- output: '-' is stdout, one --format --------------------------------------------------


def test_render_to_stdout() -> None:
    result = run(0, "render", "x*y", "--x", "2", "--y", "3", "-o", "-", "--which", "backward",
                 "--format", "dot")  # fmt: skip
    assert result.stdout.startswith("digraph"), shown(result)
    assert not Path("-.backward.dot").exists()
    both = run(2, "render", "x*y", "--x", "2", "--y", "3", "-o", "-", "--format", "dot")
    assert both.stderr == (
        "error: -o - writes one picture to stdout, and --which is both\n"
        "hint: choose one: --which forward or --which backward\n"
    )


@pytest.mark.parametrize(
    ("args", "synonym"),
    [
        (("eval", "x^2", "--x", "3"), "--json"),
        (("check", "x^2", "--answer", "2x"), "--json"),
        (("diff", "x^2"), "--json"),
        (("diff", "x^2"), "--latex"),
    ],
)
def test_format_and_its_synonym_agree(args: tuple[str, ...], synonym: str) -> None:
    value = synonym.removeprefix("--")
    via_format = run(0, *args, "--format", value).stdout
    assert via_format == run(0, *args, synonym).stdout
    if value == "json":
        assert isinstance(json.loads(via_format), dict)


def test_two_formats_at_once_are_refused() -> None:
    result = run(2, "diff", "x^2", "--format", "latex", "--json")
    assert result.stderr == (
        "error: --format latex and --json ask for two formats\n"
        "hint: choose one, as in --format json\n"
    )


# --- unknown flags -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("eval", "x*2", "--x", "1", "--quiet"),
         "error: no such option: --quiet\nhint: a variable's value goes after its name, "
         "as in --quiet 2\n"),
        (("eval", "x*2", "--jsn", "--x", "1"),
         "error: no such option: --jsn\nhint: did you mean `--json`?\n"),
        (("eval", "x*2", "--x", "1", "--no-color"),
         "error: no such option: --no-color\nhint: variables are given as --x 2, with a name "
         "of letters, digits and _\n"),
        (("diff", "x*2", "--tol", "1e-3"),
         "error: --tol is not an option of `cgraph diff`\nhint: `cgraph diff --help` lists "
         "its options\n"),
        (("eval", "x*2", "--x", "1", "--digts", "3"),
         "error: no such option: --digts\nhint: did you mean `--digits`?\n"),
    ],
)  # fmt: skip
def test_unknown_flags_are_no_such_option(args: tuple[str, ...], message: str) -> None:
    assert run(2, *args).stderr == message


def test_a_variable_named_like_an_option_is_still_a_variable() -> None:
    doc = json.loads(run(0, "diff", "tol*x", "--tol", "2", "--x", "1", "--json").stdout)
    assert [d["value"] for d in doc["derivatives"]] == [1.0, 2.0], doc


# --- -h, --version, exit codes -------------------------------------------------------------


def test_short_help_and_version() -> None:
    assert run(0, "-h").stdout == run(0, "--help").stdout
    assert run(0, "--version").stdout == f"cgraph {__version__}\n"
    assert re.fullmatch(r"\d+\.\d+\.\d+.*", __version__), __version__


EXIT_CODES = {0, 1, 2, 3, 4, 70, 130}


def test_every_exit_code_is_in_help_and_readme() -> None:
    text = run(0, "--help").stdout
    listed = {int(code) for code in re.findall(r"^\s+(\d+)\s{2,}\w", text, re.MULTILINE)}
    assert listed == EXIT_CODES, text
    readme = (REPO / "README.md").read_text()
    section = readme[readme.index("## Exit codes") :].split("\n## ")[0]
    assert {int(code) for code in re.findall(r"^\| (\d+) \|", section, re.MULTILINE)} == EXIT_CODES
