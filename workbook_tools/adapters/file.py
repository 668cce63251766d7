"""Refresh a tracker file: read it, run the engine, write back only the owned cells
that changed. The file adapter; `excel.py` is the same for a live workbook.

The rows are planned, compared and written one at a time (`core.engine.plan_tracker`
feeding `xlsx.write.write_rows`), so a refresh never holds every row's scripts nor
the rebuilt sheet whole: at 10,000 rows that is most of its memory.
"""

from __future__ import annotations

import os
import shutil
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple, TypeVar, Union

from workbook_tools import contract as C
from workbook_tools.a1 import column_number
from workbook_tools.adapters.holiday_cache import use_holiday_cache
from workbook_tools.contract import CellValue
from workbook_tools.core.engine import plan_tracker
from workbook_tools.core.grid import find_sheet, read_source
from workbook_tools.core.links import is_our_link, linked_cells
from workbook_tools.core.model import RowResult, SheetRows, TableEnd, TrackerData
from workbook_tools.core.rules.links import CALL_LINK_COLUMN, MAIL_LINK_COLUMN
from workbook_tools.errors import Problem, WorkbookError, WorkbookToolsError
from workbook_tools.files import (
    FileIdentity,
    TemporaryFileError,
    check_not_open,
    check_replaceable,
    check_still_the_file_read,
    file_identity,
    identity_of,
    refresh_lock,
    resolved_target,
    same_file,
    sweep_stale_temporaries,
    write_atomically,
)
from workbook_tools.gc_pause import paused_gc
from workbook_tools.xlsx.names import constant_formula, text_constant
from workbook_tools.xlsx.read import WorkbookGrids
from workbook_tools.xlsx.tables import sheet_table

if TYPE_CHECKING:
    from workbook_tools.xlsx.hyperlinks import LinkPlan, SheetLink
    from workbook_tools.xlsx.rows import RowWrite

T = TypeVar("T")
#: A row `changed_rows` hands to the writer: (row, cells), or a `xlsx.rows.RowWrite`.
PlannedRow = Union[tuple[int, list[tuple[int, CellValue, str, str]]], "RowWrite"]


def read_tracker(path: str | Path, *, table: bool = True) -> TrackerData:
    """Every data sheet of the tracker file at ``path`` (`core.grid.read_source` over
    the file's sheets), with the Excel Table that holds the Interviews header, the one
    table a refresh may grow (not looked for without ``table``: the commands that only
    read never grow it). `WorkbookError` when the file cannot be read, `ProblemsError`
    when a sheet or a required column is missing."""
    use_holiday_cache()
    with paused_gc(), WorkbookGrids(path) as book:
        data = read_source(book, path)
        name = find_sheet(book.sheet_names(), C.INTERVIEWS)
        tracker_id = text_constant(book.package.defined_name(C.TRACKER_ID_NAME))
    if tracker_id:
        data = data._replace(tracker_id=tracker_id)
    if name is not None and table:
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
                 list_changes: bool = False, fit_heights: bool = False,
                 links: dict[str, SheetLink] | None = None) -> Iterator[PlannedRow]:
    """For each planned row whose owned cells change: (row, [(column number, new value,
    "P7", "P7"), ...]) in column order, as `write_rows` takes them. ``planned`` has a
    result for each of ``sheet.rows``, in order (`core.engine.plan_tracker`). Counts the
    rows, flags and changed cells into ``report`` as it goes (and lists them when asked).
    With ``fit_heights``, each such row comes as a `xlsx.rows.RowWrite` holding the
    values its wrapped cells will have (`wrapped_cells`), so that its height is fitted to
    them. A change to the user's wrapped inputs (Notes) changes the row's record
    (`core.hand_edits.inputs_code`), so such a row comes too; a row whose height the
    user set by hand keeps it until its text changes.

    With ``links``, the link every planned row wants on its linked cells
    (`core.links.linked_cells`), changed or not, is put in it by A1 reference as the row
    passes (a cell not there wants none): the writer reads them once the rows are written."""
    from workbook_tools.xlsx.rows import RowWrite

    wrapped = wrapped_cells(sheet) if fit_heights else []
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
        if links is not None and res.flag:
            _add_links(links, sheet, res, row)
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
        if not items:
            continue  # a row whose cells and wrapped inputs are as written keeps its height (the record says)
        report.changed += len(items)
        if fit_heights and res.flag:  # a row refresh does not fill keeps the height it has
            yield RowWrite(res.row, items, {col: values[i] if i >= 0 else before.get(header)
                                            for col, header, i in wrapped})
        else:
            yield res.row, items
    report.rows = sum(flags.values())


