"""Turning cell values into dates, numbers and text, and dates into words.

A date typed as text is read the way people write it (python-dateutil), but only
when it names a day and a month: "March", "Tuesday", "9:30" and "12" are refused
with a plain reason. A date written without its year is placed next to a known day
(`near`), in the past for things that happened and in the future for things to come,
and the reading says so in words for `Why`.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from functools import cache
from typing import NamedTuple

from workbook_tools.core.rules.phrases import WEEKDAY_ABBREVIATIONS, WEEKDAYS

_EXCEL_EPOCH = date(1899, 12, 30)  # serial 61 = 1 Mar 1900: Excel counts a 29 Feb 1900 that never was
_LAST_SERIAL = 2958465  # 31 Dec 9999
_FIRST_YEAR = 1900
_MONTH_FIRST_COUNTRIES = {"US", "CA", "PH", "FM", "MH", "PW", "BZ", "GU", "PR", "AS", "VI", "MP", "UM"}

PAST = "past"  # a year-less date is the latest such day on or before `near` (an event, a call)
FUTURE = "future"  # ... the earliest such day on or after `near` (a decision date, a day to call)

#: The longest text worth trying as a date ("Tuesday 15 October 2013, 9:30 am" is 32 characters).
_LONGEST_DATE = 80
_MONTH_NAMES = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
                "october", "november", "december")
_MONTH_WORD = re.compile(r"(?:" + "|".join(sorted({*_MONTH_NAMES, *(m[:3] for m in _MONTH_NAMES), "sept"},
                                                 key=len, reverse=True)) + r")\.?")
_WEEKDAY_WORD = re.compile(r"\b(" + "|".join(sorted({*WEEKDAYS, *WEEKDAY_ABBREVIATIONS}, key=len, reverse=True))
                           + r")\b\.?")
_TIME_OF_DAY = re.compile(
    r"\d{1,2}(?::\d{2}){1,2}\s*(?:[ap]\.?m\.?)?|\d{1,2}(?:[.:]\d{2})?\s*[ap]\.?m\.?|\d{1,2}\.(?:1[3-9]|[2-5]\d)"
    r"|noon|midday|midnight")
_ISO = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
#: Text is read twice, against each: what differs was not written. Leap years (so that
#: "29 Feb" reads) and 31-day months (so that "31 Oct" does).
_DEFAULTS = (datetime(2000, 1, 1), datetime(2004, 3, 3))
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_ORDINAL = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)\b")
_DOTTED_DAY_MONTH = re.compile(r"^(\d{1,2})\.(\d{1,2})\.?(?=\s|$)")  # "3.10." as Germans write 3 October
_NOISE_WORDS = re.compile(r"\b(?:the|on)\b")  # "on the 3rd of October"


class BadValue(ValueError):
    """A cell that should hold a date (or number) and does not; the message is the reason, in plain words."""


class DateReading(NamedTuple):
    """A date read from a cell, and what was assumed to read it ("" when nothing was)."""

    day: date
    assumed: str = ""  # "'10/3' has no year: read as Tue 10 Mar 2026"


class _DayMonth(NamedTuple):
    """A date written without its year: the day and month, and the text for messages."""

    month: int
    day: int
    weekday: int | None  # a weekday written beside it ("Tue 1 Oct"), checked once the year is known
    quoted: str


class _TwoReadings(NamedTuple):
    """The same text read against two default dates: what differs was not written."""

    early: datetime
    late: datetime


def dayfirst_for(country: str | None) -> bool:
    """Whether "3/10" means 3 October where the user lives (blank country: month first)."""
    return bool(country) and country.strip().upper() not in _MONTH_FIRST_COUNTRIES  # type: ignore[union-attr]


def read_date(value: object, *, dayfirst: bool, near: date, towards: str) -> DateReading | None:
    """A date cell, a date typed as text, or an Excel serial number; None for a blank cell.

    A date typed without its year ("10/3", "3 Oct") is the nearest such day on the
    ``towards`` side of ``near``: PAST, the latest on or before it (an event, a call);
    FUTURE, the earliest on or after it (a decision date). ``assumed`` then says so.
    ``dayfirst`` settles "10/3"; "15/10" can only be day first. Anything that is not a
    date raises BadValue, whose message is the reason in plain words.
    """
    if towards not in (PAST, FUTURE):
        raise ValueError(f"towards must be PAST or FUTURE, not {towards!r}")
    written = _written(value, dayfirst)
    if written is None or isinstance(written, date):
        return None if written is None else DateReading(written)
    day = _place(written, near, towards)
    return DateReading(day, f"{written.quoted} has no year: read as {day_text(day)}")


def as_date(value: object, dayfirst: bool = False) -> date | None:
    """A date cell, a date typed as text, or an Excel serial number; None when blank.
    BadValue (with the reason) when it is not a date, or has no year: `read_date`
    places a year-less date next to a known day."""
    written = _written(value, dayfirst)
    if isinstance(written, _DayMonth):
        raise BadValue(f"{written.quoted} has no year: write the year too")
    return written


def _written(value: object, dayfirst: bool) -> date | _DayMonth | None:
    """What the cell says: a date, a day and month without a year, or None (blank)."""
    if type(value) is date or value is None:
        return value
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        raise BadValue(f"{'TRUE' if value else 'FALSE'} is not a date")
    if isinstance(value, (int, float)):
        return _from_serial(value)
    text = str(value).strip()
    return _from_text(text, dayfirst) if text else None


def _from_serial(number: int | float) -> date:
    """An Excel date serial: 1 = 1 Jan 1900; 60 is Excel's 29 Feb 1900, a day that never was."""
    if not 1 <= number < _LAST_SERIAL + 1:  # NaN fails too
        raise BadValue(f"{number_text(number)} is not a date: Excel numbers dates from 1 = 1 Jan 1900 to "
                       f"{_LAST_SERIAL} = 31 Dec 9999")
    whole = int(number)
    if whole == 60:
        raise BadValue("60 is not a date: Excel's day 60 is 29 Feb 1900, which never existed")
    return _EXCEL_EPOCH + timedelta(days=whole + (1 if whole < 60 else 0))


