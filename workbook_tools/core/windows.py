"""When in the day to call: the window of each attempt (the windows themselves are
data, in `core.rules.windows`), in the contact's time and the user's.

Successive attempts rotate the window, so that each call finds them at a different
time of day. Times are the contact's local time; when both the contact's and the
user's time zones are known and differ, the window is also given in the user's time,
and `choose_window` keeps to the windows that fall inside the user's own day. The
rotation starts from the seeds' first window, or from the one the user's own call log
puts first (`WindowOrder`, learned in `core.reach`).
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache
from typing import TYPE_CHECKING, NamedTuple

from workbook_tools.core.rules.windows import (
    CALL_WINDOWS,
    HOURS_SEPARATORS,
    MAX_HOURS_TEXT,
    MERIDIEM_MARKS,
    MONTH_NAMES,
    NOTE_NONE_SUITS,
    NOTE_SOME_SUIT,
    USER_DAY,
    WEEKDAY_NAMES,
    DayHours,
    Window,
)

if TYPE_CHECKING:  # not imported on start-up
    from zoneinfo import ZoneInfo

__all__ = [
    "SEEDS_ORDER", "USER_DAY", "DayHours", "Window", "WindowChoice", "WindowOrder", "choose_window", "hours_text",
    "parse_hours", "start_of", "valid_time_zone", "window_for_attempt",
]


class WindowOrder(NamedTuple):
    """The order in which successive calls rotate through the windows, and what Why
    says about a call booked in the first of them when the user's own log put it there."""

    windows: tuple[Window, ...] = CALL_WINDOWS
    learned: str = ""  # "" when the order is the seeds' own


#: The seeds' rotation (seed 003), used until the call log says otherwise.
SEEDS_ORDER = WindowOrder()


class WindowChoice(NamedTuple):
    """The window chosen for one call, and how to say it."""

    window: Window  # in the contact's local time
    text: str  # the Call Window cell
    note: str  # plain words for Why when the user's day narrowed the choice, else ""
    user_start: datetime | None  # the window's start in the user's zone; None when a zone is unknown


class PlacedWindow(NamedTuple):
    """A call window moved into the user's zone on one day, with how far it misses their day."""

    window: Window
    user_start: datetime
    user_end: datetime
    minutes_outside: int  # 0 when the window lies wholly inside the user's day


def window_for_attempt(attempt: int, windows: tuple[Window, ...] = CALL_WINDOWS) -> Window:
    """The window of the ``attempt``-th call (0-based): successive attempts rotate
    through ``windows`` in their order."""
    return windows[attempt % len(windows)]


def _hm(t: time | datetime) -> str:
    return f"{t.hour}:{t.minute:02d}"


def hours_text(hours: DayHours) -> str:
    """The user's day as text: "7:00-21:00"."""
    return f"{_hm(hours.start)}-{_hm(hours.end)}"


def _local_text(w: Window, contact_tz: str | None, user_tz: str | None) -> str:
    """The window in one zone only: theirs, or yours when only yours is known."""
    span = f"{_hm(w.start)}\u2013{_hm(w.end)}"
    if not contact_tz:
        where = "your time" if user_tz else "their time"
        return f"{span} {where} ({w.label})"
    return f"{span} their time, {contact_tz} ({w.label})"


def start_of(day: date, window: Window, tz: str | None) -> datetime:
    """When ``window`` starts on ``day`` in zone ``tz`` (naive when None)."""
    return datetime.combine(day, window.start, tzinfo=_zone(tz) if tz else None)


def _zone(name: str) -> ZoneInfo:
    from zoneinfo import ZoneInfo

    return ZoneInfo(name)


@lru_cache(maxsize=1024)
def valid_time_zone(name: str) -> bool:
    """True when ``name`` is a zone of the IANA database; False for anything else,
    including the database's folders ("US", "Pacific") and text that is not a name."""
    from zoneinfo import ZoneInfoNotFoundError

    try:
        _zone(name)
    except (ZoneInfoNotFoundError, ValueError, TypeError, OSError):
        return False
    return True


# -- the user's own day -------------------------------------------------------------


@lru_cache(maxsize=1)
def _hours_pattern() -> re.Pattern[str]:
    clock = r"([0-9]{1,2})(?:[:.]([0-9]{2}))?\s*([ap]\.?m\.?)?"
    between = "|".join(re.escape(s) for s in sorted(HOURS_SEPARATORS, key=len, reverse=True))
    return re.compile(rf"\s*{clock}\s*(?:{between})\s*{clock}\s*", re.IGNORECASE)


def parse_hours(value: object) -> DayHours | None:
    """The user's day from a cell such as "7:00-21:00", "7-21", "8am to 6pm" or
    "07:30 – 20:00"; None when the value is not such a range, or it starts no earlier
    than it ends. Any value is accepted (a number, a date, None: all None)."""
    if isinstance(value, DayHours):
        return value if value.start < value.end else None
    if not isinstance(value, str) or len(value) > MAX_HOURS_TEXT:
        return None
    found = _hours_pattern().fullmatch(value)
    if found is None:
        return None
    start = _clock(found.group(1), found.group(2), found.group(3))
    end = _clock(found.group(4), found.group(5), found.group(6))
    if start is None or end is None or start >= end:
        return None
    return DayHours(start, end)


