"""Benchmark: hostile files through `workbook-tools check` and `refresh` (issue 13).

Run: python tests/benchmarks/bench_hostile.py [--runs 3]

Builds each hostile tracker in a temporary folder, then runs `check` and `refresh` on
it (`python -m workbook_tools CMD FILE`), each run a whole process through the launcher
(tests/benchmarks/harness.py: one warm-up, then the runs, each on a fresh copy), and prints
the median wall and CPU seconds, the highest peak memory of the child (its own) and the
exit code. The cases:
  - bomb (size): a sheet padded to 1 GB of spaces (refused by its size in the zip directory)
  - bomb (ratio): a sheet padded with 64 MB of spaces (it inflates about 1000 times)
  - bomb (lying): a sheet padded with 256 MB of spaces whose zip directory says 1,000 bytes
  - far cell: an empty string at Interviews!XFD1048576 (the reader would build a 512 GiB grid)
  - overflow: a Cadences Wait of "1000000 weeks", a Call When of "in 99999999 weeks",
    Days After Decision 100000000 and an Event Date of 9999-12-30
The goal for each: under 5 s and 300 MB, exit 1 (a problem named), never an abort.
Not a test: nothing here asserts.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path

import harness

sys.path.insert(0, str(harness.ROOT))

from tests.support.hostile_zip import INTERVIEWS_PART, lying_about_size, with_rows, with_sheet  # noqa: E402
from tests.support.trackers import FRI, small_tracker  # noqa: E402

TODAY = "2013-09-30"


def _padded(size: int) -> Callable[[bytes], bytes]:
    return lambda xml: xml.replace(b"</sheetData>", b" " * size + b"</sheetData>")


def bomb_size(path: Path) -> None:
    small_tracker(path)
    with_sheet(path, _padded(1 << 30))


def bomb_ratio(path: Path) -> None:
    small_tracker(path)
    with_sheet(path, _padded(64 << 20))


def bomb_lying(path: Path) -> None:
    small_tracker(path)
    lying_about_size(path, INTERVIEWS_PART, 256 << 20, 1000)


def far_cell(path: Path) -> None:
    small_tracker(path)
    with_rows(path, b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t></t></is></c></row>')


def overflow(path: Path) -> None:
    from workbook_tools.xlsx.write import write_cells

    small_tracker(path, interviews=[
        {"Company": "Acme", "Position": "Analyst", "Event Date": FRI, "Call When": "in 99999999 weeks"},
        {"Company": "Late", "Position": "Analyst", "Event Date": date(9999, 12, 30)},
        {"Company": "Globex", "Position": "Analyst", "Event Date": FRI}],
        settings={"Days After Decision": 100000000})
    write_cells(path, "Cadences", {"C2": "1000000 weeks"})


CASES: dict[str, Callable[[Path], None]] = {
    "bomb (size)": bomb_size, "bomb (ratio)": bomb_ratio, "bomb (lying)": bomb_lying,
    "far cell": far_cell, "overflow": overflow,
}


def measure(command: str, source: Path, work: Path, runs: int) -> dict[str, object]:
    target = work / "run.xlsx"
    job = harness.Job(command, harness.cli(command, target, "--today", TODAY),
                      setup=lambda: shutil.copyfile(source, target))
    got = harness.rounds([job], runs)[command]
    return {"seconds": harness.median([m.wall for m in got]), "cpu": harness.median([m.cpu for m in got]),
            "peak_mb": max(m.peak_mb for m in got), "code": _code(got[-1])}


def _code(m: harness.Measure) -> object:
    """The exit code, or the exception when the command crashed (a traceback also exits 1)."""
    if "Traceback (most recent call last)" in m.errors:
        return f"exception {m.errors.strip().splitlines()[-1].split(':')[0]}"
    return m.rc


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=3, help="runs of each measurement (median time, highest peak)")
    ap.add_argument("--cases", nargs="+", choices=sorted(CASES), default=list(CASES))
    args = ap.parse_args()
    print(f"{'case':<14} {'command':<8} | {'seconds':>8} {'CPU s':>8} {'peak MB':>8} {'exit':>5} | file size")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for case in args.cases:
            source = work / "source.xlsx"
            CASES[case](source)
            for command in ("check", "refresh"):
                got = measure(command, source, work, args.runs)
                print(f"{case:<14} {command:<8} | {got['seconds']:>8.2f} {got['cpu']:>8.2f} {got['peak_mb']:>8.0f} "
                      f"{got['code']!s:>5} | "
                      f"{source.stat().st_size / 1024:,.0f} KB")
            source.unlink()
    print("goal for each: under 5 s and 300 MB, exit 1")


if __name__ == "__main__":
    main()
