"""Draw a graph: forward and backward pictures and step frames, as `graphviz.Digraph` objects
and as SVG/PNG/PDF/DOT files.

The pictures of one program share one layout (dot_layout), say what each node computes
(picture_names), and write the whole function in the caption. This module picks what each
picture shows and writes the files (picture_files). Importing it is light: graphviz, SymPy
and the layout are imported when a picture is drawn.
"""

from __future__ import annotations

import enum
import os
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..core.graph import Graph
from ..core.util import is_folder
from ..errors import GraphvizMissing, OutputError, UsageError
from .dot_style import LABELLED_EDGES_MAX, PICTURE_DIGITS, SIZE_CAPTION, SIZE_EDGE, text_width

if TYPE_CHECKING:
    from ..core.autodiff import Evaluation
    from .dot_layout import Drawing, Reveal
    from .dot_scene import Scene

__all__ = ["PICTURE_DIGITS", "Fit", "Format", "Which", "picture", "picture_dot", "write_pictures"]

MAX_NODES = 300  # beyond these, `dot` can take minutes; --force or --format dot go past them
MAX_EDGES = 600
CAPTION_WIDTH = 100  # characters per caption line
SLIDE_INCHES = "13.333,7.5"  # a 16:9 slide, 960 × 540 pt
SMALL_TEXT = 8.0  # points: smaller text on a slide gets a note suggesting --collapse


class Format(enum.StrEnum):
    """File formats `cgraph render` writes (`dot` is the DOT source itself)."""

    svg = "svg"
    png = "png"
    pdf = "pdf"
    dot = "dot"


class Which(enum.StrEnum):
    """Which pictures to draw."""

    forward = "forward"
    backward = "backward"
    both = "both"


class Fit(enum.StrEnum):
    """How big a picture is: scaled down to a 16:9 slide, or its natural size."""

    slide = "slide"
    none = "none"


# --- what each picture shows ---------------------------------------------------------------


def make_scene(
    graph: Graph,
    evaluation: Evaluation | None,
    *,
    digits: int = PICTURE_DIGITS,
    decimals: int | None = None,
    collapse: tuple[str, ...] = (),
    exact: Any = None,
) -> Scene:
    from .dot_scene import Options, Scene

    return Scene(graph, evaluation, Options(digits, decimals, tuple(collapse)), exact)


def caption(scene: Scene, reveal: Reveal) -> list[str]:
    """The function drawn, then what the colours and edge labels mean."""
    lines = function_caption(scene)
    out = scene.naming.names[scene.output]
    valued = scene.evaluation is not None
    if not valued and not reveal.pending:  # the page's bare structure: it names the pass itself
        return lines
    if not reveal.backward:
        lines.append("forward pass: values in green" if valued else "forward pass")
        return lines
    lines.append(f"backward pass: ∂{out}/∂node in red under each node")
    if len(scene.edges) > LABELLED_EDGES_MAX:
        lines.append(
            f"edge labels left out ({len(scene.edges)} edges): "
            "cgraph eval --local lists every edge's local gradient"
        )
    elif valued:
        lines.append(
            f"on each edge: ∂{out}/∂(right node) × local gradient = what flows back to the left"
        )
    else:
        lines.append("on each edge: × the local gradient")
    if valued:
        states = scene.states()
        if any(state == "cut" for state in states.values()):
            lines.append("grey, dashed: the path is cut here (a dead relu, the loser of a max)")
        if scene.evaluation is not None and any(
            scene.evaluation.grads[i] == 0 and state is None for i, state in states.items()
        ):
            lines.append("a red 0: the gradient reaches the node but is 0 (multiplied by 0)")
        lines += [f"note: {note}" for note in scene.evaluation.notes]  # type: ignore[union-attr]
    return lines


def function_caption(scene: Scene) -> list[str]:
    """`q = x + y;  f = q·z`, wrapped to a few lines (the whole function, not the last step)."""
    steps = scene.naming.function_lines(scene.output)
    if not steps:
        steps = [scene.naming.names[scene.output]]
    text = ";  ".join(steps)
    lines = textwrap.wrap(text, CAPTION_WIDTH, break_long_words=False) or [text]
    return lines[:4] + (["…"] if len(lines) > 4 else [])


def frames(scene: Scene) -> list[Reveal]:
    """Lecture frames: forward one gate at a time, then backward one edge at a time."""
    from .dot_layout import Reveal

    known = {i for i in scene.visible if not scene.graph.nodes[i].inputs}
    gates = [i for i in scene.visible if scene.graph.nodes[i].inputs]
    gates.sort()
    out = [Reveal(values=set(known), pending=True, title="forward: the inputs")]
    for index in gates:
        known.add(index)
        out.append(
            Reveal(
                values=set(known),
                pending=True,
                node=index,
                title=f"forward: {scene.naming.names[index]}",
            )
        )
    order = sorted(range(len(scene.edges)), key=lambda e: (-scene.edges[e].head, e))
    remaining = {i: len(scene.out_edges(i)) for i in scene.visible}
    grads = {scene.output}
    done: set[int] = set()
    for number in order:
        edge = scene.edges[number]
        done.add(number)
        remaining[edge.tail] -= 1
        if remaining[edge.tail] == 0:
            grads.add(edge.tail)
        out.append(
            Reveal(
                values=set(known),
                grads=set(grads),
                edges=set(done),
                backward=True,
                pending=True,
                edge=number,
                title=f"backward: {scene.naming.names[edge.head]} → "
                f"{scene.naming.names[edge.tail]}",
            )
        )
    return out