def _clock(hour_text: str, minute_text: str | None, mark: str | None) -> time | None:
    """One end of an hours range as a time, or None when it is not a time of day."""
    hour, minute = int(hour_text), int(minute_text or 0)
    if mark is not None:
        offset = MERIDIEM_MARKS.get(mark.lower().replace(".", ""))
        if offset is None or not 1 <= hour <= 12:
            return None
        hour = hour % 12 + offset
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


# -- choosing a window that suits both people -----------------------------------------


@lru_cache(maxsize=4096)
def choose_window(day: date, attempt: int, contact_tz: str | None, user_tz: str | None,
                  hours: DayHours = USER_DAY, windows: tuple[Window, ...] = CALL_WINDOWS) -> WindowChoice:
    """The window of the ``attempt``-th call (0-based) on ``day``, the contact's date,
    the attempts rotating through ``windows`` in their order (`WindowOrder.windows`).

    When the two zones are known and differ, the attempts rotate among the windows
    that lie wholly inside ``hours`` in the user's zone; when none does, the window
    that misses the user's day by the fewest minutes is taken (the first of equals),
    and the note says so. Otherwise the attempts rotate over all the windows. A zone
    name the database does not know counts as unknown.
    """
    contact_tz = contact_tz if contact_tz and valid_time_zone(contact_tz) else None
    user_tz = user_tz if user_tz and valid_time_zone(user_tz) else None
    if not contact_tz or not user_tz or contact_tz == user_tz:
        w = window_for_attempt(attempt, windows)
        start = datetime.combine(day, w.start, tzinfo=_zone(user_tz)) if contact_tz and user_tz else None
        return WindowChoice(w, _local_text(w, contact_tz, user_tz), "", start)
    placed = [place_window(day, w, contact_tz, user_tz, hours) for w in windows]
    suiting = [p for p in placed if p.minutes_outside == 0]
    if suiting:
        chosen = suiting[attempt % len(suiting)]
        note = "" if len(suiting) == len(placed) else _some_suit_note(suiting, hours)
    else:
        chosen = min(placed, key=lambda p: p.minutes_outside)  # the first of equals, in ``windows`` order
        note = NOTE_NONE_SUITS.format(hours=hours_text(hours), theirs=_hm(chosen.window.start),
                                      yours=_hm(chosen.user_start))
    return WindowChoice(chosen.window, _two_zone_text(day, chosen, contact_tz), note, chosen.user_start)


def place_window(day: date, window: Window, contact_tz: str, user_tz: str, hours: DayHours) -> PlacedWindow:
    """``window`` on ``day`` in the contact's zone, moved into the user's zone (with that
    day's daylight-saving rules), and how many minutes it lies outside ``hours``."""
    theirs, mine = _zone(contact_tz), _zone(user_tz)
    start = datetime.combine(day, window.start, tzinfo=theirs).astimezone(mine)
    end = datetime.combine(day, window.end, tzinfo=theirs).astimezone(mine)
    around = (start.date() + timedelta(days=d) for d in (-1, 0, 1))
    outside = min(_minutes_outside(start, end, d, hours) for d in around)
    return PlacedWindow(window, start, end, outside)


def _minutes_outside(start: datetime, end: datetime, day: date, hours: DayHours) -> int:
    """How many minutes the call from ``start`` to ``end`` reaches before or after the
    user's hours on ``day``: for a window wholly outside, how far it would have to move."""
    zone = start.tzinfo
    opens = datetime.combine(day, hours.start, tzinfo=zone)
    closes = datetime.combine(day, hours.end, tzinfo=zone)
    early = max(timedelta(0), _utc(opens) - _utc(start))
    late = max(timedelta(0), _utc(end) - _utc(closes))
    return -int(-(early + late).total_seconds() // 60)


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(timezone.utc)


def _some_suit_note(suiting: list[PlacedWindow], hours: DayHours) -> str:
    names = [p.window.name or p.window.label for p in suiting]
    joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    windows = "window falls" if len(names) == 1 else "windows fall"
    return NOTE_SOME_SUIT.format(names=joined, windows=windows, hours=hours_text(hours))


def _two_zone_text(day: date, placed: PlacedWindow, contact_tz: str) -> str:
    """"8:05–8:30 their time, Europe/Berlin (...); 2:05–2:30 your time", with the
    user's date before their times when it is not the contact's date."""
    start, end = placed.user_start, placed.user_end
    on = "" if start.date() == day else f"{_short_date(start.date())} "
    return f"{_local_text(placed.window, contact_tz, None)}; {on}{_hm(start)}\u2013{_hm(end)} your time"


def _short_date(day: date) -> str:
    """"Tue 25 Nov": weekday, day and month, the same in every locale."""
    return f"{WEEKDAY_NAMES[day.weekday()]} {day.day} {MONTH_NAMES[day.month - 1]}"
