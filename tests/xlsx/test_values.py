"""What `write_cells` accepts and how it writes it (issue 13): values Excel cannot hold
are refused on their cell, texts are escaped as Excel escapes them, table headers are
left alone, numpy and pandas scalars are written by their value, and a number stays a
number in a workbook whose default style shows dates. Every workbook is built here, in
``tmp_path``, and read back with openpyxl and python-calamine."""

from __future__ import annotations

import datetime as dt
import math
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import xlsxwriter
from lxml import etree
from python_calamine import CalamineWorkbook

from tests.support.xlsx_books import load, sheet_xml
from tests.support.xlsx_parts import M, members, replace_member
from workbook_tools.errors import UnsafeWriteError
from workbook_tools.xlsx.write import write_cells, write_rows

SHEET = "Interviews"


def make_book(path: Path) -> Path:
    """A small XlsxWriter workbook: a header row and two rows of data."""
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet(SHEET)
    ws.write_row(0, 0, ["Company", "Value"])
    ws.write_row(1, 0, ["Acme", 1])
    ws.write_row(2, 0, ["Globex", 2])
    wb.close()
    return path


def calamine_rows(path: Path, sheet: str = SHEET) -> list[list[object]]:
    rows: list[list[object]] = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).to_python()
    return rows


def cell_xml(path: Path, ref: str) -> etree._Element:
    return next(c for c in etree.fromstring(sheet_xml(path)).iter(M + "c") if c.get("r") == ref)


# --------------------------------------------------------------------------- values Excel cannot hold

FINITE = "write a finite number, or None to blank the cell"
EXACT = "is beyond the whole numbers Excel stores exactly (up to 2**53, 9007199254740992)"
AS_TEXT = "write it as text to keep every digit"
MISSING_TIME = "(a missing date or time) is not a date Excel can store. Fix: write a date, or None to blank the cell"


@pytest.mark.parametrize("value, expected", [
    (math.nan, f"nan is not a number Excel can store. Fix: {FINITE}"),
    (math.inf, f"inf is not a number Excel can store. Fix: {FINITE}"),
    (-math.inf, f"-inf is not a number Excel can store. Fix: {FINITE}"),
    (np.float64("nan"), f"nan is not a number Excel can store. Fix: {FINITE}"),
    (np.float32("inf"), f"inf is not a number Excel can store. Fix: {FINITE}"),
    (2**53 + 1, f"9007199254740993 {EXACT}. Fix: {AS_TEXT}"),
    (-(2**53) - 1, f"-9007199254740993 {EXACT}. Fix: {AS_TEXT}"),
    (10**400, f"a whole number of about 401 digits {EXACT}. Fix: {AS_TEXT}"),
    (np.int64(2**62), f"4611686018427387904 {EXACT}. Fix: {AS_TEXT}"),
    (np.uint64(2**64 - 1), f"18446744073709551615 {EXACT}. Fix: {AS_TEXT}"),
    (pd.NaT, f"NaT {MISSING_TIME}"),
    (np.datetime64("NaT"), f"NaT {MISSING_TIME}"),
    (pd.NA, "NA (a missing value) is not a value Excel can store. Fix: write None to blank the cell"),
    (dt.date(1899, 12, 31), "1899-12-31 is before 1900-01-01, the first date Excel can store in this workbook. "
                            "Fix: write the date as text"),
    (dt.datetime(1, 1, 1), "0001-01-01T00:00:00 is before 1900-01-01, the first date Excel can store in this "
                           "workbook. Fix: write the date as text"),
    (np.datetime64("1800-01-01"), "1800-01-01 is before 1900-01-01, the first date Excel can store in this "
                                  "workbook. Fix: write the date as text"),
    (np.datetime64("-5000-01-01"), "-5000-01-01 is before 1900-01-01, the first date Excel can store in this "
                                   "workbook. Fix: write the date as text"),
    (np.datetime64("12000-01-01"), "12000-01-01 is after 9999-12-31, the last date Excel can store. "
                                   "Fix: write the date as text"),
    (pd.Timestamp("1850-06-01"), "1850-06-01T00:00:00 is before 1900-01-01, the first date Excel can store in "
                                 "this workbook. Fix: write the date as text"),
    ("x" * 32768, "the text is longer than Excel's limit of 32767 characters per cell. Fix: shorten the text"),
    ("\U0001F600" * 16384, "the text is longer than Excel's limit of 32767 characters per cell. Fix: shorten the text"),
    (np.timedelta64(1, "D"), "a value of type timedelta64 cannot be written. "
                             "Fix: pass text, a number, a date, True/False or None"),
    (pd.Timedelta(days=1), "a value of type Timedelta cannot be written. "
                           "Fix: pass text, a number, a date, True/False or None"),
    (np.array([1, 2]), "a value of type ndarray cannot be written. "
                       "Fix: pass text, a number, a date, True/False or None"),
    (1j, "a value of type complex cannot be written. Fix: pass text, a number, a date, True/False or None"),
])
def test_a_value_excel_cannot_hold_is_refused_on_its_cell(tmp_path: Path, value: object, expected: str) -> None:
    path = make_book(tmp_path / "t.xlsx")
    before = path.read_bytes()
    with pytest.raises(UnsafeWriteError) as error:
        write_cells(path, SHEET, {"C2": "fine", "B3": value})
    assert str(error.value) == f"{path}: Interviews!B3: {expected}"
    assert path.read_bytes() == before


