"""`cgraph eval` through the command line: every EXAMPLES.md row as JSON and as table text, every
way of giving values, the usage errors, the samples, and the installed script.

In-process runs use Typer's CliRunner with a fixed width and colour off; a few runs go through
the real `cgraph` script and `python -m cgraph_cli` in a subprocess. Each assertion on an exit
code carries the output as its message.
"""

from __future__ import annotations

import math
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from helpers import cgraph as invoke
from helpers import shown, strict_json

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "samples"
ANSI = re.compile(r"\x1b\[")


def succeeds(*args: str, stdin: str | None = None) -> Any:
    result = invoke(*args, stdin=stdin)
    assert result.exit_code == 0, shown(result)
    assert not ANSI.search(result.output), shown(result)
    return result


def fails(code: int, *args: str, stdin: str | None = None) -> str:
    """Run, expect exit `code` and an error on stderr (no traceback); return stderr."""
    result = invoke(*args, stdin=stdin)
    assert result.exit_code == code, shown(result)
    assert result.stdout == "", shown(result)
    assert result.stderr.startswith("error: "), shown(result)
    assert "Traceback" not in result.output, shown(result)
    return result.stderr


def same(got: float, expected: str) -> bool:
    """A number equals the one EXAMPLES.md prints (exact, or to its 15 significant digits)."""
    return got == float(expected) or float(f"{got:.15g}") == float(expected)


# Each EXAMPLES.md row: program, point, output name, sample file, and for every named node its
# value and d(output)/d(node), as EXAMPLES.md writes them.
ROWS = [
    pytest.param(
        "q = x + y; f = q * z",
        {"x": "2", "y": "3", "z": "-4"},
        "f",
        "seed_basic",
        {"x": ("2", "-4"), "y": ("3", "-4"), "z": ("-4", "5"), "q": ("5", "-4"), "f": ("-20", "1")},
        id="1",
    ),
    pytest.param(
        "a = x + y; z = a * w",
        {"x": "2", "y": "3", "w": "4"},
        "z",
        "seed_other_names",
        {"x": ("2", "4"), "y": ("3", "4"), "w": ("4", "5"), "a": ("5", "4"), "z": ("20", "1")},
        id="2",
    ),
    pytest.param(
        "z = w * x; y = z + b; d = y - t; L = d^2",
        {"x": "2", "w": "3", "b": "1", "t": "5"},
        "L",
        "linear_regression",
        {
            "w": ("3", "8"),
            "x": ("2", "12"),
            "b": ("1", "4"),
            "t": ("5", "-4"),
            "z": ("6", "4"),
            "y": ("7", "4"),
            "d": ("2", "4"),
            "L": ("4", "1"),
        },
        id="3",
    ),
    pytest.param(
        "z = w * x; y = z + b; loss = y^2",
        {"x": "2", "w": "3", "b": "1"},
        "loss",
        "pytorch_walkthrough",
        {
            "w": ("3", "28"),
            "x": ("2", "42"),
            "b": ("1", "14"),
            "z": ("6", "14"),
            "y": ("7", "14"),
            "loss": ("49", "1"),
        },
        id="4",
    ),
    pytest.param(
        "a = x^2; b = x^3; y = a + b",
        {"x": "3"},
        "y",
        "fan_out",
        {"x": ("3", "33"), "a": ("9", "1"), "b": ("27", "1"), "y": ("36", "1")},
        id="5",
    ),
    pytest.param(
        "d = a + b; e = b - c; Y = d * e",
        {"a": "2", "b": "1", "c": "0"},
        "Y",
        "shared_input",
        {
            "a": ("2", "1"),
            "b": ("1", "4"),
            "c": ("0", "-3"),
            "d": ("3", "1"),
            "e": ("1", "3"),
            "Y": ("3", "1"),
        },
        id="6",
    ),
    pytest.param(
        "y = 3x^2 + 2x + 1",
        {"x": "1"},
        "y",
        "polynomial",
        {"x": ("1", "8"), "y": ("6", "1")},
        id="7",
    ),
    pytest.param(
        "f = sin(x^2)",
        {"x": "1.5"},
        "f",
        "chain_rule",
        {"x": ("1.5", "-1.88452086816822"), "f": ("0.778073196887921", "1")},
        id="8",
    ),
    pytest.param(
        "L = log(sigmoid(w*x + b))",
        {"w": "2", "x": "1", "b": "-1"},
        "L",
        "logistic_neuron",
        {
            "w": ("2", "0.268941421369995"),
            "x": ("1", "0.537882842739990"),
            "b": ("-1", "0.268941421369995"),
            "L": ("-0.313261687518223", "1"),
        },
        id="9",
    ),
    pytest.param(
        "z = max(x, y)",
        {"x": "3", "y": "1"},
        "z",
        "max_routes",
        {"x": ("3", "1"), "y": ("1", "0"), "z": ("3", "1")},
        id="10a",
    ),
    pytest.param(
        "r = relu(x)", {"x": "-2"}, "r", "dead_relu", {"x": ("-2", "0"), "r": ("0", "1")}, id="10b"
    ),
]


