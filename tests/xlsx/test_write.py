"""Tests for workbook_tools.xlsx.write: surgical cell writes that keep everything else intact."""

from __future__ import annotations

import datetime as dt
import math
import os
import shutil
import stat
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import xlsxwriter
from lxml import etree
from python_calamine import CalamineWorkbook

from tests.support.xlsx_books import (
    assert_only_changed,
    copy_writable,
    load,
    make_rich_workbook,
    no_temp_files,
    sheet_xml,
)
from tests.support.xlsx_parts import (
    CORPUS,
    M,
    blocked_ranges,
    col_letters,
    first_worksheet,
    is_protected,
    members,
    new_cell_style,
    replace_member,
    rows_attrs,
    sheet_cells,
    sheet_extent,
    sheet_other_parts,
    split_ref,
    style_locked,
)
from workbook_tools.errors import UnsafeWriteError, WorkbookError
from workbook_tools.files import check_not_open
from workbook_tools.xlsx import write as xlsx_write
from workbook_tools.xlsx import zip as xlsx_zip
from workbook_tools.xlsx.member import Member
from workbook_tools.xlsx.package import Package
from workbook_tools.xlsx.tables import table_headers
from workbook_tools.xlsx.write import write_cells

CORPUS_FILES = sorted(p for p in CORPUS.glob("*") if p.suffix in (".xlsx", ".xlsm")) if CORPUS.is_dir() else []
needs_corpus = pytest.mark.skipif(not CORPUS_FILES, reason=f"Excel-made corpus not found at {CORPUS}")


# --------------------------------------------------------------------------- the Excel-made corpus

TEXT, NUMBER, DAY = "written by test", 42, dt.date(2024, 5, 17)


@needs_corpus
@pytest.mark.parametrize("src", CORPUS_FILES, ids=[p.name for p in CORPUS_FILES])
def test_corpus_workbook(src: Path, tmp_path: Path) -> None:
    path = copy_writable(src, tmp_path)
    found = first_worksheet(path)
    if found is None:
        pytest.skip("no worksheet in this workbook")
    sheet, part = found
    before = members(path)
    xml = before[part]
    max_r, max_c = sheet_extent(xml)
    row = max_r + 2
    first_col = max_c + 1 if max_c + 4 <= 16384 else 1
    refs = [f"{col_letters(first_col + k)}{row}" for k in range(4)]
    cells: dict[str, object] = dict(zip(refs, [TEXT, NUMBER, DAY, None], strict=True))

    blocked = blocked_ranges(xml)
    protected = is_protected(xml)
    if protected:
        locked = style_locked(before["xl/styles.xml"], new_cell_style(xml, row, first_col))
    else:
        locked = False
        # One overwrite of an existing plain value cell that is safe (not a table's header:
        # a write never renames a table's column).
        root = etree.fromstring(xml)
        pkg = Package(path)
        try:
            headers = [(h.row, h.left, h.right) for h in table_headers(pkg, part)]
        finally:
            pkg.close()
        for c in root.iter(M + "c"):
            if c.find(M + "v") is None or c.find(M + "f") is not None or c.get("t") == "e":
                continue
            r, col = split_ref(c.get("r"))
            if any(b[0] <= r <= b[2] and b[1] <= col <= b[3] for _, b in blocked):
                continue
            if any(r == hr and left <= col <= right for hr, left, right in headers):
                continue
            cells[c.get("r")] = "overwritten"
            break

    if locked:
        with pytest.raises(UnsafeWriteError, match="protected"):
            write_cells(path, sheet, cells)
        assert members(path) == before
        return

    write_cells(path, sheet, cells)
    after = members(path)
    assert_only_changed(before, after, {part, "xl/styles.xml"})

    # Cells not written are unchanged, and so is the rest of the worksheet.
    old_cells, new_cells = sheet_cells(xml), sheet_cells(after[part])
    written = {k for k, v in cells.items() if v is not None}
    assert {k: v for k, v in new_cells.items() if k not in written} == {
        k: v for k, v in old_cells.items() if k not in written}
    assert sheet_other_parts(after[part]) == sheet_other_parts(xml)
    assert refs[3] not in new_cells  # None beyond the used range creates nothing

    wb = load(path)
    ws = wb[sheet]
    assert ws[refs[0]].value == TEXT
    assert ws[refs[1]].value == NUMBER
    assert ws[refs[2]].value == dt.datetime(2024, 5, 17)
    assert ws[refs[2]].is_date
    assert ws[refs[3]].value is None
    for ref, value in cells.items():
        if value == "overwritten":
            assert ws[ref].value == "overwritten"

    # Unsafe targets: the file stays exactly as it is.
    if blocked:
        kind, (r1, c1, r2, c2) = blocked[0]
        target = f"{col_letters(c2)}{r2}"
        snapshot = path.read_bytes()
        with pytest.raises(UnsafeWriteError, match="merged" if kind == "merged" else "array formula"):
            write_cells(path, sheet, {target: "x"})
        assert path.read_bytes() == snapshot
        assert no_temp_files(tmp_path, {path.name})


