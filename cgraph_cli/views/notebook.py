"""An Evaluation that draws itself: `to_graphviz()` and the pictures inline in Jupyter.

`cgraph_cli.evaluate` returns a `Shown` (an `Evaluation` with these methods), so in a notebook

>>> from cgraph_cli import evaluate
>>> result = evaluate("q = x + y; f = q * z", x=2, y=3, z=-4)
>>> type(result.to_graphviz()).__name__
'Digraph'

and `result` on its own line shows the backward picture with the node table under it, the way
micrograd's `draw_dot` and torchviz's `make_dot` return a `graphviz.Digraph` that draws itself.
"""

from __future__ import annotations

import html
from dataclasses import fields
from functools import cached_property
from typing import Any

from ..core.autodiff import Evaluation
from ..core.graph import CONST
from ..errors import CgraphError
from .dot_style import number
from .picture_names import Naming

NOTEBOOK_MAX_NODES = 300  # bigger graphs show the table only (a picture would be unreadable)
NOTEBOOK_TIMEOUT = 20.0  # seconds for dot in a notebook cell


class Shown(Evaluation):
    """An Evaluation with pictures: `to_graphviz`, and rich display in Jupyter."""

    @classmethod
    def of(cls, evaluation: Evaluation) -> Shown:
        return cls(**{f.name: getattr(evaluation, f.name) for f in fields(evaluation)})

    def to_graphviz(self, which: str = "backward", **options: Any) -> Any:
        """The `forward` or `backward` picture as a `graphviz.Digraph` (options as in
        `cgraph render`: digits, decimals, collapse, fit)."""
        from .pictures import picture

        if which not in ("forward", "backward"):
            raise CgraphError(f"which must be 'forward' or 'backward', not {which!r}")
        return picture(which, self.graph, self, **options)

    @cached_property
    def _svg(self) -> str | None:
        from .picture_files import run_dot

        if len(self.graph) > NOTEBOOK_MAX_NODES:
            return None
        try:
            source = self.to_graphviz("backward", fit="none").source
            return run_dot(source, "svg", NOTEBOOK_TIMEOUT).decode("utf-8")
        except CgraphError:
            return None  # no dot, or it failed: the table still shows

    def _repr_svg_(self) -> str | None:
        """The backward picture as SVG, or None when it cannot be drawn here."""
        return self._svg

    def _repr_html_(self) -> str:
        """The backward picture (inline SVG) over the node table."""
        svg = self._svg
        picture = f"<div>{svg[svg.find('<svg') :]}</div>" if svg else ""
        return picture + html_table(self)

    def _repr_mimebundle_(
        self, include: Any = None, exclude: Any = None, **kwargs: Any
    ) -> dict[str, str]:
        bundle = {"text/plain": repr_text(self), "text/html": self._repr_html_()}
        svg = self._repr_svg_()
        if svg:
            bundle["image/svg+xml"] = svg
        return bundle

    def __repr__(self) -> str:
        return repr_text(self)


def repr_text(evaluation: Evaluation) -> str:
    out = evaluation.graph.output_name(evaluation.output)
    grads = ", ".join(f"{k}={v:g}" for k, v in list(evaluation.gradients.items())[:8])
    more = ", ..." if len(evaluation.gradients) > 8 else ""
    return f"<Evaluation {out} = {evaluation.value:g}; gradients {grads}{more}>"


def html_table(evaluation: Evaluation, digits: int = 6) -> str:
    """The node table as HTML: the same names as the pictures, a constant's gradient as —."""
    graph = evaluation.graph
    names = Naming(graph).names
    out = html.escape(graph.output_name(evaluation.output))
    rows = []
    for index, node in enumerate(graph.nodes):
        grad = "—" if node.op == CONST else number(evaluation.grads[index], digits)
        cells = [names[index], node.op, number(evaluation.values[index], digits), grad]
        rows.append("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in cells) + "</tr>")
    head = f"<tr><th>node</th><th>op</th><th>value</th><th>∂{out}/∂node</th></tr>"
    return f"<table>{head}{''.join(rows)}</table>"
