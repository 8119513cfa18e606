"""Graph pictures (issue 3): deterministic DOT pinned by golden files, real SVGs checked as XML.

- the DOT text is a pure function of the program and point: same bytes twice, across hash seeds,
  with sorted attributes and argument order kept; tests/golden holds it for every sample
  (`make golden` regenerates it; review the diff);
- the real `dot` draws every sample, and the SVG holds each node's label and value (forward) or
  gradient (backward); the backward picture shows `×local → product` on edges, fan-out sums and
  grey dashed dead nodes;
- files: PNG/PDF/DOT formats, atomic writes, missing folders made, unwritable ones exit 2, no
  `dot` on PATH exits 4 and still writes the .dot, big graphs refused without --force, a slow
  `dot` stopped by the timeout;
- docs/forward.svg and docs/backward.svg are what `make pictures` makes now.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from cgraph_cli.core.autodiff import Evaluation, evaluate
from cgraph_cli.core.graph import CONST, INPUT, compile_program
from cgraph_cli.core.numbers import format_number
from cgraph_cli.core.question import resolve_inputs, run
from cgraph_cli.errors import GraphvizFailed, GraphvizMissing, OutputError, UsageError
from cgraph_cli.views.picture_files import atomic_write, run_dot
from cgraph_cli.views.pictures import (
    MAX_NODES,
    output_paths,
    picture,
    picture_dot,
    write_pictures,
)

REPO = Path(__file__).resolve().parents[1]
GOLDEN = REPO / "tests" / "golden"
SAMPLES = sorted((REPO / "samples").glob("*.cg"))
CLI_ENV = {"COLUMNS": "200", "NO_COLOR": "1", "TERM": "dumb"}
# Keep in step with the Makefile's `golden` target.
STRUCTURE_ONLY = "d = a + b; e = b - c; Y = d * e"
# Keep in step with the Makefile's `pictures` target (EXAMPLES.md row 1).
PICTURE_ARGS = ["q = x + y; f = q * z", "--x", "2", "--y", "3", "--z", "-4"]
NEURON_ARGS = [
    "f = 1/(1+exp(-(w0*x0+w1*x1+w2)))",
    *("--w0", "2", "--x0", "-1", "--w1", "-3", "--x1", "-2", "--w2", "-3"),
]


@pytest.fixture
def dot_installed() -> None:
    """`make test` installs Graphviz; a missing `dot` is a broken set-up, not a reason to skip."""
    assert shutil.which("dot"), "Graphviz's dot is not on PATH: run `make graphviz`"


needs_dot = pytest.mark.usefixtures("dot_installed")


def invoke(args: list[str], env: dict[str, str] | None = None) -> Any:
    from typer.testing import CliRunner

    from cgraph_cli.cli.app import app

    return CliRunner().invoke(app, args, env={**CLI_ENV, **(env or {})})


def sample_eval(path: Path) -> Evaluation:
    return run(path.read_text(encoding="utf-8"), {})


def svg_texts(path: Path) -> list[str]:
    """Every <text> run of an SVG, parsed as XML (so a broken file fails here)."""
    root = ET.parse(path).getroot()
    return ["".join(el.itertext()) for el in root.iter("{http://www.w3.org/2000/svg}text")]


# --- DOT text ------------------------------------------------------------------------------

NEURON = "f = 1/(1+exp(-(w0*x0+w1*x1+w2)))"
NEURON_POINT = {"w0": 2, "x0": -1, "w1": -3, "x1": -2, "w2": -3}


def dot_of(which: str, program: str, point: dict[str, float] | None = None, **options: Any) -> str:
    graph = compile_program(program)
    evaluation = evaluate(graph, resolve_inputs(graph, point or {})) if point is not None else None
    return picture_dot(which, graph, evaluation, **options)


def node_lines(dot: str) -> list[str]:
    return [line for line in dot.splitlines() if re.match(r"\s*n\d+ \[", line)]


def test_dot_is_deterministic_within_a_process() -> None:
    first = sample_eval(REPO / "samples" / "mlp_loss.cg")
    second = sample_eval(REPO / "samples" / "mlp_loss.cg")
    for kind in ("forward", "backward"):
        assert picture_dot(kind, first.graph, first) == picture_dot(kind, second.graph, second)


@pytest.mark.parametrize("seed", ["0", "12345"])
def test_dot_is_deterministic_across_hash_seeds(tmp_path: Path, seed: str) -> None:
    """Set iteration order changes with PYTHONHASHSEED; the DOT must not."""
    code = (
        "import sys; from pathlib import Path; from cgraph_cli.core.question import run; "
        "from cgraph_cli.views.pictures import picture_dot; "
        "e = run(Path(sys.argv[1]).read_text(), {}); "
        "sys.stdout.write(picture_dot('backward', e.graph, e))"
    )
    sample = str(REPO / "samples" / "shared_input.cg")
    outputs = {
        subprocess.run(
            [sys.executable, "-c", code, sample],
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONHASHSEED": s},
            check=True,
        ).stdout
        for s in (seed, "999")
    }
    assert len(outputs) == 1


def test_every_sample_has_golden_files() -> None:
    assert SAMPLES, "no samples found"
    missing = [
        f"{p.stem}.{kind}.dot"
        for p in SAMPLES
        for kind in ("forward", "backward")
        if not (GOLDEN / f"{p.stem}.{kind}.dot").exists()
    ]
    assert not missing, f"run `make golden`; missing {missing}"


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.stem)
@pytest.mark.parametrize("kind", ["forward", "backward"])
def test_dot_matches_golden(sample: Path, kind: str) -> None:
    evaluation = sample_eval(sample)
    dot = picture_dot(kind, evaluation.graph, evaluation)
    assert dot == (GOLDEN / f"{sample.stem}.{kind}.dot").read_text(encoding="utf-8"), (
        f"{sample.name}: the {kind} DOT changed; if on purpose, run `make golden` and review"
    )


@pytest.mark.parametrize("kind", ["forward", "backward"])
def test_structure_only_matches_golden(kind: str) -> None:
    dot = picture_dot(kind, compile_program(STRUCTURE_ONLY))
    assert dot == (GOLDEN / f"structure_only.{kind}.dot").read_text(encoding="utf-8")


def test_pictures_are_graphviz_digraphs() -> None:
    import graphviz

    evaluation = run("q = x + y; f = q * z", {"x": 2, "y": 3, "z": -4})
    drawn = picture("backward", evaluation.graph, evaluation)
    assert isinstance(drawn, graphviz.Digraph)
    assert drawn.graph_attr["rankdir"] == "LR"
    assert "rank=source" not in drawn.source  # it made a 299-node layout take 120 s


def test_forward_and_backward_share_one_geometry() -> None:
    """Every node and edge label has the same fixed size in both, so dot puts them in the
    same places: only the texts and colours differ."""

    def geometry(dot: str) -> list[list[str]]:
        return [re.findall(r'(?:WIDTH|HEIGHT)="\d+"', line) for line in dot.splitlines()]

    forward = dot_of("forward", NEURON, NEURON_POINT)
    backward = dot_of("backward", NEURON, NEURON_POINT)
    assert geometry(forward)[:-8] == geometry(backward)[:-8]  # the captions differ
    assert [line.split(" [")[0] for line in forward.splitlines()][3:-2] == [
        line.split(" [")[0] for line in backward.splitlines()
    ][3:-2]


def test_no_internal_ids_anywhere() -> None:
    """Unnamed nodes are called by what they compute, in every picture and the worksheet."""
    for dot in (
        dot_of("backward", NEURON, NEURON_POINT),
        dot_of("backward", NEURON),
        dot_of("forward", NEURON),
    ):
        labels = " ".join(re.findall(r"label=(<.*>)", dot))
        assert not re.search(r">\s*n\d+\b", labels), labels


def test_names_say_what_a_node_computes() -> None:
    from cgraph_cli.views.picture_names import Naming

    naming = Naming(compile_program(NEURON))
    shown = [n for i, n in enumerate(naming.names) if i not in naming.folded]
    assert shown == [
        "w0", "x0", "w1", "x1", "w2", "w0·x0", "w1·x1", "w0·x0+w1·x1", "w0·x0+w1·x1+w2",
        "−(·)", "exp(·)", "1+(·)", "f",
    ]  # fmt: skip
    twice = Naming(compile_program("f = tanh(x) + tanh(x)")).names
    assert twice[-3:] == ["tanh(x)", "tanh(x)₂", "f"]


@pytest.mark.parametrize(
    "program, gates",
    [
        (NEURON, ["×", "×", "+", "+", "−x", "e^x", "+1", "1/x"]),
        ("y = 2*x + x^2 - 3", ["×2", "^2", "+", "−3"]),
        ("y = 1 - x/4 + 2^x + e^x", ["/4", "1−x", "2^x", "+", "e^x", "+"]),
        ("y = max(x, 0) * -x", ["max(·, 0)", "−x", "×"]),
        ("y = sigmoid(x) * 2", ["σ", "×2"]),
        ("y = x^z", ["^"]),
        ("y = 2 + 3", ["+3"]),  # all constants: one box stays, to show what goes in
    ],
)
def test_constants_fold_into_their_gate(program: str, gates: list[str]) -> None:
    from cgraph_cli.views.picture_names import Naming

    naming = Naming(compile_program(program))
    graph = naming.graph
    drawn = [naming.gates[i] for i, n in enumerate(graph.nodes) if n.inputs]
    assert drawn == gates
    boxes = [i for i, n in enumerate(graph.nodes) if n.op == CONST and i not in naming.folded]
    assert len(boxes) == (1 if program == "y = 2 + 3" else 0)


def test_numbers_use_minus_signs_and_decimals() -> None:
    dot = dot_of("backward", "q = x + y; f = q * z", {"x": 2, "y": 3, "z": -4})
    assert "−4" in dot and "-4" not in dot.replace("n-", "")
    assert "−4<BR/>× 1<BR/>= −4" in dot  # the product written out on the edge to q
    assert "1<BR/>× (−4)<BR/>= −4" in dot
    fixed = dot_of("forward", "f = x / 3", {"x": 1}, decimals=2)
    assert ">0.33<" in fixed
    assert ">0.333<" in dot_of("forward", "f = x / 3", {"x": 1})


def test_worksheet_edges_show_symbolic_local_gradients() -> None:
    dot = dot_of("backward", "q = x + y; L = (q * z - t)^2")
    for wanted in ("×z", "×q", "×1", "×(−1)", "×2(q·z−t)"):
        assert wanted in dot, wanted
    assert re.search(r">\?<", dot)  # numbers to fill in


def test_fan_out_gradient_is_the_sum_of_its_paths() -> None:
    dot = dot_of("backward", (REPO / "samples" / "fan_out.cg").read_text(), {})
    assert "= 6 + 27" in dot and ">33<" in dot


def test_gradient_zero_here_is_not_a_cut_path() -> None:
    tanh = sample_eval(REPO / "samples" / "tanh_neuron.cg")
    dot = picture_dot("backward", tanh.graph, tanh)
    assert "DASHED" not in dot and "dashed" not in dot  # w2 is reached; multiplied by x2 = 0
    assert "the gradient reaches the node but is 0" in dot
    relu = sample_eval(REPO / "samples" / "dead_relu.cg")
    dot = picture_dot("backward", relu.graph, relu)
    assert "DASHED" in dot and "the path is cut here" in dot


def test_caption_names_the_whole_function() -> None:
    dot = dot_of("forward", "q = x + y; f = q * z")
    assert "q = x + y;  f = q·z" in dot
    assert "f = 1/(1 + exp(−(w0·x0 + w1·x1 + w2)))" in dot_of("forward", NEURON)


def test_collapse_draws_a_step_as_one_gate() -> None:
    program = (REPO / "samples" / "mlp_loss.cg").read_text()
    evaluation = run(program, {})
    whole = picture_dot("backward", evaluation.graph, evaluation)
    small = picture_dot("backward", evaluation.graph, evaluation, collapse=("h1", "h2"))
    assert len(node_lines(small)) == len(node_lines(whole)) - 8  # 2 products, 2 sums each
    w11 = evaluation.gradients["w11"]
    h1 = evaluation.grads[evaluation.graph.names["h1"]]
    local = w11 / h1  # d h1 / d w11, the sum over the paths inside the step
    assert f"× {format_number(local, 3).replace('-', '−')}" in small
    with pytest.raises(UsageError, match="no step named `h3`"):
        picture_dot("backward", evaluation.graph, evaluation, collapse=("h3",))


def test_step_frames_fill_in_one_number_at_a_time() -> None:
    from cgraph_cli.views.pictures import frames, make_scene

    evaluation = run("q = x + y; f = q * z", {"x": 2, "y": 3, "z": -4})
    scene = make_scene(evaluation.graph, evaluation)
    reveals = frames(scene)
    assert len(reveals) == 1 + 2 + 4  # the inputs, two gates, four edges
    assert [len(r.values) for r in reveals[:3]] == [3, 4, 5]
    assert [r.edge for r in reveals[3:]] == [2, 3, 0, 1]


def test_output_paths() -> None:
    paths = output_paths("out/graph", "both", "svg")
    assert [str(p) for p in paths.values()] == ["out/graph.forward.svg", "out/graph.backward.svg"]
    assert [str(p) for p in output_paths("out/graph.png", "backward", "png").values()] == [
        "out/graph.backward.png"
    ]


def test_prefix_that_is_a_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="folder"):
        output_paths(tmp_path, "both", "svg")


def test_atomic_write_leaves_no_partial_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "g.forward.svg"
    target.write_text("old")

    def broken_replace(src: Any, dst: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OutputError, match="No space left"):
        atomic_write(target, b"new picture")
    assert target.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["g.forward.svg"]


def test_atomic_write_replaces_whole_file(tmp_path: Path) -> None:
    target = tmp_path / "g.dot"
    target.write_text("a much longer old content that must not survive")
    atomic_write(target, b"new")
    assert target.read_bytes() == b"new"
    assert [p.name for p in tmp_path.iterdir()] == ["g.dot"]


def test_missing_folders_are_created(tmp_path: Path) -> None:
    prefix = tmp_path / "a" / "b" / "c" / "graph"
    result = invoke(
        [
            "render",
            "(x+y)*z",
            "--x",
            "2",
            "--y",
            "3",
            "--z",
            "-4",
            "-o",
            str(prefix),
            "--format",
            "dot",
        ]
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "a/b/c/graph.forward.dot").is_file()
    assert (tmp_path / "a/b/c/graph.backward.dot").is_file()


def test_parent_that_is_a_file_exits_2(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("")
    result = invoke(
        ["render", "x*y", "--x", "1", "--y", "2", "-o", str(tmp_path / "file/g"), "--format", "dot"]
    )
    assert result.exit_code == 2, result.output
    assert "cannot create the folder" in result.output


def test_output_path_that_is_a_folder_exits_2(tmp_path: Path) -> None:
    (tmp_path / "g.forward.dot").mkdir()
    result = invoke(
        ["render", "x*y", "--x", "1", "--y", "2", "-o", str(tmp_path / "g"), "--format", "dot"]
    )
    assert result.exit_code == 2, result.output
    assert "it is a folder" in result.output


def test_unwritable_folder_exits_2_even_for_root(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Root ignores permissions, so simulate the refusal the OS would give anyone else."""
    real_open = os.open

    def refusing_open(path: Any, flags: int, mode: int = 0o777, **kwargs: Any) -> int:
        if str(path).startswith(str(tmp_path)):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, flags, mode, **kwargs)

    monkeypatch.setattr(os, "open", refusing_open)
    result = invoke(
        ["render", "x*y", "--x", "1", "--y", "2", "-o", str(tmp_path / "g"), "--format", "dot"]
    )
    assert result.exit_code == 2, result.output
    assert "Permission denied" in result.output
    assert list(tmp_path.iterdir()) == []


