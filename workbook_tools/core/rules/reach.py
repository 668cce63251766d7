"""Learning from the user's own call log: when a call counts as logged with a time,
which spans of the contact's day are compared, and how much history it takes before
the plan prefers the window where the user reaches people most. Each rule names its
source.

The seeds say when busy people tend to pick up (seed 003: 8:00-8:30, lunch time, after
4:30) and that successive attempts should come at different times (seed 003). The Calls
sheet shows, for each user, which of those times works for them; with enough calls the
best one is tried first, and the rotation goes on from there.
"""

from __future__ import annotations

from datetime import time
from typing import NamedTuple

from workbook_tools.core.rules.outcomes import OUTCOME_RULES, UNANSWERED_OUTCOMES
from workbook_tools.core.rules.windows import CALL_WINDOWS, Window


class ReachSpan(NamedTuple):
    """The part of the contact's day that counts as one of the seeds' call windows when
    a logged call is sorted into it. ``first`` and ``last`` are both included."""

    window: Window  # the window of `core.rules.windows` the plan books a call in
    first: time
    last: time
    span: str  # the span as the report shows it
    said: str  # how Why names it: "... most often {said} ..."
    source: str


#: The seeds' windows, each widened from the narrow window a call is booked in (which
#: keeps clear of the top of the hour) to the span the seeds name, so that a call made at
#: 8:00 or 12:55 counts where the user meant it.
REACH_SPANS: tuple[ReachSpan, ...] = (
    ReachSpan(CALL_WINDOWS[0], time(8, 0), time(8, 30), "8:00\u20138:30", "between 8:00 and 8:30",
              "seed 003: call between 8:00 and 8:30"),
    ReachSpan(CALL_WINDOWS[1], time(12, 0), time(12, 59), "12:00\u201313:00", "around lunch",
              "seed 003: lunch time also works; ours: the hour of noon, before the 1:00 meetings"),
    ReachSpan(CALL_WINDOWS[2], time(16, 30), time(17, 59), "16:30\u201318:00", "after 4:30",
              "seed 003: call after 4:30, late in the afternoon; ours: until 18:00, when the working day "
              "is over (later is an after-hours message, seed 002)"),
)

#: ours: the name of every other time of day in the history and the report. Never a
#: window the plan prefers, however well it does: the seeds do not advise it.
OTHER_TIMES = "other"

#: PRODUCT.md ("Calls"): every outcome but the unanswered ones reached a person.
REACHED_OUTCOMES = frozenset(o for o in OUTCOME_RULES if o not in UNANSWERED_OUTCOMES)


class ReachThreshold(NamedTuple):
    """How much history the plan needs before it prefers a window of its own."""

    timed_calls: int  # calls logged with a Time, in all
    per_window: int  # calls in a window for it to be compared with the others
    windows: int  # windows compared: with fewer, there is nothing to choose between
    source: str


#: Issue 15: "say 12 logged calls with a Time, at least 3 in each compared window";
#: ours: at least two windows compared, since one alone is not a preference.
REACH_THRESHOLD = ReachThreshold(12, 3, 2, "issue 15 (12 calls, 3 per window); ours (2 windows)")

#: ours: Why's words for a call booked in the window the user's log put first. Lower case
#: at the start: Why joins its parts with "; ".
NOTE_LEARNED = "your Calls log reaches people most often {said} their time ({reached} of {calls} calls)"
