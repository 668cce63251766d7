"""The built-in cadences, each citing the seed it follows (PRODUCT.md, "The rules").

A cadence is a table of steps (see `core.cadences`): step k is the wait before call
k, from the event or from the previous call. The user's Cadences sheet may replace
the steps of any of these, or add cadences of its own.
"""

from __future__ import annotations

from workbook_tools.core.cadences import FROM_EVENT, FROM_PREVIOUS, Cadence, Step, Wait

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
