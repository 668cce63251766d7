"""Refresh a tracker file: read it, run the engine, write back only the owned cells
that changed. The file adapter; `excel.py` is the same for a live workbook."""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from . import contract as C
from .engine import compute
from .errors import Problem, WorkbookError
from .model import CellValue, Result, TrackerData
from .xlsx_read import read_tracker
from .xlsx_write import check_not_open, write_cells


@dataclass
class Change:
    cell: str
    old: CellValue
    new: CellValue


@dataclass
class RefreshReport:
    path: Path
    output: Path
    changes: list[Change] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    rows: int = 0
    written: bool = False
    result: Result | None = None


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


def owned_changes(data: TrackerData, result: Result) -> list[Change]:
    """The owned cells whose value the refresh changes, in row then column order."""
    sheet = data.interviews
    current = dict(sheet.rows)
    columns = [(h, sheet.columns[h]) for h in C.OWNED_COLUMNS]
    changes = []
    for res in result.rows:
        before = current.get(res.row, {})
        row = str(res.row)
        for (header, letter), value in zip(columns, res.values()):
            old = before.get(header)
            if old == value and type(old) is type(value):
                continue  # the common case on a second refresh
            if not _same(old, value):
                changes.append(Change(letter + row, old, value))
    return changes


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
    data = read_tracker(path)
    result = compute(data, today)
    report = RefreshReport(path, out, owned_changes(data, result), result.problems,
                           rows=sum(1 for r in result.rows if r.flag), result=result)
    if dry_run:
        return report
    last_row = max((row for row, _ in data.interviews.rows), default=0)
    cells = {c.cell: c.new for c in report.changes}
    if cells:
        write_cells(path, C.INTERVIEWS, cells, output=out if out != path else None,
                    grow_table=_grow(data, last_row))
        report.written = True
    elif out != path:
        shutil.copyfile(path, out)
        report.written = True
    return report


def _grow(data: TrackerData, last_row: int) -> tuple[str, int] | None:
    """The Interviews table and the last row it must reach (rows typed below its end)."""
    table = data.interviews.table
    if table is None or last_row <= table[1]:
        return None
    return table[0], last_row