def picture(
    which: str,
    graph: Graph,
    evaluation: Evaluation | None = None,
    *,
    digits: int = PICTURE_DIGITS,
    decimals: int | None = None,
    collapse: tuple[str, ...] = (),
    exact: Any = None,
    fit: Fit | str = Fit.slide,
    marks: bool = True,
) -> Any:
    """The `forward` or `backward` picture as a graphviz.Digraph.

    Without an evaluation it is a worksheet: `?` where a number goes (unless `marks` is off,
    as for the page, which writes its own numbers in).
    """
    from .dot_layout import everything

    scene = make_scene(
        graph, evaluation, digits=digits, decimals=decimals, collapse=collapse, exact=exact
    )
    reveal = everything(scene, which == "backward")
    reveal.pending = reveal.pending and marks
    return draw(scene, drawing(scene), reveal, fit)


def drawing(scene: Scene) -> Drawing:
    from .dot_layout import Drawing

    return Drawing(scene)


def draw(scene: Scene, art: Drawing, which: str | Reveal, fit: Fit | str = Fit.slide) -> Any:
    from .dot_layout import Reveal, everything

    reveal = which if isinstance(which, Reveal) else everything(scene, which == "backward")
    lines = caption(scene, reveal)
    if reveal.node is not None or reveal.edge is not None:
        lines.insert(0, f"step: {reveal.title}")
    name = "backward" if reveal.backward else "forward"
    digraph = art.digraph(reveal, lines, name, caption_room(scene))
    if Fit(fit) is Fit.slide:
        digraph.graph_attr["size"] = SLIDE_INCHES
    return digraph


def caption_room(scene: Scene) -> list[str]:
    """Every caption line a view of this scene may show, as many lines as the longest caption
    (a step frame's adds one), so all views share the caption's size and the nodes' places."""
    from .dot_layout import everything

    forward = caption(scene, everything(scene, False))
    backward = caption(scene, everything(scene, True))
    longest = max(scene.naming.names, key=len, default="")
    step = f"step: backward: {longest} → {longest}"
    rows = max(len(forward), len(backward)) + 1
    texts = [*forward, *backward, step]
    widest = max(texts, key=lambda text: text_width(text, SIZE_CAPTION))
    return [widest] * rows


def picture_dot(
    which: str, graph: Graph, evaluation: Evaluation | None = None, **options: Any
) -> str:
    """The DOT source of a picture (deterministic: the same program gives the same bytes)."""
    return str(picture(which, graph, evaluation, **options).source)


# --- files ---------------------------------------------------------------------------------


def output_paths(
    prefix: str | os.PathLike[str], which: Which | str, fmt: Format | str
) -> dict[str, Path]:
    """`out/graph` -> {"forward": out/graph.forward.svg, ...}; `out/graph.svg` means the same.

    A prefix that is a folder is refused: `-o out/` would write files named `.forward.svg`.
    """
    which, fmt = Which(which), Format(fmt)
    path = base_path(prefix, fmt)
    kinds = ["forward", "backward"] if which is Which.both else [which.value]
    return {kind: path.with_name(f"{path.name}.{kind}.{fmt.value}") for kind in kinds}


def base_path(prefix: str | os.PathLike[str], fmt: Format) -> Path:
    path = Path(prefix)
    if str(prefix).endswith(("/", os.sep)) or is_folder(path):
        raise OutputError(
            f"{prefix} is a folder; -o takes a file prefix",
            f"for example -o {path / 'graph'} writes {path / 'graph'}.forward.{fmt.value}",
        )
    if path.suffix.lower() in {f".{f.value}" for f in Format}:
        path = path.with_suffix("")
    return path


def check_size(graph: Graph, fmt: Format | str, force: bool) -> None:
    """Refuse to hand `dot` a graph so big it would seem to hang, unless asked to."""
    edges = sum(len(node.inputs) for node in graph.nodes)
    if force or Format(fmt) is Format.dot or (len(graph) <= MAX_NODES and edges <= MAX_EDGES):
        return
    what = f"{len(graph):,} nodes" if len(graph) > MAX_NODES else f"{edges:,} edges"
    raise UsageError(
        f"the graph has {what}; drawing more than {MAX_NODES} nodes or {MAX_EDGES} edges can "
        "take Graphviz minutes and gives an unreadable picture",
        "add --force to draw it anyway (cgraph render ... --force), --collapse STEP to draw "
        "named steps as one gate, or --format dot to write the DOT source only",
    )


