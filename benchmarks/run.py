"""Benchmark runner for issue 6: cgraph against the reference runners, and start-up times.

For each workload family (random, mlp, chain) and size it times cgraph's phases in-process
(parse, build, forward, backward), the whole `cgraph eval -f FILE --values V.json --json`
process, peak memory, and the same workload through the plain-Python tape, micrograd, PyTorch
and SymPy where installed. It then writes a Markdown table with the issue's target ratios to
benchmarks/results/latest.md (raw figures in latest.json) and prints it.

Usage: ``python benchmarks/run.py [--quick] [--big] [--repeat R] [--families random,mlp]``.
Timings are medians of R whole-process runs; nothing here is a test.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import ref_micrograd
import ref_sympy
import ref_torch
import workloads

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
SIZES = (10_000, 100_000)
BIG = 1_000_000
QUICK_SIZES = (1_000, 10_000)
SYMPY_MAX_N = 1_000  # SymPy takes minutes past this (measured: over 60 s at N = 10,000)
STARTUP_RUNS = 5
DIFF_WORKLOAD = ("mlp", 1_000)  # the symbolic target: `cgraph diff` vs SymPy per variable
STARTUP_EXPR = ["eval", "(x+y)*z", "--x", "2", "--y", "3", "--z", "-4"]


# ---------------------------------------------------------------- processes and timing


def timed(cmd: list[str], stdout: Path | None = None) -> dict:
    """One process: CPU seconds (user + sys, from wait4), wall seconds, peak RSS, exit code.

    CPU time is the figure the ratios use: on a shared machine wall time measures the
    neighbours, while a process's CPU time barely changes with the load.
    """
    with contextlib.ExitStack() as stack:
        out = stack.enter_context(open(stdout, "wb")) if stdout else subprocess.DEVNULL
        err = stack.enter_context(tempfile.TemporaryFile())
        start = time.perf_counter()
        child = subprocess.Popen(cmd, stdout=out, stderr=err)
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - start
        code = os.waitstatus_to_exitcode(status)
        if code:
            err.seek(0)
            lines = err.read().decode(errors="replace").strip().splitlines() or ["no message"]
            return {"seconds": None, "rc": code, "error": f"exit {code}: " + lines[-1][:160]}
    cpu = usage.ru_utime + usage.ru_stime
    return {"seconds": cpu, "wall": wall, "rss_mb": usage.ru_maxrss / 1024, "rc": 0}


def median_run(cmd: list[str], repeat: int, stdout: Path | None = None) -> dict:
    """Median CPU time (and wall time) of `repeat` runs; the first failure, if any, instead."""
    runs = []
    for _ in range(repeat):
        runs.append(timed(cmd, stdout))
        if runs[-1].get("error"):
            return runs[-1]
    return {
        "seconds": statistics.median(r["seconds"] for r in runs),
        "wall": statistics.median(r["wall"] for r in runs),
        "rss_mb": max(r["rss_mb"] for r in runs),
        "runs": repeat,
    }


def json_process(cmd: list[str], timeout: float | None = None) -> dict:
    """Run a script that prints one JSON report; a failure becomes {'error': ...}."""
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"error": f"over {timeout:g} s"}
    if done.returncode:
        lines = done.stderr.strip().splitlines() or ["no message"]
        return {"error": f"exit {done.returncode}: {lines[-1][:160]}"}
    return json.loads(done.stdout)


def median_reports(reports: list[dict]) -> dict:
    """Median of each timing key over several JSON reports of the same run."""
    merged = dict(reports[-1])
    for key in ("parse", "build", "forward", "backward", "total", "diff"):
        if all(isinstance(r.get(key), float) for r in reports):
            merged[key] = statistics.median(r[key] for r in reports)
    return merged


# ---------------------------------------------------------------- one workload


def cgraph_bin() -> str:
    """The `cgraph` script next to this interpreter (the project venv), else on PATH."""
    local = Path(sys.executable).parent / "cgraph"
    found = str(local) if local.exists() else shutil.which("cgraph")
    if not found:
        sys.exit("cgraph is not installed: run `make .venv/.installed` and use .venv/bin/python")
    return found


def script(name: str) -> list[str]:
    return [sys.executable, str(HERE / name)]


def grad_error(got: dict, want: dict) -> float | None:
    """Largest gradient difference relative to the largest reference gradient (norm-wise)."""
    if not got or not want or set(got) != set(want):
        return None
    scale = max((abs(v) for v in want.values()), default=0.0) or 1.0
    return max(abs(got[k] - want[k]) for k in want) / scale


def eval_gradients(path: Path) -> dict:
    """The `gradients` object of a saved `cgraph eval --json` output, decoded alone: loading
    the whole document would grow this runner by hundreds of MB, and Linux counts a forking
    parent's memory in each child's peak RSS."""
    try:
        text = path.read_text()
        start = text.index('"gradients": ') + len('"gradients": ')
        return json.JSONDecoder().raw_decode(text, start)[0]
    except (OSError, ValueError):
        return {}


def bench_workload(w: workloads.Workload, opts: argparse.Namespace, sympy_dead: dict) -> dict:
    """Every measurement of one workload; sympy_dead remembers families SymPy already lost."""
    prog, vals = str(w.program), str(w.values)
    row: dict = {"family": w.family, "n": w.n, "ops": w.ops}
    say(f"{w.family} N={w.n:,}: cgraph phases")
    phases = [json_process([*script("cgraph_phases.py"), prog, vals]) for _ in range(opts.repeat)]
    row["cgraph"] = median_reports(phases)
    row["cgraph_memory"] = json_process([*script("cgraph_phases.py"), "--memory", prog, vals])
    say("  cgraph eval process")
    out = w.program.with_suffix(".eval.json")
    cmd = [cgraph_bin(), "eval", "-f", prog, "--values", vals, "--json"]
    row["eval"] = median_run(cmd, opts.repeat, stdout=out)
    say("  tape")
    tape_out = w.program.with_suffix(".tape.json")
    row["tape_process"] = median_run([*script("ref_tape.py"), prog, vals], opts.repeat, tape_out)
    row["tape"] = json.loads(tape_out.read_text()) if not row["tape_process"].get("error") else {}
    row["grad_error"] = grad_error(eval_gradients(out), row["tape"].get("gradients", {}))
    row["micrograd"] = reference(ref_micrograd, "ref_micrograd.py", w, opts.repeat)
    row["torch"] = reference(ref_torch, "ref_torch.py", w, opts.repeat)
    row["sympy"] = sympy_row(w, opts, sympy_dead)
    if (w.family, w.n) == DIFF_WORKLOAD:
        row["cgraph_diff"] = cgraph_diff(w, opts.sympy_timeout)
    for key in ("cgraph", "tape"):
        row[key].pop("gradients", None)
    return row


def reference(module, name: str, w: workloads.Workload, repeat: int) -> dict:
    """Whole-process CPU time of an optional reference runner, or why it has none."""
    if not module.available():
        return {"skipped": module.SKIP_NOTE}
    say(f"  {name}")
    out = w.program.with_suffix(f".{name.removesuffix('.py')}.json")
    process = median_run([*script(name), str(w.program), str(w.values)], repeat, out)
    if process.get("error"):
        return process
    report = json.loads(out.read_text())
    report.pop("gradients", None)
    return {**report, "process": process}


def sympy_row(w: workloads.Workload, opts: argparse.Namespace, dead: dict) -> dict:
    """SymPy per-variable diff under a time cap; not retried at a bigger N once it failed."""
    if not ref_sympy.available():
        return {"skipped": "sympy not installed"}
    if w.n > SYMPY_MAX_N:
        return {"skipped": f"not run past N = {SYMPY_MAX_N:,}"}
    if w.family in dead:
        return {"error": f"not run ({dead[w.family]})"}
    say(f"  sympy (cap {opts.sympy_timeout:g} s)")
    report = ref_sympy.run(w.program, w.values, timeout=opts.sympy_timeout)
    if report.get("error"):
        dead[w.family] = f"{report['error']} at N={w.n:,}"
    report.pop("gradients", None)
    return report


def cgraph_diff(w: workloads.Workload, cap: float) -> dict:
    """Whole-process `cgraph diff -f PROGRAM` (all variables), for the symbolic target."""
    cgraph = cgraph_bin()
    if subprocess.run([cgraph, "diff", "--help"], capture_output=True).returncode:
        return {"skipped": "cgraph has no diff command yet"}
    say("  cgraph diff process")
    cmd = [cgraph, "diff", "-f", str(w.program)]
    start = time.perf_counter()
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=cap)
    except subprocess.TimeoutExpired:
        return {"error": f"over {cap:g} s"}
    if done.returncode:
        lines = done.stderr.strip().splitlines() or ["no message"]
        return {"error": f"exit {done.returncode}: {lines[-1][:160]}"}
    return {"seconds": time.perf_counter() - start}


# ---------------------------------------------------------------- start-up


STARTUP_COMMANDS = {  # key -> (label, argv after the program); None: the python itself
    "cgraph_eval": ('cgraph eval "(x+y)*z" --x 2 --y 3 --z -4', ["cgraph", *STARTUP_EXPR]),
    "eval_integers": (
        'cgraph eval "x*y + z" --x 1 --y 3 --z -4',
        ["cgraph", "eval", "x*y + z", "--x", "1", "--y", "3", "--z", "-4"],
    ),
    "eval_fractions": (
        'cgraph eval "x/y + z" --x 1.5 --y 0.3 --z -4',
        ["cgraph", "eval", "x/y + z", "--x", "1.5", "--y", "0.3", "--z", "-4"],
    ),
    "check": (
        'cgraph check "x^2" --wrt x --answer "2x"',
        ["cgraph", "check", "x^2", "--wrt", "x", "--answer", "2x"],
    ),
    "diff": ('cgraph diff "x^2*y" --wrt x', ["cgraph", "diff", "x^2*y", "--wrt", "x"]),
    "cgraph_help": ("cgraph --help", ["cgraph", "--help"]),
    "python": ('python -c "pass"', ["python", "-c", "pass"]),
    "import_all": (
        'python -c "import sympy, typer, rich, graphviz"',
        ["python", "-c", "import sympy, typer, rich, graphviz"],
    ),
    "import_cli": ('python -c "import typer, rich"', ["python", "-c", "import typer, rich"]),
}


def startup(python: str, cgraph: str) -> dict:
    """Median of STARTUP_RUNS whole-process CPU times of each start-up command."""
    say("start-up")
    programs = {"cgraph": cgraph, "python": python}
    return {
        key: median_run([programs[argv[0]], *argv[1:]], STARTUP_RUNS)
        for key, (_, argv) in STARTUP_COMMANDS.items()
    }


# ---------------------------------------------------------------- report


def say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def secs(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value * 1000:.1f} ms" if value < 0.1 else f"{value:.2f} s"


def ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a is not None and b else None


def fmt_ratio(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}x"


def outcome(report: dict) -> str:
    """A reference runner's cell: its whole-process time, or why there is none."""
    if report.get("skipped"):
        return "not installed" if "install" in report["skipped"] else report["skipped"]
    if report.get("error"):
        return str(report["error"])
    process = report.get("process", report)
    if process.get("error"):
        return str(process["error"])
    return secs(process.get("seconds", report.get("total")))


