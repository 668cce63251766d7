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
  a workbook missing a sheet or a required column, or a value Excel cannot hold (text
  over 32,767 characters), is refused before anything is written: every check and
  every range is prepared first, then the writes follow one another with nothing
  between them that could fail in Python;
- a write that Excel refuses (a protected sheet, a merged cell, an array formula: only
  desktop Excel can tell, when it is asked to write) ends the refresh with a message
  box naming the range and the fix, not a traceback. Blocks written before it stay
  written (undoing them would mean reading after writing); the message names them, and
  the next click rewrites every owned cell anyway.

This module imports neither pandas nor openpyxl (nor xlwings, until it needs the
caller), so a click costs starting Python, importing xlwings and the engine.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import partial
from typing import Any

from workbook_tools import contract as C
from workbook_tools.core.engine import compute
from workbook_tools.errors import Problem, WorkbookError
from workbook_tools.core.model import CellValue, Result, SheetRows, TrackerData
from workbook_tools.core.grid import column_letter, column_number
from workbook_tools.xlsx.read import DATA_SHEETS, sheet_from_grid

#: Excel's marker for "literal text": not stored in the cell's value.
TEXT_PREFIX = "'"
#: VBA's MsgBox shows about 1,024 characters; longer lists are cut with a count.
MESSAGE_LIMIT = 900
INSTALL_FIX = 'install it with: pip install "workbook-tools[excel]"'
MAX_CELL_TEXT = C.MAX_CELL_TEXT
WRITE_FIX = ("unprotect the sheet (Review > Unprotect Sheet), unmerge cells and clear array formulas "
             "in the owned columns, then click Refresh again")

#: A block of owned cells: its top-left cell (row, column, 1-based) and its values.
Block = tuple[tuple[int, int], list[list[CellValue]]]
#: A prepared write: the Interviews range it covers, what failing means, and the write.
Write = tuple[str, str, Callable[[], object]]


def main() -> None:
    """The Refresh button's entry point: refresh the workbook that called."""
    refresh()


def refresh(book: Any = None, today: date | None = None) -> list[Problem]:
    """Refresh an xlwings ``Book`` (None: ``xw.Book.caller()``) as of ``today``
    (None: the local date). Returns the problems, which a message box has shown. When a
    sheet or a required column is missing, or a value would not fit in a cell, nothing
    is written; when Excel refuses a write, the refresh stops there (see `write_all`)."""
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
    blocks = owned_blocks(data, result)
    problems = check_blocks(blocks)
    if problems:
        _alert(book, "Refresh: nothing was written", "Nothing was written: fix these first.", problems)
        return problems
    failed = write_all(book, prepare_writes(interviews, data, blocks))  # the only writes
    if failed:
        return [failed]
    if result.problems:
        _alert(book, f"Refresh: {_count(len(result.problems), 'problem')}",
               "The other rows were refreshed.", result.problems)
    return result.problems


def check_blocks(blocks: list[Block]) -> list[Problem]:
    """What can be known before writing, on every engine: each value fits in a cell."""
    problems = []
    for (first_row, first_col), values in blocks:
        for i, row in enumerate(values):
            for j, value in enumerate(row):
                if isinstance(value, str) and len(value) > MAX_CELL_TEXT // 2:
                    text = value.removeprefix(TEXT_PREFIX)
                    size = len(text.encode("utf-16-le")) // 2  # Excel counts UTF-16 units
                    if size > MAX_CELL_TEXT:
                        problems.append(Problem(
                            C.INTERVIEWS, _a1(first_row + i, first_col + j),
                            f"the text to write has {size:,} characters, more than the {MAX_CELL_TEXT:,} "
                            "Excel holds in a cell",
                            "shorten the Scripts text (or the cells it quotes) that makes it, then click "
                            "Refresh again"))
    return problems


def prepare_writes(sheet: Any, data: TrackerData, blocks: list[Block]) -> list[Write]:
    """Every write of the refresh, its Range made and the Table looked up, before the
    first one runs (the Table is read here: nothing is read after writing)."""
    writes: list[Write] = []
    for (first_row, first_col), values in blocks:
        last = (first_row + len(values) - 1, first_col + len(values[0]) - 1)
        target = sheet.range((first_row, first_col), last)
        writes.append((f"{_a1(first_row, first_col)}:{_a1(*last)}", "could not be written",
                       partial(setattr, target, "value", values)))
    grow = _table_to_grow(sheet, data)
    if grow is not None:
        table, (top_left, bottom_right) = grow
        writes.append((f"{_a1(*top_left)}:{_a1(*bottom_right)}", "the table could not be extended to it",
                       partial(table.resize, sheet.range(top_left, bottom_right))))
    return writes


def write_all(book: Any, writes: list[Write]) -> Problem | None:
    """Run the writes in order. When Excel refuses one, stop there and show it in a
    message box (with the ranges already written); return it as a Problem."""
    done: list[str] = []
    for address, what, write in writes:
        try:
            write()
        except Exception as exc:  # any engine's error (COM, AppleScript...): a message, not a traceback
            problem = Problem(C.INTERVIEWS, address, f"{what} ({error_text(exc)})", WRITE_FIX)
            written = ", ".join(f"{C.INTERVIEWS}!{a}" for a in done)
            lead = f"Already written: {written}; the rest was not written." if done else "Nothing was written."
            _alert(book, "Refresh: not finished", lead, [problem])
            return problem
        done.append(address)
    return None


def error_text(exc: BaseException, limit: int = 200) -> str:
    """An engine's error on one line: a COM error's own description (the third item of
    pywintypes.com_error's excepinfo) when it has one, else the error's text."""
    args = getattr(exc, "args", ())
    info = args[2] if len(args) > 2 and isinstance(args[2], tuple) else ()
    text = info[2] if len(info) > 2 and isinstance(info[2], str) and info[2].strip() else str(exc)
    text = " ".join(text.split()).rstrip(".") or type(exc).__name__
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def _a1(row: int, column: int) -> str:
    return f"{column_letter(column)}{row}"


def read_block(sheet: Any) -> list[list[Any]]:
    """A sheet's values from A1 to its last used cell, read at once."""
    last = sheet.used_range.last_cell
    return sheet.range((1, 1), (last.row, last.column)).options(ndim=2).value


def owned_blocks(data: TrackerData, result: Result) -> list[Block]:
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
