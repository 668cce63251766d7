"""The one read path: a tracker's sheets, given as grids of cell values, read into
`TrackerData`.

Both adapters feed it (xlwings' fibonacci example: a pure function, and a wrapper
that does the Excel stuff): the file adapter hands it the rows python-calamine streams
from a workbook file, the live adapter the blocks xlwings reads from an open book.
`RecordsSource` hands it plain Python rows, for tests, benchmarks and callers whose
data is not in a workbook; all three give the engine the same `TrackerData`.

A source names its sheets and gives each as a `SheetGrid`: rows from row 1 of the
sheet, each a sequence of values starting at the grid's first column.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime
from itertools import chain, islice
from typing import Any, NamedTuple, Protocol

from workbook_tools import contract as C
from workbook_tools.a1 import column_letter
from workbook_tools.core.model import SheetRow, SheetRows, TrackerData
from workbook_tools.errors import Problem, ProblemsError

#: The header row is looked for among a sheet's first rows (a title may sit above it).
HEADER_SCAN_ROWS = 10
#: More blank rows than this between a row and the one above it ("ours"): the row is a
#: stray value far below the table, not one of its rows (and the table does not grow to it).
MAX_BLANK_GAP = 1000
#: Cell values kept once per workbook however often they repeat (see `sheet_from_grid`).
SHARED_TYPES = frozenset({str, date, datetime})
_new_row = tuple.__new__  # builds a SheetRow without NamedTuple's keyword handling: one per row read


class SheetGrid(NamedTuple):
    """One sheet as a grid: ``rows`` from row 1, each starting at column ``first_col``
    (0 = A). Rows may be of any length and may be streamed: they are read once."""

    rows: Iterable[Sequence[Any]]
    first_col: int = 0


class GridSource(Protocol):
    """Where a tracker's sheets come from: a workbook file, an open Excel book, rows."""

    def sheet_names(self) -> Sequence[str]:
        """The names of the sheets, as the workbook spells them."""

    def sheet_grid(self, name: str) -> tuple[Iterable[Sequence[Any]], int]:
        """The sheet called ``name`` (one of `sheet_names`): its rows and their first
        column, as a `SheetGrid` (or any pair in that order)."""


def find_sheet(names: Iterable[str], wanted: str) -> str | None:
    """The name in ``names`` of the contract sheet ``wanted`` (case and surrounding
    spaces ignored), or None when the workbook has no such sheet."""
    key = wanted.casefold()
    return next((name for name in names if name.strip().casefold() == key), None)


def missing_sheet(sheet: str) -> Problem:
    return Problem(sheet, "", f"the sheet {sheet!r} is missing",
                   f"add a sheet named {sheet} with the headers " + ", ".join(C.HEADERS[sheet])
                   + " (a new tracker from `workbook-tools new` has it)")


def read_source(source: GridSource, label: object) -> TrackerData:
    """Every data sheet of the tracker ``source`` holds. `ProblemsError` (each problem
    named, ``label`` naming the tracker) when a sheet or a required column is missing
    or a column appears twice; nothing is returned half read."""
    names = source.sheet_names()
    problems: list[Problem] = []
    sheets: dict[str, SheetRows] = {}
    shared: dict[Any, Any] = {}
    for sheet in C.DATA_SHEETS:
        actual = find_sheet(names, sheet)
        if actual is None:
            problems.append(missing_sheet(sheet))
            continue
        rows, first_col = source.sheet_grid(actual)
        sheets[sheet] = sheet_from_grid(sheet, rows, problems, first_col=first_col, shared=shared)
    if problems:
        raise ProblemsError(label, problems)
    return TrackerData(sheets[C.INTERVIEWS], sheets[C.CALLS], sheets[C.CONTACTS], sheets[C.SCRIPTS],
                       sheets[C.CADENCES], sheets[C.SETTINGS])


def sheet_from_grid(sheet: str, grid: Iterable[Sequence[Any]], problems: list[Problem],
                    first_col: int = 0, shared: dict[Any, Any] | None = None) -> SheetRows:
    """A sheet's rows (from row 1; values from column ``first_col``, 0 = A) as SheetRows.

    The header row is the one among the first rows that holds the most contract
    headers. Rows are consumed as they come, so a streamed sheet is never held whole;
    each row keeps only its non-empty cells (a missing header reads as None).

    Equal texts and dates are kept once (in ``shared``, which the sheets of one
    workbook pass along): a tracker repeats its companies, names, outcomes, types and
    days in row after row, and one object each instead of one per cell is most of the
    memory of the rows. Numbers are left alone (1, 1.0 and True are equal keys).
    """
    rows = iter(grid)
    head = list(islice(rows, HEADER_SCAN_ROWS))
    best = header_row_index(sheet, head)
    columns, index = header_columns(sheet, head[best] if head else [], best + 1, first_col, problems)
    out = SheetRows(sheet, columns, header_row=best + 1)
    missing = [h for h in C.REQUIRED_HEADERS[sheet] if h not in columns]
    if missing and not columns.keys() & set(C.HEADERS[sheet]):  # not one contract header: none found
        problems.append(Problem(sheet, f"1:{HEADER_SCAN_ROWS}", f"no header row found in rows 1-{HEADER_SCAN_ROWS}",
                                f"put the header row ({', '.join(C.HEADERS[sheet])}) in one of the first "
                                f"{HEADER_SCAN_ROWS} rows"))
        missing = []
    for h in missing:
        problems.append(Problem(sheet, f"{best + 1}:{best + 1}", f"the required column {h!r} is missing",
                                f"add a column headed {h!r} to the header row"))
    records = _records(chain(head[best + 1:], rows), best + 2, index, shared if shared is not None else {})
    out.rows.extend(_near_rows(sheet, records, best + 1, columns, out.notices))
    return out


