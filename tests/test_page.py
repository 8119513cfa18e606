"""`cgraph page` without a browser: the steps, paths and quiz blanks it computes, the file it
writes (self-contained, answers out of sight in quiz mode), and its errors."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cgraph_cli.cli.app import app
from cgraph_cli.core.question import run
from cgraph_cli.views.page import decode, encode, html_page, page_data

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
ENV = {"COLUMNS": "160", "NO_COLOR": "1"}
ROW_3 = "z = w * x; y = z + b; d = y - t; L = d^2"
ROW_3_VALUES = {"x": 2.0, "w": 3.0, "b": 1.0, "t": 5.0}


def cgraph(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args), env=ENV)
    return result.exit_code, result.output


def data(source: str = ROW_3, values: dict[str, float] | None = None, **options: object) -> dict:
    return page_data(run(source, ROW_3_VALUES if values is None else values), **options)  # type: ignore[arg-type]


def test_row_3_steps_are_the_seed_figure() -> None:
    steps = data()["steps"]
    assert [s["title"] for s in steps] == [
        "Inputs",
        "Forward: z",
        "Forward: y",
        "Forward: d",
        "Forward: L",
        "Backward: ∂L/∂L",
        "Backward: ∂L/∂d through L",
        "Backward: ∂L/∂y through d",
        "Backward: ∂L/∂t through d",
        "Backward: ∂L/∂z through y",
        "Backward: ∂L/∂b through y",
        "Backward: ∂L/∂w through z",
        "Backward: ∂L/∂x through z",
    ]
    assert steps[0]["text"] == "Start from the inputs: w = 3, x = 2, b = 1, t = 5."
    assert [s["chain"] for s in steps[1:5]] == [
        "z = w * x = 6",
        "y = z + b = 7",
        "d = y - t = 2",
        "L = d^2 = 4",
    ]
    assert [s["text"] for s in steps[6:]] == [
        "∂L/∂d = ∂L/∂L · ∂L/∂d = (1)(4) = 4",
        "∂L/∂y = ∂L/∂d · ∂d/∂y = (4)(1) = 4",
        "∂L/∂t = ∂L/∂d · ∂d/∂t = (4)(-1) = -4",
        "∂L/∂z = ∂L/∂y · ∂y/∂z = (4)(1) = 4",
        "∂L/∂b = ∂L/∂y · ∂y/∂b = (4)(1) = 4",
        "∂L/∂w = ∂L/∂z · ∂z/∂w = (4)(2) = 8",
        "∂L/∂x = ∂L/∂z · ∂z/∂x = (4)(3) = 12",
    ]
    assert steps[6]["local"] == "∂L/∂d = 2*d = 4"
    assert steps[11]["gate"].startswith("multiply swaps")
    assert steps[7]["gate"].startswith("subtract distributes")


def test_the_chain_line_is_the_one_explain_prints() -> None:
    code, output = cgraph("explain", ROW_3, "--x", "2", "--w", "3", "--b", "1", "--t", "5")
    assert code == 0, output
    chains = {s["chain"] for s in data()["steps"]}
    backward = output.split("Backward pass")[1].split("\n\n")[0].strip().split("\n")[1:]
    assert {line.strip() for line in backward} <= chains


def test_fan_out_adds_path_by_path() -> None:
    steps = data("a = x^2; b = x^3; y = a + b", {"x": 3.0})["steps"]
    into_x = [s for s in steps if s["kind"] == "edge" and s["nodes"] == [0]]
    assert [s["text"] for s in into_x] == [
        "∂y/∂x = ∂y/∂a · ∂a/∂x = (1)(6) = 6 (path 1 of 2: ∂y/∂x is now 6)",
        "∂y/∂x += ∂y/∂b · ∂b/∂x = (1)(27) = 27 (path 2 of 2: ∂y/∂x is now 33)",
    ]
    assert [s["grads"] for s in into_x] == [[[0, "6", False]], [[0, "33", True]]]
    assert "a fan-out accumulates" in into_x[0]["gate"]


def test_a_square_uses_both_copies_of_its_edge() -> None:
    document = data("f = x*x", {"x": 3.0})
    edges = [s["edge"] for s in document["steps"] if s["kind"] == "edge"]
    assert [document["edges"][e]["copy"] for e in edges] == [0, 1]
    assert document["paths"][0]["count"] == 2
    assert document["paths"][0]["total"] == "∂f/∂x = 2·x = 6"


def test_sum_over_paths_for_each_input() -> None:
    paths = {
        p["input"]: p
        for p in data("d = a + b; e = b - c; Y = d * e", {"a": 2, "b": 1, "c": 0})["paths"]
    }
    assert [path["text"] for path in paths["b"]["paths"]] == [
        "∂Y/∂d·∂d/∂b = (1)(1) = 1",
        "∂Y/∂e·∂e/∂b = (3)(1) = 3",
    ]
    assert [path["nodes"] for path in paths["b"]["paths"]] == [["Y", "d", "b"], ["Y", "e", "b"]]
    assert paths["b"]["total"] == "∂Y/∂b = d + e = 4"
    assert paths["c"]["total"] == "∂Y/∂c = -d = -3"


def test_paths_past_the_limit_are_counted_not_listed() -> None:
    # each doubling step doubles the number of paths: 2^10 = 1024 paths from f to x
    source = "a0 = x; " + "; ".join(f"a{i} = a{i - 1} + a{i - 1}" for i in range(1, 11))
    document = data(source, {"x": 1.0})
    only = document["paths"][0]
    assert only["count"] == 1024 and len(only["paths"]) == 48
    assert only["total"].endswith(" = 1024")


def test_quiz_blanks_and_reasons() -> None:
    blanks = data(quiz=True)["blanks"]
    assert [(b["what"], b["shown"]) for b in blanks] == [
        ("value", "6"), ("value", "7"), ("value", "2"), ("value", "4"),
        ("grad", "4"), ("grad", "4"), ("grad", "-4"), ("grad", "4"), ("grad", "4"),
        ("grad", "8"), ("grad", "12"),
    ]  # fmt: skip
    w = blanks[9]
    assert w["mistakes"] == [
        [-8.0, "the sign is wrong"],
        [4.0, "that is the upstream gradient ∂L/∂z alone: multiply it by the local gradient ∂z/∂w"],
        [2.0, "that is the local gradient ∂z/∂w alone: multiply it by the upstream gradient ∂L/∂z"],
        [12.0, "at a multiply the local gradient is the other input's value, not w's own: a "
         "multiply swaps"],
    ]  # fmt: skip
    fan = data("a = x^2; b = x^3; y = a + b", {"x": 3.0}, quiz=True)["blanks"][-1]
    assert [m[0] for m in fan["mistakes"]] == [-33.0, 2.0, 27.0, 6.0, 162.0]
    three = data("y = x*a + x*b + x*c", {"x": 1.0, "a": 2.0, "b": 3.0, "c": 4.0}, quiz=True)
    x_blank = next(b for b in three["blanks"] if b["what"] == "grad" and b["node"] == 0)
    reasons = {m[0]: m[1] for m in x_blank["mistakes"]}
    assert (
        reasons[2.0] == "x fans out to 3 places and the gradients of all of them add up: "
        "2 of the 3 paths are missing"
    )
    assert (
        reasons[7.0] == "x fans out to 3 places and the gradients of all of them add up: "
        "1 of the 3 paths is missing"
    )
    assert reasons[24.0] == "x fans out: the paths' gradients are added, not multiplied"
    value = data("d = y - t", {"y": 7.0, "t": 5.0}, quiz=True)["blanks"][0]
    assert value["mistakes"] == [[-2.0, "the sign is wrong"]]  # y - t reversed is the sign


def test_encoding_is_reversible_and_hides_the_json() -> None:
    document = data(quiz=True)
    text = encode(document)
    assert decode(text) == document
    assert "grad" not in text and "∂" not in text


def test_quiz_file_has_no_answer_in_plain_sight(tmp_path: Path) -> None:
    plain, quiz = tmp_path / "plain.html", tmp_path / "quiz.html"
    source = "f = sin(x^2) * y"
    for path, extra in ((plain, []), (quiz, ["--quiz"])):
        code, output = cgraph("page", source, "--x", "1.5", "--y", "3", "-o", str(path), *extra)
        assert code == 0, output
    # f = 2.334, ∂f/∂x = -5.654, ∂f/∂y = 0.7781: in the plain page, nowhere in the quiz
    for number in ("2.334", "-5.654", "0.7781", "0.778073196887921"):
        assert number in plain.read_text() or number == "0.778073196887921"
        assert number not in quiz.read_text()
    assert '"steps"' in plain.read_text() and '"steps"' not in quiz.read_text()


def test_the_page_is_self_contained(tmp_path: Path) -> None:
    out = tmp_path / "deep" / "page.html"
    code, output = cgraph("page", "-f", str(SAMPLES / "mlp_loss.cg"), "-o", str(out))
    assert code == 0, output
    assert output == f"wrote {out}: 17 steps forward, 30 backward\n"
    text = out.read_text()
    assert text.startswith("<!DOCTYPE html>") and text.rstrip().endswith("</html>")
    assert "/*@" not in text  # every placeholder filled
    assert text.count("<svg") == 1 and "<?xml" not in text and "<!DOCTYPE svg" not in text
    assert not re.search(r"""(src|href|url)\s*[=(]\s*["']?(https?:)?//""", text)
    assert "<link" not in text and "@import" not in text
    assert "default-src 'none'" in text  # the page may not fetch anything


def test_the_picture_does_not_name_a_pass(tmp_path: Path) -> None:
    """One picture serves forward and backward steps, and the page says which pass it is in:
    a caption saying "forward pass" stayed on screen through the backward steps."""
    out = tmp_path / "page.html"
    code, output = cgraph(
        "page", ROW_3, "--x", "2", "--w", "3", "--b", "1", "--t", "5", "-o", str(out)
    )
    assert code == 0, output
    svg = out.read_text().split("<svg", 1)[1].split("</svg>", 1)[0]
    assert "z = w·x; &#160;y = z + b; &#160;d = y − t; &#160;L = d^2</text>" in svg  # the function
    assert "forward pass" not in svg and "backward pass" not in svg


def test_quiz_output_line(tmp_path: Path) -> None:
    code, output = cgraph(
        "page", ROW_3, "--at", "x=2,w=3,b=1,t=5", "--quiz", "-o", str(tmp_path / "q.html")
    )
    assert code == 0, output
    assert output.endswith(": 5 steps forward, 8 backward, 11 blanks to fill in\n")


def test_data_in_the_page_cannot_close_its_script() -> None:
    document = data()
    document["program"] = "</script><script>alert(1)</script>"
    page = html_page(document, "<svg></svg>")
    assert page.count("</script>") == 2  # the data's and the script's own


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["page", "x +", "-o", "p.html"], 2, "error: the expression ends after '+'"),
        (["page", "x*y", "--x", "1", "-o", "p.html"], 2, "error: missing value for y"),
        (["page", "log(x)", "--x", "-1", "-o", "p.html"], 3, "error: math domain error"),
        (
            ["page", "x", "--x", "1", "-o", "."],
            2,
            "error: . is a folder; -o takes the page's file name",
        ),
        (["page", "x", "--x", "1"], 2, "Missing option '-o'"),
    ],
)
def test_errors(
    args: list[str], code: int, message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    got, output = cgraph(*args)
    assert got == code, output
    assert message in output


def test_a_program_too_long_to_step_through_is_refused_before_drawing(tmp_path: Path) -> None:
    program = "; ".join(["s0 = sin(x)"] + [f"s{k} = s{k - 1} * x + s{k - 1}" for k in range(1, 51)])
    code, output = cgraph("page", program, "--x", "0.5", "-o", str(tmp_path / "p.html"))
    assert code == 2, output
    assert "the program has 101 operations; a page steps through at most 100" in output
    assert not (tmp_path / "p.html").exists()
