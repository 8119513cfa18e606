"""The local gradient of each edge as a teacher writes it on a worksheet: `×z`, `×1`, `×2d`.

Written in terms of the picture's names for the node (`o`) and its arguments (`a`, `b`); an op
missing here is written `∂o/∂a`, which is never wrong, only less helpful.
"""

from __future__ import annotations

from .dot_style import MINUS

# op -> one template per argument; {a} {b} the arguments' names, {o} the node's own name.
TEMPLATES: dict[str, tuple[str, ...]] = {
    "add": ("1", "1"),
    "sub": ("1", f"({MINUS}1)"),
    "mul": ("{b}", "{a}"),
    "div": ("1/{b}", MINUS + "{a}/{b}²"),
    "neg": (f"({MINUS}1)",),
    "exp": ("e^{a}",),
    "log": ("1/{a}",),
    "log2": ("1/({a}·ln 2)",),
    "log10": ("1/({a}·ln 10)",),
    "sqrt": ("1/(2√{a})",),
    "sin": ("cos {a}",),
    "cos": (MINUS + "sin {a}",),
    "tan": ("1+{o}²",),
    "tanh": ("(1" + MINUS + "{o}²)",),
    "sigmoid": ("{o}(1" + MINUS + "{o})",),
    "softplus": ("σ({a})",),
    "relu": ("[{a}>0]",),
    "abs": ("sign {a}",),
    "asin": ("1/√(1" + MINUS + "{a}²)",),
    "acos": (MINUS + "1/√(1" + MINUS + "{a}²)",),
    "atan": ("1/(1+{a}²)",),
    "sinh": ("cosh {a}",),
    "cosh": ("sinh {a}",),
}
ROUTES = {"max", "min"}  # the gradient goes to the winner


def wrap(name: str) -> str:
    """A name safe to write next to another factor: `w0·x0` -> `(w0·x0)`."""
    if name.isidentifier() or name.replace(".", "", 1).isdigit() or name.startswith("("):
        return name
    return f"({name})"


def local_texts(op: str, args: list[str], out: str, constants: dict[int, str]) -> list[str]:
    """`∂out/∂arg` for each argument, written as a factor (`z`, `2d`, `(−1)`).

    `constants` holds the literals of arguments folded into the gate (`x^2`: {1: "2"}).
    """
    if op == "pow":
        return _power(args, out, constants)
    if op in ROUTES:
        return [f"[{a} is the {op}]" for a in args]
    if op == "leaky_relu":
        return ["1 or α", *["…"] * (len(args) - 1)]
    templates = TEMPLATES.get(op)
    if templates is None or len(templates) != len(args):
        return [f"∂{out}/∂{a}" for a in args]
    names = {"a": wrap(args[0]), "b": wrap(args[-1]), "o": wrap(out)}
    return [template.format(**names) for template in templates]


def _power(args: list[str], out: str, constants: dict[int, str]) -> list[str]:
    """`x^2`: `2x`; `x^n`: `n·x^(n−1)` with the number worked out; `b^x`: `out·ln b`."""
    base, exponent = wrap(args[0]), wrap(args[1])
    if 1 in constants:
        text = constants[1].replace(MINUS, "-")
        try:
            n = float(text)
        except ValueError:
            n = None
        if n is not None and n == 2:
            return [f"2{base}", ""]
        if n is not None and n.is_integer():
            less = int(n) - 1
            return [f"{int(n)}{base}^{less}".replace("-", MINUS), ""]
        return [f"{constants[1]}·{base}^({constants[1]}{MINUS}1)", ""]
    return [f"{exponent}·{base}^({exponent}{MINUS}1)", f"{wrap(out)}·ln {base}"]
