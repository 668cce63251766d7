"""The follow-up plan as an iCalendar file: one event for the next call of every open
row, one all-day event for every email due, made with the `icalendar` package.

Calls are timed at the start of their call window in the contact's time zone (else the
user's, from Settings), with the zone's VTIMEZONE in the file; without a zone they are
all-day. UIDs come from the row's identity (tracker, company, position, event date), so
importing a newer export updates the events instead of duplicating them, and two
exports on the same `--today` differ only in DTSTAMP.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from . import contract as C
from .model import Result, TrackerData
from .scripts import key
from .values import as_date, as_text
from .windows import window_start

CALL_MINUTES = 15
REMINDER_MINUTES = 15
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


def _uid(tracker: str, rec: dict[str, Any], kind: str) -> str:
    event = as_date(rec.get("Event Date"))
    identity = "|".join((tracker, key(as_text(rec.get("Company"))), key(as_text(rec.get("Position"))),
                         event.isoformat() if event else "", kind))
    return hashlib.sha1(identity.encode("utf-8")).hexdigest()[:24] + "@workbook-tools"


def plan_entries(data: TrackerData, result: Result, today: date, tracker: str,
                 days: int | None = None) -> list[PlanEntry]:
    """The calendar entries of one tracker: the next call of each open row (within
    ``days`` of today when given) and the emails due."""
    inputs = dict(data.interviews.rows)
    contacts = {key(as_text(rec.get("Name"))): rec for _, rec in data.contacts.rows}
    settings = {key(as_text(rec.get("Setting"))): as_text(rec.get("Value")) for _, rec in data.settings.rows}
    user_tz = settings.get(key(C.TIME_ZONE)) or None
    horizon = today + timedelta(days=days) if days is not None else None
    entries = []
    for res in result.rows:
        rec = inputs.get(res.row, {})
        contact = as_text(rec.get("Contact"))
        crec = contacts.get(key(contact), {}) if contact else {}
        company, position = as_text(rec.get("Company")), as_text(rec.get("Position"))
        who = f"{contact} ({company}" + (f", {position})" if position else ")") if contact else (
            company + (f", {position}" if position else ""))
        phone = as_text(crec.get("Phone"))
        if res.email_script and res.flag:
            entries.append(PlanEntry(_uid(tracker, rec, "email"), "Email", f"Email {who}",
                                     f"{res.next_action or ''}\n\n{res.email_script}", today, None, None))
        if res.flag in OPEN_FLAGS and res.next_call and (horizon is None or res.next_call <= horizon):
            tz = as_text(crec.get(C.TIME_ZONE)) or user_tz
            start = None
            if tz:
                try:
                    start = window_start(res.next_call, res.calls_made or 0, tz)
                except (ValueError, KeyError):  # an unknown zone: check reports it; all-day here
                    start, tz = None, None
            description = "\n\n".join(x for x in (
                f"Phone: {phone}" if phone else "", f"When: {res.call_window}" if res.call_window else "",
                f"Why: {res.why}" if res.why else "", res.call_script or "") if x)
            entries.append(PlanEntry(_uid(tracker, rec, "call"), "Call", f"Call {who}", description,
                                     res.next_call, start, tz if start else None))
    return entries


def build_calendar(entries: list[PlanEntry], stamp: datetime) -> Any:
    """An icalendar Calendar of the entries, with a VTIMEZONE for every zone used."""
    from icalendar import Alarm, Calendar, Event

    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("x-wr-calname", "Job search follow-ups")
    for e in sorted(entries, key=lambda e: (e.day, e.kind, e.uid)):
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
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", e.summary)
        alarm.add("trigger", timedelta(minutes=-REMINDER_MINUTES) if e.start is not None else timedelta(hours=9))
        ev.add_component(alarm)
        cal.add_component(ev)
    cal.add_missing_timezones()
    return cal


def write_calendar(path: str | Path, entries: list[PlanEntry], stamp: datetime) -> None:
    """Write the .ics atomically (temporary file, then rename)."""
    import os
    import tempfile

    target = Path(path)
    data = build_calendar(entries, stamp).to_ical()
    fd, tmp = tempfile.mkstemp(prefix="." + target.name + ".", dir=target.parent or ".")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
