"""Benchmark: the button (issue 16). One click of Refresh in Excel, Python side, on the
remote-engine Book the tests use (tests/adapters/test_excel.py).

Run: python tests/benchmarks/bench_button.py [--runs 9] [--rows 100] [--quick]

Builds a realistic 100-row tracker (tests/benchmarks/trackers.py), refreshes a copy on
TODAY, and saves the payload xlwings' VBA client would send for each
(tests/support/vba_client.vba_payload) as JSON. Then, interleaved, each a whole process
through the launcher (tests/benchmarks/button_child.py):
  - click (next day): the refreshed tracker's payload, refreshed on TODAY + 1 (the daily click);
  - click (as built): the new tracker's payload, refreshed on TODAY;
  - reference: the same child without the Book and the refresh: Python, xlwings imported
    (pandas and numpy blocked), the remote engine registered, the payload parsed.
The child blocks pandas and numpy as an install without them behaves (a sys.meta_path
finder raising ModuleNotFoundError). Prints the CPU of each, the difference of the medians
and the median of each round's difference (goal: at most 0.15 s), and whether pandas or
numpy ended up in sys.modules of the click (goal: neither).

Then one click without the block, on this install as it is (pandas and numpy installed), to
show what xlwings itself brings in here. Not a test: nothing here asserts.
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

import harness
import trackers

GOAL = 0.15
CHILD = harness.HERE / "button_child.py"
#: The remote engine's licence (xlwings.pro, PolyForm Noncommercial): benchmark-only, as in the tests.
LICENCE = {"XLWINGS_LICENSE_KEY": "noncommercial"}


def payload_file(tracker: Path, target: Path) -> Path:
    """The payload xlwings' VBA client sends for ``tracker``, saved as JSON at ``target``."""
    sys.path.insert(0, str(harness.ROOT))
    from tests.support.vba_client import vba_payload

    target.write_text(json.dumps(vba_payload(tracker)), encoding="utf-8")
    return target


def click(name: str, mode: str, payload: Path, day: object, result: Path, **env: str) -> harness.Job:
    return harness.Job(name, harness.python(CHILD, mode, payload, day, result), env={**LICENCE, **env})


def main() -> None:
    ap = harness.parser(__doc__, runs=9)
    ap.add_argument("--rows", type=int, default=100)
    args = ap.parse_args()
    runs = 2 if args.quick else args.runs
    today, tomorrow = trackers.TODAY, trackers.TODAY + timedelta(days=1)
    with tempfile.TemporaryDirectory(prefix="bench-button-") as tmp:
        work = Path(tmp)
        built = trackers.build(work / "built.xlsx", args.rows)
        refreshed = work / "refreshed.xlsx"
        shutil.copyfile(built, refreshed)
        harness.launch(harness.cli("refresh", refreshed, "--today", today))
        daily_payload = payload_file(refreshed, work / "daily.json")
        first_payload = payload_file(built, work / "first.json")
        result = work / "result.json"
        daily = click("click (next day)", "refresh", daily_payload, tomorrow, result)
        first = click("click (as built)", "refresh", first_payload, today, result)
        refs = {job.name: click(f"reference for {job.name}", "reference", daily_payload, tomorrow, work / "ref.json")
                for job in (daily, first)}
        harness.header(f"the button: {args.rows} realistic rows through xlwings' remote engine; "
                       "pandas and numpy blocked", runs)
        results: dict[str, list[harness.Measure]] = {}
        for job in (daily, first):  # each click with its reference, in rounds of their own
            results.update(harness.rounds([refs[job.name], job], runs))
            job_result = json.loads(result.read_text(encoding="utf-8"))
            got = results[job.name]
            cmp = harness.compare(got, results[refs[job.name].name], "cpu")
            note = harness.problems_note(got[-1])
            print(f"{job.name + ' CPU':<34} {cmp.a:>8.3f} s vs reference {cmp.ref:.3f} s: "
                  f"+{cmp.a - cmp.ref:.3f} s (pairwise +{cmp.difference:.3f} s)   goal <= +{GOAL} s: "
                  f"{harness.verdict(cmp.a - cmp.ref, GOAL)}{note}")
            print(f"{'':<34} wall {harness.median([m.wall for m in got]):.3f} s, peak "
                  f"{harness.median([m.peak_mb for m in got]):.0f} MB (reference "
                  f"{harness.median([m.peak_mb for m in results[refs[job.name].name]]):.0f} MB); "
                  f"{job_result['actions']} action(s) setting {job_result['cells']} cells; "
                  "pandas/numpy in sys.modules: "
                  f"{', '.join(job_result['loaded']) or 'neither'} (goal: neither)")
        open_install(daily_payload, tomorrow, work)


def open_install(payload: Path, day: object, work: Path) -> None:
    """One click and one reference with nothing blocked: this install as it is."""
    result = work / "open.json"
    print("\nwithout the block (this install, pandas and numpy installed), one run each:")
    for mode in ("refresh", "reference"):
        got = harness.run_job(click(mode, mode, payload, day, result, BUTTON_BLOCK="0"))
        loaded = json.loads(result.read_text(encoding="utf-8"))["loaded"]
        print(f"  {mode:<10} {got.cpu:.3f} s CPU, {got.peak_mb:.0f} MB; pandas/numpy modules loaded: "
              f"{len(loaded)}{' (' + ', '.join(sorted({m.split('.')[0] for m in loaded})) + ')' if loaded else ''}")


if __name__ == "__main__":
    main()
