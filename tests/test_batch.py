"""Batch work: parallel results in input order, and a progress bar only on a terminal."""

from __future__ import annotations

import io
import sys

from workbook_tools import batch


def square(path: str, offset: int) -> tuple[str, int]:
    return path, int(path[1:]) ** 2 + offset


def test_results_keep_the_input_order_whatever_the_workers():
    paths = [f"p{i}" for i in range(20)]
    one = batch.map_paths(square, paths, 1, workers=1)
    two = batch.map_paths(square, paths, 1, workers=2)
    assert one == two == [(p, int(p[1:]) ** 2 + 1) for p in paths]


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_only_on_a_terminal(monkeypatch):
    piped = io.StringIO()
    monkeypatch.setattr(sys, "stderr", piped)
    batch.map_paths(square, ["p1", "p2", "p3"], 0, workers=1)
    assert piped.getvalue() == ""
    tty = _Tty()
    monkeypatch.setattr(sys, "stderr", tty)
    bar = batch._Bar("Working", 3)
    assert bar._progress is not None
    bar.advance()
    bar.close()