# --- Graphviz ------------------------------------------------------------------------------


def test_missing_dot_exits_4_and_writes_the_dot_source(tmp_path: Path) -> None:
    empty = tmp_path / "bin"
    empty.mkdir()
    prefix = tmp_path / "out" / "g"
    result = invoke(
        ["render", "(x+y)*z", "--x", "2", "--y", "3", "--z", "-4", "-o", str(prefix)],
        env={"PATH": str(empty)},
    )
    assert result.exit_code == 4, result.output
    for needle in (
        "Graphviz",
        "apt-get install graphviz",
        "brew install graphviz",
        "conda install -c conda-forge graphviz",
        "g.forward.dot",
    ):
        assert needle in result.output
    assert (tmp_path / "out" / "g.forward.dot").read_text().startswith("digraph forward {")
    assert (tmp_path / "out" / "g.backward.dot").is_file()
    assert not list((tmp_path / "out").glob("*.svg"))


def test_missing_dot_exits_4_from_the_installed_script(tmp_path: Path) -> None:
    script = Path(sys.executable).with_name("cgraph")
    assert script.exists(), "the cgraph script should be installed next to this Python"
    done = subprocess.run(
        [str(script), "render", "x*y", "--x", "1", "--y", "2", "-o", str(tmp_path / "g")],
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": str(tmp_path), "HOME": str(tmp_path), **CLI_ENV},
    )
    assert done.returncode == 4, done.stderr
    assert "Graphviz" in done.stderr and "Traceback" not in done.stderr
    assert (tmp_path / "g.forward.dot").is_file()


