"""Telling the processor's own cells from what the user typed over them.

Each refresh writes, beside the computed cells of a row, a short record of them: the
`Refresh Record` column (hidden in the template) holds a check code for each computed
cell as it was written. On the next refresh a computed cell whose value no longer
matches its code was typed by hand:

- a date typed over `Next Call` is the user's pin: the plan keeps it, Why says it was
  set by hand, and the pin ends once a call is logged on or after it;
- anything else (text over Next Action or a script, a number over Calls Made) is kept
  as typed and reported, until the user moves it to Notes or clears the cell.

The record lives in the row itself, so sorting the rows, copying a row or editing the
inputs keeps it right, and both the file path and the Excel button read it the same
way. A blank cell is always the processor's to fill. A tracker made before the record
existed has no such column: its computed cells are taken as the processor's own, and
one problem says how to add the column; once it is added (still empty everywhere), the
next refresh takes the cells as its own once more and writes the first records.
"""

from __future__ import annotations

import zlib
from datetime import date, datetime
from typing import Any, NamedTuple

from workbook_tools import contract as C
from workbook_tools.core.layout import WRAPPED_HEADERS
from workbook_tools.core.model import RowResult, SheetRows
from workbook_tools.core.values import as_text
from workbook_tools.errors import Problem

#: The record's version mark, then one code per computed column (`RECORDED`), then the code
#: of the row's wrapped inputs (`inputs_code`) and the calendar's marks
#: (`core.events.EventMark`), spaced. Version 1 had neither.
_VERSION = "2"
_VERSIONS = ("1", "2")
#: The columns the record covers: every owned column but the record itself.
RECORDED = tuple(c for c in C.OWNED_COLUMNS if c != C.REFRESH_RECORD)
#: The code of a cell that holds the user's value (a pin, or kept text).
HAND = "----"
_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford's base 32: no I, L, O or U
_PAIRS = tuple(a + b for a in _ALPHABET for b in _ALPHABET)  # 10 bits as two characters
_FIELDS = dict(zip(C.OWNED_COLUMNS, RowResult.__slots__[1:]))  # column -> RowResult attribute


class HandEdits(NamedTuple):
    """What the user typed over one row's computed cells."""

    pin: date | None  # a date typed over Next Call
    kept: dict[str, Any]  # column -> the value typed, kept as it is


def canonical(value: object) -> str:
    """A cell value as the same text whichever reader gave it (a date read back as a
    datetime, a count read back as a float, line ends as Excel keeps them)."""
    if type(value) is str:
        return value.replace("\r\n", "\n") if "\r" in value else value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return value.replace("\r\n", "\n")
    return str(value)


def check_code(value: object) -> str:
    """Four characters that change when the value does (`content_code` of its `canonical` text)."""
    return content_code(canonical(value))


def content_code(text: str) -> str:
    """Four characters that change when the text does (20 bits of its CRC-32)."""
    n = zlib.crc32(text.encode("utf-8", "surrogatepass")) & 0xFFFFF
    return _PAIRS[n >> 10] + _PAIRS[n & 1023]


#: The inputs of a row whose text wraps (`core.layout.WRAPPED_HEADERS`): the height refresh
#: gives the row follows them as well as its own cells, so the record keeps their code.
WRAPPED_INPUTS = tuple(h for h in WRAPPED_HEADERS if h in C.INTERVIEW_INPUTS)


def inputs_code(values: dict[str, Any]) -> str:
    """"W" and the check code of the row's wrapped inputs (its Notes, its Talking Point):
    a record field that changes when one of them does, so the row's height is fitted again."""
    return "W" + content_code("\x1f".join(canonical(values.get(h)) for h in WRAPPED_INPUTS))


def _short_code(value: object) -> str:
    """`check_code`, kept for the values that repeat over rows (flags, dates, counts,
    windows, outcomes); a long text is coded each time (it is one row's own)."""
    if type(value) is str and len(value) > 100:
        return check_code(value)
    key = (type(value), value)
    code = _CODES.get(key)
    if code is None:
        if len(_CODES) >= _CODES_KEPT:
            _CODES.clear()  # a batch of many trackers: start again rather than grow
        code = _CODES[key] = check_code(value)
    return code


_CODES: dict[tuple[type, object], str] = {}
_BLANK = check_code(None)
_CODES_KEPT = 20_000


