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
from cgraph_cli.errors import GraphvizMissing, OutputError, UsageError
from cgraph_cli.views.pictures import (
    MAX_NODES,
    PICTURE_DIGITS,
    atomic_write,
    backward_dot,
    contributions,
    forward_dot,
    grad_text,
    output_paths,
    run_dot,
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


def test_dot_is_deterministic_within_a_process() -> None:
    first = sample_eval(REPO / "samples" / "mlp_loss.cg")
    second = sample_eval(REPO / "samples" / "mlp_loss.cg")
    assert forward_dot(first.graph, first) == forward_dot(second.graph, second)
    assert backward_dot(first.graph, first) == backward_dot(second.graph, second)


@pytest.mark.parametrize("seed", ["0", "12345"])
def test_dot_is_deterministic_across_hash_seeds(tmp_path: Path, seed: str) -> None:
    """Set iteration order changes with PYTHONHASHSEED; the DOT must not."""
    code = (
        "import sys; from pathlib import Path; from cgraph_cli.core.question import run; "
        "from cgraph_cli.views.pictures import backward_dot; "
        "e = run(Path(sys.argv[1]).read_text(), {}); "
        "sys.stdout.write(backward_dot(e.graph, e))"
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
    golden = GOLDEN / f"{sample.stem}.{kind}.dot"
    assert golden.exists(), f"no golden file for {sample.stem}: run `make golden`"
    evaluation = sample_eval(sample)
    draw = forward_dot if kind == "forward" else backward_dot
    assert draw(evaluation.graph, evaluation) == golden.read_text(encoding="utf-8"), (
        f"{golden.name} differs; if the change is intended, run `make golden` and review the diff"
    )


@pytest.mark.parametrize("kind", ["forward", "backward"])
def test_structure_only_matches_golden(kind: str) -> None:
    draw = forward_dot if kind == "forward" else backward_dot
    golden = GOLDEN / f"structure_only.{kind}.dot"
    assert draw(compile_program(STRUCTURE_ONLY)) == golden.read_text(encoding="utf-8")


def test_attributes_are_sorted_and_layout_is_left_to_right() -> None:
    evaluation = sample_eval(REPO / "samples" / "logistic_neuron.cg")
    for text in (
        forward_dot(evaluation.graph, evaluation),
        backward_dot(evaluation.graph, evaluation),
    ):
        assert 'rankdir="LR"' in text and 'ordering="in"' in text
        plain = re.sub(r"label=<.*?</table>>", 'label=""', text)  # drop HTML labels
        for attrs in re.findall(r" \[(.*)\];$", plain, re.MULTILINE):
            keys = re.findall(r'(?:^| )([a-z]+)="', attrs)
            assert keys and keys == sorted(keys), attrs


def test_edges_keep_argument_order() -> None:
    """`t - y` must not be drawn as `y - t`: edges are written in argument order."""
    graph = compile_program("f = t - y")
    edges = re.findall(r"^  (n\d+) -> (n\d+)", forward_dot(graph), re.MULTILINE)
    assert edges == [
        (graph.nodes[graph.names["t"]].id, "n2"),
        (graph.nodes[graph.names["y"]].id, "n2"),
    ]


def test_inputs_share_the_leftmost_rank() -> None:
    graph = compile_program("q = x + y; f = q * z")
    assert "{ rank=source; n0; n1; n2; }" in forward_dot(graph)


def test_structure_only_has_no_numbers() -> None:
    graph = compile_program("(x + y) * z")
    for text in (forward_dot(graph), backward_dot(graph)):
        assert "#1b7a3d" not in text  # the green of values
        assert "→" not in text  # no edge products
    assert "∂f/∂x" in backward_dot(graph)


def test_shows_exact_forms_under_the_decimal() -> None:
    evaluation = run("f = x / 3", {"x": 1})
    n = len(evaluation.graph)
    forms = ([None] * (n - 1) + ["1/3"], [None] * n)
    text = forward_dot(evaluation.graph, evaluation, exact=forms)
    assert "0.3333" in text and "= 1/3" in text


def test_digits_use_the_table_formatter() -> None:
    evaluation = run("f = sin(x^2)", {"x": 1.5})
    out = evaluation.graph.output
    short = forward_dot(evaluation.graph, evaluation)
    long = forward_dot(evaluation.graph, evaluation, digits=15)
    assert format_number(evaluation.values[out], PICTURE_DIGITS) == "0.7781"
    assert ">0.7781<" in short
    assert ">0.778073196887921<" in long


def test_backward_edges_show_local_gradient_and_product() -> None:
    evaluation = run("q = x + y; f = q * z", {"x": 2, "y": 3, "z": -4})
    text = backward_dot(evaluation.graph, evaluation)
    assert 'n3 -> n4 [color="#b42318" dir="back" fontcolor="#b42318" label="×(-4) → -4"]' in text
    assert 'label="×5 → 5"' in text
    assert text.count('label="×1 → -4"') == 2


def test_fan_out_gradient_is_shown_as_a_sum() -> None:
    evaluation = sample_eval(REPO / "samples" / "fan_out.cg")
    graph = evaluation.graph
    x = graph.names["x"]
    parts = contributions(graph, evaluation)
    assert grad_text(graph, x, evaluation, parts[x], PICTURE_DIGITS) == "∂y/∂x = 6 + 27 = 33"
    assert "∂y/∂x = 6 + 27 = 33" in backward_dot(graph, evaluation)


def test_negative_terms_of_a_sum_are_subtracted() -> None:
    evaluation = run("f = x*y - x", {"x": 2, "y": 3})
    graph = evaluation.graph
    x = graph.names["x"]
    text = grad_text(graph, x, evaluation, contributions(graph, evaluation)[x], PICTURE_DIGITS)
    assert text == "∂f/∂x = 3 - 1 = 2"


@pytest.mark.parametrize("sample, dead", [("dead_relu", "x"), ("max_routes", "y")])
def test_zero_gradient_nodes_are_grey_and_dashed(sample: str, dead: str) -> None:
    evaluation = sample_eval(REPO / "samples" / f"{sample}.cg")
    graph = evaluation.graph
    node_id = graph.nodes[graph.names[dead]].id
    text = backward_dot(graph, evaluation)
    line = next(ln for ln in text.splitlines() if ln.startswith(f"  {node_id} ["))
    assert 'style="dashed,filled"' in line
    edge = next(ln for ln in text.splitlines() if ln.startswith(f"  {node_id} -> "))
    assert 'style="dashed"' in edge and "→ 0" in edge
    assert "no gradient reaches it" in text


def test_kink_notes_are_in_the_backward_caption() -> None:
    evaluation = run("f = max(x, y) * 2", {"x": 1, "y": 1})
    assert evaluation.notes
    assert "note: " + evaluation.notes[0].split(";")[0] in backward_dot(
        evaluation.graph, evaluation
    )


def test_constants_are_drawn_but_get_no_gradient() -> None:
    evaluation = run("f = 3*x", {"x": 2})
    text = backward_dot(evaluation.graph, evaluation)
    assert "∂f/∂3" not in text
    assert 'arrowhead="none"' in text and 'style="dotted"' in text


def test_labels_are_escaped() -> None:
    from cgraph_cli.views.pictures import Span, html_label, quote

    assert quote('a"b\\c') == '"a\\"b\\\\c"'
    assert "&lt;b&gt;" in html_label([[Span("<b>")]])


# --- paths and file writing ----------------------------------------------------------------


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


def test_slow_dot_is_stopped(tmp_path: Path) -> None:
    fake = tmp_path / "dot"
    fake.write_text("#!/bin/sh\nsleep 10\n")
    fake.chmod(0o755)
    with pytest.raises(OutputError, match="took more than"):
        run_dot(str(fake), "digraph { a }", "svg", timeout=0.5)


@needs_dot
@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.stem)
def test_svg_holds_every_label_value_and_gradient(tmp_path: Path, sample: Path) -> None:
    evaluation = sample_eval(sample)
    graph = evaluation.graph
    paths = write_pictures(graph, evaluation, tmp_path / sample.stem)
    forward, backward = (svg_texts(p) for p in paths)
    parts = contributions(graph, evaluation)

    def holds(texts: list[str], wanted: str, what: str) -> None:
        assert any(wanted in t for t in texts), f"{what}: {wanted!r} not in {texts}"

    for index, node in enumerate(graph.nodes):
        label = (node.text or node.label) if node.op == CONST else node.label
        value = format_number(evaluation.values[index], PICTURE_DIGITS)
        for texts in (forward, backward):
            holds(texts, label, f"label of {node.id}")
            holds(texts, value, f"value of {node.id}")
        if graph.varying[index]:
            holds(
                backward,
                grad_text(graph, index, evaluation, parts[index], PICTURE_DIGITS),
                f"gradient of {node.id}",
            )


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
    assert "∂f/∂z = 5" in svg_texts(tmp_path / "e.backward.svg")
    result = invoke(["eval", "x/3", "--x", "1", "--svg", str(tmp_path / "d")])
    assert result.exit_code == 0, result.output
    assert "0.333333333333333" in result.stdout  # the table keeps its 15 digits
    assert "0.3333" in svg_texts(tmp_path / "d.forward.svg")  # the picture is slide-sized
    result = invoke(["eval", "x/3", "--x", "1", "--svg", str(tmp_path / "d"), "--digits", "6"])
    assert "0.333333" in svg_texts(tmp_path / "d.forward.svg")


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
def test_docs_pictures_are_not_stale(tmp_path: Path) -> None:
    result = invoke(["render", *PICTURE_ARGS, "-o", str(tmp_path / "row1")])
    assert result.exit_code == 0, result.output
    for kind in ("forward", "backward"):
        committed = REPO / "docs" / f"{kind}.svg"
        assert committed.exists(), "run `make pictures`"
        assert svg_signature(tmp_path / f"row1.{kind}.svg") == svg_signature(committed), (
            f"docs/{kind}.svg is stale: run `make pictures`"
        )


def test_docs_pictures_show_row_1() -> None:
    texts = svg_texts(REPO / "docs" / "backward.svg")
    for wanted in ("∂f/∂x = -4", "∂f/∂y = -4", "∂f/∂z = 5", "∂f/∂q = -4", "×(-4) → -4"):
        assert wanted in texts, texts
    assert "-20" in svg_texts(REPO / "docs" / "forward.svg")


def test_inputs_resolve_the_same_as_eval() -> None:
    """render evaluates through the same resolve_inputs as eval (defaults, then given values)."""
    graph = compile_program("x = 2; f = x * y")
    evaluation = evaluate(graph, resolve_inputs(graph, {"y": 3}))
    assert evaluation.value == 6
    assert [n.op for n in graph.nodes if n.op == INPUT] == [INPUT, INPUT]
