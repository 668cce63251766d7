"""Batch work over many trackers: parallel processes, and a progress bar on a terminal.

Results come back in the order of the paths given, whatever the number of workers, so
nothing downstream depends on scheduling.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from typing import Any, TypeVar

T = TypeVar("T")
#: Below this many files a process pool costs more than it saves.
PARALLEL_FROM = 8


def default_workers() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1))


def map_paths(fn: Callable[..., T], paths: Sequence[str], *args: Any, workers: int | None = None,
              label: str = "Working") -> list[T]:
    """``fn(path, *args)`` for every path, in parallel processes when there are many;
    ``fn`` must be a top-level function. A progress bar shows on stderr when it is a
    terminal."""
    workers = workers or default_workers()
    bar = _Bar(label, len(paths))
    results: list[T]
    if workers <= 1 or len(paths) < PARALLEL_FROM:
        results = []
        for p in paths:
            results.append(fn(p, *args))
            bar.advance()
    else:
        chunk = max(1, len(paths) // (workers * 8))
        with ProcessPoolExecutor(max_workers=workers) as pool:
            results = []
            for r in pool.map(partial(_apply, fn, args), paths, chunksize=chunk):
                results.append(r)
                bar.advance()
    bar.close()
    return results


def _apply(fn: Callable[..., T], args: tuple[Any, ...], path: str) -> T:
    return fn(path, *args)


class _Bar:
    def __init__(self, label: str, total: int) -> None:
        self._progress = None
        if sys.stderr.isatty() and total > 1:
            from rich.console import Console
            from rich.progress import Progress

            self._progress = Progress(console=Console(stderr=True), transient=True)
            self._progress.start()
            self._task = self._progress.add_task(label, total=total)

    def advance(self) -> None:
        if self._progress is not None:
            self._progress.advance(self._task)

    def close(self) -> None:
        if self._progress is not None:
            self._progress.stop()
