"""Call windows: rotation by attempt, and conversion to the user's time zone."""

from __future__ import annotations

from datetime import date

import pytest

from workbook_tools.core.windows import describe_window


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
