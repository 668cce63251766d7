"""Call When: phrases, weekdays, written dates and "don't call", as earliest days."""

from __future__ import annotations

from datetime import date

import pytest

from workbook_tools.core.call_when import Unreadable, parse_call_when

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
