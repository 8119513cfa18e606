"""The question every command and the Python API asks, posed by one set of rules: a program,
values, an output, a point, and the variables to differentiate by.

The values: the program's own `x = 2` lines are defaults; a `--values` file overrides them;
`--at "x=2,y=3"` and `--x 2` override both (one name in both is an error). Reading them is
`reading.py`'s job.

The point rule (`point`): a value given anywhere -- on the command line, in a values file, or
as the program's own default (`x = 2`) -- asks for a point, and then every input needs a value:
`x = 2; f = x*y` without a value for y is "missing value for y" in every command. No value
anywhere is no point: `eval` and `page` need one (the same missing-value error), `diff` and
`explain` answer in symbols, `render` draws the structure, `check` proves the answer
symbolically. A program without inputs always has its (empty) point.

The wrt rule (`wrt_nodes`, `higher_sequence`): `wrt` names inputs or named steps, comma-separated
(`x,q`) or, in Python, as a list. Not given (or blank, as an empty cell of a problem file) means
every input for `diff` and the only input for a check of one derivative. An empty name (`x,,y`)
is an error, and so is a constant's id. Higher derivatives are taken by inputs only; a list is
differentiated in turn (`x,y` is ∂²f/∂x∂y, `x` with order 2 is ∂²f/∂x²).

Messages name settings the way the asker writes them (`Spelling`): `--wrt x` on the command
line, `wrt="x"` in Python, whose errors never mention a `--flag`.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal

from ..errors import InputError, UsageError, did_you_mean
from .autodiff import Evaluation, evaluate
from .graph import CONST, INPUT, Graph, compile_program
from .lexer import NAME
from .reading import check_program_size, parse_number

MAX_ORDER = 8  # derivatives in turn: beyond this, expressions grow past use (and time boxes)
Default = Literal["every input", "the only input"]


@dataclass(frozen=True)
class Spelling:
    """How the asker writes a setting and a value, for messages and hints."""

    option: str  # the setting's name: "--{name}" or "{name}"
    setting: str  # a setting given: "--{name} {value}" or '{name}="{value}"'
    value: str  # a variable's value given: "--{name} {value}" or "{name}={value}"
    between: str  # between two values given

    def name(self, setting: str) -> str:
        return self.option.format(name=setting)

    def set(self, setting: str, value: object) -> str:
        return self.setting.format(name=setting, value=value)

    def give(self, names: Sequence[str], value: object = 1) -> str:
        return self.between.join(self.value.format(name=name, value=value) for name in names)


COMMAND_LINE = Spelling("--{name}", "--{name} {value}", "--{name} {value}", " ")
PYTHON = Spelling("{name}", '{name}="{value}"', "{name}={value}", ", ")


# --- the point -----------------------------------------------------------------------------


def resolve_inputs(
    graph: Graph,
    given: Mapping[str, float],
    options: Collection[str] = (),
    spelling: Spelling = COMMAND_LINE,
) -> dict[str, float]:
    """Program defaults overridden by the given values; every input present, nothing unknown.

    `options` are the command line's option names (the CLI takes them from Click), so that a
    mistyped option (`--jsn 1`) is answered as one; the Python API has none."""
    names, nodes = graph.names, graph.nodes  # dict lookups: `in input_names` (a tuple) is O(n)
    unknown = [name for name in given if name not in names or nodes[names[name]].op != INPUT]
    if unknown:
        raise _unknown_values(graph, unknown, options)
    values = {**graph.defaults, **given}
    missing = [name for name in graph.input_names if name not in values]
    if missing:
        raise InputError(
            f"missing value{'s' if len(missing) > 1 else ''} for " + ", ".join(missing),
            f"give {'them' if len(missing) > 1 else 'it'}, as in {spelling.give(missing)}",
        )
    return {name: _as_value(values[name], name) for name in graph.input_names}


def _as_value(value: object, name: str) -> float:
    """A given value as a float: numbers as they are, text as typed on the command line; NaN,
    infinities and other types are InputErrors (the Python API gets them as given)."""
    if isinstance(value, str):
        return parse_number(value, name)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InputError(f"the value for {name} must be a number, not {type(value).__name__}")
    try:
        number = float(value)
    except OverflowError:
        raise InputError(f"the value for {name} is too large for a 64-bit float") from None
    if not math.isfinite(number):
        raise InputError(f"the value for {name} must be a finite number, not {number!r}")
    return number


def _unknown_values(graph: Graph, unknown: list[str], options: Collection[str]) -> InputError:
    name = unknown[0]
    inputs = list(graph.input_names)
    if name in graph.names:
        node = graph.nodes[graph.names[name]]
        what = "a constant" if node.op == CONST else "a step the program computes"
        return InputError(
            f"{name} is {what}, not an input, so it takes no value",
            f"inputs: {', '.join(inputs) or 'none'}",
        )
    if name in options:
        return InputError(f"--{name} is not an option of this command")
    hint = did_you_mean(name, inputs) or (
        f"the program's inputs are {', '.join(inputs)}" if inputs else "the program has no inputs"
    )
    near_option = did_you_mean(name, sorted(options))
    if near_option and not did_you_mean(name, inputs):
        hint = near_option.replace("`", "`--", 1)
    names = ", ".join(str(n)[:40] for n in unknown[:10])
    if len(unknown) > 10:
        names += f" and {len(unknown) - 10:,} more"
    return InputError(f"the program has no variable named {names}", hint)


def point(
    graph: Graph,
    given: Mapping[str, float],
    options: Collection[str] = (),
    spelling: Spelling = COMMAND_LINE,
) -> dict[str, float] | None:
    """The point a question is asked at, by the one rule above; None when there is none."""
    if not given and not graph.defaults and graph.input_names:
        return None
    return resolve_inputs(graph, given, options, spelling)


# --- the question --------------------------------------------------------------------------


@dataclass(frozen=True)
class Question:
    """A program asked about, at a point or in symbols. The point is worked out when first
    needed, so a command reports a bad answer or `wrt` before a missing value, as it reads them.
    """

    graph: Graph
    output: int  # the node differentiated: the last statement, or the step named as output
    given: Mapping[str, float] = field(default_factory=dict)
    needs_point: bool = False  # eval and page: no value anywhere is the missing-value error
    options: Collection[str] = ()
    spelling: Spelling = COMMAND_LINE

    @cached_property
    def values(self) -> dict[str, float] | None:
        """Every input's value at the point; None when the question has no point."""
        if self.needs_point:
            return resolve_inputs(self.graph, self.given, self.options, self.spelling)
        return point(self.graph, self.given, self.options, self.spelling)

    @cached_property
    def evaluation(self) -> Evaluation | None:
        """Both passes at the point; None when the question is asked in symbols."""
        values = self.values
        return None if values is None else evaluate(self.graph, values, self.output)


