"""Workbook-level names holding a text constant: read, and added where missing with the
rest of the workbook part kept (`workbook_tools.xlsx.names`)."""

from __future__ import annotations

import zipfile

import openpyxl
import pytest
from lxml import etree

from tests.support.xlsx_parts import M, defined_names, members, without_name
from workbook_tools.xlsx.names import constant_formula, text_constant, with_name_added
from workbook_tools.xlsx.write import write_names

HEAD = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">')
SHEETS = '<sheets><sheet name="Interviews" sheetId="1" r:id="rId1"/></sheets>'


@pytest.mark.parametrize("formula, text", [
    ('"abc"', "abc"), ('="abc"', "abc"), (' = "abc" ', "abc"), ('"a ""b"" c"', 'a "b" c'), ('""', ""),
    ('"abc', None), ('abc"', None), ('"a"b"', None), ('"a" & "b"', None), ("Interviews!$A$1", None),
    ("42", None), ("", None), (None, None), (42, None), ('"' + "x" * 300 + '"', None),
])
def test_text_constant(formula, text):
    assert text_constant(formula) == text


@pytest.mark.parametrize("text", ["tracker.xlsx", 'my "best" tracker', "", "\u00e9t\u00e9 2026", "a<b>&c"])
def test_a_constant_reads_back(text):
    assert text_constant(constant_formula(text)) == text


def names_of(xml: bytes) -> list[tuple[str | None, str]]:
    return [(el.get("name"), el.text or "") for el in etree.fromstring(xml).iter(M + "definedName")]


def test_a_workbook_without_names_gets_the_element_where_the_schema_puts_it():
    xml = (HEAD + '<workbookPr/><bookViews><workbookView/></bookViews>' + SHEETS
           + '<calcPr calcId="191029"/></workbook>').encode()
    out = with_name_added(xml, "WorkbookTools_TrackerID", '"abc"')
    assert out is not None
    children = [el.tag.split("}")[1] for el in etree.fromstring(out)]
    assert children == ["workbookPr", "bookViews", "sheets", "definedNames", "calcPr"]
    assert names_of(out) == [("WorkbookTools_TrackerID", '"abc"')]


def test_a_name_joins_the_others_in_excels_order_and_they_stay_as_they_were():
    xml = (HEAD + SHEETS + '<definedNames><definedName name="Alpha">Interviews!$A$1</definedName>'
           '<definedName name="_xlnm.Print_Titles" localSheetId="0">Interviews!$1:$1</definedName>'
           '<definedName name="Zed" comment="mine">"z"</definedName></definedNames></workbook>').encode()
    out = with_name_added(xml, "WorkbookTools_TrackerID", '"abc"')
    assert [n for n, _ in names_of(out)] == ["Alpha", "_xlnm.Print_Titles", "WorkbookTools_TrackerID", "Zed"]
    assert without_name(out, "WorkbookTools_TrackerID") == without_name(xml, "")


@pytest.mark.parametrize("existing", ["WorkbookTools_TrackerID", "workbooktools_trackerid"])
def test_an_existing_name_of_any_case_is_kept(existing):
    xml = (HEAD + SHEETS + f'<definedNames><definedName name="{existing}">"old"</definedName></definedNames>'
           '</workbook>').encode()
    assert with_name_added(xml, "WorkbookTools_TrackerID", '"new"') is None


def test_a_sheet_scoped_name_of_that_name_is_not_the_workbooks():
    xml = (HEAD + SHEETS + '<definedNames><definedName name="WorkbookTools_TrackerID" localSheetId="0">"s"'
           '</definedName></definedNames></workbook>').encode()
    out = with_name_added(xml, "WorkbookTools_TrackerID", '"abc"')
    assert out is not None and defined_names(out) == {"WorkbookTools_TrackerID": '"abc"'}


def test_write_names_changes_the_workbook_part_only(tmp_path):
    path = tmp_path / "book.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "Interviews"
    wb.active["A1"] = "Company"
    wb.save(path)
    before = members(path)
    write_names(path, {"WorkbookTools_TrackerID": constant_formula("abc")})
    after = members(path)
    assert list(after) == list(before)
    assert [n for n in before if before[n] != after[n]] == ["xl/workbook.xml"]
    assert openpyxl.load_workbook(path).defined_names["WorkbookTools_TrackerID"].attr_text == '"abc"'
    again = path.read_bytes()
    write_names(path, {"WorkbookTools_TrackerID": constant_formula("other")})  # there already: nothing written
    assert path.read_bytes() == again
    with zipfile.ZipFile(path) as zf:
        assert zf.testzip() is None


@pytest.mark.parametrize("name", ["old\x1bname.xlsx", "nul\x01.xlsx", "tab\tname.xlsx"])
def test_a_file_name_xml_cannot_hold_still_gives_an_identity(tmp_path, name):
    from tests.support.trackers import small_tracker
    from workbook_tools import contract as C
    from workbook_tools.adapters.file import read_tracker, refresh_file

    tracker = small_tracker(tmp_path / name)
    refresh_file(tracker, __import__("datetime").date(2013, 9, 30))
    assert read_tracker(tracker).tracker_id == "".join(ch for ch in name if ch >= " " or ch == "\t")
    assert C.TRACKER_ID_NAME in defined_names(members(tracker)["xl/workbook.xml"])
