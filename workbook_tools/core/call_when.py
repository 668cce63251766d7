"""`Call When`: what the interviewer said about when to call, as a span of days.

Seed 003 advises asking "when would be a good time?" and notes the answers people
give: "around mid-week", "after Tuesday". Phrases are read relative to the event
date (the day it was said), from the table in `core.rules.phrases`. A date or a
weekday means that day or later. Dates written the way people write them ("Oct 15",
"15/10", "October 15th 2026") are read by `core.values.read_date`; a date without a
year is the first such day on or after the event. "after Thanksgiving" asks the
user's country's calendar (a `HolidayLookup`) for the first such holiday on or after
the event, and means the day after it.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import NamedTuple, Protocol

from workbook_tools.core.cadences import over_limit, read_count
from workbook_tools.core.rules.phrases import (
    AFTER_WORDS,
    FILLER,
    HOLIDAY_TAIL,
    LOWER_BOUND_WORDS,
    NO_CALLS,
    NUMBER_WORDS,
    PHRASE_BY_WORDS,
    ROUGH_QUANTITIES,
    SEASON_BY_WORDS,
    WEEKDAY_ABBREVIATIONS,
    WEEKDAYS,
    Season,
    next_weekday,
)
from workbook_tools.core.values import FUTURE, BadValue, count, day_text, number_text, read_date, span_text

_NUMBER = "|".join(sorted((*(re.escape(w) for w in ROUGH_QUANTITIES), *NUMBER_WORDS), key=len, reverse=True))
_IN_N = re.compile(
    rf"^(?:in\s+)?(?P<n>\d+|{_NUMBER})\s+(?P<unit>business days?|working days?|days?|weeks?)$"
)
_ONE_DAY = timedelta(days=1)
#: No phrase is longer: longer text is not read (and not quoted in full).
_LONGEST_PHRASE = 120


class CallWhen(NamedTuple):
    earliest: date | None  # None when they said not to call
    said: str  # the phrase as written, for `Why`
    no_calls: bool = False
    business_days: int = 0  # "in 3 business days": walked on the calendar by the engine, from `earliest`
    latest: date | None = None  # the last day the phrase allows (mid-week: the Thursday); None: open-ended
    means: str = ""  # how it was read, for `Why`: "mid-week: Tue 1 to Thu 3 Oct 2013"


class HolidayLookup(Protocol):
    """The first public holiday on or after ``after`` whose name matches ``name``
    (its day and its name as the calendar writes it), or None: `WorkCalendar.holiday_named`."""

    def __call__(self, name: str, after: date, /) -> tuple[date, str] | None: ...


class Unreadable(ValueError):
    """A Call When cell that says nothing this module can read; the message is the cell's text."""


class _Span(NamedTuple):
    """What the words after "after" (or the whole phrase) name: its first and last day
    (None: that day or later), what it is called ("" for a written date), and a note."""

    earliest: date
    latest: date | None
    name: str
    business_days: int = 0
    counted: bool = False  # "in 2 weeks": "after 2 weeks" means the same, not a day later
    note: str = ""


class _Bounded(NamedTuple):
    after: bool  # "after Tuesday": from the day after
    text: str  # the phrase without its bounding word


class _HolidayAsked(NamedTuple):
    """"after <name>" where the name is no phrase, weekday or date: the calendar decides."""

    name: str
    said: str


