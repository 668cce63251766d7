"""The benchmarks' shared machinery: whole-process measurements through the launcher,
interleaved runs, medians and ratios, and the printing of a goal beside its figure.

- `launch` runs one command as a child of ``launch.py`` (a tiny process, so that the
  child's peak memory is its own: see that file) and returns its `Measure`: CPU seconds
  (user + sys of the child and of the processes it waited for), wall seconds, peak MB,
  exit code and output.
- Children get `child_env`: this environment without PYTHONDONTWRITEBYTECODE (these
  machines set it; a user's machine caches byte-code), so the warm-up run of each job
  writes the byte-code that the measured runs then load.
- `rounds` runs a list of `Job`s once each as a warm-up (not recorded), then ``runs``
  rounds of the whole list in order (A, reference, A, reference, ...): a slow spell of the
  machine hits both sides of a comparison alike.
- `compare` gives the medians of two jobs, the ratio of the medians and the median of the
  ratios of each round's pair.

Nothing here asserts: benchmarks print their figures and their goals.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
LAUNCHER = HERE / "launch.py"
PYTHON = sys.executable


class Measure(NamedTuple):
    """One run of a command as a whole process."""

    cpu: float  # user + sys seconds
    user: float
    sys: float
    wall: float
    peak_mb: float
    rc: int
    output: str  # its stdout
    errors: str  # its stderr


@dataclass
class Job:
    """A command to measure; ``setup`` runs before each run (in this process, not measured):
    a fresh copy of the file the command changes, for instance."""

    name: str
    argv: Sequence[str]
    setup: Callable[[], object] | None = None
    env: dict[str, str] = field(default_factory=dict)


def child_env(**extra: str) -> dict[str, str]:
    """This environment without PYTHONDONTWRITEBYTECODE (byte-code cached, as on a
    user's machine), plus ``extra``."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update(extra)
    return env


def cli(*args: object) -> list[str]:
    """The command line of ``workbook-tools ARGS`` as a user runs it (``python -m workbook_tools``)."""
    return [PYTHON, "-m", "workbook_tools", *map(str, args)]


def python(*args: object) -> list[str]:
    return [PYTHON, *map(str, args)]


def bare(tag: str = "") -> Job:
    """The reference of start-up: a bare ``python -c pass`` (``tag`` tells several apart)."""
    return Job(f"python -c pass {tag}".strip(), python("-c", "pass"))


def launch(argv: Sequence[str], env: dict[str, str] | None = None, cwd: Path = ROOT) -> Measure:
    """Run ``argv`` through the launcher and return what it measured, with its output."""
    with tempfile.TemporaryDirectory(prefix="bench-out-") as tmp:
        out, err = Path(tmp) / "stdout", Path(tmp) / "stderr"
        proc = subprocess.run([PYTHON, "-I", "-S", str(LAUNCHER), "--stdout", str(out), "--stderr", str(err),
                               "--", *argv], env=env if env is not None else child_env(), cwd=cwd,
                              capture_output=True, text=True, check=True)
        got = json.loads(proc.stdout)
        return Measure(got["cpu"], got["user"], got["sys"], got["wall"], got["peak_mb"], got["rc"],
                       out.read_text(encoding="utf-8", errors="replace"),
                       err.read_text(encoding="utf-8", errors="replace"))


def run_job(job: Job) -> Measure:
    if job.setup is not None:
        job.setup()
    got = launch(job.argv, child_env(**job.env))
    if got.rc not in (0, 1):  # 1: problems named (a figure still); anything else: say so
        print(f"  ! {job.name}: exit {got.rc}: {got.errors.strip()[-300:]}", file=sys.stderr)
    return got


def rounds(jobs: Sequence[Job], runs: int, warm_up: bool = True) -> dict[str, list[Measure]]:
    """One warm-up run of each job, then ``runs`` rounds of every job in order; the
    measures by job name, round by round."""
    if warm_up:
        for job in jobs:
            run_job(job)
    results: dict[str, list[Measure]] = {job.name: [] for job in jobs}
    if len(results) != len(jobs):
        raise ValueError("two jobs of one name: give each its own (rounds are paired by name)")
    for i in range(runs):
        print(f"  round {i + 1}/{runs}", file=sys.stderr, flush=True)
        for job in jobs:
            results[job.name].append(run_job(job))
    return results


class Comparison(NamedTuple):
    a: float  # the median of A
    ref: float  # the median of the reference
    ratio: float  # of the medians
    pairwise: float  # the median of each round's ratio
    difference: float  # the median of each round's difference (A - reference)


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def compare(a: Sequence[Measure], ref: Sequence[Measure], metric: str = "cpu") -> Comparison:
    xs = [getattr(m, metric) for m in a]
    ys = [getattr(m, metric) for m in ref]
    pairs = list(zip(xs, ys))
    return Comparison(median(xs), median(ys), median(xs) / median(ys) if median(ys) else float("inf"),
                      median([x / y for x, y in pairs if y]) if any(y for _, y in pairs) else float("inf"),
                      median([x - y for x, y in pairs]))


def verdict(value: float, goal: float, below: bool = True) -> str:
    """"met" or "NOT met": ``value`` at most (``below``) or at least ``goal``."""
    return "met" if (value <= goal if below else value >= goal) else "NOT met"


def ratio_line(label: str, cmp: Comparison, ref_label: str, unit: str, goal: float | None = None) -> str:
    """One printed comparison: both medians, the ratio of medians and the pairwise one, the goal."""
    fmt = "{:.3f}" if unit == "s" else "{:.0f}"
    text = (f"{label:<34} {fmt.format(cmp.a):>8} {unit} vs {ref_label} {fmt.format(cmp.ref)} {unit}: "
            f"{cmp.ratio:.2f}x (pairwise {cmp.pairwise:.2f}x)")
    if goal is not None:
        text += f"   goal <= {goal:g}x: {verdict(cmp.ratio, goal)}"
    return text


def cells_changed(output: str) -> int:
    """The cells a refresh changed, from its report lines ("N cells changed", summed over files)."""
    return sum(int(n.replace(",", "")) for n in re.findall(r"(\d[\d,]*) cells? changed", output))


def problems_note(m: Measure) -> str:
    """A short note of a run's exit code, when it is not 0."""
    return "" if m.rc == 0 else f" (exit {m.rc})"


def parser(doc: str | None, runs: int) -> argparse.ArgumentParser:
    """The options every benchmark takes: --runs (interleaved rounds) and --quick (smaller)."""
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]  # in step with the progress on stderr
    ap = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=runs, help=f"interleaved rounds after the warm-up (default {runs})")
    ap.add_argument("--quick", action="store_true", help="a smaller run, to check that the script works")
    return ap


def header(title: str, runs: int) -> None:
    print(f"== {title}")
    print(f"   (whole processes through tests/benchmarks/launch.py; 1 warm-up, then {runs} interleaved "
          f"round{'s' if runs != 1 else ''}; medians; byte-code cached; {os.cpu_count()} cores)")


def takes_workers(command: str) -> bool:
    """Whether the command line's ``command`` takes ``--workers`` (from its --help)."""
    helptext = subprocess.run(cli(command, "--help"), capture_output=True, text=True, env=child_env()).stdout
    return "--workers" in helptext
