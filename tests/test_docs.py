"""The README is tested: its example sessions are the real output, its Python examples run,
and every command is documented there and has help that ends with an example."""

from __future__ import annotations

import doctest
import re
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cgraph_cli.cli.app import app

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
SESSION = re.compile(
    r"<!-- session: (?P<name>[\w-]+)(?: exit=(?P<exit>\d+))? -->\n```\n\$ (?P<command>[^\n]+)\n"
    r"(?P<output>.*?)```",
    re.DOTALL,
)
ENV = {"COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb"}


def sessions() -> list[tuple[str, str, str, int]]:
    """(name, command, output, exit code): `<!-- session: name exit=1 -->` pins a session
    that exits 1 (a wrong answer shown on purpose)."""
    found = [
        (m["name"], m["command"], m["output"], int(m["exit"] or 0))
        for m in SESSION.finditer(README.read_text())
    ]
    assert found, "the README has no example sessions"
    return found


def run(command: str) -> tuple[int, str]:
    words = shlex.split(command)
    assert words[0] == "cgraph"
    result = CliRunner().invoke(app, words[1:], env=ENV)
    return result.exit_code, result.output


def normalize(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.strip("\n").split("\n"))


@pytest.mark.parametrize(
    ("name", "command", "expected", "exit_code"), sessions(), ids=lambda v: str(v)[:40]
)
def test_readme_session_is_real_output(
    name: str, command: str, expected: str, exit_code: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    code, output = run(command)
    assert code == exit_code, output
    assert normalize(output) == normalize(expected), (
        f"README session {name!r} is stale; the real output is:\n{output}"
    )


def test_readme_python_examples_run() -> None:
    failures, tried = doctest.testfile(
        str(README), module_relative=False, optionflags=doctest.NORMALIZE_WHITESPACE
    )
    assert tried > 0
    assert failures == 0


def command_names() -> list[str]:
    return sorted(command.name or command.callback.__name__ for command in app.registered_commands)  # type: ignore[union-attr]


@pytest.mark.parametrize("name", command_names())
def test_every_command_is_in_the_readme(name: str) -> None:
    assert f"`cgraph {name}" in README.read_text(), f"README does not document `cgraph {name}`"


@pytest.mark.parametrize("name", command_names())
def test_every_command_help_ends_with_an_example(name: str) -> None:
    result = CliRunner().invoke(app, [name, "--help"], env=ENV)
    assert result.exit_code == 0, result.output
    last = [line.strip() for line in result.output.strip().splitlines()][-1]
    assert last.startswith("Example: cgraph " + name), result.output
