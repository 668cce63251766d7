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
- sends once more as cancelled each earlier event of a file read this time that is no
  longer planned, and keeps sending the cancellation for `CANCELLED_KEPT_DAYS` after its
  day; a follow-up planned again under a cancelled UID gets a new one;
- carries over as they were the events of a file that could not be read, or was not
  given, unless its tracker has moved (`moved_sources`); `assign_uids` keeps, besides,
  each file's UIDs its own when files of one identity plan the same follow-up.

The earlier file is read by a small reader of our own output (unfolded lines, a few
properties), never trusted beyond that: a file that is not ours, too large or damaged
gives no memory, and the export goes on as if it were the first.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import date, datetime
from typing import NamedTuple

from workbook_tools.core.events import read_when
from workbook_tools.outputs.calendar import (
    CANCELLED_KEPT_DAYS,
    CONTENT_PROPERTY,
    SOURCE_PROPERTY,
    TRACKER_PROPERTY,
    UID_DOMAIN,
    WHEN_PROPERTY,
    Carried,
    PlanEntry,
    content_code,
    distinct,
    shared_uid,
)

#: ours: an earlier export larger than this is not read (a calendar of 1,000 trackers is
#: a few megabytes).
MAX_PREVIOUS_BYTES = 64 * 2**20
#: The description of an event sent as cancelled from the earlier export's memory.
GONE = "No longer planned."
#: ours: the longest event carried over whole (ours hold a script or two: a few kilobytes).
MAX_CARRIED_CHARS = 200_000


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
    source: str  # `calendar.source_code` of the file it came from
    raw: str  # the VEVENT as it is in the file, to carry over whole
    zone: str  # the TZID of its DTSTART ("" when it has none)


def previous_events(data: bytes) -> dict[str, PreviousEvent]:
    """Our events in the earlier export ``data`` (read by `app.calendar.check_calendar_target`),
    by UID; {} for a file that holds none, or is too large."""
    if len(data) > MAX_PREVIOUS_BYTES:
        return {}
    events: dict[str, PreviousEvent] = {}
    for block in _vevents(data.decode("utf-8", "replace")):
        event = _previous_event(block)
        if event is not None:
            events[event.uid] = event
    return events


def foreign_uids(data: bytes) -> list[str]:
    """The UIDs in iCalendar ``data`` that are not ours (at most 3: enough to name)."""
    found = []
    for line in _unfolded(data.decode("utf-8", "replace")):
        head, _, value = line.partition(":")
        if head.partition(";")[0].strip().upper() == "UID" and not value.strip().endswith(UID_DOMAIN):
            found.append(value.strip()[:80])
            if len(found) == 3:
                break
    return found


class _Block(NamedTuple):
    """A VEVENT of the file: its properties (name -> value, the last of a name; DTSTART's
    TZID under "DTSTART;TZID") and its lines."""

    props: dict[str, str]
    lines: list[str]


#: The components a VEVENT of ours holds (its reminder); a block with any other is not carried.
_INNER = ("VALARM",)


def _vevents(text: str) -> Iterable[_Block]:
    """Each VEVENT of the text."""
    block: _Block | None = None
    in_alarm = False
    for line in _unfolded(text):
        head, _, value = line.partition(":")
        name, _, params = head.partition(";")
        name, value = name.strip().upper(), value.strip()
        if name == "BEGIN" and value.upper() == "VEVENT":
            block, in_alarm = _Block({}, []), False
        if block is None:
            continue
        block.lines.append(line)
        if name == "END" and value.upper() == "VEVENT":
            yield block
            block = None
        elif name in ("BEGIN", "END"):
            if value.upper() in _INNER:
                in_alarm = name == "BEGIN"
            elif value.upper() != "VEVENT":
                block.props["UNCARRIED"] = value  # something we never write: read, not carried
        elif not in_alarm:
            block.props[name] = value
            if name == "DTSTART" and params.upper().startswith("TZID="):
                block.props["DTSTART;TZID"] = params[5:]


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


def _previous_event(block: _Block) -> PreviousEvent | None:
    props = block.props
    uid, tracker = props.get("UID", "").strip(), props.get(TRACKER_PROPERTY, "").strip()
    content, when = props.get(CONTENT_PROPERTY, "").strip(), props.get(WHEN_PROPERTY, "").strip()
    sequence = props.get("SEQUENCE", "0").strip()
    summary = _unescaped(props.get("SUMMARY", ""))
    kind = summary.split(" ", 1)[0]
    if not (uid.endswith(UID_DOMAIN) and len(uid) <= 100 and tracker and content and _day_of(when)
            and kind in ("Call", "Email") and sequence.isascii() and sequence.isdigit() and len(sequence) <= 10):
        return None
    cancelled = props.get("STATUS", "").strip().upper() == "CANCELLED"
    raw = "" if "UNCARRIED" in props or sum(len(line) for line in block.lines) > MAX_CARRIED_CHARS else (
        "\r\n".join(block.lines) + "\r\n")
    return PreviousEvent(uid, kind, summary[:500], tracker, min(int(sequence), 2**31 - 1), cancelled, content, when,
                         props.get(SOURCE_PROPERTY, "").strip(), raw, props.get("DTSTART;TZID", "").strip())


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
    found = read_when(when)
    return found.day if found is not None else None