def _add_links(links: dict[str, SheetLink], sheet: SheetRows, res: RowResult, row: str) -> None:
    """The links the planned row ``res`` wants on its linked cells, into ``links``."""
    from workbook_tools.xlsx.hyperlinks import SheetLink

    for header, link in linked_cells(res):
        letter = sheet.columns.get(header)
        if letter and link is not None:
            links[letter + row] = SheetLink(link.url, link.tooltip)


def link_plan(sheet: SheetRows, wanted: dict[str, SheetLink]) -> LinkPlan | None:
    """What the writer manages of the Interviews sheet's hyperlinks: our links on the
    linked columns below the header, those with our tooltips (`core.links.is_our_link`:
    a `tel:` link the user made there is theirs); None when the sheet has neither column."""
    from workbook_tools.xlsx.hyperlinks import LinkPlan

    columns = frozenset(sheet.columns[h] for h in (CALL_LINK_COLUMN, MAIL_LINK_COLUMN) if h in sheet.columns)
    return LinkPlan(columns, sheet.header_row + 1, wanted, is_our_link) if columns else None


class WrappedColumn(NamedTuple):
    """A wrapped column of Interviews: its number, its header, and its index in
    `RowResult.values` when the processor owns it (-1 for the user's columns)."""

    column: int
    header: str
    owned: int


