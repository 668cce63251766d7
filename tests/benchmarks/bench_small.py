"""Benchmark: the small tracker (issue 16). A job seeker's tracker has 20 to 500 rows; there a
command is almost all start-up.

Run: python tests/benchmarks/bench_small.py [--runs 7] [--rows 100] [--quick]

Builds a realistic 100-row tracker (tests/benchmarks/trackers.py) and refreshes it once on
TODAY (the tracker as a user has it the next morning). Then, each as a whole process
(`python -m workbook_tools CMD FILE --today D`, through the launcher), interleaved with a
bare `python -c pass`:
  - refresh (first): the tracker as built, on a fresh copy each run;
  - refresh (next day): the tracker refreshed yesterday, on TODAY + 1, a fresh copy each run
    (cells really change: the count is printed);
  - check and agenda: on the refreshed tracker, TODAY + 1.
Prints the CPU medians (user + sys), the ratio of the medians and the median of each round's
ratio against the bare process. Goal: each at most 6x a bare `python -c pass`.

Then runs each command once more with `-X importtime` and prints the heavy packages it
imported (with their cumulative import time) and how many of the holidays package's
country modules it loaded. Goal: no pandas, openpyxl, lxml or rich on the refresh path.
Not a test: nothing here asserts.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from datetime import timedelta
from pathlib import Path
from typing import NamedTuple

import harness
import trackers

GOAL = 6.0
#: The packages whose import a reader wants to see (or not) per command.
HEAVY = ("pandas", "numpy", "openpyxl", "lxml", "rich", "icalendar", "xlsxwriter", "xlwings", "holidays",
         "python_calamine", "dateutil", "click", "zoneinfo", "tzdata")


class Imported(NamedTuple):
    ms: float  # the sum of the self times of the package's modules
    via: str  # the first module of ours whose import brought it in ("": a function imported it as it ran)


def imported(stderr: str) -> tuple[dict[str, Imported], int]:
    """From `-X importtime`'s lines (a module is listed after the ones it imported, indented
    deeper): the heavy top-level packages imported, each with the milliseconds its own
    modules took and the module of ours that first brought it in, and the number of
    `holidays.countries.*` modules imported."""
    lines = [(len(m.group(2)), m.group(3), int(m.group(1)) / 1000) for m in
             (re.match(r"import time:\s+(\d+) \|\s+\d+ \|( *)(\S+)", line) for line in stderr.splitlines()) if m]
    found: dict[str, Imported] = {}
    for i, (_, name, ms) in enumerate(lines):
        top = name.split(".")[0]
        if top not in HEAVY:
            continue
        if top not in found:
            found[top] = Imported(0.0, _importer(lines, i))
        found[top] = found[top]._replace(ms=found[top].ms + ms)
    return found, sum(name.startswith("holidays.countries.") for _, name, _ in lines)


def _importer(lines: list[tuple[int, str, float]], i: int) -> str:
    """The first module of ours up the chain of importers of line ``i`` (each importer is the
    next line indented less)."""
    depth = lines[i][0]
    for d, name, _ in lines[i + 1:]:
        if d < depth:
            if name.startswith("workbook_tools"):
                return name
            depth = d
    return ""


def import_report(jobs: list[harness.Job]) -> None:
    print("\nheavy packages each command imports (-X importtime, one run; ms of the package's own modules):")
    for job in jobs:
        if job.setup is not None:
            job.setup()
        argv = [job.argv[0], "-X", "importtime", *job.argv[1:]]
        got = harness.launch(argv, harness.child_env(**job.env))
        found, countries = imported(got.errors)
        listed = ", ".join(f"{k} {v.ms:.1f}" + (f" (via {v.via})" if v.via else " (in a function)")
                           for k, v in sorted(found.items(), key=lambda kv: -kv[1].ms)) or "none"
        absent = [k for k in ("pandas", "numpy", "openpyxl", "lxml", "rich") if k not in found]
        print(f"  {job.name:<20} {listed}; holidays.countries modules: {countries}")
        print(f"  {'':<20} not imported: {', '.join(absent) or 'none of pandas, numpy, openpyxl, lxml, rich'}")


def main() -> None:
    ap = harness.parser(__doc__, runs=7)
    ap.add_argument("--rows", type=int, default=100)
    args = ap.parse_args()
    runs = 2 if args.quick else args.runs
    today, tomorrow = trackers.TODAY, trackers.TODAY + timedelta(days=1)
    with tempfile.TemporaryDirectory(prefix="bench-small-") as tmp:
        work = Path(tmp)
        built = trackers.build(work / "built.xlsx", args.rows)
        refreshed = work / "refreshed.xlsx"
        shutil.copyfile(built, refreshed)
        harness.launch(harness.cli("refresh", refreshed, "--today", today))
        target = work / "tracker.xlsx"
        first = harness.Job("refresh (first)", harness.cli("refresh", target, "--today", today),
                            setup=lambda: shutil.copyfile(built, target))
        daily = harness.Job("refresh (next day)", harness.cli("refresh", target, "--today", tomorrow),
                            setup=lambda: shutil.copyfile(refreshed, target))
        check = harness.Job("check", harness.cli("check", refreshed, "--today", tomorrow))
        agenda = harness.Job("agenda", harness.cli("agenda", refreshed, "--today", tomorrow),
                             env={"COLUMNS": "100"})
        commands = (first, daily, check, agenda)
        bares = {job.name: harness.bare(f"before {job.name}") for job in commands}
        jobs = [j for job in commands for j in (bares[job.name], job)]  # B, A1, B, A2, ...: each A with its B
        harness.header(f"small tracker: {args.rows} realistic rows, {3 * args.rows} calls; today {today}", runs)
        results = harness.rounds(jobs, runs)
        bare = [m for b in bares.values() for m in results[b.name]]
        print(f"{'bare python -c pass':<34} {harness.median([m.cpu for m in bare]):>8.3f} s CPU, "
              f"{harness.median([m.wall for m in bare]):.3f} s wall, "
              f"{harness.median([m.peak_mb for m in bare]):.0f} MB")
        for job in commands:
            got = results[job.name]
            cmp = harness.compare(got, results[bares[job.name].name], "cpu")
            print(harness.ratio_line(f"{job.name} CPU", cmp, "bare", "s", GOAL)
                  + harness.problems_note(got[-1]))
            print(f"{'':<34} wall {harness.median([m.wall for m in got]):.3f} s, "
                  f"peak {harness.median([m.peak_mb for m in got]):.0f} MB"
                  + (f", {harness.cells_changed(got[-1].output)} cells changed" if job in (first, daily) else ""))
        import_report(list(commands))


if __name__ == "__main__":
    main()