def _start_of(when: str) -> datetime | None:
    found = read_when(when)
    return found.start if found is not None else None


class Reconciled(NamedTuple):
    """What to export: the entries, and the earlier events carried over as they were
    (those of trackers not read this time)."""

    entries: list[PlanEntry]
    carried: list[Carried]


def assign_uids(entries: list[PlanEntry], previous: Mapping[str, PreviousEvent]) -> list[PlanEntry]:
    """The entries with UIDs no two files share. Trackers of one identity (copies, or
    older trackers of one file name) can plan the same follow-up: each file then gets a
    UID of its own (`calendar.shared_uid`), except the one the earlier export gave the
    plain UID to; a file keeps the UID it had as long as the earlier export says so,
    whatever other files are exported with it."""
    sources: dict[str, list[str]] = {}
    for e in entries:
        owners = sources.setdefault(e.uid, [])
        if e.source not in owners:
            owners.append(e.source)
    out = []
    for e in entries:
        owners, own = sources[e.uid], shared_uid(e.uid, e.source)
        before = previous.get(e.uid)
        if own in previous or (len(owners) > 1 and (before is None or before.source != e.source)):
            e = replace(e, uid=own)
        out.append(e)
    return distinct(out)


def moved_sources(previous: Mapping[str, PreviousEvent], read: Mapping[str, str]) -> dict[str, str]:
    """The files of the earlier export that are now read under another path (old source ->
    new source): a tracker
    (by identity) read from one file only, whose events the earlier export had from one
    other file only, has moved there. (A tracker with copies cannot be told moved from
    left out: its old file's events are carried over.)"""
    earlier: dict[str, set[str]] = {}
    for event in previous.values():
        earlier.setdefault(event.tracker, set()).add(event.source)
    now: dict[str, list[str]] = {}
    for source, tracker in read.items():
        now.setdefault(tracker, []).append(source)
    moved = {}
    for tracker, sources in now.items():
        before = earlier.get(tracker, set())
        if len(sources) == 1 and len(before) == 1 and not before & set(read):
            moved[next(iter(before))] = sources[0]
    return moved


def reconcile(entries: list[PlanEntry], previous: Mapping[str, PreviousEvent], read: Mapping[str, str],
              today: date) -> Reconciled:
    """The entries to export, given the earlier export's events (see the module).
    ``entries`` hold every follow-up of the trackers read (those past the horizon
    marked `PlanEntry.beyond`), their UIDs assigned (`assign_uids`); ``read`` maps the
    `calendar.source_code` of each file read to its `calendar.tracker_code`."""
    moved = moved_sources(previous, read)
    read = {**read, **{source: "" for source in moved}}
    out, kept, later = [], set(), set()
    for entry in entries:
        entry, tombstones = _not_revived(entry, previous)
        kept |= tombstones
        before = previous.get(entry.uid)
        if entry.beyond and (before is None or before.cancelled):
            later.add(entry.uid)  # a call past --days the calendar does not have yet: not cancelled either
            continue
        if before is not None:
            same = before.content == content_code(entry) and before.cancelled == entry.cancelled
            entry = replace(entry, sequence=max(entry.sequence, before.sequence + (0 if same else 1)))
        out.append(entry)
    exported = {e.uid for e in out} | later  # a cancelled UID planned again is not: its cancellation stays
    carried = []
    for before in previous.values():
        if before.uid in exported:
            continue
        if before.source not in read:
            day = _day_of(before.when)
            if before.raw and day is not None and (today - day).days <= CANCELLED_KEPT_DAYS:
                carried.append(Carried(before.raw, before.zone, day))  # a tracker not read: as they were
            continue
        gone = _cancelled(before._replace(source=moved.get(before.source, before.source)), today,
                          keep=before.uid in kept)
        if gone is not None:
            out.append(gone)
    return Reconciled(out, carried)


#: ours: how many times one follow-up may be cancelled and planned again (each a new UID).
MAX_REVIVALS = 50


def _not_revived(entry: PlanEntry, previous: Mapping[str, PreviousEvent]) -> tuple[PlanEntry, set[str]]:
    """A live entry whose UID the earlier export cancelled gets a new UID (derived from
    the cancelled one, so the next export derives the same), since some calendars never
    bring a cancelled UID back; with the cancelled UIDs passed through, whose cancellation
    is kept in the file for as long as this holds."""
    passed: set[str] = set()
    uid = entry.uid
    while not entry.cancelled and uid in previous and previous[uid].cancelled and len(passed) < MAX_REVIVALS:
        passed.add(uid)
        uid = shared_uid(uid, f"again {previous[uid].sequence}")
    return (replace(entry, uid=uid, sequence=0) if passed else entry), passed


def _cancelled(before: PreviousEvent, today: date, keep: bool = False) -> PlanEntry | None:
    """The earlier event once more as cancelled; None once it is long past (unless
    ``keep``: a follow-up planned again under a UID derived from this one)."""
    day = _day_of(before.when)
    if day is None or (not keep and (today - day).days > CANCELLED_KEPT_DAYS):
        return None
    return PlanEntry(before.uid, before.kind, before.summary, GONE, day, _start_of(before.when), None,
                     before.sequence if before.cancelled else min(before.sequence + 1, 2**31 - 1),
                     cancelled=True, tracker=before.tracker, source=before.source)
