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
import time
from pathlib import Path

import ref_micrograd
import ref_sympy
import ref_torch
import workloads

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
SIZES = (1_000, 10_000, 100_000)
BIG = 1_000_000
QUICK_SIZES = (1_000, 10_000)
STARTUP_RUNS = 5
DIFF_WORKLOAD = ("mlp", 1_000)  # the symbolic target: `cgraph diff` vs SymPy per variable
STARTUP_EXPR = ["eval", "(x+y)*z", "--x", "2", "--y", "3", "--z", "-4"]


# ---------------------------------------------------------------- processes and timing


def timed(cmd: list[str], stdout: Path | None = None) -> dict:
    """Wall time and exit code of one process; an error keeps the last line of its stderr."""
    with contextlib.ExitStack() as stack:
        out = stack.enter_context(open(stdout, "wb")) if stdout else subprocess.DEVNULL
        start = time.perf_counter()
        done = subprocess.run(cmd, stdout=out, stderr=subprocess.PIPE)
        seconds = time.perf_counter() - start
    if done.returncode:
        lines = done.stderr.decode(errors="replace").strip().splitlines() or ["no message"]
        return {
            "seconds": None,
            "rc": done.returncode,
            "error": f"exit {done.returncode}: " + lines[-1][:160],
        }
    return {"seconds": seconds, "rc": 0}


# Linux counts the forking parent's RSS in a child's ru_maxrss (the mm it had before exec), so a
# big runner process would inflate every figure: a tiny wrapper forks the command instead.
RSS_WRAPPER = """import os, subprocess, sys
p = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
_, status, usage = os.wait4(p.pid, 0)
print(usage.ru_maxrss if os.waitstatus_to_exitcode(status) == 0 else -1)
"""


def peak_rss_mb(cmd: list[str]) -> float | None:
    """Peak resident memory of one run of `cmd`, in MB (None when it fails)."""
    done = subprocess.run([sys.executable, "-c", RSS_WRAPPER, *cmd], capture_output=True)
    kb = int(done.stdout or -1)
    return kb / 1024 if kb >= 0 else None


def median_run(cmd: list[str], repeat: int, stdout: Path | None = None) -> dict:
    """Median wall time of `repeat` runs; the first failure, if any, instead."""
    runs = []
    for _ in range(repeat):
        runs.append(timed(cmd, stdout))
        if runs[-1].get("error"):
            return runs[-1]
    return {"seconds": statistics.median(r["seconds"] for r in runs), "runs": repeat}


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
    """The `gradients` object of a saved `cgraph eval --json` output."""
    try:
        return json.loads(path.read_text()).get("gradients", {})
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
    row["eval"]["rss_mb"] = peak_rss_mb(cmd) if not row["eval"].get("error") else None
    say("  tape")
    tape_out = w.program.with_suffix(".tape.json")
    row["tape_process"] = median_run([*script("ref_tape.py"), prog, vals], opts.repeat, tape_out)
    row["tape"] = json.loads(tape_out.read_text()) if not row["tape_process"].get("error") else {}
    row["grad_error"] = grad_error(eval_gradients(out), row["tape"].get("gradients", {}))
    row["micrograd"] = reference(ref_micrograd, "ref_micrograd.py", prog, vals, opts.repeat)
    row["torch"] = reference(ref_torch, "ref_torch.py", prog, vals, opts.repeat)
    row["sympy"] = sympy_row(w, opts, sympy_dead)
    if (w.family, w.n) == DIFF_WORKLOAD:
        row["cgraph_diff"] = cgraph_diff(w, opts.sympy_timeout)
    for key in ("cgraph", "tape"):
        row[key].pop("gradients", None)
    return row


def reference(module, name: str, prog: str, vals: str, repeat: int) -> dict:
    """Whole-process time of an optional reference runner, or why it has none."""
    if not module.available():
        return {"skipped": module.SKIP_NOTE}
    say(f"  {name}")
    first = json_process([*script(name), prog, vals])
    if first.get("error") or first.get("skipped"):
        return first
    process = median_run([*script(name), prog, vals], repeat)
    first.pop("gradients", None)
    return {**first, "process": process}


def sympy_row(w: workloads.Workload, opts: argparse.Namespace, dead: dict) -> dict:
    """SymPy per-variable diff under a time cap; not retried at a bigger N once it failed."""
    if not ref_sympy.available():
        return {"skipped": "sympy not installed"}
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


def startup(python: str, cgraph: str) -> dict:
    """Median of STARTUP_RUNS whole-process times of the four start-up commands."""
    commands = {
        "cgraph_eval": [cgraph, *STARTUP_EXPR],
        "import_all": [python, "-c", "import sympy, typer, rich, graphviz"],
        "cgraph_help": [cgraph, "--help"],
        "import_cli": [python, "-c", "import typer, rich"],
    }
    say("start-up")
    return {key: median_run(cmd, STARTUP_RUNS) for key, cmd in commands.items()}


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
        return "not installed"
    if report.get("error"):
        return str(report["error"])
    process = report.get("process", report)
    if process.get("error"):
        return str(process["error"])
    return secs(process.get("seconds", report.get("total")))


def find(rows: list[dict], family: str, n: int | None = None) -> dict | None:
    """The row of a family at size n (the largest size run when n is None)."""
    found = [r for r in rows if r["family"] == family and (n is None or r["n"] == n)]
    return max(found, key=lambda r: r["n"]) if found else None


