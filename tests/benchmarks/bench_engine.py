"""Benchmark: the engine over 100,000 interview rows and a log of 300,000 calls.

Run: python tests/benchmarks/bench_engine.py [--rows N] [--calls N] [--quick]
Prints the time of `compute` in this process (the engine alone: no file read or written;
the goal: under 3 seconds on a 2-core machine). Not a test: timings on shared machines
vary, so nothing here asserts.
"""

from __future__ import annotations

import argparse
import random
import time
from datetime import date, timedelta

from workbook_tools import contract as C
from workbook_tools.core.engine import compute
from workbook_tools.core.grid import tracker_data
from workbook_tools.core.model import TrackerData

TYPES = list(C.TYPES)
OUTCOMES = [C.LEFT_VOICEMAIL, C.NO_ANSWER, C.LEFT_VOICEMAIL, C.SPOKE, C.NEW_DATE, C.NEXT_INTERVIEW,
            C.OUTCOME_NOT_SELECTED, C.OUTCOME_OFFER, C.ASKED_NOT_TO_CALL]
PHRASES = [None, None, None, "after Tuesday", "next week", "mid-week", "in 2 weeks", "Oct 15"]


def build(rows: int, calls: int, seed: int = 1) -> TrackerData:
    rng = random.Random(seed)
    start = date(2026, 1, 5)
    interviews, log, contacts = [], [], []
    for i in range(rows):
        company = f"Company {i:06d}"
        event = start + timedelta(days=rng.randrange(300))
        interviews.append({
            "Company": company, "Position": "Analyst", "Contact": f"Person {i}", "Type": rng.choice(TYPES),
            "Event Date": event, "Call When": rng.choice(PHRASES),
            "Decision By": event + timedelta(days=10) if rng.random() < 0.3 else None,
            "Talking Point": "data pipelines", "Thank-You Sent": event if rng.random() < 0.5 else None,
        })
        contacts.append({"Name": f"Person {i}", "Phone": "555-0100", "Time Zone": "America/Chicago"})
    for _ in range(calls):
        i = rng.randrange(rows)
        event = interviews[i]["Event Date"]
        outcome = rng.choice(OUTCOMES)
        log.append({"Date": event + timedelta(days=rng.randrange(1, 40)), "Company": interviews[i]["Company"],
                    "Outcome": outcome,
                    "New Date": event + timedelta(days=30) if outcome in (C.NEW_DATE, C.NEXT_INTERVIEW) else None})
    settings = {"Your Name": "Sam Lee", "Your Phone": "555-0199", "Country": "US", "Time Zone": "America/New_York"}
    return tracker_data(interviews, log, contacts, settings)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--calls", type=int, default=300_000)
    ap.add_argument("--repeat", type=int, default=3, help="runs; the best is the figure (shared machines are noisy)")
    ap.add_argument("--quick", action="store_true", help="10,000 rows, 30,000 calls, one run")
    args = ap.parse_args()
    if args.quick:
        args.rows, args.calls, args.repeat = 10_000, 30_000, 1
    data = build(args.rows, args.calls)
    times = []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        result = compute(data, date(2026, 11, 23))
        times.append(time.perf_counter() - t0)
    runs = ", ".join(f"{t:.2f}" for t in times)
    print(f"engine: {args.rows:,} rows, {args.calls:,} calls -> best {min(times):.2f} s of {args.repeat} "
          f"runs ({runs}); {len(result.problems)} problems; goal < 3 s")


if __name__ == "__main__":
    main()
