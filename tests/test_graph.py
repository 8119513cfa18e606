"""The graph mirrors the text: one node per operation written, inputs first, stable ids, names.

`shape(graph)` lists each node as `id op name <- argument ids`, so a test reads like the graph
a student would draw.
"""

from __future__ import annotations

import pytest

from cgraph_cli.core.graph import CONST, INPUT, Graph, compile_program


def shape(graph: Graph) -> list[str]:
    """`n3 add q <- n0 n1`: id, op, name (or '-') and the ids of the arguments, in order."""
    rows = []
    for node in graph.nodes:
        args = " ".join(graph.nodes[a].id for a in node.inputs)
        label = node.name or (node.text if node.op == CONST else "-")
        rows.append(f"{node.id} {node.op} {label}" + (f" <- {args}" if args else ""))
    return rows


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("x - y", ["n0 input x", "n1 input y", "n2 sub f <- n0 n1"]),
        ("x / y", ["n0 input x", "n1 input y", "n2 div f <- n0 n1"]),
        ("-x", ["n0 input x", "n1 neg f <- n0"]),
        ("x^2", ["n0 input x", "n1 const 2", "n2 pow f <- n0 n1"]),
        ("x**y", ["n0 input x", "n1 input y", "n2 pow f <- n0 n1"]),
        ("x - -y", ["n0 input x", "n1 input y", "n2 neg - <- n1", "n3 sub f <- n0 n2"]),
        ("-x^2", ["n0 input x", "n1 const 2", "n2 pow - <- n0 n1", "n3 neg f <- n2"]),
        (
            "a-b-c",
            ["n0 input a", "n1 input b", "n2 input c", "n3 sub - <- n0 n1", "n4 sub f <- n3 n2"],
        ),
        (
            "(a+b)*(b-c)",
            [
                "n0 input a",
                "n1 input b",
                "n2 input c",
                "n3 add - <- n0 n1",
                "n4 sub - <- n1 n2",
                "n5 mul f <- n3 n4",
            ],
        ),
        ("x*x", ["n0 input x", "n1 mul f <- n0 n0"]),
        (
            "x*2 + 2",
            ["n0 input x", "n1 const 2", "n2 mul - <- n0 n1", "n3 const 2", "n4 add f <- n2 n3"],
        ),  # each literal is its own constant node
        ("2x", ["n0 input x", "n1 const 2", "n2 mul f <- n1 n0"]),
        ("max(x, y, z)", ["n0 input x", "n1 input y", "n2 input z", "n3 max f <- n0 n1 n2"]),
        (
            "sin(x) + cos(x)",
            ["n0 input x", "n1 sin - <- n0", "n2 cos - <- n0", "n3 add f <- n1 n2"],
        ),
        ("pi*x", ["n0 input x", "n1 const pi", "n2 mul f <- n1 n0"]),
        ("ln(x)", ["n0 input x", "n1 log f <- n0"]),
    ],
)
def test_structure_mirrors_the_text(source: str, expected: list[str]) -> None:
    assert shape(compile_program(source)) == expected


def test_named_steps_name_their_nodes() -> None:
    graph = compile_program("q = x + y; f = q * z")
    assert shape(graph) == [
        "n0 input x",
        "n1 input y",
        "n2 input z",
        "n3 add q <- n0 n1",
        "n4 mul f <- n3 n2",
    ]
    assert graph.output == 4
    assert graph.names == {"x": 0, "y": 1, "z": 2, "q": 3, "f": 4}
    assert graph.texts == ["x", "y", "z", "x + y", "q * z"]


def test_a_name_used_twice_is_one_node_with_two_out_edges() -> None:
    graph = compile_program("d = a + b; e = b - c; Y = d * e")
    b = graph.names["b"]
    assert [graph.nodes[i].name for i in graph.consumers[b]] == ["d", "e"]
    assert [node.name for node in graph.nodes if node.op == INPUT] == ["a", "b", "c"]
    assert len(graph.nodes) == 6


def test_a_step_used_by_three_steps_fans_out_three_times() -> None:
    graph = compile_program("s = x + 1; a = s * 2; b = s^2; c = sin(s); f = a + b + c")
    assert [graph.nodes[i].name for i in graph.consumers[graph.names["s"]]] == ["a", "b", "c"]


