"""Cell values read as dates, and which countries write the day first."""

from __future__ import annotations

from datetime import date

import pytest

from workbook_tools.core.values import BadValue, as_date, dayfirst_for


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
