"""Refresh the workbook open in Excel: the live adapter, run by the Refresh button.

The button (xlwings' ``RunPython``; see `template.vba` and `template.runner`) imports
the Python file named like the workbook, whose ``main`` is `main` here (through its
public address, `workbook_tools.excel`); ``xw.Book.caller()`` is the workbook that
clicked. `refresh` takes any xlwings ``Book``: its sheets go through the same read
path (`core.grid.read_source`, fed by `BookGrids`) and the same engine as a file's
(`adapters.file.refresh_file`), so both give the same cells.

How it talks to Excel, so that it works on every xlwings engine (desktop Excel on
Windows and macOS, and the remote engine behind xlwings Server and xlwings Lite):

- each data sheet is read once, as one block anchored at A1 (``used_range`` then one
  ``range(...).value``); nothing is read after the first write;
- each contiguous block of owned columns is written once, over the rows the engine
  planned (with the template, one write for the whole sheet; the linked columns once
  more after their links, below); no cell is painted: the template's conditional
  formats colour the rows from the values;
- generated text is written with a leading apostrophe, Excel's own "this is text"
  mark: whatever a script or name starts with (``=``, ``+``, ``-``, ``@``) or looks like
  (a number, a date, TRUE), the cell holds exactly the text, on every engine (and the
  VBA client's own ISO-date parsing of strings leaves it alone). The apostrophe is not
  part of the value Excel stores;
- dates are written as dates (xlwings sends them as ISO dates to the remote clients);
- the links the file path writes (`core.links.linked_cells`: the call's `tel:` link on
  Next Call, the email's `mailto:` link on Flag, none on a blank cell) are added after the
  values with ``Range.add_hyperlink`` (`prepare_links`), which also sets the cell's text;
  so the linked columns' values are written once more after the links, and the cells end
  up holding exactly the values written the first time: a date stays a date, a flag stays
  text with its text mark. A link that an engine refuses is left out without a message:
  the cells are what matters. Only desktop Excel on Windows lists the sheet's links
  (through COM), and the list is needed to leave the user's own alone: the other
  engines (xlwings' remote one, Excel on macOS) get no links at all;
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

from collections.abc import Callable, Sequence
from datetime import date
from functools import partial
from typing import Any, NamedTuple

from workbook_tools import contract as C
from workbook_tools.a1 import Rect, cell_ref, column_number, parse_range
from workbook_tools.adapters.holiday_cache import use_holiday_cache
from workbook_tools.core.engine import compute
from workbook_tools.core.grid import SheetGrid, find_sheet, read_source
from workbook_tools.core.links import is_our_link, linked_cells
from workbook_tools.core.model import CellLink, Result, TrackerData
from workbook_tools.core.rules.links import CALL_LINK_COLUMN, MAIL_LINK_COLUMN
from workbook_tools.core.values import count
from workbook_tools.errors import Problem, ProblemsError, WorkbookError
from workbook_tools.xlsx.names import constant_formula, text_constant

#: Excel's marker for "literal text": not stored in the cell's value.
TEXT_PREFIX = "'"
#: VBA's MsgBox shows about 1,024 characters; longer lists are cut with a count.
MESSAGE_LIMIT = 900
INSTALL_FIX = 'install it with: pip install "workbook-tools[excel]"'
WRITE_FIX = ("unprotect the sheet (Review > Unprotect Sheet), unmerge cells and clear array formulas "
             "in the owned columns, then click Refresh again")
NOTHING_WRITTEN = ("Refresh: nothing was written", "Nothing was written: fix these first.")


class Block(NamedTuple):
    """A run of adjacent owned columns over the planned rows: its top-left cell
    (1-based) and its values, row by row, ready for Excel."""

    row: int
    column: int
    values: list[list[C.CellValue]]


class PreparedWrite(NamedTuple):
    """One write of a refresh, ready to run: the Interviews range it covers, what a
    failure means (for the message), and the write itself."""

    address: str
    failure: str
    run: Callable[[], object]


class BookGrids:
    """An xlwings Book's sheets as grids for `core.grid.read_source`: each sheet read
    at once, as one block from A1 to its last used cell."""

    def __init__(self, book: Any) -> None:
        self.sheets = {sheet.name: sheet for sheet in book.sheets}

    def sheet_names(self) -> Sequence[str]:
        return list(self.sheets)

    def sheet_grid(self, name: str) -> SheetGrid:
        return SheetGrid(read_block(self.sheets[name]))

    def sheet(self, wanted: str) -> Any:
        """The xlwings Sheet of the contract sheet ``wanted`` (it has been read)."""
        return self.sheets[find_sheet(self.sheets, wanted) or wanted]


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
    use_holiday_cache()
    source = BookGrids(book)
    try:
        data = read_source(source, book.name)
    except ProblemsError as err:
        _alert(book, *NOTHING_WRITTEN, err.problems)
        return err.problems
    identity = book_identity(book)
    data = data._replace(tracker_id=identity.value)
    result = compute(data, today or date.today())
    blocks = owned_blocks(data, result)
    problems = check_blocks(blocks)
    if problems:
        _alert(book, *NOTHING_WRITTEN, problems)
        return problems
    interviews = source.sheet(C.INTERVIEWS)
    writes = prepare_writes(interviews, data, blocks) + prepare_heights(interviews, data, result)
    links = prepare_links(interviews, data, result)
    if links.added:  # the text add_hyperlink set is written over with the cells' own
        writes += links.writes + block_writes(interviews, owned_blocks(data, result, LINKED_HEADERS))
    else:
        writes += links.writes
    failed = write_all(book, writes)  # the writes
    if failed:
        return [failed]
    if not identity.present:
        _add_identity(book)
    if result.problems:
        _alert(book, f"Refresh: {count(len(result.problems), 'problem')}",
               "The other rows were refreshed.", result.problems)
    return result.problems


class BookIdentity(NamedTuple):
    """The workbook's name `contract.TRACKER_ID_NAME`: whether it has one, and its text
    ("" when it has none, or one whose value cannot be read as text)."""

    present: bool
    value: str


def book_identity(book: Any) -> BookIdentity:
    """The tracker's identity as the book's names hold it (read before any write)."""
    wanted = C.TRACKER_ID_NAME.casefold()
    try:
        for name in book.names:
            if str(name.name).casefold() == wanted:
                return BookIdentity(True, text_constant(name.refers_to) or "")
    except Exception:  # an engine that cannot list names: nothing is added either
        return BookIdentity(True, "")
    return BookIdentity(False, "")


def _add_identity(book: Any) -> None:
    """Give the book the identity the file path gives a tracker without one: its name, from
    which its calendar's UIDs came. Best effort: where the engine refuses, the calendar
    goes on using the book's name, the same value."""
    try:
        book.names.add(C.TRACKER_ID_NAME, "=" + constant_formula(book.name))
    except Exception:  # any engine's error; nothing the user has is at stake
        pass


