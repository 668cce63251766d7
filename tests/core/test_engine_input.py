"""The engine on trackers filled the way people fill them: every cell it cannot read shows
on its row, year-less dates, Call When phrases, contacts abroad, closed rows keeping
their calls, and scripts that read right whatever is blank."""

from __future__ import annotations

import re
from datetime import date

import pytest

from workbook_tools import contract as C
from workbook_tools.core.engine import compute
from workbook_tools.core.grid import tracker_data
from workbook_tools.core.rules.texts import DEFAULT_SCRIPTS

FRI = date(2013, 9, 27)  # seed 000's interview
SETTINGS = {"Your Name": "Sam Lee", "Your Phone": "555-0199", "Your Email": "sam@example.com",
            "Time Zone": "America/New_York"}
JANE = {"Name": "Jane Roe", "Phone": "555-0100", "Time Zone": "America/Chicago"}


def run(calls=(), today=date(2013, 9, 30), settings=None, contacts=None, rows=None, **row):
    interview = {"Company": "Acme", "Position": "Analyst", "Contact": "Jane Roe", "Event Date": FRI, **row}
    data = tracker_data(rows if rows is not None else [interview], [{"Company": "Acme", **c} for c in calls],
                        contacts if contacts is not None else [JANE], {**SETTINGS, **(settings or {})})
    return compute(data, today)


# --- every cell it cannot read shows on its row ---------------------------------------------

@pytest.mark.parametrize("where, cell, row, calls, settings, contacts", [
    ("Type", "Interviews!D2", {"Type": "Coffee chat"}, (), None, None),
    ("Status", "Interviews!I2", {"Status": "Pending"}, (), None, None),
    ("Cadence", "Interviews!H2", {"Cadence": "Often"}, (), None, None),
    ("Call When", "Interviews!G2", {"Call When": "whenever suits"}, (), None, None),
    ("Decision By", "Interviews!F2", {"Decision By": "March"}, (), None, None),
    ("Calls Date", "Calls!A2", {}, [{"Date": "Tuesday", "Outcome": C.NO_ANSWER}], None, None),
    ("Calls Outcome", "Calls!E2", {}, [{"Date": date(2013, 9, 30), "Outcome": "Rang"}], None, None),
    ("Calls New Date", "Calls!F2", {}, [{"Date": date(2013, 9, 30), "Outcome": C.NEW_DATE, "New Date": "9:30"}],
     None, None),
    ("Settings Country", "Settings!B6", {}, (), {"Country": "XX"}, None),
    ("Settings Time Zone", "Settings!B5", {}, (), {"Time Zone": "Pacific"}, None),
    ("Settings days", "Settings!B6", {}, (), {"Days After Decision": "two"}, None),
    ("Contacts Time Zone", "Contacts!F2", {}, (), None, [{"Name": "Jane Roe", "Time Zone": "US"}]),
    ("Contacts Country", "Contacts!G2", {}, (), None, [{"Name": "Jane Roe", "Country": "Atlantis"}]),
    ("Contact", "Interviews!C2", {"Contact": "Jane Doe"}, (), None, None),
])
def test_what_cannot_be_read_is_a_problem_and_shows_on_its_row(where, cell, row, calls, settings, contacts):
    result = run(calls, settings=settings, contacts=contacts, **row)
    res = result.rows[0]
    assert [p.where() for p in result.problems] == [cell], where
    assert f"not understood: {cell}" in res.why and res.next_action.startswith(f"Check {cell} (see Why).")
    assert res.flag in C.FLAGS  # the rest of the row is still planned


def test_a_row_that_cannot_be_planned_says_which_cells_to_fix():
    res = run(**{"Event Date": "the 3rd-ish", "Company": None}).rows[0]
    assert res.flag is None and res.next_call is None
    assert res.next_action == "Cannot plan this row: fix Interviews!E2, Interviews!A2 (see Why), then refresh again."
    assert "Event Date 'the 3rd-ish' is not a date" in res.why


# --- dates typed without a year, by column ------------------------------------------------

@pytest.mark.parametrize("column, typed, today, read_as", [
    ("Event Date", "9/27", date(2013, 9, 30), date(2013, 9, 27)),  # an event: on or before today
    ("Event Date", "12/30", date(2014, 1, 2), date(2013, 12, 30)),  # ... across the new year
    ("Event Date", "27 Sep", date(2013, 9, 30), date(2013, 9, 27)),
    ("Decision By", "Jan 3", date(2013, 9, 30), date(2014, 1, 3)),  # a decision: on or after the event
    ("Decision By", "10/3", date(2013, 9, 30), date(2013, 10, 3)),
])
def test_a_date_without_a_year_is_the_nearest_that_makes_sense(column, typed, today, read_as):
    result = run(today=today, **{column: typed})
    res, lead = result.rows[0], result.leads[0]
    assert (lead.event if column == "Event Date" else lead.decision) == read_as and not result.problems
    assert f"'{typed}' has no year: read as" in res.why and str(read_as.year) in res.why
    assert "2000" not in res.why and res.next_call.year != 2000