def options(point: dict[str, str]) -> list[str]:
    return [word for name, value in point.items() for word in (f"--{name}", value)]


def check_document(
    doc: dict[str, Any],
    program: str,
    point: dict[str, str],
    out: str,
    nodes: dict[str, tuple[str, str]],
) -> None:
    assert doc["expression"] == program
    assert doc["inputs"] == {name: float(v) for name, v in point.items()}
    by_name = {node["name"]: node for node in doc["nodes"] if node["name"]}
    assert doc["output"] == {
        "node": by_name[out]["id"],
        "name": out,
        "value": doc["output"]["value"],
    }
    assert same(doc["output"]["value"], nodes[out][0]), doc["output"]
    assert list(doc["gradients"]) == list(doc["inputs"])  # inputs in order of appearance
    assert sorted(doc["gradients"]) == sorted(point)
    for name in point:
        assert same(doc["gradients"][name], nodes[name][1]), (name, doc["gradients"])
    for name, (value, grad) in nodes.items():
        node = by_name[name]
        assert same(node["value"], value), node
        assert same(node["grad"], grad), node
    assert [node["id"] for node in doc["nodes"]] == [f"n{i}" for i in range(len(doc["nodes"]))]
    ids = {node["id"] for node in doc["nodes"]}
    for edge in doc["edges"]:
        assert set(edge) >= {"from", "to", "local_grad"} and {edge["from"], edge["to"]} <= ids


@pytest.mark.parametrize(("program", "point", "out", "sample", "nodes"), ROWS)
def test_examples_rows_as_json(
    program: str, point: dict[str, str], out: str, sample: str, nodes: dict[str, tuple[str, str]]
) -> None:
    result = succeeds("eval", program, *options(point), "--json")
    check_document(strict_json(result.stdout), program, point, out, nodes)


@pytest.mark.parametrize(("program", "point", "out", "sample", "nodes"), ROWS)
def test_examples_rows_as_table_text(
    program: str, point: dict[str, str], out: str, sample: str, nodes: dict[str, tuple[str, str]]
) -> None:
    """Each named node's row shows its value and gradient; the summary repeats them."""
    result = succeeds("eval", program, *options(point))
    text = result.stdout
    lines = text.splitlines()
    assert f"∂{out}/∂node" in lines[0], text
    for name, (value, grad) in nodes.items():
        rows = [line.split() for line in lines if line.split()[1:2] == [name]]
        assert len(rows) == 1, f"no single row for {name}:\n{text}"
        row = rows[0]
        assert re.fullmatch(r"n\d+", row[0]), text
        assert float(row[-2]) == float(value) and float(row[-1]) == float(grad), (
            f"row of {name} should end with {value} {grad}:\n{text}"
        )
    summary = [line.strip() for line in lines]
    assert f"{out} = {_shown(nodes[out][0])}" in summary, text
    for name in point:
        assert f"∂{out}/∂{name} = {_shown(nodes[name][1])}" in summary, text


def _shown(number: str) -> str:
    """How the table prints a number: 15 significant digits, no trailing zeros."""
    value = float(number)
    return str(int(value)) if value.is_integer() else f"{value:.15g}"