def _near_rows(sheet: str, records: Iterable[SheetRow], header_row: int, columns: dict[str, str],
               notices: list[Problem]) -> Iterator[SheetRow]:
    """The rows up to the first one more than `MAX_BLANK_GAP` blank rows below the row
    before it (a stray value far below the table, often a keystroke in the wrong place):
    that row is a problem on it (in ``notices``: the other rows are still planned), and
    it and the rows below are not read, so refresh leaves them and the table never grows
    to them."""
    last = header_row
    for record in records:
        if record.number - last - 1 > MAX_BLANK_GAP:
            cell = f"{columns.get(next(iter(record.values)), '')}{record.number}"
            notices.append(Problem(sheet, cell, f"a value {record.number - last - 1:,} blank rows below row {last}, "
                                   f"more than the {MAX_BLANK_GAP:,} blank rows a table may have in it",
                                   "delete it if it is stray, or move it up to the end of the table"))
            return
        last = record.number
        yield record


def header_row_index(sheet: str, head: list[Sequence[Any]]) -> int:
    """The index in ``head`` of the row holding the most of the sheet's contract headers
    (the first such row; the first row when none holds any)."""
    wanted = {C.normalise_header(h) for h in C.HEADERS[sheet]}
    best, best_hits = 0, -1
    for i, row in enumerate(head):
        hits = sum(1 for v in row if isinstance(v, str) and C.normalise_header(v) in wanted)
        if hits > best_hits:
            best, best_hits = i, hits
        if hits == len(wanted):
            break  # every contract header is on this row
    return best


def header_columns(sheet: str, header: Sequence[Any], row: int, first_col: int,
                   problems: list[Problem]) -> tuple[dict[str, str], list[tuple[int, str]]]:
    """The columns named on the header row: header -> column letter (contract headers
    in their contract spelling, others as written), and (index in the row, header) for
    reading the rows. A header written twice is a problem; its first column counts."""
    wanted = {C.normalise_header(h): h for h in C.HEADERS[sheet]}
    columns: dict[str, str] = {}
    index: list[tuple[int, str]] = []
    for j, value in enumerate(header):
        text = str(value).strip() if value not in (None, "") else ""
        if not text:
            continue
        name = wanted.get(C.normalise_header(text), text)
        letter = column_letter(first_col + j + 1)
        if name in columns:
            problems.append(Problem(sheet, f"{letter}{row}", f"the column {name!r} appears twice",
                                    "rename or delete one of them"))
            continue
        columns[name] = letter
        index.append((j, name))
    return columns, index


def _records(rows: Iterable[Sequence[Any]], first_row: int, index: list[tuple[int, str]],
             shared: dict[Any, Any]) -> Iterator[SheetRow]:
    """Each non-blank row as (row number, {header: value}) with only its non-empty cells."""
    keep = shared.setdefault
    once = SHARED_TYPES
    for number, row in enumerate(rows, start=first_row):
        width = len(row)
        rec = {name: keep(v, v) if type(v) in once else v
               for j, name in index if j < width and (v := row[j]) is not None and v != ""}
        if rec:
            yield _new_row(SheetRow, (number, rec))


class RecordsSource:
    """A tracker held as plain rows: for each sheet, dicts keyed by header. The grid of
    each sheet has its contract headers on row 1, in contract order, then any other
    header the rows use, in the order first met; each dict is a row from row 2 on."""

    def __init__(self, sheets: Mapping[str, Sequence[Mapping[str, Any]]]) -> None:
        self.sheets = sheets

    def sheet_names(self) -> Sequence[str]:
        return list(self.sheets)

    def sheet_grid(self, name: str) -> SheetGrid:
        records = self.sheets[name]
        headers = list(C.HEADERS.get(name, ()))
        seen = set(headers)
        for rec in records:
            for h in rec:
                if h not in seen:
                    headers.append(h)
                    seen.add(h)
        return SheetGrid([headers, *([rec.get(h) for h in headers] for rec in records)])


def tracker_data(
    interviews: Iterable[Mapping[str, Any]] = (),
    calls: Iterable[Mapping[str, Any]] = (),
    contacts: Iterable[Mapping[str, Any]] = (),
    settings: Mapping[str, Any] | None = None,
    scripts: Iterable[Mapping[str, Any]] = (),
    cadences: Iterable[Mapping[str, Any]] = (),
) -> TrackerData:
    """A tracker as the engine sees it, from plain rows (``settings`` maps Setting to
    Value), read through the same path as a workbook (`read_source`)."""
    return read_source(RecordsSource({
        C.INTERVIEWS: list(interviews),
        C.CALLS: list(calls),
        C.CONTACTS: list(contacts),
        C.SCRIPTS: list(scripts),
        C.CADENCES: list(cadences),
        C.SETTINGS: [{"Setting": k, "Value": v} for k, v in (settings or {}).items()],
    }), "rows")
