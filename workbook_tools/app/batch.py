"""Batch work over many trackers: parallel processes, and a progress bar on a terminal.

Results come back in the order of the paths given, whatever the number of workers, so
nothing downstream depends on scheduling. Workers run top-level functions and send
back small picklable results (counts, calendar entries, refresh reports), never whole
workbooks.
"""

from __future__ import annotations

import errno
import os
import sys
from collections.abc import Callable, Iterable, Sequence
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from workbook_tools import contract as C
from workbook_tools.errors import WorkbookError

T = TypeVar("T")
#: Below this many files a process pool costs more than it saves.
PARALLEL_FROM = 8


def default_workers() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1))


def expand_paths(paths: Iterable[str | Path], skip: Iterable[str | Path] = ()) -> list[Path]:
    """Files as given; a folder stands for every tracker in it (.xlsx, .xlsm),
    recursively, sorted, without Excel's ~$ owner files. Files in ``skip`` (such as
    the command's own output) are left out."""
    skipped = {Path(s).resolve() for s in skip}
    out: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            found = sorted(f for f in p.rglob("*") if f.suffix.lower() in C.WORKBOOK_SUFFIXES
                           and not f.name.startswith("~$") and f.is_file())
        else:
            found = [p]
        out.extend(f for f in found if not skipped or f.resolve() not in skipped)
    return out


def map_paths(fn: Callable[..., T], paths: Sequence[str], *args: Any, workers: int | None = None,
              label: str = "Working", on_error: Callable[[str, OSError], T] | None = None) -> list[T]:
    """``fn(path, *args)`` for every path, in parallel processes when there are many;
    ``fn`` must be a top-level function. A progress bar shows on stderr when it is a
    terminal. With ``on_error`` (a top-level function too), a file that cannot be read
    (an OSError: no permission, a folder, gone) gets ``on_error(path, error)`` as its
    result and the other paths go on; without it, the error stops the whole run."""
    workers = workers or default_workers()
    bar = _Bar(label, len(paths))
    one = partial(_apply, fn, args, on_error)
    results: list[T]
    try:
        if workers <= 1 or len(paths) < PARALLEL_FROM:
            results = []
            for p in paths:
                results.append(one(p))
                bar.advance()
        else:
            from concurrent.futures import ProcessPoolExecutor  # here: one file never starts a pool
            from concurrent.futures.process import BrokenProcessPool

            chunk = max(1, len(paths) // (workers * 8))
            try:
                with ProcessPoolExecutor(max_workers=min(workers, len(paths))) as pool:
                    results = []
                    for r in pool.map(one, paths, chunksize=chunk):
                        results.append(r)
                        bar.advance()
            except BrokenProcessPool:  # a file made a worker die (the reader aborted on it)
                results = results + [_alone(one, p, on_error) for p in paths[len(results):]]
    finally:
        bar.close()
    return results


def _alone(one: Callable[[str], T], path: str, on_error: Callable[[str, OSError], T] | None) -> T:
    """``one(path)`` in a process of its own, after a worker died: the file that kills
    it is named (through ``on_error``, else a `WorkbookError`), and the others go on."""
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    try:
        with ProcessPoolExecutor(max_workers=1) as pool:
            return pool.submit(one, path).result()
    except BrokenProcessPool:
        message = "made the reader stop (a damaged or hostile file)"
        if on_error is not None:
            return on_error(path, OSError(errno.EIO, message, path))
        raise WorkbookError(path, message, "open it in Excel and save it again, or leave it out") from None


def _apply(fn: Callable[..., T], args: tuple[Any, ...], on_error: Callable[[str, OSError], T] | None,
           path: str) -> T:
    try:
        return fn(path, *args)
    except OSError as exc:
        if on_error is None:
            raise
        return on_error(path, exc)


class _Bar:
    """A rich progress bar on stderr, only when stderr is a terminal (piped output
    stays clean) and there is more than one file."""

    def __init__(self, label: str, total: int) -> None:
        self._progress = None
        if total > 1 and _isatty(sys.stderr):
            from rich.console import Console
            from rich.progress import Progress

            self._progress = Progress(console=Console(file=sys.stderr), transient=True)
            self._progress.start()
            self._task = self._progress.add_task(label, total=total)

    def advance(self) -> None:
        if self._progress is not None:
            self._progress.advance(self._task)

    def close(self) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None


def _isatty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):  # closed or not a real stream
        return False
