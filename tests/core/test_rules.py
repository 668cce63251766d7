"""The rule modules, as tables of literal cases: waits, working days, Call When, windows,
scripts."""

from __future__ import annotations

from datetime import date

import pytest

from workbook_tools.core.cadences import BUILTIN_CADENCES, Wait, cadence_rows, parse_from, parse_wait
from workbook_tools.core.call_when import Unreadable, parse_call_when
from workbook_tools.core.scripts import compile_template, first_name
from workbook_tools.core.values import BadValue, as_date, dayfirst_for
from workbook_tools.core.windows import describe_window
from workbook_tools.core.workdays import UnknownRegion, WorkCalendar


@pytest.mark.parametrize("text, wait", [
    ("3 business days", Wait(business_days=3)),
    ("1 week", Wait(weeks=1)),
    ("10 days", Wait(days=10)),
    ("2 Weeks", Wait(weeks=2)),
    ("one week + 1 business day", Wait(weeks=1, business_days=1)),
    ("1 week and 2 working days", Wait(weeks=1, business_days=2)),
    ("  5  business   days ", Wait(business_days=5)),
    (7, Wait(days=7)),
    (7.0, Wait(days=7)),
])
def test_parse_wait(text, wait):
    assert parse_wait(text) == wait


@pytest.mark.parametrize("text", ["soon", "", "3 fortnights", "week", None, True, -1, 2.5, "3 business days +"])
def test_parse_wait_unreadable(text):
    assert parse_wait(text) is None


@pytest.mark.parametrize("text, start", [
    ("event", "event"), ("Previous call", "previous call"), (" EVENT ", "event"), ("yesterday", None), (None, None),
])
def test_parse_from(text, start):
    assert parse_from(text) == start


def test_builtin_cadences_cite_their_seed_and_round_trip_as_rows():
    for cadence in BUILTIN_CADENCES.values():
        assert cadence.source.startswith("seed 00")
        for name, step, wait, start in cadence_rows(cadence):
            assert parse_wait(wait) is not None and parse_from(start) == start and name == cadence.name


@pytest.mark.parametrize("country, subdivision, start, n, expected, holidays", [
    # weekends only: Fri + 3 business days = Wed (seed 000)
    (None, None, date(2013, 9, 27), 3, date(2013, 10, 2), ()),
    (None, None, date(2013, 10, 7), 1, date(2013, 10, 8), ()),
    # US federal: Columbus Day 2013-10-14 is skipped
    ("US", None, date(2013, 10, 11), 1, date(2013, 10, 15), ("Columbus Day",)),
    # Israel: Friday-Saturday weekend; Thursday + 1 = Sunday
    ("IL", None, date(2024, 1, 4), 1, date(2024, 1, 7), ()),
    ("IL", None, date(2024, 1, 5), 1, date(2024, 1, 7), ()),
    # a subdivision holiday: Patriots' Day in Massachusetts only
    ("US", "MA", date(2024, 4, 12), 1, date(2024, 4, 16), ("Patriots' Day",)),
    ("US", None, date(2024, 4, 12), 1, date(2024, 4, 15), ()),
    # the year boundary: New Year's Day skipped
    ("US", None, date(2025, 12, 31), 1, date(2026, 1, 2), ("New Year's Day",)),
    (None, None, date(2026, 12, 31), 1, date(2027, 1, 1), ()),
    ("GB", "ENG", date(2026, 12, 24), 1, date(2026, 12, 29), ("Christmas Day", "Boxing Day", "Boxing Day (observed)")),
    # zero days stays put
    (None, None, date(2013, 9, 28), 0, date(2013, 9, 28), ()),
])
def test_business_days(country, subdivision, start, n, expected, holidays):
    shift = WorkCalendar(country, subdivision).add_business_days(start, n)
    assert shift.day == expected
    assert tuple(name for _, name in shift.holidays_skipped) == holidays


@pytest.mark.parametrize("country, day, expected", [
    (None, date(2013, 10, 12), date(2013, 10, 14)),  # Saturday -> Monday
    ("US", date(2013, 10, 12), date(2013, 10, 15)),  # ... -> Tuesday after Columbus Day
    ("IL", date(2024, 1, 5), date(2024, 1, 7)),  # Friday -> Sunday
    ("IL", date(2024, 1, 7), date(2024, 1, 7)),  # Sunday is a working day there
])
def test_on_or_after(country, day, expected):
    assert WorkCalendar(country).on_or_after(day).day == expected


@pytest.mark.parametrize("country, subdivision, what, listed", [
    ("XX", None, "country", "US"),
    ("US", "ZZ", "subdivision", "MA"),
])
def test_unknown_region_lists_valid_codes(country, subdivision, what, listed):
    with pytest.raises(UnknownRegion) as err:
        WorkCalendar(country, subdivision)
    assert err.value.what == what and listed in err.value.valid


EVENT = date(2013, 9, 27)  # a Friday


