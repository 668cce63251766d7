"""The cells to write as records: parsed from A1 references (`CellTarget`), the ranges
that block a write (`Blocked`, `Ranges`), and the check of each row (`RowCheck`)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from workbook_tools.a1 import Rect
from workbook_tools.errors import UnsafeWriteError
from workbook_tools.xlsx.sheet import SheetXml
from workbook_tools.xlsx.targets import (
    VALUE_LIMITS,
    Blocked,
    CellTarget,
    Extent,
    Ranges,
    RowCheck,
    ValueRefused,
    blocked_ranges,
    parse_targets,
    plain_value,
    refusal,
)

SRC = Path("t.xlsx")
NS = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def sheet(rows: bytes, tail: bytes = b"") -> SheetXml:
    return SheetXml(b"<worksheet " + NS + b"><sheetData>" + rows + b"</sheetData>" + tail + b"</worksheet>")


def test_parse_targets_groups_cell_targets_by_row() -> None:
    by_row = parse_targets(SRC, "S", {"P7": 1, "$b$7": "x", "A2": None})
    assert by_row == {7: [CellTarget(16, 1, "P7", "P7"), CellTarget(2, "x", "B7", "$b$7")],
                      2: [CellTarget(1, None, "A2", "A2")]}
    assert by_row[7][1].given == "$b$7" and type(by_row[7][1]) is CellTarget


@pytest.mark.parametrize("cells, message", [
    ({"P0": 1}, r"S!P0 is not a valid cell reference"),
    ({"XFE1": 1}, r"S!XFE1 is not a valid cell reference"),
    ({"A1": [1]}, r"S!A1: a value of type list cannot be written"),
])
def test_parse_targets_refuses_what_cannot_be_written(cells: dict[str, object], message: str) -> None:
    with pytest.raises(UnsafeWriteError, match=message):
        parse_targets(SRC, "S", cells)


def test_ranges_find_short_and_tall_rectangles() -> None:
    ranges = Ranges()
    merged = Blocked(Rect(2, 2, 3, 4), "is merged", "unmerge")
    tall = Blocked(Rect(1, 10, 5000, 10), "is tall", "move it")
    ranges.add(merged)
    ranges.add(tall)
    assert sorted(ranges.by_row) == [2, 3] and ranges.tall == [tall]
    assert ranges.find(3, 4) is merged and ranges.find(4000, 10) is tall
    assert ranges.find(3, 5) is None and ranges.find(5001, 10) is None


def test_blocked_ranges_reads_merges_array_formulas_and_shared_masters() -> None:
    rows = (b'<row r="1"><c r="A1"><f t="array" ref="A1:A3">B1</f><v>1</v></c>'
            b'<c r="C1"><f t="shared" ref="C1:C4" si="0">D1</f><v>1</v></c></row>')
    blocked, masters = blocked_ranges(sheet(rows, b'<mergeCells><mergeCell ref="E5:F6"/><mergeCell ref="H1"/>'
                                                  b"</mergeCells>"))
    assert blocked.find(5, 6) == Blocked(Rect(5, 5, 6, 6), "is inside the merged range E5:F6", "unmerge those cells")
    hit = blocked.find(2, 1)
    assert hit is not None and hit.message == "is inside the array formula range A1:A3"
    assert blocked.find(1, 8) is None  # a merge of one cell blocks nothing
    assert masters == {(1, 3): "C1:C4"}


def check_of(rows: bytes = b"", tail: bytes = b"") -> RowCheck:
    blocked, masters = blocked_ranges(sheet(rows, tail))
    return RowCheck(SRC, "S", blocked, masters, False)


def test_row_check_sorts_cleans_and_measures() -> None:
    check = check_of()
    targets = [(5, "a\x01b", "E3", "E3"), (2, 1.5, "B3", "B3"), (9, None, "I3", "I3"), (3, "_x0041_", "C3", "C3")]
    check(3, targets)
    assert targets == [(2, 1.5, "B3", "B3"), (3, "_x005F_x0041_", "C3", "C3"), (5, "a_x0001_b", "E3", "E3"),
                       (9, None, "I3", "I3")]
    assert type(targets[2]) is CellTarget and type(targets[0]) is tuple  # a plain tuple stays as given
    check(7, [(4, "x", "D7", "D7")])
    assert check.extent.rect() == Rect(3, 2, 7, 5)
    assert Extent().rect() is None and Extent(1, 1, 1, 1).rect() == Rect(1, 1, 1, 1)


def test_row_check_notes_serials_and_refuses_early_dates() -> None:
    check = check_of()
    check(2, [(1, dt.date(2024, 5, 17), "A2", "A2"), (2, dt.datetime(2024, 5, 17, 6), "B2", "B2")])
    assert check.serials == {dt.date(2024, 5, 17): 45429, dt.datetime(2024, 5, 17, 6): 45429.25}
    with pytest.raises(UnsafeWriteError, match=r"S!C2: 1899-12-31 is before 1900-01-01"):
        check(3, [(3, dt.date(1899, 12, 31), "C2", "C2")])


@pytest.mark.parametrize("targets, message", [
    ([(1, 1, "A2", "A2"), (1, 2, "A2", "$A$2")], r"S!A2 is given twice \(as 'A2' and '\$A\$2'\)"),
    ([(1, float("inf"), "A2", "A2")], r"S!A2: inf is not a number Excel can store"),
    ([(1, "x" * 32768, "A2", "A2")], r"S!A2: the text is longer than Excel's limit of 32767 characters"),
    ([(1, "\U0001F600" * 16384, "A2", "A2")], r"longer than Excel's limit"),  # UTF-16 counts two a character
    ([(6, 1, "F2", "F2")], r"S!F2 is inside the merged range E1:F3"),
    ([(3, 1, "C2", "C2")], r"S!C2 holds a shared formula that the cells C2:C4 depend on"),
])
def test_row_check_refuses_a_cell_that_cannot_be_written(targets: list[tuple[int, object, str, str]],
                                                          message: str) -> None:
    check = check_of(b'<row r="2"><c r="C2"><f t="shared" ref="C2:C4" si="0">D2</f><v>1</v></c></row>',
                     b'<mergeCells><mergeCell ref="E1:F3"/></mergeCells>')
    with pytest.raises(UnsafeWriteError, match=message):
        check(2, targets)


@pytest.mark.parametrize("text, stored", [
    ("a\x00b", "a_x0000_b"),  # C0 controls are escaped, never dropped
    ("\x01\x08\x0b\x0c\x0e\x1f", "_x0001__x0008__x000B__x000C__x000E__x001F_"),
    ("tab\tLF\nCR\r", "tab\tLF\nCR\r"),  # the three XML allows are written as they are
    ("\ufffe\uffff", "_xFFFE__xFFFF_"),
    ("x\ud800y", "x_xD800_y"),  # a lone surrogate
    ("_x0041_", "_x005F_x0041_"),  # a literal escape reads back as typed
    ("_x004a_ and _X0041_", "_x005F_x004a_ and _X0041_"),  # lower-case hex is an escape; "_X" is not
    ("_x0041\x01", "_x005F_x0041_x0001_"),  # would read as "A" + "x0001_" without the first escape
    ("\x01x0041_", "_x0001_x0041_"),
    ("_x004", "_x004"),
    ("a_\x01", "a__x0001_"),
])
def test_row_check_escapes_text_as_excel_does(text: str, stored: str) -> None:
    targets = [(1, text, "A2", "A2")]
    check_of()(2, targets)
    assert targets == [(1, stored, "A2", "A2")]


@pytest.mark.parametrize("value, message", [
    (2**53 + 1, r"S!A2: 9007199254740993 is beyond the whole numbers Excel stores exactly \(up to 2\*\*53"),
    (-(2**53) - 1, r"S!A2: -9007199254740993 is beyond"),
    (10**400, r"S!A2: a whole number of about 401 digits is beyond"),
    (float("nan"), r"S!A2: nan is not a number Excel can store"),
    (dt.datetime(1899, 12, 31, 23, 59), r"S!A2: 1899-12-31T23:59:00 is before 1900-01-01"),
    ("\x01" * 32768, r"S!A2: the text is longer than Excel's limit of 32767"),  # counted before escaping
    ("\ud800" * 32768, r"S!A2: the text is longer than Excel's limit of 32767"),  # lone surrogates counted too
    ([1], r"S!A2: a value of type list cannot be written"),  # write_rows takes its values unchecked
])
def test_row_check_refuses_values_excel_cannot_hold(value: object, message: str) -> None:
    with pytest.raises(UnsafeWriteError, match=message):
        check_of()(2, [(1, value, "A2", "A2")])


@pytest.mark.parametrize("value", [2**53, -(2**53), 0, True, "\x01" * 32767, dt.datetime(9999, 12, 31, 23, 59, 59)])
def test_row_check_takes_values_at_the_limits(value: object) -> None:
    check_of()(2, [(1, value, "A2", "A2")])


@pytest.mark.parametrize("value, kind, shown", [
    (object(), "type", "object"),
    (1j, "type", "complex"),
    (dt.timedelta(days=1), "type", "timedelta"),
])
def test_plain_value_refuses_other_types(value: object, kind: str, shown: str) -> None:
    with pytest.raises(ValueRefused) as refused:
        plain_value(value)
    assert (refused.value.kind, refused.value.shown) == (kind, shown)


def test_refusal_names_the_cell_and_the_fix() -> None:
    error = refusal(SRC, "S", "B4", ValueRefused("before", "1903-12-31", "1904-01-01"))
    assert str(error) == ("t.xlsx: S!B4: 1903-12-31 is before 1904-01-01, the first date Excel can store in this "
                          "workbook. Fix: write the date as text")
    assert all(limit.source for limit in VALUE_LIMITS.values())
