"""`workbook-tools import`: leads from other lists appended to a tracker.

Each source is read (`app.sources`: a CSV, or each sheet of a workbook that holds
leads) and mapped (`core.imports.plan_import`) against what the tracker and the sources
before it hold. The new Interviews rows fill the empty rows inside the Interviews table
first (rows blank but for the table's own formulas), from the top, then go after the
last row of Interviews; the new people likewise on Contacts. The Excel Tables that hold
those sheets' headers grow to the new rows, whose cells in a table's calculated columns
get the table's formula. All of it is one atomic write (`xlsx.write.write_sheets`) that
refuses when the tracker is no longer the file read. Then the usual refresh runs.
Nothing else in the tracker changes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import NamedTuple

from workbook_tools import contract as C
from workbook_tools.a1 import column_letter, column_number
from workbook_tools.adapters.file import RefreshReport, read_tracker, refresh_file
from workbook_tools.app.sources import SourceGrid, read_grid
from workbook_tools.contract import CellValue
from workbook_tools.core.config import load_config
from workbook_tools.core.imports import (
    ImportPlan,
    ImportRow,
    Known,
    SourceProblem,
    Vocabulary,
    known_rows,
    parse_maps,
    plan_import,
    sheet_score,
    vocabulary,
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
    """One source (one sheet of it, ``sheet``, when a workbook has leads on several):
    how it was read ("CSV, UTF-8, comma-separated"), what it brings, and whether it had
    more rows than are read; or, in ``error``, why it could not be read."""

    path: str
    how: str = ""
    plan: ImportPlan | None = None
    capped: bool = False
    error: str = ""
    sheet: str = ""

    @property
    def label(self) -> str:
        """The source as messages name it: its path, and its sheet when it has several."""
        return f"{self.path} (sheet {self.sheet!r})" if self.sheet else self.path


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
    the module's docstring. ``maps`` are --map texts ("Job Title=Position"; the target
    may be a column of the tracker's own). A source that cannot be read is named in its
    result, and the others still come in.

    Raises BadMap for a --map text that cannot be used, WorkbookError when the tracker
    cannot be read or is not ours to replace (open, read-only, changed while importing),
    ProblemsError when it is no tracker (a sheet or a required column missing)."""
    path = Path(tracker)
    if not dry_run:
        check_not_open(path)
        check_replaceable(resolved_target(path))
    identity = file_identity(path)
    data = _tracker(path)
    words = vocabulary(h for h in data.interviews.columns if h not in C.INTERVIEW_HEADERS)
    parsed = parse_maps(maps, words)
    dayfirst = load_config(data, []).dayfirst
    report = ImportReport(path, dry_run=dry_run)
    known = known_rows(data, today=today, dayfirst=dayfirst)
    for source in sources:
        results, known = _one_source(Path(source), path, known, _Setup(parsed, words, today, dayfirst))
        report.sources.extend(results)
    rows = [(result.label, row) for result in report.sources if result.plan for row in result.plan.rows]
    layout = _Layout(_table(path, data.interviews), _table(path, data.contacts))
    interviews, contacts = _sheet_rows(data, rows, report, layout)
    if dry_run or not interviews.rows:
        return report
    _write(path, interviews, contacts, layout, identity)
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


class _Setup(NamedTuple):
    """What reading every source needs: the --map targets, the names the import knows,
    the day and the tracker's order of day and month."""

    maps: Mapping[str, str]
    words: Vocabulary
    today: date
    dayfirst: bool


def _one_source(source: Path, tracker: Path, known: Known, setup: _Setup) -> tuple[list[SourceResult], Known]:
    """One source read and planned (each of its sheets that holds leads), and what is
    known after it."""
    result = SourceResult(str(source))
    if same_file(source, tracker):
        result.error = f"{source}: is the tracker itself. Fix: name the list to import, and the tracker after --into"
        return [result], known
    try:
        grid = read_grid(source, score=lambda head: sheet_score(head, setup.maps, setup.words))
    except ProblemsError as exc:
        result.error = f"{source}: " + "; ".join(str(p) for p in exc.problems)
        return [result], known
    except WorkbookToolsError as exc:
        result.error = str(exc)
        return [result], known
    grids: list[SourceGrid] = [grid, *grid.others]
    results = []
    for each in grids:
        result = SourceResult(str(source), sheet=each.sheet if len(grids) > 1 else "")
        try:
            plan = plan_import(each.rows, known, setup.maps, today=setup.today, dayfirst=setup.dayfirst,
                               lines=each.lines, words=setup.words)
        except SourceProblem as exc:
            result.error = f"{result.label}: {exc}"
        else:
            result.how, result.plan, result.capped = each.how, plan, each.capped
            known = known.plus(plan)
        results.append(result)
    return results, known


#: The cells of one row for the writer: (column number, value, "P7", "P7"), in column order.
Cells = list[tuple[int, CellValue, str, str]]


class _Table(NamedTuple):
    """The Excel Table holding a sheet's header row: its name, its last row, and its
    calculated columns (sheet column number -> the formula, as the table part holds it)."""

    name: str
    last_row: int
    formulas: Mapping[int, str]


class _Layout(NamedTuple):
    """The tables of Interviews and Contacts (None: the sheet has none)."""

    interviews: _Table | None
    contacts: _Table | None


