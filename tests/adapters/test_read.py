"""The file adapter's reader on real files: a header below a title and right of column A,
the Interviews table, and the files it refuses."""

from __future__ import annotations

from datetime import date, datetime

import pytest
import xlsxwriter

from tests.support.trackers import small_tracker
from workbook_tools import contract as C
from workbook_tools.adapters.file import read_tracker
from workbook_tools.core.grid import sheet_from_grid
from workbook_tools.errors import ProblemsError, WorkbookError


def test_header_found_below_a_title_and_right_of_column_a(tmp_path):
    path = small_tracker(tmp_path / "t.xlsx")
    # Rebuild the Calls sheet by hand: a title in A1, headers on row 3 from column C.
    wb = xlsxwriter.Workbook(str(tmp_path / "offset.xlsx"))
    ws = wb.add_worksheet(C.CALLS)
    ws.write_string(0, 0, "My call log")
    for j, h in enumerate(C.CALL_HEADERS):
        ws.write_string(2, 2 + j, h.upper() + "  ")
    ws.write_datetime(3, 2, datetime(2013, 10, 2), wb.add_format({"num_format": "yyyy-mm-dd"}))
    ws.write_string(3, 4, "Acme")
    ws.write_string(3, 6, C.NO_ANSWER)
    wb.close()
    import python_calamine

    sheet = python_calamine.CalamineWorkbook.from_path(str(tmp_path / "offset.xlsx")).get_sheet_by_name(C.CALLS)
    rows = sheet_from_grid(C.CALLS, sheet.iter_rows(), problems := [], first_col=sheet.start[1])
    assert problems == [] and rows.header_row == 3
    assert rows.columns["Date"] == "C" and rows.columns["Company"] == "E" and rows.cell("Outcome", 4) == "G4"
    assert rows.rows == [(4, {"Date": date(2013, 10, 2), "Company": "Acme", "Outcome": C.NO_ANSWER})]
    assert read_tracker(path).interviews.table == (C.TABLE_NAMES[C.INTERVIEWS], 2)


def test_old_xls_or_encrypted_file_is_refused(tmp_path):
    path = tmp_path / "old.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)
    with pytest.raises(WorkbookError, match="old .xls file or a password-protected workbook"):
        read_tracker(path)


def test_a_folder_is_not_a_workbook(tmp_path):
    with pytest.raises(WorkbookError, match="is a folder"):
        read_tracker(tmp_path)


def test_every_missing_sheet_is_named(tmp_path):
    wb = xlsxwriter.Workbook(str(tmp_path / "bare.xlsx"))
    wb.add_worksheet("Interviews").write_row(0, 0, list(C.INTERVIEW_HEADERS))
    wb.close()
    with pytest.raises(ProblemsError) as err:
        read_tracker(tmp_path / "bare.xlsx")
    assert [p.sheet for p in err.value.problems] == [C.CALLS, C.CONTACTS, C.SCRIPTS, C.CADENCES, C.SETTINGS]
