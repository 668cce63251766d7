"""Round 3 of an independent tester's look at the calendar's memory (`outputs.reimport`).

Several trackers (two older ones of one file name in different folders, a copy that shares
an identity, one that fails now and then, one left out and back, one moved, one deleted
for good) are exported again and again through the command line to the SAME .ics, and
each export is applied to `SimulatedCalendar`: a calendar that imports by UID and
SEQUENCE (a higher SEQUENCE, or an equal one with a later DTSTAMP, replaces; CANCELLED
removes; a UID once cancelled never comes back). After every import the simulated
calendar must hold, for the trackers read, exactly what the agenda lists (no duplicate,
none missing, none stale), and nothing of a tracker not read may change.

Tests marked ``xfail(strict=True)`` are defects found (see the report): each passes
while the defect is there and fails once it is fixed."""

from __future__ import annotations

import re
import shutil
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any, NamedTuple

import icalendar
import pytest
from click.testing import CliRunner

import workbook_tools.app.calendar as app_calendar
from tests.support.trackers import SAMPLE, interview_headers, row_values, type_cells
from workbook_tools.app.plan import Failed, plan_file
from workbook_tools.cli import main
from workbook_tools.outputs.agenda import agenda_items
from workbook_tools.outputs.calendar import CANCELLED_KEPT_DAYS, source_code

TODAY = date(2026, 11, 23)  # the sample's day
EVERYTHING = 36_500  # an agenda horizon past every call of the sample


# --- the command line, with a clock that always moves on ---------------------------------------


class _Clock:
    """DTSTAMPs one minute apart, so that the simulator can tell exports apart."""

    now = datetime(2026, 11, 1, tzinfo=timezone.utc)

    @classmethod
    def tick(cls) -> datetime:
        cls.now += timedelta(minutes=1)
        return cls.now


class _MovingDatetime(datetime):
    @classmethod
    def now(cls, tz: Any = None) -> Any:  # noqa: ANN401 - the signature datetime has
        return _Clock.tick()


@pytest.fixture(autouse=True)
def moving_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(app_calendar, "datetime", _MovingDatetime)


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False, env={"COLUMNS": "200"})
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def export(trackers: list[Path], ics: Path, today: date, days: int | None = None) -> int:
    extra = ["--days", str(days)] if days is not None else []
    code, _ = invoke("calendar", *map(str, trackers), "-o", str(ics), "--today", today.isoformat(), *extra)
    return code


def refresh(tracker: Path, today: date) -> None:
    code, output = invoke("refresh", str(tracker), "--today", today.isoformat())
    assert code == 0, output


def sample(folder: Path, name: str = "tracker.xlsx") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(SAMPLE, folder / name)
    return folder / name


def clear_row(path: Path, row: int) -> None:
    type_cells(path, row, {h: None for h in interview_headers(path) if h is not None})


def without_stamps(data: bytes) -> bytes:
    return re.sub(rb"DTSTAMP:[0-9TZ]+\r?\n", b"", data)


# --- what a calendar shows of an event, and what the agenda lists ---------------------------------


class Shown(NamedTuple):
    """What a calendar shows of one event (no UID, SEQUENCE nor DTSTAMP)."""

    summary: str
    description: str
    start: str


def shown(event: icalendar.Event) -> Shown:
    return Shown(str(event.get("summary", "")), str(event.get("description", "")),
                 event["dtstart"].to_ical().decode())


def day_of(event: icalendar.Event) -> date:
    start = event.decoded("dtstart")
    return start.date() if isinstance(start, datetime) else start


def key_of(event: icalendar.Event) -> tuple[str, int]:
    """(kind, row) of an event: its summary's first word, the row its description ends with."""
    found = re.search(r"row (\d+)\s*$", str(event.get("description", "")))
    return str(event["summary"]).split(" ", 1)[0], int(found.group(1)) if found else -1


def agenda_keys(tracker: Path, today: date, days: int) -> set[tuple[str, int]]:
    planned = plan_file(tracker, today)
    assert not isinstance(planned, Failed)
    return {(i.kind, i.row) for i in agenda_items(planned.data, planned.result, today, days)}


def fresh_shown(tracker: Path, today: date, scratch: Path) -> dict[tuple[str, int], Shown]:
    """What a first export of the tracker alone shows today: the truth to compare with."""
    scratch.unlink(missing_ok=True)
    assert export([tracker], scratch, today) in (0, 1)
    cal = icalendar.Calendar.from_ical(scratch.read_bytes())
    return {key_of(e): shown(e) for e in cal.walk("VEVENT") if str(e["status"]) == "CONFIRMED"}