def pose(
    source: str,
    given: Mapping[str, float] | None = None,
    *,
    output: str | None = None,
    needs_point: bool = False,
    options: Collection[str] = (),
    spelling: Spelling = COMMAND_LINE,
) -> Question:
    """The question about a program's text: compiled (within the size limit), its output found."""
    graph = compile_program(check_program_size(source))
    target = graph.output if output is None else _output_node(graph, output, options, spelling)
    return Question(graph, target, dict(given or {}), needs_point, options, spelling)


def _output_node(graph: Graph, output: str, options: Collection[str], spelling: Spelling) -> int:
    try:
        return graph.index_of(output)
    except UsageError as error:
        if spelling is COMMAND_LINE and (output in options or not NAME.match(output)):
            raise UsageError(
                error.message,
                f"--output names a step; to give a variable named "
                f'"output" a value, write --at "output={output}"',
            ) from None
        raise


def run(
    source: str,
    values: Mapping[str, float],
    output: str | None = None,
    options: Collection[str] = (),
    spelling: Spelling = COMMAND_LINE,
) -> Evaluation:
    """Compile, resolve inputs and evaluate: the whole of `cgraph eval` minus the printing."""
    question = pose(source, values, output=output, needs_point=True, options=options,
                    spelling=spelling)  # fmt: skip
    evaluation = question.evaluation
    assert evaluation is not None  # a question that needs a point has one, or raised
    return evaluation