def test_the_mission_command() -> None:
    result = succeeds("eval", "(x+y)*z", "--x", "2", "--y", "3", "--z", "-4")
    summary = [line.strip() for line in result.stdout.splitlines()]
    for line in ("f = -20", "∂f/∂x = -4", "∂f/∂y = -4", "∂f/∂z = 5"):
        assert line in summary, result.stdout
    doc = strict_json(
        succeeds("eval", "(x+y)*z", "--x", "2", "--y", "3", "--z", "-4", "--json").stdout
    )
    assert doc["output"] == {"node": "n4", "name": "f", "value": -20.0}
    assert doc["gradients"] == {"x": -4.0, "y": -4.0, "z": 5.0}
    assert doc["nodes"][0] == {
        "id": "n0",
        "name": "x",
        "op": "input",
        "inputs": [],
        "expr": "x",
        "value": 2.0,
        "grad": -4.0,
    }
    assert doc["edges"][0] == {"from": "n0", "to": "n3", "local_grad": 1.0}
    assert [(e["from"], e["to"], e["local_grad"]) for e in doc["edges"]] == [
        ("n0", "n3", 1.0),
        ("n1", "n3", 1.0),
        ("n3", "n4", -4.0),
        ("n2", "n4", 5.0),
    ]


# --- every way of giving values --------------------------------------------------------------

SEED = "q = x + y; f = q * z"


def seed_inputs(*args: str, stdin: str | None = None) -> dict[str, float]:
    result = succeeds("eval", *args, "--json", stdin=stdin)
    doc = strict_json(result.stdout)
    return {**doc["inputs"], "f": doc["output"]["value"]}


EXPECTED = {"x": 2.0, "y": 3.0, "z": -4.0, "f": -20.0}


@pytest.mark.parametrize(
    "args",
    [
        ["--x", "2", "--y", "3", "--z", "-4"],
        ["--x=2", "--y=3", "--z=-4"],
        ["--z", "-4", "--x", "2", "--y=3"],  # any order, mixed spellings
        ["--at", "x=2,y=3,z=-4"],
        ["--at", "x=2, y=3; z=-4"],
        ["--at", "x=2", "--y", "3", "--z", "-4"],
        ["--x", "4/2", "--y", "1.5*2", "--z", "-2^2"],  # constant expressions as values
    ],
    ids=["separate", "equals", "mixed", "at", "at-spaces", "at-and-options", "expressions"],
)
def test_values_on_the_command_line(args: list[str]) -> None:
    assert seed_inputs(SEED, *args) == EXPECTED


def test_values_from_a_json_file(tmp_path: Path) -> None:
    values = tmp_path / "v.json"
    values.write_text('{"x": 2, "y": 3.0, "z": "-4"}')
    assert seed_inputs(SEED, "--values", str(values)) == EXPECTED


def test_program_from_a_file(tmp_path: Path) -> None:
    program = tmp_path / "seed.cg"
    program.write_text("# the seed example\nq = x + y\nf = q * z\n")
    assert seed_inputs("-f", str(program), "--x", "2", "--y", "3", "--z", "-4") == EXPECTED
    assert seed_inputs("--file", str(program), "--at", "x=2,y=3,z=-4") == EXPECTED


def test_program_from_stdin() -> None:
    assert (
        seed_inputs("-f", "-", "--x", "2", "--y", "3", "--z", "-4", stdin="q = x + y\nf = q * z\n")
        == EXPECTED
    )


def test_defaults_from_the_program(tmp_path: Path) -> None:
    program = tmp_path / "seed.cg"
    program.write_text("x = 2\ny = 3\nz = -4\nq = x + y\nf = q * z\n")
    assert seed_inputs("-f", str(program)) == EXPECTED
    assert seed_inputs("x = 2; y = 3; z = -4; q = x + y; f = q * z") == EXPECTED


def test_precedence_defaults_then_file_then_command_line(tmp_path: Path) -> None:
    """Program defaults < --values < --at or --x, whatever the order on the command line."""
    program = "x = 1; y = 1; z = 1; w = 1; f = x + 10*y + 100*z + 1000*w"
    values = tmp_path / "v.json"
    values.write_text('{"y": 2, "z": 2, "w": 2}')
    inputs = strict_json(
        succeeds(
            "eval", program, "--w", "4", "--at", "z=3", "--values", str(values), "--json"
        ).stdout
    )["inputs"]
    assert inputs == {"x": 1.0, "y": 2.0, "z": 3.0, "w": 4.0}
    doc = strict_json(succeeds("eval", program, "--json").stdout)
    assert (doc["inputs"], doc["output"]["value"]) == (dict.fromkeys("xyzw", 1.0), 1111.0)


