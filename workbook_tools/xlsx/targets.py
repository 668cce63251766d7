"""The cells to write: parsed from A1 references, grouped by row, and checked (values,
merged ranges, array formulas, shared-formula masters) row by row, before each row is written."""

from __future__ import annotations

import datetime as _dt
import math
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Union

from workbook_tools import contract as C
from workbook_tools.errors import UnsafeWriteError
from workbook_tools.a1 import MAX_COL, MAX_ROW, column_letter, column_number, parse_range, parse_ref, range_text, sheet_ref
from workbook_tools.xlsx.package import _M
from workbook_tools.xlsx.sheet import _BAD_XML_CHARS, _OOXML_ESCAPE, _Ranges, _SheetXml, _clean_text
from workbook_tools.xlsx.styles import _excel_serial

CellValue = Union[str, int, float, _dt.date, _dt.datetime, bool, None]

MAX_CELL_TEXT = C.MAX_CELL_TEXT
#: Text this short is within the limit however it is counted (UTF-16 at most doubles it).
_SHORT_TEXT = MAX_CELL_TEXT // 2

_Item = tuple  # (column, value, normalized A1 reference, reference as given)


def _first(item: _Item) -> int:
    return item[0]


def _parse_targets(src: Path, sheet: str, cells: Mapping[str, CellValue]) -> dict[int, list[_Item]]:
    """Group the cells by row: {row: [(column, value, "P7", ref as given), ...]}."""
    by_row: dict[int, list[_Item]] = {}
    plain = _PLAIN_REF_RE.match
    allowed = (str, int, float, _dt.date)
    plain_types = _PLAIN_TYPES
    for ref, value in cells.items():
        m = plain(ref) if type(ref) is str else None
        if m is not None:  # the usual "P7": upper case, no "$", no leading zero
            letters, digits = m.groups()
            norm = ref
            row = int(digits)
            col = column_number(letters)
            if row > MAX_ROW or col > MAX_COL:
                raise _bad_ref(src, sheet, ref)
        else:
            where = parse_ref(ref) if isinstance(ref, str) else None
            if where is None:
                raise _bad_ref(src, sheet, ref)
            row, col = where
            norm = f"{column_letter(col)}{row}"
        if type(value) not in plain_types and not (value is None or isinstance(value, allowed)):
            raise UnsafeWriteError(
                src, f"{sheet_ref(sheet, norm)}: a value of type {type(value).__name__} cannot be written",
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
    return UnsafeWriteError(src, f"{sheet_ref(sheet, str(ref))} is not a valid cell reference",
                            "use references like \"P7\" (column letters A-XFD, row 1-1048576)")


def _blocked_ranges(ws: _SheetXml) -> tuple[_Ranges, dict[tuple[int, int], str]]:
    """What must not be written: merged ranges, array formulas and data tables (each with
    its message|fix), and the master cells of shared formulas (-> the range that uses them)."""
    root = ws.root
    blocked = _Ranges()
    for m in root.iter(_M + "mergeCell"):
        rect = parse_range(m.get("ref", ""))
        if rect and (rect[0] != rect[2] or rect[1] != rect[3]):
            blocked.add(rect, f"is inside the merged range {range_text(*rect)}|unmerge those cells")
    shared_masters: dict[tuple[int, int], str] = {}
    for t, ref, master in ws.formulas():
        rect = parse_range(ref)
        if rect is None:
            continue
        if t == "array":
            blocked.add(rect, f"is inside the array formula range {range_text(*rect)}|"
                              "delete or move the array formula (select the range and press Delete)")
        elif t == "dataTable":
            blocked.add(rect, f"is inside the data table {range_text(*rect)}|"
                              "delete or move the what-if data table")
        elif (rect[0] != rect[2] or rect[1] != rect[3]) and master is not None:
            shared_masters[master] = range_text(*rect)
    return blocked, shared_masters


class _RowCheck:
    """Checks the cells of each row before the row is written (UnsafeWriteError on the
    first that cannot be written): sorts the row's cells, cleans their text in place,
    collects the Excel serials of the dates and the bounding box (row1, col1, row2,
    col2) of the values written. A write that fails here leaves the file as it was."""

    def __init__(self, src: Path, label: str, blocked: _Ranges, shared_masters: dict[tuple[int, int], str],
                 date1904: bool) -> None:
        self.src, self.label, self.blocked, self.shared_masters = src, label, blocked, shared_masters
        self.date1904 = date1904
        self.serials: dict[_dt.date, float | int | None] = {}
        self.check_ranges = bool(blocked.by_row or blocked.tall or shared_masters)
        self.bbox = [MAX_ROW + 1, MAX_COL + 1, 0, 0]

    def __call__(self, r: int, items: list[_Item]) -> None:
        src, label = self.src, self.label
        if len(items) > 1:
            items.sort(key=_first)
            if len({item[0] for item in items}) != len(items):
                for a, b in zip(items, items[1:]):
                    if a[0] == b[0]:
                        raise UnsafeWriteError(src, f"{sheet_ref(label, b[2])} is given twice (as {a[3]!r} and "
                                                    f"{b[3]!r})", "give each cell once")
        if self.check_ranges:
            for c, _, ref, _ in items:
                hit = self.blocked.find(r, c)
                if hit is not None:
                    msg, fix = hit[4].split("|", 1)
                    raise UnsafeWriteError(src, f"{sheet_ref(label, ref)} {msg}", fix)
                if (r, c) in self.shared_masters:
                    raise UnsafeWriteError(
                        src, f"{sheet_ref(label, ref)} holds a shared formula that the cells "
                             f"{self.shared_masters[(r, c)]} depend on",
                        "write to another column, or convert those formulas to values first")
        serials = self.serials
        lo = hi = 0  # the row's first and last written column
        for k, (c, value, ref, orig) in enumerate(items):
            tp = type(value)
            if tp is str:  # the usual case: plain text, short of the limits, nothing to escape
                if (len(value) <= _SHORT_TEXT and "_x" not in value  # type: ignore[arg-type]
                        and (value.isprintable() or _BAD_XML_CHARS.search(value) is None)):  # type: ignore[union-attr]
                    hi = c
                    lo = lo or c
                    continue
            elif value is None:
                continue
            hi = c
            lo = lo or c
            if tp is int or tp is bool:
                continue
            if tp is str or isinstance(value, str):
                cleaned = _clean_text(value)  # type: ignore[arg-type]
                if len(cleaned) > MAX_CELL_TEXT // 2 and len(cleaned.encode("utf-16-le")) // 2 > MAX_CELL_TEXT:
                    raise UnsafeWriteError(src, f"{sheet_ref(label, ref)}: the text is longer than Excel's limit of "
                                                f"{MAX_CELL_TEXT} characters per cell", "shorten the text")
                if "_x" in cleaned:
                    cleaned = _OOXML_ESCAPE.sub(r"_x005F_\1", cleaned)
                if cleaned is not value or tp is not str:
                    items[k] = (c, str(cleaned), ref, orig)
            elif tp is float or (tp is not int and isinstance(value, float)):
                if not math.isfinite(value):  # type: ignore[arg-type]
                    raise UnsafeWriteError(src, f"{sheet_ref(label, ref)}: {value!r} is not a number Excel can store",
                                           "write a finite number, or None to blank the cell")
            elif isinstance(value, _dt.date):
                if value not in serials:
                    serials[value] = _excel_serial(value, self.date1904)
                if serials[value] is None:
                    first = "1904-01-01" if self.date1904 else "1900-01-01"
                    raise UnsafeWriteError(src, f"{sheet_ref(label, ref)}: {value.isoformat()} is before {first}, the "
                                                "first date Excel can store in this workbook", "write the date as text")
        if hi:
            bbox = self.bbox
            if r < bbox[0]:
                bbox[0] = r
            if r > bbox[2]:
                bbox[2] = r
            if lo < bbox[1]:
                bbox[1] = lo
            if hi > bbox[3]:
                bbox[3] = hi