def wrapped_cells(sheet: SheetRows) -> list[WrappedColumn]:
    """The columns of ``sheet`` whose cells wrap (`core.layout.WRAPPED_HEADERS`), the
    user's as well as the processor's: a row's height must fit them all."""
    from workbook_tools.core.layout import WRAPPED_HEADERS

    owned = {h: i for i, h in enumerate(C.OWNED_COLUMNS)}
    return [WrappedColumn(column_number(sheet.columns[h]), h, owned.get(h, -1))
            for h in WRAPPED_HEADERS if h in sheet.columns]


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
    are still written.

    A file that is not ours to replace is refused before anything is read: an output
    that is the tracker itself, an existing output that is not a tracker, a read-only or
    hard-linked file (`files.check_replaceable`). While it writes, a refresh holds a lock
    file beside the file it replaces (a second refresh of it waits, then says so), and it
    refuses to replace a tracker saved by someone else since it was read."""
    path = Path(path)
    out = Path(output) if output else path
    if out.suffix.lower() != path.suffix.lower():
        raise WorkbookError(out, f"the output must keep the tracker's type ({path.suffix})",
                            f"give the output the extension {path.suffix}: Excel refuses a workbook "
                            "whose name does not match its content (macros or none)")
    if out != path and same_file(out, path):
        raise WorkbookError(out, "is the tracker being refreshed itself (--output names the same file)",
                            "leave out --output to refresh the tracker in place, or name another file")
    if dry_run:
        return _refresh(path, out, today, dry_run=True)
    check_not_open(path)
    target = resolved_target(out)
    check_replaceable(target)
    if out != path and target.exists():
        check_is_tracker(target)
    with refresh_lock(target):
        sweep_stale_temporaries(target)
        return _refresh(path, out, today, dry_run=False)


def _refresh(path: Path, out: Path, today: date, dry_run: bool) -> RefreshReport:
    """Read, plan and (unless ``dry_run``) write one tracker, refusing to write when the
    file is no longer the one read."""
    from workbook_tools.core.layout import row_height
    from workbook_tools.xlsx.write import write_rows  # here: check, agenda and the report never write

    identity = file_identity(path)
    data = read_tracker(path)
    with paused_gc():
        plan = plan_tracker(data, today, consume_calls=True)  # the log is not needed after
        report = RefreshReport(path, out, problems=plan.problems)
        wanted: dict[str, SheetLink] = {}  # filled as the rows are planned: the writer reads it at the end
        rows = _batched(changed_rows(data.interviews, plan.rows, report, list_changes=dry_run,
                                     fit_heights=not dry_run, links=None if dry_run else wanted), BATCH_ROWS)
        if dry_run:
            for _ in rows:
                pass
            return report
        if identity is None:
            raise WorkbookError(path, "changed while refreshing", "run refresh again")
        last_row = max((row for row, _ in data.interviews.rows), default=0)
        # A tracker without an identity gets its file's name, the one its calendar's UIDs came from.
        names = {} if data.tracker_id else {C.TRACKER_ID_NAME: constant_formula(path.name)}
        if write_rows(path, C.INTERVIEWS, rows, output=out if out != path else None,
                      grow_table=_grow(data.interviews, last_row), expect=identity, names=names,
                      row_height=row_height, links=link_plan(data.interviews, wanted)):
            report.written = True
        elif out != path:
            copy_unchanged(path, out, identity)
            report.written = True
    return report


def copy_unchanged(path: Path, out: Path, identity: FileIdentity) -> None:
    """Copy the tracker to ``out`` as it was read (nothing to change), atomically, from the
    file read; refused when it is no longer that file."""
    try:
        with open(path, "rb") as source:
            check_still_the_file_read(path, identity, identity_of(os.fstat(source.fileno())))
            write_atomically(out, lambda fh: shutil.copyfileobj(source, fh), like=path,
                             before_replace=lambda: check_still_the_file_read(path, identity))
    except TemporaryFileError as exc:
        raise WorkbookError(out, f"cannot be written: no temporary file can be made in {exc.filename} "
                                 f"({exc.strerror or exc})",
                            "check that the folder exists and that you may write to it") from None
    except OSError as exc:
        raise WorkbookError(out, f"could not be written ({exc.strerror or exc})",
                            "check the disk space and that you may write to the folder; the file was not changed"
                            ) from None


#: Rows of a sheet searched for the Interviews header when deciding whether an existing
#: file is a tracker (ours; the header is near the top of every tracker).
TRACKER_HEADER_ROWS = 30


def check_is_tracker(path: Path) -> None:
    """Raise `WorkbookError` unless ``path`` is a workbook with an Interviews sheet whose
    header holds the required contract headers (PRODUCT.md): the only kind of existing
    file a refresh's --output may replace."""
    refusal = WorkbookError(path, "exists and is not a tracker (no Interviews sheet with the "
                                  f"{' and '.join(C.INTERVIEW_REQUIRED)} headers); not overwritten",
                            "choose another name for --output, or move that file away first")
    wanted = {C.normalise_header(h) for h in C.INTERVIEW_REQUIRED}
    try:
        with WorkbookGrids(path) as book:
            name = find_sheet(book.sheet_names(), C.INTERVIEWS)
            if name is None:
                raise refusal
            grid, _ = book.sheet_grid(name)
            for row in islice(grid, TRACKER_HEADER_ROWS):
                if wanted <= {C.normalise_header(v) for v in row if isinstance(v, str)}:
                    return
    except (WorkbookToolsError, OSError, ValueError, zipfile.BadZipFile):
        pass
    raise refusal


def _grow(sheet: SheetRows, last_row: int) -> tuple[str, int] | None:
    """The Interviews table and the last row it must reach (rows typed below its end)."""
    table = sheet.table
    if table is None or last_row <= table[1]:
        return None
    return table[0], last_row
