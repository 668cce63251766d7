"""The one read path (`core.grid`): header rows, blank cells, duplicate and missing
columns and sheets, on grids given as plain lists (the fake source both adapters'
tests stand on)."""

from __future__ import annotations

from datetime import date

import pytest

from workbook_tools import contract as C
from workbook_tools.core.grid import RecordsSource, SheetGrid, find_sheet, read_source, sheet_from_grid, tracker_data
from workbook_tools.core.model import SheetRow
from workbook_tools.errors import ProblemsError


class GridSource:
    """A workbook given as literal grids: sheet name -> rows from A1."""

    def __init__(self, sheets: dict[str, list[list[object]]]) -> None:
        self.sheets = sheets

    def sheet_names(self) -> list[str]:
        return list(self.sheets)

    def sheet_grid(self, name: str) -> SheetGrid:
        return SheetGrid(self.sheets[name])


def every_sheet(**grids: list[list[object]]) -> dict[str, list[list[object]]]:
    """A grid per data sheet: its contract headers, unless given."""
    return {s: grids.get(s.casefold(), [list(C.HEADERS[s])]) for s in C.DATA_SHEETS}


def test_blank_cells_are_left_out_and_blank_rows_skipped():
    grid = [["Name", "Phone", "My Column"], ["Jo", "", None], ["", "", ""], [None, "555", "x"]]
    rows = sheet_from_grid(C.CONTACTS, grid, problems := [])
    assert rows.rows == [(2, {"Name": "Jo"}), (4, {"Phone": "555", "My Column": "x"})]
    assert rows.columns == {"Name": "A", "Phone": "B", "My Column": "C"} and problems == []


def test_duplicate_header_is_a_problem():
    rows = sheet_from_grid(C.CONTACTS, [["Name", " name "]], problems := [])
    assert [(p.cell, p.message) for p in problems] == [("B1", "the column 'Name' appears twice")]
    assert rows.columns == {"Name": "A"}


def test_the_header_row_is_the_one_with_the_most_contract_headers():
    grid = [["My calls"], [], ["Date", "Company"], ["Date", "Company", "Outcome"], [date(2013, 10, 2), "Acme", "x"]]
    rows = sheet_from_grid(C.CALLS, grid, problems := [])
    assert rows.header_row == 4 and rows.rows == [SheetRow(5, {"Date": date(2013, 10, 2), "Company": "Acme",
                                                               "Outcome": "x"})]
    assert problems == []


def test_a_missing_required_column_names_the_header_row():
    rows = sheet_from_grid(C.CALLS, [["Note"], ["Date", "Outcome"]], problems := [])
    assert rows.header_row == 2
    assert [(p.cell, p.message) for p in problems] == [("2:2", "the required column 'Company' is missing")]


def test_find_sheet_ignores_case_and_surrounding_spaces():
    assert find_sheet(["Notes", " interviews "], C.INTERVIEWS) == " interviews "
    assert find_sheet(["Notes"], C.INTERVIEWS) is None


def test_read_source_names_every_missing_sheet_and_column_at_once():
    sheets = every_sheet(calls=[["Date", "Outcome"]])
    del sheets[C.SETTINGS]
    with pytest.raises(ProblemsError) as err:
        read_source(GridSource(sheets), "t.xlsx")
    assert [(p.sheet, p.cell, p.message) for p in err.value.problems] == [
        (C.CALLS, "1:1", "the required column 'Company' is missing"),
        (C.SETTINGS, "", "the sheet 'Settings' is missing")]
    assert str(err.value).splitlines()[0].startswith("t.xlsx: Calls!1:1: the required column")


def test_read_source_reads_each_sheet_and_shares_repeated_values():
    day = date(2013, 10, 2)
    sheets = every_sheet(calls=[list(C.CALL_HEADERS), [day, None, "Acme", None, "No answer"],
                                [date(2013, 10, 2), None, "Acme", None, "No answer"]])
    data = read_source(GridSource(sheets), "t.xlsx")
    first, second = (rec for _, rec in data.calls.rows)
    assert first == second == {"Date": day, "Company": "Acme", "Outcome": "No answer"}
    assert first["Date"] is second["Date"]  # equal dates and texts are kept once
    assert data.interviews.rows == [] and data.interviews.columns["Flag"] == "V"


def test_records_source_lays_out_contract_headers_then_the_others():
    grid = RecordsSource({C.CONTACTS: [{"Name": "Jo", "Mood": "good"}, {"Shoe": 42}]}).sheet_grid(C.CONTACTS)
    rows = list(grid.rows)
    assert rows[0] == [*C.CONTACT_HEADERS, "Mood", "Shoe"] and grid.first_col == 0
    assert rows[1][0] == "Jo" and rows[1][-2:] == ["good", None] and rows[2][-1] == 42


def test_tracker_data_reads_plain_rows_through_the_same_path():
    data = tracker_data([{"Company": "Acme", "Event Date": date(2013, 9, 27), "My Column": "x"}],
                        settings={"Country": "US", "Your Name": None})
    assert data.interviews.rows == [SheetRow(2, {"Company": "Acme", "Event Date": date(2013, 9, 27),
                                                 "My Column": "x"})]
    assert data.interviews.columns["My Column"] == "X"
    assert [rec for _, rec in data.settings.rows] == [{"Setting": "Country", "Value": "US"},
                                                       {"Setting": "Your Name"}]
