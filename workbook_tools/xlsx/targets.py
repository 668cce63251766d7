"""The cells to write: parsed from A1 references, grouped by row, and checked (values
Excel can hold, merged ranges, array formulas, shared-formula masters) row by row,
before each row is written. Texts are escaped as Excel escapes them (_xHHHH_)."""

from __future__ import annotations

import datetime as _dt
import math
import re
from collections.abc import Mapping
from operator import itemgetter
from pathlib import Path
from typing import NamedTuple

from workbook_tools import contract as C
from workbook_tools.a1 import (
    MAX_COL,
    MAX_ROW,
    Rect,
    column_letter,
    column_number,
    parse_range,
    parse_ref,
    range_text,
    sheet_ref,
)
from workbook_tools.contract import CellValue
from workbook_tools.errors import UnsafeWriteError
from workbook_tools.xlsx.package import MAIN
from workbook_tools.xlsx.sheet import SheetXml
from workbook_tools.xlsx.styles import excel_serial


class CellTarget(NamedTuple):
    """One cell to write: its column number, its value, its reference "P7", and the
    reference as the caller gave it (for messages: "$p$7")."""

    column: int
    value: CellValue
    ref: str
    given: str


#: A row's cells as the writer takes them: CellTargets, or plain tuples in the same
#: order, (column, value, "P7", "P7"), as a refresh makes them (they cost less to build).
RowTargets = list[CellTarget] | list[tuple[int, CellValue, str, str]]

#: Text this short is within the limit however it is counted (UTF-16 at most doubles it).
_SHORT_TEXT = C.MAX_CELL_TEXT // 2
#: The characters XML 1.0 cannot hold: C0 controls but tab, LF and CR, lone surrogates, U+FFFE and U+FFFF.
_BAD_XML = "\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff"
_BAD_XML_CHARS = re.compile(f"[{_BAD_XML}]")
#: What Excel escapes as _xHHHH_ in a text: a character XML cannot hold, and the "_" of
#: anything a reader would take for an escape (a literal "_x0041_", or "_x0041" before a
#: character that is itself escaped), so that the text reads back as it was typed.
_EXCEL_ESCAPES = re.compile(f"_(?=x[0-9A-Fa-f]{{4}}(?:_|[{_BAD_XML}]))|[{_BAD_XML}]")
#: The largest whole number stored exactly: Excel keeps every number as an IEEE 754
#: double, whose 53-bit significand holds every whole number up to 2**53 (source: IEEE 754).
MAX_EXACT_INT = 2**53
_PLAIN_REF_RE = re.compile(r"([A-Z]{1,3})([1-9][0-9]{0,6})\Z")
_PLAIN_TYPES = frozenset({str, int, float, bool, _dt.date, _dt.datetime, type(None)})
_ALLOWED_TYPES = (str, int, float, _dt.date)
_by_column = itemgetter(0)


class ValueLimit(NamedTuple):
    """What the writer says of a value Excel cannot hold: ``message`` follows the cell's
    name ({value} is the value as shown, {first} the workbook's first date), ``fix`` is
    what to do, ``source`` where the limit comes from."""

    message: str
    fix: str
    source: str


#: The values Excel cannot hold, by kind.
VALUE_LIMITS: dict[str, ValueLimit] = {
    "type": ValueLimit("a value of type {value} cannot be written", "pass text, a number, a date, True/False or None",
                       "ours: the cell types of contract.CellValue"),
    "not finite": ValueLimit("{value} is not a number Excel can store", "write a finite number, or None to blank "
                             "the cell", "Excel: a cell holds no NaN or infinity (it shows #NUM!)"),
    "missing time": ValueLimit("{value} (a missing date or time) is not a date Excel can store",
                               "write a date, or None to blank the cell", "numpy's and pandas' NaT"),
    "missing value": ValueLimit("{value} (a missing value) is not a value Excel can store",
                                "write None to blank the cell", "pandas.NA"),
    "inexact": ValueLimit("{value} is beyond the whole numbers Excel stores exactly (up to 2**53, "
                          "9007199254740992)", "write it as text to keep every digit",
                          "IEEE 754: Excel stores every number as a double"),
    "before": ValueLimit("{value} is before {first}, the first date Excel can store in this workbook",
                         "write the date as text", "Excel: dates from 1900-01-01 (1904-01-01 in a 1904 workbook)"),
    "after": ValueLimit("{value} is after 9999-12-31, the last date Excel can store", "write the date as text",
                        "Excel: dates up to 9999-12-31"),
}


class ValueRefused(Exception):
    """A value Excel cannot hold: its kind (a key of `VALUE_LIMITS`), the value as shown,
    and for a date too early the workbook's first date."""

    def __init__(self, kind: str, shown: str, first: str = "1900-01-01") -> None:
        super().__init__(kind)
        self.kind, self.shown, self.first = kind, shown, first


