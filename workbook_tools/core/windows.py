"""When in the day to call: the window of each attempt (the windows themselves are
data, in `core.rules.windows`), in the contact's time and the user's.

Successive attempts rotate the window, so that each call finds them at a different
time of day. Times are the contact's local time; when both the contact's and the
user's time zones are known and differ, the window is also given in the user's time.
"""

from __future__ import annotations

from datetime import date, datetime, time
from functools import lru_cache

from workbook_tools.core.rules.windows import CALL_WINDOWS, Window


def window_for_attempt(attempt: int) -> Window:
    """The window of the ``attempt``-th call (0-based): successive attempts rotate."""
    return CALL_WINDOWS[attempt % len(CALL_WINDOWS)]


def _hm(t: time) -> str:
    return f"{t.hour}:{t.minute:02d}"


@lru_cache(maxsize=4096)
def describe_window(day: date, attempt: int, contact_tz: str | None, user_tz: str | None) -> str:
    """The window as text: "8:05-8:30 their time (America/Chicago), 9:05-9:30 yours"."""
    w = window_for_attempt(attempt)
    span = f"{_hm(w.start)}\u2013{_hm(w.end)}"
    if not contact_tz:
        where = "your time" if user_tz else "their time"
        return f"{span} {where} ({w.label})"
    if not user_tz or user_tz == contact_tz:
        return f"{span} their time, {contact_tz} ({w.label})"
    start, end = (_convert(day, t, contact_tz, user_tz) for t in (w.start, w.end))
    return f"{span} their time, {contact_tz} ({w.label}); {_hm(start)}\u2013{_hm(end)} your time"


def window_start(day: date, attempt: int, tz: str | None) -> datetime:
    """The start of the window as a datetime (aware when ``tz`` is given)."""
    from zoneinfo import ZoneInfo

    w = window_for_attempt(attempt)
    return datetime.combine(day, w.start, tzinfo=ZoneInfo(tz) if tz else None)


def _convert(day: date, t: time, from_tz: str, to_tz: str) -> time:
    from zoneinfo import ZoneInfo

    moment = datetime.combine(day, t, tzinfo=ZoneInfo(from_tz))
    return moment.astimezone(ZoneInfo(to_tz)).time()


@lru_cache(maxsize=1024)
def valid_time_zone(name: str) -> bool:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        return False
    return True
