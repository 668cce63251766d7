"""Working days: each country's weekend and public holidays, subdivisions, unknown codes."""

from __future__ import annotations

from datetime import date

import pytest

from workbook_tools.core.workdays import UnknownRegion, WorkCalendar


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