def refusal(src: Path, sheet: str, ref: str, refused: ValueRefused) -> UnsafeWriteError:
    """The UnsafeWriteError that says why cell ``ref`` of ``sheet`` cannot hold the value."""
    limit = VALUE_LIMITS[refused.kind]
    return UnsafeWriteError(src, f"{sheet_ref(sheet, ref)}: "
                                 f"{limit.message.format(value=refused.shown, first=refused.first)}", limit.fix)


def plain_value(value: object) -> CellValue:
    """``value`` as a type the writer writes: itself when it is one (or a subclass of one);
    a numpy or pandas scalar by its value (numpy.int64 -> int, pandas.Timestamp ->
    datetime...). ValueRefused for a missing value (NaT, NA) or a value of another type.
    numpy and pandas are imported only when the value's type comes from them."""
    module = type(value).__module__.partition(".")[0]
    if module == "numpy":
        return _numpy_value(value)
    if module == "pandas":
        return _pandas_value(value)
    if value is None or isinstance(value, _ALLOWED_TYPES):
        return value
    raise ValueRefused("type", type(value).__name__)


def _numpy_value(value: object) -> CellValue:
    """A numpy scalar's plain value (see `plain_value`)."""
    import numpy

    if isinstance(value, numpy.timedelta64):  # a length of time (numpy counts it as an integer)
        raise ValueRefused("type", type(value).__name__)
    if isinstance(value, numpy.bool_):
        return bool(value)
    if isinstance(value, numpy.integer):
        return int(value)
    if isinstance(value, numpy.floating):
        return float(value)
    if isinstance(value, numpy.str_):
        return str.__str__(value)
    if isinstance(value, numpy.datetime64):
        if numpy.isnat(value):
            raise ValueRefused("missing time", "NaT")
        stamp = value
        if numpy.datetime_data(stamp.dtype)[0] in ("ns", "ps", "fs", "as"):  # finer than a datetime's microseconds
            stamp = stamp.astype("datetime64[us]")
        moment = stamp.item()  # a date or datetime; a count of units when Python's dates cannot hold it
        if isinstance(moment, _dt.date):
            return moment
        raise ValueRefused("before" if moment < 0 else "after", str(value))
    raise ValueRefused("type", type(value).__name__)


def _pandas_value(value: object) -> CellValue:
    """A pandas scalar's plain value (see `plain_value`)."""
    import pandas

    if value is pandas.NaT:
        raise ValueRefused("missing time", "NaT")
    if value is pandas.NA:
        raise ValueRefused("missing value", "NA")
    if isinstance(value, pandas.Timestamp):
        moment: _dt.datetime = value.to_pydatetime(warn=False)  # nanoseconds dropped
        return moment
    raise ValueRefused("type", type(value).__name__)


def _shown_whole_number(value: int) -> str:
    """A whole number as a message shows it (its digits counted when it has very many)."""
    if value.bit_length() <= 200:
        return str(value)
    return f"a whole number of about {int(value.bit_length() * 0.30103) + 1} digits"


def parse_targets(src: Path, sheet: str, cells: Mapping[str, CellValue]) -> dict[int, list[CellTarget]]:
    """Group the cells (A1 reference -> value) by row number, each row's cells in the
    order given, numpy and pandas scalars as their plain values (see `plain_value`).
    UnsafeWriteError for a reference that is not one cell of a worksheet, or a value of
    a type that cannot be written."""
    by_row: dict[int, list[CellTarget]] = {}
    plain = _PLAIN_REF_RE.match
    plain_types = _PLAIN_TYPES
    new_target = tuple.__new__
    for ref, value in cells.items():
        found = plain(ref) if type(ref) is str else None
        if found is not None:  # the usual "P7": upper case, no "$", no leading zero
            letters, digits = found.groups()
            norm = ref
            row = int(digits)
            column = column_number(letters)
            if row > MAX_ROW or column > MAX_COL:
                raise _bad_ref(src, sheet, ref)
        else:
            where = parse_ref(ref) if isinstance(ref, str) else None
            if where is None:
                raise _bad_ref(src, sheet, ref)
            row, column = where
            norm = f"{column_letter(column)}{row}"
        if type(value) not in plain_types:
            try:
                value = plain_value(value)
            except ValueRefused as refused:
                raise refusal(src, sheet, norm, refused) from None
        target = new_target(CellTarget, (column, value, norm, ref))
        targets = by_row.get(row)
        if targets is None:
            by_row[row] = [target]
        else:
            targets.append(target)
    return by_row


def _bad_ref(src: Path, sheet: str, ref: object) -> UnsafeWriteError:
    return UnsafeWriteError(src, f"{sheet_ref(sheet, str(ref))} is not a valid cell reference",
                            "use references like \"P7\" (column letters A-XFD, row 1-1048576)")