# --- which derivative ----------------------------------------------------------------------


def wrt_names(
    wrt: str | Sequence[str] | None, spelling: Spelling = COMMAND_LINE
) -> list[str] | None:
    """`"x,q"` or `["x", "q"]` as names, in order; None when not given (or blank)."""
    if wrt is None or (isinstance(wrt, str) and not wrt.strip()):
        return None
    parts = wrt.split(",") if isinstance(wrt, str) else [str(name) for name in wrt]
    names = [name.strip() for name in parts]
    option, example = spelling.name("wrt"), spelling.set("wrt", "x,y")
    if not any(names):
        raise UsageError(f"{option} is empty", f"name inputs or steps, as in {example}")
    if not all(names):
        raise UsageError(f"{option} has an empty name: {wrt!r}", f"write it as {example}")
    return names


def wrt_nodes(
    graph: Graph,
    wrt: str | Sequence[str] | None,
    default: Default = "every input",
    spelling: Spelling = COMMAND_LINE,
) -> list[int]:
    """The nodes to differentiate by, each once, in the order named: inputs or named steps.
    Not given: every input (`diff`), or the only input (a check of one derivative)."""
    names = wrt_names(wrt, spelling)
    if names is None:
        return _default_wrt(graph, default, spelling)
    nodes: list[int] = []
    for name in names:
        index = graph.index_of(name)
        if graph.nodes[index].op == CONST:
            raise UsageError(f"`{name}` is a constant; derivatives are taken by inputs or steps")
        if index not in nodes:
            nodes.append(index)
    return nodes


def higher_sequence(
    graph: Graph, wrt: str | Sequence[str] | None, order: int, spelling: Spelling = COMMAND_LINE
) -> list[int]:
    """The inputs to differentiate by, in turn: `x` with order 2 is x, x; `x,y` is x then y.
    Higher derivatives are taken by inputs only; not given is the only input."""
    if not 1 <= order <= MAX_ORDER:
        raise UsageError(f"{spelling.name('order')} must be between 1 and {MAX_ORDER}, got {order}")
    names = wrt_names(wrt, spelling)
    if names is None:
        names = [graph.nodes[_default_wrt(graph, "the only input", spelling, plural=True)[0]].label]
    if len(names) > 1 and order != 1:
        raise UsageError(
            f"give either a list of variables ({spelling.set('wrt', 'x,y')}) or "
            f"{spelling.name('order')}, not both",
            f"{spelling.set('wrt', 'x,x,y')} is ∂³f/∂x²∂y",
        )
    if len(names) > MAX_ORDER:
        raise UsageError(
            f"at most {MAX_ORDER} variables in {spelling.name('wrt')}, got {len(names)}"
        )
    indices = []
    for name in names:
        index = graph.index_of(name)
        if graph.nodes[index].op != INPUT:
            what = "a constant" if graph.nodes[index].op == CONST else "a step"
            raise UsageError(
                f"`{name}` is {what}; higher derivatives are taken by the program's inputs",
                f"inputs: {', '.join(graph.input_names)}",
            )
        indices.append(index)
    return indices * order


def _default_wrt(
    graph: Graph, default: Default, spelling: Spelling, plural: bool = False
) -> list[int]:
    inputs = list(graph.input_names)
    if default == "every input":
        if not inputs:
            raise UsageError("the program has no inputs, so there is nothing to differentiate")
        return [graph.names[name] for name in inputs]
    if len(inputs) == 1:
        return [graph.names[inputs[0]]]
    example = ",".join(inputs[:2]) if plural else inputs[0] if inputs else "x"
    raise UsageError(
        f"say which variable{'s' if plural else ''} the derivative is taken with respect to",
        f"for example {spelling.set('wrt', example or 'x')}"
        + (f" (inputs: {', '.join(inputs)})" if inputs else ""),
    )
