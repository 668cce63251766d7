"""Benchmark: scale (issue 16). Time and peak memory of `refresh` from 1,000 to 100,000
rows (linear?), and a 100,000-row tracker with 1,000,000 calls (goal: under 400 MB).

Run: python tests/benchmarks/bench_scale.py [--sizes 1000 10000 100000] [--big-calls 10] [--runs 1] [--quick]

For each size, a realistic tracker (tests/benchmarks/trackers.py, 3 calls a row) and a copy
refreshed once on TODAY; then, each a whole process through the launcher, on a fresh copy:
  - refresh (first) on the tracker as built, on TODAY;
  - refresh (next day) on the refreshed copy, on TODAY + 1 (rows holding yesterday's scripts);
  - floor.py (read every sheet, write Interviews) on the tracker as built, for reference.
Then the same on the largest size with ``--big-calls`` calls a row (10: 1,000,000 calls).
Prints wall and CPU seconds and each child's own peak memory, per 1,000 rows and, from one
size to the next, the increase per 1,000 rows added (equal increases: linear).

Trackers are built with the template's own builder (about 25 s at 100,000 rows, a minute
with 1,000,000 calls) and kept between runs in the temporary folder
(`trackers.cached`: keyed by the builder's and the template's code). The warm-up
(byte-code) runs on the smallest size only. Not a test: nothing here asserts.
"""

from __future__ import annotations

import shutil
import tempfile
from datetime import timedelta
from pathlib import Path
from typing import NamedTuple

import harness
import trackers

FLOOR = harness.HERE / "floor.py"
GOAL_MB = 400


class Case(NamedTuple):
    rows: int
    calls_per_row: int


def case_jobs(case: Case, work: Path) -> list[harness.Job]:
    tag = f"{case.rows}x{case.calls_per_row}"
    built = trackers.cached(work / f"built-{tag}.xlsx", case.rows, calls_per_row=case.calls_per_row)
    refreshed = work / f"refreshed-{tag}.xlsx"
    shutil.copyfile(built, refreshed)
    harness.launch(harness.cli("refresh", refreshed, "--today", trackers.TODAY))
    t = work / "run.xlsx"
    tomorrow = trackers.TODAY + timedelta(days=1)
    return [
        harness.Job(f"{tag} refresh (first)", harness.cli("refresh", t, "--today", trackers.TODAY),
                    setup=lambda: shutil.copyfile(built, t)),
        harness.Job(f"{tag} refresh (next day)", harness.cli("refresh", t, "--today", tomorrow),
                    setup=lambda: shutil.copyfile(refreshed, t)),
        harness.Job(f"{tag} floor (first)", harness.python(FLOOR, t), setup=lambda: shutil.copyfile(built, t)),
    ]


def print_case(case: Case, results: dict[str, list[harness.Measure]], previous: dict[str, tuple[int, float, float]]
               ) -> None:
    per = case.rows / 1000
    for job, got in results.items():
        kind = job.split(" ", 1)[1]
        wall, cpu = harness.median([m.wall for m in got]), harness.median([m.cpu for m in got])
        peak = harness.median([m.peak_mb for m in got])
        line = (f"{case.rows:>8,} {case.rows * case.calls_per_row:>10,} {kind:<19} {wall:>7.2f} {cpu:>7.2f} "
                f"{peak:>7.0f} | {wall / per:>7.3f} {peak / per:>7.2f}")
        if kind in previous and case.calls_per_row == 3:
            rows0, wall0, peak0 = previous[kind]
            added = (case.rows - rows0) / 1000
            line += f" | {(wall - wall0) / added:>7.3f} {(peak - peak0) / added:>7.2f}"
        if case.calls_per_row != 3 and kind.startswith("refresh"):
            line += f" | goal < {GOAL_MB} MB: {harness.verdict(peak, GOAL_MB)}"
        print(line + harness.problems_note(got[-1]))
        if case.calls_per_row == 3:
            previous[kind] = (case.rows, wall, peak)


def main() -> None:
    ap = harness.parser(__doc__, runs=1)
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 100_000])
    ap.add_argument("--big-calls", type=int, default=10, help="calls a row in the last case (10: 1,000,000 calls)")
    args = ap.parse_args()
    sizes, runs = ([1000, 3000], 1) if args.quick else (sorted(args.sizes), args.runs)
    cases = [Case(n, 3) for n in sizes] + [Case(sizes[-1], args.big_calls)]
    harness.header(f"scale: refresh at {', '.join(f'{n:,}' for n in sizes)} rows (3 calls a row), and "
                   f"{sizes[-1]:,} rows with {sizes[-1] * args.big_calls:,} calls", runs)
    print(f"{'rows':>8} {'calls':>10} {'case':<19} {'wall s':>7} {'CPU s':>7} {'peak MB':>7} | "
          f"{'s/1k':>7} {'MB/1k':>7} | {'+s/1k':>7} {'+MB/1k':>7}  (+: per 1,000 rows added since the size before)")
    previous: dict[str, tuple[int, float, float]] = {}
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as tmp:
        work = Path(tmp)
        for i, case in enumerate(cases):
            results = harness.rounds(case_jobs(case, work), runs, warm_up=i == 0)
            print_case(case, results, previous)
            for path in work.glob("*.xlsx"):
                path.unlink()


if __name__ == "__main__":
    main()
