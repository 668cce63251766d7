"""The follow-up plan as an iCalendar file: one event for the next call of every open
row, one all-day event for every email due, made with the `icalendar` package.

The entries are the agenda's follow-ups (`core.events.follow_ups`). Calls are timed at
the start of their call window in the contact's time zone (else the user's, from
Settings), with the zone's VTIMEZONE in the file; without a zone they are all-day. An
overdue call is planned for today, and a closed row's last call and the emails due are
all-day entries today: an event in the past reminds nobody.

Importing a newer export updates the events instead of duplicating them: UIDs come from
the tracker's identity (kept in the workbook, so a copy, a rename or `refresh -o` keeps
them) and the row's (company, position, event date); SEQUENCE is the row record's count
of changes to the event, and an event no longer planned comes once more as
STATUS:CANCELLED (`core.events`). Two exports of one workbook on the same `--today`
differ only in DTSTAMP.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any, NamedTuple

from workbook_tools import contract as C
from workbook_tools.core.events import (
    CALL,
    EMAIL,
    EventMark,
    FollowUp,
    PlannedRow,
    planned_rows,
    read_marks,
    row_follow_ups,
    when_of,
)
from workbook_tools.core.hand_edits import canonical, record_marks
from workbook_tools.core.model import Result, TrackerData
from workbook_tools.core.scripts import key
from workbook_tools.core.values import as_text, day_text

CALL_MINUTES = 15
REMINDER_MINUTES = 15
#: All-day entries remind at this hour of their day (floating: the device's time).
ALL_DAY_REMINDER_HOUR = 9
PRODID = "-//workbook-tools//follow-up plan//EN"


@dataclass(frozen=True)
class PlanEntry:
    """One calendar entry, as plain data (the iCalendar objects are built from these)."""

    uid: str
    kind: str  # "Call" or "Email"
    summary: str
    description: str
    day: date
    start: datetime | None  # aware, in ``tz`` (UTC for a cancelled one); None: all-day
    tz: str | None
    sequence: int = 0
    cancelled: bool = False
    tracker: str = ""  # `tracker_code` of the tracker it comes from
    beyond: bool = False  # a call past the horizon (`--days`): exported only if the calendar has it
    source: str = ""  # `source_code` of the file it comes from
    url: str = ""  # a call's `tel:` link (its URL property; the description has it too)


#: ours: the properties our events carry for the next export (RFC 5545 3.8.8.2: X-names).
TRACKER_PROPERTY = "X-WORKBOOK-TOOLS-TRACKER"
CONTENT_PROPERTY = "X-WORKBOOK-TOOLS-CONTENT"
WHEN_PROPERTY = "X-WORKBOOK-TOOLS-WHEN"
SOURCE_PROPERTY = "X-WORKBOOK-TOOLS-SOURCE"
def tracker_code(tracker: str) -> str:
    """What an event says of the tracker it comes from: a code of its identity."""
    return hashlib.sha1(tracker.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def source_code(path: str) -> str:
    """What an event says of the file it comes from: a code of the file's absolute path."""
    absolute = os.path.abspath(path)
    return hashlib.sha1(absolute.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def shared_uid(uid: str, salt: str) -> str:
    """Another UID made from ``uid`` and ``salt`` (a file's `source_code`, when files of
    one identity plan the same follow-up; a cancellation, when it is planned again)."""
    return _uid(f"{uid}|{salt}")


def when_text(entry: PlanEntry) -> str:
    """When an entry is, in a form that needs no time zone (`core.events.when_of`)."""
    return when_of(entry.day, entry.start)


def content_code(entry: PlanEntry) -> str:
    """A code of everything a calendar shows of an entry (not its SEQUENCE)."""
    text = "\x1f".join((entry.summary, entry.description, when_text(entry), entry.tz or "",
                        "cancelled" if entry.cancelled else ""))
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


#: ours: the domain part of our UIDs (RFC 5545 3.8.4.7 recommends one).
UID_DOMAIN = "@workbook-tools"
#: ours: how long after its day an event no longer planned is still exported as cancelled
#: (a calendar that had it is told; later, it is history there and left alone).
CANCELLED_KEPT_DAYS = 60


def _identity(tracker: str, rec: dict[str, Any], kind: str, generation: int) -> str:
    event = canonical(rec.get("Event Date"))  # a date as ISO, a date typed as text as typed
    parts = [tracker, key(as_text(rec.get("Company"))), key(as_text(rec.get("Position"))), event, kind.lower()]
    return "|".join(parts + ([f"g{generation}"] if generation else []))


def _uid(identity: str) -> str:
    return hashlib.sha1(identity.encode("utf-8", "surrogatepass")).hexdigest()[:24] + UID_DOMAIN


def plan_entries(data: TrackerData, result: Result, today: date, tracker: str,
                 days: int | None = None, source: str = "") -> list[PlanEntry]:
    """The calendar entries of one tracker: the follow-ups the agenda lists
    (`core.events.follow_ups`; an overdue one today; a call later than ``days`` from
    today, when given, marked `PlanEntry.beyond`), and, as cancelled, those its record
    says were planned and no longer are. UIDs come from the tracker's identity
    (`TrackerData.tracker_id`, else ``tracker``, the file name, which the descriptions
    name); sequences from the rows' records. ``source`` is the file's `source_code`."""
    horizon = today + timedelta(days=days) if days is not None else None
    entries = []
    seen: dict[str, int] = {}
    base = data.tracker_id or tracker
    code = tracker_code(base)

    def uid(rec: dict[str, Any], kind: str, generation: int) -> str:
        identity = _identity(base, rec, kind, generation)
        seen[identity] = seen.get(identity, 0) + 1  # two rows alike: the second gets "#2"
        return _uid(identity if seen[identity] == 1 else f"{identity}#{seen[identity]}")

    for planned in planned_rows(data, result):
        rec, res = planned.inputs, planned.result
        marks = read_marks(record_marks(res.refresh_record))
        origin = f"From {tracker}, {C.INTERVIEWS} row {res.row}"
        items = {item.kind: item for item in row_follow_ups(planned)}
        for kind, item in items.items():
            mark = marks.get(kind)
            entry = _entry(item, today, origin, res.call_link.url if kind == CALL and res.call_link else "")
            entries.append(replace(entry, uid=uid(rec, kind, mark.generation if mark else 0),
                                   sequence=mark.effective_sequence(today) if mark else 0, tracker=code,
                                   beyond=horizon is not None and item.due is not None and item.due > horizon,
                                   source=source))
        for kind, mark in marks.items():
            if mark.cancelled and kind not in items:
                gone = _cancelled_entry(planned, mark, today, origin)
                if gone is not None:
                    entries.append(replace(gone, uid=uid(rec, kind, mark.generation), tracker=code, source=source))
    return entries


def _who(item: FollowUp | PlannedRow) -> str:
    if isinstance(item, PlannedRow):
        company, position = as_text(item.inputs.get("Company")), as_text(item.inputs.get("Position"))
        contact = item.contact
    else:
        company, position, contact = item.company, item.position, item.contact
    if contact:
        return f"{contact} ({company}" + (f", {position})" if position else ")")
    return company + (f", {position}" if position else "")


def _entry(item: FollowUp, today: date, source: str, url: str = "") -> PlanEntry:
    """The entry of a follow-up (its UID and sequence are filled in by the caller); a
    call's carries ``url``, the `tel:` link of the contact's phone (`core.links`), as its
    URL and in its description, below the phone (a tap on either dials in most calendars)."""
    if item.kind == EMAIL:
        description = "\n\n".join(x for x in (
            item.action, f"To: {item.email}" if item.email else "", item.script, source) if x)
        return PlanEntry("", EMAIL, f"Email {_who(item)}", description, today, None, None)
    start = item.start_on(today)
    overdue = (f"Overdue: planned for {day_text(item.due)}; call today"
               if item.due is not None and item.due < today else "")
    phone = (f"Phone: {item.phone}" + (f"\nCall link: {url}" if url else "")) if item.phone else ""
    description = "\n\n".join(x for x in (
        phone, overdue,
        item.action if item.due is None else "",  # a closed row's call: what it is for
        f"When: {item.window}" if item.window else "",
        f"Why: {item.why}" if item.why else "", item.script, source) if x)
    return PlanEntry("", CALL, f"Call {_who(item)}", description, item.day(today), start,
                     str(start.tzinfo) if start is not None else None, url=url if item.phone else "")


def _cancelled_entry(planned: PlannedRow, mark: EventMark, today: date, source: str) -> PlanEntry | None:
    """The entry that tells a calendar the follow-up ``mark`` remembers is off; None once
    it is long past."""
    day, start = mark.moment()
    if (today - day).days > CANCELLED_KEPT_DAYS:
        return None
    description = "\n\n".join((f"No longer planned: {planned.result.next_action or planned.result.flag}", source))
    return PlanEntry("", mark.kind, f"{mark.kind} {_who(planned)}", description, day, start, None,
                     mark.sequence, cancelled=True)


class Carried(NamedTuple):
    """An event of the earlier export carried over as it was (`outputs.reimport`): its
    text (folded lines, CRLF), the time zone its start names ("" for none) and its day."""

    text: str
    zone: str
    day: date


def build_calendar(entries: list[PlanEntry], stamp: datetime, zones: Iterable[tuple[str, date]] = ()) -> Any:
    """An icalendar Calendar of the entries (their UIDs made distinct first: `distinct`),
    with a VTIMEZONE for every zone used, and for the (zone, day) pairs of ``zones``."""
    from icalendar import Alarm, Calendar, Event

    from workbook_tools.outputs.vtimezone import vtimezone

    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", "Job search follow-ups")
    # The zones first, in a fixed order (add_missing_timezones alone follows a set's order,
    # which changes from run to run).
    days_by_zone: dict[str, list[date]] = {}
    for e in entries:
        if e.tz and e.start is not None:
            days_by_zone.setdefault(e.tz, []).append(e.day)
    for zone, day in zones:
        days_by_zone.setdefault(zone, []).append(day)
    for tz in sorted(days_by_zone):  # each written as Outlook and Google write zones: yearly rules
        cal.add_component(vtimezone(tz, min(days_by_zone[tz]), max(days_by_zone[tz])))
    for e in sorted(distinct(entries), key=lambda e: (e.day, e.kind, e.uid)):
        ev = Event()
        ev.add("uid", e.uid)
        ev.add("dtstamp", stamp)
        ev.add("sequence", e.sequence)
        ev.add("status", "CANCELLED" if e.cancelled else "CONFIRMED")
        ev.add("summary", e.summary)
        ev.add("description", e.description)
        if e.url and not e.cancelled:
            ev.add("url", e.url)
        if e.start is not None:
            ev.add("dtstart", e.start)
            ev.add("duration", timedelta(minutes=CALL_MINUTES))
        else:
            ev.add("dtstart", e.day)
            if e.day < date.max:
                ev.add("dtend", e.day + timedelta(days=1))
            else:  # the calendar's last day (a date typed to mean "never"): no next day to end on
                ev.add("duration", timedelta(days=1))
            ev.add("transp", "TRANSPARENT")  # an all-day reminder does not block the day
        # What the next export needs to know of it (`outputs.reimport`).
        ev.add(TRACKER_PROPERTY, e.tracker)
        ev.add(SOURCE_PROPERTY, e.source)
        ev.add(WHEN_PROPERTY, when_text(e))
        ev.add(CONTENT_PROPERTY, content_code(e))
        if e.cancelled:
            cal.add_component(ev)
            continue
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", e.summary)
        alarm.add("trigger", timedelta(minutes=-REMINDER_MINUTES) if e.start is not None
                  else timedelta(hours=ALL_DAY_REMINDER_HOUR))
        ev.add_component(alarm)
        cal.add_component(ev)
    cal.add_missing_timezones()  # none should be missing; a safety net
    return cal


def distinct(entries: list[PlanEntry]) -> list[PlanEntry]:
    """The entries with the UIDs of the second and later of one UID (trackers of one
    identity in different folders) suffixed, so that no event replaces another on import."""
    seen: dict[str, int] = {}
    out = []
    for e in entries:
        seen[e.uid] = seen.get(e.uid, 0) + 1
        if seen[e.uid] > 1:
            e = replace(e, uid=f"{e.uid.split('@')[0]}-{seen[e.uid]}{UID_DOMAIN}")
        out.append(e)
    return out


def calendar_bytes(entries: list[PlanEntry], stamp: datetime, carried: Sequence[Carried] = ()) -> bytes:
    """The .ics file of the entries (`build_calendar`), with the ``carried`` events after
    them as they were (an event whose time zone is not one we can write is left out)."""
    from workbook_tools.outputs.vtimezone import vtimezone

    kept, zones = [], []
    for event in carried:
        if event.zone:
            try:
                vtimezone(event.zone, event.day, event.day)
            except ValueError:
                continue
            zones.append((event.zone, event.day))
        kept.append(event.text)
    data: bytes = build_calendar(entries, stamp, zones).to_ical()
    if not kept:
        return data
    end = data.rindex(b"END:VCALENDAR")
    return data[:end] + "".join(kept).encode("utf-8") + data[end:]