def test_inputs_come_first_in_order_of_first_appearance() -> None:
    graph = compile_program("q = z * 2; r = q + y; f = r - x + z")
    assert graph.input_names == ("z", "y", "x")
    kinds = [node.op == INPUT for node in graph.nodes]
    assert kinds == sorted(kinds, reverse=True)  # all inputs, then everything else


def test_topological_order_every_argument_comes_before_its_user() -> None:
    graph = compile_program("a = x*y; b = a + sin(x); c = b / (1 + y^2); f = max(a, b, c)")
    for index, node in enumerate(graph.nodes):
        assert node.id == f"n{index}"
        assert all(arg < index for arg in node.inputs), shape(graph)


def test_ids_are_stable() -> None:
    source = "z = w * x; y = z + b; d = y - t; L = d^2"
    first, second = compile_program(source), compile_program(source)
    assert (
        shape(first)
        == shape(second)
        == [
            "n0 input w",
            "n1 input x",
            "n2 input b",
            "n3 input t",
            "n4 mul z <- n0 n1",
            "n5 add y <- n4 n2",
            "n6 sub d <- n5 n3",
            "n7 const 2",
            "n8 pow L <- n6 n7",
        ]
    )


def test_steps_appended_later_keep_the_ids_of_existing_ops() -> None:
    """Adding a step that uses no new input leaves the ids of every existing node alone."""
    before = shape(compile_program("q = x + y; f = q * z"))
    after = shape(compile_program("q = x + y; f = q * z; g = f + q"))
    assert after[: len(before)] == before
    assert after[len(before) :] == ["n5 add g <- n4 n3"]


def test_number_lines_are_inputs_with_defaults() -> None:
    graph = compile_program("x = 2\ny = -4\nw = .5\nf = w*x + y")
    assert graph.defaults == {"x": 2.0, "y": -4.0, "w": 0.5}
    assert graph.input_names == ("x", "y", "w")
    assert all(graph.nodes[graph.names[n]].op == INPUT for n in ("x", "y", "w"))
    assert not [node for node in graph.nodes if node.op == CONST]  # defaults are not constants


def test_a_default_can_mix_with_inputs_without_one() -> None:
    graph = compile_program("x = 2; f = x * y")
    assert graph.defaults == {"x": 2.0}
    assert graph.input_names == ("x", "y")


def test_a_program_of_only_a_default_outputs_that_input() -> None:
    graph = compile_program("x = 2")
    assert shape(graph) == ["n0 input x"]
    assert graph.output == 0


@pytest.mark.parametrize(
    ("source", "name"),
    [
        ("(x+y)*z", "f"),
        ("q = x + y; q * z", "f"),
        ("f * x", "out"),  # f is taken by an input
        ("f = x + 1; out = f * 2; f + out", "output"),
    ],
)
def test_the_unnamed_output_gets_a_name(source: str, name: str) -> None:
    graph = compile_program(source)
    assert graph.nodes[graph.output].name == name
    assert graph.names[name] == graph.output
    assert graph.output == len(graph.nodes) - 1


def test_a_named_output_keeps_its_name() -> None:
    graph = compile_program("a = x + y; z = a * w")
    assert graph.nodes[graph.output].name == "z"
    assert "f" not in graph.names


def test_a_step_that_renames_a_variable_adds_no_node() -> None:
    graph = compile_program("q = x; f = q * 2")
    assert shape(graph) == ["n0 input x", "n1 const 2", "n2 mul f <- n0 n1"]
    assert graph.names["q"] == graph.names["x"] == 0


def test_index_of_accepts_names_and_ids_and_suggests_near_names() -> None:
    from cgraph_cli.errors import UsageError

    graph = compile_program("q = x + y; f = q * z")
    assert graph.index_of("q") == 3
    assert graph.index_of("n4") == 4
    with pytest.raises(UsageError) as caught:
        graph.index_of("qq")
    assert caught.value.message == "the program has no step or variable named `qq`"
    assert caught.value.hint == "did you mean `q`?"


def test_constant_subgraphs_do_not_vary() -> None:
    graph = compile_program("f = x * (2 + 3)")
    assert shape(graph) == [
        "n0 input x",
        "n1 const 2",
        "n2 const 3",
        "n3 add - <- n1 n2",
        "n4 mul f <- n0 n3",
    ]
    assert graph.varying == [True, False, False, False, True]