def number_text(number: int | float) -> str:
    """A number as a message shows it: "41544" for 41544.0; huge ones are not written out."""
    if isinstance(number, float):
        return str(int(number)) if number.is_integer() and abs(number) < 1e15 else str(number)
    return str(number) if abs(number) < 10**15 else "a number that large"


_DOTTED = re.compile(r"\d{1,2}\.\d{1,2}\.(?:\d{2}|\d{4})?")


def _from_text(text: str, dayfirst: bool) -> date | _DayMonth:
    quoted = _quoted(text)
    if _ISO.fullmatch(text):
        try:
            day = date.fromisoformat(text)
        except ValueError:
            raise BadValue(f"{quoted} is not a real day") from None
        _check_year(day.year, text, quoted)
        return day
    _refuse_what_is_no_date(text, quoted)
    year_first = _year_first(text, quoted)
    if year_first is not None:
        return year_first
    clean = _cleaned(text)
    if _DOTTED.fullmatch(text.strip()):
        dayfirst = True  # "3.10." and "03.10.2013" are written day first wherever they are written
    early, late = _parse_twice(clean, dayfirst, quoted)
    if early.month != late.month or early.day != late.day:
        raise BadValue(_missing_part(quoted, day=early.day == late.day, month=early.month == late.month))
    weekday = _weekday_in(clean)
    if early.year != late.year:
        return _DayMonth(early.month, early.day, weekday, quoted)
    _check_year(early.year, clean, quoted)
    return _checked_weekday(early.date(), weekday, quoted)


#: A date written year first ("2024/06/12", "2024.6.12", "2024-06-12 10:00"): always year, month, day
#: (ISO 8601 and every country that writes the year first; no one writes year, day, month).
#: A weekday may come first ("Wed 2024-06-12").
_YEAR_FIRST = re.compile(r"(?:([A-Za-z]{2,9})\.?,?\s+)?([0-9]{4})([-/.])([0-9]{1,2})\3([0-9]{1,2})\.?(?=$|[T\s,])")


def _year_first(text: str, quoted: str) -> date | None:
    """The date of a text written year first (`_YEAR_FIRST`), whatever the day-first
    setting; None for other text. What follows the date (a time, a zone, a weekday)
    must read as part of a date too."""
    found = _YEAR_FIRST.match(text)
    if found is None or (found.group(1) and _weekday_in(found.group(1).casefold()) is None):
        return None
    try:
        day = date(int(found.group(2)), int(found.group(4)), int(found.group(5)))
    except ValueError:
        raise BadValue(f"{quoted} is not a real day (a date written year first is year, month, day)") from None
    _check_year(day.year, text, quoted)
    if text[found.end():].strip():
        from dateutil import parser

        try:
            parser.parse(text, dayfirst=False, yearfirst=True)
        except (ValueError, ArithmeticError):
            raise BadValue(f"{quoted} is not a date") from None
    return _checked_weekday(day, _weekday_in(_cleaned(text)), quoted)


def _cleaned(text: str) -> str:
    """The text as dateutil reads it best: "3rd" as "3", "the" and "on" dropped, "3.10." as "3/10"."""
    text = _NOISE_WORDS.sub(" ", _ORDINAL.sub(r"\1", text.casefold())).strip()
    return _DOTTED_DAY_MONTH.sub(r"\1/\2", text)