class Blocked(NamedTuple):
    """A range no cell may be written into, why (``message``, after the cell's name)
    and what the user can do about it (``fix``)."""

    rect: Rect
    message: str
    fix: str


class Ranges:
    """Blocked ranges bucketed by row so that lookups do not scan every range."""

    _TALL = 2000

    def __init__(self) -> None:
        self.by_row: dict[int, list[Blocked]] = {}
        self.tall: list[Blocked] = []

    def add(self, blocked: Blocked) -> None:
        """Block ``blocked.rect``."""
        top, bottom = blocked.rect.top, blocked.rect.bottom
        if bottom - top >= self._TALL:
            self.tall.append(blocked)
            return
        for row in range(top, bottom + 1):
            self.by_row.setdefault(row, []).append(blocked)

    def find(self, row: int, column: int) -> Blocked | None:
        """The first range added that holds the cell, else None."""
        for blocked in self.by_row.get(row, ()):
            if blocked.rect.left <= column <= blocked.rect.right:
                return blocked
        for blocked in self.tall:
            rect = blocked.rect
            if rect.top <= row <= rect.bottom and rect.left <= column <= rect.right:
                return blocked
        return None


def blocked_ranges(sheet: SheetXml) -> tuple[Ranges, dict[tuple[int, int], str]]:
    """What must not be written: merged ranges, array formulas and data tables, and the
    master cells (row, column) of shared formulas (-> the range that uses them)."""
    blocked = Ranges()
    for merged in sheet.root.iter(MAIN + "mergeCell"):
        rect = parse_range(merged.get("ref", ""))
        if rect and (rect.top != rect.bottom or rect.left != rect.right):
            blocked.add(Blocked(rect, f"is inside the merged range {range_text(*rect)}", "unmerge those cells"))
    shared_masters: dict[tuple[int, int], str] = {}
    for kind, ref, master in sheet.formulas():
        rect = parse_range(ref)
        if rect is None:
            continue
        if kind == "array":
            blocked.add(Blocked(rect, f"is inside the array formula range {range_text(*rect)}",
                                "delete or move the array formula (select the range and press Delete)"))
        elif kind == "dataTable":
            blocked.add(Blocked(rect, f"is inside the data table {range_text(*rect)}",
                                "delete or move the what-if data table"))
        elif (rect.top != rect.bottom or rect.left != rect.right) and master is not None:
            shared_masters[master] = range_text(*rect)
    return blocked, shared_masters


class Extent:
    """The rows and columns that the written values span (``bottom`` 0: none yet).
    Mutable, grown row by row by `RowCheck`."""

    __slots__ = ("top", "left", "bottom", "right")

    def __init__(self, top: int = MAX_ROW + 1, left: int = MAX_COL + 1, bottom: int = 0, right: int = 0) -> None:
        self.top, self.left, self.bottom, self.right = top, left, bottom, right

    def rect(self) -> Rect | None:
        """The extent as a Rect, None when nothing has been added."""
        return Rect(self.top, self.left, self.bottom, self.right) if self.bottom else None