class _Placed(NamedTuple):
    """The rows to write to one sheet ((row, cells), ascending) and the cells of those
    rows that get their table's formula."""

    rows: list[tuple[int, Cells]]
    formulas: list[tuple[int, list[tuple[int, str]]]]


def _sheet_rows(data: TrackerData, rows: list[tuple[str, ImportRow]], report: ImportReport,
                layout: _Layout) -> tuple[_Placed, _Placed]:
    """Where the new rows go on Interviews and on Contacts; each added row is listed in
    ``report``, each value without a column noted."""
    missing: set[str] = set()
    interviews = _placed(data.interviews, layout.interviews, [(s, r.line, r.interview) for s, r in rows], report,
                         missing)
    contacts = _placed(data.contacts, layout.contacts, [(s, r.line, r.contact) for s, r in rows if r.contact],
                       report, missing)
    report.missing_columns = sorted(missing)
    return interviews, contacts


def free_rows(sheet: SheetRows, table: _Table | None) -> list[int]:
    """The rows inside ``table`` (below the sheet's header) that hold nothing but, at
    most, the values of the table's calculated columns: the rows a new lead fills first."""
    if table is None:
        return []
    computed = {header for header, letter in sheet.columns.items() if column_number(letter) in table.formulas}
    used = {number for number, rec in sheet.rows if any(header not in computed for header in rec)}
    return [number for number in range(sheet.header_row + 1, table.last_row + 1) if number not in used]


def _placed(sheet: SheetRows, table: _Table | None, rows: list[tuple[str, int, Mapping[str, CellValue]]],
            report: ImportReport, missing: set[str]) -> _Placed:
    """The rows for ``sheet``: the table's free rows first, from the top, then after the
    sheet's last row (and the table's)."""
    free = free_rows(sheet, table)
    number = max([sheet.header_row, *(r.number for r in sheet.rows), *([table.last_row] if table else [])])
    filled = {r.number: set(r.values) for r in sheet.rows}
    placed = _Placed([], [])
    for source, line, cells in rows:
        if free:
            at = free.pop(0)
        else:
            number += 1
            at = number
        targets: Cells = []
        for header, value in cells.items():
            letter = sheet.columns.get(header)
            if letter is None:
                missing.add(f"{sheet.name}!{header}")
                continue
            targets.append((column_number(letter), value, f"{letter}{at}", f"{letter}{at}"))
        targets.sort()
        placed.rows.append((at, targets))
        report.added.append(AddedRow(sheet.name, at, cells, source, line))
        if table is not None:
            formulas = _formula_cells(sheet, table, at, targets, filled.get(at, set()))
            if formulas:
                placed.formulas.append((at, formulas))
    placed.rows.sort()
    placed.formulas.sort()
    return placed


def _formula_cells(sheet: SheetRows, table: _Table, row: int, targets: Cells,
                   filled: set[str]) -> list[tuple[int, str]]:
    """The cells of ``row`` that get their table's calculated-column formula: those of
    its calculated columns the import writes nothing to and that are blank (``filled``:
    the headers the row has values for)."""
    written = {column for column, _, _, _ in targets}
    headers = {column_number(letter): header for header, letter in sheet.columns.items()}
    out = []
    for column, formula in sorted(table.formulas.items()):
        header = headers.get(column)
        if column in written or (header is not None and header in filled):
            continue
        if header is None and filled:
            continue  # a column without a header in a row that has values: its cell may hold one
        out.append((column, formula))
    return out


def _write(path: Path, interviews: _Placed, contacts: _Placed, layout: _Layout,
           identity: FileIdentity | None) -> None:
    """Both sheets in one atomic write, their tables grown to the new rows, under the
    refresh's lock; refused when the tracker is no longer the file read."""
    from workbook_tools.xlsx.write import FormulaRows, TableFormula, write_sheets

    if identity is None:
        raise WorkbookError(path, "changed while importing", "run the import again")
    grow: dict[str, tuple[str, int]] = {}
    formulas: dict[str, FormulaRows] = {}
    for sheet, placed, table in ((C.INTERVIEWS, interviews, layout.interviews),
                                 (C.CONTACTS, contacts, layout.contacts)):
        if placed.rows and table is not None and placed.rows[-1][0] > table.last_row:
            grow[sheet] = (table.name, placed.rows[-1][0])
        if placed.formulas:
            formulas[sheet] = [(row, [(column, TableFormula(text), f"{column_letter(column)}{row}",
                                       f"{column_letter(column)}{row}") for column, text in cells])
                               for row, cells in placed.formulas]
    target = resolved_target(path)
    with refresh_lock(target):
        sweep_stale_temporaries(target)
        try:
            write_sheets(path, {C.INTERVIEWS: interviews.rows, C.CONTACTS: contacts.rows}, grow=grow,
                         expect=identity, formulas=formulas)
        except WorkbookError as exc:
            if exc.message == "changed while refreshing":
                raise WorkbookError(path, "changed while importing", "run the import again") from None
            raise


def _table(path: Path, sheet: SheetRows) -> _Table | None:
    """The Excel Table holding ``sheet``'s header row, when there is one, with its
    calculated columns."""
    from workbook_tools.xlsx.tables import sheet_table
    from workbook_tools.xlsx.write import calculated_columns

    found = TableEnd(*found_table) if (found_table := sheet_table(path, sheet.name, sheet.header_row)) else None
    if found is None:
        return None
    return _Table(found.name, found.last_row, calculated_columns(path, sheet.name, found.name))
