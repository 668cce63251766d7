"""Reading the lists `workbook-tools import` brings in: a CSV (any of the usual
delimiters and encodings) or the best sheet of an XLSX/XLSM workbook, as a grid of
cell values from its first row, for `core.imports.plan_import`.

A source is read with pandas, every cell as it is written (no header, no missing-value
guessing: the header row is the import's to find). What a hostile file could cost is
bounded before pandas sees it: the bytes of a CSV, the rows and columns read, and for
a workbook the checks the tracker's own reader makes (`xlsx.read.check_package`: no
zip bomb, no sheet spanning a giant grid).
"""

from __future__ import annotations

import codecs
import io
import os
import re
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any, NamedTuple

from workbook_tools.a1 import column_letter
from workbook_tools.core.rules.imports import HEADER_SCAN_ROWS
from workbook_tools.errors import ProblemsError, WorkbookError, needs_extra
from workbook_tools.files import check_regular_file
from workbook_tools.xlsx.limits import Bound


class Limits(NamedTuple):
    """What one source may cost to read."""

    bytes: Bound
    rows: Bound
    columns: Bound
    sheets: Bound


#: The bounds on a source. ours: years of a job search at twenty leads a day is under
#: 20,000 rows; old Excel's 256 columns are more than any tracker site exports; 32 MB
#: holds that many rows with long notes; the first 20 sheets of a workbook are looked at.
LIMITS = Limits(Bound(32 * 2**20, "ours"), Bound(20_000, "ours"), Bound(256, "ours: Excel 2003's IV"),
                Bound(20, "ours"))