class RowCheck:
    """Checks the cells of each row before the row is written (UnsafeWriteError on the
    first that cannot be written): sorts the row's cells, cleans their text in place,
    collects the Excel serials of the dates and the `Extent` of the values written.
    A write that fails here leaves the file as it was."""

    def __init__(self, src: Path, label: str, blocked: Ranges, shared_masters: dict[tuple[int, int], str],
                 date1904: bool) -> None:
        self.src, self.label, self.blocked, self.shared_masters = src, label, blocked, shared_masters
        self.date1904 = date1904
        self.serials: dict[_dt.date, float | int | None] = {}
        self.check_ranges = bool(blocked.by_row or blocked.tall or shared_masters)
        self.extent = Extent()

    def __call__(self, row: int, targets: RowTargets) -> None:
        """Check row ``row``'s cells, and sort them into column order."""
        if len(targets) > 1:
            targets.sort(key=_by_column)
            if len({column for column, _, _, _ in targets}) != len(targets):
                self._refuse_duplicate(targets)
        if self.check_ranges:
            self._check_ranges(row, targets)
        first, last = self._check_values(targets)
        if last:
            extent = self.extent  # grown here, inline: this runs for every row
            if row < extent.top:
                extent.top = row
            if row > extent.bottom:
                extent.bottom = row
            if first < extent.left:
                extent.left = first
            if last > extent.right:
                extent.right = last

    def _refuse_duplicate(self, targets: RowTargets) -> None:
        """UnsafeWriteError for the first cell given twice in the sorted ``targets``."""
        pairs = zip(targets, targets[1:], strict=False)
        for (column, _, _, given), (next_column, _, next_ref, next_given) in pairs:
            if column == next_column:
                raise UnsafeWriteError(self.src, f"{sheet_ref(self.label, next_ref)} is given twice (as "
                                                 f"{given!r} and {next_given!r})", "give each cell once")

    def _check_ranges(self, row: int, targets: RowTargets) -> None:
        """UnsafeWriteError for a cell in a blocked range or holding a shared formula's master."""
        for column, _, ref, _ in targets:
            hit = self.blocked.find(row, column)
            if hit is not None:
                raise UnsafeWriteError(self.src, f"{sheet_ref(self.label, ref)} {hit.message}", hit.fix)
            if (row, column) in self.shared_masters:
                raise UnsafeWriteError(
                    self.src, f"{sheet_ref(self.label, ref)} holds a shared formula that the cells "
                              f"{self.shared_masters[(row, column)]} depend on",
                    "write to another column, or convert those formulas to values first")

    def _check_values(self, targets: RowTargets) -> tuple[int, int]:
        """Check each value and clean each text in place; the first and last columns given a value."""
        first = last = 0
        serials = self.serials
        for index, (column, value, ref, _) in enumerate(targets):
            kind = type(value)
            if kind is str:  # the usual case: plain text, short of the limits, nothing to escape
                text: str = value  # type: ignore[assignment]
                if (len(text) <= _SHORT_TEXT and "_x" not in text
                        and (text.isprintable() or _BAD_XML_CHARS.search(text) is None)):
                    last = column
                    first = first or column
                    continue
            elif value is None:
                continue
            last = column
            first = first or column
            if kind is bool or (kind is int and -MAX_EXACT_INT <= value <= MAX_EXACT_INT):  # type: ignore[operator]
                continue
            if kind is _dt.date or kind is _dt.datetime:
                if serials.get(value) is None:  # type: ignore[arg-type]  # not met yet, or not storable
                    self._add_serial(ref, value)  # type: ignore[arg-type]
                continue
            self._check_other(targets, index)
        return first, last

    def _check_other(self, targets: RowTargets, index: int) -> None:
        """Check ``targets[index]``, a value off the usual paths (text to escape or long,
        a big whole number, a float, a numpy or pandas scalar, a subclass), and put in its
        place what is written (escaped text, a scalar's plain value)."""
        column, value, ref, given = targets[index]
        try:
            written = value if type(value) in _PLAIN_TYPES else plain_value(value)
        except ValueRefused as refused:
            raise self._refused(ref, refused) from None
        if isinstance(written, str):
            written = self._excel_text(ref, str.__str__(written))
        elif isinstance(written, bool):
            pass
        elif isinstance(written, int):
            if not -MAX_EXACT_INT <= written <= MAX_EXACT_INT:
                raise self._refused(ref, ValueRefused("inexact", _shown_whole_number(written)))
        elif isinstance(written, float):
            if not math.isfinite(written):
                raise self._refused(ref, ValueRefused("not finite", repr(float(written))))
        elif isinstance(written, _dt.date) and self.serials.get(written) is None:
            self._add_serial(ref, written)
        if written is not value:
            targets[index] = tuple.__new__(CellTarget, (column, written, ref, given))

    def _refused(self, ref: str, refused: ValueRefused) -> UnsafeWriteError:
        return refusal(self.src, self.label, ref, refused)

    def _excel_text(self, ref: str, text: str) -> str:
        """``text`` as Excel stores it: each character XML cannot hold written as _xHHHH_
        and a literal _xHHHH_ escaped as _x005F_xHHHH_ (so it reads back as typed);
        UnsafeWriteError when it is too long for a cell."""
        if len(text) > _SHORT_TEXT and len(text.encode("utf-16-le", "surrogatepass")) // 2 > C.MAX_CELL_TEXT:
            raise UnsafeWriteError(self.src, f"{sheet_ref(self.label, ref)}: the text is longer than Excel's limit "
                                             f"of {C.MAX_CELL_TEXT} characters per cell", "shorten the text")
        if "_x" in text or not text.isprintable():
            text = _EXCEL_ESCAPES.sub(_excel_escape, text)
        return text

    def _add_serial(self, ref: str, value: _dt.date) -> None:
        """Note the Excel serial of ``value``; UnsafeWriteError when the workbook cannot store it."""
        serials = self.serials
        if value not in serials:
            serials[value] = excel_serial(value, self.date1904)
        if serials[value] is None:
            first = "1904-01-01" if self.date1904 else "1900-01-01"
            raise self._refused(ref, ValueRefused("before", value.isoformat(), first))


def _excel_escape(found: re.Match[str]) -> str:
    """The _xHHHH_ escape of one character: a "_" that starts a literal escape, or one XML cannot hold."""
    return f"_x{ord(found.group()):04X}_"