@needs_corpus
def test_corpus_xlsm_keeps_vba_project(tmp_path: Path) -> None:
    xlsm = [p for p in CORPUS_FILES if p.suffix == ".xlsm"]
    assert xlsm
    for src in xlsm:
        path = copy_writable(src, tmp_path)
        before = members(path)
        sheet, part = first_worksheet(path)  # type: ignore[misc]
        write_cells(path, sheet, {"Z100": "macro safe", "Z101": dt.date(2024, 1, 2)})
        after = members(path)
        vba = [n for n in before if n.endswith("vbaProject.bin")]
        assert vba, src.name
        for name in vba:
            assert after[name] == before[name]
        assert_only_changed(before, after, {part, "xl/styles.xml"})


@needs_corpus
def test_corpus_calc_chain_entry_dropped(tmp_path: Path) -> None:
    path = copy_writable(CORPUS / "escapes01.xlsx", tmp_path)
    before = members(path)
    sheet = first_worksheet(path)[0]  # type: ignore[index]
    write_cells(path, sheet, {"A6": 7})
    chain = etree.fromstring(members(path)["xl/calcChain.xml"])
    entries = [(c.get("r"), c.get("i")) for c in chain]
    assert entries[0] == ("A5", "1")  # the sheet id moved to the new first entry
    assert [r for r, _ in entries] == ["A5", "A4", "A3", "A2", "A1"]
    assert_only_changed(before, members(path), {"xl/worksheets/sheet1.xml", "xl/calcChain.xml"})
    assert load(path)[sheet]["A6"].value == 7


@needs_corpus
def test_corpus_calc_chain_dropped_when_empty(tmp_path: Path) -> None:
    path = copy_writable(CORPUS / "hyperlink19.xlsx", tmp_path)
    before = members(path)
    sheet = first_worksheet(path)[0]  # type: ignore[index]
    write_cells(path, sheet, {"A1": "no formula"})
    after = members(path)
    assert "xl/calcChain.xml" not in after
    assert b"calcChain" not in after["[Content_Types].xml"]
    assert b"calcChain" not in after["xl/_rels/workbook.xml.rels"]
    assert_only_changed(before, after, {"xl/worksheets/sheet1.xml", "xl/calcChain.xml", "[Content_Types].xml",
                                        "xl/_rels/workbook.xml.rels"})
    xml = sheet_xml(path)
    assert b"<f>" not in xml
    assert load(path)[sheet]["A1"].value == "no formula"


@needs_corpus
def test_corpus_chartsheet_refused(tmp_path: Path) -> None:
    path = copy_writable(CORPUS / "chartsheet01.xlsx", tmp_path)
    wb = etree.fromstring(members(path)["xl/workbook.xml"])
    names = [s.get("name") for s in wb.iter(M + "sheet")]
    chart_name = next(n for n in names if n.lower().startswith("chart"))
    before = path.read_bytes()
    with pytest.raises(UnsafeWriteError, match="chart sheet"):
        write_cells(path, chart_name, {"A1": 1})
    assert path.read_bytes() == before


@needs_corpus
def test_corpus_1904_dates(tmp_path: Path) -> None:
    path = copy_writable(CORPUS / "date_1904_02.xlsx", tmp_path)
    write_cells(path, "Sheet1", {"B1": dt.date(2024, 5, 1), "B2": dt.datetime(2024, 5, 1, 18, 0)})
    root = etree.fromstring(sheet_xml(path))
    values = {c.get("r"): c.findtext(M + "v") for c in root.iter(M + "c")}
    assert values["B1"] == "43951"  # 45413 in the 1900 system minus 1462
    assert float(values["B2"]) == 43951.75
    ws = load(path)["Sheet1"]
    assert ws["B1"].value == dt.datetime(2024, 5, 1)
    assert ws["B2"].value == dt.datetime(2024, 5, 1, 18, 0)
    assert ws["A2"].value == dt.datetime(1906, 9, 27)  # existing 1904 cells untouched


# --------------------------------------------------------------------------- XlsxWriter workbook with everything


def test_rich_workbook_other_members_identical(tmp_path: Path) -> None:
    path = tmp_path / "tracker.xlsx"
    make_rich_workbook(path)
    before = members(path)
    assert any(n.startswith("xl/charts/") for n in before)
    assert any(n.startswith("xl/media/") for n in before)
    assert any("comments" in n for n in before)
    cells = {f"E{r}": f"call back {r}" for r in range(2, 12)}
    cells.update({f"G{r}": dt.date(2024, 6, r) for r in range(2, 12)})
    cells.update({"H2": 3, "H3": 2.5, "H4": True, "H5": None, "A2": "Acme (renamed)", "D3": 99})
    write_cells(path, "Interviews", cells)
    after = members(path)
    assert_only_changed(before, after, {"xl/worksheets/sheet1.xml", "xl/styles.xml"})
    ws = load(path)["Interviews"]
    assert ws["E5"].value == "call back 5"
    assert ws["G5"].value == dt.datetime(2024, 6, 5)
    assert ws["H3"].value == 2.5 and ws["H4"].value is True and ws["H5"].value is None
    assert ws["A2"].value == "Acme (renamed)"
    assert ws["D3"].value == 99  # a plain formula overwritten by a value
    assert ws["D4"].value == "=C4*2"  # the others keep their formulas
    assert ws["B3"].value == dt.datetime(2024, 1, 2)


def test_output_leaves_source_untouched(tmp_path: Path) -> None:
    path = tmp_path / "tracker.xlsx"
    make_rich_workbook(path)
    original = path.read_bytes()
    out = tmp_path / "copy.xlsx"
    write_cells(path, "Interviews", {"E2": "x"}, output=out)
    assert path.read_bytes() == original
    assert load(out)["Interviews"]["E2"].value == "x"


