"""Row heights written with the cells: `write_rows` with `RowWrite` rows, and a refresh,
which fits the height of every row it fills to its wrapped cells and nothing else."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import xlsxwriter

from tests.support.trackers import SAMPLE, small_tracker
from tests.support.xlsx_parts import members
from workbook_tools.adapters.file import refresh_file
from workbook_tools.core.layout import row_height
from workbook_tools.template.sample import SAMPLE_TODAY
from workbook_tools.xlsx.rows import RowWrite
from workbook_tools.xlsx.sheet import ColumnWidths
from workbook_tools.xlsx.write import write_rows
from workbook_tools.xlsx.xml import parse

SHEET_PART = "xl/worksheets/sheet1.xml"
LONG = "word " * 40  # 200 characters


def small_book(path: Path, *, hidden_c: bool = False, row3_height: float | None = None) -> Path:
    """A sheet "S": A is 10 wide, B 30 wide and wrapped, C 20 wide; rows 1-4 have text in A."""
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("S")
    ws.set_column(0, 0, 10)
    ws.set_column(1, 1, 30, wb.add_format({"text_wrap": True}))
    ws.set_column(2, 2, 20, None, {"hidden": True} if hidden_c else None)
    for r in range(4):
        ws.write_string(r, 0, f"row {r + 1}")
    if row3_height is not None:
        ws.set_row(2, row3_height)
    wb.close()
    return path


def row_tags(path: Path) -> dict[int, str]:
    xml = members(path)[SHEET_PART].decode()
    return {int(m[1]): m[0] for m in re.finditer(r'<row r="(\d+)"[^>]*>', xml)}


def heights(path: Path, part: str = SHEET_PART) -> dict[int, str | None]:
    xml = members(path)[part].decode()
    return {int(m[1]): (re.search(r'\sht="([^"]+)"', m[0]) or [None, None])[1]
            for m in re.finditer(r'<row r="(\d+)"[^>]*>', xml)}


@pytest.mark.parametrize(("rows", "expected"), [
    # B2 gets 200 characters: 29 a line in a column 30 wide, words of five: 7 lines.
    ([RowWrite(2, [(2, LONG, "B2", "B2")], {2: LONG})], {1: None, 2: "105", 3: None, 4: None}),
    # No cell to write, only the height: row 3 grows to the text it will hold.
    ([RowWrite(3, [], {2: "a\nb\nc"})], {1: None, 2: None, 3: "45", 4: None}),
    # Already the default height (one line): nothing changes at all.
    ([RowWrite(4, [], {2: "short"})], None),
    # A plain (row, cells) pair keeps its height.
    ([(2, [(2, LONG, "B2", "B2")])], {1: None, 2: None, 3: None, 4: None}),
])
def test_write_rows_fits_the_heights_of_the_rows_given_wrapped_values(tmp_path: Path, rows: list,
                                                                      expected: dict | None) -> None:
    path = small_book(tmp_path / "b.xlsx")
    before = members(path)
    count = write_rows(path, "S", rows, row_height=row_height)
    after = members(path)
    if expected is None:
        assert count == 0 and after == before  # not rewritten
        return
    assert heights(path) == expected
    assert {name for name in after if after[name] != before[name]} == {SHEET_PART}


def test_a_height_already_right_is_kept_and_a_wrong_one_replaced(tmp_path: Path) -> None:
    path = small_book(tmp_path / "b.xlsx", row3_height=90)
    assert 'ht="90"' in row_tags(path)[3]
    assert write_rows(path, "S", [RowWrite(3, [], {2: "\n".join("abcdef")})], row_height=row_height) == 0
    assert write_rows(path, "S", [RowWrite(3, [], {2: "one"})], row_height=row_height) == 1
    tag = row_tags(path)[3]
    assert 'ht="15"' in tag and len(re.findall(r"\sht=", tag)) == 1  # replaced, not added


def test_hidden_columns_do_not_count(tmp_path: Path) -> None:
    path = small_book(tmp_path / "b.xlsx", hidden_c=True)
    widths = ColumnWidths(parse(members(path)[SHEET_PART]))
    assert (widths.width(1), widths.width(2), widths.width(3), widths.width(9)) == (10, 30, 0, 8.43)
    assert write_rows(path, "S", [RowWrite(2, [], {3: LONG})], row_height=row_height) == 0
    assert write_rows(path, "S", [RowWrite(2, [], {3: LONG, 1: LONG})], row_height=row_height) == 1
    assert heights(path)[2] == "300"  # column A: 9 characters a line, two words of four: 20 lines


def test_a_refresh_fits_the_rows_it_fills_and_a_second_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    shutil.copyfile(SAMPLE, path)
    refresh_file(path, SAMPLE_TODAY)
    first = members(path)
    fitted = heights(path)
    planned = {2 + i for i in range(17)}  # the sample's 17 rows
    assert {row for row, ht in fitted.items() if ht is not None} <= planned
    assert fitted[1] is None  # the header row is not the processor's
    assert float(fitted[2] or 0) >= 200  # a row with two scripts
    again = refresh_file(path, SAMPLE_TODAY)
    assert not again.written and members(path) == first  # a second refresh the same day changes nothing


def test_typing_a_long_note_grows_the_row_at_the_next_refresh(tmp_path: Path) -> None:
    interviews = [{"Company": "Acme", "Event Date": SAMPLE_TODAY, "Status": "Closed"},
                  {"Company": "Globex", "Event Date": SAMPLE_TODAY, "Status": "Closed"}]
    path = small_tracker(tmp_path / "t.xlsx", interviews=interviews)
    refresh_file(path, SAMPLE_TODAY)
    short = heights(path, "xl/worksheets/sheet1.xml")
    notes = "\n".join(f"line {i}" for i in range(10))
    tall = small_tracker(tmp_path / "u.xlsx", interviews=[dict(interviews[0]), {**interviews[1], "Notes": notes}])
    refresh_file(tall, SAMPLE_TODAY)
    grown = heights(tall, "xl/worksheets/sheet1.xml")
    assert short[3] in (None, "15") and grown[3] == "150"  # ten lines of Notes
    assert grown[2] == short[2]


def test_rows_the_refresh_does_not_read_get_no_height(tmp_path: Path) -> None:
    path = small_tracker(tmp_path / "t.xlsx")
    refresh_file(path, SAMPLE_TODAY)
    assert set(heights(path)) == {1, 2}  # the header and the one row: no row is added below