def test_the_same_name_in_at_and_as_an_option() -> None:
    """README: later sources override earlier ones, --x after --at whatever their order."""
    for args in (("--at", "x=5, y=3", "--x", "7"), ("--x", "7", "--at", "x=5, y=3")):
        doc = strict_json(succeeds("eval", SEED, *args, "--z", "-4", "--json").stdout)
        assert doc["inputs"] == {"x": 7.0, "y": 3.0, "z": -4.0}, args


# --- output options --------------------------------------------------------------------------


def test_output_of_a_named_step() -> None:
    doc = strict_json(
        succeeds(
            "eval", SEED, "--x", "2", "--y", "3", "--z", "-4", "--output", "q", "--json"
        ).stdout
    )
    assert doc["output"] == {"node": "n3", "name": "q", "value": 5.0}
    assert doc["gradients"] == {"x": 1.0, "y": 1.0, "z": 0.0}
    text = succeeds("eval", SEED, "--x", "2", "--y", "3", "--z", "-4", "--output", "q").stdout
    summary = [line.strip() for line in text.splitlines()]
    assert "q = 5" in summary and "∂q/∂z = 0" in summary, text


def test_output_that_does_not_exist() -> None:
    stderr = fails(2, "eval", SEED, "--x", "2", "--y", "3", "--z", "-4", "--output", "qq")
    assert stderr == (
        "error: the program has no step or variable named `qq`\nhint: did you mean `q`?\n"
    )


def test_digits_shortens_the_numbers() -> None:
    text = succeeds("eval", "f = sin(x^2)", "--x", "1.5", "--digits", "4").stdout
    assert "f = 0.7781" in [line.strip() for line in text.splitlines()], text


def test_exact_forms_beside_the_decimals() -> None:
    doc = strict_json(succeeds("eval", "x/3", "--x", "1", "--json").stdout)
    f, x = doc["nodes"][2], doc["nodes"][0]
    assert (f["value"], f["value_exact"]) == (1 / 3, "1/3")
    assert (x["grad"], x["grad_exact"]) == (1 / 3, "1/3")
    text = succeeds("eval", "sin(x)", "--x", "pi/4").stdout
    summary = [line.strip() for line in text.splitlines()]
    assert "f = 0.707106781186547 (= sqrt(2)/2)" in summary, text
    assert "∂f/∂x = 0.707106781186548 (= sqrt(2)/2)" in summary, text
    plain = succeeds("eval", "sin(x)", "--x", "pi/4", "--no-exact").stdout
    assert "sqrt(2)/2" not in plain and "f = 0.707106781186547" in plain.splitlines(), plain
    doc = strict_json(succeeds("eval", "x/3", "--x", "1", "--json", "--no-exact").stdout)
    assert all("value_exact" not in node and "grad_exact" not in node for node in doc["nodes"])


def test_a_big_graph_shows_head_and_tail_unless_all() -> None:
    program = "x" + " + x" * 50  # 51 nodes: x and 50 additions; f = 51x
    text = succeeds("eval", program, "--x", "1").stdout
    assert "11 more nodes (--all shows every row)" in text, text
    rows = [line.split()[0] for line in text.splitlines() if re.match(r"n\d+ ", line)]
    assert rows == [f"n{i}" for i in (*range(20), *range(31, 51))], text
    full = succeeds("eval", program, "--x", "1", "--all").stdout
    rows = [line.split()[0] for line in full.splitlines() if re.match(r"n\d+ ", line)]
    assert rows == [f"n{i}" for i in range(51)], full
    assert "f = 51" in full.splitlines() and "∂f/∂x = 51" in full.splitlines(), full


def test_json_is_strict_and_has_every_field() -> None:
    doc = strict_json(succeeds("eval", "relu(x) + 1/3", "--x", "0", "--json").stdout)
    assert set(doc) >= {"expression", "inputs", "output", "gradients", "nodes", "edges"}
    for node in doc["nodes"]:
        assert set(node) >= {"id", "name", "op", "inputs", "expr", "value", "grad"}
    assert doc["notes"] == [
        "n1 = relu(x): relu is not differentiable at 0; the gradient is taken as 0"
    ]


