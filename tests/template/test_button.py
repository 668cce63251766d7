"""The Refresh button covers no header text: measured from the file as Excel lays it out
(the button's VML anchor in pixels, the header row's height, the header cells' vertical
alignment and font size)."""

from __future__ import annotations

import importlib.util
import math
import re
import zipfile

import pytest
from lxml import etree

from tests.support.xlsx_parts import RID, M
from workbook_tools import contract as C
from workbook_tools.template import runner as tm
from workbook_tools.template import vba

pytestmark = pytest.mark.skipif(importlib.util.find_spec("xlwings") is None, reason="xlwings is not installed")
PX_PER_PT = 96 / 72
#: A line of text is about 1.25 times its font size high (Calibri's ascent plus descent),
#: and Excel keeps about 2 pixels between the text and the cell's bottom edge.
LINE_SPACING, CELL_PADDING_PX = 1.25, 2


def button_anchors(parts: dict[str, bytes], sheet_part: str) -> list[list[int]]:
    """The <x:Anchor> of each button on a sheet: LeftColumn, LeftOffset, TopRow, TopOffset,
    RightColumn, RightOffset, BottomRow, BottomOffset (offsets in pixels)."""
    rels = etree.fromstring(parts[sheet_part.replace("worksheets/", "worksheets/_rels/") + ".rels"])
    anchors = []
    for rel in rels:
        if rel.get("Type", "").endswith("/vmlDrawing"):
            vml = parts["xl/drawings/" + rel.get("Target").rsplit("/", 1)[1]].decode()
            anchors += [[int(v) for v in a.split(",")] for a in re.findall(r"<x:Anchor>([^<]+)</x:Anchor>", vml)]
    return anchors


def header_cell_layout(parts: dict[str, bytes], sheet_xml: etree._Element, ref: str) -> tuple[str, float, bool]:
    """(vertical alignment, font size in points, wraps) of cell ``ref`` of row 1."""
    styles = etree.fromstring(parts["xl/styles.xml"])
    cell = sheet_xml.find(f"{M}sheetData/{M}row/{M}c[@r='{ref}']")
    xf = styles.find(f"{M}cellXfs")[int(cell.get("s", "0"))]
    alignment = xf.find(f"{M}alignment")
    font = styles.find(f"{M}fonts")[int(xf.get("fontId", "0"))]
    size = font.find(f"{M}sz")
    return ((alignment.get("vertical", "bottom") if alignment is not None else "bottom"),
            float(size.get("val")) if size is not None else 11.0,
            alignment is not None and alignment.get("wrapText") in ("1", "true"))


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@pytest.mark.parametrize("sheet", vba.BUTTON_SHEETS)
def test_the_refresh_button_covers_no_header_text(tmp_path, sheet):
    workbook, _ = tm.new_macro_tracker(tmp_path / "tracker.xlsm")
    with zipfile.ZipFile(workbook) as zf:
        parts = {name: zf.read(name) for name in zf.namelist()}
    book = etree.fromstring(parts["xl/workbook.xml"])
    rel_id = book.find(f"{M}sheets/{M}sheet[@name='{sheet}']").get(RID)
    rels = etree.fromstring(parts["xl/_rels/workbook.xml.rels"])
    sheet_part = "xl/" + next(r.get("Target") for r in rels if r.get("Id") == rel_id)
    sheet_xml = etree.fromstring(parts[sheet_part])
    (anchor,) = button_anchors(parts, sheet_part)
    left_col, _, top_row, _, right_col, _, bottom_row, bottom_px = anchor
    assert top_row == bottom_row == 0, "the button sits in the header row"
    header_row = sheet_xml.find(f"{M}sheetData/{M}row[@r='1']")
    row_px = float(header_row.get("ht")) * PX_PER_PT
    for col in range(left_col, right_col + 1):
        ref = f"{column_letter(col)}1"
        header = C.HEADERS[sheet][col]
        vertical, size_pt, wraps = header_cell_layout(parts, sheet_xml, ref)
        assert vertical == "bottom" and not wraps, (ref, header)
        text_top_px = row_px - CELL_PADDING_PX - math.ceil(size_pt * LINE_SPACING * PX_PER_PT)
        assert bottom_px + CELL_PADDING_PX <= text_top_px, (ref, header, bottom_px, text_top_px)
