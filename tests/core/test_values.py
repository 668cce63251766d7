"""Cell values read as dates (with and without a year), which countries write the day
first, and the reasons given for what is not a date."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from workbook_tools.core.values import FUTURE, PAST, BadValue, DateReading, as_date, dayfirst_for, read_date, span_text

NEAR = date(2026, 3, 15)  # a Sunday


@pytest.mark.parametrize("value, dayfirst, expected", [
    (date(2013, 9, 27), False, date(2013, 9, 27)),
    (datetime(2013, 9, 27, 14, 30), False, date(2013, 9, 27)),
    ("2013-09-27", False, date(2013, 9, 27)),
    ("27/09/2013", True, date(2013, 9, 27)),
    ("09/27/2013", False, date(2013, 9, 27)),
    ("27/09/2013", False, date(2013, 9, 27)),  # 27 can only be the day
    ("Sept 27 2013", False, date(2013, 9, 27)),
    ("27th of September 2013", False, date(2013, 9, 27)),
    ("Fri 27 Sep 2013", False, date(2013, 9, 27)),
    ("27.09.2013", True, date(2013, 9, 27)),
    ("20130927", False, date(2013, 9, 27)),
    ("2013-09-27 9:30", False, date(2013, 9, 27)),
    (41544.0, False, date(2013, 9, 27)),  # an Excel serial typed into a cell without a date format
    (41544, False, date(2013, 9, 27)),
    (41544.75, False, date(2013, 9, 27)),  # a serial with a time of day: its date
    (1, False, date(1900, 1, 1)),
    (59, False, date(1900, 2, 28)),
    (61, False, date(1900, 3, 1)),
    (2958465, False, date(9999, 12, 31)),
    ("9999-12-31", False, date(9999, 12, 31)),
    (None, False, None),
    ("", False, None),
    ("   ", False, None),
])
def test_as_date(value, dayfirst, expected):
    assert as_date(value, dayfirst) == expected


@pytest.mark.parametrize("value", ["next tuesday-ish", "2013-13-45", True, "10/3", "3 Oct", "March", "9:30"])
def test_as_date_bad(value):
    with pytest.raises(BadValue):
        as_date(value)


def test_as_date_says_a_year_is_missing_instead_of_inventing_2000():
    with pytest.raises(BadValue, match="'10/3' has no year"):
        as_date("10/3")


@pytest.mark.parametrize("text, dayfirst, near, towards, expected", [
    # PAST: the latest such day on or before `near`
    ("10/3", True, NEAR, PAST, date(2026, 3, 10)),
    ("10/3", False, NEAR, PAST, date(2025, 10, 3)),
    ("15/3", False, NEAR, PAST, date(2026, 3, 15)),  # `near` itself counts
    ("16/3", True, NEAR, PAST, date(2025, 3, 16)),
    ("3 Oct", True, NEAR, PAST, date(2025, 10, 3)),
    ("Oct 3", False, NEAR, PAST, date(2025, 10, 3)),
    ("3rd of October", False, NEAR, PAST, date(2025, 10, 3)),
    ("12/30", False, date(2027, 1, 2), PAST, date(2026, 12, 30)),  # across the year's end
    ("29 Feb", True, NEAR, PAST, date(2024, 2, 29)),  # the nearest leap year back
    ("2/29", False, date(2024, 2, 28), PAST, date(2020, 2, 29)),
    # FUTURE: the earliest such day on or after `near`
    ("10/3", True, NEAR, FUTURE, date(2027, 3, 10)),
    ("10/3", False, NEAR, FUTURE, date(2026, 10, 3)),
    ("15/3", True, NEAR, FUTURE, date(2026, 3, 15)),
    ("1/2", False, date(2026, 12, 30), FUTURE, date(2027, 1, 2)),  # across the year's end
    ("29 Feb", False, NEAR, FUTURE, date(2028, 2, 29)),
    ("29/2", True, date(2028, 2, 29), FUTURE, date(2028, 2, 29)),
    ("3.10.", True, NEAR, FUTURE, date(2026, 10, 3)),  # as written in Germany
    ("Tue 1 Dec", True, NEAR, FUTURE, date(2026, 12, 1)),  # the weekday agrees
])
def test_year_less_dates_are_placed_next_to_near(text, dayfirst, near, towards, expected):
    reading = read_date(text, dayfirst=dayfirst, near=near, towards=towards)
    assert reading is not None and reading.day == expected
    assert reading.assumed.startswith(f"'{text}' has no year: read as ")


def test_the_assumption_is_said_in_words():
    assert read_date("10/3", dayfirst=True, near=NEAR, towards=PAST) == DateReading(
        date(2026, 3, 10), "'10/3' has no year: read as Tue 10 Mar 2026")


@pytest.mark.parametrize("value", ["2013-10-15", "15/10/2013", date(2013, 10, 15), datetime(2013, 10, 15, 9), 41562])
def test_a_written_year_assumes_nothing(value):
    for towards in (PAST, FUTURE):
        assert read_date(value, dayfirst=True, near=NEAR, towards=towards) == DateReading(date(2013, 10, 15))


@pytest.mark.parametrize("value", [None, "", "  \t "])
def test_blank_is_none(value):
    assert read_date(value, dayfirst=False, near=NEAR, towards=PAST) is None


@pytest.mark.parametrize("value, reason", [
    ("March", "'March' is a month, not a date"),
    ("sept.", "'sept.' is a month, not a date"),
    ("Tuesday", "'Tuesday' is a day of the week, not a date"),
    ("next Fri", "'next Fri' is a day of the week, not a date"),
    ("9:30", "'9:30' is a time of day, not a date"),
    ("9am", "'9am' is a time of day, not a date"),
    ("14:00", "'14:00' is a time of day, not a date"),
    ("4.45 pm", "'4.45 pm' is a time of day, not a date"),
    ("noon", "'noon' is a time of day, not a date"),
    ("12", "'12' is a number, not a date"),
    ("2026", "'2026' is a year, not a date"),
    ("soon", "'soon' is not a date"),
    ("tbd", "'tbd' is not a date"),
    ("n/a", "'n/a' is not a date"),
    ("../../etc", "'../../etc' is not a date"),
    ("March 2026", "'March 2026' has no day of the month"),
    ("Tuesday 9:30", "'Tuesday 9:30' is not a date: it has no day and month"),
    ("31/2", "'31/2' is not a real day: that month is shorter"),
    ("29/2/2023", "'29/2/2023' is not a real day: that month is shorter"),
    ("2013-02-30", "'2013-02-30' is not a real day"),
    ("13/13/2013", "'13/13/2013' is not a date"),
    ("10/3/13", "'10/3/13' has a short year: write all four digits"),
    ("1899-12-31", "'1899-12-31' is before 1900"),
    ("1/1/1850", "'1/1/1850' is before 1900"),
    ("1 Jan 12000", "'1 Jan 12000' has a year after 9999"),
    ("Tue 16 Oct 2013", "'Tue 16 Oct 2013' says Tuesday, but 16 Oct 2013 is a Wednesday"),
    ("a\x00b", "'a?b' has characters no date has"),
    ("x" * 100_000, "'" + "x" * 37 + "...' is too long to be a date"),
    (0, "0 is not a date: Excel numbers dates from 1 = 1 Jan 1900 to 2958465 = 31 Dec 9999"),
    (0.0, "0 is not a date: Excel numbers dates from 1 = 1 Jan 1900"),
    (-5, "-5 is not a date: Excel numbers dates from 1 = 1 Jan 1900"),
    (3_000_000, "3000000 is not a date: Excel numbers dates from 1 = 1 Jan 1900"),
    (float("nan"), "nan is not a date"),
    (0.5, "0.5 is not a date"),
    pytest.param(10**5000, "a number that large is not a date", id="10**5000"),
    (60, "60 is not a date: Excel's day 60 is 29 Feb 1900, which never existed"),
    (True, "TRUE is not a date"),
])
def test_what_is_not_a_date_gets_a_plain_reason(value, reason):
    for towards in (PAST, FUTURE):
        with pytest.raises(BadValue) as caught:
            read_date(value, dayfirst=True, near=NEAR, towards=towards)
        assert str(caught.value).startswith(reason)


@pytest.mark.parametrize("value", [
    "\x00", "10/3\x00", "1" * 100_000, "Oct " * 25_000, "99999999999999999999999999992013299999m", "٣/١٠",
    "../../etc/passwd", "=1+1", "2013-10-15T25:00", "0/0", "1e9", "-1", "½", object(), b"2013-10-15",
    pytest.param(10**5000, id="10**5000"), -10**400, float("inf"), 1e308, 0.5, "1/1/0000",
])
def test_never_a_traceback(value):
    try:
        reading = read_date(value, dayfirst=False, near=NEAR, towards=FUTURE)
    except BadValue:
        return
    assert reading is None or isinstance(reading.day, date)


def test_towards_must_be_past_or_future():
    with pytest.raises(ValueError, match="towards"):
        read_date("10/3", dayfirst=True, near=NEAR, towards="sideways")


def test_no_year_fits_at_the_end_of_the_calendar():
    with pytest.raises(BadValue, match="has no year"):
        read_date("1/1", dayfirst=True, near=date(9999, 12, 31), towards=FUTURE)


@pytest.mark.parametrize("first, last, text", [
    (date(2013, 10, 1), date(2013, 10, 3), "Tue 1 to Thu 3 Oct 2013"),
    (date(2013, 9, 30), date(2013, 10, 4), "Mon 30 Sep to Fri 4 Oct 2013"),
    (date(2013, 12, 30), date(2014, 1, 3), "Mon 30 Dec 2013 to Fri 3 Jan 2014"),
    (date(2013, 10, 1), date(2013, 10, 1), "Tue 1 Oct 2013"),
])
def test_span_text(first, last, text):
    assert span_text(first, last) == text


@pytest.mark.parametrize("country, dayfirst", [("US", False), ("GB", True), (None, False), ("", False), ("de", True)])
def test_dayfirst_for(country, dayfirst):
    assert dayfirst_for(country) is dayfirst


@pytest.mark.parametrize("value, text", [
    ("abc", "'abc'"), (None, "''"), (3.0, "'3'"), ("x" * 60, repr("x" * 60)), ("x" * 61, repr("x" * 59 + "\u2026")),
    ("9" * 400 + " days", repr("9" * 59 + "\u2026")),
])
def test_a_cell_quoted_in_a_message_is_cut_short(value, text):
    from workbook_tools.core.values import shown

    assert shown(value) == text
