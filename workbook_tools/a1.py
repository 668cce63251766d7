"""A1 cell references: column letters, cells, rectangles, and sheet-qualified names.

One copy for the whole package: the engine names cells in its problems, the adapters
address owned columns, and the cell writer parses and writes references. Pure
functions over strings, cached where the writer calls them for every cell.
"""

from __future__ import annotations

import re
from typing import NamedTuple

#: The last row and column of an Excel worksheet (XFD1048576).
MAX_ROW = 1048576
MAX_COL = 16384

_REF = re.compile(r"\$?([A-Za-z]{1,3})\$?([0-9]{1,7})\Z")
_PLAIN_SHEET_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.]*")
_LETTERS: dict[int, str] = {}
_NUMBERS: dict[str, int] = {}


class Rect(NamedTuple):
    """A rectangle of cells, 1-based and inclusive: rows top..bottom, columns left..right."""

    top: int
    left: int
    bottom: int
    right: int


def column_letter(number: int) -> str:
    """1 -> "A", 27 -> "AA", 16384 -> "XFD"."""
    cached = _LETTERS.get(number)
    if cached is not None:
        return cached
    letters, rest = "", number
    while rest:
        rest, rem = divmod(rest - 1, 26)
        letters = chr(65 + rem) + letters
    if 1 <= number <= MAX_COL:
        _LETTERS[number] = letters
    return letters


def column_number(letters: str) -> int:
    """"A" -> 1, "aa" -> 27 (either case; no range check)."""
    cached = _NUMBERS.get(letters)
    if cached is not None:
        return cached
    number = 0
    for ch in letters.upper():
        number = number * 26 + ord(ch) - 64
    if len(letters) <= 3:
        _NUMBERS[letters] = number
    return number


def cell_ref(row: int, column: int) -> str:
    """(7, 16) -> "P7"."""
    return f"{column_letter(column)}{row}"


def parse_ref(ref: object) -> tuple[int, int] | None:
    """"P7" or "$P$7" -> (row 7, column 16); None unless it is one cell on a worksheet."""
    m = _REF.match(ref) if isinstance(ref, str) else None
    if m is None:
        return None
    row, column = int(m.group(2)), column_number(m.group(1))
    if not (1 <= row <= MAX_ROW and 1 <= column <= MAX_COL):
        return None
    return row, column


def parse_range(ref: str | None) -> Rect | None:
    """"A1:C3" (or one cell, "B2") -> its Rect, corners in any order; None when unreadable."""
    parts = (ref or "").split(":")
    if len(parts) == 1:
        parts = parts * 2
    if len(parts) != 2:
        return None
    a, b = parse_ref(parts[0]), parse_ref(parts[1])
    if a is None or b is None:
        return None
    return Rect(min(a[0], b[0]), min(a[1], b[1]), max(a[0], b[0]), max(a[1], b[1]))


def range_text(top: int, left: int, bottom: int, right: int) -> str:
    """The reference of a rectangle: "A1:C3", or "B2" for one cell."""
    first, last = cell_ref(top, left), cell_ref(bottom, right)
    return first if first == last else f"{first}:{last}"


def sheet_ref(sheet: str, ref: str) -> str:
    """"Interviews!P7", or "'My Sheet'!P7" when the name needs quoting as Excel quotes it."""
    if _PLAIN_SHEET_NAME.fullmatch(sheet):
        return f"{sheet}!{ref}"
    return "'" + sheet.replace("'", "''") + "'!" + ref