def test_plain_text_without_a_terminal_even_with_colour_allowed() -> None:
    env = {"COLUMNS": "160", "TERM": "xterm-256color"}  # NO_COLOR unset: not a tty decides
    result = invoke("eval", "(x+y)*z", "--x", "2", "--y", "3", "--z", "-4", env=env)
    assert result.exit_code == 0, shown(result)
    assert not ANSI.search(result.output), repr(result.output)


# --- usage errors: exit 2, one message, a hint -----------------------------------------------


def test_every_missing_value_in_one_error() -> None:
    stderr = fails(2, "eval", "(x+y)*z")
    assert stderr == (
        "error: missing values for x, y, z\nhint: give them, as in --x 1 --y 1 --z 1\n"
    )
    stderr = fails(2, "eval", "(x+y)*z", "--y", "3")
    assert stderr == "error: missing values for x, z\nhint: give them, as in --x 1 --z 1\n"


def test_unknown_name_suggests_the_typo() -> None:
    stderr = fails(2, "eval", "(x+y)*z", "--x", "2", "--y", "3", "--z", "-4", "--zz", "1")
    assert stderr == "error: the program has no variable named zz\nhint: did you mean `z`?\n"
    stderr = fails(2, "eval", "alpha*x", "--alpah", "1", "--x", "2")
    assert stderr == (
        "error: the program has no variable named alpah\nhint: did you mean `alpha`?\n"
    )


def test_unknown_name_without_a_near_miss_lists_the_inputs() -> None:
    stderr = fails(2, "eval", "(x+y)*z", "--x", "2", "--y", "3", "--z", "-4", "--w", "1")
    assert stderr == (
        "error: the program has no variable named w\nhint: the program's inputs are x, y, z\n"
    )


def test_a_value_given_twice() -> None:
    stderr = fails(2, "eval", "x*2", "--x", "1", "--x", "2")
    assert stderr == (
        "error: x is given twice in the command line\nhint: give each variable once\n"
    )


def test_a_value_for_a_step() -> None:
    stderr = fails(2, "eval", SEED, "--x", "2", "--y", "3", "--z", "-4", "--q", "1")
    assert stderr.startswith("error: q is a step the program computes, not an input"), stderr


def test_a_value_that_is_not_a_number() -> None:
    stderr = fails(2, "eval", "x*2", "--x", "two")
    assert stderr.startswith("error: the value for x is not a number: 'two'"), stderr


def test_parse_error_points_at_the_column() -> None:
    stderr = fails(2, "eval", "(x+y))*z", "--x", "1", "--y", "2", "--z", "3")
    assert stderr == (
        "error: unmatched ')' (column 6)\n"
        "  (x+y))*z\n"
        "       ^\n"
        "hint: remove it, or add the '(' it closes\n"
    )


def test_unknown_function_suggests_the_near_one() -> None:
    stderr = fails(2, "eval", "sine(x)", "--x", "1")
    assert "\nhint: did you mean `sin`? For a product write `sine*(...)`" in stderr, stderr


def test_missing_program_and_missing_file() -> None:
    assert fails(2, "eval").startswith("error: no program given")
    assert fails(2, "eval", "-f", "no/such/file.cg") == "error: no such file: no/such/file.cg\n"


def test_domain_error_exit_3_names_the_node() -> None:
    stderr = fails(3, "eval", "q = x - 2; r = log(q); f = r*3", "--x", "1")
    assert stderr == (
        "error: math domain error in node n3 (r = log(q)): log needs a positive "
        "argument\n  at x = 1\nhint: choose input values where log(q) is defined\n"
    )
    stderr = fails(3, "eval", "1/x", "--x", "0", "--json")
    assert stderr.startswith("error: math domain error in node n2 (f = 1 / x): division by zero")


# --- samples ---------------------------------------------------------------------------------

SAMPLE_FILES = sorted(SAMPLES.glob("*.cg"))


