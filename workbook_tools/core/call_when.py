"""`Call When`: what the interviewer said about when to call, as an earliest date.

Seed 003 advises asking "when would be a good time?" and notes the answers people
give: "around mid-week", "after Tuesday". Phrases are read relative to the event
date (the day it was said). A date means that day or later. Dates written the way
people write them ("Oct 15", "15/10", "October 15th 2026") go through
python-dateutil; a date without a year that falls before the event is next year's.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import NamedTuple

from workbook_tools.core.rules.phrases import (
    FILLER,
    LOWER_BOUND_WORDS,
    NO_CALLS,
    NUMBER_WORDS,
    PHRASE_BY_WORDS,
    ROUGH_QUANTITIES,
    WEEKDAY_ABBREVIATIONS,
    WEEKDAYS,
    next_weekday,
)

_NUMBER = "|".join(sorted((*(re.escape(w) for w in ROUGH_QUANTITIES), *NUMBER_WORDS), key=len, reverse=True))
_IN_N = re.compile(
    rf"^(?:in\s+)?(?P<n>\d+|{_NUMBER})\s+(?P<unit>business days?|working days?|days?|weeks?)$"
)


class CallWhen(NamedTuple):
    earliest: date | None  # None when they said not to call
    said: str  # the phrase as written, for `Why`
    no_calls: bool = False
    business_days: int = 0  # "in 3 business days": walked on the calendar by the engine


class Unreadable(ValueError):
    pass


def _weekday_of(word: str) -> int | None:
    word = word.strip(". ")
    for i, name in enumerate(WEEKDAYS):
        if word == name or word == name + "s":
            return i
    return WEEKDAY_ABBREVIATIONS.get(word)


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
    if NO_CALLS.search(text):
        return CallWhen(None, said, no_calls=True)
    text = re.sub(r"[,.!]", " ", text)
    text = re.sub(r"\s+", " ", FILLER.sub(" ", text)).strip()
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
    elif text.startswith(LOWER_BOUND_WORDS):
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
    """A phrase of the table, a weekday, or "in N days/weeks" (an int: N business days)."""
    words = text.replace("the ", "").replace("this ", "").strip()
    phrase = PHRASE_BY_WORDS.get(words)
    if phrase is not None:
        return phrase.earliest(event)
    m = re.match(r"^(?:next\s+)?(\w+)$", words)
    if m and _weekday_of(m.group(1)) is not None:
        return next_weekday(event, _weekday_of(m.group(1)))  # type: ignore[arg-type]
    m = _IN_N.match(words)
    if m:
        raw = m.group("n")
        n = int(raw) if raw.isdigit() else NUMBER_WORDS.get(raw) or ROUGH_QUANTITIES[raw]
        unit = m.group("unit")
        if unit.startswith(("business", "working")):
            return n
        return event + timedelta(days=n * (7 if unit.startswith("week") else 1))
    return None


def _written_date(text: str, event: date, dayfirst: bool) -> date | None:
    from dateutil import parser  # python-dateutil reads dates as people write them

    text = re.sub(r"\b(\d+)(st|nd|rd|th)\b", r"\1", text)
    a: datetime | None = None
    b: datetime | None = None
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
