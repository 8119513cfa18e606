"""`eval --json` for big graphs is written straight from the passes' lists: it must be the very
text `json.dumps` makes of the document, whatever the graph holds."""

from __future__ import annotations

import json

import pytest

from cgraph_cli.core.question import run
from cgraph_cli.views import report
from cgraph_cli.views.report import compact_json, evaluation_document, evaluation_json

PROGRAMS = [
    # (program, values): names, unnamed nodes, negative constants, pi, a quote and non-ASCII
    # text in a comment (escaped by json), an undefined local gradient (x^y at a negative
    # base: null for the exponent), a kink note, a fan-out, a constant-only subgraph.
    ("q = x + y; f = q * z", {"x": 2, "y": 3, "z": -4}),
    ('# "weights" é\nf = relu(x) * -2.5 + pi * (3 - 1)', {"x": 0}),
    ("f = x^2 + x*x*x", {"x": -1.5}),
    ("a = x^2\nb = x^3\ny = max(a, b, 1e-300) + tanh(a) / 3", {"x": 0.1}),
]


def big_program(n: int) -> str:
    return "\n".join(["s0 = x * w"] + [f"s{k} = tanh(s{k - 1} + x) * -0.5" for k in range(1, n)])


@pytest.mark.parametrize(("program", "values"), PROGRAMS)
def test_the_fast_writer_writes_what_json_dumps_writes(program: str, values: dict) -> None:
    evaluation = run(program, values)
    want = json.dumps(evaluation_document(evaluation), allow_nan=False, ensure_ascii=False)
    assert compact_json(evaluation, None, {}) == want


def test_exact_forms_and_extra_fields_keep_their_place() -> None:
    evaluation = run("f = x / y + 1", {"x": 1, "y": 3})
    size = len(evaluation.graph)
    exact = (["1/3" if i == 3 else None for i in range(size)], [None, "1/3", "-1/9", None, None])
    extra = {"gradcheck": {"passed": True, "tolerance": 1e-6}}
    document = {**evaluation_document(evaluation, exact), **extra}
    want = json.dumps(document, allow_nan=False, ensure_ascii=False)
    assert compact_json(evaluation, exact, extra) == want
    assert '"value_exact": "1/3"' in want and want.endswith('"tolerance": 1e-06}}')


def test_a_big_graph_takes_the_fast_writer_and_a_small_one_is_indented(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    big = run(big_program(1_200), {"x": 0.5, "w": -1.25})  # 3,602 nodes, past INDENT_LIMIT
    assert len(big.graph) > report.INDENT_LIMIT
    text = evaluation_json(big)
    assert text == json.dumps(evaluation_document(big), allow_nan=False, ensure_ascii=False)
    assert json.loads(text)["gradients"] == pytest.approx(big.gradients)
    small = run("f = x * w", {"x": 0.5, "w": -1.25})
    head = '{\n  "schema_version": 1,\n  "expression": "f = x * w",'
    assert evaluation_json(small).startswith(head)
