"""Follow-up cadences: what a cadence is (a table of steps), and the readers of the
user's own rows on the Cadences sheet. The built-in cadences are data, in
`core.rules.cadences`.

A cadence is a table of steps. Step k is the wait before call k, counted either from
the event (the interview, application or meeting) or from the previous call. The
engine walks these tables; it has no cadence-specific branches of its own.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from workbook_tools.core.rules.phrases import NUMBER_WORDS
from workbook_tools.core.values import count

FROM_EVENT = "event"
FROM_PREVIOUS = "previous call"


class Wait(NamedTuple):
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
            parts.append(count(n, unit))
    return " + ".join(parts) or "0 days"


class Step(NamedTuple):
    wait: Wait
    start: str = FROM_PREVIOUS  # FROM_EVENT or FROM_PREVIOUS
    repeats: bool = False  # the last step of an open-ended cadence ("3+")


class Cadence(NamedTuple):
    name: str
    steps: tuple[Step, ...]
    source: str
    summary: str
    #: Weekly says after this many days of silence that the news is probably not good.
    silence_days: int | None = None


class WaitLimits(NamedTuple):
    """The longest wait a cell may ask for, in each unit, and where the figure comes from."""

    weeks: int
    days: int
    business_days: int
    source: str


#: A follow-up wait is days or weeks; ten years is far past any of them, and keeps every
#: plan inside the dates a calendar can hold.
WAIT_LIMITS = WaitLimits(weeks=520, days=3650, business_days=2600, source="ours")
#: Digits past this many are a number beyond every limit (int() of a long text is slow).
_MOST_DIGITS = 9


def over_limit(weeks: int = 0, days: int = 0, business_days: int = 0) -> str | None:
    """What is too long in a wait (or in "in N weeks"): "longer than 520 weeks (ten years)",
    else None. Weeks and days count together against the days' limit."""
    limits = WAIT_LIMITS
    if business_days > limits.business_days:
        return f"longer than {limits.business_days:,} business days (ten years)"
    if weeks > limits.weeks:
        return f"longer than {limits.weeks} weeks (ten years)"
    if weeks * 7 + days > limits.days:
        return f"longer than {limits.days:,} days (ten years)"
    return None


def wait_limit_problem(wait: Wait) -> str | None:
    """`over_limit` for a whole wait."""
    return over_limit(wait.weeks, wait.days, wait.business_days)


def read_count(raw: str) -> int | None:
    """A count written in digits or as a word ("3", "three"); a number with more digits
    than any limit allows is read as one past every limit, never converted whole."""
    if raw.isdigit():
        return int(raw) if len(raw) <= _MOST_DIGITS else 10 ** _MOST_DIGITS
    return NUMBER_WORDS.get(raw)


_TERM = re.compile(
    r"^(?P<n>\d+|[a-z]+)\s+(?P<unit>business\s+days?|working\s+days?|weekdays?|days?|weeks?)$"
)


def parse_wait(text: object) -> Wait | None:
    """Read a Wait cell: "3 business days", "1 week", "10 days", "1 week + 1 business day".

    Returns None when the text cannot be read. A wait past `WAIT_LIMITS` is read as
    written: `wait_limit_problem` says so.
    """
    if isinstance(text, bool):
        return None
    if isinstance(text, int):
        return Wait(days=min(text, 10 ** _MOST_DIGITS)) if text >= 0 else None
    if isinstance(text, float):
        return Wait(days=int(min(text, 10 ** _MOST_DIGITS))) if text.is_integer() and text >= 0 else None
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
        n = read_count(m.group("n"))
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
