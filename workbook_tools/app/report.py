"""The report command without click: summarise every tracker, in parallel processes
when there are many, build the tables, and write them as a workbook."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

from workbook_tools.adapters.file import read_tracker
from workbook_tools.app.batch import map_paths
from workbook_tools.app.plan import Failed
from workbook_tools.core.engine import compute_with_history
from workbook_tools.errors import WorkbookError, WorkbookToolsError, require_extra
from workbook_tools.files import same_file, write_atomically
from workbook_tools.outputs.report import NEEDED_BY as REPORT_NEEDS
from workbook_tools.outputs.report import Report, TrackerSummary, build_report, summarize, write_workbook


def summarize_file(path: str, today: date) -> TrackerSummary:
    """One tracker's summary, or the reason it could not be read (top level: worker
    processes run it)."""
    try:
        data = read_tracker(path, table=False)  # the report never grows a table
    except WorkbookToolsError as err:
        failed = Failed(str(path), err)
        return TrackerSummary(path, error=failed.summary, messages=failed.lines)
    return summarize(path, *compute_with_history(data, today, marks=False))  # no row is written


def make_report(paths: Sequence[str | Path], today: date, workers: int | None = None) -> Report:
    """Summarise every tracker (in parallel processes when there are many) and build
    the report; the result does not depend on the order of ``paths`` or on ``workers``."""
    require_extra("pandas", REPORT_NEEDS)  # before reading a thousand trackers, not after
    files = sorted(str(p) for p in paths)
    return build_report(map_paths(summarize_file, files, today, workers=workers, label="Reading trackers"))


#: The sheets every report workbook has: an existing file without them is not a report.
REPORT_SHEETS = ("Trackers", "Charts")


def check_report_target(path: str | Path, inputs: Sequence[str | Path] = ()) -> None:
    """`WorkbookError` unless ``path`` is free for a report: missing, or an earlier report.
    One of the trackers reported on, a tracker, or any other file is never replaced."""
    target = Path(path)
    if not target.exists():
        return
    if any(same_file(target, source) for source in inputs):
        raise WorkbookError(target, "is one of the trackers being reported on; not overwritten",
                            "name another file for the report with -o")
    from workbook_tools.xlsx.read import WorkbookGrids

    try:
        with WorkbookGrids(target) as book:
            names = set(book.sheet_names())
    except (WorkbookToolsError, OSError, ValueError):
        names = set()
    if not set(REPORT_SHEETS) <= names:
        raise WorkbookError(target, "exists and is not a report (no Trackers and Charts sheets); not overwritten",
                            "name another file for the report with -o, or move that file away first")


def write_report(report: Report, path: str | Path, inputs: Sequence[str | Path] = ()) -> None:
    """The report as a workbook with charts, written atomically, over nothing or an earlier
    report only (`check_report_target`). `WorkbookError` when it cannot be written (a full
    disk, a file that is not ours to replace: a tracker, read-only, hard-linked), saying why
    and what to do; the old file is left as it was."""
    check_report_target(path, inputs)
    try:
        write_atomically(path, lambda fh: write_workbook(report, fh))
    except OSError as exc:  # a full disk, a missing folder...
        raise WorkbookError(path, f"cannot write the report ({exc.strerror or exc})",
                            "close it in Excel, check that the folder exists and that the disk has room") from None