def test_permission_bits_kept(tmp_path: Path) -> None:
    path = tmp_path / "tracker.xlsx"
    make_rich_workbook(path)
    os.chmod(path, 0o640)
    write_cells(path, "Interviews", {"E2": "x"})
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


def test_sheet_name_case_insensitive_and_missing(tmp_path: Path) -> None:
    path = tmp_path / "tracker.xlsx"
    make_rich_workbook(path)
    write_cells(path, "interviews", {"E2": "x"})
    assert load(path)["Interviews"]["E2"].value == "x"
    before = path.read_bytes()
    with pytest.raises(WorkbookError) as err:
        write_cells(path, "Calls", {"E2": "x"})
    assert "'Interviews'" in str(err.value) and "'Notes'" in str(err.value) and "Calls" in str(err.value)
    assert path.read_bytes() == before


# --------------------------------------------------------------------------- values


@pytest.mark.parametrize(
    "text",
    ["=SUM(A1:A2)", "+1", "-1", "@cmd", "line one\nline two", "tab\there", "  padded  ", "cr\r\nlf",
     "Café ☕ 😀", "<tag> & \"quotes\"", "", "x" * 32767],
    ids=["eq", "plus", "minus", "at", "newline", "tab", "spaces", "crlf", "unicode", "markup", "empty", "max"],
)
def test_strings_are_literal_text(tmp_path: Path, text: str) -> None:
    path = tmp_path / "t.xlsx"
    make_rich_workbook(path)
    before = members(path)
    write_cells(path, "Interviews", {"J2": text})
    assert_only_changed(before, members(path), {"xl/worksheets/sheet1.xml"})  # sharedStrings untouched
    root = etree.fromstring(sheet_xml(path))
    cell = next(c for c in root.iter(M + "c") if c.get("r") == "J2")
    assert cell.get("t") == "inlineStr" and cell.find(M + "f") is None
    assert load(path)["Interviews"]["J2"].value == text


