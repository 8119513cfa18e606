"""How readable the pictures are on a slide, and how long a big one takes (issue 13).

For each graph, `cgraph render` writes the forward and backward SVGs; each is scaled to fit a
16:9 slide (960 × 540 pt, never enlarged) and the size its smallest text then has is reported,
with the size of the SVG as written (`--fit slide` may have scaled it down already). A 300-node
program is timed end to end. Nothing here is a test: run it by hand
(`.venv/bin/python benchmarks/pictures.py`) and copy the table into the README.

`--cgraph PATH` measures another checkout's command (the "before" column of the README table).
"""

from __future__ import annotations

import argparse
import random
import re
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from pathlib import Path

SLIDE_W, SLIDE_H = 960.0, 540.0  # points: a 16:9 slide at 13.33 × 7.5 in

NEURON = "f = 1/(1+exp(-(w0*x0+w1*x1+w2)))"
NEURON_VALUES = ["--w0", "2", "--x0", "-1", "--w1", "-3", "--x1", "-2", "--w2", "-3"]
MLP = """z1 = w11*x1 + w12*x2 + b1
h1 = tanh(z1)
z2 = w21*x1 + w22*x2 + b2
h2 = tanh(z2)
y = v1*h1 + v2*h2 + c
e = y - t
L = e^2"""
MLP_VALUES = {
    "x1": 1,
    "x2": -2,
    "w11": 0.3,
    "w12": -0.1,
    "w21": 0.8,
    "w22": 0.2,
    "b1": 0.1,
    "b2": -0.3,
    "v1": 0.7,
    "v2": -0.5,
    "c": 0.05,
    "t": 0.5,
}

GRAPHS: list[tuple[str, str, list[str]]] = [
    ("`q = x + y; f = q * z`", "q = x + y; f = q * z", ["--x", "2", "--y", "3", "--z", "-4"]),
    ("CS231n sigmoid neuron", NEURON, NEURON_VALUES),
    (
        "2-2-1 tanh MLP, squared loss",
        MLP,
        [arg for name, value in MLP_VALUES.items() for arg in (f"--{name}", str(value))],
    ),
]


def big_program(nodes: int, seed: int = 0) -> str:
    """A program of about `nodes` nodes: tanh units over 12 inputs, summed (a wide, shallow net)."""
    rng = random.Random(seed)
    inputs = [f"x{i}" for i in range(12)]
    lines, units = [], []
    count = len(inputs)
    while count < nodes - 4:
        a, b = rng.sample(inputs, 2)
        unit = f"u{len(units)}"
        lines.append(f"{unit} = tanh({rng.randint(1, 9)}*{a} - {b}/{rng.randint(2, 9)})")
        units.append(unit)
        count += 7  # const, mul, const, div, sub, tanh, and the add that sums it
    lines.append("L = " + " + ".join(units))
    values = " ".join(f"{name} = {rng.uniform(-1, 1):.3f};" for name in inputs)
    return values + "\n" + "\n".join(lines)


def smallest_text(svg: Path) -> tuple[float, float, float]:
    """(smallest text on the slide in pt, natural width in pt, natural height in pt)."""
    root = ET.parse(svg).getroot()
    width = float(re.sub("pt$", "", root.get("width", "0")))
    height = float(re.sub("pt$", "", root.get("height", "0")))
    scale = 1.0
    for group in root.iter("{http://www.w3.org/2000/svg}g"):
        match = re.search(r"scale\(([\d.]+)", group.get("transform", ""))
        if match:
            scale = float(match.group(1))
            break
    sizes = [
        float(text.get("font-size", "14"))
        for text in root.iter("{http://www.w3.org/2000/svg}text")
        if (text.text or "").strip()
    ]
    fit = min(1.0, SLIDE_W / width, SLIDE_H / height)
    return min(sizes) * scale * fit, width, height


def render(cgraph: str, program: str, values: list[str], prefix: Path) -> float:
    start = time.perf_counter()
    subprocess.run(
        [cgraph, "render", program, *values, "-o", str(prefix), "--force"],
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cgraph", default=str(Path(sys.executable).with_name("cgraph")))
    parser.add_argument("--nodes", type=int, default=300)
    parser.add_argument("--keep", metavar="DIR", help="keep the SVGs in DIR")
    options = parser.parse_args(argv)
    folder = Path(options.keep or tempfile.mkdtemp(prefix="cgraph-pictures-"))
    folder.mkdir(parents=True, exist_ok=True)
    print("| graph | forward | backward |")
    print("|---|---|---|")
    for index, (title, program, values) in enumerate(GRAPHS):
        prefix = folder / f"g{index}"
        render(options.cgraph, program, values, prefix)
        cells = []
        for kind in ("forward", "backward"):
            size, width, height = smallest_text(prefix.with_name(f"g{index}.{kind}.svg"))
            cells.append(f"{size:.1f} pt ({width / 72:.1f} × {height / 72:.1f} in)")
        print(f"| {title} | {cells[0]} | {cells[1]} |")
    source = big_program(options.nodes)
    program_file = folder / "big.cg"
    program_file.write_text(source, encoding="utf-8")
    start = time.perf_counter()
    subprocess.run(
        [options.cgraph, "render", "-f", str(program_file), "-o", str(folder / "big"), "--force"],
        check=True,
        capture_output=True,
    )
    seconds = time.perf_counter() - start
    from cgraph_cli.core.graph import compile_program

    nodes = len(compile_program(source))
    size, width, height = smallest_text(folder / "big.backward.svg")
    print(f"| {nodes}-node program, both pictures | {seconds:.1f} s | {size:.1f} pt |")


if __name__ == "__main__":
    main()