def test_missing_dot_from_the_api(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    evaluation = run("x + 1", {"x": 1})
    with pytest.raises(GraphvizMissing) as caught:
        write_pictures(evaluation.graph, evaluation, tmp_path / "g", which="forward")
    assert caught.value.exit_code == 4
    assert (tmp_path / "g.forward.dot").is_file()


def test_big_graphs_need_force(tmp_path: Path) -> None:
    program = " + ".join(f"x{i}" for i in range(MAX_NODES // 2 + 2))
    result = invoke(["render", program, "-o", str(tmp_path / "g")])
    assert result.exit_code == 2, result.output
    assert "--force" in result.output and "--format dot" in result.output
    assert not list(tmp_path.iterdir())
    result = invoke(["render", program, "-o", str(tmp_path / "g"), "--format", "dot"])
    assert result.exit_code == 0, result.output


def test_big_graph_check_is_skipped_with_force() -> None:
    from cgraph_cli.views.pictures import check_size

    graph = compile_program(" + ".join(f"x{i}" for i in range(MAX_NODES)))
    with pytest.raises(UsageError):
        check_size(graph, "svg", force=False)
    check_size(graph, "svg", force=True)
    check_size(graph, "dot", force=False)


def fake_dot(folder: Path, script: str) -> dict[str, str]:
    """A `dot` on PATH that runs `script` instead of Graphviz."""
    folder.mkdir(exist_ok=True)
    fake = folder / "dot"
    fake.write_text("#!/bin/sh\n" + script + "\n")
    fake.chmod(0o755)
    return {"PATH": f"{folder}:{os.environ['PATH']}"}


def test_slow_dot_is_stopped_and_exits_4(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    env = fake_dot(tmp_path / "bin", "sleep 10")
    monkeypatch.setenv("PATH", env["PATH"])
    with pytest.raises(GraphvizFailed, match="took more than 0.5 s") as caught:
        run_dot("digraph { a }", "svg", timeout=0.5)
    assert caught.value.exit_code == 4


def test_crashing_dot_exits_4_and_leaves_no_file(tmp_path: Path) -> None:
    env = fake_dot(tmp_path / "bin", "echo 'Error: trouble in layout' >&2; exit 1")
    out = tmp_path / "out"
    result = invoke(["render", "x*y", "--x", "1", "--y", "2", "-o", str(out / "g")], env=env)
    assert result.exit_code == 4, result.output
    assert "trouble in layout" in result.output
    assert list(out.iterdir()) == []  # no half pair, no temporary file


def test_a_failure_on_the_second_picture_keeps_the_old_pair(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The forward picture is drawn, the backward one fails: the old pair stays whole."""
    import cgraph_cli.views.picture_files as files

    (tmp_path / "g.forward.svg").write_text("old forward")
    (tmp_path / "g.backward.svg").write_text("old backward")
    calls = []

    def flaky(source: str, fmt: str, timeout: float = 1, dpi: int | None = None) -> bytes:
        calls.append(fmt)
        if len(calls) == 2:
            raise GraphvizFailed("Graphviz's dot failed")
        return b"<svg/>"

    monkeypatch.setattr(files, "run_dot", flaky)
    evaluation = run("x * y", {"x": 1, "y": 2})
    with pytest.raises(GraphvizFailed):
        write_pictures(evaluation.graph, evaluation, tmp_path / "g")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["g.backward.svg", "g.forward.svg"]
    assert (tmp_path / "g.forward.svg").read_text() == "old forward"


def test_concurrent_renders_to_one_prefix_never_mix(tmp_path: Path) -> None:
    """Two processes draw different programs to one prefix, many times over: at the end the
    two files always come from the same program."""
    script = Path(sys.executable).with_name("cgraph")
    prefix = str(tmp_path / "g")
    commands = [
        [str(script), "render", "a*b", "--a", "1", "--b", "2", "-o", prefix, "--format", "dot"],
        [str(script), "render", "c+d", "--c", "1", "--d", "2", "-o", prefix, "--format", "dot"],
    ]
    for _ in range(4):
        running = [subprocess.Popen(c, stderr=subprocess.DEVNULL) for c in commands]
        assert [p.wait(timeout=60) for p in running] == [0, 0]
        forward = (tmp_path / "g.forward.dot").read_text()
        backward = (tmp_path / "g.backward.dot").read_text()
        assert ("a·b" in forward) == ("a·b" in backward)
        assert ("c + d" in forward) == ("c + d" in backward)
        assert sorted(p.name for p in tmp_path.iterdir()) == ["g.backward.dot", "g.forward.dot"]


def test_big_graphs_are_refused_by_edges_too() -> None:
    from cgraph_cli.views.pictures import MAX_EDGES, check_size

    graph = compile_program("f = max(" + ", ".join(["x"] * (MAX_EDGES + 1)) + ")")
    assert len(graph) == 2  # one input, one max with 601 edges
    with pytest.raises(UsageError, match="edges"):
        check_size(graph, "svg", force=False)


def test_png_pixels_are_capped() -> None:
    from cgraph_cli.views.picture_files import MAX_PNG_PIXELS, PNG_DPI, png_dpi

    small = b'<svg width="720pt" height="360pt"'
    assert png_dpi(small) == PNG_DPI
    huge = b'<svg width="36000pt" height="7200pt"'
    dpi = png_dpi(huge)
    assert dpi < PNG_DPI and (500 * dpi) * (100 * dpi) <= MAX_PNG_PIXELS


@needs_dot
def test_big_png_says_it_was_drawn_smaller(tmp_path: Path) -> None:
    program = "f = " + " + ".join(f"x{i}*y{i}" for i in range(40))
    values = [a for i in range(40) for a in (f"--x{i}", "1", f"--y{i}", "2")]
    result = invoke(
        ["render", program, *values, "-o", str(tmp_path / "g"), "--format", "png", "--fit", "none"]
    )
    assert result.exit_code == 0, result.output
    assert "megapixels" in result.output


@needs_dot
def test_steps_write_numbered_frames(tmp_path: Path) -> None:
    args = ["render", "q = x + y; f = q * z", "--x", "2", "--y", "3", "--z", "-4", "--steps"]
    (tmp_path / "g.step-09.svg").write_text("a frame of an earlier, longer program")
    result = invoke([*args, "-o", str(tmp_path / "g")])
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == [f"g.step-0{n}.svg" for n in range(1, 8)]
    first = svg_texts(tmp_path / "g.step-01.svg")
    assert "?" in first and "5" not in first  # q not computed yet
    assert "5" in svg_texts(tmp_path / "g.step-02.svg")
    last = svg_texts(tmp_path / "g.step-07.svg")
    assert "?" not in last and "= 5" in last  # the last edge: 1 × q = 5 flows back to z


@needs_dot
@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.stem)
def test_svg_holds_every_label_value_and_gradient(tmp_path: Path, sample: Path) -> None:
    from cgraph_cli.views.dot_style import number
    from cgraph_cli.views.picture_names import Naming

    evaluation = sample_eval(sample)
    graph = evaluation.graph
    naming = Naming(graph)
    paths = write_pictures(graph, evaluation, tmp_path / sample.stem, exact=None)
    forward, backward = (svg_texts(p) for p in paths)

    def holds(texts: list[str], wanted: str, what: str) -> None:
        assert any(wanted in t for t in texts), f"{what}: {wanted!r} not in {texts}"

    for index, node in enumerate(graph.nodes):
        if index in naming.folded:
            continue
        value = number(evaluation.values[index])
        for texts in (forward, backward):
            holds(texts, naming.gates[index], f"gate of {naming.names[index]}")
            holds(texts, value, f"value of {naming.names[index]}")
        if graph.varying[index]:
            holds(backward, number(evaluation.grads[index]), f"gradient of {node.id}")
    assert not any("−" in t for t in forward + backward if "-" in t)  # minus signs only


@needs_dot
def test_structure_only_svg_has_names_and_no_numbers(tmp_path: Path) -> None:
    result = invoke(["render", "(a + b) * (b - c)", "-o", str(tmp_path / "s")])
    assert result.exit_code == 0, result.output
    assert "structure only" in result.output
    texts = svg_texts(tmp_path / "s.forward.svg")
    for name in ("a", "b", "c", "f", "+", "−", "×"):
        assert name in texts
    assert not any(re.fullmatch(r"-?\d+(\.\d+)?", t) for t in texts), texts


@needs_dot
@pytest.mark.parametrize(
    "fmt, magic", [("png", b"\x89PNG"), ("pdf", b"%PDF"), ("svg", b"<?xml"), ("dot", b"digraph")]
)
def test_formats(tmp_path: Path, fmt: str, magic: bytes) -> None:
    result = invoke(
        [
            "render",
            "-f",
            str(REPO / "samples" / "seed_basic.cg"),
            "-o",
            str(tmp_path / "g"),
            "--format",
            fmt,
            "--which",
            "backward",
        ]
    )
    assert result.exit_code == 0, result.output
    assert [p.name for p in tmp_path.iterdir()] == [f"g.backward.{fmt}"]
    data = (tmp_path / f"g.backward.{fmt}").read_bytes()
    assert data.startswith(magic)
    if fmt == "png":  # drawn at 192 dpi, sharp enough for a slide
        width = int.from_bytes(data[16:20], "big")
        assert width > 1000, width


def test_bad_format_lists_the_choices(tmp_path: Path) -> None:
    result = invoke(["render", "x", "--x", "1", "-o", str(tmp_path / "g"), "--format", "jpg"])
    assert result.exit_code == 2
    assert "svg" in result.output and "png" in result.output


@needs_dot
def test_eval_svg_draws_beside_the_table(tmp_path: Path) -> None:
    result = invoke(
        [
            "eval",
            "(x+y)*z",
            "--x",
            "2",
            "--y",
            "3",
            "--z",
            "-4",
            "--json",
            "--svg",
            str(tmp_path / "e"),
        ]
    )
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["gradients"] == {"x": -4.0, "y": -4.0, "z": 5.0}
    assert "5" in svg_texts(tmp_path / "e.backward.svg")  # z's gradient
    result = invoke(["eval", "x/3", "--x", "1", "--svg", str(tmp_path / "d")])
    assert result.exit_code == 0, result.output
    assert "0.333333333333333" in result.stdout  # the table keeps its 15 digits
    picture_texts = svg_texts(tmp_path / "d.forward.svg")
    # the picture is slide-sized (`= 1/3` follows when the exact form is found in time)
    assert any(t.startswith("0.333") and "0.3333" not in t for t in picture_texts), picture_texts
    assert "?" not in picture_texts
    result = invoke(["eval", "x/3", "--x", "1", "--svg", str(tmp_path / "d"), "--digits", "6"])
    assert any(t.startswith("0.333333") for t in svg_texts(tmp_path / "d.forward.svg"))


# --- the README's pictures -----------------------------------------------------------------


def svg_signature(path: Path) -> list[tuple[str, ...]]:
    """What a reader sees, without coordinates: each element's text, colours and dashes.

    Coordinates depend on the fonts Graphviz finds, so two machines may differ in them while
    showing the same picture; labels, colours and styles may not differ.
    """
    root = ET.parse(path).getroot()
    keys = ("fill", "stroke", "stroke-dasharray", "font-weight", "font-size")
    return [
        (
            el.tag.rsplit("}", 1)[-1],
            "".join(el.itertext()).strip() if el.tag.endswith(("text", "title")) else "",
            *(el.get(k, "") for k in keys),
        )
        for el in root.iter()
    ]


@needs_dot
@pytest.mark.parametrize("name, args", [("", PICTURE_ARGS), ("neuron.", NEURON_ARGS)])
def test_docs_pictures_are_not_stale(tmp_path: Path, name: str, args: list[str]) -> None:
    result = invoke(["render", *args, "-o", str(tmp_path / "pic")])
    assert result.exit_code == 0, result.output
    for kind in ("forward", "backward"):
        committed = REPO / "docs" / f"{name}{kind}.svg"
        assert committed.exists(), "run `make pictures`"
        assert svg_signature(tmp_path / f"pic.{kind}.svg") == svg_signature(committed), (
            f"docs/{name}{kind}.svg is stale: run `make pictures`"
        )


def test_docs_pictures_show_row_1() -> None:
    texts = svg_texts(REPO / "docs" / "backward.svg")
    for wanted in ("−4", "5", "= −4", "× (−4)"):
        assert wanted in texts, texts
    assert any("q = x + y;" in t and "f = q·z" in t for t in texts), texts
    assert "f = −20" not in svg_texts(REPO / "docs" / "forward.svg")
    assert "−20" in svg_texts(REPO / "docs" / "forward.svg")


def test_inputs_resolve_the_same_as_eval() -> None:
    """render evaluates through the same resolve_inputs as eval (defaults, then given values)."""
    graph = compile_program("x = 2; f = x * y")
    evaluation = evaluate(graph, resolve_inputs(graph, {"y": 3}))
    assert evaluation.value == 6
    assert [n.op for n in graph.nodes if n.op == INPUT] == [INPUT, INPUT]


@needs_dot
def test_a_picture_too_small_for_a_slide_says_how_to_shrink_it(tmp_path: Path) -> None:
    program = "f = " + " + ".join(f"tanh(w{i}*x{i})" for i in range(25))
    values = [a for i in range(25) for a in (f"--w{i}", "1", f"--x{i}", "2")]
    result = invoke(["render", program, *values, "-o", str(tmp_path / "g"), "--which", "forward"])
    assert result.exit_code == 0, result.output
    assert "the smallest text is" in result.output and "--collapse" in result.output
    small = invoke(["render", *PICTURE_ARGS, "-o", str(tmp_path / "s")])
    assert "smallest text" not in small.output


def test_big_graphs_leave_edge_labels_out_and_say_where_they_are() -> None:
    from cgraph_cli.views.dot_style import LABELLED_EDGES_MAX

    terms = LABELLED_EDGES_MAX // 4 + 5
    program = "f = " + " + ".join(f"x{i}*y{i}" for i in range(terms))
    point = {f"{v}{i}": 1.0 for i in range(terms) for v in "xy"}
    dot = dot_of("backward", program, point)
    assert "<BR/>" not in dot  # no `upstream × local = product` labels
    assert "edge labels left out (" in dot and "eval --local" in dot
    small = dot_of("backward", "q = x + y; f = q * z", {"x": 2, "y": 3, "z": -4})
    assert "edge labels left out" not in small and "<BR/>" in small
