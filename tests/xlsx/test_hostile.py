"""Hostile packages on the read side (issue 13, part B): a value at the last address of
a sheet, zip bombs and zip directories that lie about sizes, two parts of one name, a
source whose <dimension> is too small, a sheet whose first row is malformed. Each is
refused with a message naming the file (and the part or cell) and the fix, exit 1, the
file left byte for byte as it was; never an abort, a traceback or a stray warning."""

from __future__ import annotations

import re
import subprocess
import sys
import warnings
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.support.hostile_zip import (
    INTERVIEWS_PART,
    lying_about_size,
    rewrite,
    with_duplicate,
    with_rows,
    with_sheet,
)
from tests.support.trackers import small_tracker
from tests.support.xlsx_parts import members
from workbook_tools.cli import main
from workbook_tools.errors import ProblemsError, WorkbookError
from workbook_tools.xlsx import limits
from workbook_tools.xlsx.limits import Cell, check_sheet_extent, farthest_cell, scan_cells, tag_windows
from workbook_tools.xlsx.write import write_cells

TODAY = "2013-09-30"
ROOT = Path(__file__).resolve().parents[2]
COMMANDS = [("check",), ("refresh",), ("refresh", "--dry-run"), ("agenda",)]
REPAIR = "Fix: open it in Excel, let Excel repair it, and save it again"
HOSTILE_FIX = "Fix: do not open it; if it should be a tracker, save it again from Excel"


@pytest.fixture(scope="module")
def tracker_bytes(tmp_path_factory) -> bytes:
    return small_tracker(tmp_path_factory.mktemp("t") / "t.xlsx").read_bytes()


@pytest.fixture
def tracker(tmp_path, tracker_bytes) -> Path:
    path = tmp_path / "t.xlsx"
    path.write_bytes(tracker_bytes)
    return path


def run_child(*args: str) -> subprocess.CompletedProcess[str]:
    """The command line in a process of its own: an abort (exit 134) cannot take pytest down."""
    return subprocess.run([sys.executable, "-m", "workbook_tools", *args], capture_output=True, text=True,
                          cwd=ROOT, timeout=120)


def run(*args: str):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert not caught, [str(w.message) for w in caught]
    assert "Traceback" not in result.output and "Warning" not in result.output
    return result


# -- (1) a value far outside the table

