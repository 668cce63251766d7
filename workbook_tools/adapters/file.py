"""Refresh a tracker file: read it, run the engine, write back only the owned cells
that changed. The file adapter; `excel.py` is the same for a live workbook.

The rows are planned, compared and written one at a time (`core.engine.plan_tracker`
feeding `xlsx.write.write_rows`), so a refresh never holds every row's scripts nor
the rebuilt sheet whole: at 10,000 rows that is most of its memory.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import islice
from pathlib import Path
from typing import TypeVar

from workbook_tools import contract as C
from workbook_tools.a1 import column_number
from workbook_tools.contract import CellValue
from workbook_tools.core.engine import plan_tracker
from workbook_tools.core.grid import find_sheet, read_source
from workbook_tools.core.model import RowResult, SheetRows, TableEnd, TrackerData
from workbook_tools.errors import Problem, WorkbookError
from workbook_tools.files import check_not_open
from workbook_tools.gc_pause import paused_gc
from workbook_tools.xlsx.read import WorkbookGrids
from workbook_tools.xlsx.tables import sheet_table

T = TypeVar("T")


def read_tracker(path: str | Path) -> TrackerData:
    """Every data sheet of the tracker file at ``path`` (`core.grid.read_source` over
    the file's sheets), with the Excel Table that holds the Interviews header, the one
    table a refresh may grow. `WorkbookError` when the file cannot be read,
    `ProblemsError` when a sheet or a required column is missing."""
    with paused_gc(), WorkbookGrids(path) as book:
        data = read_source(book, path)
        name = find_sheet(book.sheet_names(), C.INTERVIEWS)
    if name is not None:
        found = sheet_table(path, name, data.interviews.header_row)
        data.interviews.table = TableEnd(*found) if found is not None else None
    return data


@dataclass
class Change:
    cell: str
    old: CellValue
    new: CellValue


@dataclass
class RefreshReport:
    path: Path
    output: Path
    #: The owned cells whose value changes, in row then column order; listed for a
    #: dry run only (a refresh writes them as it goes and counts them in ``changed``).
    changes: list[Change] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    rows: int = 0  # the rows planned (those with a Flag)
    changed: int = 0  # the owned cells whose value changes
    flags: dict[str, int] = field(default_factory=dict)  # Flag -> rows
    written: bool = False


def _same(old: object, new: object) -> bool:
    if isinstance(old, datetime):
        old = old.date()
    if old == "":
        old = None
    if isinstance(new, str) and isinstance(old, str):
        return old.replace("\r\n", "\n") == new
    return type(old) is type(new) and old == new or (
        isinstance(old, (int, float)) and isinstance(new, (int, float))
        and not isinstance(old, bool) and not isinstance(new, bool) and old == new)


def changed_rows(sheet: SheetRows, planned: Iterable[RowResult], report: RefreshReport,
                 list_changes: bool = False) -> Iterator[tuple[int, list[tuple[int, CellValue, str, str]]]]:
    """For each planned row whose owned cells change: (row, [(column number, new value,
    "P7", "P7"), ...]) in column order, as `write_rows` takes them. ``planned`` has a
    result for each of ``sheet.rows``, in order (`core.engine.plan_tracker`). Counts the
    rows, flags and changed cells into ``report`` as it goes (and lists them when asked)."""
    # The owned columns in sheet order: (column number, letter, header, index in RowResult.values()).
    columns = sorted((column_number(sheet.columns[h]), sheet.columns[h], h, i)
                     for i, h in enumerate(C.OWNED_COLUMNS) if h in sheet.columns)  # the record may be missing
    flags = report.flags
    for (num, before), res in zip(sheet.rows, planned):  # a result per row read, in order
        if res.row != num:
            raise ValueError(f"the plan is out of step with the rows: row {res.row} for row {num}")
        values = res.values()
        if res.flag:
            flags[res.flag] = flags.get(res.flag, 0) + 1
        row = str(num)
        items = []
        for col, letter, header, i in columns:
            value = values[i]
            old = before.get(header)
            if old == value and type(old) is type(value):
                continue  # the common case on a second refresh
            if old is None or not _same(old, value):  # None: a cell filled for the first time
                ref = letter + row
                items.append((col, value, ref, ref))
                if list_changes:
                    report.changes.append(Change(ref, old, value))
        if items:
            report.changed += len(items)
            yield res.row, items
    report.rows = sum(flags.values())


#: Rows planned before they are written. One at a time, switching between the engine
#: and the writer at every row costs a fifth more time (measured at 10,000 rows: the
#: two keep evicting each other from the CPU's caches); all at once costs every row's
#: scripts in memory. A batch of 500 holds about a megabyte.
BATCH_ROWS = 500


def _batched(rows: Iterator[T], size: int) -> Iterator[T]:
    while chunk := list(islice(rows, size)):
        yield from chunk


def refresh_file(path: str | Path, today: date, output: str | Path | None = None,
                 dry_run: bool = False) -> RefreshReport:
    """Refresh one tracker. Raises WorkbookError/ProblemsError when the file as a whole
    cannot be processed; row problems are returned in the report and the other rows
    are still written."""
    path = Path(path)
    out = Path(output) if output else path
    if out.suffix.lower() != path.suffix.lower():
        raise WorkbookError(out, f"the output must keep the tracker's type ({path.suffix})",
                            f"give the output the extension {path.suffix}: Excel refuses a workbook "
                            "whose name does not match its content (macros or none)")
    if not dry_run:
        check_not_open(path)
    from workbook_tools.xlsx.write import write_rows  # here: check, agenda and the report never write

    data = read_tracker(path)
    with paused_gc():
        plan = plan_tracker(data, today, consume_calls=True)  # the log is not needed after
        report = RefreshReport(path, out, problems=plan.problems)
        rows = _batched(changed_rows(data.interviews, plan.rows, report, list_changes=dry_run), BATCH_ROWS)
        if dry_run:
            for _ in rows:
                pass
            return report
        last_row = max((row for row, _ in data.interviews.rows), default=0)
        if write_rows(path, C.INTERVIEWS, rows, output=out if out != path else None,
                      grow_table=_grow(data.interviews, last_row)):
            report.written = True
        elif out != path:
            shutil.copyfile(path, out)
            report.written = True
    return report


def _grow(sheet: SheetRows, last_row: int) -> tuple[str, int] | None:
    """The Interviews table and the last row it must reach (rows typed below its end)."""
    table = sheet.table
    if table is None or last_row <= table[1]:
        return None
    return table[0], last_row