# --- the simulated calendar --------------------------------------------------------------------------


class Held(NamedTuple):
    sequence: int
    stamp: datetime
    source: str
    event: icalendar.Event


@dataclass
class SimulatedCalendar:
    """Imports by UID and SEQUENCE as calendars do; checks what RFC 5545 asks of a re-import."""

    held: dict[str, Held] = field(default_factory=dict)
    dead: set[str] = field(default_factory=set)
    highest: dict[str, int] = field(default_factory=dict)  # the highest SEQUENCE each UID was sent with

    def import_(self, data: bytes, label: str) -> None:
        cal = icalendar.Calendar.from_ical(data)
        found = list(cal.walk("VEVENT"))
        twice = [u for u, n in Counter(str(e["uid"]) for e in found).items() if n > 1]
        assert not twice, f"{label}: UIDs twice in one file: {twice}"
        for event in found:
            self._apply(event, label)

    def _apply(self, event: icalendar.Event, label: str) -> None:
        uid, seq = str(event["uid"]), int(event.get("sequence", 0))
        stamp, cancelled = event.decoded("dtstamp"), str(event.get("status", "")).upper() == "CANCELLED"
        assert seq >= self.highest.get(uid, 0), f"{label}: SEQUENCE of {uid} went down to {seq}"
        self.highest[uid] = max(seq, self.highest.get(uid, 0))
        if uid in self.dead:
            assert cancelled, f"{label}: {event['summary']} planned again under a cancelled UID {uid}"
            return
        old = self.held.get(uid)
        if old is not None and not (seq > old.sequence or (seq == old.sequence and stamp > old.stamp)):
            return  # the calendar keeps what it has
        if old is not None and seq == old.sequence and not cancelled:
            assert shown(event) == shown(old.event), f"{label}: {event['summary']} changed, SEQUENCE stayed {seq}"
        if cancelled:
            self.held.pop(uid, None)
            self.dead.add(uid)
        else:
            self.held[uid] = Held(seq, stamp, str(event.get("x-workbook-tools-source", "")), event)

    def of(self, source: str) -> dict[str, Held]:
        return {uid: h for uid, h in self.held.items() if h.source == source}

    def check(self, read: list[Path], today: date, days: int | None, scratch: Path, label: str) -> None:
        """For every tracker read: exactly the agenda's follow-ups, each once, as a first export shows them."""
        for tracker in read:
            held = {uid: h for uid, h in self.of(source_code(str(tracker))).items()
                    if (today - day_of(h.event)).days <= CANCELLED_KEPT_DAYS}  # older: history, left alone
            keys = [key_of(h.event) for h in held.values()]
            doubled = [k for k, n in Counter(keys).items() if n > 1]
            assert not doubled, f"{label}: {tracker.parent.name}/{tracker.name} twice in the calendar: {doubled}"
            wanted = agenda_keys(tracker, today, EVERYTHING if days is None else days)
            missing = wanted - set(keys)
            assert not missing, f"{label}: {tracker.parent.name}/{tracker.name} missing {sorted(missing)}"
            extra = set(keys) - agenda_keys(tracker, today, EVERYTHING)
            assert not extra, f"{label}: {tracker.parent.name}/{tracker.name} stale {sorted(extra)}"
            truth = fresh_shown(tracker, today, scratch)
            stale = [shown(h.event).summary for h in held.values() if truth[key_of(h.event)] != shown(h.event)]
            assert not stale, f"{label}: {tracker.parent.name}/{tracker.name} shows stale {stale}"


def step(calendar: SimulatedCalendar, given: list[Path], failing: set[Path], ics: Path, today: date,
         days: int | None, label: str, moved_from: frozenset[Path] = frozenset()) -> None:
    """One export (twice: the same bytes but for DTSTAMP), imported and checked. The
    trackers ``moved_from`` those paths are read under their new ones: theirs is not a
    tracker not read."""
    read = [p for p in given if p not in failing]
    away = {source_code(str(p)) for p in read} | {source_code(str(p)) for p in moved_from}
    untouched = {code: calendar.of(code) for code in {h.source for h in calendar.held.values()} if code not in away}
    code = export(given, ics, today, days)
    assert code == (1 if failing else 0), label
    first = ics.read_bytes()
    assert export(given, ics, today, days) == code
    assert without_stamps(ics.read_bytes()) == without_stamps(first), f"{label}: a second export differs"
    calendar.import_(first, label)
    calendar.import_(ics.read_bytes(), label + " (again)")
    read_codes = {source_code(str(p)) for p in read}
    for events in untouched.values():
        for uid, before in events.items():
            now = calendar.held.get(uid)
            assert now is not None, f"{label}: {before.event['summary']} of a tracker not read was removed"
            if now.source not in read_codes:  # else taken over by its tracker, moved
                assert shown(now.event) == shown(before.event), f"{label}: a tracker not read changed"
    calendar.check(read, today, days, ics.with_name("fresh.ics"), label)