def reference_seconds(report: dict) -> float | None:
    """A reference runner's CPU time, None when it failed (micrograd's RecursionError)."""
    return None if report.get("error") else report.get("process", {}).get("seconds")


def find(rows: list[dict], family: str, n: int | None = None) -> dict | None:
    """The row of a family at size n (the largest size run when n is None)."""
    found = [r for r in rows if r["family"] == family and (n is None or r["n"] == n)]
    return max(found, key=lambda r: r["n"]) if found else None


def workload_table(rows: list[dict]) -> list[str]:
    head = (
        "| workload | ops | nodes | parse | build | forward | backward | bwd/fwd "
        "| `eval --json` process | wall | RSS | peak B/node | tape process | eval/tape "
        "| micrograd process | eval/micrograd | PyTorch | SymPy diff | grad err vs tape |"
    )
    lines = [head, "|" + "---|" * head.count(" | ") + "---|"]
    for r in rows:
        c, e, t = r["cgraph"], r["eval"], r["tape_process"]
        mg = reference_seconds(r["micrograd"])
        eval_s = e.get("seconds")
        err = r["grad_error"]
        cells = [
            f"{r['family']} {r['n']:,}",
            f"{r['ops']:,}",
            f"{c.get('nodes', 0):,}",
            *(secs(c.get(k)) for k in ("parse", "build", "forward", "backward")),
            fmt_ratio(ratio(c.get("backward"), c.get("forward"))),
            e.get("error") or secs(eval_s),
            secs(e.get("wall")),
            f"{e['rss_mb']:.0f} MB" if e.get("rss_mb") else "-",
            f"{r['cgraph_memory'].get('bytes_per_node', 0):.0f}",
            t.get("error") or secs(t.get("seconds")),
            fmt_ratio(ratio(eval_s, t.get("seconds"))),
            outcome(r["micrograd"]),
            fmt_ratio(ratio(eval_s, mg)),
            outcome(r["torch"]),
            outcome(r["sympy"]),
            "-" if err is None else f"{err:.1e}",
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


LIMITS = {  # the targets: (column, limit, comparison)
    "eval/tape": ("`eval --json` / tape", 1.5, "<="),
    "eval/micrograd": ("`eval --json` / micrograd", 1.0, "<"),
    "eval/torch": ("`eval --json` / PyTorch", 1.0, "<"),
    "10x": ("time for 10x the ops", 11.0, "<="),
    "bwd/fwd": ("backward / forward", 2.0, "<="),
    "bytes": ("peak traced B / node", 1024.0, "<="),
}


def met(value: float | None, limit: float, op: str) -> bool | None:
    if value is None:
        return None
    return {"<=": value <= limit, "<": value < limit, ">=": value >= limit}[op]


def family_targets(rows: list[dict], family: str) -> dict[str, float | None] | None:
    """The issue's ratios for one family at its largest size (CPU times, whole process)."""
    big = find(rows, family)
    if not big:
        return None
    small = find(rows, family, big["n"] // 10)
    eval_s = big["eval"].get("seconds")
    return {
        "n": big["n"],
        "eval/tape": ratio(eval_s, big["tape_process"].get("seconds")),
        "eval/micrograd": ratio(eval_s, reference_seconds(big["micrograd"])),
        "eval/torch": ratio(eval_s, reference_seconds(big["torch"])),
        "10x": ratio(eval_s, small["eval"].get("seconds")) if small else None,
        "bwd/fwd": ratio(big["cgraph"].get("backward"), big["cgraph"].get("forward")),
        "bytes": big["cgraph_memory"].get("bytes_per_node"),
    }


def targets_table(rows: list[dict], families: list[str]) -> list[str]:
    """One row per family: each target's measured value and whether it is met."""
    head = "| family (largest N) | " + " | ".join(
        f"{label} ({op} {limit:g})" for label, limit, op in LIMITS.values()
    )
    lines = [head + " |", "|---" * (len(LIMITS) + 1) + "|"]
    for family in families:
        found = family_targets(rows, family)
        if not found:
            continue
        cells = [f"{family} {found['n']:,}"]
        for key, (_, limit, op) in LIMITS.items():
            value = found[key]
            shown = (
                "-" if value is None else (f"{value:.0f}" if key == "bytes" else f"{value:.2f}x")
            )
            mark = {True: "yes", False: "**no**", None: "n/a"}[met(value, limit, op)]
            cells.append(f"{shown} {mark}")
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def startup_targets(rows: list[dict], start: dict) -> list[str]:
    """Start-up ratios (CPU time) and the symbolic target when it was measured."""
    st = {k: v.get("seconds") for k, v in start.items()}
    items = [
        ("`eval` with fractional values / with integers", "eval_fractions", "eval_integers",
         1.3, "<="),
        ('`cgraph eval "(x+y)*z" ...` / `import sympy, typer, rich, graphviz`', "cgraph_eval",
         "import_all", 1.2, "<="),
        ("`cgraph --help` / `import typer, rich`", "cgraph_help", "import_cli", 2.0, "<="),
    ]  # fmt: skip
    lines = ["| start-up target | measured | limit | met |", "|---|---|---|---|"]
    for label, a, b, limit, op in items:
        value = ratio(st.get(a), st.get(b))
        mark = {True: "yes", False: "**no**", None: "n/a"}[met(value, limit, op)]
        lines.append(f"| {label} | {fmt_ratio(value)} | {op} {limit:g} | {mark} |")
    mlp = find(rows, *DIFF_WORKLOAD)
    if mlp and mlp.get("cgraph_diff"):
        sympy_s = mlp["sympy"].get("seconds") or mlp["sympy"].get("process", {}).get("seconds")
        value = ratio(sympy_s, mlp["cgraph_diff"].get("seconds"))
        mark = {True: "yes", False: "**no**", None: "n/a"}[met(value, 10, ">=")]
        lines.append(
            f"| mlp 1,000: SymPy per-variable `diff` / `cgraph diff -f` (wall) "
            f"| {fmt_ratio(value)} | >= 10 | {mark} |"
        )
    return lines


def startup_table(start: dict) -> list[str]:
    lines = [f"| command | CPU, median of {STARTUP_RUNS} | wall |", "|---|---|---|"]
    lines += [
        f"| `{STARTUP_COMMANDS[k][0]}` | {v.get('error') or secs(v.get('seconds'))} "
        f"| {secs(v.get('wall'))} |"
        for k, v in start.items()
    ]
    return lines


def notes(rows: list[dict]) -> list[str]:
    """Why some cells are empty, once each."""
    seen: list[str] = []
    for r in rows:
        for key in ("micrograd", "torch", "sympy"):
            note = r[key].get("skipped")
            if note and f"- {key}: {note}" not in seen:
                seen.append(f"- {key}: {note}")
        diff = r.get("cgraph_diff", {})
        if diff.get("skipped") or diff.get("error"):
            why = diff.get("skipped") or diff.get("error")
            seen.append(f"- cgraph diff -f ({r['family']} {r['n']:,}): {why}")
    return seen


def git_commit() -> str:
    try:
        done = subprocess.run(
            ["git", "-C", str(HERE), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        )
        return done.stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def report(rows: list[dict], start: dict, opts: argparse.Namespace) -> str:
    stamp = datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    lines = [
        f"# cgraph benchmarks ({stamp})",
        "",
        f"commit {git_commit()}; Python {platform.python_version()}; {os.cpu_count()} cores; "
        f"median of {opts.repeat} run(s) per figure (CPU time); SymPy capped at "
        f"{opts.sympy_timeout:g} s; load average at the start {os.getloadavg()[0]:.1f}"
        + ("; quick run" if opts.quick else ""),
        "",
        "## Targets (issue 16), every family at its largest size",
        "",
        "Ratios of CPU time (user + sys of the whole process, median of the runs); 10x: the",
        "`eval --json` process at N over N/10; backward/forward: in-process passes.",
        "",
        *targets_table(rows, opts.families),
        "",
        *startup_targets(rows, start),
        "",
        "## Workloads",
        "",
        "parse/build/forward/backward: cgraph's API in-process (CPU time). Process columns:",
        "whole process, CPU time (user + sys), output written to a file; the wall time of the",
        "`eval` process is beside it. RSS: peak of the `eval` process. Peak B/node: tracemalloc",
        "peak of compile, forward and backward as `eval` runs them / graph nodes.",
        "",
        *workload_table(rows),
        "",
        "## Start-up",
        "",
        *startup_table(start),
    ]
    extra = notes(rows)
    if extra:
        lines += ["", "## Notes", "", *extra]
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- main


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="N up to 10,000, one run each")
    parser.add_argument("--big", action="store_true", help="add N = 1,000,000")
    parser.add_argument("--repeat", type=int, help="runs per timing (default 3, quick 1)")
    parser.add_argument("--families", default=",".join(workloads.FAMILIES))
    parser.add_argument("--sympy-timeout", type=float, help="seconds (default 60, quick 10)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=RESULTS / "latest.md")
    opts = parser.parse_args(argv)
    opts.repeat = opts.repeat or (1 if opts.quick else 3)
    opts.sympy_timeout = opts.sympy_timeout or (10.0 if opts.quick else 60.0)
    sizes = QUICK_SIZES if opts.quick else SIZES
    opts.sizes = (*sizes, BIG) if opts.big else sizes
    opts.families = [f for f in opts.families.split(",") if f]
    unknown = set(opts.families) - set(workloads.FAMILIES)
    if unknown:
        parser.error(f"unknown families: {', '.join(sorted(unknown))}")
    return opts


def main(argv: list[str] | None = None) -> None:
    opts = parse_args(argv)
    cgraph = cgraph_bin()
    work = RESULTS / "work"
    rows = []
    sympy_dead: dict[str, str] = {}
    for family in opts.families:
        for n in opts.sizes:
            w = workloads.generate(family, n, work, opts.seed)
            rows.append(bench_workload(w, opts, sympy_dead))
    start = startup(sys.executable, cgraph)
    text = report(rows, start, opts)
    opts.out.parent.mkdir(parents=True, exist_ok=True)
    opts.out.write_text(text)
    raw = {"rows": rows, "startup": start, "sizes": list(opts.sizes), "repeat": opts.repeat}
    opts.out.with_suffix(".json").write_text(json.dumps(raw, indent=1))
    print(text)
    say(f"written: {opts.out}")


if __name__ == "__main__":
    main()
