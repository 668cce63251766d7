"""Refresh the workbook open in Excel: the live adapter, run by the Refresh button.

The button (xlwings' ``RunPython``; see `template_macro`) imports the Python file named
like the workbook, whose ``main`` is `main` here; ``xw.Book.caller()`` is the workbook
that clicked. `refresh` takes any xlwings ``Book`` and runs the same engine as the file
path (`refresh.refresh_file`), so both give the same cells.

How it talks to Excel, so that it works on every xlwings engine (desktop Excel on
Windows and macOS, and the remote engine behind xlwings Server and xlwings Lite):

- each data sheet is read once, as one block anchored at A1 (``used_range`` then one
  ``range(...).value``); nothing is read after the first write;
- each contiguous block of owned columns is written once, over the rows the engine
  planned (with the template, one write for the whole sheet); no cell is painted: the
  template's conditional formats colour the rows from the values;
- generated text is written with a leading apostrophe, Excel's own "this is text"
  mark: whatever a script or name starts with (``=``, ``+``, ``-``, ``@``) or looks like
  (a number, a date, TRUE), the cell holds exactly the text, on every engine (and the
  VBA client's own ISO-date parsing of strings leaves it alone). The apostrophe is not
  part of the value Excel stores;
- dates are written as dates (xlwings sends them as ISO dates to the remote clients);
- problems reach the user in a message box (``app.alert``), with the CLI's wording;
  a workbook missing a sheet or a required column is refused before anything is
  written.

This module imports neither pandas nor openpyxl (nor xlwings, until it needs the
caller), so a click costs starting Python, importing xlwings and the engine.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from . import contract as C
from .engine import compute
from .errors import Problem, WorkbookError
from .model import CellValue, Result, SheetRows, TrackerData
from .sheetdata import column_number
from .xlsx_read import DATA_SHEETS, sheet_from_grid

#: Excel's marker for "literal text": not stored in the cell's value.
TEXT_PREFIX = "'"
#: VBA's MsgBox shows about 1,024 characters; longer lists are cut with a count.
MESSAGE_LIMIT = 900
INSTALL_FIX = 'install it with: pip install "workbook-tools[excel]"'


def main() -> None:
    """The Refresh button's entry point: refresh the workbook that called."""
    refresh()


def refresh(book: Any = None, today: date | None = None) -> list[Problem]:
    """Refresh an xlwings ``Book`` (None: ``xw.Book.caller()``) as of ``today``
    (None: the local date). Returns the problems, which a message box has shown; when a
    sheet or a required column is missing, nothing is written."""
    if book is None:
        book = _caller()
    today = today or date.today()
    sheets = {s.name.strip().casefold(): s for s in book.sheets}
    problems: list[Problem] = []
    rows: dict[str, SheetRows] = {}
    for name in DATA_SHEETS:
        sheet = sheets.get(name.casefold())
        if sheet is None:
            problems.append(Problem(name, "", f"the sheet {name!r} is missing",
                                    f"add a sheet named {name} with the headers " + ", ".join(C.HEADERS[name])
                                    + " (a new tracker from `workbook-tools new` has it)"))
            continue
        rows[name] = sheet_from_grid(name, read_block(sheet), problems)
    if problems:
        _alert(book, "Refresh: nothing was written", "Nothing was written: fix these first.", problems)
        return problems
    data = TrackerData(**{s.casefold(): rows[s] for s in DATA_SHEETS})
    result = compute(data, today)
    interviews = sheets[C.INTERVIEWS.casefold()]
    grow = _table_to_grow(interviews, data)  # read before the first write
    for (first_row, first_col), values in owned_blocks(data, result):
        last = (first_row + len(values) - 1, first_col + len(values[0]) - 1)
        interviews.range((first_row, first_col), last).value = values
    if grow is not None:
        table, area = grow
        table.resize(interviews.range(*area))
    if result.problems:
        _alert(book, f"Refresh: {_count(len(result.problems), 'problem')}",
               "The other rows were refreshed.", result.problems)
    return result.problems


def read_block(sheet: Any) -> list[list[Any]]:
    """A sheet's values from A1 to its last used cell, read at once."""
    last = sheet.used_range.last_cell
    return sheet.range((1, 1), (last.row, last.column)).options(ndim=2).value


def owned_blocks(data: TrackerData, result: Result) -> list[tuple[tuple[int, int], list[list[CellValue]]]]:
    """The writes of a refresh: for each run of adjacent owned columns, its top-left
    cell (row, column, 1-based) and the values of the planned rows, ready for Excel
    (text marked as text, blanks as None)."""
    if not result.rows:
        return []
    sheet = data.interviews
    index = {h: column_number(sheet.columns[h]) for h in C.OWNED_COLUMNS}
    by_row = {r.row: r.cells() for r in result.rows}
    first, last = min(by_row), max(by_row)
    blocks = []
    for run in _runs(sorted(C.OWNED_COLUMNS, key=index.__getitem__), index):
        values = []
        for row in range(first, last + 1):
            cells = by_row.get(row)  # a row the engine skipped is blank: its owned cells too
            values.append([excel_value(cells.get(h)) if cells else None for h in run])
        blocks.append(((first, index[run[0]]), values))
    return blocks


def excel_value(value: CellValue) -> CellValue:
    """A value as written through Excel: text marked as literal text, "" as blank."""
    if isinstance(value, str):
        return TEXT_PREFIX + value if value else None
    return value


def _runs(headers: list[str], index: dict[str, int]) -> list[list[str]]:
    runs: list[list[str]] = []
    for h in headers:
        if runs and index[h] == index[runs[-1][-1]] + 1:
            runs[-1].append(h)
        else:
            runs.append([h])
    return runs


def _table_to_grow(sheet: Any, data: TrackerData) -> tuple[Any, tuple[tuple[int, int], tuple[int, int]]] | None:
    """The Table holding the Interviews header row and the area it must cover when rows
    were typed below its end (as the file path grows it), else None."""
    last_row = max((row for row, _ in data.interviews.rows), default=0)
    header_row = data.interviews.header_row
    for table in sheet.tables:
        area = table.range
        if area is None or area.row != header_row:
            continue
        end = area.last_cell
        if last_row <= end.row:
            return None
        return table, ((area.row, area.column), (last_row, end.column))
    return None


def problems_message(lead: str, problems: list[Problem], limit: int = MESSAGE_LIMIT) -> str:
    """The message box text: ``lead``, then one line per problem as the CLI words it
    (sheet, cell, what is wrong, the fix), cut with a count past ``limit`` characters."""
    lines = [lead, ""]
    size = len(lead)
    for i, problem in enumerate(problems):
        line = str(problem)
        if size + len(line) > limit and i:
            lines.append(f"... and {_count(len(problems) - i, 'more problem')}: "
                         "`workbook-tools check` on the saved file lists them all.")
            break
        lines.append(line)
        size += len(line) + 1
    return "\n".join(lines)


def _alert(book: Any, title: str, lead: str, problems: list[Problem]) -> None:
    book.app.alert(problems_message(lead, problems), title=title, buttons="ok", mode="critical")


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def _caller() -> Any:
    try:
        import xlwings as xw
    except ImportError as exc:  # the CLI works without it; the button needs it
        raise WorkbookError("xlwings", "is not installed; the Refresh button needs it", INSTALL_FIX) from exc
    return xw.Book.caller()
