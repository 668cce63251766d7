"""The follow-up engine: from a tracker's rows and a date for today, the processor's
cells for every Interviews row.

Pure: no workbook library, no clock. The adapters (files, a live Excel book) read
rows into `TrackerData`, call `compute`, and write `RowResult.cells()` back.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache, partial
from typing import Any, NamedTuple

from workbook_tools import contract as C
from workbook_tools.core.cadences import FROM_PREVIOUS, Cadence, Step, Wait
from workbook_tools.core.config import Config, Contact, load_config
from workbook_tools.core.events import PlannedRow, next_marks, read_marks, row_follow_ups
from workbook_tools.core.hand_edits import (
    HandEdits,
    apply_hand_edits,
    content_code,
    inputs_code,
    read_hand_edits,
    record_marks,
)
from workbook_tools.core.leads import Call, Lead, RowNotes, attach_calls, read_leads
from workbook_tools.core.links import phone_regions, row_links
from workbook_tools.core.model import Result, RowResult, SheetRow, SheetRows, TrackerData
from workbook_tools.core.reach import CallHistory, call_history, learned_order
from workbook_tools.core.rules import texts as S
from workbook_tools.core.rules.lead_types import TYPE_RULES
from workbook_tools.core.rules.outcomes import (
    AFTER_SPEAKING,
    CLOSING_RULES,
    FOLLOW_UP_AFTER_CLOSING_DAYS,
    OUTCOME_RULES,
    THANK_YOU_UNTIL_DAYS,
    ClosingRule,
    Effect,
)
from workbook_tools.core.rules.texts import Purpose, script_for
from workbook_tools.core.scripts import first_name, key
from workbook_tools.core.values import FUTURE, BadValue, as_text, count, day_text, long_day, read_date
from workbook_tools.core.windows import choose_window, start_of
from workbook_tools.core.workdays import ONE_DAY, PAST_YEAR_9999, OutOfCalendar, Shift, WorkCalendar
from workbook_tools.core.zones import zone_country
from workbook_tools.errors import Problem
from workbook_tools.gc_pause import paused_gc


def compute(data: TrackerData, today: date) -> Result:
    """Plan every Interviews row. Problems are collected, never raised."""
    return compute_with_history(data, today)[0]


def compute_with_history(data: TrackerData, today: date, marks: bool = True) -> tuple[Result, CallHistory]:
    """`compute`, and the tracker's calls counted (`core.reach.call_history`): what the
    plan learned the order of the call windows from, and the report's tables. With
    ``marks`` False the rows' records end without their inputs code and calendar marks
    and carry no links (`_with_marks` is skipped): the same flags, dates, scripts and
    problems, for a reader that never writes the rows (the report)."""
    with paused_gc():
        p = plan_tracker(data, today, marks=marks)
        return Result(list(p.rows), p.problems, p.leads), p.history


@dataclass
class TrackerPlan:
    """A tracker read and checked, its rows planned as ``rows`` is consumed: the
    same cells as `compute`, one `RowResult` per row of ``data.interviews.rows`` in
    that order, for an adapter that writes each row as it comes and never holds them
    all. The problems of the settings, the rows and the call log are in ``problems``
    at once; a row whose plan would leave the calendar (past 9999) adds its own as
    ``rows`` is consumed, so read ``problems`` after the rows."""

    problems: list[Problem]
    leads: list[Lead]
    rows: Iterator[RowResult]
    #: The tracker's calls counted, from which ``cfg.window_order`` was learned.
    history: CallHistory = field(default_factory=CallHistory)


def plan_tracker(data: TrackerData, today: date, consume_calls: bool = False, marks: bool = True) -> TrackerPlan:
    """``consume_calls`` hands the call log over to the engine: ``data.calls.rows``
    is emptied as the calls are read (see `core.leads.attach_calls`); ``marks``: see
    `compute_with_history`."""
    problems: list[Problem] = [p for sheet in data.sheets for p in sheet.notices]
    cfg = load_config(data, problems)
    leads, broken = read_leads(data.interviews, cfg, today, problems)
    edits = read_hand_edits(data.interviews, problems, pin_date=partial(_typed_pin, cfg, today))
    attach_calls(data.calls, leads, cfg, today, problems, consume=consume_calls)
    history = call_history(leads, cfg.time_zone)
    cfg.window_order = learned_order(history)
    used = set().union(*(t.keys() for t in cfg.templates.values()))
    row_keys = tuple((h, key(h)) for h in data.interviews.columns if key(h) in used)
    plan_one = partial(_plan_in_calendar, data.interviews, problems)
    rows = _plan_rows(data.interviews.rows, leads, broken, edits, cfg, today, row_keys, plan_one, marks)
    return TrackerPlan(problems, leads, rows, history)


def _with_marks(res: RowResult, values: dict[str, Any], person: Contact | None, contact: str,
                today: date, cfg: Config | None = None) -> RowResult:
    """The row with the end of its record: the code of its wrapped inputs
    (`hand_edits.inputs_code`: the row's height follows them) and the calendar's marks
    (`core.events`), derived from the marks its record held; and the links of its
    follow-ups (`core.links.row_links`)."""
    if res.refresh_record is None:
        return res
    tail = [inputs_code(values)]
    due = res.flag and (res.call_script or res.email_script)
    items = row_follow_ups(PlannedRow(res, values, person.name if person else contact,
                                      person.row if person else {})) if due else []
    if items:
        res.call_link, res.mail_link = row_links(items, _phone_regions(person, cfg))
    old = read_marks(record_marks(values.get(C.REFRESH_RECORD)))
    if items or old:
        tail += [m.text() for m in next_marks(old, items, today, content_code)]
    res.refresh_record = " ".join([res.refresh_record, *tail])
    return res


def _phone_regions(person: Contact | None, cfg: Config | None) -> tuple[str, ...]:
    """Where the contact's phone number is read when written without "+": their Country,
    their time zone's country, then the user's Country (else their time zone's)."""
    home = (cfg.calendar.country or zone_country(cfg.time_zone)) if cfg is not None else None
    if person is None:
        return phone_regions(None, None, home)
    return phone_regions(person.row.get(C.COUNTRY), zone_country(person.time_zone), home)


def _typed_pin(cfg: Config, today: date, text: str) -> date | None:
    """A date typed as text over Next Call ("Dec 5": the next such day), else None."""
    try:
        found = read_date(text, dayfirst=cfg.dayfirst, near=today, towards=FUTURE)
    except BadValue:
        return None
    return found.day if found is not None else None


def _plan_rows(rows: list[SheetRow], leads: list[Lead], broken: dict[int, RowNotes], edits: dict[int, HandEdits],
               cfg: Config, today: date, row_keys: tuple[tuple[str, str], ...],
               plan_one: Callable[..., tuple[RowResult, bool]], marks: bool = True) -> Iterator[RowResult]:
    """One result per row: a planned lead (``plan_one``: `_plan_in_calendar`), a row that
    cannot be planned, or a blank one; the user's hand edits put back over each (and,
    with ``marks``, the end of its record and its links: `_with_marks`)."""
    pending = iter(leads)  # in row order, as read_leads made them
    lead = next(pending, None)
    for row, values in rows:
        edit = edits.get(row)
        person = None
        if lead is not None and lead.row == row:
            res, pinned = plan_one(lead, cfg, today, row_keys, edit.pin if edit else None)
            person = lead.person
            lead = next(pending, None)
        else:
            res = _cannot_plan(row, broken[row], cfg) if row in broken else RowResult(row)
            pinned = False
            if edit is not None and edit.pin is not None:  # nothing to plan: the typed date is kept
                res.next_call, pinned = edit.pin, True
        res = apply_hand_edits(res, edit, pinned)
        yield _with_marks(res, values, person, as_text(values.get("Contact")), today, cfg) if marks else res


def _plan_in_calendar(sheet: SheetRows, problems: list[Problem], lead: Lead, cfg: Config, today: date,
                      row_keys: tuple[tuple[str, str], ...] | None, pin: date | None) -> tuple[RowResult, bool]:
    """`_plan`, or, when the plan cannot stay inside the calendar (past 31 Dec 9999, or no
    working day for years), a problem on the row's Event Date and a row that says so."""
    try:
        return _plan(lead, cfg, today, row_keys, pin)
    except (OutOfCalendar, OverflowError) as exc:  # overflow guard
        what = str(exc) if isinstance(exc, OutOfCalendar) else PAST_YEAR_9999
        problems.append(Problem(C.INTERVIEWS, sheet.cell("Event Date", lead.row), what,
                                "check the row's dates, its Call When and the waits of its cadence (Cadences), "
                                "and the Country's working days"))
        return RowResult(lead.row, next_action="Cannot plan this row: fix its dates (see Why), then refresh again.",
                         why=f"Not planned: {what}"), False


def _cannot_plan(row: int, notes: RowNotes, cfg: Config) -> RowResult:
    """A row that cannot be planned: Next Action and Why say which cells to fix."""
    unread = notes.unread + cfg.notes
    cells = ", ".join(n.where for n in notes.unread) or "the row"
    return RowResult(row, next_action=f"Cannot plan this row: fix {cells} (see Why), then refresh again.",
                     why="Not understood: " + "; ".join(map(str, unread)) if unread else None)


class _State:
    """Where a lead stands after its call log (a plain slotted class: one per row)."""

    __slots__ = ("anchor", "next_interview", "decision", "step", "override", "closed", "closed_on",
                 "after_close", "stopped_on", "silence_from")

    def __init__(self, lead: Lead) -> None:
        self.anchor: date = lead.event
        self.next_interview = False  # the anchor is a next interview from the call log
        self.decision: date | None = lead.decision
        self.step = 0  # the next cadence step (0-based), counted since the last restart
        # The next call fixed by a conversation (a new decision date, or speaking to them).
        self.override: _Override | None = None
        self.closed: str | None = None
        self.closed_on: date | None = None
        self.after_close = False  # a call logged after the row closed (feedback, thanks)
        self.stopped_on: date | None = None  # "Asked not to call"
        self.silence_from: date | None = None  # first unanswered call since the last contact

    def anchor_label(self, lead: Lead) -> str:
        noun = "next interview" if self.next_interview else TYPE_RULES[lead.type].noun
        return f"the {noun} on {day_text(self.anchor)}"


class _Override(NamedTuple):
    """The next call fixed by the conversation of call number ``call``."""

    after_decision: bool  # True: a grace after the new decision date ``day``; False: a week after speaking
    day: date
    call: int


def _next_step(st: _State, lead: Lead, call: Call, n: int) -> None:
    st.step += 1
    st.silence_from = st.silence_from or call.day


def _spoke(st: _State, lead: Lead, call: Call, n: int) -> None:
    st.step = 0
    st.override = _Override(False, call.day, n)


def _new_decision(st: _State, lead: Lead, call: Call, n: int) -> None:
    assert call.new_date is not None  # `without_new_date` applies otherwise
    st.decision, st.step = call.new_date, 0
    st.override = _Override(True, call.new_date, n)


def _restart(st: _State, lead: Lead, call: Call, n: int) -> None:
    assert call.new_date is not None
    st.anchor, st.step, st.override, st.stopped_on = call.new_date, 0, None, None
    st.next_interview = True
    st.decision = lead.decision if lead.decision and lead.decision > call.new_date else None


def _close(st: _State, lead: Lead, call: Call, n: int) -> None:
    st.closed, st.closed_on = OUTCOME_RULES[call.outcome].closes_as, call.day


def _stop(st: _State, lead: Lead, call: Call, n: int) -> None:
    st.stopped_on = call.day


#: What each `Effect` does to where a lead stands (`core.rules.outcomes` gives each
#: outcome its effect).
EFFECTS: dict[Effect, Callable[[_State, Lead, Call, int], None]] = {
    Effect.NEXT_STEP: _next_step,
    Effect.SPOKE: _spoke,
    Effect.NEW_DECISION: _new_decision,
    Effect.RESTART: _restart,
    Effect.CLOSE: _close,
    Effect.STOP: _stop,
}
#: Per outcome, its effect with and without a New Date.
_EFFECT_BY_OUTCOME = {o: (EFFECTS[r.effect], EFFECTS[r.without_new_date or r.effect]) for o, r in OUTCOME_RULES.items()}


def _walk(lead: Lead) -> _State:
    st = _State(lead)
    for n, call in enumerate(lead.calls, start=1):
        if st.closed:
            if st.closed_on is not None and call.day >= st.closed_on:
                st.after_close = True
            continue
        with_date, without_date = _EFFECT_BY_OUTCOME[call.outcome]
        if with_date is not _next_step:
            st.silence_from = None  # they were reached
        (with_date if call.new_date is not None else without_date)(st, lead, call, n)
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


def _holidays_note(shifts: list[Shift]) -> str:
    if not any(s.holidays_skipped for s in shifts):
        return ""  # the common case
    seen = {}
    for s in shifts:
        for d, name in s.holidays_skipped:
            seen[d] = name
    return "".join(f"; {day_text(d)} is {name}" for d, name in sorted(seen.items()))


class _Placeholders:
    """A row's placeholder values, built on first use: many rows (closed, waiting)
    render no script at all."""

    __slots__ = ("lead", "cfg", "st", "row_keys", "_values")

    def __init__(self, lead: Lead, cfg: Config, st: _State, row_keys: tuple[tuple[str, str], ...]) -> None:
        self.lead, self.cfg, self.st, self.row_keys = lead, cfg, st, row_keys
        self._values: dict[str, str] | None = None

    def values(self) -> dict[str, str]:
        if self._values is None:
            self._values = _placeholders(self.lead, self.cfg, self.st, self.row_keys)
        return self._values

    def render(self, purpose: Purpose, attempt: int = 0) -> str:
        """The Type's default script for ``purpose`` (`core.rules.texts.script_for`), or
        the user's text for it, filled in."""
        return self.cfg.templates[_script_key(self.lead.type, purpose, attempt)].render(self.values())


@lru_cache(maxsize=1024)
def _script_key(type_: str, purpose: Purpose, attempt: int) -> str:
    """The Scripts key of `script_for`'s answer, once per Type, purpose and attempt."""
    return key(script_for(type_, purpose, attempt))


def plan(lead: Lead, cfg: Config, today: date, row_keys: tuple[tuple[str, str], ...] | None = None,
         pin: date | None = None) -> RowResult:
    """One row's cells. ``row_keys`` lists the (header, placeholder key) pairs of
    Interviews that the scripts use (all columns when None); ``pin`` is a Next Call the
    user typed (`core.hand_edits`)."""
    return _plan(lead, cfg, today, row_keys, pin)[0]


def _plan(lead: Lead, cfg: Config, today: date, row_keys: tuple[tuple[str, str], ...] | None,
          pin: date | None) -> tuple[RowResult, bool]:
    """The row's cells, and whether they keep the user's pin."""
    st = _walk(lead)
    res = RowResult(lead.row, calls_made=len(lead.calls))
    if lead.calls:
        res.last_call, res.last_outcome = lead.calls[-1].day, lead.calls[-1].outcome
    if row_keys is None:
        row_keys = tuple((h, key(h)) for h in lead.values)
    scripts = _Placeholders(lead, cfg, st, row_keys)
    pinned = False
    if st.closed:
        _closed(lead, st, res, scripts, today)
        if pin is not None:  # typed over Next Call of a closed row: kept, and said
            res.next_call, pinned = pin, True
            res.why = f"{res.why}; Next Call {day_text(pin)} was set by hand and is kept, though the row is closed"
    else:
        actions = _thank_you(lead, st, res, scripts, today)
        pinned = pin is not None and not any(call.day >= pin for call in lead.calls)
        waiting = _waiting(lead, st)
        if waiting is not None and not pinned:
            res.flag, res.why = C.WAITING, waiting.why
            actions.append(waiting.action)
        else:
            planned = _next_call(lead, st, cfg) if waiting is None else _Planned(None, waiting.why, "")
            _book_call(lead, st, res, cfg, today, planned, pin if pinned else None, actions)
            res.call_script = _call_script(lead, st, scripts)
        res.next_action = ". ".join(actions) + "." if actions else None
    _add_notes(lead, cfg, res)
    return res, pinned


def _thank_you(lead: Lead, st: _State, res: RowResult, scripts: _Placeholders, today: date) -> list[str]:
    """The thank-you email after the event, while it is unsent: due for a couple of days,
    then late (said once, with the late wording), then no longer suggested."""
    if not TYPE_RULES[lead.type].thank_you or st.anchor > today:
        return []
    if lead.thank_you is not None and lead.thank_you >= st.anchor:
        return []
    days = (today - st.anchor).days
    if days <= S.THANK_YOU_LATE_AFTER_DAYS:
        res.email_script = scripts.render(Purpose.THANK_YOU)
        return ["Send the thank-you email today (Email Script), then fill in Thank-You Sent"]
    if days <= THANK_YOU_UNTIL_DAYS:
        res.email_script = scripts.render(Purpose.THANK_YOU_LATE)
        return [f"The thank-you email is late ({days} days after the {TYPE_RULES[lead.type].noun}): send it now "
                "(Email Script), then fill in Thank-You Sent"]
    return []


def _add_notes(lead: Lead, cfg: Config, res: RowResult) -> None:
    """Why says which cells were read with an assumption or not understood (and what
    the plan assumed instead); Next Action then starts by naming them."""
    notes = lead.notes
    if not (notes or cfg.notes):
        return
    parts = [res.why] if res.why else []
    parts += notes.assumed
    unread = notes.unread + cfg.notes
    if unread:
        parts.append("not understood: " + "; ".join(map(str, unread)))
        cells = ", ".join(dict.fromkeys(n.where for n in unread))
        res.next_action = f"Check {cells} (see Why). " + (res.next_action or "")
        res.next_action = res.next_action.rstrip()
    res.why = "; ".join(parts)


class _Waiting(NamedTuple):
    """Why no call is planned for an open row, and what to do instead."""

    why: str
    action: str


def _waiting(lead: Lead, st: _State) -> _Waiting | None:
    """The reason an open row plans no call (they asked, or every call is made), else None."""
    if st.stopped_on is not None:
        return _Waiting(f"They asked you not to call on {day_text(st.stopped_on)}",
                        "Wait for them to get in touch: they asked you not to call")
    if lead.call_when is not None and lead.call_when.no_calls:
        return _Waiting(f"Call When says {lead.call_when.said!r}", "Wait for their call, as they asked")
    steps = lead.cadence.steps
    if st.step >= len(steps) and not steps[-1].repeats:
        last = lead.calls[-1].day if lead.calls else st.anchor
        return _Waiting(f"All {count(len(steps), 'call')} of {lead.cadence.name} are made, the last on "
                        f"{day_text(last)}",
                        "Wait for their call: your last message said you would. The ball is in their court")
    return None


class _Planned(NamedTuple):
    """The day the plan puts the next call on (None: no call planned), why, and what
    the Call When cell did to it."""

    shift: Shift | None
    why: str
    holidays: str


def _calendar(lead: Lead, cfg: Config) -> WorkCalendar:
    """The working days of the call: the user's, and the contact's too when they work
    in another country."""
    theirs = lead.person.calendar if lead.person is not None else None
    return cfg.calendar if theirs is None else cfg.calendar.joined(theirs)


def _next_call(lead: Lead, st: _State, cfg: Config) -> _Planned:
    """The next call of an open row with a call to plan, and why."""
    cal = _calendar(lead, cfg)
    shift, why = _cadence_call(lead, st, cfg, cal)
    shifts = [shift]
    day = shift.day
    floor = st.anchor
    for bound, reason in _lower_bounds(st, cfg, cal):
        floor = max(floor, bound.day)
        if bound.day > day:
            day = bound.day
            shifts.append(bound)
            why += f"; not before {day_text(day)}{reason}"
    moved, said = _call_when(lead, cal, day, floor)
    if moved is not None:
        shifts.append(moved)
        day = moved.day
    final = cal.on_or_after(day)
    shifts.append(final)
    return _Planned(final, why + said, _holidays_note(shifts))


def _call_when(lead: Lead, cal: WorkCalendar, day: date, floor: date) -> tuple[Shift | None, str]:
    """What Call When does to ``day``: the day it moves the call to (None: not moved),
    and the words for Why (nothing once a call has been made on or after its day).
    A phrase with a last day ("early next week": Monday or Tuesday) brings a call the
    cadence's wait would put later back to the first working day it allows, when that
    is not before ``floor`` (the event, the decision date and its grace): they said when."""
    cw = lead.call_when
    if cw is None or cw.earliest is None:
        return None, ""
    earliest = cal.add_business_days(cw.earliest, cw.business_days) if cw.business_days else cal.on_or_after(
        cw.earliest)
    means = f" ({cw.means})" if cw.means else ""
    if day < earliest.day:
        return earliest, f"; moved to {day_text(earliest.day)} by Call When {cw.said!r}{means}"
    if lead.calls and lead.calls[-1].day >= earliest.day:
        return None, ""
    if cw.latest is not None and day > cw.latest:
        inside = cal.on_or_after(max(earliest.day, floor + ONE_DAY))
        if inside.day <= cw.latest:
            return inside, f"; brought forward to {day_text(inside.day)} by Call When {cw.said!r}{means}"
        return None, f"; later than Call When {cw.said!r} asked{means}: nothing sooner is allowed"
    return None, f"; Call When {cw.said!r} allows this day{means}"


def _book_call(lead: Lead, st: _State, res: RowResult, cfg: Config, today: date, planned: _Planned,
               pin: date | None, actions: list[str]) -> None:
    """Next Call, Why, Flag and Call Window of a row with a call to make: the planned
    one, or the user's pin; and the Next Action that says so."""
    if pin is not None:
        plan_said = f"the plan says {day_text(planned.shift.day)}: " if planned.shift else "without it: "
        why = f"Next Call set by hand to {day_text(pin)} (kept until a call is logged on or after it); {plan_said}"
        why += planned.why[:1].lower() + planned.why[1:]
        day, label = pin, "the day you set"
    else:
        assert planned.shift is not None
        day, why, label = planned.shift.day, planned.why, _call_label(lead, st)
    res.next_call = day
    contact_tz = lead.person.time_zone if lead.person is not None else None
    order = cfg.window_order
    choice = choose_window(day, len(lead.calls), contact_tz, cfg.time_zone, cfg.hours, order.windows)
    res.call_window = choice.text
    res.call_start = start_of(day, choice.window, contact_tz or cfg.time_zone)
    if choice.user_start is not None and choice.user_start.date() != day:
        res.your_day = choice.user_start.date()
    yours = res.your_day or day  # the day you make the call, in your own time
    res.flag = C.OVERDUE if yours < today else C.DUE_TODAY if yours == today else C.UPCOMING
    res.why = why + planned.holidays + (f"; {choice.note}" if choice.note else "")
    if order.learned and choice.window == order.windows[0]:  # the window the user's own log put first
        res.why += f"; {order.learned}"
    actions.append(f"Call {lead.contact or lead.company} on {day_text(day)} ({label})")
    silence = lead.cadence.silence_days
    if silence and st.silence_from is not None and (today - st.silence_from).days >= silence:
        actions.append(f"No answer for {(today - st.silence_from).days // 7} weeks: the news is probably not "
                       "good. Keep one polite weekly message for closure, and keep your search going")


def _cadence_call(lead: Lead, st: _State, cfg: Config, cal: WorkCalendar) -> tuple[Shift, str]:
    """The day the cadence (or the last conversation) puts the next call on, and why."""
    if st.step == 0 and st.override is not None:
        after_decision, day, n = st.override
        if after_decision:
            return (cal.add_business_days(day, cfg.grace_days),
                    f"{cfg.grace_days} business days after the new decision date {day_text(day)} (call {n})")
        return _add(cal, day, AFTER_SPEAKING), f"1 week after you spoke on {day_text(day)} (call {n})"
    step = _step(lead.cadence, st.step)
    last: Call | None = lead.calls[-1] if lead.calls else None
    if step.start == FROM_PREVIOUS and last is not None and last.day >= st.anchor:
        base, label = last.day, f"call {len(lead.calls)} on {day_text(last.day)}"
    else:
        base, label = st.anchor, st.anchor_label(lead)
    return _add(cal, base, step.wait), f"{step.wait.describe()} after {label}"


def _step(cadence: Cadence, step: int) -> Step:
    """Step ``step`` (0-based) of a cadence; past the end, its last (repeating) step."""
    return cadence.steps[min(step, len(cadence.steps) - 1)]


def _lower_bounds(st: _State, cfg: Config, cal: WorkCalendar) -> Iterator[tuple[Shift, str]]:
    """The days the call may not come before, each with the reason Why gives when it
    moves the call: the decision date plus the grace (seed 001)."""
    if st.decision is not None:
        yield (cal.add_business_days(st.decision, cfg.grace_days),
               f", {cfg.grace_days} business days after the decision date {day_text(st.decision)}")


def _call_label(lead: Lead, st: _State) -> str:
    """Which call this is, for Next Action."""
    if st.step == 0 and st.override is not None:
        return "a follow-up call"
    steps = lead.cadence.steps
    return f"call {st.step + 1}" if steps[-1].repeats else f"call {st.step + 1} of {len(steps)}"


def _call_script(lead: Lead, st: _State, scripts: _Placeholders) -> str:
    """The Call Script: what to say if they answer, and the voicemail for where the call
    stands in the cadence (a single call is introduced as a first one, not "a last
    time"); the texts rotate with the number of calls made, so weekly
    calls do not repeat last week's words (`core.rules.texts.script_for`)."""
    steps = lead.cadence.steps
    if not steps[-1].repeats and len(steps) > 1 and st.step >= len(steps) - 1:  # the last of several calls
        voicemail = Purpose.VOICEMAIL_FINAL
    else:
        voicemail = Purpose.VOICEMAIL_FIRST if st.step == 0 else Purpose.VOICEMAIL_FOLLOW_UP
    attempt = len(lead.calls)
    return (f"If they answer:\n{scripts.render(Purpose.ANSWER, attempt)}\n\n"
            f"If you reach voicemail:\n{scripts.render(voicemail, attempt)}")


def _closed(lead: Lead, st: _State, res: RowResult, scripts: _Placeholders, today: date) -> None:
    """A closed row: Flag Closed, why, and the note and call its Status still asks for
    (`core.rules.outcomes.CLOSING_RULES`), until they are done or it is too late."""
    res.flag = C.FLAG_CLOSED
    closed = st.closed or C.CLOSED
    res.why = f"Status is {closed}" if lead.status else f"{closed} on {day_text(st.closed_on)} (from the Calls sheet)"
    if lead.status and st.closed_on:
        res.why += f"; the Calls sheet says so on {day_text(st.closed_on)}"
    rule = CLOSING_RULES.get(closed, ClosingRule(f"Closed: {closed.lower()}."))
    # Past the moment for a note or a call: nothing more to suggest.
    stale = st.closed_on is not None and (today - st.closed_on).days > FOLLOW_UP_AFTER_CLOSING_DAYS
    note_sent = lead.thank_you is not None and st.closed_on is not None and lead.thank_you >= st.closed_on
    due = []
    if rule.note is not None and not (note_sent or stale):
        due.append(rule.note_action)
        res.email_script = scripts.render(rule.note)
    if rule.call is not None and not (st.after_close or stale):
        due.append(rule.call_action)
        res.call_script = scripts.render(rule.call)
    res.next_action = rule.due.format(" and ".join(due)) if due else rule.done


def _placeholders(lead: Lead, cfg: Config, st: _State, row_keys: tuple[tuple[str, str], ...]) -> dict[str, str]:
    """Placeholder values: Settings, then the contact's row, then the Interviews row,
    then the derived ones (`core.rules.texts.DERIVED`)."""
    values = dict(cfg.settings)
    person = lead.person
    if person is not None:
        for header, k in cfg.contact_keys:
            values[k] = as_text(person.row.get(header))
    rec = lead.values
    for header, k in row_keys:
        values[k] = as_text(rec.get(header))
    values["first name"] = first_name(lead.contact) if lead.contact else ""
    values["event day"] = long_day(st.anchor)
    values["decision day"] = long_day(st.decision) if st.decision is not None else ""
    return values
