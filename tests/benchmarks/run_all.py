"""Run every benchmark of this folder, one after the other, each in a process of its own.

Run: python tests/benchmarks/run_all.py [--quick] [--only small button ...]

``--quick`` is passed on to each script (smaller runs, to check that they work). The
scripts print their figures and goals; this one prints which script runs and its time.
About 10 minutes in full on a 2-core machine (the first run longer: bench_scale builds
and caches its 100,000-row trackers). Not a test: nothing here asserts.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ORDER = ("small", "button", "refresh", "batch", "scale", "hostile", "engine")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--only", nargs="+", choices=ORDER, default=list(ORDER))
    args = ap.parse_args()
    failed = []
    for name in [n for n in ORDER if n in args.only]:
        extra = ["--runs", "1"] if args.quick and name == "hostile" else ["--quick"] if args.quick else []
        print(f"\n### bench_{name}.py {' '.join(extra)}", flush=True)
        started = time.perf_counter()
        code = subprocess.run([sys.executable, str(HERE / f"bench_{name}.py"), *extra], check=False).returncode
        print(f"### bench_{name}.py: {time.perf_counter() - started:.0f} s" + (f", exit {code}" if code else ""),
              flush=True)
        if code:
            failed.append(name)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
