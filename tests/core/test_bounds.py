"""Numbers people type are bounded: a plan never overflows the calendar, a walk never
loops for ever, and each out-of-range value is a problem on its cell while the other
rows are still planned (issue 13, part D)."""

from __future__ import annotations

from datetime import date

import pytest

from workbook_tools import contract as C
from workbook_tools.core.cadences import Wait, parse_wait, wait_limit_problem
from workbook_tools.core.call_when import Unreadable, parse_call_when
from workbook_tools.core.engine import compute
from workbook_tools.core.grid import sheet_from_grid, tracker_data
from workbook_tools.core.workdays import OutOfCalendar, WorkCalendar
from workbook_tools.errors import Problem

FRI = date(2013, 9, 27)
TODAY = date(2013, 9, 30)
SETTINGS = {"Your Name": "Sam Lee", "Your Phone": "555-0199", "Your Email": "sam@example.com"}


def planned(interviews, cadences=(), settings=None):
    data = tracker_data(interviews, [], [], {**SETTINGS, **(settings or {})}, cadences=cadences)
    result = compute(data, TODAY)
    return result.rows, [str(p) for p in result.problems]


@pytest.mark.parametrize("typed, wait, problem", [
    ("520 weeks", Wait(weeks=520), None),
    ("521 weeks", Wait(weeks=521), "longer than 520 weeks (ten years)"),
    ("1000000 weeks", Wait(weeks=1000000), "longer than 520 weeks (ten years)"),
    ("3650 days", Wait(days=3650), None),
    ("3651 days", Wait(days=3651), "longer than 3,650 days (ten years)"),
    ("2600 business days", Wait(business_days=2600), None),
    ("2601 business days", Wait(business_days=2601), "longer than 2,600 business days (ten years)"),
    ("1" * 100_000 + " days", Wait(days=10 ** 9), "longer than 3,650 days (ten years)"),
    (10 ** 400, Wait(days=10 ** 9), "longer than 3,650 days (ten years)"),
    (1e300, Wait(days=10 ** 9), "longer than 3,650 days (ten years)"),
    (float("inf"), None, None),
    (float("nan"), None, None),
])
def test_a_wait_past_ten_years_is_read_and_said_to_be_too_long(typed, wait, problem):
    got = parse_wait(typed)
    assert got == wait
    assert (wait_limit_problem(got) if got is not None else None) == problem


@pytest.mark.parametrize("wait, message", [
    ("1000000 weeks", "Cadences!C2: the wait '1000000 weeks' is longer than 520 weeks (ten years). Fix: write a "
                      "wait of at most 520 weeks, 3,650 days or 2,600 business days"),
    ("99999 business days", "Cadences!C2: the wait '99999 business days' is longer than 2,600 business days "
                            "(ten years). Fix: write a wait of at most 520 weeks, 3,650 days or 2,600 business days"),
])
def test_a_huge_wait_on_cadences_is_a_problem_on_its_cell(wait, message):
    cadences = [{"Cadence": "Slow", "Step": 1, "Wait": wait, "From": "event"}]
    rows, problems = planned([{"Company": "Acme", "Event Date": FRI, "Cadence": "Slow"}], cadences=cadences)
    assert message in problems
    assert rows[0].next_call is not None  # the row is planned (with the default cadence)


@pytest.mark.parametrize("said", ["in 99999999 weeks", "in 521 weeks", "in 3651 days", "in 2601 business days",
                                  "in " + "9" * 10_000 + " weeks"])
def test_call_when_past_ten_years_is_unreadable(said):
    with pytest.raises(Unreadable):
        parse_call_when(said, FRI)


def test_call_when_in_520_weeks_is_read():
    assert parse_call_when("in 520 weeks", FRI).earliest == date(2023, 9, 15)


def test_call_when_too_far_is_a_problem_on_its_cell_and_the_row_is_planned():
    rows, problems = planned([{"Company": "Acme", "Event Date": FRI, "Call When": "in 99999999 weeks"}])
    assert [p for p in problems if p.startswith("Interviews!G2: cannot read Call When 'in 99999999 weeks'")]
    assert rows[0].next_call == date(2013, 10, 2)


