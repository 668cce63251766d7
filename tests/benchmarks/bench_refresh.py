"""Benchmark: `refresh` of a tracker file against a plain openpyxl load and save.

Run: python tests/benchmarks/bench_refresh.py [--sizes 1000 10000] [--runs 3]

Builds trackers of each size from the template (interviews, three calls each, contacts),
then measures, each run in a fresh child process:
  - refresh: `workbook_tools.adapters.file.refresh_file` (read, compute, write owned cells)
  - openpyxl: `openpyxl.load_workbook` + `save` of the same file (no computing at all)
first on the tracker as built (every owned cell is new), then on the refreshed tracker
a day later (the daily case: the cells hold yesterday's scripts, some change), and
prints them side by side: the best time of the runs, and the peak memory of the child.

Peak memory is the child's own high-water mark (VmHWM on Linux). Not ru_maxrss: on
Linux that survives fork and exec, so a child of a big parent reports the parent's
size. The goal at 10,000 rows: refresh in at most a quarter of openpyxl's time and
half its memory. Not a test: nothing here asserts.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import subprocess
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

#: Prints this process's peak memory: its own high-water mark (VmHWM) on Linux.
PEAK = r"""
import json, resource, sys
try:
    with open("/proc/self/status") as fh:
        peak = next(int(line.split()[1]) for line in fh if line.startswith("VmHWM")) / 1024
except OSError:  # not Linux: ru_maxrss is this process's own there (bytes on macOS)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / (2**20 if sys.platform == "darwin" else 1024)
print(json.dumps({"seconds": elapsed, "peak_mb": peak}))
"""

CHILD = r"""
import sys, time
from datetime import date
kind, path, day = sys.argv[1], sys.argv[2], date.fromisoformat(sys.argv[3])
t0 = time.perf_counter()
if kind == "refresh":
    from workbook_tools.adapters.file import refresh_file
    refresh_file(path, day)
else:
    import openpyxl
    wb = openpyxl.load_workbook(path)
    wb.save(path)
elapsed = time.perf_counter() - t0
""" + PEAK

BASELINE = "elapsed = 0.0\n" + PEAK

DAY = date(2026, 11, 23)


def build(path: Path, rows: int, seed: int = 7) -> None:
    from workbook_tools import contract as C
    from workbook_tools.template.workbook import build_tracker

    rng = random.Random(seed)
    interviews, calls, contacts = [], [], []
    for i in range(rows):
        event = date(2026, 6, 1) + timedelta(days=rng.randrange(150))
        company = f"Company {i:05d}"
        interviews.append({"Company": company, "Position": "Analyst", "Contact": f"Person {i}",
                           "Event Date": event, "Talking Point": "forecasting", "Call When": "after Tuesday"})
        contacts.append({"Name": f"Person {i}", "Company": company, "Phone": "555-0100",
                         "Time Zone": "America/Chicago"})
        for k in range(3):
            calls.append({"Date": event + timedelta(days=4 + 5 * k), "Company": company,
                          "Outcome": rng.choice([C.LEFT_VOICEMAIL, C.NO_ANSWER, C.SPOKE])})
    build_tracker(path, interviews=interviews, calls=calls, contacts=contacts,
                  settings={"Your Name": "Sam Lee", "Your Phone": "555-0199"})


def measure(kind: str, source: Path, work: Path, day: date, runs: int) -> dict[str, float]:
    best: dict[str, float] = {}
    for _ in range(runs):
        target = work / f"{kind}.xlsx"
        shutil.copyfile(source, target)
        out = subprocess.run([sys.executable, "-c", CHILD, kind, str(target), day.isoformat()], check=True,
                             capture_output=True, text=True)
        got = json.loads(out.stdout)
        if not best or got["seconds"] < best["seconds"]:
            best["seconds"] = got["seconds"]
        best["peak_mb"] = max(best.get("peak_mb", 0.0), got["peak_mb"])
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    ap.add_argument("--runs", type=int, default=3, help="runs of each measurement (best time, highest peak)")
    args = ap.parse_args()
    base = json.loads(subprocess.run([sys.executable, "-c", BASELINE], check=True, capture_output=True,
                                     text=True).stdout)["peak_mb"]
    print(f"(a bare Python process peaks at {base:.0f} MB; best time and highest peak of {args.runs} runs)")
    print(f"{'rows':>7} {'case':<12} | {'refresh s':>9} {'openpyxl s':>10} {'time ratio':>10} | "
          f"{'refresh MB':>10} {'openpyxl MB':>11} {'mem ratio':>9}")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for n in args.sizes:
            source = work / f"tracker-{n}.xlsx"
            build(source, n)
            refreshed = work / f"refreshed-{n}.xlsx"
            shutil.copyfile(source, refreshed)
            from workbook_tools.adapters.file import refresh_file

            refresh_file(refreshed, DAY)
            for case, path, day in (("first", source, DAY), ("next day", refreshed, DAY + timedelta(days=1))):
                r = measure("refresh", path, work, day, args.runs)
                o = measure("openpyxl", path, work, day, args.runs)
                print(f"{n:>7} {case:<12} | {r['seconds']:>9.2f} {o['seconds']:>10.2f} "
                      f"{r['seconds'] / o['seconds']:>10.2f} | {r['peak_mb']:>10.0f} {o['peak_mb']:>11.0f} "
                      f"{r['peak_mb'] / o['peak_mb']:>9.2f}")
    print("goal at 10,000 rows: time ratio <= 0.25, memory ratio <= 0.50")


if __name__ == "__main__":
    main()
