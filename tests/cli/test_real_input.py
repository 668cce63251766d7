"""Issue 12 through the command line, on real trackers built in tmp_path: input typed the way
people type it (dates as text, time zones in words, names spelt loosely, Call When phrases),
contacts abroad, scripts with every optional cell blank, the user's own edits, and other
editors (LibreOffice's lock file, a piped terminal). Each case is a literal row of a table;
each test asserts the exit code, the message on stderr and the cells written, read back with
openpyxl."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import date, datetime

import openpyxl
import pytest
from click.testing import CliRunner

from tests.support.trackers import FRI, small_tracker
from workbook_tools import contract as C
from workbook_tools.a1 import column_letter
from workbook_tools.cli import main
from workbook_tools.template.workbook import default_settings
from workbook_tools.xlsx.write import write_cells

JANE = {"Name": "Jane Roe", "Company": "Acme", "Phone": "555-0100"}
#: The Settings row of each setting in a new tracker (Your Name is on row 2).
SETTING_ROW = {name: row for row, (name, _) in enumerate(default_settings(), start=2)}
DATE_FIX = "Fix: type a date such as 2026-11-23, or pick one from the date picker"
CALL_WHEN_FIX = ('Fix: write a date, or a phrase such as "after Tuesday", "mid-week", "early next week", '
                 '"end of next week", "in 2 weeks", or "after" and a public holiday of the Country on Settings')
HAND_FIX = "Fix: move your text to Notes, or clear the cell to let refresh fill it again"
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def invoke(*args: str, env: dict[str, str] | None = None):
    result = CliRunner().invoke(main, list(args), catch_exceptions=False, env=env)
    return result.exit_code, result.stdout, result.stderr


def letter(header: str) -> str:
    return column_letter(C.INTERVIEW_HEADERS.index(header) + 1)


def ref(header: str, row: int = 2) -> str:
    """The A1 reference of an Interviews cell, e.g. ref("Next Call") == "P2"."""
    return f"{letter(header)}{row}"


def setting_cell(name: str) -> str:
    return f"Settings!B{SETTING_ROW[name]}"


def row_cells(path, row: int = 2) -> dict[str, object]:
    ws = openpyxl.load_workbook(path)[C.INTERVIEWS]
    return {h: ws.cell(row, i + 1).value for i, h in enumerate(C.INTERVIEW_HEADERS)}


def day(value: object) -> date | None:
    return value.date() if isinstance(value, datetime) else value  # type: ignore[return-value]


def tracker(tmp_path, name: str = "t.xlsx", *, contacts=(JANE,), calls=(), settings=None, rows=None, **interview):
    """One Acme interview row (seed 000's, unless ``interview`` says otherwise), or ``rows``."""
    base = {"Company": "Acme", "Position": "Analyst", "Contact": "Jane Roe", "Event Date": FRI}
    rows = rows if rows is not None else [{**base, **interview}]
    return small_tracker(tmp_path / name, interviews=rows, calls=calls, contacts=list(contacts), settings=settings)


def assert_no_default_year(cells: dict[str, object]) -> None:
    """No computed cell holds a date of a default year (2000, or Excel's 1899/1900)."""
    for header in C.OWNED_COLUMNS:
        value = cells[header]
        if isinstance(value, (date, datetime)):
            assert value.year not in (1899, 1900, 2000), (header, value)
        if isinstance(value, str):
            assert not re.search(r"\b(2000|1900|1899)\b", value), (header, value)


# --- 1. Dates typed as text -------------------------------------------------------------

@pytest.mark.parametrize("event, decision, today, cell, typed, read_as, next_call", [
    # An event date without a year: the nearest one on or before today.
    ("10/3", None, "2013-10-05", "E2", "10/3", "Thu 3 Oct 2013", date(2013, 10, 8)),
    ("3 Oct", None, "2013-10-05", "E2", "3 Oct", "Thu 3 Oct 2013", date(2013, 10, 8)),
    ("Oct 3", None, "2013-10-05", "E2", "Oct 3", "Thu 3 Oct 2013", date(2013, 10, 8)),
    ("10/3", None, "2013-10-02", "E2", "10/3", "Wed 3 Oct 2012", date(2012, 10, 8)),  # 3 Oct 2013 is ahead
    ("Dec 30", None, "2014-01-02", "E2", "Dec 30", "Mon 30 Dec 2013", date(2014, 1, 2)),  # across the new year
    # A decision date without a year: the nearest one on or after the event.
    (FRI, "10/3", "2013-10-02", "F2", "10/3", "Thu 3 Oct 2013", date(2013, 10, 7)),
    (FRI, "Oct 10", "2013-09-30", "F2", "Oct 10", "Thu 10 Oct 2013", date(2013, 10, 14)),
    (date(2013, 12, 20), "1/6", "2013-12-23", "F2", "1/6", "Mon 6 Jan 2014", date(2014, 1, 8)),
])
def test_a_date_without_a_year_is_read_for_its_column_and_why_says_so(
        tmp_path, event, decision, today, cell, typed, read_as, next_call):
    path = tracker(tmp_path, **{"Event Date": event, "Decision By": decision})
    code, out, err = invoke("refresh", str(path), "--today", today)
    assert (code, err) == (0, "")
    cells = row_cells(path)
    assert day(cells["Next Call"]) == next_call
    assert f"Interviews!{cell} '{typed}' has no year: read as {read_as}" in cells["Why"]
    assert_no_default_year(cells)


@pytest.mark.parametrize("country, typed", [
    ("DE", "3.10."),
    ("DE", "03.10.2013"),
    ("GB", "3.10."),
    ("US", "3.10."),
    ("", "03.10.2013"),
])
def test_a_dotted_date_is_day_first_whatever_the_country(tmp_path, country, typed):
    path = tracker(tmp_path, settings={C.COUNTRY: country}, **{"Event Date": typed})
    code, _, err = invoke("refresh", str(path), "--today", "2013-10-05")
    assert (code, err) == (0, "")
    cells = row_cells(path)
    assert cells["Why"].startswith("3 business days after the interview on Thu 3 Oct 2013")


def test_a_call_date_without_a_year_is_read_on_or_before_today(tmp_path):
    path = tracker(tmp_path, calls=[{"Date": "10/2", "Company": "Acme", "Outcome": C.LEFT_VOICEMAIL}])
    code, _, err = invoke("refresh", str(path), "--today", "2013-10-04")
    assert (code, err) == (0, "")
    cells = row_cells(path)
    assert (cells["Calls Made"], day(cells["Last Call"]), day(cells["Next Call"])) == (
        1, date(2013, 10, 2), date(2013, 10, 7))
    assert "Calls!A2 '10/2' has no year: read as Wed 2 Oct 2013" in cells["Why"]
    assert_no_default_year(cells)


@pytest.mark.parametrize("value, what", [
    ("March", "'March' is a month, not a date"),
    ("Tuesday", "'Tuesday' is a day of the week, not a date"),
    ("9:30", "'9:30' is a time of day, not a date"),
    ("2/30", "'2/30' is not a real day: that month is shorter"),
    (0, None),   # a serial of 0: not a date (the exact wording is the reader's)
    (-3, None),  # a negative serial
])
def test_a_word_time_or_serial_in_event_date_is_a_problem_and_the_row_says_which_cell(tmp_path, value, what):
    path = tracker(tmp_path, **{"Event Date": value})
    code, _, err = invoke("refresh", str(path), "--today", "2013-10-02")
    assert code == 1 and "Traceback" not in err
    (line,) = err.splitlines()
    assert line.startswith(f"{path}: Interviews!E2: Event Date ") and line.endswith(DATE_FIX)
    assert "not a date" in line or "not a real day" in line
    if what:
        assert line == f"{path}: Interviews!E2: Event Date {what}. {DATE_FIX}"
    cells = row_cells(path)
    assert cells["Next Action"] == "Cannot plan this row: fix Interviews!E2 (see Why), then refresh again."
    assert cells["Why"].startswith("Not understood: Interviews!E2 Event Date ")
    assert cells["Next Call"] is None
    assert_no_default_year(cells)


def test_a_negative_serial_is_not_described_as_midnight(tmp_path):
    path = tracker(tmp_path, **{"Event Date": -3})
    code, _, err = invoke("check", str(path), "--today", "2013-10-02")
    assert code == 1 and "Interviews!E2" in err
    assert "'00:00:00'" not in err and "Event Date holds a time of day (or a number below 1), not a date" in err


@pytest.mark.parametrize("value, what", [
    ("March", "'March' is a month, not a date"),
    ("Tuesday", "'Tuesday' is a day of the week, not a date"),
    ("9:30", "'9:30' is a time of day, not a date"),
    (0, None),
    (-3, None),
])
def test_a_word_time_or_serial_in_decision_by_is_a_problem_and_the_row_is_planned_without_it(tmp_path, value, what):
    path = tracker(tmp_path, **{"Decision By": value})
    code, _, err = invoke("refresh", str(path), "--today", "2013-09-30")
    assert code == 1 and "Traceback" not in err
    (line,) = err.splitlines()
    assert line.startswith(f"{path}: Interviews!F2: Decision By ") and line.endswith(DATE_FIX)
    if what:
        assert line == f"{path}: Interviews!F2: Decision By {what}. {DATE_FIX}"
    cells = row_cells(path)
    assert day(cells["Next Call"]) == date(2013, 10, 2)  # the plan without a decision date
    assert cells["Next Action"].startswith("Check Interviews!F2 (see Why).")
    assert "not understood: Interviews!F2 Decision By" in cells["Why"]
    assert "(planned without a decision date)" in cells["Why"]
    assert_no_default_year(cells)


@pytest.mark.parametrize("value, what", [
    ("Tuesday", "'Tuesday' is a day of the week, not a date"),
    ("March", "'March' is a month, not a date"),
])
def test_a_word_in_a_call_date_leaves_the_call_out_and_says_so(tmp_path, value, what):
    path = tracker(tmp_path, calls=[{"Date": value, "Company": "Acme", "Outcome": C.LEFT_VOICEMAIL}])
    code, _, err = invoke("refresh", str(path), "--today", "2013-10-04")
    assert code == 1
    assert err.splitlines() == [f"{path}: Calls!A2: Date {what}. {DATE_FIX}"]
    cells = row_cells(path)
    assert cells["Calls Made"] == 0 and cells["Next Action"].startswith("Check Calls!A2 (see Why).")
    assert "not understood: Calls!A2 Date" in cells["Why"] and "(the call is left out)" in cells["Why"]
    assert_no_default_year(cells)


# --- 2. Time zones typed by people ------------------------------------------------------

TIME_ZONE_PROBLEMS = [
    ("Pacific", "unknown time zone 'Pacific'. Fix: write an IANA time zone name such as America/Los_Angeles; "
                "'Pacific' could be America/Los_Angeles, America/Vancouver or America/Tijuana"),
    ("US", "unknown time zone 'US'. Fix: write an IANA time zone name such as America/New_York; 'US' could be "
           "America/New_York, America/Chicago, America/Los_Angeles, America/Denver, America/Phoenix or "
           "Pacific/Honolulu"),
    ("EST5EDT", "'EST5EDT' is an old name. Fix: write America/New_York instead"),
    ("US/Pacific", "'US/Pacific' is an old name. Fix: write America/Los_Angeles instead"),
    ("Berlin", "unknown time zone 'Berlin'. Fix: write Europe/Berlin if that is what you mean"),
]
WHERE = {"settings": setting_cell(C.TIME_ZONE), "contacts": "Contacts!F2"}


def zone_tracker(tmp_path, where: str, zone: str, name: str = "t.xlsx"):
    if where == "settings":
        return tracker(tmp_path, name, settings={C.TIME_ZONE: zone})
    return tracker(tmp_path, name, contacts=[{**JANE, "Time Zone": zone}])


@pytest.mark.parametrize("command", ["check", "refresh", "agenda", "calendar"])
@pytest.mark.parametrize("where", ["settings", "contacts"])
@pytest.mark.parametrize("zone, message", TIME_ZONE_PROBLEMS)
def test_a_time_zone_typed_by_hand_is_a_problem_with_a_suggestion(tmp_path, command, where, zone, message):
    path = zone_tracker(tmp_path, where, zone)
    extra = ["-o", str(tmp_path / "plan.ics")] if command == "calendar" else []
    code, _, err = invoke(command, str(path), "--today", "2013-10-02", *extra)
    assert code == 1 and "Traceback" not in err and "Error" not in err
    assert f"{path}: {WHERE[where]}: {message}" in err.splitlines()
    if command == "refresh":
        cells = row_cells(path)
        assert cells["Next Action"].startswith(f"Check {WHERE[where]} (see Why).")
        assert f"not understood: {WHERE[where]}" in cells["Why"]
        assert day(cells["Next Call"]) == date(2013, 10, 2)  # still planned


@pytest.mark.parametrize("where", ["settings", "contacts"])
@pytest.mark.parametrize("zone, message", TIME_ZONE_PROBLEMS)
def test_report_over_a_folder_reports_a_tracker_with_such_a_zone_and_the_good_one(tmp_path, where, zone, message):
    good = tracker(tmp_path, "good.xlsx")
    bad = zone_tracker(tmp_path, where, zone, "bad.xlsx")
    code, out, err = invoke("report", str(tmp_path), "--today", "2013-10-02")
    assert code == 1 and "Traceback" not in err
    assert err == f"{bad}: 1 problem in its rows; `workbook-tools check {bad}` lists them\n"
    rows = {line.split()[1]: line for line in out.splitlines() if line.startswith("│ ") and ".xlsx" in line}
    assert set(rows) == {bad.name, good.name}
    assert rows[bad.name].rstrip(" │").endswith("1") and rows[good.name].rstrip(" │").endswith("0")  # Problems


@pytest.mark.parametrize("zone, shown", [
    ("Europe/berlin", "Europe/Berlin"),       # the case of an IANA name is forgiven
    (" America/Chicago ", "America/Chicago"),  # and spaces around it
])
def test_an_iana_zone_typed_loosely_is_no_problem(tmp_path, zone, shown):
    path = tracker(tmp_path, contacts=[{**JANE, "Time Zone": zone}])
    code, _, err = invoke("refresh", str(path), "--today", "2013-10-02")
    assert (code, err) == (0, "")
    assert f"their time, {shown}" in row_cells(path)["Call Window"]


# --- 3. A Contact not on Contacts -------------------------------------------------------

@pytest.mark.parametrize("on_contacts, typed, greeting, named", [
    ("Jane Roe", "jane roe", "Hello Jane.", "Call Jane Roe on"),
    ("Jane Roe", "JANE ROE", "Hello Jane.", "Call Jane Roe on"),
    ("Jane Roe", "Jane  Roe", "Hello Jane.", "Call Jane Roe on"),
    ("Jane Roe", " Jane Roe ", "Hello Jane.", "Call Jane Roe on"),
    ("Pat O'Brien", "Pat O\u2019Brien", "Hello Pat.", "Call Pat O'Brien on"),
    ("Pat O\u2019Brien", "Pat O'Brien", "Hello Pat.", "Call Pat O\u2019Brien on"),
    ("Pat O'Brien", "pat o'brien", "Hello Pat.", "Call Pat O'Brien on"),
])
def test_a_contact_spelt_loosely_is_no_problem_and_the_script_uses_the_contacts_spelling(
        tmp_path, on_contacts, typed, greeting, named):
    contact = {"Name": on_contacts, "Company": "Acme", "Phone": "555-0100", "Time Zone": "America/Chicago"}
    path = tracker(tmp_path, Contact=typed, contacts=[contact], settings={C.TIME_ZONE: "America/New_York"})
    code, _, err = invoke("refresh", str(path), "--today", "2013-10-02")
    assert (code, err) == (0, "")
    cells = row_cells(path)
    assert cells["Call Script"].count(greeting) == 2  # if they answer, and the voicemail
    assert named in cells["Next Action"]
    assert "America/Chicago" in cells["Call Window"]  # the contact's details are used


@pytest.mark.parametrize("typed, fix", [
    ("Jane Rowe", "Fix: write the name as on Contacts: 'Jane Roe' or 'Jan Rowe'"),
    ("J. Roe", "Fix: write the name as on Contacts: 'Jane Roe' or 'Jan Rowe'"),
    ("Jan Roe", "Fix: write the name as on Contacts: 'Jane Roe' or 'Jan Rowe' or 'John Doe'"),
    ("Bob Smith", "Fix: add a row for them on Contacts, or write the name as it is there"),
])
def test_a_contact_not_on_contacts_is_a_problem_naming_the_closest_names(tmp_path, typed, fix):
    contacts = [JANE, {"Name": "Jan Rowe", "Company": "Acme"}, {"Name": "John Doe", "Company": "Acme"}]
    path = tracker(tmp_path, Contact=typed, contacts=contacts)
    code, _, err = invoke("refresh", str(path), "--today", "2013-10-02")
    assert code == 1
    assert err.splitlines() == [f"{path}: Interviews!C2: Contact '{typed}' is not on Contacts. {fix}"]
    cells = row_cells(path)
    assert cells["Next Action"].startswith("Check Interviews!C2 (see Why).")
    assert f"not understood: Interviews!C2 Contact '{typed}' is not on Contacts" in cells["Why"]
    assert day(cells["Next Call"]) == date(2013, 10, 2)


# --- 4. Blank settings the scripts need -------------------------------------------------

BLANK_SETTING = {
    C.YOUR_NAME: "Your Name is blank, so the scripts leave it out. Fix: write your name as you say it on the phone",
    C.YOUR_PHONE: "Your Phone is blank, so the scripts leave it out. Fix: write the number they can call you back on",
    C.YOUR_EMAIL: "Your Email is blank, so the scripts leave it out. "
                  "Fix: write the email address you use for your search",
}


@pytest.mark.parametrize("blank, value", [
    ((C.YOUR_NAME,), ""),
    ((C.YOUR_PHONE,), ""),
    ((C.YOUR_EMAIL,), ""),
    ((C.YOUR_NAME,), "   "),  # spaces only are blank too
    ((C.YOUR_NAME, C.YOUR_PHONE, C.YOUR_EMAIL), ""),
])
def test_check_reports_blank_settings_the_scripts_need(tmp_path, blank, value):
    path = tracker(tmp_path, settings={name: value for name in blank})
    code, out, err = invoke("check", str(path), "--today", "2013-10-02")
    assert (code, out) == (1, "")
    count = f"{len(blank)} problem" + ("s" if len(blank) > 1 else "")
    assert err.splitlines() == [f"{path}: {setting_cell(name)}: {BLANK_SETTING[name]}" for name in blank] + [
        f"{path}: {count}"]
    code, _, err = invoke("refresh", str(path), "--today", "2013-10-02")  # the scripts phrase around them
    assert code == 1 and err.splitlines() == [f"{path}: {setting_cell(n)}: {BLANK_SETTING[n]}" for n in blank]
    cells = row_cells(path)
    for text in (cells["Call Script"], cells["Email Script"]):
        assert "{" not in text and "[" not in text
        if C.YOUR_NAME in blank:
            assert "This is ." not in text and "This is  " not in text


def test_check_is_clean_when_the_settings_are_filled(tmp_path):
    path = tracker(tmp_path)
    assert invoke("check", str(path), "--today", "2013-10-02") == (0, f"{path}: no problems (1 row)\n", "")


# --- 5. A company with a closed row and a new open row ----------------------------------

OLD = {"Company": "Acme", "Position": "Analyst", "Event Date": date(2013, 6, 3)}
NEW = {"Company": "Acme", "Position": "Engineer", "Event Date": FRI}
JUNE_CALLS = [{"Date": date(2013, 6, 6), "Company": "Acme", "Outcome": C.LEFT_VOICEMAIL},
              {"Date": date(2013, 6, 11), "Company": "Acme", "Outcome": C.OUTCOME_NOT_SELECTED}]
NEW_CALL = {"Date": date(2013, 10, 2), "Company": "Acme", "Outcome": C.NO_ANSWER}


@pytest.mark.parametrize("old_status, calls, old_made, old_outcome, new_made, new_next", [
    ("Not selected", JUNE_CALLS, 2, C.NOT_SELECTED, 0, date(2013, 10, 2)),
    (None, JUNE_CALLS, 2, C.NOT_SELECTED, 0, date(2013, 10, 2)),            # closed by the Calls sheet
    ("Withdrawn", JUNE_CALLS[:1], 1, C.LEFT_VOICEMAIL, 0, date(2013, 10, 2)),
    ("Closed", JUNE_CALLS[:1], 1, C.LEFT_VOICEMAIL, 0, date(2013, 10, 2)),
    ("Not selected", [*JUNE_CALLS, NEW_CALL], 2, C.NOT_SELECTED, 1, date(2013, 10, 7)),  # the new call: new row
    (None, [*JUNE_CALLS, NEW_CALL], 2, C.NOT_SELECTED, 1, date(2013, 10, 7)),
])
def test_a_closed_row_keeps_its_calls_and_the_new_row_is_planned_as_if_alone(
        tmp_path, old_status, calls, old_made, old_outcome, new_made, new_next):
    path = tracker(tmp_path, rows=[{**OLD, "Status": old_status}, NEW], calls=calls, contacts=())
    code, _, err = invoke("refresh", str(path), "--today", "2013-10-02")
    assert (code, err) == (0, "")
    old, new = row_cells(path, 2), row_cells(path, 3)
    assert (old["Calls Made"], old["Last Outcome"], old["Flag"], old["Next Call"]) == (
        old_made, old_outcome, C.FLAG_CLOSED, None)
    assert old["Status"] == old_status  # not reopened, not rewritten
    assert (new["Calls Made"], day(new["Next Call"])) == (new_made, new_next)
    assert new["Flag"] != C.FLAG_CLOSED
    # The new row's plan is what it would be without the old row.
    alone = tracker(tmp_path, "alone.xlsx", rows=[NEW], calls=[c for c in calls if c["Date"] > FRI], contacts=())
    invoke("refresh", str(alone), "--today", "2013-10-02")
    assert {k: new[k] for k in C.OWNED_COLUMNS if k != C.REFRESH_RECORD} == {
        k: v for k, v in row_cells(alone).items() if k in C.OWNED_COLUMNS and k != C.REFRESH_RECORD}


@pytest.mark.parametrize("second_event, call_position, problem", [
    (FRI, None, True),                    # two open rows, one event date, no Position: ambiguous
    (FRI, "Engineer", False),             # Position says which
    (date(2013, 10, 1), None, False),     # the call follows the later event: that row's
])
def test_only_a_real_ambiguity_between_open_rows_is_a_problem(tmp_path, second_event, call_position, problem):
    rows = [{"Company": "Acme", "Position": "Analyst", "Event Date": FRI},
            {"Company": "Acme", "Position": "Engineer", "Event Date": second_event}]
    path = tracker(tmp_path, rows=rows, contacts=(), calls=[{**NEW_CALL, "Position": call_position}])
    code, _, err = invoke("refresh", str(path), "--today", "2013-10-03")
    first, second = row_cells(path, 2), row_cells(path, 3)
    if problem:
        assert code == 1
        assert err.splitlines() == [f"{path}: Calls!D2: 'Acme' has 2 rows with the event on 2013-09-27 and "
                                    "Position is blank. Fix: write which position the call was about: "
                                    "'Analyst', 'Engineer'"]
        for cells in (first, second):
            assert cells["Calls Made"] == 0 and cells["Next Action"].startswith("Check Calls!D2 (see Why).")
            assert "not understood: Calls!D2" in cells["Why"]
    else:
        assert (code, err) == (0, "")
        assert (first["Calls Made"], second["Calls Made"]) == (0, 1)


# --- 6. Call When phrases ---------------------------------------------------------------

@pytest.mark.parametrize("event, country, phrase, next_call, weekdays", [
    (FRI, "", "mid-week", date(2013, 10, 2), ("Tue", "Wed", "Thu")),
    (FRI, "", "midweek", date(2013, 10, 2), ("Tue", "Wed", "Thu")),
    (date(2013, 9, 30), "", "mid-week", date(2013, 10, 3), ("Tue", "Wed", "Thu")),
    (date(2013, 10, 1), "", "mid-week", date(2013, 10, 8), ("Tue", "Wed", "Thu")),  # Fri 4 Oct is not mid-week
    (date(2013, 10, 3), "", "early next week", date(2013, 10, 8), ("Mon", "Tue")),
    (FRI, "", "early next week", date(2013, 9, 30), ("Mon", "Tue")),  # brought forward from the cadence's Wed
    (FRI, "", "end of next week", date(2013, 10, 3), ("Thu", "Fri")),
    (date(2013, 10, 3), "", "end of next week", date(2013, 10, 10), ("Thu", "Fri")),
    (date(2013, 11, 22), "US", "after Thanksgiving", date(2013, 11, 29), ("Fri",)),
    (date(2013, 11, 22), "US", "after thanksgiving", date(2013, 11, 29), ("Fri",)),
    (date(2013, 12, 20), "US", "after Christmas", date(2013, 12, 26), ("Thu",)),
])
def test_call_when_phrases_mean_what_people_mean_and_why_says_so(tmp_path, event, country, phrase, next_call,
                                                                   weekdays):
    path = tracker(tmp_path, settings={C.COUNTRY: country}, **{"Event Date": event, "Call When": phrase})
    code, _, err = invoke("refresh", str(path), "--today", event.isoformat())
    assert (code, err) == (0, "")
    cells = row_cells(path)
    planned = day(cells["Next Call"])
    assert WEEKDAYS[planned.weekday()] in weekdays, planned
    if next_call is not None:
        assert planned == next_call
    assert planned > event
    assert f"Call When '{phrase}'" in cells["Why"]


@pytest.mark.parametrize("phrase", ["after the harvest moon", "9:30", "whenever-ish", "after Diwali"])
def test_a_call_when_phrase_it_does_not_know_is_a_problem_on_the_row(tmp_path, phrase):
    path = tracker(tmp_path, settings={C.COUNTRY: "US"}, **{"Call When": phrase})
    code, _, err = invoke("refresh", str(path), "--today", "2013-09-30")
    assert code == 1
    assert err.splitlines() == [f"{path}: Interviews!G2: cannot read Call When '{phrase}'. {CALL_WHEN_FIX}"]
    cells = row_cells(path)
    assert cells["Next Action"].startswith("Check Interviews!G2 (see Why).")
    assert f"not understood: Interviews!G2 cannot read Call When '{phrase}' (planned without it)" in cells["Why"]
    assert day(cells["Next Call"]) == date(2013, 10, 2)


def test_a_holiday_name_without_a_country_says_to_set_the_country(tmp_path):
    path = tracker(tmp_path, settings={C.COUNTRY: ""}, **{"Event Date": date(2013, 11, 22),
                                                          "Call When": "after Thanksgiving"})
    code, _, err = invoke("refresh", str(path), "--today", "2013-11-22")
    assert code == 1 and "Interviews!G2" in err
    assert "Country" in err


# --- 7. Contacts abroad -----------------------------------------------------------------

YOUR_SPAN = re.compile(r"(?:^|; )(?:\w{3} \d+ \w{3} )?(\d+):(\d\d)\u2013(\d+):(\d\d) your time")


@pytest.mark.parametrize("zone, country, event, calls, hours, next_call, window, why", [
    ("Europe/Berlin", None, FRI, (), None, date(2013, 10, 2),
     "16:35\u201317:15 their time, Europe/Berlin (late afternoon); 10:35\u201311:15 your time",
     "only their late-afternoon window falls inside your day (7:00-21:00)"),
    # German Unity Day (Thu 3 Oct) is skipped: their holiday, from their zone's country or the Country column.
    ("Europe/Berlin", None, date(2013, 9, 30), (), None, date(2013, 10, 4),
     "10:35\u201311:15 your time", "Thu 3 Oct 2013 is German Unity Day in DE"),
    ("Europe/Berlin", "DE", date(2013, 9, 30), (), None, date(2013, 10, 4),
     "10:35\u201311:15 your time", "Thu 3 Oct 2013 is German Unity Day in DE"),
    ("Europe/Berlin", None, FRI, ({"Date": date(2013, 10, 2), "Company": "Acme", "Outcome": C.NO_ANSWER},), None,
     date(2013, 10, 8), "10:35\u201311:15 your time", "Thu 3 Oct 2013 is German Unity Day in DE"),
    ("Asia/Kolkata", None, date(2013, 9, 30), (), None, date(2013, 10, 4),
     "16:35\u201317:15 their time, Asia/Kolkata (late afternoon); 7:05\u20137:45 your time",
     "Wed 2 Oct 2013 is Mahatma Gandhi's Birthday in IN"),
    # Their weekend: Friday in Israel, so Fri 4 Oct is skipped (and the weekend of yours after it).
    ("Asia/Jerusalem", None, date(2013, 10, 1), (), None, date(2013, 10, 7), "9:35\u201310:15 your time",
     "only their late-afternoon window falls inside your day"),
    # Your date when it differs.
    ("Australia/Sydney", None, FRI, (), None, date(2013, 10, 2),
     "8:05\u20138:30 their time, Australia/Sydney (early, before the day's meetings); "
     "Tue 1 Oct 18:05\u201318:30 your time", "only their morning window falls inside your day (7:00-21:00)"),
    ("Asia/Tokyo", None, date(2013, 9, 30), (), None, date(2013, 10, 3),
     "8:05\u20138:30 their time, Asia/Tokyo (early, before the day's meetings); Wed 2 Oct 19:05\u201319:30 your time",
     "only their morning window falls inside your day"),
    # No window suits both: the closest, said in Why.
    ("Australia/Sydney", None, FRI, (), "9:00-17:00", date(2013, 10, 2), "Tue 1 Oct 18:05\u201318:30 your time",
     "none of their calling times falls inside your day (9:00-17:00); the closest is 8:05 their time, 18:05 yours"),
])
def test_a_contact_abroad_is_called_inside_both_days_on_a_working_day_for_both(
        tmp_path, zone, country, event, calls, hours, next_call, window, why):
    settings = {C.COUNTRY: "US", C.TIME_ZONE: "America/New_York", **({C.YOUR_HOURS: hours} if hours else {})}
    path = tracker(tmp_path, contacts=[{**JANE, "Time Zone": zone, "Country": country}], calls=calls,
                   settings=settings, **{"Event Date": event})
    code, _, err = invoke("refresh", str(path), "--today", event.isoformat())
    assert (code, err) == (0, "")
    cells = row_cells(path)
    assert day(cells["Next Call"]) == next_call
    assert window in cells["Call Window"] and why in cells["Why"]
    if hours is None:  # inside your day, 7:00-21:00
        (span,) = YOUR_SPAN.findall(cells["Call Window"])
        start, end = int(span[0]) * 60 + int(span[1]), int(span[2]) * 60 + int(span[3])
        assert 7 * 60 <= start < end <= 21 * 60


def test_calls_to_a_contact_abroad_rotate_among_the_windows_that_suit_both(tmp_path):
    windows = []
    calls: list[dict[str, object]] = []
    for made in (None, date(2013, 10, 2), date(2013, 10, 7)):
        if made:
            calls.append({"Date": made, "Company": "Acme", "Outcome": C.LEFT_VOICEMAIL})
        path = tracker(tmp_path, f"t{len(calls)}.xlsx", contacts=[{**JANE, "Time Zone": "Europe/London"}],
                       calls=calls, settings={C.COUNTRY: "US", C.TIME_ZONE: "America/New_York"})
        code, _, err = invoke("refresh", str(path), "--today", (made or FRI).isoformat())
        assert (code, err) == (0, "")
        windows.append(row_cells(path)["Call Window"])
    assert windows == [
        "12:10\u201312:50 their time, Europe/London (around lunch); 7:10\u20137:50 your time",
        "16:35\u201317:15 their time, Europe/London (late afternoon); 11:35\u201312:15 your time",
        "12:10\u201312:50 their time, Europe/London (around lunch); 7:10\u20137:50 your time",
    ]


@pytest.mark.parametrize("today, listed", [
    ("2013-09-30", False),  # the call is on Tue 1 Oct your time: not yet
    ("2013-10-01", True),   # Wed 2 Oct 8:05 in Sydney is Tue 1 Oct 18:05 in New York: today for you
])
def test_the_agenda_lists_a_call_abroad_on_the_day_its_window_starts_for_you(tmp_path, today, listed):
    path = tracker(tmp_path, contacts=[{**JANE, "Time Zone": "Australia/Sydney"}],
                   settings={C.COUNTRY: "US", C.TIME_ZONE: "America/New_York"}, **{"Thank-You Sent": FRI})
    assert invoke("refresh", str(path), "--today", today)[0] == 0
    code, out, err = invoke("agenda", str(path), "--today", today, env={"COLUMNS": "100"})
    assert (code, err) == (0, "")
    assert ("#1 Call Jane Roe" in out) is listed
    assert ("18:05" in out) is listed  # the window, in the table, with your time


def test_a_call_abroad_due_today_for_you_is_not_flagged_upcoming(tmp_path):
    path = tracker(tmp_path, contacts=[{**JANE, "Time Zone": "Australia/Sydney"}],
                   settings={C.COUNTRY: "US", C.TIME_ZONE: "America/New_York"}, **{"Thank-You Sent": FRI})
    invoke("refresh", str(path), "--today", "2013-10-01")
    code, out, _ = invoke("agenda", str(path), "--today", "2013-10-01", env={"COLUMNS": "60"})
    assert code == 0 and "today" in out
    assert row_cells(path)["Flag"] == C.DUE_TODAY


# --- 8. Scripts with every optional cell blank ------------------------------------------

STATES = {
    "no call yet": [],
    "after a voicemail": [{"Date": date(2013, 10, 2), "Outcome": C.LEFT_VOICEMAIL}],
    "after two voicemails": [{"Date": date(2013, 10, 2), "Outcome": C.LEFT_VOICEMAIL},
                             {"Date": date(2013, 10, 7), "Outcome": C.NO_ANSWER}],
    "spoke, no decision": [{"Date": date(2013, 10, 2), "Outcome": C.SPOKE}],
    "given a new date": [{"Date": date(2013, 10, 2), "Outcome": C.NEW_DATE, "New Date": date(2013, 10, 21)}],
    "not selected": [{"Date": date(2013, 10, 2), "Outcome": C.OUTCOME_NOT_SELECTED}],
}
BLANK_YOU = {C.YOUR_NAME: "", C.YOUR_PHONE: "", C.YOUR_EMAIL: ""}


@pytest.mark.parametrize("settings", [None, BLANK_YOU], ids=["settings filled", "settings blank"])
@pytest.mark.parametrize("state", list(STATES))
@pytest.mark.parametrize("lead_type", [*C.TYPES, None])
def test_every_script_reads_right_with_every_optional_cell_blank(tmp_path, lead_type, state, settings):
    calls = [{**c, "Company": "Acme"} for c in STATES[state]]
    path = tracker(tmp_path, rows=[{"Company": "Acme", "Type": lead_type, "Event Date": FRI}], contacts=(),
                   calls=calls, settings=settings)
    code, _, err = invoke("refresh", str(path), "--today", "2013-10-08")
    assert "Traceback" not in err
    assert code == (1 if settings else 0), err  # only the blank settings are problems
    cells = row_cells(path)
    scripts = [cells[h] for h in ("Call Script", "Email Script") if cells[h]]
    assert scripts or state in ("after a voicemail", "after two voicemails")  # a finished cadence has none
    for text in scripts:
        for mark in ("[", "]", "{", "}", "None", "  ", " ,", " .", ",,", "..", "the the"):
            assert mark not in text, (mark, text)
        if lead_type not in (None, C.INTERVIEW):
            assert "interview" not in text.casefold(), text
    if lead_type not in (None, C.INTERVIEW):
        for text in (cells["Next Action"], cells["Why"]):
            assert "interview" not in (text or "").casefold(), text


# --- 9. Hand edits ----------------------------------------------------------------------

@pytest.mark.parametrize("pin, calls, today, next_call, kept", [
    (date(2013, 10, 9), [], "2013-09-30", date(2013, 10, 9), True),
    (date(2013, 9, 30), [], "2013-09-30", date(2013, 9, 30), True),          # earlier than the plan
    (date(2013, 10, 9), [date(2013, 10, 2)], "2013-10-02", date(2013, 10, 9), True),  # a call before the pin
    (date(2013, 10, 9), [date(2013, 10, 9)], "2013-10-09", date(2013, 10, 14), False),  # a call on it: ended
    (date(2013, 10, 9), [date(2013, 10, 10)], "2013-10-10", date(2013, 10, 15), False),  # after it: ended
])
def test_a_date_typed_over_next_call_is_a_pin_until_a_call_on_or_after_it(tmp_path, pin, calls, today, next_call,
                                                                           kept):
    path = tracker(tmp_path)
    assert invoke("refresh", str(path), "--today", "2013-09-30")[0] == 0
    write_cells(path, C.INTERVIEWS, {ref("Next Call"): pin})  # as the user's save would
    code, _, err = invoke("refresh", str(path), "--today", "2013-09-30")
    assert (code, err) == (0, "")
    cells = row_cells(path)
    assert day(cells["Next Call"]) == pin
    assert cells["Why"].startswith(f"Next Call set by hand to {pin:%a} {pin.day} {pin:%b %Y} (kept until a call is "
                                   "logged on or after it); the plan says ")
    assert "(the day you set)" in cells["Next Action"]
    assert ", nothing changed " in invoke("refresh", str(path), "--today", "2013-09-30")[1]  # the pin is stable
    for row, made in enumerate(calls, start=2):
        write_cells(path, C.CALLS, {f"A{row}": made, f"C{row}": "Acme", f"E{row}": C.LEFT_VOICEMAIL})
    code, _, err = invoke("refresh", str(path), "--today", today)
    assert (code, err) == (0, "")
    cells = row_cells(path)
    assert day(cells["Next Call"]) == next_call
    assert ("set by hand" in cells["Why"]) is kept


@pytest.mark.parametrize("header, typed", [
    ("Next Action", "Ask Jane about parking"),
    ("Call Script", "My own words"),
    ("Email Script", "Dear Jane, thanks!"),
    ("Why", "because I said so"),
    ("Call Window", "after 3pm"),
    ("Flag", "Hot"),
    ("Calls Made", 7),
])
def test_text_typed_into_a_computed_cell_is_kept_and_reported_and_a_cleared_cell_is_filled_again(
        tmp_path, header, typed):
    path = tracker(tmp_path)
    assert invoke("refresh", str(path), "--today", "2013-09-30")[0] == 0
    planned = row_cells(path)[header]
    write_cells(path, C.INTERVIEWS, {ref(header): typed})
    message = (f"{path}: Interviews!{ref(header)}: {header} was typed over by hand ('{typed}'); refresh keeps it "
               f"and plans nothing into it. {HAND_FIX}")
    for today in ("2013-09-30", "2013-10-01"):  # kept, and reported, on every refresh
        code, _, err = invoke("refresh", str(path), "--today", today)
        assert code == 1 and err.splitlines() == [message]
        assert row_cells(path)[header] == typed
    assert invoke("check", str(path), "--today", "2013-10-01") == (1, "", f"{message}\n{path}: 1 problem\n")
    write_cells(path, C.INTERVIEWS, {ref(header): None})  # cleared: refresh's again
    code, _, err = invoke("refresh", str(path), "--today", "2013-09-30")
    assert (code, err) == (0, "")
    assert row_cells(path)[header] == planned


@pytest.mark.parametrize("status, calls", [
    pytest.param(C.WITHDRAWN, (), id="status withdrawn"),
    pytest.param(None, [{"Date": date(2013, 10, 1), "Company": "Acme", "Outcome": C.OUTCOME_NOT_SELECTED}],
                 id="not selected on Calls"),
])
def test_a_date_typed_over_next_call_on_a_closed_row_is_not_lost_silently(tmp_path, status, calls):
    path = tracker(tmp_path, calls=calls, Status=status)
    assert invoke("refresh", str(path), "--today", "2013-10-03")[0] == 0
    write_cells(path, C.INTERVIEWS, {ref("Next Call"): date(2013, 10, 28)})  # "call them for feedback then"
    code, _, err = invoke("refresh", str(path), "--today", "2013-10-03")
    cells = row_cells(path)
    assert day(cells["Next Call"]) == date(2013, 10, 28) and cells["Flag"] == C.FLAG_CLOSED
    assert "Next Call Mon 28 Oct 2013 was set by hand and is kept, though the row is closed" in cells["Why"]


def test_text_typed_over_next_call_is_kept_and_reported(tmp_path):
    path = tracker(tmp_path)
    invoke("refresh", str(path), "--today", "2013-09-30")
    write_cells(path, C.INTERVIEWS, {ref("Next Call"): "after lunch"})
    code, _, err = invoke("refresh", str(path), "--today", "2013-09-30")
    assert code == 1
    assert err.splitlines() == [f"{path}: Interviews!P2: Next Call holds 'after lunch', which is not a date; refresh "
                                "keeps it. Fix: type a date to pin the call to that day, or clear the cell"]
    assert row_cells(path)["Next Call"] == "after lunch"


def test_sorting_rows_does_not_look_like_typing_over_them(tmp_path):
    rows = [{"Company": "Acme", "Position": "Analyst", "Contact": "Jane Roe", "Event Date": FRI},
            {"Company": "Globex", "Position": "Engineer", "Event Date": date(2013, 9, 30), "Type": C.NETWORKING,
             "Talking Point": "their new data team"}]
    path = tracker(tmp_path, rows=rows, calls=[{"Date": date(2013, 10, 2), "Company": "Acme",
                                                "Outcome": C.LEFT_VOICEMAIL}])
    assert invoke("refresh", str(path), "--today", "2013-10-03")[0] == 0
    write_cells(path, C.INTERVIEWS, {ref("Next Call", 3): date(2013, 10, 11)})  # a pin on Globex
    assert invoke("refresh", str(path), "--today", "2013-10-03")[0] == 0
    before = {2: row_cells(path, 2), 3: row_cells(path, 3)}
    wb = openpyxl.load_workbook(path)  # sort by company, descending: the two rows swap, record and all
    ws = wb[C.INTERVIEWS]
    width = len(C.INTERVIEW_HEADERS)
    second, third = ([ws.cell(r, j).value for j in range(1, width + 1)] for r in (2, 3))
    for j in range(1, width + 1):
        ws.cell(2, j).value, ws.cell(3, j).value = third[j - 1], second[j - 1]
    wb.save(path)
    code, out, err = invoke("refresh", str(path), "--today", "2013-10-03")
    assert (code, err) == (0, "")
    assert out == f"{path}: 2 rows, nothing changed (2 upcoming)\n"
    assert row_cells(path, 2) == before[3] and row_cells(path, 3) == before[2]
    assert day(row_cells(path, 2)["Next Call"]) == date(2013, 10, 11)  # the pin moved with its row
    assert "set by hand" in row_cells(path, 2)["Why"]


# --- 10. Other editors: LibreOffice's lock file, the agenda's width ---------------------

@pytest.mark.parametrize("name", ["tracker.xlsx", "Job Search 2013.xlsx", "caf\u00e9.xlsx"])
@pytest.mark.parametrize("options", [[], ["-o", "OUT"]], ids=["in place", "to another file"])
def test_refresh_refuses_a_tracker_open_in_libreoffice_and_leaves_it_unchanged(tmp_path, name, options):
    path = tracker(tmp_path, name)
    (tmp_path / f".~lock.{name}#").write_text(",Sam Lee,host,02.10.2013 10:00,file:///home/sam/.config/lo;")
    before = path.read_bytes()
    options = [str(tmp_path / "out.xlsx") if o == "OUT" else o for o in options]
    code, out, err = invoke("refresh", str(path), "--today", "2013-10-02", *options)
    assert (code, out) == (1, "")
    assert err == (f"{path}: is open in LibreOffice (lock file .~lock.{name}#). Fix: close it in LibreOffice first, "
                   "then run the command again\n")
    assert "LibreOffice" in err and path.read_bytes() == before and not (tmp_path / "out.xlsx").exists()


def test_a_lock_file_of_another_workbook_does_not_block_and_a_folder_does_the_rest(tmp_path):
    locked, free = tracker(tmp_path, "locked.xlsx"), tracker(tmp_path, "free.xlsx")
    (tmp_path / ".~lock.locked.xlsx#").write_text("x")
    (tmp_path / ".~lock.elsewhere.xlsx#").write_text("x")
    before = locked.read_bytes()
    code, out, err = invoke("refresh", str(tmp_path), "--today", "2013-10-02")
    assert code == 1 and locked.read_bytes() == before
    assert "is open in LibreOffice" in err and str(locked) in err and str(free) not in err
    assert f"{free}: 1 row, " in out
    assert row_cells(free)["Flag"] == C.DUE_TODAY


AGENDA_ROWS = [
    {"Company": "Acme Widgets International Holdings", "Position": "Senior Principal Data Analyst",
     "Contact": "Jane Roe", "Event Date": FRI,
     "Talking Point": "the migration of forty regional warehouses to one platform"},
    {"Company": "Globex", "Position": "Engineer", "Contact": "Bruce Wayne", "Event Date": date(2013, 9, 30),
     "Type": C.NETWORKING},
]
AGENDA_CONTACTS = [
    {"Name": "Jane Roe", "Company": "Acme", "Phone": "+1 (312) 555-0100",
     "Email": "jane.roe@acme-widgets-international.example.com", "Time Zone": "Australia/Sydney"},
    {"Name": "Bruce Wayne", "Company": "Globex", "Phone": "+49 30 1234567", "Time Zone": "Europe/Berlin"},
]


@pytest.mark.parametrize("columns", [60, 100])
@pytest.mark.parametrize("how", ["cli runner", "pipe"])
def test_the_agenda_is_never_wider_than_columns_when_piped(tmp_path, columns, how):
    path = tracker(tmp_path, rows=AGENDA_ROWS, contacts=AGENDA_CONTACTS)
    args = ["agenda", str(path), "--today", "2013-10-01", "--days", "7"]
    if how == "pipe":
        proc = subprocess.run([sys.executable, "-m", "workbook_tools", *args], capture_output=True, text=True,
                              env={**os.environ, "COLUMNS": str(columns)}, encoding="utf-8")
        code, out, err = proc.returncode, proc.stdout, proc.stderr
    else:
        code, out, err = invoke(*args, env={"COLUMNS": str(columns)})
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert max(len(line) for line in lines) <= columns
    assert max(len(line) for line in lines) > columns - 10  # the width is used
    assert "#1 Call Jane Roe" in out and "Call Bruce Wayne" in out


@pytest.mark.parametrize("columns", [
    60,
    100,
])
def test_the_agenda_does_not_break_a_flag_word(tmp_path, columns):
    path = tracker(tmp_path, rows=AGENDA_ROWS, contacts=AGENDA_CONTACTS)
    code, out, _ = invoke("agenda", str(path), "--today", "2013-10-01", "--days", "7",
                          env={"COLUMNS": str(columns)})
    assert code == 0
    table = out.split("\n#1 ")[0]
    assert "Upcomin " not in table and "Upcomin\u2502" not in table.replace(" ", "")
    assert "Upcoming" in table
