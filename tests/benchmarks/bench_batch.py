"""Benchmark: batches (issue 16). A careers office runs the command line over a folder of
1,000 trackers of 50 interviews and 150 calls each.

Run: python tests/benchmarks/bench_batch.py [--trackers 1000] [--workers 2] [--seeds 8] [--runs 2] [--quick]

Builds ``--seeds`` distinct realistic trackers of 50 rows and 3 calls a row
(tests/benchmarks/trackers.py, one seed each), refreshes each once on TODAY (as a tracker in
use is), and copies them round-robin into a folder of ``--trackers`` files. Then measures,
each a whole process through the launcher, interleaved round by round, on TODAY + 1:
  - report: `workbook-tools report FOLDER --workers N`;
  - refresh: `workbook-tools refresh FOLDER` on a fresh copy of the folder each run (the next
    day's refresh: cells really change, their count is printed); `--workers N` when the
    command takes it (said otherwise);
  - calendar: `workbook-tools calendar FOLDER -o plan.ics --workers N`.
The warm-up (byte-code) runs each command once on a folder of 20 copies. Prints wall
seconds (what the user waits: the goal figure), CPU seconds (of the command and its worker
processes) and the peak memory of its largest process.
Goals with 2 workers: report < 3 s, refresh < 3 s, calendar < 5 s.
Not a test: nothing here asserts.
"""

from __future__ import annotations

import shutil
import tempfile
from datetime import timedelta
from pathlib import Path

import harness
import trackers

ROWS = 50
GOALS = {"report": 3.0, "refresh": 3.0, "calendar": 5.0}


def fill(folder: Path, seeds: list[Path], count: int) -> Path:
    """``folder`` emptied and filled with ``count`` copies of ``seeds``, round-robin."""
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir()
    for i in range(count):
        shutil.copyfile(seeds[i % len(seeds)], folder / f"t{i:04d}.xlsx")
    return folder


def batch_jobs(folder: Path, work: Path, seeds: list[Path], count: int, workers: int,
               tag: str = "") -> list[harness.Job]:
    day = trackers.TODAY + timedelta(days=1)
    parallel = ["--workers", str(workers)]
    refresh_folder = work / f"refresh{tag}"
    refresh_workers = parallel if harness.takes_workers("refresh") else []
    return [
        harness.Job(f"report{tag}", harness.cli("report", folder, "--today", day, *parallel)),
        harness.Job(f"refresh{tag}", harness.cli("refresh", refresh_folder, "--today", day, *refresh_workers),
                    setup=lambda: fill(refresh_folder, seeds, count)),
        harness.Job(f"calendar{tag}", harness.cli("calendar", folder, "-o", work / "plan.ics", "--today", day,
                                                  *parallel)),
    ]


def main() -> None:
    ap = harness.parser(__doc__, runs=2)
    ap.add_argument("--trackers", type=int, default=1000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--seeds", type=int, default=8, help="distinct trackers, copied round-robin")
    args = ap.parse_args()
    count, runs = (50, 1) if args.quick else (args.trackers, args.runs)
    with tempfile.TemporaryDirectory(prefix="bench-batch-") as tmp:
        work = Path(tmp)
        (work / "seeds").mkdir()
        seeds = [trackers.build(work / "seeds" / f"seed{s}.xlsx", ROWS, seed=s) for s in range(args.seeds)]
        harness.launch(harness.cli("refresh", *seeds, "--today", trackers.TODAY))
        for job in batch_jobs(fill(work / "warm", seeds, 20), work, seeds, 20, args.workers, tag=" (warm-up)"):
            harness.run_job(job)
        folder = fill(work / "trackers", seeds, count)
        harness.header(f"batches: {count:,} trackers x {ROWS} rows, {3 * ROWS} calls ({args.seeds} distinct); "
                       f"--workers {args.workers}; today {trackers.TODAY + timedelta(days=1)}", runs)
        if not harness.takes_workers("refresh"):
            print("   (refresh takes no --workers: run with its own default)")
        results = harness.rounds(batch_jobs(folder, work, seeds, count, args.workers), runs, warm_up=False)
        for name, goal in GOALS.items():
            got = results[name]
            wall = harness.median([m.wall for m in got])
            cpu = harness.median([m.cpu for m in got])
            print(f"{name:<10} wall {wall:>7.2f} s   CPU {cpu:>7.2f} s   largest process "
                  f"{harness.median([m.peak_mb for m in got]):>5.0f} MB   goal < {goal:g} s: "
                  f"{harness.verdict(wall, goal)}{harness.problems_note(got[-1])}"
                  f"   (runs: {', '.join(f'{m.wall:.2f}' for m in got)})")
        print(f"refresh changed {harness.cells_changed(results['refresh'][-1].output):,} cells over {count:,} trackers")


if __name__ == "__main__":
    main()