FAR_CELLS = [
    # (the row XML added to Interviews, the cell named) -- source: issue 13
    (b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t></t></is></c></row>', "XFD1048576"),
    (b'<row r="1048576"><c r="XFD1048576" t="s"><v>0</v></c></row>', "XFD1048576"),
    (b'<row r="1048576"><c r="A1048576"><v>1</v></c></row>', "A1048576"),
    (b'<row r="300000"><c s="1" r="ZZ300000"><v>1</v></c></row>', "ZZ300000"),
    # spellings a reader still places far away -- source: an independent review of issue 13
    (b'<row r="1048576"><c r="XFD0001048576"><v>1</v></c></row>', "XFD1048576"),  # leading zeros
    (b'<row r="1048576">' + b"<c/>" * 16000 + b'<c><v>1</v></c></row>', "WQK1048576"),  # implied: column 16,001
]


@pytest.mark.parametrize("command", [("check",), ("refresh",)])
@pytest.mark.parametrize("row, cell", FAR_CELLS)
def test_a_value_far_outside_the_table_is_a_problem_naming_its_cell(tracker, command, row, cell):
    with_rows(tracker, row)
    before = tracker.read_bytes()
    result = run_child(*command, str(tracker), "--today", TODAY)
    assert result.returncode == 1, result.stderr
    assert (f"{tracker}: Interviews!{cell}: holds a value far outside the table. "
            "Fix: delete it, then save the workbook") in result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert tracker.read_bytes() == before


@pytest.mark.parametrize("row", [
    b'<row r="1048576"><c r="XFD1048576" s="1"/></row>',  # formatted, no value: the reader skips it
    b'<row r="1048576" s="1" customFormat="1"/>',  # a formatted row without cells
    b'<row r="3"><c r="XFD3"><v>1</v></c></row>',  # far right, but 3 rows x 16,384 columns is small
    b'<row r="100000"><c r="AN100000"><v>1</v></c></row>',  # a real tracker's size: 100,000 x 40
])
def test_a_far_cell_without_a_value_or_a_grid_of_a_real_trackers_size_is_read(tracker, row):
    with_rows(tracker, row)
    result = run_child("check", str(tracker), "--today", TODAY)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"{tracker}: no problems (1 row)" in result.stdout


def _sheet(*cells: bytes) -> bytes:
    return (b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            + b"".join(cells) + b"</sheetData></worksheet>")


@pytest.mark.parametrize("xml, farthest", [
    (_sheet(b'<row r="1"><c r="A1"><v>1</v></c></row>', b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'),
     Cell(1048576, 16384)),
    # the far cell comes first, in row 1: the rows below are the table
    (_sheet(b'<row r="1"><c r="A1"><v>1</v></c><c r="XFD1"><v>1</v></c></row>',
            b'<row r="2000"><c r="B2000"><v>1</v></c></row>'), Cell(1, 16384)),
    # a prefix, r not first, single quotes
    (_sheet(b"<x:row><x:c t='n' r='$A$1'><x:v>1</x:v></x:c><x:c r='XFD900000'><x:v>2</x:v></x:c></x:row>"),
     Cell(900000, 16384)),
    (_sheet(b'<row r="1"><c r="A1"><v>1</v></c></row>', b'<row r="100000"><c r="AN100000"><v>1</v></c></row>'),
     None),
    (_sheet(b'<row r="1"><c r="A1"><v>1</v></c></row>', b'<row r="1048576"><c r="XFD1048576"/></row>'), None),
    (_sheet(), None),
])
def test_the_farthest_cell_is_the_one_whose_removal_shrinks_the_grid_most(xml, farthest):
    assert farthest_cell([xml]) == farthest
    assert farthest_cell([xml[i:i + 7] for i in range(0, len(xml), 7)]) == farthest  # tags split across chunks


@pytest.mark.parametrize("size", [1, 3, 7, 64, 1 << 20])
def test_chunks_are_cut_between_tags(size):
    xml = _sheet(b'<row r="1"><c r="A1"><v>1</v></c><c r="XFD7"><v>2</v></c></row>')
    windows = list(tag_windows(xml[i:i + size] for i in range(0, len(xml), size)))
    assert b"".join(windows) == xml
    assert scan_cells([xml[i:i + size] for i in range(0, len(xml), size)]).extent() == (1, 1, 7, 16384)


def test_check_sheet_extent_reads_the_member_in_bounded_chunks(tmp_path):
    xml = _sheet(b'<row r="1"><c r="A1"><v>1</v></c></row>', b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>')
    path = tmp_path / "far.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/worksheets/sheet1.xml", xml)
    with zipfile.ZipFile(path) as zf, path.open("rb") as fh:
        with pytest.raises(ProblemsError) as raised:
            check_sheet_extent(path, "Data", fh, zf.getinfo("xl/worksheets/sheet1.xml"))
    assert str(raised.value) == (f"{path}: Data!XFD1048576: holds a value far outside the table. "
                                 "Fix: delete it, then save the workbook")


# -- (2) zip bombs and sizes that lie

def _pad_sheet(data: bytes) -> bytes:
    return data.replace(b"</sheetData>", b" " * (16 << 20) + b"</sheetData>")


@pytest.mark.parametrize("command", COMMANDS)
def test_a_zip_bomb_is_refused_before_it_is_inflated(tracker, command):
    with_sheet(tracker, _pad_sheet)
    before = tracker.read_bytes()
    result = run(*command, str(tracker), "--today", TODAY)
    assert result.exit_code == 1
    ratio = re.search(r"inflates (\d+) times", result.output)
    assert ratio and int(ratio.group(1)) > 500, result.output
    assert (f"{tracker}: is damaged or hostile: part {INTERVIEWS_PART} inflates {ratio.group(1)} times (a zip bomb; "
            f"a workbook part inflates at most 500 times). {HOSTILE_FIX}") in result.output
    assert tracker.read_bytes() == before


@pytest.mark.parametrize("command", COMMANDS)
def test_a_part_bigger_than_a_tracker_ever_is_refused_by_its_size(tracker, command):
    lying_about_size(tracker, "xl/sharedStrings.xml", 0, 600 << 20)
    before = tracker.read_bytes()
    result = run(*command, str(tracker), "--today", TODAY)
    assert result.exit_code == 1
    assert (f"{tracker}: is too big to be a tracker: part xl/sharedStrings.xml holds 600 MB uncompressed "
            "(at most 512 MB). Fix: open it in Excel and save it again; if it is not a tracker, name the right file"
            ) in result.output
    assert tracker.read_bytes() == before


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("part", ["xl/sharedStrings.xml", INTERVIEWS_PART])
def test_a_part_that_inflates_beyond_its_zip_directory_is_refused(tracker, command, part):
    lying_about_size(tracker, part, 10 << 20, 1000)
    before = tracker.read_bytes()
    result = run(*command, str(tracker), "--today", TODAY)
    assert result.exit_code == 1
    assert (f"{tracker}: is damaged or hostile: part {part} inflates beyond the 1000 bytes its zip directory "
            f"gives. {HOSTILE_FIX}") in result.output
    assert tracker.read_bytes() == before


# -- (3) two parts of one name

@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("part", [INTERVIEWS_PART, "xl/sharedStrings.xml", "docProps/app.xml"])
def test_two_parts_of_one_name_are_refused_without_a_warning(tracker, command, part):
    with_duplicate(tracker, part)
    before = tracker.read_bytes()
    result = run(*command, str(tracker), "--today", TODAY)
    assert result.exit_code == 1
    assert f"{tracker}: is damaged: two parts named {part}. {REPAIR}" in result.output
    assert tracker.read_bytes() == before


def test_write_cells_refuses_two_parts_of_one_name(tracker):
    with_duplicate(tracker, "docProps/app.xml")
    before = tracker.read_bytes()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(WorkbookError) as raised:
            write_cells(tracker, "Interviews", {"A5": "x"})
    assert str(raised.value) == f"{tracker}: is damaged: two parts named docProps/app.xml. {REPAIR}"
    assert tracker.read_bytes() == before


# -- (4) the dimension after a write covers every cell

@pytest.mark.parametrize("source_dimension, cells, after", [
    ("A1:B1", {"A5": "x"}, "A1:W5"),  # too small a source dimension is corrected
    ("C2", {"B2": 1}, "A1:W2"),
    ("B1:B1", {"Z2": 1}, "A1:Z2"),
    ("A1:AZ99", {"A5": "x"}, "A1:AZ99"),  # never shrunk
    ("A1:W2", {"B2": "y"}, "A1:W2"),
])
def test_the_dimension_after_a_write_covers_every_cell(tracker, source_dimension, cells, after):
    with_sheet(tracker, lambda xml: re.sub(rb'<dimension ref="[^"]*"/>',
                                           f'<dimension ref="{source_dimension}"/>'.encode(), xml))
    write_cells(tracker, "Interviews", cells)
    found = re.search(rb'<dimension ref="([^"]*)"/>', members(tracker)[INTERVIEWS_PART])
    assert found and found.group(1).decode() == after


# -- (5) a malformed first row

@pytest.mark.parametrize("transform, why", [
    (lambda xml: xml.replace(b'<row r="1"', b'<row r="0"', 1), "rows out of order (row 0 after row 0)"),
    (lambda xml: xml[:xml.index(b"<row ")] + b'<row r="1">' + xml[xml.index(b"</sheetData>"):],
     "a <row> is not closed"),
])
def test_a_malformed_first_row_is_a_damaged_sheet(tracker, transform, why):
    with_sheet(tracker, transform)
    before = tracker.read_bytes()
    with pytest.raises(WorkbookError) as raised:
        write_cells(tracker, "Interviews", {"A5": "x"})
    assert str(raised.value) == f"{tracker}: is damaged: sheet 'Interviews' has {why}. {REPAIR}"
    assert tracker.read_bytes() == before



@pytest.mark.parametrize("rows", [
    b'<row r="99999999"><c t="inlineStr"><is><t>x</t></is></c></row>',  # a row past the sheet, no cell r
    b'<row r="5"><c r="A1000000000"><v>1</v></c></row>',  # a row number of ten digits
    b'<row r="5"><c r="ZZZZZ5"><v>1</v></c></row>',  # five column letters
])
def test_a_far_cell_the_sheet_cannot_even_name_is_refused(tracker, rows):
    with_rows(tracker, rows)
    before = tracker.read_bytes()
    result = run_child("check", str(tracker), "--today", TODAY)
    assert result.returncode == 1, result.stderr
    assert "holds a value far outside the table. Fix: delete it, then save the workbook" in result.stderr
    assert tracker.read_bytes() == before


def test_parts_named_alike_but_for_case_or_slash_are_two_parts_of_one_name(tracker):
    items = members(tracker)
    items["xl/worksheets/Sheet1.xml"] = items["xl/worksheets/sheet1.xml"]
    rewrite(tracker, items)
    before = tracker.read_bytes()
    result = run("refresh", str(tracker), "--today", TODAY)
    assert result.exit_code == 1
    assert f"{tracker}: is damaged: two parts named xl/worksheets/Sheet1.xml. {REPAIR}" in result.output
    assert tracker.read_bytes() == before


def test_a_dense_sheet_is_not_a_far_cell(monkeypatch):
    """800 rows of seven columns with the bound at 5,000 cells stand for 800,000 calls with
    the real bound: a sheet that fills its grid is read, one far cell is not."""
    monkeypatch.setattr(limits, "SHEET_GRID_CELLS", limits.Bound(5_000, "test"))
    letters = (b"A", b"B", b"C", b"D", b"E", b"F", b"G")
    dense = b"".join(b'<row r="%d">' % n + b"".join(b'<c r="%s%d"><v>1</v></c>' % (c, n) for c in letters)
                     + b"</row>" for n in range(1, 801))
    assert farthest_cell([dense]) is None
    assert farthest_cell([dense + b'<row r="5000"><c r="A5000"><v>1</v></c></row>']) == Cell(5000, 1)


@pytest.mark.parametrize("xml, plain", [
    (b'<row r="1"><c r="A1"><v>1</v></c><c r="B1" s="2"/></row>', True),  # as Excel writes it
    (b'<row r="1"><c\nr="XFD1048576"><v>1</v></c></row>', False),  # a line break before r
    (b'<row r="1"><x:c r="XFD1048576"><v>1</v></x:c></row>', False),  # a prefix
    (b'<row r="1"><c s="1" r="A1"><v>1</v></c></row>', False),  # r not first
    (b'<row><c><v>1</v></c></row>', False),  # places implied
    (b'<row r="1"><c r="A01"><v>1</v></c></row>', False),  # a leading zero
    (b'<row r="1"><c r="A1"><v>1</v></c></row><row r="1048576"><c r="XFD1048576"><v>1</v></c></row>', False),
])
def test_only_plainly_small_sheets_skip_the_close_look(xml, plain):
    assert limits.plainly_small([xml]) is plain  # False: "look closer", and scan_cells decides