@pytest.mark.parametrize("value, expected", [
    (2**53 + 1, f"9007199254740993 {EXACT}. Fix: {AS_TEXT}"),
    (math.nan, f"nan is not a number Excel can store. Fix: {FINITE}"),
    (pd.NaT, f"NaT {MISSING_TIME}"),
])
def test_write_rows_refuses_them_too(tmp_path: Path, value: object, expected: str) -> None:
    path = make_book(tmp_path / "t.xlsx")
    before = path.read_bytes()
    with pytest.raises(UnsafeWriteError) as error:
        write_rows(path, SHEET, [(2, [(3, "ok", "C2", "C2")]), (3, [(2, value, "B3", "B3")])])  # type: ignore[list-item]
    assert str(error.value) == f"{path}: Interviews!B3: {expected}"
    assert path.read_bytes() == before


def test_values_at_the_limits_are_written(tmp_path: Path) -> None:
    path = make_book(tmp_path / "t.xlsx")
    last = dt.datetime(9999, 12, 31, 23, 59, 59, 999999)  # written to the millisecond: 23:59:59.999
    write_cells(path, SHEET, {"C2": 2**53, "C3": -(2**53), "C4": dt.date(9999, 12, 31), "C5": last,
                              "C6": dt.date(1900, 1, 1), "C7": "x" * 32767})
    ws = load(path)[SHEET]
    assert ws["C2"].value == 2**53 and ws["C3"].value == -(2**53)
    assert ws["C5"].value == dt.datetime(9999, 12, 31, 23, 59, 59, 999000)
    rows = calamine_rows(path)
    assert [rows[i][2] for i in (1, 2, 3, 4, 5)] == [float(2**53), float(-(2**53)), dt.date(9999, 12, 31),
                                                     dt.datetime(9999, 12, 31, 23, 59, 59, 999000),
                                                     dt.date(1900, 1, 1)]
    assert rows[6][2] == "x" * 32767


# --------------------------------------------------------------------------- control characters


@pytest.mark.parametrize("text, stored", [
    ("a\x00b\x01c\x1fd\x0be", "a_x0000_b_x0001_c_x001F_d_x000B_e"),
    ("\x1b[31mred\x1b[0m", "_x001B_[31mred_x001B_[0m"),
    ("_x0041_ stays", "_x005F_x0041_ stays"),
    ("_x0041\x07", "_x005F_x0041_x0007_"),
    ("tab\tand\nlines\r\n", "tab\tand\nlines\r\n"),
])
def test_control_characters_are_written_as_excel_does(tmp_path: Path, text: str, stored: str) -> None:
    path = make_book(tmp_path / "t.xlsx")
    write_cells(path, SHEET, {"C2": text})
    assert cell_xml(path, "C2").findtext(f"{M}is/{M}t") == stored
    assert calamine_rows(path)[1][2] == text  # decoded, as Excel decodes it
    assert load(path)[SHEET]["C2"].value == stored  # openpyxl shows the escapes as they are stored


@pytest.mark.parametrize("text, stored", [
    ("\ufffe|\uffff", "_xFFFE_|_xFFFF_"),  # not characters: a UTF-8 reader keeps the escape
    ("lone \ud800 surrogate", "lone _xD800_ surrogate"),
])
def test_characters_no_utf8_reader_holds_are_kept_escaped(tmp_path: Path, text: str, stored: str) -> None:
    path = make_book(tmp_path / "t.xlsx")
    write_cells(path, SHEET, {"C2": text})
    assert cell_xml(path, "C2").findtext(f"{M}is/{M}t") == stored
    assert calamine_rows(path)[1][2] == stored and load(path)[SHEET]["C2"].value == stored


