"""What the user's own call log says about when they reach people, and the order of
the call windows it leads to (the rules are data, in `core.rules.reach`).

`call_history` counts the tracker's logged calls in one pass: by attempt (the n-th call
of a row) every call, and by the contact's window and weekday the calls logged with a
Time, since only for those is the contact's hour and day known. The Time is the user's
own clock; the contact's is found from the two time zones on that day (an unknown zone:
the same clock). `learned_order` turns the counts into the rotation the plan uses:
the seeds' own until there is enough history, then the window that reaches people most
often first, the others after it in the seeds' order.

Pure: no clock, no files; the leads and the user's zone are the inputs.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING, NamedTuple

from workbook_tools.core.rules.reach import NOTE_LEARNED, OTHER_TIMES, REACH_SPANS, REACH_THRESHOLD, REACHED_OUTCOMES
from workbook_tools.core.windows import SEEDS_ORDER, WindowOrder

if TYPE_CHECKING:  # not imported on start-up
    from workbook_tools.core.leads import Lead

__all__ = ["OTHER_TIMES", "CallHistory", "Tally", "call_history", "learned_order", "span_of", "window_names"]

MINUTES_A_DAY = 24 * 60


class Tally(NamedTuple):
    """How many calls, and how many of them reached a person."""

    calls: int
    reached: int

    @property
    def rate(self) -> float | None:
        """The share of calls that reached someone; None without calls."""
        return self.reached / self.calls if self.calls else None


@dataclass
class CallHistory:
    """A tracker's calls counted: small and picklable, for the plan and the report.

    ``by_window`` has every span of `core.rules.reach.REACH_SPANS` by its window's name,
    in that order, then `OTHER_TIMES`; ``by_weekday`` has 0 (Monday) to 6 (Sunday), the
    contact's day; ``by_attempt`` the attempt numbers that occur, from 1."""

    timed: int = 0  # calls logged with a Time
    by_window: dict[str, Tally] = field(default_factory=dict)
    by_weekday: dict[int, Tally] = field(default_factory=dict)
    by_attempt: dict[int, Tally] = field(default_factory=dict)


def window_names() -> tuple[str, ...]:
    """The rows of the history by window, in order: the seeds' windows, then the others."""
    return (*(s.window.name for s in REACH_SPANS), OTHER_TIMES)


def span_of(name: str) -> str:
    """How the report shows a row of ``by_window``: "morning 8:00–8:30", or "other"."""
    for s in REACH_SPANS:
        if s.window.name == name:
            return f"{name} {s.span}"
    return name


@lru_cache(maxsize=1)
def _window_by_minute() -> tuple[int, ...]:
    """For each minute of the day, the index of its span in `window_names` (the last
    index, "other", for the minutes outside every span)."""
    other = len(REACH_SPANS)
    found = [other] * MINUTES_A_DAY
    for i, s in enumerate(REACH_SPANS):
        for minute in range(s.first.hour * 60 + s.first.minute, s.last.hour * 60 + s.last.minute + 1):
            found[minute] = i
    return tuple(found)


class _Shift(NamedTuple):
    """How many minutes the contact's clock is ahead of the user's at the start and at
    the end of one of the user's days: the same, but on a day either zone changes its clock."""

    start: int
    end: int


