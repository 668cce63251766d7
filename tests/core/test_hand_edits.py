"""Hand edits: the Refresh Record tells refresh's own cells from what the user typed."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from workbook_tools import contract as C
from workbook_tools.core.engine import compute
from workbook_tools.core.grid import tracker_data
from workbook_tools.core.hand_edits import HAND, canonical, check_code, read_hand_edits, record_text
from workbook_tools.core.model import RowResult, SheetRow, SheetRows
from workbook_tools.errors import Problem

FRI = date(2013, 9, 27)
SETTINGS = {"Your Name": "Sam Lee", "Your Phone": "555-0199", "Your Email": "sam@example.com"}


@pytest.mark.parametrize("written, read_back", [
    (date(2013, 10, 2), datetime(2013, 10, 2)),  # a date comes back as a datetime from some readers
    (3, 3.0),  # a count as a float
    ("line one\nline two", "line one\r\nline two"),  # line ends as Excel keeps them
    ("", None),
])
def test_a_value_read_back_keeps_its_code(written, read_back):
    assert canonical(written) == canonical(read_back) and check_code(written) == check_code(read_back)


@pytest.mark.parametrize("a, b", [("Call Jane", "Call Jane."), (date(2013, 10, 2), date(2013, 10, 3)), (3, 4)])
def test_a_changed_value_changes_its_code(a, b):
    assert check_code(a) != check_code(b)


def _sheet(*rows: dict[str, object]) -> SheetRows:
    columns = {h: chr(ord("A") + i) for i, h in enumerate(C.OWNED_COLUMNS)}
    return SheetRows(C.INTERVIEWS, columns, [SheetRow(i + 2, dict(r)) for i, r in enumerate(rows)])


def _written(**cells: object) -> dict[str, object]:
    """A row's owned cells as refresh wrote them, with their record."""
    res = RowResult(2, **cells)  # type: ignore[arg-type]
    return {**{h: v for h, v in res.cells().items() if v is not None}, C.REFRESH_RECORD: record_text(res)}


def test_cells_as_written_are_refreshs_own():
    problems: list[Problem] = []
    row = _written(next_call=date(2013, 10, 2), next_action="Call Jane on Wed 2 Oct 2013.", flag=C.UPCOMING)
    assert read_hand_edits(_sheet(row), problems) == {} and problems == []


@pytest.mark.parametrize("typed, pin, kept", [
    ({"Next Call": date(2013, 10, 9)}, date(2013, 10, 9), {}),
    ({"Next Call": datetime(2013, 10, 9, 0, 0)}, date(2013, 10, 9), {}),
    ({"Next Call": "someday"}, None, {"Next Call": "someday"}),
    ({"Next Action": "Ask about the Munich office"}, None, {"Next Action": "Ask about the Munich office"}),
    ({"Calls Made": 7}, None, {"Calls Made": 7}),
    ({"Flag": "Done"}, None, {"Flag": "Done"}),
])
def test_typed_over_cells_are_pins_or_kept(typed, pin, kept):
    problems: list[Problem] = []
    row = _written(next_call=date(2013, 10, 2), next_action="Call Jane on Wed 2 Oct 2013.", flag=C.UPCOMING,
                   calls_made=0)
    row.update(typed)
    edits = read_hand_edits(_sheet(row), problems)
    assert (edits[2].pin, edits[2].kept) == (pin, kept)
    assert [p.cell for p in problems] == [f"{chr(ord('A') + C.OWNED_COLUMNS.index(h))}2" for h in kept]


def test_a_row_without_a_record_holds_the_users_values():
    problems: list[Problem] = []
    refreshed = _written(next_call=date(2013, 10, 2), flag=C.UPCOMING)
    edits = read_hand_edits(_sheet(refreshed, {"Next Call": date(2013, 10, 9), "Why": "my own note"}), problems)
    assert list(edits) == [3] and (edits[3].pin, edits[3].kept) == (date(2013, 10, 9), {"Why": "my own note"})


def test_a_record_column_still_empty_everywhere_takes_the_cells_as_refreshs_own():
    problems: list[Problem] = []
    assert read_hand_edits(_sheet({"Next Call": date(2013, 10, 9), "Why": "from an older version"}), problems) == {}
    assert problems == []


def test_a_tracker_without_the_record_column_is_told_how_to_add_it():
    sheet = _sheet({"Next Call": date(2013, 10, 9)})
    del sheet.columns[C.REFRESH_RECORD]
    problems: list[Problem] = []
    assert read_hand_edits(sheet, problems) == {}
    assert len(problems) == 1 and "add a column headed Refresh Record" in problems[0].fix


def _refresh(today: date, calls=(), **typed: object) -> RowResult:
    """One row planned, typed over as the user did, then refreshed again on ``today``."""
    interview = {"Company": "Acme", "Position": "Analyst", "Contact": "Jane Roe", "Event Date": FRI}
    contacts = [{"Name": "Jane Roe", "Phone": "555-0100"}]
    first = compute(tracker_data([interview], contacts=contacts, settings=SETTINGS), FRI).rows[0]
    row = {**interview, **{h: v for h, v in first.cells().items() if v is not None}, **typed}
    data = tracker_data([row], [{"Company": "Acme", **c} for c in calls], contacts, settings=SETTINGS)
    return compute(data, today).rows[0]


def test_a_pin_is_kept_said_in_why_and_ends_with_a_call_on_or_after_it():
    pinned = _refresh(date(2013, 9, 30), **{"Next Call": date(2013, 10, 9)})
    assert pinned.next_call == date(2013, 10, 9) and pinned.why.startswith("Next Call set by hand")
    assert "on Wed 9 Oct 2013 (the day you set)" in pinned.next_action
    assert pinned.refresh_record.split()[1 + C.OWNED_COLUMNS.index("Next Call")] == HAND
    before = _refresh(date(2013, 10, 8), [{"Date": date(2013, 10, 7), "Outcome": C.NO_ANSWER}],
                      **{"Next Call": date(2013, 10, 9)})
    assert before.next_call == date(2013, 10, 9)  # a call before the pin leaves it
    after = _refresh(date(2013, 10, 10), [{"Date": date(2013, 10, 9), "Outcome": C.NO_ANSWER}],
                     **{"Next Call": date(2013, 10, 9)})
    assert after.next_call == date(2013, 10, 14) and "set by hand" not in after.why


def test_text_typed_over_a_script_is_kept_and_a_cleared_cell_is_filled():
    kept = _refresh(date(2013, 9, 30), **{"Call Script": "My own words"})
    assert kept.call_script == "My own words"
    cleared = _refresh(date(2013, 9, 30), **{"Call Script": None})
    assert cleared.call_script.startswith("If they answer:")


@pytest.mark.parametrize("row", [
    {"Company": "Acme", "Event Date": "the 3rd-ish"},  # a row that cannot be planned
    {"Notes": "just a note"},  # a row with no inputs at all
])
def test_a_pin_on_a_row_with_nothing_to_plan_is_kept(row):
    planned = {"Company": "Globex", "Event Date": FRI}
    first = compute(tracker_data([planned], settings=SETTINGS), FRI).rows[0]
    refreshed = {**planned, **{h: v for h, v in first.cells().items() if v is not None}}
    data = tracker_data([{**row, "Next Call": date(2013, 10, 9)}, refreshed], settings=SETTINGS)
    res = compute(data, FRI).rows[0]
    assert res.next_call == date(2013, 10, 9)
    assert res.refresh_record.split()[1 + C.OWNED_COLUMNS.index("Next Call")] == HAND
