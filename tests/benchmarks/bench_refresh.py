"""Benchmark: 10,000 rows (issue 16). `refresh` of a big realistic tracker against openpyxl's
load and save of it and against the floor (tests/benchmarks/floor.py).

Run: python tests/benchmarks/bench_refresh.py [--rows 10000] [--runs 3] [--quick]

Builds a realistic tracker (tests/benchmarks/trackers.py: long talking points, contacts in
several time zones and countries, every outcome, 3 calls a row, Settings filled), refreshes
a copy of it once on TODAY, then measures, each a whole process through the launcher,
interleaved round by round, each on a fresh copy of its file:
  - refresh (first): `python -m workbook_tools refresh FILE --today TODAY` on the tracker as built;
  - openpyxl: `openpyxl.load_workbook(FILE)` and `save` of the tracker as built (no computing);
  - floor (first): floor.py on the tracker as built (read every sheet, write Interviews);
  - refresh (next day): the refreshed tracker on TODAY + 1 (the daily case; the cells it
    changed are printed: rows go overdue, calls come due);
  - floor (next day): floor.py on the refreshed tracker.
Goals at 10,000 rows: the first refresh at most 0.15x openpyxl's time and 0.4x its peak
memory, and at most 1.3x the floor's time; the next-day refresh at most 1.1x the floor's.
Times are wall seconds of the whole process (CPU printed beside them); peaks are each
child's own. Not a test: nothing here asserts.
"""

from __future__ import annotations

import shutil
import tempfile
from datetime import timedelta
from pathlib import Path

import harness
import trackers

FLOOR = harness.HERE / "floor.py"
OPENPYXL = "import sys, openpyxl; wb = openpyxl.load_workbook(sys.argv[1]); wb.save(sys.argv[1])"
#: (A, reference, metric, goal): the comparisons printed, in order.
GOALS = (
    ("refresh (first)", "openpyxl load+save", "wall", 0.15),
    ("refresh (first)", "openpyxl load+save", "cpu", None),
    ("refresh (first)", "openpyxl load+save", "peak_mb", 0.4),
    ("refresh (first)", "floor (first)", "wall", 1.3),
    ("refresh (first)", "floor (first)", "peak_mb", None),
    ("refresh (next day)", "floor (next day)", "wall", 1.1),
    ("refresh (next day)", "floor (next day)", "cpu", None),
    ("refresh (next day)", "floor (next day)", "peak_mb", None),
)


def on_copy(name: str, source: Path, target: Path, argv: list[str]) -> harness.Job:
    """A job that runs ``argv`` on a fresh copy of ``source`` at ``target`` each time."""
    return harness.Job(name, argv, setup=lambda: shutil.copyfile(source, target))


def jobs(built: Path, refreshed: Path, work: Path) -> list[harness.Job]:
    today, tomorrow = trackers.TODAY, trackers.TODAY + timedelta(days=1)
    t = work / "run.xlsx"
    return [
        on_copy("refresh (first)", built, t, harness.cli("refresh", t, "--today", today)),
        on_copy("openpyxl load+save", built, t, harness.python("-c", OPENPYXL, t)),
        on_copy("floor (first)", built, t, harness.python(FLOOR, t)),
        on_copy("refresh (next day)", refreshed, t, harness.cli("refresh", t, "--today", tomorrow)),
        on_copy("floor (next day)", refreshed, t, harness.python(FLOOR, t)),
    ]


def print_figures(results: dict[str, list[harness.Measure]]) -> None:
    units = {"wall": ("s", "wall"), "cpu": ("s", "CPU"), "peak_mb": ("MB", "peak")}
    for a, ref, metric, goal in GOALS:
        unit, word = units[metric]
        cmp = harness.compare(results[a], results[ref], metric)
        print(harness.ratio_line(f"{a} {word}", cmp, ref, unit, goal))
    for name in ("refresh (first)", "refresh (next day)"):
        last = results[name][-1]
        print(f"{name}: {harness.cells_changed(last.output):,} cells changed{harness.problems_note(last)} "
              f"({last.output.strip().splitlines()[-1] if last.output.strip() else 'no report'})")


def main() -> None:
    ap = harness.parser(__doc__, runs=3)
    ap.add_argument("--rows", type=int, default=10_000)
    args = ap.parse_args()
    rows, runs = (1000, 1) if args.quick else (args.rows, args.runs)
    with tempfile.TemporaryDirectory(prefix="bench-refresh-") as tmp:
        work = Path(tmp)
        built = trackers.cached(work / "built.xlsx", rows)
        refreshed = work / "refreshed.xlsx"
        shutil.copyfile(built, refreshed)
        harness.launch(harness.cli("refresh", refreshed, "--today", trackers.TODAY))
        harness.header(f"{rows:,} realistic rows, {3 * rows:,} calls ({built.stat().st_size / 2**20:.1f} MB as "
                       f"built, {refreshed.stat().st_size / 2**20:.1f} MB refreshed); today {trackers.TODAY}", runs)
        results = harness.rounds(jobs(built, refreshed, work), runs)
        print_figures(results)


if __name__ == "__main__":
    main()