def write_pictures(
    graph: Graph,
    evaluation: Evaluation | None,
    prefix: str | os.PathLike[str],
    *,
    fmt: Format | str = Format.svg,
    which: Which | str = Which.both,
    force: bool = False,
    digits: int = PICTURE_DIGITS,
    decimals: int | None = None,
    collapse: tuple[str, ...] = (),
    exact: Any = None,
    fit: Fit | str = Fit.slide,
    steps: bool = False,
    notes: list[str] | None = None,
    timeout: float | None = None,
) -> list[Path]:
    """Draw the pictures and write them together (all or none); the paths written, in order.

    `steps` writes numbered frames (PREFIX.step-01.svg, ...) instead of the two pictures.
    Without `dot` on PATH the DOT source is written instead and GraphvizMissing (exit 4) says
    which files hold it. `notes` receives remarks for the user (a PNG drawn at a lower dpi).
    """
    from .picture_files import DOT_TIMEOUT, prepare_folder, write_all

    fmt = Format(fmt)
    check_size(graph, fmt, force)
    scene = make_scene(
        graph, evaluation, digits=digits, decimals=decimals, collapse=collapse, exact=exact
    )
    art = drawing(scene)
    stale: tuple[Path, ...] = ()
    if steps:
        if evaluation is None:
            raise UsageError("--steps needs values", "give values as --x 2 to draw step frames")
        base = base_path(prefix, fmt)
        reveals = frames(scene)
        width = max(2, len(str(len(reveals))))
        paths = {
            f"step-{n:0{width}d}": base.with_name(f"{base.name}.step-{n:0{width}d}.{fmt.value}")
            for n in range(1, len(reveals) + 1)
        }
        sources = {
            key: draw(scene, art, reveal, fit).source
            for key, reveal in zip(paths, reveals, strict=True)
        }
        wanted = set(paths.values())
        stale = tuple(
            p for p in base.parent.glob(f"{base.name}.step-*.{fmt.value}") if p not in wanted
        )
    else:
        paths = output_paths(prefix, which, fmt)
        sources = {kind: draw(scene, art, kind, fit).source for kind in paths}
    for path in paths.values():
        prepare_folder(path)
    if fmt is Format.dot:
        write_all({paths[k]: sources[k].encode("utf-8") for k in paths}, stale)
        return list(paths.values())
    try:
        data = {paths[k]: render(sources[k], fmt, timeout or DOT_TIMEOUT, notes) for k in paths}
    except GraphvizMissing as error:
        written = {paths[k].with_suffix(".dot"): sources[k].encode("utf-8") for k in paths}
        write_all(written)
        first = next(iter(written))
        raise GraphvizMissing(
            f"Graphviz's `dot` program was not found on PATH, so no {fmt.value.upper()} was "
            f"drawn; the DOT source is in {', '.join(str(p) for p in written)}",
            f"{error.hint}; or convert by hand: dot -T{fmt.value} {first} -o "
            f"{paths[next(iter(paths))]}",
        ) from None
    write_all(data, stale)
    return list(paths.values())


def render_all(
    sources: dict[Path, str], fmt: Format, timeout: float, notes: list[str] | None
) -> dict[Path, bytes]:
    """Every picture's bytes, two `dot` processes at a time (the pair takes the time of one)."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = {
            path: pool.submit(render, source, fmt, timeout, notes)
            for path, source in sources.items()
        }
        return {path: future.result() for path, future in futures.items()}


def render(source: str, fmt: Format, timeout: float, notes: list[str] | None) -> bytes:
    """One picture's bytes; a PNG too big for memory is drawn at a lower resolution."""
    from .picture_files import MAX_PNG_PIXELS, PNG_DPI, png_dpi, run_dot

    if fmt is Format.png:
        svg = run_dot(source, "svg", timeout)
        dpi = png_dpi(svg)
        if dpi < PNG_DPI:
            note(
                notes,
                f"the PNG is drawn at {dpi} dpi (not {PNG_DPI}) to stay under "
                f"{MAX_PNG_PIXELS // 1_000_000} megapixels; --format svg keeps every detail",
            )
        data = run_dot(source, "png", timeout, dpi)
    else:
        data = svg = run_dot(source, fmt.value, timeout)
    if fmt in (Format.svg, Format.png):
        shrunk = svg_scale(svg)
        if SIZE_EDGE * shrunk < SMALL_TEXT:
            note(
                notes,
                f"fitted to a slide, the smallest text is {SIZE_EDGE * shrunk:.1f} pt; "
                "--collapse STEP,... draws named steps as one gate, --fit none keeps the full size",
            )
    return data


def svg_scale(svg: bytes) -> float:
    """How much `--fit slide` shrank the picture (1 when it did not)."""
    import re

    found = re.search(rb"scale\(([\d.]+)", svg[:4000])
    return float(found.group(1)) if found else 1.0


def note(notes: list[str] | None, message: str) -> None:
    if notes is not None and message not in notes:
        notes.append(message)