def test_every_examples_row_has_a_sample() -> None:
    names = {path.stem for path in SAMPLE_FILES}
    rows = {param.values[3] for param in ROWS}
    assert sorted(rows - names) == []


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=[p.stem for p in SAMPLE_FILES])
def test_every_sample_runs(path: Path) -> None:
    result = succeeds("eval", "-f", str(path))
    assert result.stdout.strip(), shown(result)
    doc = strict_json(succeeds("eval", "-f", str(path), "--json").stdout)
    for name, expected in sample_expectations(path).items():
        if "/" in name:  # d out / d name
            got = doc["nodes"][_node_index(doc, name.split("/d", 1)[1])]["grad"]
        else:
            got = doc["nodes"][_node_index(doc, name)]["value"]
        assert math.isclose(got, expected, rel_tol=1e-14, abs_tol=1e-15), (path.name, name, got)


def sample_expectations(path: Path) -> dict[str, float]:
    """The `# Expected: q = 5, f = -20; df/dq = -4, ...` comment of a sample, as numbers."""
    lines = path.read_text().splitlines()
    text = ""
    for line in lines:
        if line.startswith("# Expected:"):
            text = line.removeprefix("# Expected:")
        elif text and line.startswith("#"):
            text += " " + line.removeprefix("#")
        elif text:
            break
    text = re.sub(r"\([^)]*\)", "", text)  # drop "(= 2x + 3x^2)" asides
    return {name: float(value) for name, value in re.findall(r"([\w/]+) = (-?[\d.]+)", text)}


def _node_index(doc: dict[str, Any], name: str) -> int:
    return next(i for i, node in enumerate(doc["nodes"]) if node["name"] == name)


@pytest.mark.parametrize(("program", "point", "out", "sample", "nodes"), ROWS)
def test_examples_rows_from_their_samples(
    program: str, point: dict[str, str], out: str, sample: str, nodes: dict[str, tuple[str, str]]
) -> None:
    """The sample's `x = 2` lines give the row's inputs; the numbers are the row's."""
    path = SAMPLES / f"{sample}.cg"
    doc = strict_json(succeeds("eval", "-f", str(path), "--json").stdout)
    by_name = {node["name"]: node for node in doc["nodes"] if node["name"]}
    assert doc["output"]["name"] == out
    for name, (value, grad) in nodes.items():
        assert same(by_name[name]["value"], value) and same(by_name[name]["grad"], grad), (
            path.name,
            by_name[name],
        )


# --- the installed script --------------------------------------------------------------------


def run_process(*command: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("NO_COLOR", "FORCE_COLOR", "CLICOLOR_FORCE")
    }
    env.update(COLUMNS="160", TERM="xterm-256color")
    return subprocess.run(
        command, input=stdin, capture_output=True, text=True, env=env, timeout=60, check=False
    )


def test_the_installed_cgraph_script() -> None:
    script = Path(sys.executable).parent / "cgraph"
    assert script.exists(), f"the console script is not installed next to {sys.executable}"
    done = run_process(str(script), "eval", "(x+y)*z", "--x", "2", "--y", "3", "--z", "-4")
    assert done.returncode == 0, done.stderr
    summary = [line.strip() for line in done.stdout.splitlines()]
    assert {"f = -20", "∂f/∂x = -4", "∂f/∂y = -4", "∂f/∂z = 5"} <= set(summary), done.stdout
    assert not ANSI.search(done.stdout), repr(done.stdout)  # piped: no colour codes
    done = run_process(str(script), "eval", "-f", "-", "--json", stdin=SEED + "\n")
    assert done.returncode == 2, done.stdout + done.stderr
    assert done.stderr == (
        "error: missing values for x, y, z\nhint: give them, as in --x 1 --y 1 --z 1\n"
    )
    done = run_process(str(script), "eval", "log(x)", "--x", "-1")
    assert done.returncode == 3 and "Traceback" not in done.stderr, done.stderr


def test_python_dash_m() -> None:
    done = run_process(
        sys.executable,
        "-m",
        "cgraph_cli",
        "eval",
        "-f",
        str(SAMPLES / "linear_regression.cg"),
        "--json",
    )
    assert done.returncode == 0, done.stderr
    doc = strict_json(done.stdout)
    assert doc["output"] == {"node": "n8", "name": "L", "value": 4.0}
    assert doc["gradients"] == {"x": 12.0, "w": 8.0, "b": 4.0, "t": -4.0}