# --------------------------------------------------------------------------- table headers


def make_table_book(path: Path, **options: object) -> Path:
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet(SHEET)
    ws.add_table("A1:C4", {"name": "Applications", "columns": [{"header": h} for h in ("Company", "Date", "Next")],
                           **options})
    ws.add_table("F1:G3", {"name": "Other"})
    wb.close()
    return path


HEADER_FIX = "rename the column in Excel (type over the header there), or write to the rows below it"


@pytest.mark.parametrize("cells, expected", [
    ({"B1": "When"}, "Interviews!B1 is the header of column 'Date' of the table 'Applications', which a write "
                     f"does not rename. Fix: {HEADER_FIX}"),
    ({"A2": "Acme", "C1": None}, "Interviews!C1 is the header of column 'Next' of the table 'Applications', which "
                                 f"a write does not rename. Fix: {HEADER_FIX}"),
    ({"G1": 7}, "Interviews!G1 is the header of column 'Column2' of the table 'Other', which a write does not "
                f"rename. Fix: {HEADER_FIX}"),
])
def test_a_table_header_is_not_written(tmp_path: Path, cells: dict[str, object], expected: str) -> None:
    path = make_table_book(tmp_path / "t.xlsx")
    before = path.read_bytes()
    with pytest.raises(UnsafeWriteError) as error:
        write_cells(path, SHEET, cells)  # type: ignore[arg-type]
    assert str(error.value) == f"{path}: {expected}"
    assert path.read_bytes() == before


def test_write_rows_leaves_table_headers_alone_too(tmp_path: Path) -> None:
    path = make_table_book(tmp_path / "t.xlsx")
    before = path.read_bytes()
    with pytest.raises(UnsafeWriteError, match=r"Interviews!A1 is the header of column 'Company'"):
        write_rows(path, SHEET, [(1, [(1, "Firm", "A1", "A1")])])
    assert path.read_bytes() == before


def test_cells_around_table_headers_are_written(tmp_path: Path) -> None:
    path = make_table_book(tmp_path / "t.xlsx")
    table_before = members(path)["xl/tables/table1.xml"]
    write_cells(path, SHEET, {"A1": "Company", "D1": "beside", "A2": "Acme", "B2": dt.date(2024, 5, 17)})
    assert members(path)["xl/tables/table1.xml"] == table_before
    ws = load(path)[SHEET]
    assert (ws["A1"].value, ws["D1"].value, ws["A2"].value) == ("Company", "beside", "Acme")
    assert calamine_rows(path)[0][:4] == ["Company", "Date", "Next", "beside"]


def test_a_table_without_a_header_row_is_written_from_its_first_row(tmp_path: Path) -> None:
    path = make_table_book(tmp_path / "t.xlsx", header_row=False)
    write_cells(path, SHEET, {"A1": "Acme"})
    assert load(path)[SHEET]["A1"].value == "Acme"


# --------------------------------------------------------------------------- numpy and pandas scalars


@pytest.mark.parametrize("value, xml_type, xml_value, openpyxl_value, calamine_value", [
    (np.int64(7), None, "7", 7, 7.0),
    (np.int32(-3), None, "-3", -3, -3.0),
    (np.uint8(255), None, "255", 255, 255.0),
    (np.float64(1.5), None, "1.5", 1.5, 1.5),
    (np.float32(0.25), None, "0.25", 0.25, 0.25),
    (np.bool_(True), "b", "1", True, True),
    (np.bool_(False), "b", "0", False, False),
    (np.str_("text"), "inlineStr", None, "text", "text"),
    (np.datetime64("2024-05-17"), None, "45429", dt.datetime(2024, 5, 17), dt.date(2024, 5, 17)),
    (np.datetime64("2024-05-17T06:00:00.000000000"), None, "45429.25", dt.datetime(2024, 5, 17, 6),
     dt.datetime(2024, 5, 17, 6)),
    (pd.Timestamp("2024-05-17 06:00"), None, "45429.25", dt.datetime(2024, 5, 17, 6), dt.datetime(2024, 5, 17, 6)),
    (pd.Timestamp("2024-05-17 06:00", tz="Europe/Paris"), None, "45429.25", dt.datetime(2024, 5, 17, 6),
     dt.datetime(2024, 5, 17, 6)),  # the wall-clock time, as for any datetime with a zone
])
def test_numpy_and_pandas_scalars_are_written_by_their_value(
        tmp_path: Path, value: object, xml_type: str | None, xml_value: str | None, openpyxl_value: object,
        calamine_value: object) -> None:
    path = make_book(tmp_path / "t.xlsx")
    write_cells(path, SHEET, {"C2": value})  # type: ignore[dict-item]
    cell = cell_xml(path, "C2")
    assert cell.get("t") == xml_type and cell.findtext(M + "v") == xml_value
    assert load(path)[SHEET]["C2"].value == openpyxl_value
    assert calamine_rows(path)[1][2] == calamine_value


