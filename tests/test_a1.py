"""A1 references: letters and numbers of columns, cells, rectangles, sheet names."""

from __future__ import annotations

import pytest

from workbook_tools.a1 import (
    MAX_COL,
    MAX_ROW,
    Rect,
    cell_ref,
    column_letter,
    column_number,
    parse_range,
    parse_ref,
    range_text,
    sheet_ref,
)


@pytest.mark.parametrize("number, letters", [(1, "A"), (26, "Z"), (27, "AA"), (52, "AZ"), (703, "AAA"),
                                             (MAX_COL, "XFD")])
def test_column_letters_and_numbers(number, letters):
    assert column_letter(number) == letters and column_number(letters) == number
    assert column_number(letters.lower()) == number


@pytest.mark.parametrize("ref, found", [
    ("P7", (7, 16)), ("$P$7", (7, 16)), ("p7", (7, 16)), ("XFD1048576", (MAX_ROW, MAX_COL)),
    ("A0", None), ("XFE1", None), ("A1048577", None), ("A1:B2", None), ("7P", None), ("", None), (7, None),
])
def test_parse_ref(ref, found):
    assert parse_ref(ref) == found


@pytest.mark.parametrize("ref, rect", [
    ("A1:C3", Rect(1, 1, 3, 3)), ("C3:A1", Rect(1, 1, 3, 3)), ("B2", Rect(2, 2, 2, 2)),
    ("A1:B2:C3", None), ("A1:", None), (None, None), ("", None),
])
def test_parse_range(ref, rect):
    assert parse_range(ref) == rect


def test_range_text_and_cell_ref():
    assert range_text(1, 1, 3, 3) == "A1:C3" and range_text(2, 2, 2, 2) == "B2"
    assert cell_ref(7, 16) == "P7"


@pytest.mark.parametrize("sheet, text", [
    ("Interviews", "Interviews!P7"), ("My Sheet", "'My Sheet'!P7"), ("Bob's", "'Bob''s'!P7"), ("2024", "'2024'!P7"),
])
def test_sheet_ref_quotes_as_excel_does(sheet, text):
    assert sheet_ref(sheet, "P7") == text