def check_blocks(blocks: list[Block]) -> list[Problem]:
    """What can be known before writing, on every engine: each value fits in a cell."""
    problems = []
    for first_row, first_col, values in blocks:
        for i, row in enumerate(values):
            for j, value in enumerate(row):
                size = too_long(value)
                if size is not None:
                    problems.append(Problem(
                        C.INTERVIEWS, cell_ref(first_row + i, first_col + j),
                        f"the text to write has {size:,} characters, more than the {C.MAX_CELL_TEXT:,} "
                        "Excel holds in a cell",
                        "shorten the Scripts text (or the cells it quotes) that makes it, then click "
                        "Refresh again"))
    return problems


def too_long(value: C.CellValue) -> int | None:
    """Excel's length of a text to write (its text mark aside), when a cell cannot hold it."""
    if not isinstance(value, str):
        return None
    return C.too_long_for_a_cell(value.removeprefix(TEXT_PREFIX))


def prepare_writes(sheet: Any, data: TrackerData, blocks: list[Block]) -> list[PreparedWrite]:
    """Every write of the refresh, its Range made and the Table looked up, before the
    first one runs (the Table is read here: nothing is read after writing)."""
    writes = block_writes(sheet, blocks)
    grow = _table_to_grow(sheet, data)
    if grow is not None:
        top_left, bottom_right = (grow.top, grow.left), (grow.bottom, grow.right)
        writes.append(PreparedWrite(f"{cell_ref(*top_left)}:{cell_ref(*bottom_right)}",
                                    "the table could not be extended to it",
                                    partial(grow.table.resize, sheet.range(top_left, bottom_right))))
    return writes