# --- a lived-in sequence over seven trackers -----------------------------------------------------------


class Desk(NamedTuple):
    alice: Path  # refreshed once: its identity is its file name, tracker.xlsx
    bob: Path  # an older tracker of the same file name in another folder: the same identity
    carol: Path  # a copy of alice: the same identity, another name
    dave: Path  # fails now and then
    erin: Path  # left out, then back
    frank: Path  # moved to another folder
    gina: Path  # deleted for good


def desk(root: Path) -> Desk:
    alice = sample(root / "alice")
    refresh(alice, TODAY)
    carol = root / "carol" / "carol.xlsx"
    carol.parent.mkdir()
    shutil.copyfile(alice, carol)
    return Desk(alice, sample(root / "bob"), carol, sample(root, "dave.xlsx"), sample(root, "erin.xlsx"),
                sample(root, "frank.xlsx"), sample(root, "gina.xlsx"))


def test_seven_trackers_lived_in_keep_the_calendar_exactly_the_agenda(tmp_path: Path) -> None:
    d, ics, calendar = desk(tmp_path), tmp_path / "plan.ics", SimulatedCalendar()
    everyone = list(d)
    step(calendar, everyone, set(), ics, TODAY, None, "1 first export")
    pasted = row_values(d.alice, 3)
    clear_row(d.alice, 3)  # deleted, not refreshed
    good_dave = d.dave.read_bytes()
    d.dave.write_bytes(b"PK\x03\x04 damaged")
    step(calendar, [p for p in everyone if p != d.erin], {d.dave}, ics, TODAY, None, "2 row deleted, dave broken")
    refresh(d.alice, TODAY + timedelta(days=1))
    type_cells(d.carol, 2, {"Event Date": row_values(d.carol, 2)["Event Date"] - timedelta(days=1)})
    d.dave.write_bytes(good_dave)
    step(calendar, everyone, set(), ics, TODAY + timedelta(days=1), 7, "3 date corrected, all back, --days 7")
    moved = tmp_path / "moved" / "frank.xlsx"
    moved.parent.mkdir()
    shutil.move(d.frank, moved)
    d.gina.unlink()
    now = [d.alice, d.bob, d.carol, d.dave, d.erin, moved]
    step(calendar, now, set(), ics, TODAY + timedelta(days=2), 2, "4 frank moved, gina gone, --days 2")
    type_cells(d.alice, 3, pasted)  # pasted back
    step(calendar, now, set(), ics, TODAY, None, "5 --today back, row pasted back, not refreshed")
    type_cells(d.bob, 4, {"Company": "Corrected Company Ltd"})
    refresh(d.bob, TODAY + timedelta(days=3))
    step(calendar, now, set(), ics, TODAY + timedelta(days=3), 0, "6 a company corrected, --days 0")
    step(calendar, now, set(), ics, TODAY + timedelta(days=70), None, "7 ten weeks on")


def test_a_tracker_moved_to_another_folder_takes_its_events_with_it(tmp_path: Path) -> None:
    """One tracker, no copies: moved, it keeps its UIDs; a row deleted at the move is cancelled."""
    tracker, ics, calendar = sample(tmp_path / "old"), tmp_path / "plan.ics", SimulatedCalendar()
    step(calendar, [tracker], set(), ics, TODAY, None, "before the move")
    moved = tmp_path / "new" / "tracker.xlsx"
    moved.parent.mkdir()
    shutil.move(tracker, moved)
    step(calendar, [moved], set(), ics, TODAY, None, "moved")
    clear_row(moved, 2)
    step(calendar, [moved], set(), ics, TODAY, None, "a row deleted after the move")


def test_a_row_deleted_as_its_tracker_is_moved_is_cancelled(tmp_path: Path) -> None:
    tracker, ics, calendar = sample(tmp_path / "old"), tmp_path / "plan.ics", SimulatedCalendar()
    step(calendar, [tracker], set(), ics, TODAY, None, "before the move")
    moved = tmp_path / "new" / "tracker.xlsx"
    moved.parent.mkdir()
    shutil.move(tracker, moved)
    clear_row(moved, 2)
    step(calendar, [moved], set(), ics, TODAY, None, "moved, one row deleted", moved_from=frozenset({tracker}))
    assert len(calendar.held) == 11  # the deleted row's call and thank-you cancelled