#: What needs pandas here, for the message when the install leaves it out (`errors.needs_extra`).
NEEDED_BY = "the import"
#: The delimiters a CSV may use (issue 15), in the order a tie is settled.
DELIMITERS = (",", ";", "\t", "|")
DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "bar"}
#: Byte order marks, longest first (the Unicode standard's).
BOMS = ((codecs.BOM_UTF8, "utf-8-sig", "UTF-8 with BOM"), (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16 LE"),
        (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16 BE"))
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"
#: Rows of a CSV looked at to tell its delimiter.
SNIFF_LINES = 30


class SourceGrid(NamedTuple):
    """A source read: its rows from the first (each a list of cell values: text, and for
    a workbook numbers, dates, True/False; blank cells None), how it was read ("CSV,
    UTF-16 LE, semicolon", "sheet 'Jobs'"), whether it had more rows than were read, the
    line of the file each row starts on (a CSV's quoted notes span lines; empty: row
    index + 1), the sheet's name for a workbook, and the workbook's other sheets that
    hold leads too (`core.imports.other_sheet_too`), in the workbook's order."""

    rows: list[list[Any]]
    how: str
    capped: bool
    lines: tuple[int, ...] = ()
    sheet: str = ""
    others: tuple[SourceGrid, ...] = ()


def read_grid(path: str | Path, score: Any = None) -> SourceGrid:
    """The source at ``path`` as a grid: a workbook when it is a zip file (its sheet with
    the best header, by ``score``: rows -> a number, higher better; the first sheet by
    default), else a CSV. WorkbookError (or ProblemsError for a sheet's far cell) saying
    what the file is and what to do when it cannot be read."""
    path = Path(path)
    head = _head(path)
    if head.startswith(_ZIP_MAGIC):
        return read_workbook(path, score)
    if head.startswith(_OLE_MAGIC):
        raise WorkbookError(path, "is an old .xls workbook or a password-protected one",
                            "open it in Excel, remove any password, and save it as .xlsx or as CSV")
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        raise WorkbookError(path, "is not an Excel workbook (it is not a zip file)",
                            "save it again from Excel as .xlsx, or export it as CSV")
    return read_csv(path)


def _head(path: Path) -> bytes:
    if path.is_dir():
        raise WorkbookError(path, "is a folder, not a list", "name a CSV, XLSX or XLSM file")
    check_regular_file(path)
    try:
        with path.open("rb") as fh:
            return fh.read(8)
    except FileNotFoundError:
        raise WorkbookError(path, "does not exist", "check the file name and folder") from None
    except OSError as exc:
        raise WorkbookError(path, f"cannot be read ({exc.strerror or exc})", "check the file's permissions") from None


# --- CSV -------------------------------------------------------------------------------


def read_csv(path: Path) -> SourceGrid:
    """A CSV file as a grid: its encoding and delimiter told from its bytes, at most
    `LIMITS` rows and columns read."""
    data = _csv_bytes(path)
    text, encoding = decode(data)
    if "\x00" in text[:8192]:
        raise WorkbookError(path, "is not a CSV or Excel file: it holds binary data",
                            "name the CSV or XLSX file your tracker exported")
    delimiter = sniff_delimiter(text)
    rows, capped = _parse_csv(path, text, delimiter)
    lines = record_lines(text, delimiter, len(rows))  # after pandas, which refuses a record too wide
    return SourceGrid(rows, f"CSV, {encoding}, {DELIMITER_NAMES[delimiter]}-separated", capped,
                      tuple(lines) if len(lines) >= len(rows) else ())


def _csv_bytes(path: Path) -> bytes:
    """The file's bytes; WorkbookError when it is bigger than a list of leads can be."""
    limit = LIMITS.bytes.value
    too_big = WorkbookError(path, f"is bigger than {limit // 2**20} MB, more than a list of leads ever is; nothing "
                                  "was imported from it", "export only the rows you want to import, or split the file")
    try:
        with path.open("rb") as fh:
            if os.fstat(fh.fileno()).st_size > limit:
                raise too_big  # not read at all
            data = fh.read(limit + 1)
    except OSError as exc:
        raise WorkbookError(path, f"cannot be read ({exc.strerror or exc})", "check the file's permissions") from None
    if len(data) > limit:
        raise too_big
    if not data.strip():
        raise WorkbookError(path, "is empty", "name the file your tracker exported, with its header row")
    return data


def decode(data: bytes) -> tuple[str, str]:
    """The text of a CSV's bytes and the name of its encoding: by its byte order mark,
    else UTF-16 when every other byte is NUL, else UTF-8, else Windows-1252 (Excel's
    "CSV" on Windows), else Latin-1 (which reads any bytes)."""
    for bom, codec, name in BOMS:
        if data.startswith(bom):
            return data[len(bom):].decode(codec, errors="replace"), name
    even, odd = data[:1024:2], data[1:1024:2]
    if len(odd) >= 2 and odd.count(0) * 4 > len(odd) * 3 and not even.count(0):
        return data.decode("utf-16-le", errors="replace"), "UTF-16 LE"
    if len(even) >= 2 and even.count(0) * 4 > len(even) * 3 and not odd.count(0):
        return data.decode("utf-16-be", errors="replace"), "UTF-16 BE"
    for codec, name in (("utf-8", "UTF-8"), ("cp1252", "Windows-1252")):
        try:
            return data.decode(codec), name
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1"), "Latin-1"


#: Excel's first line naming the delimiter ("sep=;"), which it writes and reads.
_EXCEL_SEP = re.compile(r"sep=(.)\r?\n")


def sniff_delimiter(text: str) -> str:
    """The delimiter of a CSV's text: the one Excel's "sep=X" first line names; else of
    `DELIMITERS`, the one whose first `SNIFF_LINES` records (read whole by the csv module,
    quoted values with their delimiters and line breaks) keep the fewest quote marks in
    their values (a wrong delimiter leaves the quotes of quoted values in them), then
    splits the most records into the same number of fields, more fields winning a tie;
    a comma when none splits any record."""
    sample = text[: 256 * 1024]
    named = _EXCEL_SEP.match(sample)
    if named is not None and named.group(1) in DELIMITERS:
        return named.group(1)
    best, best_score = ",", None
    for delimiter in DELIMITERS:
        records = [r for r in _records(sample, delimiter, SNIFF_LINES) if any(field.strip() for field in r)]
        found = [len(r) for r in records if len(r) > 1]
        if not found:
            continue
        common = max(set(found), key=lambda n: (found.count(n), n))
        quotes = sum(field.count('"') for record in records for field in record)
        score = (-quotes, found.count(common), common)
        if best_score is None or score > best_score:
            best, best_score = delimiter, score
    return best


class CsvRecord(NamedTuple):
    """One record of a CSV's text as the csv module reads it, and the line it starts on
    (1 = the first; a quoted value's line breaks counted)."""

    fields: list[str]
    line: int


def _csv_records(text: str, delimiter: str, most: int) -> list[CsvRecord]:
    """The first ``most`` records of a CSV's text, as the csv module reads them (a value
    as long as the text allowed, quote marks counting only at the start of a value, as
    pandas reads them); those before a record it cannot read."""
    import csv

    records: list[CsvRecord] = []
    limit = csv.field_size_limit(max(csv.field_size_limit(), len(text) + 1))
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        read = 0
        for fields in reader:
            records.append(CsvRecord(fields, read + 1))
            read = reader.line_num
            if len(records) >= most:
                break
    except csv.Error:
        pass
    finally:
        csv.field_size_limit(limit)
    return records


def _records(text: str, delimiter: str, most: int) -> list[list[str]]:
    """The fields of the first ``most`` records of a CSV's text (`_csv_records`)."""
    return [r.fields for r in _csv_records(text, delimiter, most)]


def record_lines(text: str, delimiter: str, most: int) -> list[int]:
    """The line (1 = the first) each of the first ``most`` records of a CSV's text starts
    on (`_csv_records`)."""
    return [r.line for r in _csv_records(text, delimiter, most)]


_FIELDS_ERROR = re.compile(r"Expected (\d+) fields in line (\d+), saw (\d+)")


_PANDAS_ROW = re.compile(r"\brow (\d+)")


def _parse_csv(path: Path, text: str, delimiter: str) -> tuple[list[list[Any]], bool]:
    """The CSV's rows (pandas, every cell as text), at most `LIMITS.rows` of them; and
    whether there were more."""
    with needs_extra(NEEDED_BY):
        import pandas
        from pandas.errors import EmptyDataError, ParserError

    width, limit = LIMITS.columns.value, LIMITS.rows.value
    try:
        frame = pandas.read_csv(io.StringIO(text), sep=delimiter, header=None, names=range(width), index_col=False,
                                dtype=str, keep_default_na=False, skip_blank_lines=False, nrows=limit + 1,
                                engine="c", quotechar='"')
    except EmptyDataError:
        raise WorkbookError(path, "is empty", "name the file your tracker exported, with its header row") from None
    except ParserError as exc:
        too_wide = _FIELDS_ERROR.search(str(exc))
        if too_wide:
            raise WorkbookError(path, f"line {too_wide.group(2)} has {int(too_wide.group(3)):,} columns, more than "
                                      f"the {width} a list of leads may have; nothing was read",
                                "export only the columns you want to import") from None
        raise WorkbookError(path, f"cannot be read as CSV ({_parser_problem(exc, text, delimiter)})",
                            "open it in a spreadsheet and save it again as CSV") from None
    rows = [_trimmed(row) for row in frame.itertuples(index=False, name=None)]
    return rows[:limit], len(rows) > limit


def _parser_problem(exc: Exception, text: str, delimiter: str) -> str:
    """pandas' reason for a CSV it cannot read, in words, with the file's line
    (`record_lines`) for its record number (pandas counts records from 0)."""
    said = _first_line(exc)
    found = _PANDAS_ROW.search(said)
    if found is None:
        return said
    record = int(found.group(1))
    lines = record_lines(text, delimiter, record + 1)
    line = lines[record] if record < len(lines) else record + 1
    if "EOF inside string" in said:
        return f"a quoted value that opens on line {line} is never closed"
    return f"{said[:found.start()]}line {line}{said[found.end():]}"


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0][:200] if str(exc).strip() else type(exc).__name__


def _trimmed(row: Sequence[Any]) -> list[Any]:
    """A row's cells as plain values, without its blank cells at the end."""
    cells = [_plain(v) for v in row]
    while cells and cells[-1] is None:
        cells.pop()
    return cells


def _plain(value: Any) -> Any:
    """A cell as the core reads it: None for a blank or missing cell, a datetime for a
    pandas Timestamp, a Python number for a numpy one."""
    if value is None or (isinstance(value, str) and not value):
        return None
    if isinstance(value, (str, bool, int, date)):
        return value
    if isinstance(value, float):
        return None if value != value else value  # NaN: a missing cell
    module = type(value).__module__.partition(".")[0]
    if module == "pandas":
        import pandas

        if pandas.isna(value):
            return None
        to_datetime = getattr(value, "to_pydatetime", None)
        return to_datetime() if to_datetime is not None else value
    if module == "numpy":
        item = value.item()
        return None if isinstance(item, float) and item != item else item
    return value


# --- Workbooks -----------------------------------------------------------------------


def read_workbook(path: Path, score: Any = None) -> SourceGrid:
    """The sheets of an XLSX/XLSM workbook that hold leads, read with pandas through
    calamine after the package's checks: the first of them as the grid, the others in
    its ``others``. They are the sheet whose first rows ``score`` highest (the first on a
    tie) and those `core.imports.other_sheet_too` picks by their scores, in the
    workbook's order; without ``score``, the first sheet alone."""
    with needs_extra(NEEDED_BY):
        import pandas

    from workbook_tools.xlsx.read import check_package

    package = check_package(path)  # WorkbookError: not a workbook, a zip bomb, a lying size
    try:
        try:
            book = pandas.ExcelFile(path, engine="calamine")
        except Exception as exc:  # calamine raises its own error types for damaged files
            raise WorkbookError(path, f"cannot be read as a workbook ({_first_line(exc)})",
                                "open it in Excel and save it again") from None
        with book:
            chosen = [(name, _sheet_rows(path, book, name, LIMITS.rows.value + 1))
                      for name in _lead_sheets(path, package, book, score)]
    finally:
        package.close()
    first, *others = [_sheet_grid(path, name, rows) for name, rows in chosen]
    return first._replace(others=tuple(others))


def _sheet_grid(path: Path, sheet: str, rows: list[list[Any]]) -> SourceGrid:
    """One sheet's rows (at most one more than `LIMITS.rows`) as a grid; WorkbookError
    for a value beyond the columns a list may have."""
    limit = LIMITS.rows.value
    wide = next((i for i, row in enumerate(rows) if len(row) > LIMITS.columns.value), None)
    if wide is not None:
        raise WorkbookError(path, f"sheet {sheet!r} has a value in column {column_letter(len(rows[wide]))} of row "
                                  f"{wide + 1}, beyond the {LIMITS.columns.value} columns a list of leads may have",
                            "delete what is far to the right, or copy the columns you want to a new sheet")
    return SourceGrid(rows[:limit], f"sheet {sheet!r}", len(rows) > limit, sheet=sheet)


def _lead_sheets(path: Path, package: Any, book: Any, score: Any) -> list[str]:
    """The names of the sheets to read, in the workbook's order: the one whose first
    rows ``score`` highest and those `other_sheet_too` picks (the first sheet alone
    without ``score``); each sheet's extent checked before it is read."""
    from workbook_tools.core.imports import other_sheet_too

    names = [str(name) for name in book.sheet_names][: LIMITS.sheets.value]
    if not names:
        raise WorkbookError(path, "has no worksheet", "name the workbook your tracker exported")
    scores: dict[str, Any] = {}
    for name in names:
        package.check_sheet(name)  # ProblemsError: a cell so far out that reading it would build a giant grid
        if score is None:
            return [name]
        scores[name] = score(_sheet_rows(path, book, name, HEADER_SCAN_ROWS))
    best = max(names, key=lambda name: (scores[name], -names.index(name)))
    return [name for name in names if name == best or (isinstance(scores[name], (int, float))
                                                       and other_sheet_too(scores[best], scores[name]))]


def _sheet_rows(path: Path, book: Any, sheet: str, rows: int) -> list[list[Any]]:
    """The first ``rows`` rows of ``sheet``, from row 1, as plain values."""
    with needs_extra(NEEDED_BY):
        import pandas

    try:
        frame = pandas.read_excel(book, sheet_name=sheet, header=None, dtype=object, keep_default_na=False,
                                  nrows=rows)
    except Exception as exc:  # calamine raises its own error types for damaged sheets
        raise WorkbookError(path, f"the sheet {sheet!r} cannot be read ({_first_line(exc)})",
                            "open it in Excel and save it again") from None
    return [_trimmed(row) for row in frame.itertuples(index=False, name=None)]


def problems_text(exc: ProblemsError) -> str:
    """A ProblemsError's problems on one line (the source's far cell, for one)."""
    return "; ".join(str(p) for p in exc.problems)