def _day_shift(day: date, user_tz: str, contact_tz: str) -> _Shift:
    from zoneinfo import ZoneInfo

    mine, theirs = ZoneInfo(user_tz), ZoneInfo(contact_tz)
    ends = (datetime.combine(day, time(0), tzinfo=mine), datetime.combine(day, time(23, 59), tzinfo=mine))
    shifts = [int(((t.astimezone(theirs).utcoffset() or timedelta(0)) - (t.utcoffset() or timedelta(0)))
                  .total_seconds() // 60) for t in ends]
    return _Shift(*shifts)


def _shift_at(day: date, minute: int, user_tz: str, contact_tz: str) -> int:
    """The contact's clock ahead of the user's at ``minute`` of the user's ``day``."""
    from zoneinfo import ZoneInfo

    mine = datetime.combine(day, time(minute // 60, minute % 60), tzinfo=ZoneInfo(user_tz))
    offset = (mine.astimezone(ZoneInfo(contact_tz)).utcoffset() or timedelta(0)) - (mine.utcoffset() or timedelta(0))
    return int(offset.total_seconds() // 60)


class _Counter:
    """The running counts of `call_history`: lists of [calls, reached], by index."""

    def __init__(self) -> None:
        self.windows = [[0, 0] for _ in window_names()]
        self.weekdays = [[0, 0] for _ in range(7)]
        self.attempts: list[list[int]] = []
        self.timed = 0

    def history(self) -> CallHistory:
        return CallHistory(
            self.timed,
            {name: Tally(*self.windows[i]) for i, name in enumerate(window_names())},
            {d: Tally(*self.weekdays[d]) for d in range(7)},
            {n: Tally(*t) for n, t in enumerate(self.attempts, start=1) if t[0]},
        )


def call_history(leads: Iterable[Lead], user_tz: str | None) -> CallHistory:
    """Every lead's calls counted by attempt, and those with a Time by the contact's
    window and weekday. ``user_tz`` is the zone of Settings (None: unknown); each
    contact's is ``lead.person.time_zone``. Both are valid zone names or None, as
    `core.config` reads them."""
    count = _Counter()
    by_minute = _window_by_minute()
    shifts: dict[tuple[tuple[str, str], date], _Shift] = {}
    for lead in leads:
        contact_tz = lead.person.time_zone if lead.person is not None else None
        zones = (user_tz, contact_tz) if user_tz and contact_tz and contact_tz != user_tz else None
        calls = lead.calls
        while len(count.attempts) < len(calls):
            count.attempts.append([0, 0])
        for n, call in enumerate(calls):
            reached = call.outcome in REACHED_OUTCOMES
            tally = count.attempts[n]
            tally[0] += 1
            tally[1] += reached
            if not 0.0 < call.order < 1.0:  # `Call.timed`, inline: the log can hold 300,000 calls
                continue
            minute = round(call.order * MINUTES_A_DAY)
            weekday = call.day.weekday()
            if zones is not None:
                day_shift = shifts.get((zones, call.day))
                if day_shift is None:
                    day_shift = shifts[(zones, call.day)] = _day_shift(call.day, *zones)
                # A day on which a clock changes: the offset at the moment of the call.
                minute += day_shift.start if day_shift.start == day_shift.end else _shift_at(
                    call.day, minute % MINUTES_A_DAY, *zones)
                weekday = (weekday + minute // MINUTES_A_DAY) % 7
            count.timed += 1
            for tally in (count.windows[by_minute[minute % MINUTES_A_DAY]], count.weekdays[weekday]):
                tally[0] += 1
                tally[1] += reached
    return count.history()


def learned_order(history: CallHistory) -> WindowOrder:
    """The rotation of the call windows that ``history`` supports.

    The seeds' order (`SEEDS_ORDER`) until the log has `REACH_THRESHOLD.timed_calls`
    calls with a Time; then, among the seeds' windows with at least
    `REACH_THRESHOLD.per_window` calls (at least `REACH_THRESHOLD.windows` of them),
    the one with the best reach rate goes first and the others follow in the seeds'
    order. Of windows that tie for the best, the first in the seeds' order leads; when
    every window compared ties, or none reached anyone, nothing is learned. "other" is
    never preferred.
    """
    if history.timed < REACH_THRESHOLD.timed_calls:
        return SEEDS_ORDER
    compared = [(s, history.by_window[s.window.name]) for s in REACH_SPANS
                if history.by_window.get(s.window.name, Tally(0, 0)).calls >= REACH_THRESHOLD.per_window]
    if len(compared) < REACH_THRESHOLD.windows:
        return SEEDS_ORDER
    best_span, best = compared[0]
    for s, tally in compared[1:]:
        # Rates compared as fractions: reached/calls above best.reached/best.calls; of
        # windows that tie, the first in the seeds' order.
        if tally.reached * best.calls > best.reached * tally.calls:
            best_span, best = s, tally
    if not best.reached or all(t.reached * best.calls == best.reached * t.calls for _, t in compared):
        return SEEDS_ORDER  # nobody reached, or every window alike: nothing learned
    windows = (best_span.window, *(s.window for s in REACH_SPANS if s is not best_span))
    return WindowOrder(windows, NOTE_LEARNED.format(said=best_span.said, reached=best.reached, calls=best.calls))
