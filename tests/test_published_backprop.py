"""Published backprop examples, reproduced number for number (tests/data/published_backprop.toml).

Each example is typed as its author wrote it: CS231n's circuits and staged computation,
micrograd's README program (with its `+=` rebindings and `relu`), and the neuron of Karpathy's
micrograd video (`e` and `f` used as names there, as in the video). Two references, neither of
them cgraph:

- the figures the source printed (`24.7041`, `0.73`, `-0.59`), compared at the source's rounding;
- every gradient recomputed here with mpmath at 50 digits from our own transcription of the
  source's code (`REFERENCES`), by numerical differentiation of the whole function, and
  compared with cgraph's float64 gradients to 1e-12 relative.

Both through the Python API and through `cgraph eval --json`, the way a reader would run it.
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import mpmath
import pytest
from typer.testing import CliRunner

from cgraph_cli import evaluate

DATA = Path(__file__).resolve().parent / "data" / "published_backprop.toml"
EXAMPLES = tomllib.loads(DATA.read_text(encoding="utf-8"))["example"]
ENV = {"COLUMNS": "200", "NO_COLOR": "1", "TERM": "dumb"}

mpmath.mp.dps = 50
Nodes = dict[str, Any]


def _sigmoid(v: Any) -> Any:
    return 1 / (1 + mpmath.exp(-v))


def _relu(v: Any) -> Any:
    return v if v > 0 else 0 * v


# --- our own transcriptions of each source's code, with mpmath numbers ---------------------
# `bump` adds a small amount to one named node right after it is computed, so that the
# derivative of the output by that bump is d(output)/d(node): intermediate gradients too.


def _cs231n_add_mul(v: Mapping[str, Any], bump: Callable[[str, Any], Any]) -> Nodes:
    q = bump("q", v["x"] + v["y"])
    return {"q": q, "f": bump("f", q * v["z"])}


def _cs231n_neuron(v: Mapping[str, Any], bump: Callable[[str, Any], Any]) -> Nodes:
    dot = bump("dot", v["w0"] * v["x0"] + v["w1"] * v["x1"] + v["w2"])
    return {"dot": dot, "f": bump("f", 1 / (1 + mpmath.exp(-dot)))}


def _cs231n_staged(v: Mapping[str, Any], bump: Callable[[str, Any], Any]) -> Nodes:
    x, y = v["x"], v["y"]
    sigy = bump("sigy", 1 / (1 + mpmath.exp(-y)))
    num = bump("num", x + sigy)
    sigx = bump("sigx", 1 / (1 + mpmath.exp(-x)))
    xpy = bump("xpy", x + y)
    xpysqr = bump("xpysqr", xpy**2)
    den = bump("den", sigx + xpysqr)
    invden = bump("invden", 1 / den)
    return {"f": bump("f", num * invden)}


def _micrograd_readme(v: Mapping[str, Any], bump: Callable[[str, Any], Any]) -> Nodes:
    a, b = v["a"], v["b"]
    c = a + b
    d = a * b + b**3
    c += c + 1
    c += 1 + c + (-a)
    d += d * 2 + _relu(b + a)
    d += 3 * d + _relu(b - a)
    e = c - d
    f = e**2
    g = f / 2
    g += 10 / f
    return {"g": bump("g", g)}


def _karpathy_first(v: Mapping[str, Any], bump: Callable[[str, Any], Any]) -> Nodes:
    e = bump("e", v["a"] * v["b"])
    d = bump("d", e + v["c"])
    return {"e": e, "d": d, "L": bump("L", d * v["f"])}


def _karpathy_neuron(v: Mapping[str, Any], bump: Callable[[str, Any], Any]) -> Nodes:
    x1w1 = bump("x1w1", v["x1"] * v["w1"])
    x2w2 = bump("x2w2", v["x2"] * v["w2"])
    x1w1x2w2 = bump("x1w1x2w2", x1w1 + x2w2)
    n = bump("n", x1w1x2w2 + v["b"])
    return {"n": n, "o": bump("o", mpmath.tanh(n))}


def _karpathy_neuron_exp(v: Mapping[str, Any], bump: Callable[[str, Any], Any]) -> Nodes:
    n = bump("n", v["x1"] * v["w1"] + v["x2"] * v["w2"] + v["b"])
    e = bump("e", mpmath.exp(2 * n))
    return {"n": n, "o": bump("o", (e - 1) / (e + 1))}


REFERENCES: dict[str, tuple[Callable[..., Nodes], str, dict[str, float]]] = {
    # name: (function, output node, the author's inputs when the program gives them itself)
    "cs231n_add_mul": (_cs231n_add_mul, "f", {}),
    "cs231n_add_mul_staged": (_cs231n_add_mul, "f", {}),
    "cs231n_neuron_circuit": (_cs231n_neuron, "f", {}),
    "cs231n_neuron_code": (_cs231n_neuron, "f", {}),
    "cs231n_neuron_sigmoid_gate": (_cs231n_neuron, "f", {}),
    "cs231n_staged": (_cs231n_staged, "f", {}),
    "micrograd_readme": (_micrograd_readme, "g", {"a": -4.0, "b": 2.0}),
    "karpathy_first_graph": (
        _karpathy_first,
        "L",
        {"a": 2.0, "b": -3.0, "c": 10.0, "f": -2.0},
    ),
    "karpathy_neuron_tanh": (
        _karpathy_neuron,
        "o",
        {"x1": 2.0, "x2": 0.0, "w1": -3.0, "w2": 1.0, "b": 6.8813735870195432},
    ),
    "karpathy_neuron_exp": (
        _karpathy_neuron_exp,
        "o",
        {"x1": 2.0, "x2": 0.0, "w1": -3.0, "w2": 1.0, "b": 6.8813735870195432},
    ),
}


def _inputs(example: Mapping[str, Any]) -> dict[str, float]:
    return {**REFERENCES[example["name"]][2], **{k: float(v) for k, v in example["values"].items()}}


def reference_value(example: Mapping[str, Any], node: str | None = None) -> Any:
    """The output (or the named node) at the author's inputs, at 50 digits."""
    function, output, _ = REFERENCES[example["name"]]
    inputs = {k: mpmath.mpf(v) for k, v in _inputs(example).items()}
    return function(inputs, lambda _name, value: value)[node or output]


