"""What the calendar file being replaced remembers, so that importing the new one leaves
nothing behind in a calendar.

The rows' records (`core.events`) know each row's follow-ups, but not a row deleted,
an event whose UID changed (a corrected event date or company), a change exported twice
without a refresh between, or a call moved past `--days`. The earlier export written to
the same file knows all of these: each of our events carries, besides its UID and
SEQUENCE, the tracker it comes from, when it is and a code of its content (our own
``X-WORKBOOK-TOOLS-*`` properties, which calendars keep or ignore). `reconcile` then:

- raises an event's SEQUENCE above the earlier one when its content changed;
- keeps a call that moved past the horizon (`--days`) in the file, so it moves there too;
- sends once more as cancelled each earlier event of a tracker read this time that is no
  longer planned, and keeps sending the cancellation for `CANCELLED_KEPT_DAYS` after its
  day. Events of a tracker that could not be read, or was not given, are left alone.

The earlier file is read by a small reader of our own output (unfolded lines, a few
properties), never trusted beyond that: a file that is not ours, too large or damaged
gives no memory, and the export goes on as if it were the first.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import date, datetime, timezone
from pathlib import Path
from typing import NamedTuple

from workbook_tools.outputs.calendar import (
    CANCELLED_KEPT_DAYS,
    CONTENT_PROPERTY,
    TRACKER_PROPERTY,
    UID_DOMAIN,
    WHEN_PROPERTY,
    PlanEntry,
    content_code,
)

#: ours: an earlier export larger than this is not read (a calendar of 1,000 trackers is
#: a few megabytes).
MAX_PREVIOUS_BYTES = 64 * 2**20
#: The description of an event sent as cancelled from the earlier export's memory.
GONE = "No longer planned."


class PreviousEvent(NamedTuple):
    """One of our events in the earlier export."""

    uid: str
    kind: str  # "Call" or "Email": the first word of its summary
    summary: str
    tracker: str
    sequence: int
    cancelled: bool
    content: str
    when: str  # `calendar.when_text`


def read_previous(path: str | Path) -> dict[str, PreviousEvent]:
    """Our events in the calendar file at ``path``, by UID; {} when there is none, or it
    cannot be read, or is too large."""
    try:
        with open(path, "rb") as fh:
            data = fh.read(MAX_PREVIOUS_BYTES + 1)
    except OSError:
        return {}
    if len(data) > MAX_PREVIOUS_BYTES:
        return {}
    events: dict[str, PreviousEvent] = {}
    for props in _vevents(data.decode("utf-8", "replace")):
        event = _previous_event(props)
        if event is not None:
            events[event.uid] = event
    return events


def _vevents(text: str) -> Iterable[dict[str, str]]:
    """The properties (name -> value, the last of a name) of each VEVENT of the text."""
    props: dict[str, str] | None = None
    for line in _unfolded(text):
        name, _, value = line.partition(":")
        name = name.split(";", 1)[0].strip().upper()
        if name == "BEGIN" and value.strip().upper() == "VEVENT":
            props = {}
        elif name == "END" and value.strip().upper() == "VEVENT":
            if props is not None:
                yield props
            props = None
        elif props is not None and name not in ("BEGIN", "END"):
            props[name] = value


def _unfolded(text: str) -> Iterable[str]:
    """The content lines of iCalendar text, folded lines joined (RFC 5545 3.1)."""
    current: list[str] = []
    for line in text.replace("\r\n", "\n").split("\n"):
        if line[:1] in (" ", "\t") and current:
            current.append(line[1:])
            continue
        if current:
            yield "".join(current)
        current = [line]
    if current:
        yield "".join(current)


def _previous_event(props: Mapping[str, str]) -> PreviousEvent | None:
    uid, tracker = props.get("UID", "").strip(), props.get(TRACKER_PROPERTY, "").strip()
    content, when = props.get(CONTENT_PROPERTY, "").strip(), props.get(WHEN_PROPERTY, "").strip()
    sequence = props.get("SEQUENCE", "0").strip()
    summary = _unescaped(props.get("SUMMARY", ""))
    kind = summary.split(" ", 1)[0]
    if not (uid.endswith(UID_DOMAIN) and len(uid) <= 100 and tracker and content and _day_of(when)
            and kind in ("Call", "Email") and sequence.isascii() and sequence.isdigit() and len(sequence) <= 10):
        return None
    cancelled = props.get("STATUS", "").strip().upper() == "CANCELLED"
    return PreviousEvent(uid, kind, summary[:500], tracker, min(int(sequence), 2**31 - 1), cancelled, content, when)


def _unescaped(text: str) -> str:
    """A TEXT value as written (RFC 5545 3.3.11): backslash escapes undone."""
    out, chars = [], iter(text)
    for ch in chars:
        if ch == "\\":
            nxt = next(chars, "")
            out.append("\n" if nxt in ("n", "N") else nxt)
        else:
            out.append(ch)
    return "".join(out)


def _day_of(when: str) -> date | None:
    """The day of a `calendar.when_text` ("20261124" or "20261124T1305Z"), None for anything else."""
    day, time = when[:8], when[8:]
    if not (len(day) == 8 and day.isascii() and day.isdigit()):
        return None
    if time and not (len(time) == 6 and time[0] == "T" and time[1:5].isascii() and time[1:5].isdigit()
                     and time[5] == "Z"):
        return None
    try:
        return date(int(day[:4]), int(day[4:6]), int(day[6:]))
    except ValueError:
        return None


def _start_of(when: str) -> datetime | None:
    if len(when) != 14:
        return None
    try:
        return datetime(int(when[:4]), int(when[4:6]), int(when[6:8]), int(when[9:11]), int(when[11:13]),
                        tzinfo=timezone.utc)
    except ValueError:
        return None


def reconcile(entries: list[PlanEntry], previous: Mapping[str, PreviousEvent], trackers: set[str],
              today: date) -> list[PlanEntry]:
    """The entries to export, given the earlier export's events (see the module).
    ``entries`` hold every follow-up of the trackers read (those past the horizon
    marked `PlanEntry.beyond`); ``trackers`` are their `tracker_code` values."""
    out = []
    for entry in entries:
        before = previous.get(entry.uid)
        if entry.beyond and (before is None or before.cancelled):
            continue  # a call past --days the calendar does not have yet
        if before is not None:
            same = before.content == content_code(entry) and before.cancelled == entry.cancelled
            entry = replace(entry, sequence=max(entry.sequence, before.sequence + (0 if same else 1)))
        out.append(entry)
    exported = {e.uid for e in out} | {e.uid for e in entries}
    for before in previous.values():
        if before.uid in exported or before.tracker not in trackers:
            continue
        gone = _cancelled(before, today)
        if gone is not None:
            out.append(gone)
    return out


def _cancelled(before: PreviousEvent, today: date) -> PlanEntry | None:
    """The earlier event once more as cancelled; None once it is long past."""
    day = _day_of(before.when)
    if day is None or (today - day).days > CANCELLED_KEPT_DAYS:
        return None
    return PlanEntry(before.uid, before.kind, before.summary, GONE, day, _start_of(before.when), None,
                     before.sequence if before.cancelled else min(before.sequence + 1, 2**31 - 1),
                     cancelled=True, tracker=before.tracker)