def test_control_characters_kept_as_excel_escapes_them(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    make_rich_workbook(path)
    write_cells(path, "Interviews", {"J2": "a\x00b\x01c\x1fd\x0be", "J3": "_x0041_ stays"})
    ws = load(path)["Interviews"]
    assert ws["J2"].value == "a_x0000_b_x0001_c_x001F_d_x000B_e"  # openpyxl shows Excel's escapes as stored
    # calamine (like Excel) decodes them: the text reads back as written.
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Interviews").to_python()
    assert rows[1][9] == "a\x00b\x01c\x1fd\x0be" and rows[2][9] == "_x0041_ stays"


def test_too_long_string_refused(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    make_rich_workbook(path)
    before = path.read_bytes()
    with pytest.raises(UnsafeWriteError, match=r"Interviews!J2.*32767"):
        write_cells(path, "Interviews", {"J2": "x" * 32768})
    assert path.read_bytes() == before


def test_numbers_and_bools(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    make_rich_workbook(path)
    write_cells(path, "Interviews", {"J2": 0.1, "J3": 1e20, "J4": -7, "J5": False, "J6": 2**40, "J7": 1 / 3})
    root = etree.fromstring(sheet_xml(path))
    vals = {c.get("r"): (c.get("t"), c.findtext(M + "v")) for c in root.iter(M + "c")}
    assert vals["J2"] == (None, "0.1") and vals["J3"] == (None, "1e+20") and vals["J5"] == ("b", "0")
    ws = load(path)["Interviews"]
    assert ws["J4"].value == -7 and ws["J5"].value is False and ws["J6"].value == 2**40
    assert ws["J7"].value == 1 / 3


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_nan_inf_refused(tmp_path: Path, bad: float) -> None:
    path = tmp_path / "t.xlsx"
    make_rich_workbook(path)
    before = path.read_bytes()
    with pytest.raises(UnsafeWriteError, match="Interviews!J2"):
        write_cells(path, "Interviews", {"J1": 1, "J2": bad})
    assert path.read_bytes() == before


@pytest.mark.parametrize("ref", ["", "A0", "XFE1", "A1048577", "1A", "A1:B2", "Sheet1!A1"])
def test_invalid_reference_refused(tmp_path: Path, ref: str) -> None:
    path = tmp_path / "t.xlsx"
    make_rich_workbook(path)
    before = path.read_bytes()
    with pytest.raises(UnsafeWriteError, match="not a valid cell reference"):
        write_cells(path, "Interviews", {"J2": 1, ref: 2})
    assert path.read_bytes() == before


def test_unsupported_type_and_duplicate_refused(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    make_rich_workbook(path)
    with pytest.raises(UnsafeWriteError, match="type list"):
        write_cells(path, "Interviews", {"J2": [1]})  # type: ignore[dict-item]
    with pytest.raises(UnsafeWriteError, match="twice"):
        write_cells(path, "Interviews", {"J2": 1, "j2": 2})


def test_none_blanks_but_keeps_style(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    make_rich_workbook(path)
    write_cells(path, "Interviews", {"A1": None, "C2": None, "B2": None, "Z99": None})
    root = etree.fromstring(sheet_xml(path))
    cells = {c.get("r"): c for c in root.iter(M + "c")}
    assert "C2" not in cells  # had no style: element dropped
    assert cells["A1"].get("s") and len(cells["A1"]) == 0 and cells["A1"].get("t") is None  # styled: kept empty
    assert cells["B2"].get("s") and len(cells["B2"]) == 0
    assert "Z99" not in cells
    ws = load(path)["Interviews"]
    assert ws["A1"].value is None and ws["A1"].font.b
    assert ws["A3"].value == "Company 2"


# --------------------------------------------------------------------------- dates and styles


def test_dates_get_a_date_style_once(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    make_rich_workbook(path)
    styles_before = members(path)["xl/styles.xml"]
    count_before = len(etree.fromstring(styles_before).find(M + "cellXfs"))
    write_cells(path, "Interviews", {f"K{r}": dt.date(2024, 7, r) for r in range(1, 20)})
    styles = etree.fromstring(members(path)["xl/styles.xml"])
    xfs = styles.find(M + "cellXfs")
    assert len(xfs) == count_before + 1 and xfs.get("count") == str(count_before + 1)
    assert xfs[-1].get("numFmtId") == "14" and xfs[-1].get("applyNumberFormat") == "1"
    # A second refresh reuses that style: styles.xml does not change again.
    snapshot = members(path)["xl/styles.xml"]
    write_cells(path, "Interviews", {f"L{r}": dt.date(2024, 8, r) for r in range(1, 5)})
    assert members(path)["xl/styles.xml"] == snapshot
    ws = load(path)["Interviews"]
    assert ws["K3"].value == dt.datetime(2024, 7, 3) and ws["L4"].value == dt.datetime(2024, 8, 4)


def test_existing_date_style_kept_and_custom_formats(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("S")
    ws.write("A1", 1, wb.add_format({"num_format": "dd/mm/yyyy"}))
    ws.write("A2", 1, wb.add_format({"num_format": '[Red]"Days: "0.00'}))
    ws.write("A3", 1, wb.add_format({"num_format": "[$-409]mmm d, yyyy", "bold": True}))
    ws.write("A4", 1, wb.add_format({"num_format": "0.00", "italic": True}))
    wb.close()
    styles_before = etree.fromstring(members(path)["xl/styles.xml"]).find(M + "cellXfs")
    before_s = {c.get("r"): c.get("s") for c in etree.fromstring(sheet_xml(path)).iter(M + "c")}
    write_cells(path, "S", {f"A{r}": dt.date(2024, 1, r) for r in range(1, 5)})
    after_s = {c.get("r"): c.get("s") for c in etree.fromstring(sheet_xml(path)).iter(M + "c")}
    assert after_s["A1"] == before_s["A1"] and after_s["A3"] == before_s["A3"]
    assert after_s["A2"] != before_s["A2"] and after_s["A4"] != before_s["A4"]
    xfs = etree.fromstring(members(path)["xl/styles.xml"]).find(M + "cellXfs")
    assert len(xfs) == len(styles_before) + 2
    new_a4 = xfs[int(after_s["A4"])]
    assert new_a4.get("numFmtId") == "14"
    assert new_a4.get("fontId") == styles_before[int(before_s["A4"])].get("fontId")  # italic kept
    ws = load(path)["S"]
    for r in range(1, 5):
        assert ws[f"A{r}"].value == dt.datetime(2024, 1, r), r


def test_new_cells_take_row_or_column_style(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("S")
    fill = wb.add_format({"bg_color": "#FFFF00"})
    italic = wb.add_format({"italic": True})
    ws.set_column("C:C", 12, fill)
    ws.set_row(4, None, italic)
    ws.write("A1", "x")
    ws.write("A5", "y")
    wb.close()
    write_cells(path, "S", {"C2": "in col", "B5": "in row", "C9": dt.date(2024, 1, 1)})
    ws2 = load(path)["S"]
    assert ws2["C2"].fill.fgColor.rgb.endswith("FFFF00")
    assert ws2["B5"].font.i
    assert ws2["C9"].fill.fgColor.rgb.endswith("FFFF00") and ws2["C9"].is_date


def test_dates_before_epoch_refused(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    make_rich_workbook(path)
    with pytest.raises(UnsafeWriteError, match="1900-01-01"):
        write_cells(path, "Interviews", {"J2": dt.date(1899, 12, 31)})


def test_early_1900_dates_follow_excel(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    make_rich_workbook(path)
    write_cells(path, "Interviews", {"J2": dt.date(1900, 1, 1), "J3": dt.date(1900, 2, 28),
                                     "J4": dt.date(1900, 3, 1), "J5": dt.datetime(2024, 1, 1, 12, 0)})
    root = etree.fromstring(sheet_xml(path))
    vals = {c.get("r"): c.findtext(M + "v") for c in root.iter(M + "c")}
    assert (vals["J2"], vals["J3"], vals["J4"], vals["J5"]) == ("1", "59", "61", "45292.5")


def test_dates_in_1904_workbook(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    make_rich_workbook(path, date_1904=True)
    write_cells(path, "Interviews", {"J2": dt.date(2024, 5, 1), "J3": dt.datetime(1904, 1, 2, 6, 0)})
    root = etree.fromstring(sheet_xml(path))
    vals = {c.get("r"): c.findtext(M + "v") for c in root.iter(M + "c")}
    assert vals["J2"] == "43951" and vals["J3"] == "1.25"
    ws = load(path)["Interviews"]
    assert ws["J2"].value == dt.datetime(2024, 5, 1)
    assert ws["B2"].value == dt.datetime(2024, 1, 1)
    with pytest.raises(UnsafeWriteError, match="1904-01-01"):
        write_cells(path, "Interviews", {"J4": dt.date(1903, 12, 31)})


# --------------------------------------------------------------------------- structure


def test_rows_and_cells_inserted_in_order_and_dimension(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("S")
    ws.set_row(3, 30)
    ws.write("B2", 1)
    ws.write("D2", 2)
    ws.write("B4", 3)
    ws.write("B10", 4)
    wb.close()
    attrs_before = rows_attrs(sheet_xml(path))
    write_cells(path, "S", {"C2": "c", "A2": "a", "E2": "e", "A1": 0, "A7": 7, "AA12": 12, "B4": None})
    root = etree.fromstring(sheet_xml(path))
    rows = [r.get("r") for r in root.iter(M + "row")]
    assert rows == ["1", "2", "4", "7", "10", "12"]
    row2 = next(r for r in root.iter(M + "row") if r.get("r") == "2")
    assert [c.get("r") for c in row2] == ["A2", "B2", "C2", "D2", "E2"]
    assert root.find(M + "dimension").get("ref") == "A1:AA12"
    assert rows_attrs(sheet_xml(path))["4"] == attrs_before["4"]  # row height kept
    ws2 = load(path)["S"]
    assert [c.value for c in ws2[2][:5]] == ["a", 1, "c", 2, "e"]
    assert ws2["AA12"].value == 12 and ws2["B4"].value is None


def test_empty_sheet_dimension(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    wb.add_worksheet("S")
    wb.close()
    write_cells(path, "S", {"C3": 1, "D5": 2})
    root = etree.fromstring(sheet_xml(path))
    assert root.find(M + "dimension").get("ref") == "C3:D5"
    assert load(path)["S"]["D5"].value == 2


def test_merged_array_and_shared_formula_refused(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Interviews")
    ws.merge_range("P7:Q8", "merged", None)
    ws.write_array_formula("A1:A3", "{=B1:B3*2}")
    ws.write("C1", 5)
    wb.close()
    before = path.read_bytes()
    with pytest.raises(UnsafeWriteError) as err:
        write_cells(path, "Interviews", {"C1": 1, "Q8": "x"})
    assert str(err.value) == (f"{path}: Interviews!Q8 is inside the merged range P7:Q8. Fix: unmerge those cells")
    with pytest.raises(UnsafeWriteError, match=r"Interviews!A2 is inside the array formula range A1:A3"):
        write_cells(path, "Interviews", {"A2": 1})
    with pytest.raises(UnsafeWriteError, match="merged"):
        write_cells(path, "Interviews", {"P7": None})
    assert path.read_bytes() == before
    assert no_temp_files(tmp_path, {path.name})

    # A shared formula master whose range covers other cells.
    plain = sheet_xml(path)
    xml = plain.replace(
        b'<c r="C1"><v>5</v></c>',
        b'<c r="C1"><f t="shared" ref="C1:C3" si="0">B1*2</f><v>0</v></c>',
    )
    assert xml != plain  # the master is in place
    replace_member(path, "xl/worksheets/sheet1.xml", xml)
    before = path.read_bytes()
    with pytest.raises(UnsafeWriteError, match="Interviews!C1 holds a shared formula .* C1:C3"):
        write_cells(path, "Interviews", {"C1": 1})
    assert path.read_bytes() == before


def test_data_table_refused(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    wb.add_worksheet("S").write("B2", 1)
    wb.close()
    xml = sheet_xml(path).replace(
        b'<c r="B2"><v>1</v></c>', b'<c r="B2"><f t="dataTable" ref="B2:C4" dt2D="0" dtr="0" r1="A1"/><v>1</v></c>')
    replace_member(path, "xl/worksheets/sheet1.xml", xml)
    with pytest.raises(UnsafeWriteError, match="S!C3 is inside the data table B2:C4"):
        write_cells(path, "S", {"C3": 1})


def test_protected_sheet(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("S")
    unlocked = wb.add_format({"locked": False})
    ws.set_column("E:E", 10, unlocked)
    ws.write("A1", "locked")
    ws.write("B1", "open", unlocked)
    ws.protect()
    wb.close()
    before = path.read_bytes()
    with pytest.raises(UnsafeWriteError, match="S!A1 is locked and the sheet is protected. Fix: unprotect the sheet"):
        write_cells(path, "S", {"A1": "x"})
    with pytest.raises(UnsafeWriteError, match="S!C9 is locked"):
        write_cells(path, "S", {"C9": "x"})
    assert path.read_bytes() == before
    write_cells(path, "S", {"B1": "changed", "E5": dt.date(2024, 1, 1)})
    ws2 = load(path)["S"]
    assert ws2["B1"].value == "changed" and ws2["E5"].value == dt.datetime(2024, 1, 1)
    assert ws2["E5"].protection.locked is False


# --------------------------------------------------------------------------- tables


def make_table_workbook(path: Path, **table: object) -> None:
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Jobs")
    ws.add_table("A1:C5", {"name": "Applications", "columns": [{"header": h} for h in ("Co", "Date", "Next")],
                           **table})
    ws.add_table("H1:I3", {"name": "Other"})
    wb.close()


def test_grow_table(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    make_table_workbook(path)
    before = members(path)
    write_cells(path, "Jobs", {"A6": "New Co", "B6": dt.date(2024, 1, 1), "A8": "Later"},
                grow_table=("Applications", 8))
    after = members(path)
    table = etree.fromstring(after["xl/tables/table1.xml"])
    assert table.get("ref") == "A1:C8"
    assert table.find(M + "autoFilter").get("ref") == "A1:C8"
    assert_only_changed(before, after, {"xl/worksheets/sheet1.xml", "xl/styles.xml", "xl/tables/table1.xml"})
    assert load(path)["Jobs"].tables["Applications"].ref == "A1:C8"

    # Never shrunk; case-insensitive name; the part is untouched when nothing grows.
    snapshot = members(path)["xl/tables/table1.xml"]
    write_cells(path, "Jobs", {"A2": "x"}, grow_table=("applications", 4))
    assert members(path)["xl/tables/table1.xml"] == snapshot


def test_grow_table_refusals(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    make_table_workbook(path)
    before = path.read_bytes()
    with pytest.raises(UnsafeWriteError, match="no table named 'Missing'.*'Applications'"):
        write_cells(path, "Jobs", {"A6": "x"}, grow_table=("Missing", 8))
    assert path.read_bytes() == before
    path2 = tmp_path / "totals.xlsx"
    make_table_workbook(path2, total_row=True)
    with pytest.raises(UnsafeWriteError, match="Total Row"):
        write_cells(path2, "Jobs", {"A7": "x"}, grow_table=("Applications", 9))


# --------------------------------------------------------------------------- unreadable files and locks


def test_lock_file_refused(tmp_path: Path) -> None:
    path = tmp_path / "tracker.xlsx"
    make_rich_workbook(path)
    before = path.read_bytes()
    lock = tmp_path / "~$tracker.xlsx"
    lock.write_bytes(b"owner")
    with pytest.raises(WorkbookError) as err:
        write_cells(path, "Interviews", {"E2": "x"})
    assert str(err.value) == (f"{path}: is open in Excel (owner file ~$tracker.xlsx). Fix: close it in Excel "
                              "first, or use the Refresh button inside the workbook")
    assert path.read_bytes() == before
    lock.unlink()
    long_lock = tmp_path / "~$acker.xlsx"  # Excel drops the first two characters of long names
    long_lock.write_bytes(b"owner")
    with pytest.raises(WorkbookError, match="open in Excel"):
        check_not_open(path)
    long_lock.unlink()
    check_not_open(path)


def test_lock_file_of_output_checked(tmp_path: Path) -> None:
    path = tmp_path / "tracker.xlsx"
    make_rich_workbook(path)
    out = tmp_path / "out.xlsx"
    shutil.copyfile(path, out)
    (tmp_path / "~$out.xlsx").write_bytes(b"owner")
    before = out.read_bytes()
    with pytest.raises(WorkbookError, match="open in Excel"):
        write_cells(path, "Interviews", {"E2": "x"}, output=out)
    assert out.read_bytes() == before


def test_not_a_zip(tmp_path: Path) -> None:
    path = tmp_path / "tracker.xlsx"
    path.write_text("Company,Date\nAcme,2024-01-01\n")
    with pytest.raises(WorkbookError, match="is not an Excel workbook \\(it is not a zip file\\)"):
        write_cells(path, "Sheet1", {"A1": 1})
    assert path.read_text() == "Company,Date\nAcme,2024-01-01\n"


def test_encrypted_or_xls(tmp_path: Path) -> None:
    path = tmp_path / "tracker.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504)
    with pytest.raises(WorkbookError, match="password-protected or an old .xls") as err:
        write_cells(path, "Sheet1", {"A1": 1})
    assert ".xlsx" in err.value.fix


def test_zip_that_is_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "tracker.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("readme.txt", "hello")
    before = path.read_bytes()
    with pytest.raises(WorkbookError, match="no xl/workbook.xml"):
        write_cells(path, "Sheet1", {"A1": 1})
    assert path.read_bytes() == before


def test_strict_ooxml_refused(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    make_rich_workbook(path)
    wb_xml = members(path)["xl/workbook.xml"].replace(
        b"http://schemas.openxmlformats.org/spreadsheetml/2006/main", b"http://purl.oclc.org/ooxml/spreadsheetml/main")
    replace_member(path, "xl/workbook.xml", wb_xml)
    with pytest.raises(WorkbookError, match="Strict Open XML"):
        write_cells(path, "Interviews", {"A1": 1})


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(WorkbookError, match="does not exist"):
        write_cells(tmp_path / "nope.xlsx", "S", {"A1": 1})


# --------------------------------------------------------------------------- atomicity


def test_failed_replace_leaves_original(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "tracker.xlsx"
    make_rich_workbook(path)
    before = path.read_bytes()

    def boom(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(xlsx_write.os, "replace", boom)
    with pytest.raises(WorkbookError, match="could not be written"):
        write_cells(path, "Interviews", {"E2": "x"})
    assert path.read_bytes() == before
    assert no_temp_files(tmp_path, {path.name})


def test_failure_while_writing_zip_leaves_original(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "tracker.xlsx"
    make_rich_workbook(path)
    before = path.read_bytes()
    real = xlsx_zip.write_raw
    calls = {"n": 0}

    def flaky(*args: Any) -> None:
        calls["n"] += 1
        if calls["n"] == 5:
            raise RuntimeError("simulated crash mid-write")
        real(*args)

    monkeypatch.setattr(xlsx_zip, "write_raw", flaky)
    with pytest.raises(RuntimeError, match="simulated"):
        write_cells(path, "Interviews", {"E2": "x"})
    assert path.read_bytes() == before
    assert no_temp_files(tmp_path, {path.name})


def test_failure_in_serializer_leaves_original(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "tracker.xlsx"
    make_rich_workbook(path)
    before = path.read_bytes()

    def broken(*args: object) -> bytes:
        raise MemoryError("simulated")

    monkeypatch.setattr(Member, "close", broken)
    with pytest.raises(MemoryError):
        write_cells(path, "Interviews", {"E2": "x"})
    assert path.read_bytes() == before
    assert no_temp_files(tmp_path, {path.name})


def test_serialized_sheet_keeps_declaration_and_namespaces(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    make_rich_workbook(path)
    original = sheet_xml(path)
    write_cells(path, "Interviews", {"E2": "x"})
    xml = sheet_xml(path)
    assert xml.startswith(b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>')
    old_root, new_root = etree.fromstring(original), etree.fromstring(xml)
    assert new_root.nsmap == old_root.nsmap
    for key, value in old_root.attrib.items():
        assert new_root.get(key) == value


# --------------------------------------------------------------------------- unusual but valid sheet XML

WS_OPEN = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
           '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
           'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
           'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" mc:Ignorable="x14ac" '
           'xmlns:x14ac="http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac">')


def workbook_with_sheet_xml(path: Path, xml: str) -> None:
    wb = xlsxwriter.Workbook(str(path))
    wb.add_worksheet("S").write("A1", 1)
    wb.close()
    replace_member(path, "xl/worksheets/sheet1.xml", xml.encode("utf-8"))


def cell_map(path: Path) -> dict[str, etree._Element]:
    return {c.get("r"): c for c in etree.fromstring(sheet_xml(path)).iter(M + "c")}


def test_prefixed_namespace_sheet(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    workbook_with_sheet_xml(path, (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<x:dimension ref="A1:B2"/><x:sheetData><x:row r="1"><x:c r="A1"><x:v>1</x:v></x:c></x:row>'
        '<x:row r="2"><x:c r="B2"><x:v>2</x:v></x:c></x:row></x:sheetData></x:worksheet>'))
    write_cells(path, "S", {"A2": "new", "B2": 5, "C5": dt.date(2024, 1, 1)})
    xml = sheet_xml(path)
    assert b"<x:c r=\"A2\" t=\"inlineStr\"><x:is><x:t>new</x:t></x:is></x:c>" in xml
    ws = load(path)["S"]
    assert (ws["A1"].value, ws["A2"].value, ws["B2"].value) == (1, "new", 5)
    assert ws["C5"].value == dt.datetime(2024, 1, 1)
    assert etree.fromstring(xml).find(M + "dimension").get("ref") == "A1:C5"


def test_implicit_references_self_closing_rows_and_odd_attributes(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    workbook_with_sheet_xml(path, WS_OPEN + (
        "<dimension ref='A1:D4'/><sheetData>"
        '<row r="1" spans="1:4" x14ac:dyDescent="0.25"><c r="A1"><v>1</v></c><c><v>2</v></c><c><v>3</v></c></row>'
        '<row><c r="A2"><v>4</v></c></row>'
        '<row r="3" ht="30" customHeight="1"/>'
        "<row r='4'><c s='0' r='D4' ><v>7</v></c></row>"
        "</sheetData></worksheet>"))
    write_cells(path, "S", {"B1": None, "E1": "e", "B2": "b", "A3": 3.5, "D4": dt.date(2024, 2, 2)})
    cells = cell_map(path)
    assert "B1" not in cells and cells["C1"].findtext(M + "v") == "3"  # C1 keeps its place
    root = etree.fromstring(sheet_xml(path))
    rows = {r.get("r"): r for r in root.iter(M + "row")}
    assert set(rows) == {"1", "2", "3", "4"}
    assert rows["1"].get("spans") == "1:5"
    assert rows["3"].get("ht") == "30"
    assert cells["D4"].get("s") != "0" and cells["D4"].get("s") is not None  # one s attribute, a date style
    ws = load(path)["S"]
    assert [c.value for c in ws[1]] == [1, None, 3, None, "e"]
    assert ws["B2"].value == "b" and ws["A3"].value == 3.5 and ws["D4"].value == dt.datetime(2024, 2, 2)
    assert b"x14ac:dyDescent" in sheet_xml(path) and b'mc:Ignorable="x14ac"' in sheet_xml(path)


def test_cell_ext_list_and_comments_kept(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    workbook_with_sheet_xml(path, WS_OPEN + (
        '<sheetData><!-- a comment --><row r="1"><c r="A1" s="0" cm="1"><v>1</v>'
        '<extLst><ext uri="{X}"><y>keep</y></ext></extLst></c></row></sheetData></worksheet>'))
    write_cells(path, "S", {"A1": "text", "A2": 2})
    cell = cell_map(path)["A1"]
    assert cell.get("cm") is None and cell.get("s") == "0" and cell.get("t") == "inlineStr"
    assert cell[-1].tag == M + "extLst" and b"keep" in etree.tostring(cell)
    assert load(path)["S"]["A1"].value == "text"


def test_cells_with_explicit_zero_style_and_dates(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    workbook_with_sheet_xml(path, WS_OPEN + '<sheetData><row r="1"><c r="A1" s="0"><v>1</v></c></row>'
                                            "</sheetData></worksheet>")
    write_cells(path, "S", {"A1": dt.date(2024, 3, 3)})
    xml = sheet_xml(path)
    etree.fromstring(xml)  # well-formed: no duplicate s attribute
    assert load(path)["S"]["A1"].value == dt.datetime(2024, 3, 3)


def test_rows_out_of_order_refused(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    workbook_with_sheet_xml(path, WS_OPEN + '<sheetData><row r="2"/><row r="1"/></sheetData></worksheet>')
    before = path.read_bytes()
    with pytest.raises(WorkbookError, match="out of order"):
        write_cells(path, "S", {"A1": 1})
    assert path.read_bytes() == before


def test_calc_chain_inherited_attributes(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    make_rich_workbook(path)
    chain = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<calcChain '
             'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
             '<c r="D2" i="1" s="1" l="1"/><c r="D3"/><c r="D4"/></calcChain>')
    replace_member(path, "xl/calcChain.xml", chain.encode())
    rels = members(path)["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>", b'<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/officeDocument/'
                             b'2006/relationships/calcChain" Target="calcChain.xml"/></Relationships>')
    replace_member(path, "xl/_rels/workbook.xml.rels", rels)
    write_cells(path, "Interviews", {"D2": 1})
    entries = [dict(c.attrib) for c in etree.fromstring(members(path)["xl/calcChain.xml"])]
    assert entries == [{"r": "D3", "i": "1", "s": "1", "l": "1"}, {"r": "D4"}]


# --------------------------------------------------------------------------- the zip members, copied raw

def test_untouched_members_are_copied_still_compressed(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    make_rich_workbook(path)
    before = {i.filename: (i.CRC, i.compress_size, i.compress_type) for i in zipfile.ZipFile(path).infolist()}
    with zipfile.ZipFile(path) as zf:
        sheet = [n for n in zf.namelist() if n.startswith("xl/worksheets/sheet")][0]
    write_cells(path, "Interviews", {"E2": "x"})
    with zipfile.ZipFile(path) as zf:
        assert zf.testzip() is None
        for info in zf.infolist():
            if info.filename in (sheet, "xl/styles.xml"):
                continue
            assert (info.CRC, info.compress_size, info.compress_type) == before[info.filename], info.filename


def test_stored_members_stay_stored(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    make_rich_workbook(path)
    items = members(path)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as zf:
        for n, d in items.items():
            zf.writestr(n, d)
    write_cells(path, "Interviews", {"E2": "stored", "E900": 5})
    with zipfile.ZipFile(path) as zf:
        assert zf.testzip() is None
        assert {i.compress_type for i in zf.infolist()} == {zipfile.ZIP_STORED}
    assert CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Interviews").to_python()[1][4] == "stored"


def test_damaged_untouched_member_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    make_rich_workbook(path)
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as zf:
        offset = zf.infolist()[-1].header_offset  # a member the write does not touch
    data[offset:offset + 4] = b"XXXX"  # the local header is gone
    path.write_bytes(bytes(data))
    before = path.read_bytes()
    with pytest.raises(WorkbookError, match="damaged"):
        write_cells(path, "Interviews", {"E2": "x"})
    assert path.read_bytes() == before
    assert no_temp_files(tmp_path, {path.name})


# --------------------------------------------------------------------------- sheet_table

def test_sheet_table_of_a_template_tracker(tmp_path: Path) -> None:
    from workbook_tools import contract as C
    from workbook_tools.template.workbook import build_tracker
    from workbook_tools.xlsx.tables import sheet_table

    path = tmp_path / "tracker.xlsx"
    rows = [{"Company": f"Co {i}", "Position": "Analyst", "Event Date": dt.date(2026, 6, 1)} for i in range(7)]
    build_tracker(path, interviews=rows)
    found = sheet_table(path, C.INTERVIEWS, 1)
    book = CalamineWorkbook.from_path(str(path), load_tables=True)
    table = book.get_table_by_name(C.TABLE_NAMES[C.INTERVIEWS])
    assert found == (C.TABLE_NAMES[C.INTERVIEWS], table.end[0] + 1)
    assert found[1] == 8
    assert sheet_table(path, C.INTERVIEWS.upper(), 1) == found  # sheet names match as Excel does
    assert sheet_table(path, C.INTERVIEWS, 2) is None  # no table starts on row 2
    assert sheet_table(path, "No such sheet", 1) is None


def test_sheet_table_without_tables(tmp_path: Path) -> None:
    from workbook_tools.xlsx.tables import sheet_table

    path = tmp_path / "plain.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "Interviews"
    wb.active["A1"] = "Company"
    wb.save(path)
    assert sheet_table(path, "Interviews", 1) is None
    not_a_zip = tmp_path / "x.xlsx"
    not_a_zip.write_bytes(b"not a workbook")
    assert sheet_table(not_a_zip, "Interviews", 1) is None