@pytest.mark.parametrize("typed", ["March", "Tuesday", "9:30", "9am", 0, -3, "soon"])
def test_words_times_and_serials_of_zero_or_less_are_not_dates(typed):
    result = run(**{"Decision By": typed})
    assert [p.where() for p in result.problems] == ["Interviews!F2"]
    assert result.leads[0].decision is None and "not understood: Interviews!F2" in result.rows[0].why


# --- Call When ------------------------------------------------------------------------------

@pytest.mark.parametrize("said, event, next_call, why_has", [
    # After applying: 3 business days after the event, then Call When's days.
    ("mid-week", date(2013, 9, 27), date(2013, 10, 2), "allows this day (mid-week: Tue 1 to Thu 3 Oct 2013)"),
    ("early next week", date(2013, 9, 25), date(2013, 9, 30), "allows this day (early next week: Mon 30 Sep"),
    ("end of next week", date(2013, 9, 25), date(2013, 10, 3), "moved to Thu 3 Oct 2013 by Call When"),
    ("next week", date(2013, 9, 23), date(2013, 9, 30), "moved to Mon 30 Sep 2013 by Call When 'next week'"),
])
def test_call_when_ranges_land_inside_their_days(said, event, next_call, why_has):
    res = run(**{"Call When": said, "Event Date": event, "Type": C.APPLICATION}).rows[0]
    assert res.next_call == next_call and why_has in res.why, res.why


def test_call_when_moves_the_call_and_why_says_how():
    res = run(**{"Call When": "after Thanksgiving", "Event Date": date(2013, 11, 25)},
              settings={"Country": "US"}).rows[0]
    assert res.next_call == date(2013, 11, 29)  # Thanksgiving is Thu 28 Nov 2013; 3 business days = Fri 29
    res = run(**{"Call When": "after Thanksgiving", "Event Date": date(2013, 11, 20)},
              settings={"Country": "US"}).rows[0]
    assert res.next_call == date(2013, 11, 29)
    assert "moved to Fri 29 Nov 2013 by Call When 'after Thanksgiving'" in res.why


def test_an_unknown_call_when_phrase_is_a_problem_on_the_row():
    result = run(**{"Call When": "when the moon is full"})
    assert [p.where() for p in result.problems] == ["Interviews!G2"]
    assert "planned without it" in result.rows[0].why


# --- contacts abroad -------------------------------------------------------------------------

def test_a_contact_abroad_is_called_on_a_working_day_in_both_countries():
    hans = {"Name": "Hans Meier", "Time Zone": "Europe/Berlin"}
    # 3 business days after Mon 30 Sep 2013 is Thu 3 Oct: German Unity Day, a holiday in DE only.
    result = run(contacts=[hans], settings={"Country": "US"}, Contact="Hans Meier", **{"Event Date": date(2013, 9, 30)})
    res = result.rows[0]
    assert res.next_call == date(2013, 10, 4) and "in DE" in res.why and not result.problems
    assert "Europe/Berlin" in res.call_window and "your time" in res.call_window
    assert "only their late-afternoon window falls inside your day" in res.why


def test_the_contacts_country_column_overrides_their_zone():
    hans = {"Name": "Hans Meier", "Time Zone": "America/New_York", "Country": "DE"}
    res = run(contacts=[hans], settings={"Country": "US"}, Contact="Hans Meier",
              **{"Event Date": date(2013, 9, 30)}).rows[0]
    assert res.next_call == date(2013, 10, 4)


def test_your_date_shows_when_it_is_another_day_for_you():
    kim = {"Name": "Kim Lee", "Time Zone": "Australia/Sydney"}
    result = run(contacts=[kim], Contact="Kim Lee", settings={"Time Zone": "America/Los_Angeles"})
    res = result.rows[0]
    assert re.search(r"; \w{3} \d+ \w{3} \d+:\d\d\u2013\d+:\d\d your time", res.call_window), res.call_window
    assert res.your_day is not None and res.your_day != res.next_call


# --- contacts matched leniently, greeted as on Contacts ---------------------------------------

@pytest.mark.parametrize("typed, on_contacts", [
    ("jane roe", "Jane Roe"), ("Jane  Roe", "Jane Roe"), ("O'Brien, Pat", "O\u2019Brien, Pat"),
    ("Mary-Ann Smith", "Mary Ann Smith"),
])
def test_contacts_match_leniently_and_greet_by_the_contacts_spelling(typed, on_contacts):
    result = run(contacts=[{"Name": on_contacts, "Phone": "555-0100"}], Contact=typed)
    assert not result.problems
    assert f"Call {on_contacts} on" in result.rows[0].next_action


def test_an_unknown_contact_names_the_closest():
    result = run(contacts=[{"Name": "Jane Roe"}, {"Name": "John Ray"}], Contact="Jane Rowe")
    assert [p.where() for p in result.problems] == ["Interviews!C2"]
    assert "'Jane Roe'" in result.problems[0].fix


# --- a company's closed rows keep their calls ------------------------------------------------

