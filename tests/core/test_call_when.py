"""Call When: phrases, weekdays, written dates, holidays and "don't call", as spans of days."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from workbook_tools.core.call_when import CallWhen, Unreadable, parse_call_when
from workbook_tools.core.workdays import WorkCalendar

EVENT = date(2013, 9, 27)  # a Friday
MON, TUE, WED, THU, SAT, SUN = (date(2013, 9, 30), date(2013, 10, 1), date(2013, 10, 2), date(2013, 10, 3),
                                date(2013, 9, 28), date(2013, 9, 29))


@pytest.mark.parametrize("said, earliest", [
    ("after Tuesday", date(2013, 10, 2)),
    ("Tuesday", date(2013, 10, 1)),
    ("call them on Monday", date(2013, 9, 30)),
    ("next Thursday", date(2013, 10, 3)),
    ("around mid-week", date(2013, 10, 1)),  # the Tuesday of the coming Tuesday-to-Thursday
    ("next week", date(2013, 9, 30)),
    ("end of the week", date(2013, 10, 3)),  # none of this week's Thursday-Friday is left: next week's
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
    ("15.10.2013", date(2013, 10, 15)),
    (date(2013, 10, 9), date(2013, 10, 9)),
    (datetime(2013, 10, 9, 10, 30), date(2013, 10, 9)),
    (41561, date(2013, 10, 14)),  # a date in a cell formatted as a number
])
def test_call_when(said, earliest):
    assert parse_call_when(said, EVENT).earliest == earliest


@pytest.mark.parametrize("said, event, earliest, latest, means", [
    # seed 003: "around mid-week", said about the coming days: the next Tuesday to Thursday
    ("around mid-week", EVENT, TUE, THU, "mid-week: Tue 1 to Thu 3 Oct 2013"),
    ("midweek", EVENT, TUE, THU, "mid-week: Tue 1 to Thu 3 Oct 2013"),
    ("middle of the week", EVENT, TUE, THU, "mid-week: Tue 1 to Thu 3 Oct 2013"),
    ("Mid\u2013week", EVENT, TUE, THU, "mid-week: Tue 1 to Thu 3 Oct 2013"),
    ("mid-week", MON, TUE, THU, "mid-week: Tue 1 to Thu 3 Oct 2013"),  # said on Monday: this week's
    ("mid-week", TUE, date(2013, 10, 8), date(2013, 10, 10), "mid-week: Tue 8 to Thu 10 Oct 2013"),
    ("mid-week", WED, date(2013, 10, 8), date(2013, 10, 10), "mid-week: Tue 8 to Thu 10 Oct 2013"),
    ("middle of next week", EVENT, TUE, THU, "the middle of next week: Tue 1 to Thu 3 Oct 2013"),
    ("middle of next week", MON, date(2013, 10, 8), date(2013, 10, 10),
     "the middle of next week: Tue 8 to Thu 10 Oct 2013"),
    ("early next week", EVENT, MON, TUE, "early next week: Mon 30 Sep to Tue 1 Oct 2013"),
    ("beginning of next week", EVENT, MON, TUE, "early next week: Mon 30 Sep to Tue 1 Oct 2013"),
    ("start of next week", EVENT, MON, TUE, "early next week: Mon 30 Sep to Tue 1 Oct 2013"),
    ("next week", EVENT, MON, date(2013, 10, 4), "next week: Mon 30 Sep to Fri 4 Oct 2013"),
    ("next week", SUN, MON, date(2013, 10, 4), "next week: Mon 30 Sep to Fri 4 Oct 2013"),
    ("next week", MON, date(2013, 10, 7), date(2013, 10, 11), "next week: Mon 7 to Fri 11 Oct 2013"),
    ("end of next week", EVENT, THU, date(2013, 10, 4), "the end of next week: Thu 3 to Fri 4 Oct 2013"),
    ("late next week", EVENT, THU, date(2013, 10, 4), "the end of next week: Thu 3 to Fri 4 Oct 2013"),
    ("end of the week", EVENT, THU, date(2013, 10, 4), "the end of the week: Thu 3 to Fri 4 Oct 2013"),
    ("end of the week", WED, THU, date(2013, 10, 4), "the end of the week: Thu 3 to Fri 4 Oct 2013"),
    ("end of this week", THU, date(2013, 10, 4), date(2013, 10, 4), "the end of the week: Fri 4 Oct 2013"),
    ("later this week", MON, THU, date(2013, 10, 4), "the end of the week: Thu 3 to Fri 4 Oct 2013"),
    ("end of the week", SAT, THU, date(2013, 10, 4), "the end of the week: Thu 3 to Fri 4 Oct 2013"),
    ("end of the month", EVENT, MON, MON, "the end of the month: Mon 30 Sep 2013"),
    ("end of the month", MON, date(2013, 10, 31), date(2013, 10, 31), "the end of the month: Thu 31 Oct 2013"),
    ("next month", EVENT, TUE, date(2013, 10, 31), "next month: Tue 1 to Thu 31 Oct 2013"),
    ("early next month", EVENT, TUE, date(2013, 10, 10),
     "early next month (its first ten days): Tue 1 to Thu 10 Oct 2013"),
    ("tomorrow", EVENT, SAT, None, "tomorrow: Sat 28 Sep 2013 or later"),
    # a weekday or a date: that day or later
    ("Tuesday", EVENT, TUE, None, "Tuesday: Tue 1 Oct 2013 or later"),
    ("tues", EVENT, TUE, None, "Tuesday: Tue 1 Oct 2013 or later"),
    ("after Tuesday", EVENT, WED, None, "the day after Tuesday (Tue 1 Oct 2013): Wed 2 Oct 2013 or later"),
    ("right after Tuesday", EVENT, WED, None, "the day after Tuesday (Tue 1 Oct 2013): Wed 2 Oct 2013 or later"),
    ("next Thursday", EVENT, THU, None, "next Thursday: Thu 3 Oct 2013 or later"),
    ("not before Friday", EVENT, date(2013, 10, 4), None, "Friday: Fri 4 Oct 2013 or later"),
    ("after mid-week", EVENT, date(2013, 10, 4), None,
     "the day after mid-week (Tue 1 to Thu 3 Oct 2013): Fri 4 Oct 2013 or later"),
    ("in 2 weeks", EVENT, date(2013, 10, 11), None, "2 weeks after Fri 27 Sep 2013: Fri 11 Oct 2013 or later"),
    ("after 2 weeks", EVENT, date(2013, 10, 11), None, "2 weeks after Fri 27 Sep 2013: Fri 11 Oct 2013 or later"),
    ("in ten days", EVENT, date(2013, 10, 7), None, "10 days after Fri 27 Sep 2013: Mon 7 Oct 2013 or later"),
    ("2013-10-15", EVENT, date(2013, 10, 15), None, "Tue 15 Oct 2013 or later"),
    ("Oct 15", EVENT, date(2013, 10, 15), None, "Tue 15 Oct 2013 or later (no year written: the next one)"),
    ("by Oct 15", EVENT, date(2013, 10, 15), None, "Tue 15 Oct 2013 or later (no year written: the next one)"),
    ("after 15 Oct 2013", EVENT, date(2013, 10, 16), None,
     "the day after Tue 15 Oct 2013: Wed 16 Oct 2013 or later"),
    (date(2013, 10, 9), EVENT, date(2013, 10, 9), None, "Wed 9 Oct 2013 or later"),
    # "the holidays" needs no calendar: they end on New Year's Day
    ("after the holidays", EVENT, date(2014, 1, 2), None,
     "the day after the holidays, to New Year's Day (Wed 1 Jan 2014): Thu 2 Jan 2014 or later"),
    ("after the holiday season", date(2014, 1, 1), date(2014, 1, 2), None,
     "the day after the holidays, to New Year's Day (Wed 1 Jan 2014): Thu 2 Jan 2014 or later"),
])
def test_phrases_as_spans(said, event, earliest, latest, means):
    found = parse_call_when(said, event)
    assert (found.earliest, found.latest, found.means) == (earliest, latest, means)
    assert not found.no_calls and found.business_days == 0


def test_business_days_are_walked_by_the_engine():
    found = parse_call_when("in 3 business days", EVENT)
    assert found == CallWhen(EVENT, "in 3 business days", business_days=3,
                             means="3 business days after Fri 27 Sep 2013, days off skipped")
    assert parse_call_when("after three working days", EVENT).business_days == 3


def test_call_when_day_first_country():
    assert parse_call_when("3/10", EVENT, dayfirst=True).earliest == date(2013, 10, 3)
    assert parse_call_when("3/10", EVENT, dayfirst=False).earliest == date(2014, 3, 10)


@pytest.mark.parametrize("said", ["don't call us, we'll call you", "They will call", "do not call", "Don\u2019t call"])
def test_call_when_no_calls(said):
    found = parse_call_when(said, EVENT)
    assert found.no_calls and found.earliest is None and found.means


def test_call_when_blank():
    assert parse_call_when("  ", EVENT) is None and parse_call_when(None, EVENT) is None


def _fake_holidays(name: str, after: date) -> tuple[date, str] | None:
    """A calendar that knows one Thanksgiving and one Christmas."""
    table = {"thanksgiving": (date(2013, 11, 28), "Thanksgiving Day"),
             "christmas": (date(2013, 12, 25), "Christmas Day")}
    found = table.get(name)
    return found if found is not None and found[0] >= after else None


@pytest.mark.parametrize("said, earliest, means", [
    ("after Thanksgiving", date(2013, 11, 29),
     "the day after Thanksgiving Day (Thu 28 Nov 2013): Fri 29 Nov 2013 or later"),
    ("After the Thanksgiving holiday", date(2013, 11, 29),
     "the day after Thanksgiving Day (Thu 28 Nov 2013): Fri 29 Nov 2013 or later"),
    ("post-Thanksgiving", date(2013, 11, 29),
     "the day after Thanksgiving Day (Thu 28 Nov 2013): Fri 29 Nov 2013 or later"),
    ("post thanksgiving", date(2013, 11, 29),
     "the day after Thanksgiving Day (Thu 28 Nov 2013): Fri 29 Nov 2013 or later"),
    ("after Christmas", date(2013, 12, 26), "the day after Christmas Day (Wed 25 Dec 2013): Thu 26 Dec 2013 or later"),
])
def test_after_a_holiday_with_a_lookup(said, earliest, means):
    found = parse_call_when(said, EVENT, holidays=_fake_holidays)
    assert (found.earliest, found.latest, found.means) == (earliest, None, means)


def test_the_lookup_is_asked_for_the_name_from_the_event():
    asked = []

    def lookup(name: str, after: date) -> tuple[date, str] | None:
        asked.append((name, after))
        return None

    with pytest.raises(Unreadable):
        parse_call_when("after the Easter break", EVENT, holidays=lookup)
    assert asked == [("easter", EVENT)]


@pytest.mark.parametrize("country, said, event, earliest, holiday", [
    ("US", "after Thanksgiving", EVENT, date(2013, 11, 29), "Thanksgiving Day (Thu 28 Nov 2013)"),
    ("US", "after Christmas", EVENT, date(2013, 12, 26), "Christmas Day (Wed 25 Dec 2013)"),
    ("US", "after Labor Day", EVENT, date(2014, 9, 2), "Labor Day (Mon 1 Sep 2014)"),  # this year's has passed
    ("US", "after New Year's", EVENT, date(2014, 1, 2), "New Year's Day (Wed 1 Jan 2014)"),
    ("GB", "after Boxing Day", EVENT, date(2013, 12, 27), "Boxing Day (Thu 26 Dec 2013)"),
])
def test_after_a_holiday_on_the_real_calendar(country, said, event, earliest, holiday):
    found = parse_call_when(said, event, holidays=WorkCalendar(country).holiday_named)
    assert found.earliest == earliest and f"the day after {holiday}:" in found.means


@pytest.mark.parametrize("said, holidays", [
    ("after Thanksgiving", None),  # no calendar: no holiday
    ("after Thanksgiving", WorkCalendar().holiday_named),  # no country
    ("after Diwali", _fake_holidays),
    ("after Thanksgiving", WorkCalendar("GB").holiday_named),  # not a holiday there
    ("after 5pm", _fake_holidays),
])
def test_an_unknown_holiday_is_unreadable(said, holidays):
    with pytest.raises(Unreadable, match=said):
        parse_call_when(said, EVENT, holidays=holidays)


@pytest.mark.parametrize("said", [
    "whenever", "soonish maybe later", "42", "March", "9:30", "after March", "Thanksgiving", "after",
    "next", "the", "Oct 15 2030", "in 99999 days", 3, True, 0, -5, 3_000_000, 12.5,
])
def test_call_when_unreadable(said):
    with pytest.raises(Unreadable):
        parse_call_when(said, EVENT, holidays=_fake_holidays)


@pytest.mark.parametrize("value", [
    "x" * 100_000, "after " * 20_000, "\x00", "mid\x00week", "../../etc", "=HYPERLINK(\"x\")",
    "after \x00", "in 3 \x00 days", object(), b"next week", float("nan"), float("inf"), 1e308,
    pytest.param(10**5000, id="10**5000"),
])
def test_never_a_traceback(value):
    try:
        found = parse_call_when(value, EVENT, holidays=WorkCalendar("US").holiday_named)
    except Unreadable:
        return
    assert found is None or isinstance(found, CallWhen)


@pytest.mark.parametrize("said", ["tomorrow", "next month", "Jan 5", "after Christmas", "in 3 weeks"])
def test_no_day_after_the_end_of_the_calendar(said):
    with pytest.raises(Unreadable):
        parse_call_when(said, date(9999, 12, 31), holidays=WorkCalendar("US").holiday_named)