@pytest.mark.parametrize("row", [
    {"Event Date": date(9999, 12, 30)},
    {"Event Date": date(9999, 12, 31)},
    {"Event Date": date(9999, 12, 29)},
    {"Event Date": date(9999, 12, 20), "Decision By": date(9999, 12, 30)},
])
def test_a_plan_past_the_year_9999_is_a_problem_on_the_row_and_the_others_are_planned(row):
    rows, problems = planned([{"Company": "Late", **row}, {"Company": "Acme", "Event Date": FRI}])
    assert ("Interviews!E2: the plan runs past the year 9999. Fix: check the row's dates, its Call When and the "
            "waits of its cadence (Cadences), and the Country's working days") in problems
    assert rows[0].next_call is None and rows[0].why == "Not planned: the plan runs past the year 9999"
    assert rows[0].next_action == "Cannot plan this row: fix its dates (see Why), then refresh again."
    assert rows[1].next_call == date(2013, 10, 2)


def test_a_call_logged_on_9999_12_31_is_a_problem_not_an_overflow():
    data = tracker_data([{"Company": "Late", "Event Date": date(9999, 12, 30)}],
                        [{"Company": "Late", "Date": date(9999, 12, 31), "Outcome": "Left voicemail"}], [], SETTINGS)
    result = compute(data, TODAY)
    assert "the plan runs past the year 9999" in [p.message for p in result.problems]


@pytest.mark.parametrize("typed, problem", [
    ("100000000", "Settings!B"),
    ("1000", "Settings!B"),
])
def test_days_after_decision_is_at_most_three_digits(typed, problem):
    rows, problems = planned([{"Company": "Acme", "Event Date": FRI, "Decision By": date(2013, 10, 1)}],
                             settings={"Days After Decision": typed})
    assert [p for p in problems if p.startswith(problem) and f"Days After Decision {typed!r}" in p]
    assert rows[0].next_call is not None


class NoWorkingDays(WorkCalendar):
    def is_workday(self, day: date) -> bool:
        return False


@pytest.mark.parametrize("start, n, message", [
    (date(2013, 9, 27), 1, "no working day in 3,660 days after 2013-09-27"),
    (date(9999, 12, 1), 1, "the plan runs past the year 9999"),
])
def test_a_walk_with_no_working_day_stops_and_says_why(start, n, message):
    with pytest.raises(OutOfCalendar, match=message):
        NoWorkingDays().add_business_days(start, n)


def test_a_walk_of_many_business_days_ends():
    assert WorkCalendar().add_business_days(date(2013, 9, 27), 2600).day == date(2023, 9, 15)


def grid_problems(grid) -> list[str]:
    problems: list[Problem] = []
    sheet_from_grid("Interviews", grid, problems)
    return [str(p) for p in problems]


def test_a_header_row_below_the_scanned_rows_is_said_once():
    grid = [[] for _ in range(12)] + [["Company", "Event Date"], ["Acme", FRI]]
    assert grid_problems(grid) == [
        "Interviews!1:10: no header row found in rows 1-10. Fix: put the header row (Company, Position, Contact, "
        + "Type, Event Date, " + "Decision By, Call When, Cadence, Status, Thank-You Sent, Talking Point, Notes, "
        "Calls Made, Last Call, Last Outcome, Next Call, Call Window, Next Action, Why, Call Script, Email Script, "
        "Flag, Refresh Record) in one of the first 10 rows"]


@pytest.mark.parametrize("gap, stray", [(1000, False), (1001, True)])
def test_a_value_far_below_the_table_is_a_problem_on_its_row(gap, stray):
    grid = [list(C.INTERVIEW_HEADERS), ["Acme", FRI]] + [[] for _ in range(gap)] + [["Stray"]]
    problems: list[Problem] = []
    rows = sheet_from_grid("Interviews", grid, problems)
    row = 3 + gap
    assert problems == []  # nothing that stops the read
    if stray:
        assert [str(p) for p in rows.notices] == [
            f"Interviews!A{row}: a value 1,001 blank rows below row 2, more than the 1,000 blank rows a table may "
            "have in it. Fix: delete it if it is stray, or move it up to the end of the table"]
        assert [r.number for r in rows.rows] == [2]
    else:
        assert rows.notices == [] and [r.number for r in rows.rows] == [2, row]
