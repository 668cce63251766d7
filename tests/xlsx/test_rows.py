"""The pieces of the cell writer, one at a time, on tiny sheets given as bytes: opening
the sheet, the per-sheet context, building a <c>, rewriting one, each path of the row
editor, the row's start tag, the dimension, and the parts that change with the sheet."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import pytest
import xlsxwriter

from workbook_tools.a1 import Rect
from workbook_tools.errors import UnsafeWriteError, WorkbookError
from workbook_tools.xlsx.cells import SheetCells, kept_attributes, row_style
from workbook_tools.xlsx.member import Member
from workbook_tools.xlsx.package import Package, locate_sheet
from workbook_tools.xlsx.rows import NO_NEW, RowContent, RowEditor
from workbook_tools.xlsx.sheet import (
    RowSpan,
    SheetStream,
    SheetXml,
    UnusualXml,
    head_with_dimension,
    open_sheet,
    set_dimension,
)
from workbook_tools.xlsx.styles import LazyStyles
from workbook_tools.xlsx.write import finish_package

NS = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
DECL = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
SRC = Path("t.xlsx")


def sheet_part(rows: bytes, head: bytes = b"", tail: bytes = b"", prefix: bytes = b"") -> bytes:
    """A worksheet part: ``head`` before <sheetData>, ``rows`` in it, ``tail`` after it."""
    p = prefix
    declare = b'xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"' if p else NS
    return (DECL + b"<" + p + b"worksheet " + declare + b">" + head + b"<" + p + b"sheetData>" + rows
            + b"</" + p + b"sheetData>" + tail + b"</" + p + b"worksheet>")


def no_styles() -> LazyStyles:
    """Styles of a workbook without a styles part (every cell locked, no date style)."""
    return LazyStyles(None, None)  # never read: there is no part


def styles_of(tmp_path: Path) -> LazyStyles:
    """The styles of a fresh XlsxWriter workbook (one cellXfs entry, no date style)."""
    path = tmp_path / "styles.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    wb.add_worksheet("S")
    wb.close()
    return LazyStyles(Package(path), "xl/styles.xml")


def context(rows: bytes, head: bytes = b"", tail: bytes = b"", styles: LazyStyles | None = None,
            serials: dict[dt.date, float | int | None] | None = None, prefix: bytes = b"") -> SheetCells:
    return SheetCells(SheetXml(sheet_part(rows, head, tail, prefix)), styles or no_styles(), serials or {}, SRC, "S")


def first_row(cells: SheetCells) -> RowSpan:
    return next(cells.sheet.iter_rows())


def rebuilt_rows(cells: SheetCells, writes: list[tuple[int, list[tuple[int, object, str, str]]]]) -> bytes:
    """The inside of <sheetData> after the row editor wrote ``writes``."""
    sink = Member(deflate=False)
    stream = SheetStream(cells.sheet, sink)
    editor = RowEditor(cells, stream)
    for number, targets in writes:
        editor.write_row(number, targets)
    stream.close(cells.sheet.head)
    data = sink.data()
    start = data.index(b"<sheetData>") + len(b"<sheetData>")
    return data[start:data.index(b"</sheetData>")]


def content(found: RowContent | list[bytes] | None) -> bytes:
    assert found is not None
    return b"".join(found.parts if isinstance(found, RowContent) else found)


# --------------------------------------------------------------------------- opening the sheet


def test_open_sheet_reads_a_plain_sheet_in_place() -> None:
    data = sheet_part(b'<row r="1"><c r="A1"><v>1</v></c></row>')
    sheet = open_sheet(data, SRC, "S")
    assert sheet.body is data  # read in place, not copied
    assert sheet.body[sheet.body_start:sheet.body_end] == b'<row r="1"><c r="A1"><v>1</v></c></row>'
    assert sheet.head.endswith(b"<sheetData>") and sheet.tail == b"</sheetData></worksheet>"


def test_open_sheet_drops_comments_among_the_rows_through_lxml() -> None:
    data = sheet_part(b'<row r="1"><!-- note --><c r="A1"><v>1</v></c></row><?pi x?>')
    with pytest.raises(UnusualXml, match="comments"):
        SheetXml(data)
    sheet = open_sheet(data, SRC, "S")
    assert sheet.body[sheet.body_start:sheet.body_end] == b'<row r="1"><c r="A1"><v>1</v></c></row>'


def test_open_sheet_refuses_what_it_cannot_edit() -> None:
    with pytest.raises(WorkbookError, match=r"sheet 'S' has XML that cannot be edited safely \(no <sheetData>"):
        open_sheet(DECL + b"<worksheet " + NS + b"/>", SRC, "S")


# --------------------------------------------------------------------------- the per-sheet context


def test_context_uses_the_sheets_prefix_and_sees_protection() -> None:
    cells = context(b"", tail=b'<x:sheetProtection sheet="1"/>', prefix=b"x:")
    assert (cells.cell_open, cells.cell_close, cells.row_open) == ('<x:c r="', "</x:c>", "<x:row")
    assert cells.protected
    assert not context(b"", tail=b'<sheetProtection sheet="0"/>').protected


def test_styles_are_read_only_when_a_cell_needs_them(tmp_path: Path) -> None:
    styles = styles_of(tmp_path)
    cells = context(b"", styles=styles, serials={dt.date(2024, 5, 17): 45429})
    cells.render("A1", "text", 0, False, "", "")
    assert styles.loaded is None
    cells.render("A1", dt.date(2024, 5, 17), 0, False, "", "")
    assert styles.loaded is not None


def test_a_protected_sheet_refuses_a_locked_cell() -> None:
    cells = context(b"", tail=b'<sheetProtection sheet="1"/>')  # no styles: every cell is locked
    with pytest.raises(UnsafeWriteError, match=r"S!B2 is locked and the sheet is protected"):
        cells.check_locked("B2", 0)


# --------------------------------------------------------------------------- one <c>


@pytest.mark.parametrize("value, expected", [
    ("plain", b'<c r="B2" t="inlineStr"><is><t>plain</t></is></c>'),
    (" padded", b'<c r="B2" t="inlineStr"><is><t xml:space="preserve"> padded</t></is></c>'),
    ("a&b<c>\r", b'<c r="B2" t="inlineStr"><is><t xml:space="preserve">a&amp;b&lt;c&gt;&#13;</t></is></c>'),
    ("=A1", b'<c r="B2" t="inlineStr"><is><t>=A1</t></is></c>'),
    (True, b'<c r="B2" t="b"><v>1</v></c>'),
    (12, b'<c r="B2"><v>12</v></c>'),
    (0.1, b'<c r="B2"><v>0.1</v></c>'),
])
def test_render_builds_one_cell(value: object, expected: bytes) -> None:
    assert context(b"").render("B2", value, 0, False, "", "").encode() == expected


def test_render_keeps_style_attributes_and_extlst() -> None:
    out = context(b"").render("B2", 5, 0, True, ' ph="1"', "<extLst/>")
    assert out == '<c r="B2" ph="1" s="0"><v>5</v><extLst/></c>'


def test_render_gives_a_date_a_date_style(tmp_path: Path) -> None:
    day, moment = dt.date(2024, 5, 17), dt.datetime(2024, 5, 17, 12)
    cells = context(b"", styles=styles_of(tmp_path), serials={day: 45429, moment: 45429.5})
    assert cells.render("A1", day, 0, False, "", "") == '<c r="A1" s="1"><v>45429</v></c>'
    assert cells.render("A2", moment, 0, False, "", "") == '<c r="A2" s="2"><v>45429.5</v></c>'
    assert cells.render("A3", day, 1, False, "", "") == '<c r="A3" s="1"><v>45429</v></c>'  # already a date style


def test_a_date_in_a_workbook_without_styles_is_refused() -> None:
    cells = context(b"", serials={dt.date(2024, 5, 17): 45429})
    with pytest.raises(WorkbookError, match=r"has no cell styles .* in S!A1"):
        cells.render("A1", dt.date(2024, 5, 17), 0, False, "", "")


# --------------------------------------------------------------------------- a new cell


def test_a_new_cell_takes_its_rows_style_else_its_columns() -> None:
    cells = context(b"", head=b'<cols><col min="2" max="3" style="7"/></cols>')
    assert cells.new_cell(2, 1, "B9", None) == '<c r="B9" s="7"><v>1</v></c>'
    assert cells.new_cell(4, 1, "D9", None) == '<c r="D9"><v>1</v></c>'
    assert cells.new_cell(2, 1, "B9", 4) == '<c r="B9" s="4"><v>1</v></c>'
    assert cells.column_styles == {2: 7, 4: 0}  # each column looked up once
    assert cells.new_cells([(2, "x", "B9"), (4, 2, "D9")], None) == (
        '<c r="B9" s="7" t="inlineStr"><is><t>x</t></is></c><c r="D9"><v>2</v></c>')


def test_row_style_is_the_style_of_a_custom_format_row() -> None:
    assert row_style(b' r="3" s="4" customFormat="1"') == 4
    assert row_style(b' r="3" s="4"') is None
    assert row_style(b' r="3" customFormat="true"') is None
    assert row_style(None) is None


# --------------------------------------------------------------------------- rewriting a cell


def test_kept_attributes_drop_what_describes_the_old_value() -> None:
    assert kept_attributes(b' r="B2" s="3" t="s"') == (3, True, "")
    assert kept_attributes(b' r="B2"') == (0, False, "")
    assert kept_attributes(b' r="B2" t="n" cm="1" vm="2" ph="1" s=\'5\'') == (5, True, ' ph="1"')


OLD = (b'<row r="2"><c r="B2" s="3" t="n" cm="1" vm="2" ph="1"><f>A2</f><v>1</v>'
       b'<extLst><ext uri="x"/></extLst></c></row>')


def test_rewrite_keeps_attributes_and_extlst_and_notes_the_formula() -> None:
    cells = context(OLD)
    start = cells.sheet.body.index(b"<c ")
    end, piece = cells.rewrite_at("B2", "t", start, len(cells.sheet.body))
    assert cells.sheet.body[:end].endswith(b"</extLst></c>") and cells.sheet.body[end:].startswith(b"</row>")
    assert piece == b'<c r="B2" ph="1" s="3" t="inlineStr"><is><t>t</t></is><extLst><ext uri="x"/></extLst></c>'
    assert cells.removed_formulas == {"B2"}


def test_rewrite_to_blank_keeps_style_and_extlst_or_removes_the_cell() -> None:
    cells = context(OLD + b'<row r="3"><c r="B3"><v>1</v></c><c r="C3" s="2"><v>1</v></c></row>')
    body = cells.sheet.body
    blank = [cells.rewrite_at(ref, None, body.index(b'<c r="' + ref.encode()), len(body))[1]
             for ref in ("B2", "B3", "C3")]
    assert blank == [b'<c r="B2" ph="1" s="3"><extLst><ext uri="x"/></extLst></c>', b"", b'<c r="C3" s="2"/>']


# --------------------------------------------------------------------------- the row editor's paths


def test_a_row_that_does_not_exist_yet_is_inserted_in_order() -> None:
    cells = context(b'<row r="1"><c r="A1"><v>1</v></c></row><row r="5"><c r="A5"><v>5</v></c></row>',
                    head=b'<cols><col min="4" max="4" style="2"/></cols>')
    out = rebuilt_rows(cells, [(3, [(2, "hi", "B3", "B3"), (3, None, "C3", "C3"), (4, 7, "D3", "D3")]),
                               (4, [(1, None, "A4", "A4")]),  # nothing to write: no row
                               (9, [(1, 9, "A9", "A9")])])
    assert out == (b'<row r="1"><c r="A1"><v>1</v></c></row>'
                   b'<row r="3"><c r="B3" t="inlineStr"><is><t>hi</t></is></c><c r="D3" s="2"><v>7</v></c></row>'
                   b'<row r="5"><c r="A5"><v>5</v></c></row><row r="9"><c r="A9"><v>9</v></c></row>')


def test_append_puts_every_cell_after_the_last() -> None:
    cells = context(b'<row r="2" spans="1:2" s="4" customFormat="1"><c r="A2" s="1"><v>1</v></c>'
                    b'<c r="B2"><v>2</v></c></row>')
    targets = [(3, "x", "C2", "C2"), (5, 2.5, "E2", "E2"), (6, None, "F2", "F2")]
    found = RowEditor(cells, SheetStream(cells.sheet, Member(False))).append_cells(first_row(cells), targets)
    assert content(found) == (b'<c r="A2" s="1"><v>1</v></c><c r="B2"><v>2</v></c>'
                              b'<c r="C2" s="4" t="inlineStr"><is><t>x</t></is></c><c r="E2" s="4"><v>2.5</v></c>')
    assert (found.first_new, found.last_new) == (3, 5)
    assert rebuilt_rows(context(cells.sheet.body[cells.sheet.body_start:cells.sheet.body_end]), [(2, targets)]) == (
        b'<row r="2" spans="1:5" s="4" customFormat="1">' + content(found) + b"</row>")


IN_PLACE = (b'<row r="3"><c r="A3" s="2" t="s"><v>0</v></c><c r="B3"><f>A3*2</f><v>4</v></c>'
            b'<c r="C3" s="1"><v>9</v></c></row>')


def test_in_place_replaces_each_existing_cell_where_it_is() -> None:
    cells = context(IN_PLACE)
    editor = RowEditor(cells, SheetStream(cells.sheet, Member(False)))
    targets = [(1, "new", "A3", "A3"), (2, 5, "B3", "B3"), (3, None, "C3", "C3"), (4, None, "D3", "D3")]
    found = editor.rewrite_in_place(first_row(cells), targets)
    assert content(found) == (b'<c r="A3" s="2" t="inlineStr"><is><t>new</t></is></c><c r="B3"><v>5</v></c>'
                              b'<c r="C3" s="1"/>')
    assert cells.removed_formulas == {"B3"}
    assert rebuilt_rows(context(IN_PLACE), [(3, targets)]) == b'<row r="3">' + content(found) + b"</row>"


def test_in_place_declines_a_missing_cell_or_a_blank_among_implicit_columns() -> None:
    cells = context(IN_PLACE + b'<row r="4"><c r="A4"><v>1</v></c><c><v>2</v></c></row>')
    editor = RowEditor(cells, SheetStream(cells.sheet, Member(False)))
    row3, row4 = list(cells.sheet.iter_rows())
    assert editor.rewrite_in_place(row3, [(4, 1, "D3", "D3")]) is None
    assert editor.rewrite_in_place(row4, [(1, None, "A4", "A4")]) is None
    assert editor.rewrite_in_place(row4, [(1, 3, "A4", "A4")]) is not None


def test_the_general_path_inserts_between_cells_and_gives_implicit_cells_an_r() -> None:
    rows = b'<row r="4"><c r="A4"><v>1</v></c><c><v>2</v></c><c r="D4"><v>4</v></c></row>'
    cells = context(rows)
    editor = RowEditor(cells, SheetStream(cells.sheet, Member(False)))
    found = editor.insert_cells(first_row(cells), [(3, "c", "C4", "C4"), (4, 8, "D4", "D4")])
    assert content(found) == (b'<c r="A4"><v>1</v></c><c r="B4"><v>2</v></c>'
                              b'<c r="C4" t="inlineStr"><is><t>c</t></is></c><c r="D4"><v>8</v></c>')
    assert (found.first_new, found.last_new) == (3, 3)


def test_the_general_path_appends_before_the_rows_extlst() -> None:
    rows = b'<row r="4"><c r="A4"><v>1</v></c><extLst><ext uri="r"/></extLst></row>'
    assert rebuilt_rows(context(rows), [(4, [(2, 1, "B4", "B4")])]) == (
        b'<row r="4"><c r="A4"><v>1</v></c><c r="B4"><v>1</v></c><extLst><ext uri="r"/></extLst></row>')


@pytest.mark.parametrize("rows, first_new, last_new, head, tail", [
    (b'<row  r="2"  ht="15"><c r="A2"/></row>', *NO_NEW, b'<row  r="2"  ht="15">', b"</row>"),  # unchanged
    (b'<row spans="1:1"><c r="A1"/></row>', *NO_NEW, b'<row r="1" spans="1:1">', b"</row>"),  # r added
    (b'<row r="1" spans="2:3"><c r="B1"/></row>', 1, 5, b'<row r="1" spans="1:5">', b"</row>"),  # spans widened
    (b'<row r="1" spans="1:9"><c r="B1"/></row>', 2, 5, b'<row r="1" spans="1:9">', b"</row>"),  # wide enough
    (b'<row r="1" spans="2:3" />', 4, 4, b'<row r="1" spans="2:4">', b"</row>"),  # self-closing opened
])
def test_row_tags(rows: bytes, first_new: int, last_new: int, head: bytes, tail: bytes) -> None:
    cells = context(rows)
    editor = RowEditor(cells, SheetStream(cells.sheet, Member(False)))
    assert editor.row_tags(first_row(cells), first_new, last_new) == (head, tail)


# --------------------------------------------------------------------------- the dimension


def test_the_dimension_grows_to_cover_the_cells_written() -> None:
    sheet = SheetXml(sheet_part(b'<row r="1"><c r="A1"/></row>', head=b'<dimension ref="A1:B2"/>'))
    assert head_with_dimension(sheet, None) is sheet.head
    assert head_with_dimension(sheet, Rect(1, 1, 2, 2)) is sheet.head  # inside already
    assert head_with_dimension(sheet, Rect(3, 1, 5, 4)).endswith(b'<dimension ref="A1:D5"/><sheetData>')
    empty = SheetXml(sheet_part(b"", head=b'<dimension ref="A1"/>'))
    assert head_with_dimension(empty, Rect(2, 2, 3, 3)).endswith(b'<dimension ref="B2:C3"/><sheetData>')


def test_set_dimension_changes_only_the_ref() -> None:
    sheet = SheetXml(sheet_part(b"", head=b"<dimension  ref='A1' x=\"1\"/>"))
    assert set_dimension(sheet, "A1:C9").endswith(b"<dimension  ref='A1:C9' x=\"1\"/><sheetData>")
    bare = SheetXml(sheet_part(b""))
    assert set_dimension(bare, "A1:C9") is bare.head


# --------------------------------------------------------------------------- the parts that change with the sheet


def tabled_workbook(path: Path) -> Package:
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("S")
    ws.add_table("A1:B3", {"name": "Things", "columns": [{"header": "A"}, {"header": "B"}]})
    wb.close()
    return Package(path)


def test_finish_changes_nothing_when_nothing_asks_for_it(tmp_path: Path) -> None:
    pkg = tabled_workbook(tmp_path / "t.xlsx")
    location = locate_sheet(pkg, pkg.path, "S")
    finish_package(pkg, pkg.path, location, LazyStyles(pkg, location.styles_part), {"A2"}, None)  # no calc chain
    assert pkg.changed == {} and pkg.removed == set()


def test_finish_writes_the_styles_and_grows_the_table(tmp_path: Path) -> None:
    pkg = tabled_workbook(tmp_path / "t.xlsx")
    location = locate_sheet(pkg, pkg.path, "S")
    styles = LazyStyles(pkg, location.styles_part)
    styles.get().date_style(0, 14)
    finish_package(pkg, pkg.path, location, styles, set(), ("Things", 9))
    assert set(pkg.changed) == {"xl/styles.xml", "xl/tables/table1.xml"}
    assert b'ref="A1:B9"' in pkg.changed["xl/tables/table1.xml"]
    assert b'<cellXfs count="2">' in pkg.changed["xl/styles.xml"]
    with zipfile.ZipFile(pkg.path) as zf:
        assert zf.read("xl/tables/table1.xml") != pkg.changed["xl/tables/table1.xml"]