def test_the_write_path_imports_neither_numpy_nor_pandas(tmp_path: Path) -> None:
    path = make_book(tmp_path / "t.xlsx")
    code = ("import sys, datetime\n"
            "from workbook_tools.xlsx.write import write_cells\n"
            f"write_cells({str(path)!r}, 'Interviews', {{'C2': 1, 'C3': 2.5, 'C4': 'a\\x01', 'C5': True,"
            " 'C6': datetime.date(2024, 5, 17), 'C7': None})\n"
            "print(sorted(name for name in ('numpy', 'pandas') if name in sys.modules))\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          cwd=Path(__file__).resolve().parents[2])
    assert done.stdout.strip() == "[]"


# --------------------------------------------------------------------------- a default style that shows dates


def make_book_with_date_default(path: Path) -> Path:
    """A workbook whose default cell style (cellXfs 0) shows dates (numFmtId 14)."""
    make_book(path)
    styles = members(path)["xl/styles.xml"]
    head, cell_xfs, tail = styles.partition(b"<cellXfs")
    assert cell_xfs, styles
    tail = tail.replace(b'<xf numFmtId="0"', b'<xf numFmtId="14" applyNumberFormat="1"', 1)
    replace_member(path, "xl/styles.xml", head + cell_xfs + tail)
    return path


def test_a_number_stays_a_number_when_the_default_style_shows_dates(tmp_path: Path) -> None:
    path = make_book_with_date_default(tmp_path / "t.xlsx")
    write_cells(path, SHEET, {"C2": 42, "C3": 2.5, "D2": np.int64(7), "E2": dt.date(2024, 5, 17), "F2": True})
    ws = load(path)[SHEET]
    assert (ws["C2"].value, ws["C3"].value, ws["D2"].value) == (42, 2.5, 7)
    assert ws["E2"].value == dt.datetime(2024, 5, 17) and ws["F2"].value is True
    row = calamine_rows(path)[1]
    assert row[2:6] == [42.0, 7.0, dt.date(2024, 5, 17), True]
    assert calamine_rows(path)[2][2] == 2.5
    styles = {ref: cell_xml(path, ref).get("s") for ref in ("C2", "C3", "D2")}
    assert len(set(styles.values())) == 1 and None not in styles.values()  # one General style, added once
    root = etree.fromstring(members(path)["xl/styles.xml"])
    added = root.find(M + "cellXfs")[int(styles["C2"])]  # type: ignore[index, arg-type]
    assert added.get("numFmtId") == "0"


def test_the_default_style_is_kept_when_it_shows_numbers(tmp_path: Path) -> None:
    path = make_book(tmp_path / "t.xlsx")
    styles_before = members(path)["xl/styles.xml"]
    write_cells(path, SHEET, {"C2": 42, "C3": 2.5})
    assert cell_xml(path, "C2").get("s") is None and members(path)["xl/styles.xml"] == styles_before


def test_a_date_style_given_by_the_user_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet(SHEET)
    ws.write_datetime(1, 1, dt.datetime(2024, 1, 1), wb.add_format({"num_format": "yyyy-mm-dd"}))
    wb.close()
    style = cell_xml(path, "B2").get("s")
    write_cells(path, SHEET, {"B2": 45429})  # the user's own date cell: it shows the number as a date
    assert cell_xml(path, "B2").get("s") == style
    assert load(path)[SHEET]["B2"].value == dt.datetime(2024, 5, 17)


def test_a_dates_default_workbook_without_numbers_is_left_alone(tmp_path: Path) -> None:
    path = make_book_with_date_default(tmp_path / "t.xlsx")
    before = members(path)["xl/styles.xml"]
    write_cells(path, SHEET, {"C2": "text", "C3": None})
    assert members(path)["xl/styles.xml"] == before
    with zipfile.ZipFile(path) as zf:
        assert zf.testzip() is None