def _refuse_what_is_no_date(text: str, quoted: str) -> None:
    """BadValue for text that cannot hold a day and a month: a time, a lone number,
    a month or a weekday on its own, words."""
    if len(text) > _LONGEST_DATE:
        raise BadValue(f"{quoted} is too long to be a date")
    if _CONTROL.search(text):
        raise BadValue(f"{quoted} has characters no date has")
    low = re.sub(r"\s+", " ", text.casefold())
    if _TIME_OF_DAY.fullmatch(low):
        raise BadValue(f"{quoted} is a time of day, not a date")
    if re.fullmatch(r"[0-9]+", low) and len(low) != 8:  # 20131015 is a date
        year = len(low) == 4 and 1900 <= int(low) <= 9999
        raise BadValue(f"{quoted} is {'a year' if year else 'a number'}, not a date")
    if re.search(r"[0-9]", low):
        return
    if _MONTH_WORD.fullmatch(low.strip(" .")):
        raise BadValue(f"{quoted} is a month, not a date")
    lone = re.fullmatch(r"(?:(?:next|this|last|on) )?(\w+)\.?", low)
    if lone and (lone.group(1) in WEEKDAY_ABBREVIATIONS or lone.group(1).rstrip("s") in WEEKDAYS):
        raise BadValue(f"{quoted} is a day of the week, not a date")
    raise BadValue(f"{quoted} is not a date")


def _parse_twice(text: str, dayfirst: bool, quoted: str) -> _TwoReadings:
    """The text read by python-dateutil against both default dates, in the user's
    order of day and month first, else the other ("15/10" can only be day first)."""
    from dateutil import parser

    problems: list[str] = []
    for first in (dayfirst, not dayfirst):
        try:
            return _TwoReadings(*(parser.parse(text, dayfirst=first, default=d) for d in _DEFAULTS))
        except (ValueError, ArithmeticError) as exc:  # ArithmeticError: dateutil's decimals overflow
            problems.append(str(exc))
    said = " ".join(problems)
    big_year = re.search(r"year ([0-9]+) is out of range", said)
    if big_year and int(big_year.group(1)) > 9999:
        raise BadValue(f"{quoted} has a year after 9999")
    if "day is out of range" in said:
        raise BadValue(f"{quoted} is not a real day: that month is shorter")
    raise BadValue(f"{quoted} is not a date")


def _missing_part(quoted: str, *, day: bool, month: bool) -> str:
    """The reason for a text that dateutil reads but that lacks a day or a month (written: True)."""
    if month:
        return f"{quoted} has no day of the month"
    return f"{quoted} has no month" if day else f"{quoted} is not a date: it has no day and month"


def _check_year(year: int, text: str, quoted: str) -> None:
    """BadValue for a year written with fewer than four digits, or before 1900."""
    if str(year) not in text:
        raise BadValue(f"{quoted} has a short year: write all four digits")
    if year < _FIRST_YEAR:
        raise BadValue(f"{quoted} is before 1900")


def _weekday_in(text: str) -> int | None:
    """The weekday written beside a date ("Tue 1 Oct"), if any (0 = Monday)."""
    found = _WEEKDAY_WORD.search(text)
    if found is None:
        return None
    word = found.group(1)
    return WEEKDAYS.index(word) if word in WEEKDAYS else WEEKDAY_ABBREVIATIONS[word]


def _checked_weekday(day: date, weekday: int | None, quoted: str) -> date:
    if weekday is not None and day.weekday() != weekday:
        raise BadValue(f"{quoted} says {WEEKDAYS[weekday].capitalize()}, but {day.day} {day:%b %Y} is a {day:%A}")
    return day


def _place(written: _DayMonth, near: date, towards: str) -> date:
    """The day and month in the nearest year on the ``towards`` side of ``near``
    (29 February: the nearest leap year that way)."""
    step = -1 if towards == PAST else 1
    year = near.year
    for _ in range(10):  # leap years are at most eight years apart
        day = _real_day(year, written.month, written.day)
        if day is not None and (day <= near if step < 0 else day >= near):
            return _checked_weekday(day, written.weekday, written.quoted)
        year += step
    raise BadValue(f"{written.quoted} has no year, and no year from 1900 to 9999 near {day_text(near)} has that day")


def _real_day(year: int, month: int, day: int) -> date | None:
    if not _FIRST_YEAR <= year <= 9999:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _quoted(text: str) -> str:
    """Cell text in quotes for a message: shortened, control characters shown as "?"."""
    short = text if len(text) <= 40 else text[:37] + "..."
    return "'" + _CONTROL.sub("?", short) + "'"


#: ours: the longest cell text a message quotes whole; longer, it is cut with an ellipsis.
QUOTED_CHARS = 60


