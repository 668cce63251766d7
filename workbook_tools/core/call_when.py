"""`Call When`: what the interviewer said about when to call, as an earliest date.

Seed 003 advises asking "when would be a good time?" and notes the answers people
give: "around mid-week", "after Tuesday". Phrases are read relative to the event
date (the day it was said). A date means that day or later. Dates written the way
people write them ("Oct 15", "15/10", "October 15th 2026") go through
python-dateutil; a date without a year that falls before the event is next year's.
"""

from __future__ import annotations

import re
from calendar import monthrange
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAY_ABBR = {name[:3]: i for i, name in enumerate(WEEKDAYS)}
_WEEKDAY_ABBR.update({"tues": 1, "thur": 3, "thurs": 3, "weds": 2})

_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "a couple of": 2, "a couple": 2,
    "couple of": 2, "a few": 3, "few": 3,
}

_FILLER = re.compile(
    r"\b(?:around|about|call|them|him|her|back|on|ish|maybe|please|sometime|some time|any time|anytime)\b"
)
_NO_CALLS = re.compile(r"\b(?:don'?t|do not|no need to|please don'?t)\s+call\b|\b(?:they|we)('ll| will) call\b")
_IN_N = re.compile(
    r"^(?:in\s+)?(?P<n>\d+|a couple of|a couple|couple of|a few|few|an?|one|two|three|four|five|six|seven|eight|nine|ten)\s+"
    r"(?P<unit>business days?|working days?|days?|weeks?)$"
)


@dataclass(frozen=True)
class CallWhen:
    earliest: date | None  # None when they said not to call
    said: str  # the phrase as written, for `Why`
    no_calls: bool = False
    business_days: int = 0  # "in 3 business days": walked on the calendar by the engine


class Unreadable(ValueError):
    pass


def _next_weekday(after: date, weekday: int) -> date:
    """The first ``weekday`` strictly after ``after``."""
    return after + timedelta(days=(weekday - after.weekday() - 1) % 7 + 1)


def _weekday_of(word: str) -> int | None:
    word = word.strip(". ")
    for i, name in enumerate(WEEKDAYS):
        if word == name or word == name + "s":
            return i
    return _WEEKDAY_ABBR.get(word)


def _month_end(day: date) -> date:
    end = day.replace(day=monthrange(day.year, day.month)[1])
    while end.weekday() >= 5:
        end -= timedelta(days=1)
    return end


def parse_call_when(value: object, event: date, *, dayfirst: bool = False) -> CallWhen | None:
    """Read a Call When cell. None for a blank cell; Unreadable when it cannot be read."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        return CallWhen(value.date(), value.date().isoformat())
    if isinstance(value, date):
        return CallWhen(value, value.isoformat())
    if not isinstance(value, str):
        raise Unreadable(str(value))
    return _parse_text(value, event, dayfirst)


@lru_cache(maxsize=8192)
def _parse_text(value: str, event: date, dayfirst: bool) -> CallWhen:
    """Phrases repeat across rows and events repeat across dates: parse each pair once."""
    said = value.strip()
    text = said.casefold().replace("\u2019", "'")
    if _NO_CALLS.search(text):
        return CallWhen(None, said, no_calls=True)
    text = re.sub(r"[,.!]", " ", text)
    text = re.sub(r"\s+", " ", _FILLER.sub(" ", text)).strip()
    earliest = _phrase(text, event, dayfirst)
    if isinstance(earliest, int):
        return CallWhen(event, said, business_days=earliest)
    if earliest is None:
        raise Unreadable(said)
    return CallWhen(earliest, said)


def _phrase(text: str, event: date, dayfirst: bool) -> date | int | None:
    after = False
    if text.startswith("after "):
        after, text = True, text[6:].strip()
    elif text.startswith(("from ", "by ", "not before ")):
        text = text.split(" ", 1)[1].strip()
    day = _relative(text, event)
    if isinstance(day, int):
        return day
    if day is None:
        day = _written_date(text, event, dayfirst)
    if day is None:
        return None
    return day + timedelta(days=1) if after else day


def _relative(text: str, event: date) -> date | int | None:
    words = text.replace("the ", "").replace("this ", "").strip()
    if words in ("tomorrow",):
        return event + timedelta(days=1)
    if words in ("mid-week", "midweek", "mid week", "middle of week", "middle of next week", "mid-next week"):
        return _next_weekday(event, 2)
    if words in ("next week", "early next week", "beginning of next week", "start of next week", "week after"):
        return event + timedelta(days=7 - event.weekday())
    if words in ("end of next week", "late next week"):
        return event + timedelta(days=7 - event.weekday() + 4)
    if words in ("end of week", "end of week", "late week", "later in week", "friday"):
        return _next_weekday(event, 4)
    if words in ("end of month", "end of month", "month end", "late month"):
        end = _month_end(event)
        return end if end > event else _month_end(event.replace(day=1) + timedelta(days=32))
    if words in ("next month", "early next month", "beginning of next month", "start of next month"):
        return (event.replace(day=1) + timedelta(days=32)).replace(day=1)
    m = re.match(r"^(?:next\s+)?(\w+)$", words)
    if m and _weekday_of(m.group(1)) is not None:
        return _next_weekday(event, _weekday_of(m.group(1)))  # type: ignore[arg-type]
    m = _IN_N.match(words)
    if m:
        raw = m.group("n")
        n = int(raw) if raw.isdigit() else _NUMBERS[raw]
        unit = m.group("unit")
        if unit.startswith(("business", "working")):
            return n
        return event + timedelta(days=n * (7 if unit.startswith("week") else 1))
    return None


def _written_date(text: str, event: date, dayfirst: bool) -> date | None:
    from dateutil import parser  # python-dateutil reads dates as people write them

    text = re.sub(r"\b(\d+)(st|nd|rd|th)\b", r"\1", text)
    a = b = None
    for first in (dayfirst, not dayfirst):  # "15/10" can only be day first
        try:
            a = parser.parse(text, default=datetime(event.year, 1, 1), dayfirst=first)
            b = parser.parse(text, default=datetime(event.year + 4, 1, 1), dayfirst=first)
            break
        except (ValueError, OverflowError):
            continue
    if a is None or b is None:
        return None
    day = a.date()
    if a.year != b.year and day < event:  # no year written: the next such date
        try:
            day = day.replace(year=day.year + 1)
        except ValueError:  # 29 February
            day = day.replace(year=day.year + 1, day=28)
    if not event - timedelta(days=366) <= day <= event + timedelta(days=2 * 366):
        return None  # "42" is no date anyone says at an interview
    return day