@pytest.mark.xfail(strict=True, reason="limitation: a tracker with a copy cannot be told moved from left out, "
                                        "so its old file's events are carried over")
def test_a_tracker_with_a_copy_moved_to_another_folder_is_not_doubled(tmp_path: Path) -> None:
    alice = sample(tmp_path / "alice")
    refresh(alice, TODAY)
    copy = tmp_path / "copy" / "tracker.xlsx"
    copy.parent.mkdir()
    shutil.copyfile(alice, copy)
    ics, calendar = tmp_path / "plan.ics", SimulatedCalendar()
    step(calendar, [alice, copy], set(), ics, TODAY, None, "both")
    moved = tmp_path / "moved" / "tracker.xlsx"
    moved.parent.mkdir()
    shutil.move(alice, moved)
    step(calendar, [moved, copy], set(), ics, TODAY, None, "alice moved")
    assert len(calendar.held) == 26  # 13 each, none twice


@pytest.mark.parametrize("spelling", ["same file named twice", "a folder and a file in it"])
def test_a_tracker_named_twice_is_exported_once(tmp_path: Path, spelling: str) -> None:
    tracker, ics, calendar = sample(tmp_path / "t"), tmp_path / "plan.ics", SimulatedCalendar()
    again = tracker.parent / ".." / "t" / "tracker.xlsx" if spelling == "same file named twice" else tracker.parent
    assert export([tracker, again], ics, TODAY) == 0
    calendar.import_(ics.read_bytes(), spelling)
    assert len(calendar.held) == 13


# --- the earlier .ics edited by hand -----------------------------------------------------------------------


def _unfold(data: bytes) -> list[str]:
    return data.decode().replace("\r\n ", "").split("\r\n")


def _refold(data: bytes, width: int) -> bytes:
    out = []
    for line in _unfold(data):
        pieces = [line[i:i + width] for i in range(0, len(line), width)] or [""]
        out.append("\r\n ".join(pieces))
    return "\r\n".join(out).encode()


def _blocks(data: bytes) -> tuple[bytes, list[bytes], bytes]:
    start, end = data.index(b"BEGIN:VEVENT"), data.rindex(b"END:VEVENT\r\n") + len(b"END:VEVENT\r\n")
    events = [b"BEGIN:VEVENT" + b for b in data[start:end].split(b"BEGIN:VEVENT") if b]
    return data[:start], events, data[end:]


def hand_edit(data: bytes, edit: str) -> bytes:
    head, events, tail = _blocks(data)
    if edit == "an event duplicated":
        events.append(events[0])
    elif edit == "an event removed":
        events = [e for e in events if b"Dana Whitfield" not in e] + [e for e in events if b"Dana Whitfield" in e][1:]
    elif edit == "SEQUENCE lowered":
        events = [re.sub(rb"SEQUENCE:\d+", b"SEQUENCE:0", e) for e in events]
    elif edit == "X-WHEN altered":
        events = [re.sub(rb"X-WORKBOOK-TOOLS-WHEN:(\d{4})", rb"X-WORKBOOK-TOOLS-WHEN:1999", e) for e in events]
    elif edit == "X-CONTENT altered":
        events = [re.sub(rb"X-WORKBOOK-TOOLS-CONTENT:\w+", b"X-WORKBOOK-TOOLS-CONTENT:0000", e) for e in events]
    elif edit == "X- names in lower case":
        events = [re.sub(rb"X-WORKBOOK-TOOLS-", b"x-workbook-tools-", e) for e in events]
    data = head + b"".join(events) + tail
    if edit == "folded at 20":
        data = _refold(data, 20)
    elif edit == "unfolded":
        data = "\r\n".join(_unfold(data)).encode()
    elif edit == "LF line ends":
        data = data.replace(b"\r\n", b"\n")
    return data


HARMLESS_EDITS = ["an event duplicated", "X-CONTENT altered", "X- names in lower case", "folded at 20", "unfolded",
                  "LF line ends", "SEQUENCE lowered", "X-WHEN altered"]