def shown(value: object) -> str:
    """A cell's text quoted for a message (as Python quotes it), cut short when it is long."""
    text = as_text(value)
    return repr(text if len(text) <= QUOTED_CHARS else text[:QUOTED_CHARS - 1] + "\u2026")


def as_text(value: object) -> str:
    """Cell value as the text a person would read; whole floats lose their ".0"."""
    if type(value) is str:
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return day_text(value.date()) if value.time() == datetime.min.time() else value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return day_text(value)
    return str(value).strip()


@cache
def day_text(day: date) -> str:
    """"Wed 2 Oct 2013": short and unambiguous in every country."""
    return f"{day:%a} {day.day} {day:%b %Y}"


def span_text(first: date, last: date) -> str:
    """"Tue 1 to Thu 3 Oct 2013": the first and last day of a span, as short as stays clear."""
    if first == last:
        return day_text(first)
    if first.year != last.year:
        return f"{day_text(first)} to {day_text(last)}"
    if first.month != last.month:
        return f"{first:%a} {first.day} {first:%b} to {day_text(last)}"
    return f"{first:%a} {first.day} to {day_text(last)}"


@cache
def long_day(day: date) -> str:
    """"Friday 27 September" for scripts read aloud."""
    return f"{day:%A} {day.day} {day:%B}"


def sort_time(value: object) -> float:
    """A Calls Time cell as a sortable number (fraction of a day); blank or unknown = 0."""
    return read_time(value) or 0.0


#: ours: a time of day as people type it: "16:45", "16.45", "4:45 pm", "4.45 P.M.", "5pm",
#: "8 a.m.", "16h45"; and noon and midnight by name ("12 noon").
_TIME_TEXT = re.compile(
    r"^\s*(?:(?P<hour>\d{1,2})(?:\s*(?:[:.h])\s*(?P<minute>\d{2})(?::\d{2}(?:[.,]\d+)?)?)?"
    r"\s*(?P<mark>[ap])?\.?\s*(?:(?<=[ap])m\.?|(?<=[ap]\.)m\.?)?\s*(?P<noon>noon)?"
    r"|(?P<word>noon|midday|midnight))\s*$")
#: ours: what a time's name means, in minutes after midnight.
_TIME_WORDS = {"noon": 12 * 60, "midday": 12 * 60, "midnight": 0}


def read_time(value: object) -> float | None:
    """A Calls Time cell as a fraction of a day: 0.0 when blank; None when it holds
    something that is not a time of day (a word, a date, "7:60", "25:10"). An Excel
    time is the fraction of a number; a whole number is a date, not a time."""
    if value is None:
        return 0.0
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        fraction = float(value) % 1 if value == value and abs(value) != float("inf") else 0.0
        return fraction if fraction or value == 0 else None
    hour, minute = getattr(value, "hour", None), getattr(value, "minute", None)
    if isinstance(hour, int) and isinstance(minute, int):  # a time of day (or a datetime), from any reader
        if isinstance(value, datetime) and not (hour or minute):
            return None  # a date typed into Time
        return (hour * 60 + minute) / 1440
    if not isinstance(value, str):
        return None
    text = value.casefold()
    if not text.strip():
        return 0.0
    return _time_text(text) if len(text) <= 40 else None


def _time_text(text: str) -> float | None:
    m = _TIME_TEXT.match(text)
    if m is None:
        return None
    if m.group("word"):
        return _TIME_WORDS[m.group("word")] / 1440
    hour, minute, mark = int(m.group("hour")), int(m.group("minute") or 0), m.group("mark")
    if m.group("noon"):
        if hour != 12 or mark:
            return None
        return 12 * 60 / 1440
    if minute > 59 or (mark and not 1 <= hour <= 12) or hour > 23:
        return None
    if mark is None and m.group("minute") is None:
        return None  # a bare number ("5") is not a time
    if mark:
        hour = hour % 12 + (12 if mark == "p" else 0)
    return (hour * 60 + minute) / 1440


#: ours: a time written after a date in one cell ("2025-11-26 16:45", "11/26/2025 4:45 PM").
_TIME_AFTER_DATE = re.compile(r"(?<![\d.:])(\d{1,2}:\d{2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?)\s*$")


def time_in_date(value: object) -> float | None:
    """The time of day a Date cell also holds (a datetime with a time, or text ending in
    one), as a fraction of a day; None when it holds none."""
    if isinstance(value, datetime):
        return (value.hour * 60 + value.minute) / 1440 if value.hour or value.minute else None
    if isinstance(value, str) and len(value) <= 80:
        m = _TIME_AFTER_DATE.search(value.casefold())
        if m:
            return read_time(m.group(1)) or None
    return None


def count(n: int, noun: str) -> str:
    """"1 row", "3 rows": a number and its noun, in the plural unless it is one."""
    return f"{n} {noun}" + ("" if n == 1 else "s")
