"""What people say about when to call (the `Call When` column), as data.

Seed 003 advises asking "when would be a good time?" and quotes the answers people
give: "around mid-week", "after Tuesday". Each phrase below is a span of days counted
from the event (the day it was said): the first day it allows and the last (None: that
day or later). `core.call_when` reads a cell against this table, then tries the
weekday, "in N days", written-date and "after <holiday>" forms.

Weeks run Monday to Sunday; "next week" is the week after the event's.
"""

from __future__ import annotations

import re
from calendar import monthrange
from collections.abc import Callable
from datetime import date, timedelta
from typing import NamedTuple

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONDAY, TUESDAY, WEDNESDAY, THURSDAY, FRIDAY = range(5)
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

#: Words that carry no meaning for the date ("call them around Tuesday-ish", "right after Tuesday").
FILLER = re.compile(
    r"\b(?:around|about|call|them|him|her|back|on|ish|maybe|please|sometime|some time|any time|anytime|right|just)\b"
)
#: "Don't call us, we'll call you" (seed 003: then they promise to call you).
NO_CALLS = re.compile(r"\b(?:don'?t|do not|no need to|please don'?t)\s+call\b|\b(?:they|we)('ll| will) call\b")
#: Words that only bound the phrase after them: "from Monday", "by Oct 15", "not before Friday".
LOWER_BOUND_WORDS = ("from ", "by ", "not before ", "not until ", "no earlier than ", "no sooner than ")
#: Words that mean "from the day after": "after Tuesday", "post-Thanksgiving" (seed 003: "after Tuesday").
AFTER_WORDS = ("after ", "post-", "post ")
#: Words after a holiday's name that add nothing: "after the Thanksgiving holiday".
HOLIDAY_TAIL = re.compile(r"\s+(?:holidays?|break|day off)$")


def next_weekday(after: date, weekday: int) -> date:
    """The first ``weekday`` (0 = Monday) strictly after ``after``."""
    return after + timedelta(days=(weekday - after.weekday() - 1) % 7 + 1)


def weekday_of_week(day: date, weekday: int, weeks_on: int = 0) -> date:
    """The ``weekday`` of ``day``'s week (Monday to Sunday), ``weeks_on`` weeks later."""
    return day + timedelta(days=weekday - day.weekday() + 7 * weeks_on)


def last_working_day_of_month(day: date) -> date:
    """The month's last Monday to Friday."""
    end = day.replace(day=monthrange(day.year, day.month)[1])
    while end.weekday() >= 5:
        end -= timedelta(days=1)
    return end


def last_day_of_month(day: date) -> date:
    return day.replace(day=monthrange(day.year, day.month)[1])


def _next_week(weekday: int) -> Callable[[date], date]:
    return lambda event: weekday_of_week(event, weekday, 1)


def _end_of_week_first(event: date) -> date:
    """This week's Thursday or Friday still to come after the event, else next week's Thursday."""
    for weekday in (THURSDAY, FRIDAY):
        if weekday_of_week(event, weekday) > event:
            return weekday_of_week(event, weekday)
    return weekday_of_week(event, THURSDAY, 1)


def _end_of_week_last(event: date) -> date:
    friday = weekday_of_week(event, FRIDAY)
    return friday if friday > event else weekday_of_week(event, FRIDAY, 1)


def _end_of_month(event: date) -> date:
    end = last_working_day_of_month(event)
    return end if end > event else last_working_day_of_month(_first_of_next_month(event))


def _first_of_next_month(event: date) -> date:
    return (event.replace(day=1) + timedelta(days=32)).replace(day=1)


def _open_ended(event: date) -> date | None:
    return None


class Phrase(NamedTuple):
    """Ways of saying one span of days (written in lower case, after "the" and "this"
    are dropped), its first and last day counted from the event (last None: that day
    or later), what it is called in `Why`, and where the reading comes from."""

    said: tuple[str, ...]
    earliest: Callable[[date], date]
    latest: Callable[[date], date | None]
    means: str
    source: str


PHRASES: tuple[Phrase, ...] = (
    Phrase(("tomorrow",), lambda event: event + timedelta(days=1), _open_ended, "tomorrow", "ours"),
    # Said at the interview about the coming days: the next Tuesday to Thursday after the
    # event. Said on a Monday, that is the same week's; from Tuesday on, next week's.
    Phrase(("mid-week", "midweek", "mid week", "middle of week"),
           lambda event: next_weekday(event, TUESDAY), lambda event: next_weekday(event, TUESDAY) + timedelta(days=2),
           "mid-week", "seed 003: \"around mid-week\""),
    # Naming next week: its Tuesday to Thursday, even when said on a Monday.
    Phrase(("middle of next week", "mid-next week", "mid next week", "next mid-week", "midweek next week",
            "mid-week next week"),
           _next_week(TUESDAY), _next_week(THURSDAY), "the middle of next week", "seed 003: \"around mid-week\""),
    Phrase(("early next week", "beginning of next week", "start of next week", "early in next week",
            "first thing next week"),
           _next_week(MONDAY), _next_week(TUESDAY), "early next week", "ours"),
    Phrase(("next week", "week after", "during next week"),
           _next_week(MONDAY), _next_week(FRIDAY), "next week", "ours"),
    Phrase(("end of next week", "late next week", "later next week", "end of following week"),
           _next_week(THURSDAY), _next_week(FRIDAY), "the end of next week", "ours"),
    Phrase(("end of week", "late week", "later in week", "later week", "week's end"),
           _end_of_week_first, _end_of_week_last, "the end of the week", "ours"),
    Phrase(("end of month", "month end", "late month", "later in month"),
           _end_of_month, lambda event: last_day_of_month(_end_of_month(event)), "the end of the month", "ours"),
    Phrase(("next month", "during next month"),
           _first_of_next_month, lambda event: last_day_of_month(_first_of_next_month(event)), "next month", "ours"),
    Phrase(("early next month", "beginning of next month", "start of next month", "early in next month"),
           _first_of_next_month, lambda event: _first_of_next_month(event) + timedelta(days=9),
           "early next month (its first ten days)", "ours"),
)

#: Each way of saying it -> its phrase.
PHRASE_BY_WORDS: dict[str, Phrase] = {words: phrase for phrase in PHRASES for words in phrase.said}


class Season(NamedTuple):
    """A holiday season people say to call after, known without a country's calendar:
    the ways of saying it (after "the" is dropped), its last day, and its words for `Why`."""

    said: tuple[str, ...]
    last_month: int
    last_day: int
    means: str
    source: str


SEASONS: tuple[Season, ...] = (
    # "after the holidays": once the end-of-year holidays are over, New Year's Day included.
    Season(("holidays", "holiday season", "festive season", "christmas holidays", "winter holidays",
            "christmas and new year", "new year holidays"), 1, 1, "the holidays, to New Year's Day", "ours"),
)
#: Each way of saying it -> its season.
SEASON_BY_WORDS: dict[str, Season] = {words: season for season in SEASONS for words in season.said}
