"""What people say about when to call (the `Call When` column), as data.

Seed 003 advises asking "when would be a good time?" and quotes the answers people
give: "around mid-week", "after Tuesday". Each phrase below means an earliest day,
counted from the event (the day it was said); `core.call_when` reads a cell against
this table, then tries the weekday, "in N days" and written-date forms.
"""

from __future__ import annotations

import re
from calendar import monthrange
from collections.abc import Callable
from datetime import date, timedelta
from typing import NamedTuple

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
#: Short forms people write for weekdays, besides the first three letters.
WEEKDAY_ABBREVIATIONS = {name[:3]: i for i, name in enumerate(WEEKDAYS)} | {
    "tues": 1, "thur": 3, "thurs": 3, "weds": 2}

#: Numbers written as words, in Wait cells ("one week") and in Call When ("in two weeks").
NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}
#: Rough quantities people say about when to call ("in a couple of weeks").
ROUGH_QUANTITIES = {"a couple of": 2, "a couple": 2, "couple of": 2, "a few": 3, "few": 3}

#: Words that carry no meaning for the date ("call them around Tuesday-ish").
FILLER = re.compile(
    r"\b(?:around|about|call|them|him|her|back|on|ish|maybe|please|sometime|some time|any time|anytime)\b"
)
#: "Don't call us, we'll call you" (seed 003: then they promise to call you).
NO_CALLS = re.compile(r"\b(?:don'?t|do not|no need to|please don'?t)\s+call\b|\b(?:they|we)('ll| will) call\b")
#: Words that only bound the phrase after them: "from Monday", "by Oct 15", "not before Friday".
LOWER_BOUND_WORDS = ("from ", "by ", "not before ")


def next_weekday(after: date, weekday: int) -> date:
    """The first ``weekday`` (0 = Monday) strictly after ``after``."""
    return after + timedelta(days=(weekday - after.weekday() - 1) % 7 + 1)


def last_working_day_of_month(day: date) -> date:
    """The month's last Monday to Friday."""
    end = day.replace(day=monthrange(day.year, day.month)[1])
    while end.weekday() >= 5:
        end -= timedelta(days=1)
    return end


def _next_monday(event: date) -> date:
    return event + timedelta(days=7 - event.weekday())


def _end_of_month(event: date) -> date:
    end = last_working_day_of_month(event)
    return end if end > event else last_working_day_of_month(event.replace(day=1) + timedelta(days=32))


def _first_of_next_month(event: date) -> date:
    return (event.replace(day=1) + timedelta(days=32)).replace(day=1)


class Phrase(NamedTuple):
    """Ways of saying one thing (after "the " and "this " are dropped), and the
    earliest day it allows, from the event."""

    said: tuple[str, ...]
    earliest: Callable[[date], date]
    means: str
    source: str


PHRASES: tuple[Phrase, ...] = (
    Phrase(("tomorrow",), lambda event: event + timedelta(days=1), "the day after", "ours"),
    Phrase(("mid-week", "midweek", "mid week", "middle of week", "middle of next week", "mid-next week"),
           lambda event: next_weekday(event, 2), "the next Wednesday", "seed 003: \"around mid-week\""),
    Phrase(("next week", "early next week", "beginning of next week", "start of next week", "week after"),
           _next_monday, "the next Monday", "ours"),
    Phrase(("end of next week", "late next week"),
           lambda event: _next_monday(event) + timedelta(days=4), "the Friday of next week", "ours"),
    Phrase(("end of week", "late week", "later in week"),
           lambda event: next_weekday(event, 4), "the next Friday", "ours"),
    Phrase(("end of month", "month end", "late month"),
           _end_of_month, "the month's last working day still to come", "ours"),
    Phrase(("next month", "early next month", "beginning of next month", "start of next month"),
           _first_of_next_month, "the first of next month", "ours"),
)

#: Each way of saying it -> its phrase.
PHRASE_BY_WORDS: dict[str, Phrase] = {words: phrase for phrase in PHRASES for words in phrase.said}