def workload_table(rows: list[dict]) -> list[str]:
    head = (
        "| workload | ops | nodes | parse | build | forward | backward | bwd/fwd "
        "| `eval --json` process | RSS | peak B/node | tape process | eval/tape "
        "| micrograd process | eval/micrograd | PyTorch | SymPy diff | grad err vs tape |"
    )
    lines = [head, "|" + "---|" * head.count(" | ") + "---|"]
    for r in rows:
        c, e, t = r["cgraph"], r["eval"], r["tape_process"]
        mg = r["micrograd"].get("process", {}).get("seconds")
        eval_s = e.get("seconds")
        err = r["grad_error"]
        cells = [
            f"{r['family']} {r['n']:,}",
            f"{r['ops']:,}",
            f"{c.get('nodes', 0):,}",
            *(secs(c.get(k)) for k in ("parse", "build", "forward", "backward")),
            fmt_ratio(ratio(c.get("backward"), c.get("forward"))),
            e.get("error") or secs(eval_s),
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


def targets(rows: list[dict], start: dict) -> list[tuple[str, float | None, str, bool | None]]:
    """(target, measured, limit text, met?) for each ratio the issue names."""
    out = []

    def add(name, value, limit, op="<="):
        checks = (
            {"<=": value <= limit, "<": value < limit, ">=": value >= limit}
            if value is not None
            else {}
        )
        met = checks.get(op)
        out.append((name, value, f"{op} {limit:g}", met))

    st = {k: v.get("seconds") for k, v in start.items()}
    add(
        'start-up: `cgraph eval "(x+y)*z" ...` / `import sympy, typer, rich, graphviz`',
        ratio(st["cgraph_eval"], st["import_all"]),
        1.2,
    )
    add(
        "start-up: `cgraph --help` / `import typer, rich`",
        ratio(st["cgraph_help"], st["import_cli"]),
        2,
    )
    big = find(rows, "random")
    if big:
        n = f"random {big['n']:,}"
        eval_s = big["eval"].get("seconds")
        add(
            f"{n}: `eval --json` process / tape process",
            ratio(eval_s, big["tape_process"].get("seconds")),
            1.5,
        )
        add(
            f"{n}: `eval --json` process / micrograd process",
            ratio(eval_s, big["micrograd"].get("process", {}).get("seconds")),
            1,
            "<",
        )
        add(
            f"{n}: `eval --json` process / PyTorch process",
            ratio(eval_s, big["torch"].get("process", {}).get("seconds")),
            1,
            "<",
        )
        add(
            f"{n}: backward / forward (in-process)",
            ratio(big["cgraph"].get("backward"), big["cgraph"].get("forward")),
            2,
        )
        small = find(rows, "random", big["n"] // 10)
        if small:
            add(
                f"random {small['n']:,} -> {big['n']:,}: time ratio, `eval --json` process",
                ratio(eval_s, small["eval"].get("seconds")),
                12,
            )
            add(
                f"random {small['n']:,} -> {big['n']:,}: time ratio, in-process passes",
                ratio(big["cgraph"].get("total"), small["cgraph"].get("total")),
                12,
            )
        add(
            f"{n}: peak traced bytes per node (parse+build+forward+backward)",
            big["cgraph_memory"].get("bytes_per_node"),
            1024,
        )
    mlp = find(rows, *DIFF_WORKLOAD)
    if mlp:
        sympy_s = mlp["sympy"].get("process", {}).get("seconds")
        diff_s = mlp.get("cgraph_diff", {}).get("seconds")
        add(
            "mlp 1,000: SymPy per-variable `diff` / `cgraph diff -f`",
            ratio(sympy_s, diff_s),
            10,
            ">=",
        )
    return out


def targets_table(items: list[tuple[str, float | None, str, bool | None]]) -> list[str]:
    lines = ["| target | measured | limit | met |", "|---|---|---|---|"]
    for name, value, limit, met in items:
        shown = "-" if value is None else (f"{value:.0f}" if "bytes" in name else f"{value:.2f}x")
        mark = {True: "yes", False: "**no**", None: "n/a"}[met]
        lines.append(f"| {name} | {shown} | {limit} | {mark} |")
    return lines


def startup_table(start: dict) -> list[str]:
    labels = {
        "cgraph_eval": 'cgraph eval "(x+y)*z" --x 2 --y 3 --z -4',
        "import_all": 'python -c "import sympy, typer, rich, graphviz"',
        "cgraph_help": "cgraph --help",
        "import_cli": 'python -c "import typer, rich"',
    }
    lines = [f"| command | median of {STARTUP_RUNS} |", "|---|---|"]
    lines += [
        f"| `{labels[k]}` | {v.get('error') or secs(v.get('seconds'))} |" for k, v in start.items()
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
        f"median of {opts.repeat} run(s) per figure; SymPy capped at {opts.sympy_timeout:g} s"
        + ("; quick run" if opts.quick else ""),
        "",
        "## Targets (issue 6)",
        "",
        *targets_table(targets(rows, start)),
        "",
        "## Workloads",
        "",
        "parse/build/forward/backward: cgraph's API in-process. Process columns: whole process,",
        "wall clock, output written to a file. RSS: peak of the `eval` process. Peak B/node:",
        "tracemalloc peak of the four in-process phases / graph nodes.",
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