def block_writes(sheet: Any, blocks: list[Block]) -> list[PreparedWrite]:
    """The writes of the blocks' values, one a block, their Ranges made."""
    writes: list[PreparedWrite] = []
    for first_row, first_col, values in blocks:
        last = (first_row + len(values) - 1, first_col + len(values[0]) - 1)
        target = sheet.range((first_row, first_col), last)
        writes.append(PreparedWrite(f"{cell_ref(first_row, first_col)}:{cell_ref(*last)}", "could not be written",
                                    partial(setattr, target, "value", values)))
    return writes


#: The owned columns that may hold a link (`core.links.linked_cells`).
LINKED_HEADERS = (CALL_LINK_COLUMN, MAIL_LINK_COLUMN)
#: VBA passes at most 255 characters of a text to Excel's objects (Microsoft KB 213841):
#: the longest text given to add_hyperlink to show (the cell's own is written after it).
DISPLAY_LIMIT = 255


class LiveLink(NamedTuple):
    """A hyperlink of the open sheet, as desktop Excel lists it: the cells it covers (its
    whole range: a link may span several), its address and its ScreenTip."""

    area: Rect
    address: str
    tip: str


class LinkWrites(NamedTuple):
    """The link writes of a refresh, and how many of them add a link (each sets its
    cell's text, which is then written again)."""

    writes: list[PreparedWrite]
    added: int


def prepare_links(sheet: Any, data: TrackerData, result: Result) -> LinkWrites:
    """The links of the refresh, as the file path writes them, read and prepared before
    any write: each link wanted added (`Range.add_hyperlink`), unless the cell already has
    it, or has a link of the user's or lies inside the range of one; each link of ours no
    longer wanted deleted (``Hyperlinks.Delete``), except inside the range of a link of
    the user's (the delete could take theirs too). Ours are as in the file path
    (`core.links.is_our_link`): a `tel:` or `mailto:` link on one linked cell below the
    header whose ScreenTip has the form of ours; every other link is the user's.

    This needs the sheet's links, which desktop Excel on Windows lists
    (``sheet.api.Hyperlinks``, through COM). An engine where that list cannot be read
    (xlwings' remote engine, behind xlwings Server and Lite; Excel on macOS, whose api
    is AppleScript's) gets no links at all: without the list, a link of the user's on a
    Next Call or Flag cell cannot be told from ours, and adding ours would replace it.
    There the cells are refreshed as everywhere; `workbook-tools refresh` on the saved
    file adds the links."""
    existing = live_links(sheet)
    if existing is None:
        return LinkWrites([], 0)
    wanted = _wanted_links(data, result)
    ours, theirs = _split_links(existing, data)
    writes = []
    for cell, (link, value) in sorted(wanted.items()):
        now = ours.get(cell)
        if _covered(cell, theirs) or now is not None and (now.address, now.tip) == (link.url, link.tooltip):
            continue  # the user's link (or inside one), or ours as it should be
        add = partial(sheet.range(cell).add_hyperlink, link.url, display_text(value), link.tooltip)
        writes.append(PreparedWrite(cell_ref(*cell), "could not be given its link", partial(_best_effort, add)))
    added = len(writes)
    for cell in sorted(ours):
        if cell not in wanted and not _covered(cell, theirs):  # (a delete there could take the user's too)
            delete = partial(_delete_links, sheet.range(cell))
            writes.append(PreparedWrite(cell_ref(*cell), "could not lose its link", partial(_best_effort, delete)))
    return LinkWrites(writes, added)


def _wanted_links(data: TrackerData, result: Result) -> dict[tuple[int, int], tuple[CellLink, C.CellValue]]:
    """The link each planned row wants on its linked cells (`core.links.linked_cells`), by
    (row, column), with the value the cell gets."""
    columns = data.interviews.columns
    wanted: dict[tuple[int, int], tuple[CellLink, C.CellValue]] = {}
    for res in result.rows:
        if not res.flag:
            continue
        cells = res.cells()
        for header, link in linked_cells(res):
            if link is not None and header in columns:
                wanted[(res.row, column_number(columns[header]))] = (link, cells.get(header))
    return wanted


