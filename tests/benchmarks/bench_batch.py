"""Benchmark: `report` and `refresh` over a folder of 1,000 trackers of 50 interviews and
150 calls each.

Run: python tests/benchmarks/bench_batch.py [--trackers 1000] [--workers N]
Prints the time of each command over the folder and the number of workers. The goal:
the report over 1,000 trackers in under 8 seconds on a 2-core machine. Not a test.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from workbook_tools import contract as C
from workbook_tools.app.batch import default_workers
from workbook_tools.template.workbook import build_tracker

OUTCOMES = [C.LEFT_VOICEMAIL, C.NO_ANSWER, C.SPOKE, C.LEFT_VOICEMAIL, C.OUTCOME_NOT_SELECTED]


#: A filled-in Settings sheet: the benchmark measures the work, not the printing of problems.
SETTINGS = {"Your Name": "Sam Lee", "Your Phone": "555-0199", "Your Email": "sam@example.com"}


def one_tracker(path: Path) -> None:
    interviews, calls = [], []
    for i in range(50):
        event = date(2026, 9, 1) + timedelta(days=i)
        interviews.append({"Company": f"Company {i}", "Position": "Analyst", "Event Date": event})
        calls += [{"Date": event + timedelta(days=3 + 4 * k), "Company": f"Company {i}",
                   "Outcome": OUTCOMES[(i + k) % len(OUTCOMES)]} for k in range(3)]
    build_tracker(path, interviews=interviews, calls=calls, settings=SETTINGS)


def run(args: list[str]) -> str:
    """The command's wall time (a fresh process, as a user runs it), and its exit code."""
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "workbook_tools", *args], check=False,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    took = time.perf_counter() - t0
    note = "" if proc.returncode == 0 else f", exit {proc.returncode}: {proc.stderr.strip()[:200]}"
    return f"{took:.2f} s{note}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--trackers", type=int, default=1000)
    ap.add_argument("--workers", type=int, default=default_workers())
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "trackers"
        folder.mkdir()
        one_tracker(folder / "t0000.xlsx")
        for i in range(1, args.trackers):
            shutil.copyfile(folder / "t0000.xlsx", folder / f"t{i:04d}.xlsx")
        today = ["--today", "2026-11-23"]
        print(f"{args.trackers} trackers x 50 interviews, 150 calls; workers: {args.workers}")
        print(f"report           : {run(['report', str(folder), *today, '--workers', str(args.workers)])}"
              " (goal < 8 s)")
        if args.workers > 1:
            print(f"report, 1 worker : {run(['report', str(folder), *today, '--workers', '1'])}")
        print(f"calendar         : {run(['calendar', str(folder), *today, '-o', str(Path(tmp) / 'plan.ics')])}")
        print(f"refresh          : {run(['refresh', str(folder), *today])}")
        print(f"refresh, again   : {run(['refresh', str(folder), *today])} (nothing left to change)")


if __name__ == "__main__":
    main()
