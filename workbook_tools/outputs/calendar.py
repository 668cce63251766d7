"""The follow-up plan as an iCalendar file: one event for the next call of every open
row, one all-day event for every email due, made with the `icalendar` package.

Calls are timed at the start of their call window in the contact's time zone (else the
user's, from Settings), with the zone's VTIMEZONE in the file; without a zone they are
all-day. An overdue call is planned for today: an event in the past reminds nobody.
UIDs come from the row's identity (tracker file name, company, position, event date),
so importing a newer export updates the events instead of duplicating them, and two
exports on the same `--today` differ only in DTSTAMP.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any

from workbook_tools import contract as C
from workbook_tools.core.hand_edits import canonical
from workbook_tools.core.model import Result, TrackerData
from workbook_tools.core.scripts import key
from workbook_tools.core.values import as_text, day_text
from workbook_tools.outputs.rows import planned_rows

CALL_MINUTES = 15
REMINDER_MINUTES = 15
#: All-day entries remind at this hour of their day (floating: the device's time).
ALL_DAY_REMINDER_HOUR = 9
PRODID = "-//workbook-tools//follow-up plan//EN"
OPEN_FLAGS = (C.OVERDUE, C.DUE_TODAY, C.UPCOMING)


@dataclass(frozen=True)
class PlanEntry:
    """One calendar entry, as plain data (the iCalendar objects are built from these)."""

    uid: str
    kind: str  # "Call" or "Email"
    summary: str
    description: str
    day: date
    start: datetime | None  # aware, in ``tz``; None: all-day
    tz: str | None


def _identity(tracker: str, rec: dict[str, Any], kind: str) -> str:
    event = canonical(rec.get("Event Date"))  # a date as ISO, a date typed as text as typed
    return "|".join((tracker, key(as_text(rec.get("Company"))), key(as_text(rec.get("Position"))), event, kind))


def _uid(identity: str) -> str:
    return hashlib.sha1(identity.encode("utf-8")).hexdigest()[:24] + "@workbook-tools"


def plan_entries(data: TrackerData, result: Result, today: date, tracker: str,
                 days: int | None = None) -> list[PlanEntry]:
    """The calendar entries of one tracker: the next call of each open row (within
    ``days`` of today when given; an overdue one today) and the emails due.
    ``tracker`` names the file in the UIDs and descriptions."""
    horizon = today + timedelta(days=days) if days is not None else None
    entries = []
    seen: dict[str, int] = {}

    def uid(rec: dict[str, Any], kind: str) -> str:
        identity = _identity(tracker, rec, kind)
        seen[identity] = seen.get(identity, 0) + 1  # two rows alike: the second gets "#2"
        return _uid(identity if seen[identity] == 1 else f"{identity}#{seen[identity]}")

    for res, rec, contact, crec in planned_rows(data, result):
        company, position = as_text(rec.get("Company")), as_text(rec.get("Position"))
        who = f"{contact} ({company}" + (f", {position})" if position else ")") if contact else (
            company + (f", {position}" if position else ""))
        source = f"From {tracker}, {C.INTERVIEWS} row {res.row}"
        if res.email_script:
            address = as_text(crec.get("Email"))
            description = "\n\n".join(x for x in (
                res.next_action or "", f"To: {address}" if address else "", res.email_script, source) if x)
            entries.append(PlanEntry(uid(rec, "email"), "Email", f"Email {who}", description, today, None, None))
        if res.flag in OPEN_FLAGS and res.next_call and (horizon is None or res.next_call <= horizon):
            day = max(res.next_call, today)
            start = res.call_start if res.call_start is not None and res.call_start.tzinfo is not None else None
            if start is not None and day != res.next_call:  # overdue: the same window, today
                start = start.replace(year=day.year, month=day.month, day=day.day)
            tz = str(start.tzinfo) if start is not None else None
            phone = as_text(crec.get("Phone"))
            overdue = (f"Overdue: planned for {day_text(res.next_call)}; call today"
                       if res.next_call < today else "")
            description = "\n\n".join(x for x in (
                f"Phone: {phone}" if phone else "", overdue,
                f"When: {res.call_window}" if res.call_window else "",
                f"Why: {res.why}" if res.why else "", res.call_script or "", source) if x)
            entries.append(PlanEntry(uid(rec, "call"), "Call", f"Call {who}", description, day, start, tz))
    return entries


def build_calendar(entries: list[PlanEntry], stamp: datetime) -> Any:
    """An icalendar Calendar of the entries, with a VTIMEZONE for every zone used.
    Two entries with the same UID (trackers of the same name in different folders)
    are told apart by a suffix, so that no event replaces another on import."""
    from icalendar import Alarm, Calendar, Event, Timezone

    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", "Job search follow-ups")
    # The zones first, in a fixed order (add_missing_timezones alone follows a set's order,
    # which changes from run to run).
    for tz in sorted({e.tz for e in entries if e.tz and e.start is not None}):
        cal.add_component(Timezone.from_tzid(tz))
    for e in sorted(_distinct(entries), key=lambda e: (e.day, e.kind, e.uid)):
        ev = Event()
        ev.add("uid", e.uid)
        ev.add("dtstamp", stamp)
        ev.add("summary", e.summary)
        ev.add("description", e.description)
        if e.start is not None:
            ev.add("dtstart", e.start)
            ev.add("duration", timedelta(minutes=CALL_MINUTES))
        else:
            ev.add("dtstart", e.day)
            ev.add("dtend", e.day + timedelta(days=1))
            ev.add("transp", "TRANSPARENT")  # an all-day reminder does not block the day
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", e.summary)
        alarm.add("trigger", timedelta(minutes=-REMINDER_MINUTES) if e.start is not None
                  else timedelta(hours=ALL_DAY_REMINDER_HOUR))
        ev.add_component(alarm)
        cal.add_component(ev)
    cal.add_missing_timezones()  # none should be missing; a safety net
    return cal


def _distinct(entries: list[PlanEntry]) -> list[PlanEntry]:
    seen: dict[str, int] = {}
    out = []
    for e in entries:
        seen[e.uid] = seen.get(e.uid, 0) + 1
        if seen[e.uid] > 1:
            e = replace(e, uid=f"{e.uid.split('@')[0]}-{seen[e.uid]}@workbook-tools")
        out.append(e)
    return out


def calendar_bytes(entries: list[PlanEntry], stamp: datetime) -> bytes:
    """The .ics file of the entries (`build_calendar`), as bytes to write."""
    data: bytes = build_calendar(entries, stamp).to_ical()
    return data
