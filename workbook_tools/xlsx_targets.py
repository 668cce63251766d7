"""The cells to write: parsed from A1 references, grouped by row, and checked (values,
merged ranges, array formulas, shared-formula masters) before anything is changed."""

from __future__ import annotations

import datetime as _dt
import math
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Union

from .errors import UnsafeWriteError
from .xlsx_package import (
    MAX_COL, MAX_ROW, _M, _STR_COL_CACHE, _col_letters, _col_number, _parse_range, _parse_ref, _range_text,
    _where,
)
from .xlsx_sheet import _OOXML_ESCAPE, _Ranges, _SheetXml, _clean_text
from .xlsx_styles import _excel_serial

CellValue = Union[str, int, float, _dt.date, _dt.datetime, bool, None]

#: Excel's limit on the characters in one cell.
MAX_CELL_TEXT = 32767

_Item = tuple  # (column, value, normalized A1 reference, reference as given)


def _first(item: _Item) -> int:
    return item[0]


def _parse_targets(src: Path, sheet: str, cells: Mapping[str, CellValue]) -> dict[int, list[_Item]]:
    """Group the cells by row: {row: [(column, value, "P7", ref as given), ...]}."""
    by_row: dict[int, list[_Item]] = {}
    plain = _PLAIN_REF_RE.match
    cache = _STR_COL_CACHE
    allowed = (str, int, float, _dt.date)
    plain_types = _PLAIN_TYPES
    for ref, value in cells.items():
        m = plain(ref) if type(ref) is str else None
        if m is not None:  # the usual "P7": upper case, no "$", no leading zero
            letters, digits = m.groups()
            norm = ref
            row = int(digits)
            col = cache.get(letters)
            if col is None:
                col = cache[letters] = _col_number(letters)
            if row > MAX_ROW or col > MAX_COL:
                raise _bad_ref(src, sheet, ref)
        else:
            where = _parse_ref(ref) if isinstance(ref, str) else None
            if where is None:
                raise _bad_ref(src, sheet, ref)
            row, col = where
            norm = f"{_col_letters(col)}{row}"
        if type(value) not in plain_types and not (value is None or isinstance(value, allowed)):
            raise UnsafeWriteError(
                src, f"{_where(sheet, norm)}: a value of type {type(value).__name__} cannot be written",
                "pass text, a number, a date, True/False or None",
            )
        items = by_row.get(row)
        if items is None:
            by_row[row] = [(col, value, norm, ref)]
        else:
            items.append((col, value, norm, ref))
    return by_row


_PLAIN_REF_RE = re.compile(r"([A-Z]{1,3})([1-9][0-9]{0,6})\Z")
_PLAIN_TYPES = frozenset({str, int, float, bool, _dt.date, _dt.datetime, type(None)})


def _bad_ref(src: Path, sheet: str, ref: object) -> UnsafeWriteError:
    return UnsafeWriteError(src, f"{_where(sheet, str(ref))} is not a valid cell reference",
                            "use references like \"P7\" (column letters A-XFD, row 1-1048576)")


def _blocked_ranges(ws: _SheetXml) -> tuple[_Ranges, dict[tuple[int, int], str]]:
    """What must not be written: merged ranges, array formulas and data tables (each with
    its message|fix), and the master cells of shared formulas (-> the range that uses them)."""
    root = ws.root
    blocked = _Ranges()
    for m in root.iter(_M + "mergeCell"):
        rect = _parse_range(m.get("ref", ""))
        if rect and (rect[0] != rect[2] or rect[1] != rect[3]):
            blocked.add(rect, f"is inside the merged range {_range_text(*rect)}|unmerge those cells")
    shared_masters: dict[tuple[int, int], str] = {}
    for t, ref, master in ws.formulas():
        rect = _parse_range(ref)
        if rect is None:
            continue
        if t == "array":
            blocked.add(rect, f"is inside the array formula range {_range_text(*rect)}|"
                              "delete or move the array formula (select the range and press Delete)")
        elif t == "dataTable":
            blocked.add(rect, f"is inside the data table {_range_text(*rect)}|"
                              "delete or move the what-if data table")
        elif (rect[0] != rect[2] or rect[1] != rect[3]) and master is not None:
            shared_masters[master] = _range_text(*rect)
    return blocked, shared_masters


def _check_values(src: Path, label: str, by_row: dict[int, list[_Item]], blocked: _Ranges,
                  shared_masters: dict[tuple[int, int], str], date1904: bool
                  ) -> tuple[dict[_dt.date, float | int | None], list[int]]:
    """Check every cell before anything changes (UnsafeWriteError on the first that cannot be
    written); sort each row's cells, clean their text in place, and return the Excel serials of
    the dates and the bounding box (row1, col1, row2, col2) of the written values."""
    serials: dict[_dt.date, float | int | None] = {}
    check_ranges = bool(blocked.by_row or blocked.tall or shared_masters)
    bbox = [MAX_ROW + 1, MAX_COL + 1, 0, 0]
    for r, items in by_row.items():
        items.sort(key=_first)
        lo = hi = prev = 0  # the row's first and last written column
        for k in range(len(items)):
            c, value, ref, orig = items[k]
            if c == prev:
                raise UnsafeWriteError(src, f"{_where(label, ref)} is given twice (as {items[k - 1][3]!r} and "
                                            f"{orig!r})", "give each cell once")
            prev = c
            if check_ranges:
                hit = blocked.find(r, c)
                if hit is not None:
                    msg, fix = hit[4].split("|", 1)
                    raise UnsafeWriteError(src, f"{_where(label, ref)} {msg}", fix)
                if (r, c) in shared_masters:
                    raise UnsafeWriteError(
                        src, f"{_where(label, ref)} holds a shared formula that the cells "
                             f"{shared_masters[(r, c)]} depend on",
                        "write to another column, or convert those formulas to values first")
            if value is None:
                continue
            if not lo:
                lo = c
            hi = c
            tp = type(value)
            if tp is int or tp is bool:
                continue
            if tp is str or (tp is not bool and isinstance(value, str)):
                cleaned = _clean_text(value)  # type: ignore[arg-type]
                if len(cleaned) > MAX_CELL_TEXT // 2 and len(cleaned.encode("utf-16-le")) // 2 > MAX_CELL_TEXT:
                    raise UnsafeWriteError(src, f"{_where(label, ref)}: the text is longer than Excel's limit of "
                                                f"{MAX_CELL_TEXT} characters per cell", "shorten the text")
                if "_x" in cleaned:
                    cleaned = _OOXML_ESCAPE.sub(r"_x005F_\1", cleaned)
                if cleaned is not value or tp is not str:
                    items[k] = (c, str(cleaned), ref, orig)
            elif tp is float or (tp is not int and isinstance(value, float)):
                if not math.isfinite(value):  # type: ignore[arg-type]
                    raise UnsafeWriteError(src, f"{_where(label, ref)}: {value!r} is not a number Excel can store",
                                           "write a finite number, or None to blank the cell")
            elif isinstance(value, _dt.date):
                if value not in serials:
                    serials[value] = _excel_serial(value, date1904)
                if serials[value] is None:
                    first = "1904-01-01" if date1904 else "1900-01-01"
                    raise UnsafeWriteError(src, f"{_where(label, ref)}: {value.isoformat()} is before {first}, the "
                                                "first date Excel can store in this workbook", "write the date as text")
        if hi:
            bbox[0], bbox[2] = min(bbox[0], r), max(bbox[2], r)
            bbox[1], bbox[3] = min(bbox[1], lo), max(bbox[3], hi)
    return serials, bbox
