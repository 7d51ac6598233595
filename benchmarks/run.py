"""Measure painopts' start-up and scale against floors measured in the same run.

Usage: python benchmarks/run.py [--runs N] [--sizes [N ...]] [--cpu]  (no sizes: start-up only)

Every figure is the median wall time of whole processes, run in alternation so that machine
noise hits all commands alike, and is reported as a ratio to its floor:

- floor F: benchmarks/floor.py, a ten-line Typer app printing a two-row Rich table;
- validate on a generated file: a bare ``yaml.load(f, Loader=yaml.CSafeLoader)`` of that file;
- a cached compare on a generated file (seen before): the same compare on the bundled file.

"First run after install" starts every run without a cache folder: the bundled file is read
from the checked form that ships with painopts. Scale figures take a third of ``--runs`` rounds
(at least 3). ``--cpu`` times the processes' CPU time (user and system) instead of wall time:
steadier on a machine that other work keeps busy.
"""

from __future__ import annotations

import argparse
import compileall
import importlib.util
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from generate import generate  # noqa: E402

PYTHON = sys.executable
PAINOPTS = [str(Path(PYTHON).with_name("painopts"))]
if not Path(PAINOPTS[0]).exists():
    PAINOPTS = [PYTHON, "-m", "painopts"]


Command = tuple[list[str], dict[str, str]]
"""An argument vector and the environment to run it in."""

LAYER = HERE.parent / "tests" / "fixtures" / "layers" / "second-article.yaml"
"""A small file added on top of the bundled one (a second article), as `--add` reads it."""

FRESH = "_BENCHMARK_FRESH_CACHE"
"""Set in a command's environment: its cache folder is removed before each run."""

Row = tuple[str, float, float, str]
"""A figure: its name, median seconds, ratio to its floor, and target (empty for information)."""


CPU = False
"""Whether to time CPU time (``--cpu``) rather than wall time."""


def timed(command: Command) -> float:
    argv, env = command
    if env.get(FRESH):
        shutil.rmtree(env["PAINOPTS_CACHE_DIR"], ignore_errors=True)
    start, used = time.perf_counter(), cpu_time()
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, check=True)
    return cpu_time() - used if CPU else time.perf_counter() - start


