"""Batch work: parallel results in input order, and a progress bar only on a terminal."""

from __future__ import annotations

import io
import os
import sys
from datetime import date

import pytest

from workbook_tools.app import batch
from workbook_tools.app.batch import PARALLEL_FROM, map_paths
from workbook_tools.app.refresh import refresh_many


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
    batch.map_paths(square, ["p1", "p2", "p3"], 0, workers=1)
    shown = tty.getvalue()
    assert "Working" in shown and "100%" in shown  # the bar reached the end
    assert shown.endswith("\x1b[2K")  # and was cleared (transient): the terminal is left clean


def test_refresh_many_does_each_it_can(tmp_path):
    from tests.support.trackers import SAMPLE, sample_copies

    paths = sample_copies(tmp_path, 9)
    bad = tmp_path / "t4.xlsx"
    bad.write_text("nope")
    (tmp_path / "t6.xlsx").write_bytes(_without_calls(SAMPLE))
    before = {p: p.read_bytes() for p in (bad, tmp_path / "t6.xlsx")}
    out = refresh_many(paths, date(2026, 11, 23), workers=2)
    assert [p for p, _ in out] == [str(p) for p in paths]
    reports = {p: r for p, r in out}
    assert "not an Excel workbook" in reports[str(bad)]
    missing = reports[str(tmp_path / "t6.xlsx")]
    assert isinstance(missing, str)
    assert missing.endswith(f"{tmp_path / 't6.xlsx'}: not refreshed; the file is unchanged")
    assert all(p.read_bytes() == b for p, b in before.items())
    good = [r for r in reports.values() if not isinstance(r, str)]
    assert len(good) == 7 and all(r.written and r.rows == 17 and r.changed > 0 for r in good)
    # once refreshed, a second pass (one worker) changes nothing
    again = refresh_many(paths, date(2026, 11, 23), dry_run=True, workers=1)
    assert [len(r.changes) for _, r in again if not isinstance(r, str)] == [0] * 7


def test_refresh_many_output_needs_one_tracker(tmp_path):
    with pytest.raises(ValueError):
        refresh_many(["a.xlsx", "b.xlsx"], date(2026, 11, 23), output=tmp_path / "o.xlsx")


def test_expand_paths_finds_trackers_and_skips_owner_files_and_the_output(tmp_path):
    (tmp_path / "sub").mkdir()
    for name in ("a.xlsx", "sub/b.XLSM", "sub/~$b.XLSM", "notes.txt", "report.xlsx"):
        (tmp_path / name).write_bytes(b"x")
    found = batch.expand_paths([tmp_path, tmp_path / "missing.xlsx"], skip=[tmp_path / "report.xlsx"])
    assert found == [tmp_path / "a.xlsx", tmp_path / "sub" / "b.XLSM", tmp_path / "missing.xlsx"]


def _without_calls(path) -> bytes:
    """The sample without its Calls sheet: a tracker that cannot be refreshed."""
    import openpyxl

    wb = openpyxl.load_workbook(path)
    del wb["Calls"]
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def square_unless_locked(path: str, offset: int) -> tuple[str, int]:
    if path.startswith("locked"):
        raise PermissionError(13, "Permission denied", path)
    return square(path, offset)


def said_unreadable(path: str, exc: OSError) -> tuple[str, int]:
    return f"{path}: {exc.strerror}", -1


@pytest.mark.parametrize("workers, count", [(1, 3), (2, 12)])
def test_a_file_that_cannot_be_read_is_its_own_result_and_the_others_go_on(workers, count):
    paths = [f"p{i}" for i in range(count)]
    paths.insert(1, "locked1")
    got = batch.map_paths(square_unless_locked, paths, 0, workers=workers, on_error=said_unreadable)
    assert got[1] == ("locked1: Permission denied", -1)
    assert got[:1] + got[2:] == [(p, int(p[1:]) ** 2) for p in paths if p != "locked1"]


def test_without_on_error_the_error_still_stops_the_run():
    with pytest.raises(PermissionError):
        batch.map_paths(square_unless_locked, ["p1", "locked2"], 0, workers=1)


def _dies_on_b(path: str) -> str:
    """A stand-in for a reader that aborts the process on one file."""
    if path == "b":
        os._exit(134)
    return path.upper()


def _named(path: str, exc: OSError) -> str:
    return f"{path}: {exc.strerror}"


def test_a_file_that_kills_a_worker_is_named_and_the_others_go_on():
    paths = [chr(ord("a") + i) for i in range(PARALLEL_FROM + 2)]
    results = map_paths(_dies_on_b, paths, workers=2, on_error=_named)
    assert results == [p.upper() if p != "b" else "b: made the reader stop (a damaged or hostile file)"
                       for p in paths]
