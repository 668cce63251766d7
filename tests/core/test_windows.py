"""Call windows: rotation by attempt, conversion to the user's time zone, and the
choice of a window that falls inside the user's own day."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from workbook_tools.core.windows import (
    USER_DAY,
    DayHours,
    choose_window,
    parse_hours,
    valid_time_zone,
)

WED = date(2025, 11, 26)  # winter on both sides of the Atlantic; summer in Sydney
MORNING = "8:05\u20138:30 their time"
LUNCH = "12:10\u201312:50 their time"
LATE = "16:35\u201317:15 their time"
#: A day that takes every window, so that the rotation and the conversion show alone.
ANY_HOUR = DayHours(time(0), time(23, 59))


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
    assert choose_window(date(2013, 10, 2), attempt, contact_tz, user_tz, ANY_HOUR).text == expected


def test_window_conversion_follows_daylight_saving():
    # 3 Nov 2013: the US leaves DST a week after Europe, so London-New York is 4 hours apart.
    text = choose_window(date(2013, 10, 28), 0, "Europe/London", "America/New_York", ANY_HOUR).text
    assert text.endswith("4:05\u20134:30 your time")


@pytest.mark.parametrize("value, expected", [
    ("7:00-21:00", DayHours(time(7), time(21))),
    ("7-21", DayHours(time(7), time(21))),
    ("8am to 6pm", DayHours(time(8), time(18))),
    ("07:30 \u2013 20:00", DayHours(time(7, 30), time(20))),
    ("8 a.m. - 6 P.M.", DayHours(time(8), time(18))),
    ("9.30 until 17.30", DayHours(time(9, 30), time(17, 30))),
    ("  6:45\u20149:15pm ", DayHours(time(6, 45), time(21, 15))),
    ("12am-12pm", DayHours(time(0), time(12))),
    (DayHours(time(8), time(20)), DayHours(time(8), time(20))),
    # Unreadable, or a day that does not start before it ends:
    ("21-7", None),
    ("9-9", None),
    ("7:60-21", None),
    ("7-24", None),
    ("13pm-14", None),
    ("0am-6am", None),
    ("7 21", None),
    ("7:00-", None),
    ("mornings", None),
    ("", None),
    ("../../etc", None),
    ("7\x00-21", None),
    ("7-21" + " " * 100_000, None),
    ("9" * 100_000, None),
    (None, None),
    (7, None),
    (7.5, None),
    (True, None),
    (date(2025, 1, 1), None),
    (time(7), None),
    (DayHours(time(21), time(7)), None),
])
def test_parse_hours_reads_a_range_or_says_none(value, expected):
    assert parse_hours(value) == expected


@pytest.mark.parametrize("attempt, expected_start, expected_user_start", [
    (0, time(8, 5), datetime(2025, 11, 26, 9, 5)),
    (1, time(12, 10), datetime(2025, 11, 26, 13, 10)),
    (2, time(16, 35), datetime(2025, 11, 26, 17, 35)),
    (3, time(8, 5), datetime(2025, 11, 26, 9, 5)),
])
def test_nearby_zones_rotate_over_every_window_without_a_note(attempt, expected_start, expected_user_start):
    choice = choose_window(WED, attempt, "America/Chicago", "America/New_York")
    assert choice.window.start == expected_start and choice.note == ""
    assert choice.user_start is not None and choice.user_start.replace(tzinfo=None) == expected_user_start
    assert str(choice.user_start.tzinfo) == "America/New_York"


@pytest.mark.parametrize("attempt, contact_tz, user_tz, text, has_user_start", [
    (0, "America/Chicago", "America/Chicago",
     "8:05\u20138:30 their time, America/Chicago (early, before the day's meetings)", True),
    (1, None, "America/New_York", "12:10\u201312:50 your time (around lunch)", False),
    (2, "Europe/Berlin", None, "16:35\u201317:15 their time, Europe/Berlin (late afternoon)", False),
    (3, None, None, "8:05\u20138:30 their time (early, before the day's meetings)", False),
    # A name the zone database does not know counts as unknown (folders, paths, NUL).
    (0, "Pacific", "America/New_York", "8:05\u20138:30 your time (early, before the day's meetings)", False),
    (1, "Europe/Berlin", "../../etc", "12:10\u201312:50 their time, Europe/Berlin (around lunch)", False),
    (2, "Europe/Berlin\x00", "US", "16:35\u201317:15 their time (late afternoon)", False),
])
def test_same_or_unknown_zones_rotate_as_before(attempt, contact_tz, user_tz, text, has_user_start):
    choice = choose_window(WED, attempt, contact_tz, user_tz)
    assert (choice.text, choice.note, choice.user_start is not None) == (text, "", has_user_start)


@pytest.mark.parametrize("attempt", [0, 1, 2, 3, 7])
def test_berlin_for_a_los_angeles_user_is_always_their_late_afternoon(attempt):
    # 8:05 in Berlin is 23:05 the evening before in Los Angeles, 12:10 is 3:10: neither
    # suits; 16:35 is 7:35, inside the user's day, so every attempt takes it.
    choice = choose_window(WED, attempt, "Europe/Berlin", "America/Los_Angeles")
    assert choice.text == "16:35\u201317:15 their time, Europe/Berlin (late afternoon); 7:35\u20138:15 your time"
    assert choice.note == "only their late-afternoon window falls inside your day (7:00-21:00)"
    assert choice.user_start is not None and choice.user_start.replace(tzinfo=None) == datetime(2025, 11, 26, 7, 35)


@pytest.mark.parametrize("day, expected", [
    (date(2025, 3, 8), "7:35\u20138:15 your time"),   # both on winter time: 9 hours apart
    (date(2025, 3, 9), "8:35\u20139:15 your time"),   # the US moved its clocks; Europe waits until 30 March
    (date(2025, 3, 31), "7:35\u20138:15 your time"),  # both on summer time: 9 hours again
])
def test_the_choice_converts_with_that_days_daylight_saving(day, expected):
    choice = choose_window(day, 0, "Europe/Berlin", "America/Los_Angeles")
    assert choice.window.start == time(16, 35) and choice.text.endswith(expected)


@pytest.mark.parametrize("attempt, text", [
    (0, "8:05\u20138:30 their time, Australia/Sydney (early, before the day's meetings); "
        "Tue 25 Nov 16:05\u201316:30 your time"),
    (1, "12:10\u201312:50 their time, Australia/Sydney (around lunch); Tue 25 Nov 20:10\u201320:50 your time"),
    (2, "8:05\u20138:30 their time, Australia/Sydney (early, before the day's meetings); "
        "Tue 25 Nov 16:05\u201316:30 your time"),
])
def test_sydney_for_a_new_york_user_shows_the_users_date(attempt, text):
    # Sydney is 16 hours ahead: their Wednesday morning and lunch are Tuesday afternoon and
    # evening in New York; their 16:35 would be 0:35, after the user's day.
    choice = choose_window(WED, attempt, "Australia/Sydney", "America/New_York")
    assert choice.text == text
    assert choice.note == "only their morning and lunch windows fall inside your day (7:00-21:00)"
    assert choice.user_start is not None and choice.user_start.date() == date(2025, 11, 25)


@pytest.mark.parametrize("contact_tz, user_tz, hours, text, note", [
    # Office hours in London: Tokyo's calling times are 23:05, 3:10 and 7:35 there; 7:35 is
    # the nearest to 9:00.
    ("Asia/Tokyo", "Europe/London", DayHours(time(9), time(17)),
     "16:35\u201317:15 their time, Asia/Tokyo (late afternoon); 7:35\u20138:15 your time",
     "none of their calling times falls inside your day (9:00-17:00); the closest is 16:35 their time, "
     "7:35 yours"),
    # Sydney's morning is 21:05 the evening before in London: 30 minutes past the user's day,
    # closer than 5:35 (85 minutes before it) or 1:10.
    ("Australia/Sydney", "Europe/London", USER_DAY,
     "8:05\u20138:30 their time, Australia/Sydney (early, before the day's meetings); "
     "Tue 25 Nov 21:05\u201321:30 your time",
     "none of their calling times falls inside your day (7:00-21:00); the closest is 8:05 their time, "
     "21:05 yours"),
])
@pytest.mark.parametrize("attempt", [0, 1, 2])
def test_when_nothing_suits_the_closest_window_is_taken_and_said(contact_tz, user_tz, hours, text, note, attempt):
    choice = choose_window(WED, attempt, contact_tz, user_tz, hours)
    assert (choice.text, choice.note) == (text, note)


@pytest.mark.parametrize("hours, attempt, start, note", [
    # Tokyo with the default day: only their late afternoon (7:35 in London) suits.
    (USER_DAY, 1, time(16, 35), "only their late-afternoon window falls inside your day (7:00-21:00)"),
    # A night owl's day, 22:00-23:59 in London: only Tokyo's morning (23:05) suits.
    (DayHours(time(22), time(23, 59)), 2, time(8, 5),
     "only their morning window falls inside your day (22:00-23:59)"),
    # A day long enough for every window: all of them rotate, with no note.
    (DayHours(time(0), time(23, 59)), 0, time(8, 5), ""),
    (DayHours(time(0), time(23, 59)), 1, time(12, 10), ""),
    (DayHours(time(0), time(23, 59)), 2, time(16, 35), ""),
])
def test_custom_hours_decide_which_windows_suit(hours, attempt, start, note):
    choice = choose_window(WED, attempt, "Asia/Tokyo", "Europe/London", hours)
    assert (choice.window.start, choice.note) == (start, note)


@pytest.mark.parametrize("name, valid", [
    ("America/Chicago", True), ("UTC", True), ("Pacific", False), ("US", False), ("../../etc", False),
    ("x\x00y", False), ("", False), ("a" * 100_000, False), ("Mars/Olympus", False),
])
def test_valid_time_zone_answers_for_any_text(name, valid):
    assert valid_time_zone(name) is valid
