"""What each call outcome does to a row's plan, and what a closed row still asks of
the user: the rules of PRODUCT.md ("Calls") and the seeds, as tables the engine walks.

Each logged call has one `Effect`; the engine keeps one function per effect and has
no branch of its own per outcome. The Guide's words for each outcome come from here
too, so the Guide and the engine cannot disagree.
"""

from __future__ import annotations

from enum import Enum
from typing import NamedTuple

from workbook_tools import contract as C
from workbook_tools.core.cadences import Wait
from workbook_tools.core.rules.texts import Purpose


class Effect(Enum):
    """What a call does to the row's plan."""

    NEXT_STEP = "no one answered: the cadence moves on to its next step"
    SPOKE = "reached them, no decision: the next call a week later, the cadence restarts"
    NEW_DECISION = "a new decision date (New Date): the next call a grace period after it"
    RESTART = "a further interview (New Date): the cadence restarts from it"
    CLOSE = "the row closes with this outcome"
    STOP = "no more calls: the row waits for them"


class OutcomeRule(NamedTuple):
    effect: Effect
    #: What the Guide says the outcome means.
    help: str
    source: str
    #: The effect when New Date is blank, for outcomes that need it (a problem is
    #: reported too); None: New Date is not needed.
    without_new_date: Effect | None = None
    #: The Status a closing outcome gives the row (unless the user set one).
    closes_as: str | None = None

    @property
    def reached(self) -> bool:
        """The call reached a person (the report's reach rate)."""
        return self.effect is not Effect.NEXT_STEP


OUTCOME_RULES: dict[str, OutcomeRule] = {
    C.LEFT_VOICEMAIL: OutcomeRule(Effect.NEXT_STEP, "an unanswered attempt; the cadence moves on to its next step",
                                  "seed 000: leave a message, call again on the next step"),
    C.NO_ANSWER: OutcomeRule(Effect.NEXT_STEP, "the same as a voicemail, without the message",
                             "seed 000, as a voicemail"),
    C.SPOKE: OutcomeRule(Effect.SPOKE, "you reached them but there is no decision; the next call is a week later",
                         "PRODUCT.md: next call one week later; seed 001: give it time to play out"),
    C.NEW_DATE: OutcomeRule(Effect.NEW_DECISION, "they gave a new decision date: put it in New Date; "
                            "the next call comes a short grace period after it",
                            "seed 001: ask for a new date, and give it time to play out",
                            without_new_date=Effect.SPOKE),
    C.NEXT_INTERVIEW: OutcomeRule(Effect.RESTART, "a further interview is booked: put its date in New Date; "
                                  "the follow-up plan starts again from that interview",
                                  "PRODUCT.md: the cadence restarts from the next interview",
                                  without_new_date=Effect.SPOKE),
    C.OUTCOME_NOT_SELECTED: OutcomeRule(Effect.CLOSE, "they chose someone else: the row closes, and a gracious note "
                                        "and a call asking for feedback are suggested", "seeds 002 and 004",
                                        closes_as=C.NOT_SELECTED),
    C.OUTCOME_OFFER: OutcomeRule(Effect.CLOSE, "you have an offer: the row closes", "PRODUCT.md",
                                 closes_as=C.OFFER),
    C.ASKED_NOT_TO_CALL: OutcomeRule(Effect.STOP, "no more calls are planned; the row waits for them",
                                     "seed 003: if they say don't call, they will call you"),
}

#: The outcomes of a call that reached no one.
UNANSWERED_OUTCOMES = tuple(o for o, rule in OUTCOME_RULES.items() if not rule.reached)
#: The outcomes whose New Date the engine needs.
NEEDS_NEW_DATE = tuple(o for o, rule in OUTCOME_RULES.items() if rule.without_new_date is not None)

#: After "Spoke, no decision yet": the next call one week later (PRODUCT.md).
AFTER_SPEAKING = Wait(weeks=1)
#: How long after a row closes the note and the call it asks for are still suggested
#: (ours: the seeds ask for them promptly and give no limit).
FOLLOW_UP_AFTER_CLOSING_DAYS = 30
#: A thank-you still unsent this many days after the event is no longer suggested
#: (ours: seed 002 asks for it at once; `texts.THANK_YOU_LATE_AFTER_DAYS` says when it is late).
THANK_YOU_UNTIL_DAYS = 14


class ClosingRule(NamedTuple):
    """What a closed row still asks for, by the Status it closed with: a note (an Email
    Script, due until Thank-You Sent is filled on or after the day it closed) and a
    call (a Call Script, due until a call is logged after it closed), and the Next
    Action: ``done`` when nothing is due, else ``due`` with the things due joined."""

    done: str
    due: str = ""
    note: Purpose | None = None
    note_action: str = ""
    call: Purpose | None = None
    call_action: str = ""
    source: str = ""


CLOSING_RULES: dict[str, ClosingRule] = {
    C.NOT_SELECTED: ClosingRule(
        "Not selected.", "Not selected: {}.",
        note=Purpose.NOT_SELECTED_NOTE, note_action="send a gracious note (Email Script), then fill in Thank-You Sent",
        call=Purpose.FEEDBACK_CALL, call_action="call to ask for feedback (Call Script)",
        source="seed 002 (a gracious note), seed 004 (a call asking for feedback)"),
    C.OFFER: ClosingRule(
        "Closed: offer.", "Closed: offer. {}.",
        call=Purpose.OFFER_CALL, call_action="A call to thank them builds rapport before you start (Call Script)",
        source="seed 004: a call builds rapport with your new boss before your first day"),
    C.HIRED: ClosingRule(
        "Closed: hired.", "Closed: hired. {}.",
        call=Purpose.OFFER_CALL, call_action="A call to thank them builds rapport before you start (Call Script)",
        source="seed 004: a call builds rapport with your new boss before your first day"),
    C.WITHDRAWN: ClosingRule("Closed: withdrawn."),
    C.CLOSED: ClosingRule("Closed."),
}