def test_calls_stay_with_the_closed_row_they_follow():
    rows = [{"Company": "Acme", "Position": "Analyst", "Event Date": FRI, "Status": C.NOT_SELECTED},
            {"Company": "Acme", "Position": "Lead", "Event Date": date(2013, 11, 4)}]
    calls = [{"Date": date(2013, 10, 2), "Outcome": C.LEFT_VOICEMAIL},
             {"Date": date(2013, 10, 7), "Outcome": C.OUTCOME_NOT_SELECTED},
             {"Date": date(2013, 11, 7), "Outcome": C.NO_ANSWER}]
    result = run(calls, today=date(2013, 11, 8), rows=rows)
    old, new = result.leads
    assert [c.day for c in old.calls] == [date(2013, 10, 2), date(2013, 10, 7)]
    assert [c.day for c in new.calls] == [date(2013, 11, 7)] and not result.problems
    assert result.rows[1].flag == C.UPCOMING


def test_a_real_tie_is_a_problem():
    rows = [{"Company": "Acme", "Position": "Analyst", "Event Date": FRI},
            {"Company": "Acme", "Position": "Lead", "Event Date": FRI}]
    result = run([{"Date": date(2013, 10, 2), "Outcome": C.NO_ANSWER}], rows=rows)
    assert [p.where() for p in result.problems] == ["Calls!D2"]
    assert all("not understood: Calls!D2" in r.why for r in result.rows)


# --- scripts that read right -----------------------------------------------------------------

@pytest.mark.parametrize("type_", C.TYPES)
@pytest.mark.parametrize("calls, status", [
    ((), None), ([{"Date": date(2013, 9, 30), "Outcome": C.LEFT_VOICEMAIL}], None),
    ([{"Date": date(2013, 9, 30), "Outcome": C.NO_ANSWER}] * 3, None),
    ([{"Date": date(2013, 9, 30), "Outcome": C.OUTCOME_NOT_SELECTED}], None), ((), C.OFFER),
])
def test_every_built_in_script_reads_right_with_every_optional_cell_blank(type_, calls, status):
    data = tracker_data([{"Company": "Acme", "Event Date": FRI, "Type": type_, "Status": status}],
                        [{"Company": "Acme", **c} for c in calls],
                        settings={"Your Name": "", "Your Phone": "", "Your Email": ""})
    res = compute(data, date(2013, 9, 30)).rows[0]
    for script in (res.call_script, res.email_script):
        if script:
            assert not re.search(r"[\[\]{}]", script), script
            assert "  " not in script and " ," not in script and " ." not in script, script
            assert type_ == C.INTERVIEW or "interview" not in script.casefold(), script


def test_every_default_text_is_free_of_brackets():
    assert not [name for name, text in DEFAULT_SCRIPTS.items() if re.search(r"\[[^\]]*\]", text)]


@pytest.mark.parametrize("days, due, late", [(0, True, False), (2, True, False), (3, False, True),
                                             (14, False, True), (15, False, False)])
def test_the_thank_you_is_due_then_late_then_dropped(days, due, late):
    from datetime import timedelta

    res = run(today=FRI + timedelta(days=days), Cadence="Weekly").rows[0]
    action = res.next_action or ""
    assert ("Send the thank-you email today" in action) == due
    assert ("The thank-you email is late" in action) == late
    assert bool(res.email_script) == (due or late)


def test_weekly_calls_do_not_repeat_last_weeks_words():
    scripts = []
    calls = []
    for _ in range(3):
        res = run(calls, Type=C.NETWORKING, today=date(2013, 12, 1)).rows[0]
        scripts.append(res.call_script)
        calls.append({"Date": res.next_call, "Outcome": C.LEFT_VOICEMAIL})
    assert len(set(scripts)) == 3


def test_scripts_use_the_decision_date():
    res = run(**{"Decision By": date(2013, 10, 4)}, Cadence="Weekly").rows[0]
    assert "Friday 4 October" in res.call_script


@pytest.mark.parametrize("words", ["seed 0", "the wait is ours", "restarts", "(ours"])
def test_why_and_next_action_are_plain_words(words):
    calls = [{"Date": date(2013, 10, 2), "Outcome": C.SPOKE}, {"Date": date(2013, 10, 9), "Outcome": C.NO_ANSWER}]
    for type_ in C.TYPES:
        for cadence in ("Three calls", "Weekly", "One call", "After applying"):
            res = run(calls, Type=type_, Cadence=cadence, today=date(2013, 12, 1)).rows[0]
            assert words not in (res.why or "") + (res.next_action or ""), (type_, cadence)


@pytest.mark.parametrize("typed, fix_starts", [
    ("Germany", "write DE, the code of Germany"),
    ("Atlantis", "write the ISO 3166 code of the country they work in"),
])
def test_a_contacts_country_written_by_name_is_answered_with_its_code(typed, fix_starts):
    result = run(contacts=[{"Name": "Jane Roe", "Country": typed}])
    assert [p.where() for p in result.problems] == ["Contacts!G2"]
    assert result.problems[0].fix.startswith(fix_starts)