def parse_call_when(value: object, event: date, *, dayfirst: bool = False,
                    holidays: HolidayLookup | None = None) -> CallWhen | None:
    """Read a Call When cell said on ``event``. None for a blank cell; Unreadable when
    it cannot be read. ``holidays`` finds the holiday of "after Thanksgiving" (without
    it, such phrases are Unreadable)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return CallWhen(value, value.isoformat(), means=f"{day_text(value)} or later")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _serial(value, event)
    if not isinstance(value, str):
        raise Unreadable(str(value))
    said = value.strip()
    if len(said) > _LONGEST_PHRASE:
        raise Unreadable(said[:_LONGEST_PHRASE - 3] + "...")
    try:
        found = _parse_text(said, event, dayfirst)
        if isinstance(found, _HolidayAsked):
            found = _after_holiday(found, event, holidays)
    except (OverflowError, ValueError):  # an event at the end of the calendar: no day after it
        found = None
    if found is None:
        raise Unreadable(said)
    return found


def _serial(number: float, event: date) -> CallWhen:
    """A date typed into a cell formatted as a number (an Excel serial)."""
    try:
        reading = read_date(number, dayfirst=False, near=event, towards=FUTURE)
    except BadValue:
        reading = None
    if reading is None or not _plausible(reading.day, event):
        raise Unreadable(number_text(number))
    return CallWhen(reading.day, reading.day.isoformat(), means=f"{day_text(reading.day)} or later")


@lru_cache(maxsize=8192)
def _parse_text(said: str, event: date, dayfirst: bool) -> CallWhen | _HolidayAsked | None:
    """Phrases repeat across rows and events repeat across dates: parse each pair once."""
    text = said.casefold().replace("\u2019", "'").replace("\u2013", "-").replace("\u2014", "-")
    if NO_CALLS.search(text):
        return CallWhen(None, said, no_calls=True, means="they will call you: no call planned")
    text = re.sub(r"[,!?;]|(?<![0-9])\.|\.(?![0-9])", " ", text)  # keeps the dots of "15.10.2013"
    text = re.sub(r"\s+", " ", FILLER.sub(" ", text)).strip()
    bounded = _bound(text)
    span = _span(bounded.text, event, dayfirst)
    if span is not None:
        return _call_when(span, said, after=bounded.after)
    if not bounded.after:
        return None
    name = re.sub(r"^the ", "", bounded.text)
    season = SEASON_BY_WORDS.get(name)
    if season is not None:
        return _call_when(_season(season, event), said, after=True)
    name = HOLIDAY_TAIL.sub("", name)
    return _HolidayAsked(name, said) if re.search(r"[^\W\d_]", name) else None


def _bound(text: str) -> _Bounded:
    """The phrase without "after" (or "post-"), or without a word that only bounds it
    ("from", "by", "not before")."""
    for word in AFTER_WORDS:
        if text.startswith(word):
            return _Bounded(True, text[len(word):].strip())
    for word in LOWER_BOUND_WORDS:
        if text.startswith(word):
            return _Bounded(False, text[len(word):].strip())
    return _Bounded(False, text)


def _span(text: str, event: date, dayfirst: bool) -> _Span | None:
    """A phrase of the table, a weekday, "in N days/weeks", or a written date."""
    words = re.sub(r"\s+", " ", re.sub(r"\b(?:the|this)\b", " ", text)).strip()
    phrase = PHRASE_BY_WORDS.get(words)
    if phrase is not None:
        return _Span(phrase.earliest(event), phrase.latest(event), phrase.means)
    named = re.fullmatch(r"(next )?(\w+)", words)
    weekday = _weekday_of(named.group(2)) if named else None
    if named and weekday is not None:
        return _Span(next_weekday(event, weekday), None, (named.group(1) or "") + WEEKDAYS[weekday].capitalize())
    counted = _IN_N.match(words)
    if counted:
        return _counted(counted, event)
    return _written_date(text, event, dayfirst)


def _weekday_of(word: str) -> int | None:
    word = word.strip(". ")
    for i, name in enumerate(WEEKDAYS):
        if word == name or word == name + "s":
            return i
    return WEEKDAY_ABBREVIATIONS.get(word)


def _counted(found: re.Match[str], event: date) -> _Span | None:
    """"in 3 business days" (walked by the engine on the calendar), "in 2 weeks", "in 10 days";
    None past a wait's limits (`core.cadences.WAIT_LIMITS`: ten years)."""
    raw = found.group("n")
    n = read_count(raw) if raw.isdigit() else NUMBER_WORDS.get(raw) or ROUGH_QUANTITIES[raw]
    assert n is not None
    unit = found.group("unit")
    business = unit.startswith(("business", "working"))
    weeks = unit.startswith("week")
    if over_limit(weeks=n if weeks else 0, days=0 if business or weeks else n, business_days=n if business else 0):
        return None
    if business:
        return _Span(event, None, f"{count(n, 'business day')} after {day_text(event)}, days off skipped",
                     business_days=n, counted=True)
    day = event + timedelta(days=n * (7 if weeks else 1))
    return _Span(day, None, f"{count(n, 'week' if weeks else 'day')} after {day_text(event)}", counted=True)


def _written_date(text: str, event: date, dayfirst: bool) -> _Span | None:
    """A date as people write it; without a year, the first such day on or after the event."""
    try:
        reading = read_date(text, dayfirst=dayfirst, near=event, towards=FUTURE)
    except BadValue:
        return None
    if reading is None or not _plausible(reading.day, event):
        return None
    note = "no year written: the next one" if reading.assumed else ""
    return _Span(reading.day, None, "", note=note)


def _plausible(day: date, event: date) -> bool:
    """Whether a date is one anyone says at an interview: from a year before to two years after."""
    return event - timedelta(days=366) <= day <= event + timedelta(days=2 * 366)


def _season(season: Season, event: date) -> _Span:
    """The season's last day, the first on or after the event ("the holidays": 1 January)."""
    last = date(event.year, season.last_month, season.last_day)
    if last < event:
        last = date(event.year + 1, season.last_month, season.last_day)
    return _Span(last, None, season.means)


def _after_holiday(asked: _HolidayAsked, event: date, holidays: HolidayLookup | None) -> CallWhen | None:
    """"after Thanksgiving": the day after the first such holiday on or after the event."""
    found = holidays(asked.name, event) if holidays is not None else None
    if found is None:
        return None
    day, name = found
    return _call_when(_Span(day, None, name), asked.said, after=True)


def _call_when(span: _Span, said: str, *, after: bool) -> CallWhen:
    """The span itself, or with "after": from the day after its last day, open-ended."""
    note = f" ({span.note})" if span.note else ""
    if not after or span.counted:
        return CallWhen(span.earliest, said, business_days=span.business_days, latest=span.latest,
                        means=_means(span) + note)
    last = span.latest or span.earliest
    days = span_text(span.earliest, last)
    what = f"{span.name} ({days})" if span.name else days
    earliest = last + _ONE_DAY
    return CallWhen(earliest, said, means=f"the day after {what}: {day_text(earliest)} or later{note}")


def _means(span: _Span) -> str:
    """"mid-week: Tue 1 to Thu 3 Oct 2013", "Tuesday: Tue 1 Oct 2013 or later"."""
    if span.business_days:
        return span.name
    days = span_text(span.earliest, span.latest) if span.latest is not None else f"{day_text(span.earliest)} or later"
    return f"{span.name}: {days}" if span.name else days
