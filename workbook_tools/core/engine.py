"""The follow-up engine: from a tracker's rows and a date for today, the processor's
cells for every Interviews row.

Pure: no workbook library, no clock. The adapters (files, a live Excel book) read
rows into `TrackerData`, call `compute`, and write `RowResult.cells()` back.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from workbook_tools import contract as C
from workbook_tools.core.rules import texts as S
from workbook_tools.core.cadences import FROM_PREVIOUS, Wait
from workbook_tools.core.config import Config, load_config
from workbook_tools.errors import Problem
from workbook_tools.gc_pause import paused_gc
from workbook_tools.core.leads import Call, Lead, attach_calls, read_leads
from workbook_tools.core.model import Result, RowResult, TrackerData
from workbook_tools.core.scripts import first_name, key
from workbook_tools.core.values import as_text, day_text, long_day
from workbook_tools.core.windows import describe_window
from workbook_tools.core.workdays import Shift, WorkCalendar

EVENT_NOUN = {
    C.INTERVIEW: "interview",
    C.PHONE_SCREEN: "phone screen",
    C.APPLICATION: "application",
    C.NETWORKING: "meeting",
    C.REFERRAL: "referral",
}
#: Types after which a thank-you email is due until Thank-You Sent is filled (seed 002).
THANK_YOU_TYPES = (C.INTERVIEW, C.PHONE_SCREEN, C.NETWORKING, C.REFERRAL)
#: The lookup keys (see `scripts.key`) of the default script names, computed once.
_K = {name: key(name) for name in S.DEFAULT_SCRIPTS}
#: How long after a row closes the note and the feedback or thank-you call are still
#: suggested (ours: the seeds ask for them promptly and give no limit).
FOLLOW_UP_AFTER_CLOSING_DAYS = 30
#: After "Spoke, no decision yet": the next call one week later (PRODUCT.md).
AFTER_SPEAKING = Wait(weeks=1)


def compute(data: TrackerData, today: date) -> Result:
    """Plan every Interviews row. Problems are collected, never raised."""
    with paused_gc():
        p = plan_tracker(data, today)
        return Result(list(p.rows), p.problems, p.leads)


@dataclass
class TrackerPlan:
    """A tracker read and checked, its rows planned as ``rows`` is consumed: the
    same cells as `compute`, one `RowResult` per row of ``data.interviews.rows`` in
    that order, for an adapter that writes each row as it comes and never holds them
    all. Every problem is already in ``problems`` (they come from the settings, the
    rows and the call log, not from planning)."""

    problems: list[Problem]
    leads: list[Lead]
    rows: Iterator[RowResult]


def plan_tracker(data: TrackerData, today: date, consume_calls: bool = False) -> TrackerPlan:
    """``consume_calls`` hands the call log over to the engine: ``data.calls.rows``
    is emptied as the calls are read (see `leads.attach_calls`)."""
    problems: list[Problem] = []
    cfg = load_config(data, problems)
    leads, broken = read_leads(data.interviews, cfg, problems)
    attach_calls(data.calls, leads, cfg, problems, consume=consume_calls)
    used = set().union(*(t.keys() for t in cfg.templates.values()))
    row_keys = tuple((h, key(h)) for h in data.interviews.columns if key(h) in used)
    rows = _plan_rows(data.interviews.rows, leads, set(broken), cfg, today, row_keys)
    return TrackerPlan(problems, leads, rows)


def _plan_rows(rows: list[tuple[int, dict[str, Any]]], leads: list[Lead], broken: set[int], cfg: Config,
               today: date, row_keys: tuple[tuple[str, str], ...]) -> Iterator[RowResult]:
    pending = iter(leads)  # in row order, as read_leads made them
    lead = next(pending, None)
    for row, _ in rows:
        if lead is not None and lead.row == row:
            yield plan(lead, cfg, today, row_keys)
            lead = next(pending, None)
        elif row in broken:
            yield RowResult(row, next_action="Cannot plan this row: run `workbook-tools check` to see what to fix")
        else:
            yield RowResult(row)


class _State:
    """Where a lead stands after its call log (a plain slotted class: one per row)."""

    __slots__ = ("anchor", "next_interview", "decision", "step", "override", "closed", "closed_on",
                 "after_close", "stopped_on", "silence_from")

    def __init__(self, lead: Lead) -> None:
        self.anchor: date = lead.event
        self.next_interview = False  # the anchor is a next interview from the call log
        self.decision: date | None = lead.decision
        self.step = 0  # the next cadence step (0-based), counted since the last restart
        # The next call fixed by a conversation: ("decision" or "spoke", its date, call number).
        self.override: tuple[str, date, int] | None = None
        self.closed: str | None = None
        self.closed_on: date | None = None
        self.after_close = False  # a call logged after the row closed (feedback, thanks)
        self.stopped_on: date | None = None  # "Asked not to call"
        self.silence_from: date | None = None  # first unanswered call since the last contact

    def anchor_label(self, lead: Lead) -> str:
        noun = "next interview" if self.next_interview else EVENT_NOUN[lead.type]
        return f"the {noun} on {day_text(self.anchor)}"


def _walk(lead: Lead) -> _State:
    st = _State(lead)
    for n, call in enumerate(lead.calls, start=1):
        if st.closed:
            if st.closed_on is not None and call.day >= st.closed_on:
                st.after_close = True
            continue
        o = call.outcome
        if o in C.UNANSWERED_OUTCOMES:
            st.step += 1
            st.silence_from = st.silence_from or call.day
            continue
        st.silence_from = None
        if o == C.NEW_DATE and call.new_date:
            st.decision, st.step = call.new_date, 0
            st.override = ("decision", call.new_date, n)
        elif o == C.NEXT_INTERVIEW and call.new_date:
            st.anchor, st.step, st.override, st.stopped_on = call.new_date, 0, None, None
            st.next_interview = True
            st.decision = lead.decision if lead.decision and lead.decision > call.new_date else None
        elif o in (C.SPOKE, C.NEW_DATE, C.NEXT_INTERVIEW):
            st.step = 0
            st.override = ("spoke", call.day, n)
        elif o in (C.OUTCOME_NOT_SELECTED, C.OUTCOME_OFFER):
            st.closed, st.closed_on = o, call.day
        elif o == C.ASKED_NOT_TO_CALL:
            st.stopped_on = call.day
    if lead.status:  # a closed Status the user set wins over the log
        st.closed = lead.status
    return st


def _add(cal: WorkCalendar, base: date, wait: Wait) -> Shift:
    """A cadence wait from ``base``: calendar weeks/days first, then business days;
    a calendar step that lands on a day off moves to the next working day."""
    day = base + timedelta(days=wait.weeks * 7 + wait.days)
    if wait.business_days:
        return cal.add_business_days(day, wait.business_days)
    return cal.on_or_after(day)


def _holidays_note(*shifts: Shift) -> str:
    if not any(s.holidays_skipped for s in shifts):
        return ""  # the common case
    seen = {}
    for s in shifts:
        for d, name in s.holidays_skipped:
            seen[d] = name
    return "".join(f"; {day_text(d)} is {name}" for d, name in sorted(seen.items()))


def plan(lead: Lead, cfg: Config, today: date, row_keys: tuple[tuple[str, str], ...] | None = None) -> RowResult:
    """One row's cells. ``row_keys`` lists the (header, placeholder key) pairs of
    Interviews that the scripts use (all columns when None)."""
    st = _walk(lead)
    res = RowResult(lead.row, calls_made=len(lead.calls))
    if lead.calls:
        res.last_call, res.last_outcome = lead.calls[-1].day, lead.calls[-1].outcome
    if row_keys is None:
        row_keys = tuple((h, key(h)) for h in lead.values)
    made: list[dict[str, str]] = []

    def placeholders() -> dict[str, str]:
        """Built on first use: many rows (closed, waiting) render no script at all."""
        if not made:
            made.append(_placeholders(lead, cfg, st.anchor, row_keys))
        return made[0]

    if st.closed:
        return _closed(lead, st, res, cfg, placeholders, today)
    actions: list[str] = []
    if lead.type in THANK_YOU_TYPES and st.anchor <= today and (lead.thank_you is None or lead.thank_you < st.anchor):
        actions.append("Send the thank-you email today (Email Script), and fill in Thank-You Sent")
        res.email_script = cfg.templates[_K[S.EMAIL_THANK_YOU]].render(placeholders())
    who = lead.contact or lead.company
    steps = lead.cadence.steps
    if st.stopped_on is not None:
        res.flag = C.WAITING
        res.why = f"They asked you not to call on {day_text(st.stopped_on)}"
        actions.append("Wait for them to get in touch: they asked you not to call")
    elif lead.call_when is not None and lead.call_when.no_calls:
        res.flag = C.WAITING
        res.why = f"Call When says {lead.call_when.said!r}"
        actions.append("Wait for their call, as they asked")
    elif st.step >= len(steps) and not steps[-1].repeats:
        res.flag = C.WAITING
        last = lead.calls[-1].day if lead.calls else st.anchor
        res.why = (f"{lead.cadence.name}: all {len(steps)} call{'s' if len(steps) != 1 else ''} made, "
                   f"the last on {day_text(last)} ({lead.cadence.source})")
        actions.append("Wait for their call: your last message said you would. The ball is in their court")
    else:
        _next_call(lead, st, res, cfg, today, placeholders(), actions, who)
    res.next_action = ". ".join(actions) + "." if actions else None
    return res


def _next_call(lead: Lead, st: _State, res: RowResult, cfg: Config, today: date,
               values: dict[str, str], actions: list[str], who: str) -> None:
    cal = cfg.calendar
    steps = lead.cadence.steps
    index = min(st.step, len(steps) - 1)
    step = steps[index]
    if st.step == 0 and st.override is not None:
        kind, day, n = st.override
        if kind == "decision":
            shift = cal.add_business_days(day, cfg.grace_days)
            why = f"{cfg.grace_days} business days after the new decision date {day_text(day)} (call {n})"
        else:
            shift = _add(cal, day, AFTER_SPEAKING)
            why = f"1 week after you spoke on {day_text(day)} (call {n})"
    else:
        last: Call | None = lead.calls[-1] if lead.calls else None
        if step.start == FROM_PREVIOUS and last is not None and last.day >= st.anchor:
            base, label = last.day, f"call {len(lead.calls)} on {day_text(last.day)}"
        else:
            base, label = st.anchor, st.anchor_label(lead)
        shift = _add(cal, base, step.wait)
        why = f"{step.wait.describe()} after {label}"
    shifts = [shift]
    day = shift.day
    if st.decision is not None:
        bound = cal.add_business_days(st.decision, cfg.grace_days)
        if bound.day > day:
            day = bound.day
            shifts.append(bound)
            why += (f"; not before {day_text(day)}, {cfg.grace_days} business days after the decision "
                    f"date {day_text(st.decision)}")
    cw = lead.call_when
    if cw is not None and cw.earliest is not None:
        bound = cal.add_business_days(cw.earliest, cw.business_days) if cw.business_days else cal.on_or_after(cw.earliest)
        if bound.day > day:
            day = bound.day
            shifts.append(bound)
            why += f"; not before {day_text(day)}: they said to call {cw.said!r}"
    final = cal.on_or_after(day)
    shifts.append(final)
    res.next_call = final.day
    res.why = why + _holidays_note(*shifts)
    res.flag = C.OVERDUE if final.day < today else C.DUE_TODAY if final.day == today else C.UPCOMING
    attempt = len(lead.calls)
    contact_tz = cfg.contact_tz.get(lead.contact_key) if lead.contact else None
    res.call_window = describe_window(final.day, attempt, contact_tz, cfg.time_zone)
    finite = not steps[-1].repeats
    count = f" of {len(steps)}" if finite else ""
    label = f"call {st.step + 1}{count}, {lead.cadence.name}"
    if st.step == 0 and st.override is not None:
        label = f"follow-up call, {lead.cadence.name} restarts"
    actions.append(f"Call {who} on {day_text(final.day)} ({label})")
    silence = lead.cadence.silence_days
    if silence and st.silence_from is not None and (today - st.silence_from).days >= silence:
        actions.append(f"No answer for {(today - st.silence_from).days // 7} weeks: the news is probably not "
                       "good. Keep one polite weekly message for closure, and keep your search going")
    res.call_script = _call_script(lead, cfg, values, index, st.step, finite)


def _call_script(lead: Lead, cfg: Config, values: dict[str, str], index: int, step: int, finite: bool) -> str:
    t = cfg.templates
    if lead.type == C.APPLICATION:
        return t[_K[S.CALL_APPLIED]].render(values)
    if lead.type in (C.NETWORKING, C.REFERRAL):
        return t[_K[S.CALL_NETWORKING]].render(values)
    if finite and index == len(lead.cadence.steps) - 1:
        voicemail = S.VOICEMAIL_FINAL
    elif step == 0:
        voicemail = S.VOICEMAIL_FIRST
    else:
        voicemail = S.VOICEMAIL_MIDDLE
    return (f"If they answer:\n{t[_K[S.CALL_INTERVIEW]].render(values)}\n\n"
            f"If you reach voicemail:\n{t[_K[voicemail]].render(values)}")


def _closed(lead: Lead, st: _State, res: RowResult, cfg: Config, placeholders: Callable[[], dict[str, str]],
            today: date) -> RowResult:
    res.flag = C.FLAG_CLOSED
    closed = st.closed or C.CLOSED
    # Past the moment for a note or a call: nothing more to suggest.
    stale = st.closed_on is not None and (today - st.closed_on).days > FOLLOW_UP_AFTER_CLOSING_DAYS
    res.why = f"Status is {closed}" if lead.status else f"{closed} on {day_text(st.closed_on)} (call log)"
    if lead.status and st.closed_on:
        res.why += f"; the call log says so on {day_text(st.closed_on)}"
    t = cfg.templates
    if closed == C.NOT_SELECTED:
        todo = []
        note_sent = lead.thank_you is not None and st.closed_on is not None and lead.thank_you >= st.closed_on
        need_note, need_call = not (note_sent or stale), not (st.after_close or stale)
        values = placeholders() if need_note or need_call else {}
        if need_note:
            todo.append("send a gracious note (Email Script), then fill in Thank-You Sent")
            res.email_script = t[_K[S.EMAIL_NOT_SELECTED]].render(values)
        if need_call:
            todo.append("call to ask for feedback (Call Script)")
            res.call_script = t[_K[S.CALL_FEEDBACK]].render(values)
        res.next_action = "Not selected" + (": " + " and ".join(todo) if todo else "") + "."
    elif closed in (C.OFFER, C.HIRED):
        if st.after_close or stale:
            res.next_action = f"Closed: {closed.lower()}."
        else:
            res.next_action = (f"Closed: {closed.lower()}. A call to thank them builds rapport before you "
                               "start (Call Script).")
            res.call_script = t[_K[S.CALL_OFFER]].render(placeholders())
    else:
        res.next_action = "Closed." if closed == C.CLOSED else f"Closed: {closed.lower()}."
    return res


def _placeholders(lead: Lead, cfg: Config, anchor: date, row_keys: tuple[tuple[str, str], ...]) -> dict[str, str]:
    """Placeholder values: Settings, then the contact's row, then the Interviews row."""
    values = dict(cfg.settings)
    if lead.contact:
        contact = cfg.contacts.get(lead.contact_key)
        if contact is not None:
            for header, k in cfg.contact_keys:
                values[k] = as_text(contact.get(header))
        values["first name"] = first_name(lead.contact)
    rec = lead.values
    for header, k in row_keys:
        values[k] = as_text(rec.get(header))
    values["event day"] = long_day(anchor)
    return values
