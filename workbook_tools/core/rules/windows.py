"""The windows of a day in which to call, and the user's own day, each citing its source.

Busy people are at their desks early, around lunch and late in the afternoon (seed
003); most meetings start on the hour, so the windows avoid it; a message after hours
is fine, but not late at night (seed 002). A call to someone abroad must also fall
inside the user's own day (PRODUCT.md), which is ours to default and Settings may change.
"""

from __future__ import annotations

from datetime import time
from typing import NamedTuple


class Window(NamedTuple):
    start: time
    end: time
    label: str
    source: str
    name: str = ""  # a short name for notes: "only their lunch window ..."


CALL_WINDOWS: tuple[Window, ...] = (
    Window(time(8, 5), time(8, 30), "early, before the day's meetings", "seed 003: call between 8:00 and 8:30",
           "morning"),
    Window(time(12, 10), time(12, 50), "around lunch", "seed 003: lunch time also works", "lunch"),
    Window(time(16, 35), time(17, 15), "late afternoon", "seed 003: call after 4:30", "late-afternoon"),
)


class DayHours(NamedTuple):
    """The part of the user's own day in which they are willing to make calls."""

    start: time
    end: time


#: ours: early enough for a contact's morning far east, and not late at night (seed 002:
#: "a 2:00 a.m. call sounds desperate"); Settings may give other hours.
USER_DAY = DayHours(time(7), time(21))

#: ours: what may stand between the two times of an hours cell ("7:00-21:00", "8am to 6pm").
HOURS_SEPARATORS: tuple[str, ...] = ("-", "\u2013", "\u2014", "to", "until", "till")

#: ours: the morning and afternoon marks accepted after an hour, read without their dots
#: ("8am", "6 p.m."), and the hours they add to a 12-hour clock's hour.
MERIDIEM_MARKS: dict[str, int] = {"am": 0, "pm": 12}

#: ours: an hours cell longer than this is not a time range, and is not parsed.
MAX_HOURS_TEXT = 40

#: ours: day and month names for "your time" when its date differs, fixed in English
#: like the rest of the product's text (no locale).
WEEKDAY_NAMES: tuple[str, ...] = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTH_NAMES: tuple[str, ...] = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

#: ours: the notes for Why when the user's day narrowed the choice. They start in lower
#: case because Why joins its parts with "; ".
NOTE_SOME_SUIT = "only their {names} {windows} inside your day ({hours})"
NOTE_NONE_SUITS = (
    "none of their calling times falls inside your day ({hours}); the closest is {theirs} their time, "
    "{yours} yours"
)