CHANGES = ["row deleted", "event date corrected", "nothing"]
#: (edit, change) pairs that fail: a defect, or what a file edited so cannot tell (see the report).
BROKEN = {("X-WHEN altered", "row deleted"): "defect 3: the cancellation's day is read from X-WORKBOOK-TOOLS-WHEN",
          ("X-WHEN altered", "event date corrected"): "defect 3, as above",
          ("an event removed", "row deleted"): "limitation: nothing remembers a removed event",
          ("an event removed", "event date corrected"): "limitation, as above",
          ("an event removed", "nothing"): "limitation: a change exported without refresh keeps SEQUENCE",
          **{("SEQUENCE lowered", c): "limitation: unrefreshed, only the file knew the SEQUENCE" for c in CHANGES}}


def _cases() -> list[Any]:
    cases = []
    for edit in [*HARMLESS_EDITS, "an event removed"]:
        for change in CHANGES:
            reason = BROKEN.get((edit, change))
            marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
            cases.append(pytest.param(edit, change, marks=marks, id=f"{edit}-{change}"))
    return cases


@pytest.mark.parametrize("edit, change", _cases())
def test_a_hand_edited_earlier_export_still_keeps_the_calendar_right(tmp_path: Path, edit: str, change: str) -> None:
    """The calendar imported each export as written; the file was then edited; the next
    export must still bring the calendar to the agenda."""
    alice, bob = sample(tmp_path / "alice"), sample(tmp_path / "bob")
    ics, calendar = tmp_path / "plan.ics", SimulatedCalendar()
    step(calendar, [alice, bob], set(), ics, TODAY, None, "first")
    step(calendar, [alice, bob], set(), ics, TODAY + timedelta(days=1), None, "a day on: SEQUENCEs rise")
    ics.write_bytes(hand_edit(ics.read_bytes(), edit))
    if change == "row deleted":
        clear_row(alice, 2)
    elif change == "event date corrected":
        type_cells(alice, 2, {"Event Date": row_values(alice, 2)["Event Date"] - timedelta(days=2)})
    step(calendar, [alice, bob], set(), ics, TODAY + timedelta(days=2), None, f"{edit}, {change}")


@pytest.mark.parametrize("junk", ["", "\x00" * 50, "../../etc/passwd", "9" * 100_000, "é"])
@pytest.mark.parametrize("prop", ["UID", "SEQUENCE", "SUMMARY", "X-WORKBOOK-TOOLS-SOURCE", "X-WORKBOOK-TOOLS-WHEN",
                                  "X-WORKBOOK-TOOLS-TRACKER", "DTSTART;TZID=Europe/Paris"])
def test_any_value_in_the_earlier_export_gives_no_traceback(tmp_path: Path, prop: str, junk: str) -> None:
    tracker, ics = sample(tmp_path), tmp_path / "plan.ics"
    assert export([tracker], ics, TODAY) == 0
    name = prop.split(";")[0].encode()
    data = re.sub(rb"(\r\n)" + name + rb"[;:][^\r\n]*", lambda m: b"\r\n" + prop.encode() + b":" + junk.encode(),
                  ics.read_bytes(), count=3)
    ics.write_bytes(data)
    clear_row(tracker, 3)
    assert export([tracker], ics, TODAY) in (0, 1)
    icalendar.Calendar.from_ical(ics.read_bytes())


# --- a lead closed and reopened, again and again -------------------------------------------------------


FLIPS = [("Withdrawn", True), (None, True), ("Withdrawn", False), (None, False), ("Closed", True), ("Active", False),
         ("delete", False), ("paste", False), ("delete", True), ("paste", True), ("Withdrawn", False), (None, True)]


@pytest.mark.parametrize("shared", [False, True])
def test_a_lead_closed_reopened_deleted_and_pasted_back_over_and_over(tmp_path: Path, shared: bool) -> None:
    """Each flip is exported (after a refresh or not); the calendar follows every one."""
    alice = sample(tmp_path / "alice")
    trackers = [alice] + ([sample(tmp_path / "bob")] if shared else [])  # bob: the same identity
    ics, calendar = tmp_path / "plan.ics", SimulatedCalendar()
    row = row_values(alice, 2)
    step(calendar, trackers, set(), ics, TODAY, None, "first")
    for n, (status, refreshed) in enumerate(FLIPS, 1):
        if status == "delete":
            clear_row(alice, 2)
        elif status == "paste":
            type_cells(alice, 2, row)
        else:
            type_cells(alice, 2, {"Status": status})
        day = TODAY + timedelta(days=n // 3)
        if refreshed:
            refresh(alice, day)
        step(calendar, trackers, set(), ics, day, None, f"flip {n}: {status}, refreshed={refreshed}")
