"""What each Type of lead means for its plan: the word for its event, whether a
thank-you email follows it, its default cadence, and whether it counts as an
interview in the report. One row per Type of the contract; the scripts of each Type
are chosen in `core.rules.texts` (`script_for`)."""

from __future__ import annotations

from typing import NamedTuple

from workbook_tools import contract as C
from workbook_tools.core.rules.cadences import AFTER_APPLYING, THREE_CALLS, WEEKLY


class TypeRule(NamedTuple):
    #: The event in words: "the interview on Fri 27 Sep 2013".
    noun: str
    #: A thank-you email is due after the event until Thank-You Sent is filled.
    thank_you: bool
    #: The cadence of a row whose Cadence cell is blank (Settings may change it).
    cadence: str
    #: Counts as "Interviewed" in the report's funnel.
    interviewed: bool
    source: str


TYPE_RULES: dict[str, TypeRule] = {
    C.INTERVIEW: TypeRule("interview", True, THREE_CALLS, True,
                          "seed 000 (three calls after an interview), seed 002 (the thank-you note)"),
    C.PHONE_SCREEN: TypeRule("phone screen", True, THREE_CALLS, True,
                             "seed 000, as an interview by phone; seed 002 (the thank-you note)"),
    C.APPLICATION: TypeRule("application", False, AFTER_APPLYING, False,
                            "seed 002: follow up after applying, naming a key skill"),
    C.NETWORKING: TypeRule("meeting", True, WEEKLY, False,
                           "seed 003: call weekly until reached, reminding them where you met"),
    C.REFERRAL: TypeRule("referral", True, WEEKLY, False,
                         "seed 003: the introduction offered at a meeting, followed up weekly"),
}
