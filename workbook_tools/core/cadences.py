"""Follow-up cadences as data: the built-in ones, each citing its seed, and the reader
for the user's own rows on the Cadences sheet.

A cadence is a table of steps. Step k is the wait before call k, counted either from
the event (the interview, application or meeting) or from the previous call. The
engine walks these tables; it has no cadence-specific branches of its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

FROM_EVENT = "event"
FROM_PREVIOUS = "previous call"
FROM_VALUES = (FROM_EVENT, FROM_PREVIOUS)


@dataclass(frozen=True)
class Wait:
    """A wait such as "3 business days", "1 week" or "1 week + 1 business day"."""

    weeks: int = 0
    days: int = 0
    business_days: int = 0

    def describe(self) -> str:
        return _describe(self)


@lru_cache(maxsize=256)
def _describe(wait: Wait) -> str:
    """"1 week + 1 business day": the wait in words (cached: rows share a few waits)."""
    parts = []
    for n, unit in ((wait.weeks, "week"), (wait.days, "day"), (wait.business_days, "business day")):
        if n:
            parts.append(f"{n} {unit}{'' if n == 1 else 's'}")
    return " + ".join(parts) or "0 days"


@dataclass(frozen=True)
class Step:
    wait: Wait
    start: str = FROM_PREVIOUS  # FROM_EVENT or FROM_PREVIOUS
    repeats: bool = False  # the last step of an open-ended cadence ("3+")


@dataclass(frozen=True)
class Cadence:
    name: str
    steps: tuple[Step, ...]
    source: str
    summary: str
    #: Weekly says after this many days of silence that the news is probably not good.
    silence_days: int | None = None


THREE_CALLS = "Three calls"
WEEKLY = "Weekly"
ONE_CALL = "One call"
AFTER_APPLYING = "After applying"

_BD3 = Wait(business_days=3)
_WEEK = Wait(weeks=1)
# One week plus one working day: each weekly call falls on a different weekday (seed 003).
_WEEK_ROTATING = Wait(weeks=1, business_days=1)

BUILTIN_CADENCES: dict[str, Cadence] = {
    c.name: c
    for c in (
        Cadence(
            THREE_CALLS,
            (
                Step(_BD3, FROM_EVENT),
                Step(_BD3, FROM_PREVIOUS),
                Step(_WEEK, FROM_PREVIOUS),
            ),
            source="seed 000, The Art of the Follow Up Call",
            summary=(
                "Call 3 business days after the interview, again 3 business days later, "
                "and a last time one week after that; after a third unanswered call, "
                "stop and wait for them."
            ),
        ),
        Cadence(
            WEEKLY,
            (
                Step(_WEEK, FROM_EVENT),
                Step(_WEEK_ROTATING, FROM_PREVIOUS, repeats=True),
            ),
            source="seed 003, Why Won't They Call Me Back?",
            summary=(
                "Call once a week until you reach them, each time on a different weekday "
                "and at a different time of day; after three weeks of silence the news "
                "is probably not good."
            ),
            silence_days=21,
        ),
        Cadence(
            ONE_CALL,
            (Step(_WEEK, FROM_EVENT),),
            source="seed 004, the follow-up call after an interview",
            summary="A single call about a week after the interview, then stop.",
        ),
        Cadence(
            AFTER_APPLYING,
            (Step(_BD3, FROM_EVENT),),
            source="seed 002, 5 Steps to Perfect Follow Up (the wait is ours: the seed gives none)",
            summary=(
                "One short call a few days after applying, to say you are interested "
                "and name a key skill."
            ),
        ),
    )
}

#: The cadence a row gets when its Cadence cell is blank, by Type.
DEFAULT_CADENCE_BY_TYPE: dict[str, str] = {
    "Interview": THREE_CALLS,
    "Phone screen": THREE_CALLS,
    "Application": AFTER_APPLYING,
    "Networking": WEEKLY,
    "Referral": WEEKLY,
}

_NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}
_TERM = re.compile(
    r"^(?P<n>\d+|[a-z]+)\s+(?P<unit>business\s+days?|working\s+days?|weekdays?|days?|weeks?)$"
)


def parse_wait(text: object) -> Wait | None:
    """Read a Wait cell: "3 business days", "1 week", "10 days", "1 week + 1 business day".

    Returns None when the text cannot be read.
    """
    if isinstance(text, bool):
        return None
    if isinstance(text, (int, float)):
        return Wait(days=int(text)) if float(text).is_integer() and text >= 0 else None
    if not isinstance(text, str):
        return None
    weeks = days = bdays = 0
    terms = re.split(r"\s*(?:\+|\band\b|,)\s*", text.strip().casefold())
    if not terms or terms == [""]:
        return None
    for term in terms:
        m = _TERM.match(re.sub(r"\s+", " ", term))
        if not m:
            return None
        raw = m.group("n")
        n = int(raw) if raw.isdigit() else _NUMBER_WORDS.get(raw)
        if n is None:
            return None
        unit = m.group("unit")
        if unit.startswith(("business", "working", "weekday")):
            bdays += n
        elif unit.startswith("week"):
            weeks += n
        else:
            days += n
    return Wait(weeks=weeks, days=days, business_days=bdays)


def parse_from(text: object) -> str | None:
    value = str(text or "").strip().casefold()
    if value in ("event", "interview", "the event"):
        return FROM_EVENT
    if value in ("previous call", "previous", "last call", "the previous call"):
        return FROM_PREVIOUS
    return None


def cadence_rows(cadence: Cadence) -> list[tuple[str, str, str, str]]:
    """The Cadences-sheet rows that describe a cadence: (Cadence, Step, Wait, From)."""
    rows = []
    for i, step in enumerate(cadence.steps, start=1):
        rows.append((cadence.name, f"{i}+" if step.repeats else str(i), step.wait.describe(), step.start))
    return rows