def record_text(res: RowResult, hand: frozenset[str] | set[str] = frozenset()) -> str | None:
    """The record of a row's computed cells as written (None for a row left blank);
    the columns in ``hand`` hold the user's values."""
    values = res.values()[:len(RECORDED)]
    if not hand:
        if all(v is None for v in values):
            return None
        return " ".join([_VERSION, *[_BLANK if v is None else _short_code(v) for v in values]])
    return " ".join([_VERSION, *[HAND if column in hand else _short_code(value)
                                 for column, value in zip(RECORDED, values)]])


def _codes(record: object) -> tuple[str, ...] | None:
    """The codes of a record cell, None when it is blank or not a record."""
    if not isinstance(record, str):
        return None
    parts = record.split()
    if len(parts) < len(RECORDED) + 1 or parts[0] not in _VERSIONS:
        return None
    return tuple(parts[1:len(RECORDED) + 1])


def record_marks(record: object) -> list[str]:
    """The fields of a record after its codes (the calendar's marks); [] when the cell
    is not a record of this version."""
    if not isinstance(record, str) or len(record) > MAX_RECORD:
        return []
    parts = record.split()
    if len(parts) <= len(RECORDED) + 1 or parts[0] != _VERSION:
        return []
    return parts[len(RECORDED) + 1:len(RECORDED) + 1 + MAX_MARKS]


#: ours: a record longer than this is not one refresh wrote (its codes and two marks
#: take about 120 characters); at most this many marks are read from one.
MAX_RECORD = 1000
MAX_MARKS = 8


def read_hand_edits(sheet: SheetRows, problems: list[Problem],
                    pin_date: Any = None) -> dict[int, HandEdits]:
    """The rows of Interviews with cells typed over by hand, by row number. Each kept
    value is a problem naming its cell; a pin is not (Why says so on the row).
    ``pin_date`` reads a text typed over Next Call as a date (None when it is not one)."""
    if C.REFRESH_RECORD not in sheet.columns:
        problems.append(Problem(sheet.name, f"{sheet.header_row}:{sheet.header_row}",
                                f"there is no {C.REFRESH_RECORD} column, so refresh cannot tell what you typed "
                                "into the computed columns from what it wrote, and overwrites it",
                                f"add a column headed {C.REFRESH_RECORD} at the end of the table (you may hide it)"))
        return {}
    if not any(_codes(rec.get(C.REFRESH_RECORD)) for _, rec in sheet.rows):
        return {}  # the column was just added (or refresh never wrote it): the cells are refresh's own
    edits: dict[int, HandEdits] = {}
    for row, rec in sheet.rows:
        codes = _codes(rec.get(C.REFRESH_RECORD))
        found = _row_edits(rec, codes, pin_date)
        if found is None:
            continue
        edits[row] = found
        for column, value in found.kept.items():
            problems.append(_kept_problem(sheet, row, column, value))
    return edits


def _row_edits(rec: dict[str, Any], codes: tuple[str, ...] | None, pin_date: Any) -> HandEdits | None:
    pin: date | None = None
    kept: dict[str, Any] = {}
    for i, column in enumerate(RECORDED):
        value = rec.get(column)
        if value is None or value == "" or (codes is not None and codes[i] == _short_code(value)):
            continue  # blank, or as the processor wrote it
        day = _as_pin(value, pin_date) if column == C.NEXT_CALL else None
        if day is not None:
            pin = day
        else:
            kept[column] = value
    return HandEdits(pin, kept) if pin is not None or kept else None


def _as_pin(value: object, pin_date: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str) and pin_date is not None:
        day: date | None = pin_date(value)
        return day
    return None


def _kept_problem(sheet: SheetRows, row: int, column: str, value: object) -> Problem:
    text = as_text(value)
    shown = text if len(text) <= 40 else text[:39] + "\u2026"
    if column == C.NEXT_CALL:
        return Problem(sheet.name, sheet.cell(column, row), f"{column} holds {shown!r}, which is not a date; "
                       "refresh keeps it", "type a date to pin the call to that day, or clear the cell")
    return Problem(sheet.name, sheet.cell(column, row), f"{column} was typed over by hand ({shown!r}); "
                   "refresh keeps it and plans nothing into it",
                   "move your text to Notes, or clear the cell to let refresh fill it again")


def apply_hand_edits(res: RowResult, edits: HandEdits | None, pinned: bool) -> RowResult:
    """Put the user's values back over the plan, and write the row's record. ``pinned``:
    the plan kept the pin (a pin the call log has passed is the processor's again)."""
    hand: set[str] = set()
    if edits is not None:
        for column, value in edits.kept.items():
            setattr(res, _FIELDS[column], value)
            hand.add(column)
        if pinned:
            hand.add(C.NEXT_CALL)
    res.refresh_record = record_text(res, hand)
    return res
