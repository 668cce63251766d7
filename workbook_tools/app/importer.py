"""`workbook-tools import`: leads from other lists appended to a tracker.

Each source is read (`app.sources`) and mapped (`core.imports.plan_import`) against what
the tracker and the sources before it hold; the new Interviews rows go after the last row
of Interviews, and the new people after the last row of Contacts, growing the Excel
Tables that hold those sheets' headers, in one atomic write (`xlsx.write.write_sheets`)
that refuses when the tracker is no longer the file read. Then the usual refresh runs.
Nothing else in the tracker changes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import NamedTuple

from workbook_tools import contract as C
from workbook_tools.a1 import column_number
from workbook_tools.adapters.file import RefreshReport, read_tracker, refresh_file
from workbook_tools.app.sources import read_grid
from workbook_tools.contract import CellValue
from workbook_tools.core.config import load_config
from workbook_tools.core.imports import (
    ImportPlan,
    ImportRow,
    Known,
    SourceProblem,
    header_score,
    known_rows,
    parse_maps,
    plan_import,
)
from workbook_tools.core.model import SheetRows, TableEnd, TrackerData
from workbook_tools.errors import ProblemsError, WorkbookError, WorkbookToolsError
from workbook_tools.files import (
    FileIdentity,
    check_not_open,
    check_replaceable,
    file_identity,
    refresh_lock,
    resolved_target,
    same_file,
    sweep_stale_temporaries,
)


@dataclass
class SourceResult:
    """One source: how it was read ("CSV, UTF-8, comma-separated"), what it brings, and
    whether it had more rows than are read; or, in ``error``, why it could not be read."""

    path: str
    how: str = ""
    plan: ImportPlan | None = None
    capped: bool = False
    error: str = ""


class AddedRow(NamedTuple):
    """A row the import adds (or would add): the sheet, its row number there, its cells."""

    sheet: str
    row: int
    cells: Mapping[str, CellValue]
    source: str
    line: int


@dataclass
class ImportReport:
    """What an import did: each source's result, the rows added (or, in a dry run, that
    would be), the values the tracker has no column for, whether the tracker was
    written, and the refresh that followed (or why it failed)."""

    tracker: Path
    sources: list[SourceResult] = field(default_factory=list)
    added: list[AddedRow] = field(default_factory=list)
    #: Headers the imported rows have values for that the tracker's sheets lack (left out).
    missing_columns: list[str] = field(default_factory=list)
    dry_run: bool = False
    written: bool = False
    refresh: RefreshReport | None = None
    refresh_error: str = ""

    @property
    def failed(self) -> bool:
        """Whether something could not come in: a source unread, or a bad row."""
        return any(s.error or s.capped or (s.plan is not None and s.plan.bad) for s in self.sources)


def import_leads(sources: Sequence[str | Path], tracker: str | Path, today: date, *,
                 maps: Sequence[str] = (), dry_run: bool = False) -> ImportReport:
    """Import the leads of ``sources`` (CSV, XLSX or XLSM files) into ``tracker``; see
    the module's docstring. ``maps`` are --map texts ("Job Title=Position"). A source
    that cannot be read is named in its result, and the others still come in.

    Raises BadMap for a --map text that cannot be used, WorkbookError when the tracker
    cannot be read or is not ours to replace (open, read-only, changed while importing),
    ProblemsError when it is no tracker (a sheet or a required column missing)."""
    parsed = parse_maps(maps)
    path = Path(tracker)
    if not dry_run:
        check_not_open(path)
        check_replaceable(resolved_target(path))
    identity = file_identity(path)
    data = _tracker(path)
    dayfirst = load_config(data, []).dayfirst
    report = ImportReport(path, dry_run=dry_run)
    known = known_rows(data, today=today, dayfirst=dayfirst)
    for source in sources:
        result, known = _one_source(Path(source), path, known, parsed, today, dayfirst)
        report.sources.append(result)
    rows = [(result.path, row) for result in report.sources if result.plan for row in result.plan.rows]
    interviews, contacts = _sheet_rows(data, rows, report)
    if dry_run or not interviews:
        return report
    _write(path, data, interviews, contacts, identity)
    report.written = True
    try:
        report.refresh = refresh_file(path, today)
    except WorkbookToolsError as exc:
        report.refresh_error = str(exc)
    return report


def _tracker(path: Path) -> TrackerData:
    """The tracker read; ProblemsError when a sheet's stray value far below its table
    would be in the way of the rows appended (refresh says the same of it)."""
    data = read_tracker(path)
    stray = [p for sheet in (data.interviews, data.contacts) for p in sheet.notices]
    if stray:
        raise ProblemsError(path, stray)
    return data


def _one_source(source: Path, tracker: Path, known: Known, maps: Mapping[str, str], today: date,
                dayfirst: bool) -> tuple[SourceResult, Known]:
    """One source read and planned, and what is known after it."""
    result = SourceResult(str(source))
    if same_file(source, tracker):
        result.error = f"{source}: is the tracker itself. Fix: name the list to import, and the tracker after --into"
        return result, known
    try:
        grid = read_grid(source, score=lambda head: header_score(head, maps))
        plan = plan_import(grid.rows, known, maps, today=today, dayfirst=dayfirst)
    except ProblemsError as exc:
        result.error = f"{source}: " + "; ".join(str(p) for p in exc.problems)
        return result, known
    except WorkbookToolsError as exc:
        result.error = str(exc)
        return result, known
    except SourceProblem as exc:
        result.error = f"{source}: {exc}"
        return result, known
    result.how, result.plan, result.capped = grid.how, plan, grid.capped
    return result, known.plus(plan)


#: The cells of one row for the writer: (column number, value, "P7", "P7"), in column order.
Cells = list[tuple[int, CellValue, str, str]]


def _sheet_rows(data: TrackerData, rows: list[tuple[str, ImportRow]],
                report: ImportReport) -> tuple[list[tuple[int, Cells]], list[tuple[int, Cells]]]:
    """The rows to append to Interviews and to Contacts, after each sheet's last row;
    each added row is listed in ``report``, each value without a column noted."""
    missing: set[str] = set()
    interviews = _appended(data.interviews, [(s, r.line, r.interview) for s, r in rows], report, missing)
    contacts = _appended(data.contacts, [(s, r.line, r.contact) for s, r in rows if r.contact], report, missing)
    report.missing_columns = sorted(missing)
    return interviews, contacts


def _appended(sheet: SheetRows, rows: list[tuple[str, int, Mapping[str, CellValue]]], report: ImportReport,
              missing: set[str]) -> list[tuple[int, Cells]]:
    number = max([sheet.header_row, *(r.number for r in sheet.rows)])
    out: list[tuple[int, Cells]] = []
    for source, line, cells in rows:
        number += 1
        targets: Cells = []
        for header, value in cells.items():
            letter = sheet.columns.get(header)
            if letter is None:
                missing.add(f"{sheet.name}!{header}")
                continue
            ref = f"{letter}{number}"
            targets.append((column_number(letter), value, ref, ref))
        targets.sort()
        out.append((number, targets))
        report.added.append(AddedRow(sheet.name, number, cells, source, line))
    return out


def _write(path: Path, data: TrackerData, interviews: list[tuple[int, Cells]], contacts: list[tuple[int, Cells]],
           identity: FileIdentity | None) -> None:
    """Both sheets in one atomic write, their tables grown to the new rows, under the
    refresh's lock; refused when the tracker is no longer the file read."""
    from workbook_tools.xlsx.write import write_sheets

    if identity is None:
        raise WorkbookError(path, "changed while importing", "run the import again")
    grow: dict[str, tuple[str, int]] = {}
    for sheet, rows, table in ((C.INTERVIEWS, interviews, data.interviews.table),
                               (C.CONTACTS, contacts, _table(path, data.contacts))):
        if rows and table is not None and rows[-1][0] > table.last_row:
            grow[sheet] = (table.name, rows[-1][0])
    target = resolved_target(path)
    with refresh_lock(target):
        sweep_stale_temporaries(target)
        try:
            write_sheets(path, {C.INTERVIEWS: interviews, C.CONTACTS: contacts}, grow=grow, expect=identity)
        except WorkbookError as exc:
            if exc.message == "changed while refreshing":
                raise WorkbookError(path, "changed while importing", "run the import again") from None
            raise


def _table(path: Path, sheet: SheetRows) -> TableEnd | None:
    """The Excel Table holding ``sheet``'s header row, when there is one."""
    from workbook_tools.xlsx.tables import sheet_table

    found = sheet_table(path, sheet.name, sheet.header_row)
    return TableEnd(*found) if found is not None else None