@pytest.mark.parametrize("said, earliest", [
    ("after Tuesday", date(2013, 10, 2)),
    ("Tuesday", date(2013, 10, 1)),
    ("call them on Monday", date(2013, 9, 30)),
    ("next Thursday", date(2013, 10, 3)),
    ("around mid-week", date(2013, 10, 2)),
    ("next week", date(2013, 9, 30)),
    ("end of the week", date(2013, 10, 4)),
    ("end of the month", date(2013, 9, 30)),
    ("in 2 weeks", date(2013, 10, 11)),
    ("in a couple of weeks", date(2013, 10, 11)),
    ("in 10 days", date(2013, 10, 7)),
    ("Oct 15", date(2013, 10, 15)),
    ("October 15th", date(2013, 10, 15)),
    ("after Oct 15", date(2013, 10, 16)),
    ("10/15", date(2013, 10, 15)),
    ("15/10", date(2013, 10, 15)),
    ("January 5", date(2014, 1, 5)),  # no year, before the event: next year
    ("2013-10-09", date(2013, 10, 9)),
    (date(2013, 10, 9), date(2013, 10, 9)),
])
def test_call_when(said, earliest):
    assert parse_call_when(said, EVENT).earliest == earliest


def test_call_when_day_first_country():
    assert parse_call_when("3/10", EVENT, dayfirst=True).earliest == date(2013, 10, 3)
    assert parse_call_when("3/10", EVENT, dayfirst=False).earliest == date(2014, 3, 10)


@pytest.mark.parametrize("said", ["don't call us, we'll call you", "They will call", "do not call"])
def test_call_when_no_calls(said):
    assert parse_call_when(said, EVENT).no_calls


def test_call_when_business_days_and_blank():
    assert parse_call_when("in 3 business days", EVENT).business_days == 3
    assert parse_call_when("  ", EVENT) is None and parse_call_when(None, EVENT) is None


@pytest.mark.parametrize("said", ["whenever", "soonish maybe later", "42"])
def test_call_when_unreadable(said):
    with pytest.raises(Unreadable):
        parse_call_when(said, EVENT)


@pytest.mark.parametrize("attempt, contact_tz, user_tz, expected", [
    (0, "America/Chicago", "America/New_York",
     "8:05\u20138:30 their time, America/Chicago (early, before the day's meetings); 9:05\u20139:30 your time"),
    (1, "America/Chicago", "America/Chicago", "12:10\u201312:50 their time, America/Chicago (around lunch)"),
    (2, None, "America/New_York", "16:35\u201317:15 your time (late afternoon)"),
    (3, None, None, "8:05\u20138:30 their time (early, before the day's meetings)"),
    (0, "Europe/London", "America/Los_Angeles",
     "8:05\u20138:30 their time, Europe/London (early, before the day's meetings); 0:05\u20130:30 your time"),
])
def test_call_windows_rotate_and_convert(attempt, contact_tz, user_tz, expected):
    assert describe_window(date(2013, 10, 2), attempt, contact_tz, user_tz) == expected


def test_window_conversion_follows_daylight_saving():
    # 3 Nov 2013: the US leaves DST a week after Europe, so London-New York is 4 hours apart.
    text = describe_window(date(2013, 10, 28), 0, "Europe/London", "America/New_York")
    assert text.endswith("4:05\u20134:30 your time")


@pytest.mark.parametrize("text, values, rendered, unknown", [
    ("Hi {First Name}, {Your Name} here", {"first name": "Jo", "your name": "Sam"}, "Hi Jo, Sam here", ()),
    ("About {Talking Point}.", {}, "About [Talking Point].", ()),
    ("{ company }!", {"company": "=HYPERLINK(1)"}, "=HYPERLINK(1)!", ()),
    ("{Shoe Size} and {Company}", {"company": "Acme"}, "{Shoe Size} and Acme", ("Shoe Size",)),
])
def test_templates(text, values, rendered, unknown):
    tpl = compile_template("t", text, {"first name", "your name", "talking point", "company"})
    assert tpl.render(values) == rendered and tpl.unknown == unknown


@pytest.mark.parametrize("full, first", [("Dr. Jane Roe", "Jane"), ("Roe, Jane", "Jane"), ("Cher", "Cher")])
def test_first_name(full, first):
    assert first_name(full) == first


@pytest.mark.parametrize("value, dayfirst, expected", [
    (date(2013, 9, 27), False, date(2013, 9, 27)),
    ("2013-09-27", False, date(2013, 9, 27)),
    ("27/09/2013", True, date(2013, 9, 27)),
    ("09/27/2013", False, date(2013, 9, 27)),
    ("Sept 27 2013", False, date(2013, 9, 27)),
    (41544.0, False, date(2013, 9, 27)),  # an Excel serial typed into a cell without a date format
    (None, False, None),
])
def test_as_date(value, dayfirst, expected):
    assert as_date(value, dayfirst) == expected


@pytest.mark.parametrize("value", ["next tuesday-ish", "2013-13-45", True])
def test_as_date_bad(value):
    with pytest.raises(BadValue):
        as_date(value)


@pytest.mark.parametrize("country, dayfirst", [("US", False), ("GB", True), (None, False), ("", False), ("de", True)])
def test_dayfirst_for(country, dayfirst):
    assert dayfirst_for(country) is dayfirst