def reference_grad(example: Mapping[str, Any], name: str) -> Any:
    """d(output)/d(name) at 50 digits: an input's partial, or a node's via a bump on it."""
    function, output, _ = REFERENCES[example["name"]]
    inputs = {k: mpmath.mpf(v) for k, v in _inputs(example).items()}
    if name in inputs:

        def of_input(t: Any) -> Any:
            moved = {**inputs, name: inputs[name] + t}
            return function(moved, lambda _n, value: value)[output]

        return mpmath.diff(of_input, 0)

    def of_node(t: Any) -> Any:
        return function(inputs, lambda n, value: value + t if n == name else value)[output]

    return mpmath.diff(of_node, 0)


def close(got: float, want: Any) -> bool:
    return abs(mpmath.mpf(got) - want) <= 1e-12 * max(abs(want), mpmath.mpf(1e-3))


# --- what cgraph says ------------------------------------------------------------------------


def _cgraph_json(example: Mapping[str, Any]) -> dict[str, Any]:
    from cgraph_cli.cli.app import app

    args = ["eval", example["program"], "--json"]
    for name, value in example["values"].items():
        args.append(f"--{name}={value!r}")
    result = CliRunner().invoke(app, args, env=ENV)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _last_node(document: Mapping[str, Any], name: str) -> Mapping[str, Any]:
    """The node a reader means by `name`: the last one so named (a rebinding `g += ...` makes
    g, g′, g′′ in the table; the reader means the final g)."""
    named = [n for n in document["nodes"] if (n.get("name") or "").rstrip("′'") == name]
    assert named, f"no node named {name}: {[n.get('name') for n in document['nodes']]}"
    return named[-1]