def _split_links(existing: list[LiveLink], data: TrackerData) -> tuple[dict[tuple[int, int], LiveLink], list[Rect]]:
    """The sheet's links parted: ours by their cell, and the areas of the user's."""
    columns = data.interviews.columns
    managed = {column_number(columns[h]) for h in LINKED_HEADERS if h in columns}
    ours: dict[tuple[int, int], LiveLink] = {}
    theirs: list[Rect] = []
    for link in existing:
        top, left, bottom, right = link.area
        one_cell = (top, left) == (bottom, right)
        if one_cell and left in managed and top > data.interviews.header_row and is_our_link(link.address, link.tip):
            ours[(top, left)] = link
        else:
            theirs.append(link.area)
    return ours, theirs


def _covered(cell: tuple[int, int], areas: list[Rect]) -> bool:
    row, column = cell
    return any(a.top <= row <= a.bottom and a.left <= column <= a.right for a in areas)


def live_links(sheet: Any) -> list[LiveLink] | None:
    """The sheet's links, as desktop Excel lists them, each with the whole range it is on;
    None when the engine cannot list them (the remote one, or any refusal)."""
    try:
        return [LiveLink(_link_area(link.Range), str(link.Address or ""), str(link.ScreenTip or ""))
                for link in sheet.api.Hyperlinks]
    except Exception:  # no COM object here (the remote engine's api is its JSON), or Excel refused
        return None


def _link_area(cells: Any) -> Rect:
    """The cells a link's Range covers: from its Address ("$R$1:$T$3"), else its top-left cell."""
    top, left = int(cells.Row), int(cells.Column)
    address = getattr(cells, "Address", None)
    area = parse_range(address.replace("$", "")) if isinstance(address, str) else None
    return area if area is not None and (area.top, area.left) == (top, left) else Rect(top, left, top, left)


def display_text(value: C.CellValue) -> str:
    """The text add_hyperlink is given to show: the cell's value as the value write gives
    it (with Excel's text mark, so that Excel keeps it text), cut to `DISPLAY_LIMIT`; ""
    for a value that is not text (a Next Call date). The values are written again after
    the links, so the cell ends up with its own value: its whole text, or its date."""
    shown = excel_value(value)
    text = shown if isinstance(shown, str) else ""
    return text[:DISPLAY_LIMIT]


def _delete_links(target: Any) -> None:
    """Remove the links of a cell (desktop Excel's Range.Hyperlinks.Delete)."""
    target.api.Hyperlinks.Delete()


def _best_effort(run: Callable[[], object]) -> None:
    """Run one link write; an engine's refusal leaves the cell without it (the cells'
    values are what matter, and they are written whatever happens to the links)."""
    try:
        run()
    except Exception:  # any engine's error: the link is left out, and nothing else
        pass


def prepare_heights(sheet: Any, data: TrackerData, result: Result) -> list[PreparedWrite]:
    """The row heights of the refresh: each row it fills made as tall as its wrapped
    cells need (`core.layout.row_height`, as the file path does), one write per run of
    rows of one height. The widths of the wrapped columns are read here, before any
    write; an engine that cannot read them (the remote one) or set heights gets none."""
    from workbook_tools.core.layout import WRAPPED_HEADERS, WrappedCell, row_height

    columns = data.interviews.columns
    wrapped = [h for h in WRAPPED_HEADERS if h in columns]
    try:
        widths = {h: float(sheet.range((1, column_number(columns[h]))).column_width or 0) for h in wrapped}
    except Exception:  # NotImplementedError on the remote engine; any engine's refusal: no heights
        return []
    before = dict(data.interviews.rows)
    heights = []
    for res in result.rows:
        if not res.flag:
            continue  # a row refresh does not fill keeps the height it has
        cells, typed = res.cells(), before.get(res.row, {})
        heights.append((res.row, row_height(WrappedCell(cells[h] if h in cells else typed.get(h), widths[h])
                                            for h in wrapped)))
    writes = []
    for first, last, height in _height_runs(heights):
        rows = sheet.range((first, 1), (last, 1))
        writes.append(PreparedWrite(f"{first}:{last}", "could not be given its height",
                                    partial(setattr, rows, "row_height", height)))
    return writes


class HeightRun(NamedTuple):
    """Rows ``first``..``last`` (adjacent), all of one ``height`` in points."""

    first: int
    last: int
    height: float