def cpu_time() -> float:
    """The CPU time (user and system) of every child process that has ended."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def measure(commands: dict[str, Command], runs: int) -> dict[str, float]:
    """Median seconds per command, the commands run in alternation; one warm-up round first."""
    samples: dict[str, list[float]] = {name: [] for name in commands}
    for round_ in range(runs + 1):
        for name, command in commands.items():
            elapsed = timed(command)
            if round_:
                samples[name].append(elapsed)
    return {name: statistics.median(values) for name, values in samples.items()}


def startup(runs: int, env: dict[str, str]) -> list[Row]:
    complete = dict(
        env, _PAINOPTS_COMPLETE="complete_bash", COMP_WORDS="painopts compare ket", COMP_CWORD="2"
    )
    installed = dict(env, PAINOPTS_CACHE_DIR=env["PAINOPTS_CACHE_DIR"] + "-fresh", **{FRESH: "1"})
    commands = {
        "floor F": ([PYTHON, str(HERE / "floor.py"), "ketamine", "opioids"], env),
        "compare (piped)": ([*PAINOPTS, "compare", "ketamine", "opioids"], env),
        "compare (piped), first run after install": (
            [*PAINOPTS, "compare", "ketamine", "opioids"],
            installed,
        ),
        "compare -f json": ([*PAINOPTS, "compare", "ketamine", "opioids", "-f", "json"], env),
        "compare (piped), one added layer": (
            [*PAINOPTS, "--add", str(LAYER), "compare", "ketamine", "opioids"],
            env,
        ),
        "--help": ([*PAINOPTS, "--help"], env),
        "completion (TAB)": (PAINOPTS, complete),
        "import typer, rich.table, yaml": ([PYTHON, "-c", "import typer, rich.table, yaml"], env),
        "python -c pass": ([PYTHON, "-c", "pass"], env),
    }
    medians = measure(commands, runs)
    floor = medians["floor F"]
    targets = {
        "compare (piped)": "<= 1.10",
        "compare (piped), first run after install": "<= 1.10",
        "compare -f json": "<= 0.95",
        "compare (piped), one added layer": "<= 1.10",
        "--help": "<= 1.10",
        "completion (TAB)": "<= 1.10",
    }
    return [(name, value, value / floor, targets.get(name, "")) for name, value in medians.items()]


def scale(sizes: Sequence[int], runs: int, env: dict[str, str], folder: Path) -> list[Row]:
    rows: list[Row] = []
    bundled = ([*PAINOPTS, "compare", "ketamine", "opioids"], env)
    for size in sizes:
        path = folder / f"kb-{size}.yaml"
        path.write_text(generate(size))
        yaml_load = [
            PYTHON,
            "-c",
            f"import yaml; yaml.load(open({str(path)!r}, 'rb'), Loader=yaml.CSafeLoader)",
        ]
        first = measure(
            {"yaml": (yaml_load, env), "validate": ([*PAINOPTS, "validate", str(path)], env)}, runs
        )
        compare = [*PAINOPTS, "--data", str(path), "compare", "synthetic-1", "synthetic-2"]
        warm = measure({"bundled": bundled, "compare": (compare, env)}, runs)  # warm-up caches it
        mib = path.stat().st_size / 2**20
        per_thousand = first["validate"] / size * 1000
        rows.append(
            (
                f"validate {size} ({mib:.1f} MiB, {per_thousand:.2f} s per 1,000) vs yaml.load",
                first["validate"],
                first["validate"] / first["yaml"],
                "<= 1.5",
            )
        )
        ratio = warm["compare"] / warm["bundled"]
        target = "<= 1.5" if size == 1000 else ""  # design.md: a seen 1,000-treatment file
        rows.append((f"compare on {size}, seen before, vs bundled", warm["compare"], ratio, target))
    return rows


def table(title: str, rows: list[Row]) -> str:
    lines = [
        f"### {title}",
        "",
        "| command | median | ratio | target | met |",
        "|---|---:|---:|---|---|",
    ]
    lines += [
        f"| {name} | {value * 1000:.0f} ms | {ratio:.2f} | {target} | {met(ratio, target)} |"
        for name, value, ratio, target in rows
    ]
    return "\n".join(lines)


def met(ratio: float, target: str) -> str:
    """'yes' or 'no' for a target such as '<= 1.10' (judged on the printed ratio), else ''."""
    if not target:
        return ""
    return "yes" if round(ratio, 2) <= float(target.removeprefix("<= ")) else "no"


def against_bare_imports(rows: list[Row]) -> str:
    """The painopts commands as ratios to the bare imports and to an empty Python, for information."""
    medians = {name: value for name, value, _, _ in rows}
    imports, empty = medians["import typer, rich.table, yaml"], medians["python -c pass"]
    lines = [
        "### Start-up against bare imports (information)",
        "",
        '| command | vs `python -c "import typer, rich.table, yaml"` | vs `python -c pass` |',
        "|---|---:|---:|",
    ]
    lines += [
        f"| {name} | {medians[name] / imports:.2f} | {medians[name] / empty:.1f} |"
        for name in ("compare (piped)", "compare -f json", "--help", "completion (TAB)")
    ]
    return "\n".join(lines)


def compile_painopts() -> None:
    """Write painopts' bytecode, as installing a wheel does (an editable install may not)."""
    spec = importlib.util.find_spec("painopts")
    assert spec is not None and spec.origin is not None, "painopts is not installed"
    compileall.compile_dir(Path(spec.origin).parent, quiet=1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--sizes", type=int, nargs="*", default=[250, 1000, 4000])
    parser.add_argument("--cpu", action="store_true", help="time CPU, not wall time")
    options = parser.parse_args()
    global CPU  # noqa: PLW0603 - one setting for the whole run
    CPU = options.cpu
    compile_painopts()
    with tempfile.TemporaryDirectory() as scratch:
        env = dict(os.environ, PAINOPTS_CACHE_DIR=str(Path(scratch) / "cache"))
        env.pop("PAINOPTS_DATA", None)
        env.pop("PAINOPTS_NO_CACHE", None)
        print(
            f"machine: {platform.machine()}, {os.cpu_count()} cores, {platform.platform()}, Python {platform.python_version()}"
        )
        clock = "CPU time (user + system)" if CPU else "wall time"
        print(
            f"date: {time.strftime('%Y-%m-%d')}, runs per figure: {options.runs} (median {clock})\n"
        )
        rows = startup(options.runs, env)
        print(table("Start-up (ratio to floor F)", rows))
        print()
        print(against_bare_imports(rows))
        print()
        if options.sizes:
            scale_runs = max(options.runs // 3, 3)
            rows = scale(options.sizes, scale_runs, env, Path(scratch))
            print(table(f"Scale ({scale_runs} runs per figure)", rows))


if __name__ == "__main__":
    main()
