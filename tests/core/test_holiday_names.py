"""WorkCalendar.holiday_named: the first public holiday of that name on or after a day."""

from __future__ import annotations

from datetime import date

import pytest

from workbook_tools.core.workdays import WorkCalendar


@pytest.mark.parametrize("country, name, after, expected", [
    ("US", "thanksgiving", date(2013, 9, 27), (date(2013, 11, 28), "Thanksgiving Day")),
    ("US", "Thanksgiving Day", date(2013, 11, 28), (date(2013, 11, 28), "Thanksgiving Day")),  # on the day
    ("US", "THANKSGIVING", date(2013, 11, 29), (date(2014, 11, 27), "Thanksgiving Day")),  # next year's
    ("US", "christmas", date(2013, 9, 27), (date(2013, 12, 25), "Christmas Day")),
    ("US", "Xmas", date(2013, 9, 27), (date(2013, 12, 25), "Christmas Day")),
    ("US", "new years", date(2013, 9, 27), (date(2014, 1, 1), "New Year's Day")),
    ("US", "New Year\u2019s Day", date(2013, 9, 27), (date(2014, 1, 1), "New Year's Day")),
    ("US", "the 4th of july", date(2013, 9, 27), None),  # no holiday is called that
    ("US", "independence", date(2013, 9, 27), (date(2014, 7, 4), "Independence Day")),
    ("US", "Memorial Day", date(2013, 6, 1), (date(2014, 5, 26), "Memorial Day")),
    ("US", "martin luther king", date(2013, 9, 27), (date(2014, 1, 20), "Martin Luther King Jr. Day")),
    ("GB", "Boxing Day", date(2013, 9, 27), (date(2013, 12, 26), "Boxing Day")),
    ("GB", "boxing", date(2020, 12, 27), (date(2021, 12, 26), "Boxing Day")),  # not the "(observed)" day
    ("GB", "christmas", date(2021, 12, 26), (date(2022, 12, 25), "Christmas Day")),
    ("GB", "thanksgiving", date(2013, 9, 27), None),  # not a holiday there
    ("US", "mas", date(2013, 9, 27), None),  # whole words only
    ("US", "day", date(2013, 9, 27), None),
    ("US", "", date(2013, 9, 27), None),
    ("US", "x" * 100_000, date(2013, 9, 27), None),
    ("US", "christmas", date(9999, 12, 26), None),  # no year after 9999
    (None, "thanksgiving", date(2013, 9, 27), None),  # no country: no holidays
    (None, "christmas", date(2013, 9, 27), None),
])
def test_holiday_named(country, name, after, expected):
    assert WorkCalendar(country).holiday_named(name, after) == expected


def test_a_subdivision_holiday():
    assert WorkCalendar("US", "MA").holiday_named("patriots", date(2024, 1, 1)) == (date(2024, 4, 15), "Patriots' Day")
    assert WorkCalendar("US").holiday_named("patriots", date(2024, 1, 1)) is None