def _height_runs(heights: list[tuple[int, float]]) -> list[HeightRun]:
    runs: list[HeightRun] = []
    for row, height in heights:
        if runs and runs[-1].last == row - 1 and runs[-1].height == height:
            runs[-1] = runs[-1]._replace(last=row)
        else:
            runs.append(HeightRun(row, row, height))
    return runs


def write_all(book: Any, writes: list[PreparedWrite]) -> Problem | None:
    """Run the writes in order. When Excel refuses one, stop there and show it in a
    message box (with the ranges already written); return it as a Problem."""
    done: list[str] = []
    for address, failure, run in writes:
        try:
            run()
        except Exception as exc:  # any engine's error (COM, AppleScript...): a message, not a traceback
            problem = Problem(C.INTERVIEWS, address, f"{failure} ({error_text(exc)})", WRITE_FIX)
            written = ", ".join(f"{C.INTERVIEWS}!{a}" for a in done)
            lead = f"Already written: {written}; the rest was not written." if done else "Nothing was written."
            _alert(book, "Refresh: not finished", lead, [problem])
            return problem
        done.append(address)
    return None


def error_text(exc: BaseException, limit: int = 200) -> str:
    """An engine's error on one line: a COM error's own description (the third item of
    pywintypes.com_error's excepinfo) when it has one, else the error's text."""
    args: tuple[Any, ...] = getattr(exc, "args", ())
    info: tuple[Any, ...] = args[2] if len(args) > 2 and isinstance(args[2], tuple) else ()
    text = info[2] if len(info) > 2 and isinstance(info[2], str) and info[2].strip() else str(exc)
    text = " ".join(text.split()).rstrip(".") or type(exc).__name__
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def read_block(sheet: Any) -> list[list[Any]]:
    """A sheet's values from A1 to its last used cell, read at once."""
    last = sheet.used_range.last_cell
    values: list[list[Any]] = sheet.range((1, 1), (last.row, last.column)).options(ndim=2).value
    return values


def owned_blocks(data: TrackerData, result: Result, headers: Sequence[str] = C.OWNED_COLUMNS) -> list[Block]:
    """The writes of a refresh: for each run of adjacent owned columns (of ``headers``),
    its top-left cell (row, column, 1-based) and the values of the planned rows, ready
    for Excel (text marked as text, blanks as None)."""
    if not result.rows:
        return []
    sheet = data.interviews
    index = {h: column_number(sheet.columns[h]) for h in headers if h in sheet.columns}
    by_row = {r.row: r.cells() for r in result.rows}
    first, last = min(by_row), max(by_row)
    blocks = []
    for run in _runs(sorted(index, key=index.__getitem__), index):
        values = []
        for row in range(first, last + 1):
            cells = by_row.get(row)  # a row the engine skipped is blank: its owned cells too
            values.append([excel_value(cells.get(h)) if cells else None for h in run])
        blocks.append(Block(first, index[run[0]], values))
    return blocks


def excel_value(value: C.CellValue) -> C.CellValue:
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


class TableGrowth(NamedTuple):
    """An xlwings Table and the area it must cover (1-based, inclusive)."""

    table: Any
    top: int
    left: int
    bottom: int
    right: int


def _table_to_grow(sheet: Any, data: TrackerData) -> TableGrowth | None:
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
        return TableGrowth(table, area.row, area.column, last_row, end.column)
    return None


def problems_message(lead: str, problems: list[Problem], limit: int = MESSAGE_LIMIT) -> str:
    """The message box text: ``lead``, then one line per problem as the CLI words it
    (sheet, cell, what is wrong, the fix), cut with a count past ``limit`` characters."""
    lines = [lead, ""]
    size = len(lead)
    for i, problem in enumerate(problems):
        line = str(problem)
        if size + len(line) > limit and i:
            lines.append(f"... and {count(len(problems) - i, 'more problem')}: "
                         "`workbook-tools check` on the saved file lists them all.")
            break
        lines.append(line)
        size += len(line) + 1
    return "\n".join(lines)


def _alert(book: Any, title: str, lead: str, problems: list[Problem]) -> None:
    book.app.alert(problems_message(lead, problems), title=title, buttons="ok", mode="critical")


def _caller() -> Any:
    try:
        import xlwings as xw
    except ImportError as exc:  # the CLI works without it; the button needs it
        raise WorkbookError("xlwings", "is not installed; the Refresh button needs it", INSTALL_FIX) from exc
    return xw.Book.caller()
