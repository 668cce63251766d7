"""Turning cell values into dates, numbers and text, and dates into words."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from functools import cache

_EXCEL_EPOCH = date(1899, 12, 30)
_MONTH_FIRST_COUNTRIES = {"US", "CA", "PH", "FM", "MH", "PW", "BZ", "GU", "PR", "AS", "VI", "MP", "UM"}


class BadValue(ValueError):
    pass


def dayfirst_for(country: str | None) -> bool:
    """Whether "3/10" means 3 October where the user lives (blank country: month first)."""
    return bool(country) and country.strip().upper() not in _MONTH_FIRST_COUNTRIES  # type: ignore[union-attr]


def as_date(value: object, dayfirst: bool = False) -> date | None:
    """A date cell, a date typed as text, or an Excel serial number; None when blank."""
    if value is None:
        return None
    if type(value) is date:
        return value
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        raise BadValue(str(value))
    if isinstance(value, (int, float)):
        if 1 <= value < 2958466:
            return _EXCEL_EPOCH + timedelta(days=int(value))
        raise BadValue(str(value))
    text = str(value).strip()
    if not text:
        return None
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        try:
            return date.fromisoformat(text)
        except ValueError as exc:
            raise BadValue(text) from exc
    from dateutil import parser

    try:
        parsed: datetime = parser.parse(text, dayfirst=dayfirst, default=datetime(2000, 1, 1))
        return parsed.date()
    except (ValueError, OverflowError) as exc:
        raise BadValue(text) from exc


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


@cache
def long_day(day: date) -> str:
    """"Friday 27 September" for scripts read aloud."""
    return f"{day:%A} {day.day} {day:%B}"


def sort_time(value: object) -> float:
    """A Calls Time cell as a sortable number (fraction of a day); unknown = 0."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value) % 1
    if isinstance(value, datetime):
        return (value.hour * 60 + value.minute) / 1440
    hour, minute = getattr(value, "hour", None), getattr(value, "minute", None)
    if isinstance(hour, int) and isinstance(minute, int):  # a time of day, from any reader
        return (hour * 60 + minute) / 1440
    m = re.match(r"^\s*(\d{1,2})[:.](\d{2})\s*([ap]\.?m\.?)?", str(value or "").casefold())
    if not m:
        return 0.0
    hour = int(m.group(1)) % 12 if m.group(3) else int(m.group(1))
    if m.group(3) and m.group(3).startswith("p"):
        hour += 12
    return (hour * 60 + int(m.group(2))) / 1440


def count(n: int, noun: str) -> str:
    """"1 row", "3 rows": a number and its noun, in the plural unless it is one."""
    return f"{n} {noun}" + ("" if n == 1 else "s")
