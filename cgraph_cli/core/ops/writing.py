"""Writing an op applied to written arguments: cgraph text with the parentheses the parser
needs, and LaTeX."""

from __future__ import annotations

from collections.abc import Sequence

from .spec import ATOM, OpSpec, braces


def write(spec: OpSpec, parts: Sequence[tuple[str, int]]) -> tuple[str, int]:
    """The op applied to its arguments in cgraph text, each argument given as (text, binding
    strength); parentheses go where the parser would otherwise group differently. Returns
    the text and its own binding strength."""
    prec = spec.precedence
    if spec.infix is not None:
        (left, lp), (right, rp) = parts
        if lp < prec or (spec.right_associative and lp == prec):
            left = f"({left})"
        if rp < prec or (rp == prec and not spec.right_associative and not spec.associative):
            right = f"({right})"
        return f"{left}{spec.infix}{right}", prec
    if spec.prefix is not None:
        ((arg, ap),) = parts
        return (f"{spec.prefix}{arg}" if ap > prec else f"{spec.prefix}({arg})"), prec
    return f"{spec.name}({', '.join(text for text, _ in parts)})", ATOM


def write_latex(spec: OpSpec, parts: Sequence[str]) -> str:
    """The op applied to LaTeX arguments (already bracketed where they need it)."""
    name = spec.name.replace("_", "\\_")
    template = spec.latex or (braces(rf"\operatorname{{{name}}}") + r"\left({args}\right)")
    return template.format(*parts, args=", ".join(parts))