def printed(number: float, decimals: int) -> str:
    text = f"{number:.{decimals}f}"
    return "0" if decimals == 0 and text in ("-0", "0") else text.replace("-0.00", "0.00")


IDS = [example["name"] for example in EXAMPLES]


def test_the_corpus_has_every_published_example() -> None:
    assert set(IDS) == set(REFERENCES)
    assert len(IDS) == 10


@pytest.mark.parametrize("example", EXAMPLES, ids=IDS)
def test_the_published_figures_come_out(example: dict[str, Any]) -> None:
    document = _cgraph_json(example)
    decimals = example["decimals"]
    for key, want in example["published"].items():
        kind, name = key.split(".", 1)
        node = _last_node(document, name)
        got = node["value"] if kind == "value" else node["grad"]
        assert printed(got, decimals) == printed(float(want), decimals), (key, got, want)


@pytest.mark.parametrize("example", EXAMPLES, ids=IDS)
def test_every_gradient_matches_mpmath_at_50_digits(example: dict[str, Any]) -> None:
    """Through the CLI: the output's value, every input's gradient, and every named
    intermediate node whose gradient the reference can bump."""
    document = _cgraph_json(example)
    name = REFERENCES[example["name"]][1]
    assert close(document["output"]["value"], reference_value(example)), document["output"]
    assert set(document["gradients"]) == set(_inputs(example))
    for variable, got in document["gradients"].items():
        want = reference_grad(example, variable)
        assert close(got, want), (variable, got, mpmath.nstr(want, 20))
    checked = 0
    for key in example["published"]:
        kind, node_name = key.split(".", 1)
        if kind == "grad" and node_name not in _inputs(example) and node_name != name:
            got = _last_node(document, node_name)["grad"]
            want = reference_grad(example, node_name)
            assert close(got, want), (node_name, got, mpmath.nstr(want, 20))
            checked += 1
    assert checked == sum(
        1
        for key in example["published"]
        if key.startswith("grad.") and key[5:] not in _inputs(example) and key[5:] != name
    )


@pytest.mark.parametrize("example", EXAMPLES, ids=IDS)
def test_the_python_api_agrees(example: dict[str, Any]) -> None:
    result = evaluate(example["program"], {k: float(v) for k, v in example["values"].items()})
    assert close(result.value, reference_value(example))
    for variable, got in result.gradients.items():
        assert close(got, reference_grad(example, variable)), variable


def test_the_cs231n_staged_example_at_50_digits() -> None:
    """The notes print no final numbers for the staged example; these are mpmath's own, and the
    table's named steps each carry their value."""
    example = next(e for e in EXAMPLES if e["name"] == "cs231n_staged")
    document = _cgraph_json(example)
    for step in ("sigy", "num", "sigx", "xpy", "xpysqr", "den", "invden"):
        node = _last_node(document, step)
        function = REFERENCES["cs231n_staged"][0]
        seen: dict[str, Any] = {}

        def keep(name: str, value: Any, seen: dict[str, Any] = seen) -> Any:
            seen[name] = value
            return value

        function({"x": mpmath.mpf(3), "y": mpmath.mpf(-4)}, keep)
        assert close(node["value"], seen[step]), step
        assert close(node["grad"], reference_grad(example, step)), step


@pytest.mark.parametrize(
    "pasted,function",
    [("d += d * 2 + (b + a).relu()", "relu"), ("o = n.tanh()", "tanh"), ("e = (2*n).exp()", "exp")],
)
def test_micrograds_method_calls_pasted_as_they_are_get_a_hint(pasted: str, function: str) -> None:
    """The README's and the video's Python, pasted unchanged: a clear exit 2 that says how to
    write it (the corpus above is the same code in cgraph's notation)."""
    from cgraph_cli.cli.app import app

    result = CliRunner().invoke(app, ["eval", f"a = 1; b = 2; n = 1; d = 1; {pasted}"], env=ENV)
    assert result.exit_code == 2
    assert f"hint: write {function}(...) around the value instead of .{function}()" in result.stderr
